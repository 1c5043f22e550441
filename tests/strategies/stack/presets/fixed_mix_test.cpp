// SPDX-License-Identifier: MIT
// fixed_mix: back to the fixed weights on its schedule (monthly by default, bands, day counts).
#include "engine/portfolio/backtester.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace fixed_mix_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Mon 2024-01-29 .. Wed 2024-02-07 (eight weekdays); January ends on day 2.
Path eightDays() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 29), 8),
                          {{100, 100, 50, 80},
                           {101, 99, 51, 80},
                           {103, 98, 52, 80},
                           {102, 97, 53, 80},
                           {104, 96, 52, 81},
                           {105, 95, 51, 81},
                           {106, 97, 50, 81},
                           {107, 98, 49, 81}},
                          std::vector<double>(8, 2.0));
}

TEST(FixedMix, MonthlyByDefault) {
    auto s = test::strategyFromYaml(
        "name: mix\ntype: fixed_mix\nweights: {SPY: 0.5, IWM: 0.3, SHY: 0.1}\n", kUniverse);
    const auto d = test::runDecisions(*s, eightDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 2}));  // day 0 and Wed Jan 31
    test::expectWeights(d[0].target, {0.5, 0.0, 0.3, 0.1}, "day 0");
    test::expectWeights(d[2].target, {0.5, 0.0, 0.3, 0.1}, "day 2");
}

TEST(FixedMix, EveryDaysAndWeekly) {
    auto s = test::strategyFromYaml(
        "name: mix\ntype: fixed_mix\nweights: {SPY: 1}\nrebalance: {every_days: 3}\n", kUniverse);
    EXPECT_EQ(test::tradedDays(test::runDecisions(*s, eightDays())), (std::vector<Index>{0, 3, 6}));
    auto w = test::strategyFromYaml(
        "name: mix\ntype: fixed_mix\nweights: {SPY: 1}\nrebalance: weekly\n", kUniverse);
    // Fri Feb 2 is day 4; the second week ends after the path.
    EXPECT_EQ(test::tradedDays(test::runDecisions(*w, eightDays())), (std::vector<Index>{0, 4}));
}

TEST(FixedMix, QuarterlyOrBand) {
    auto s = test::strategyFromYaml(
        "name: mix\ntype: fixed_mix\nweights: {SPY: 0.5, IWM: 0.5}\n"
        "rebalance: {every: quarterly, band: 0.1}\n",
        kUniverse);
    // SPY 100 -> 120 -> 140 -> 160, IWM flat at 100, all in January (no quarter end).
    // Starting from 1.0: .005 units each. SPY weight:
    //   day 1 .6/1.1 = .545 (drift .045), day 2 .7/1.2 = .583 (.083), day 3 .8/1.3 = .615 (.115).
    const Path p = test::makePath(
        test::weekdays(Date::fromYmd(2024, 1, 8), 5),
        {{100, 1, 100, 1}, {120, 1, 100, 1}, {140, 1, 100, 1}, {160, 1, 100, 1}, {160, 1, 100, 1}},
        std::vector<double>(5, 0.0));
    EXPECT_EQ(test::tradedDays(test::runDecisions(*s, p)), (std::vector<Index>{0, 3}));
}

TEST(FixedMix, MonthlyRebalancingThroughTheBacktester) {
    auto s = test::strategyFromYaml(
        "name: mix\ntype: fixed_mix\nweights: {SPY: 0.5, QQQ: 0.5}\nrebalance: monthly\n",
        kUniverse);
    // Tue Jan 30, Wed Jan 31, Thu Feb 1 2024. SPY 100 -> 110 -> 121, QQQ flat; no cash rate.
    // Rebalanced on Jan 31, each month multiplies equity by the average relative (1.1 + 1) / 2:
    // 1 -> 1.05 -> 1.1025 (held without the rebalance it would be .605 + .5 = 1.105).
    const Path p = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 30), 3),
                                  {{100, 100, 1, 1}, {110, 100, 1, 1}, {121, 100, 1, 1}},
                                  {0, 0, 0});
    Backtester bt(BacktestConfig{});
    BacktestResult r;
    bt.run(p, *s, r);
    EXPECT_NEAR(r.equity(1), 1.05, 1e-14);
    EXPECT_NEAR(r.equity(2), 1.1025, 1e-14);
    EXPECT_EQ(r.rebalances, 2);
}

TEST(FixedMix, WeightsBelowOneLeaveTheRestInCash) {
    auto s = test::strategyFromYaml(
        "name: m\ntype: fixed_mix\nweights: {QQQ: 0.7}\nrebalance: {every_days: 2}\n", kUniverse);
    const auto d = test::runDecisions(*s, eightDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 2, 4, 6}));
    test::expectWeights(d[4].target, {0.0, 0.7, 0.0, 0.0}, "day 4");
}

TEST(FixedMix, NoLookAhead) {
    const Path p = test::randomPath(30, 4, 12u);
    test::expectNoLookAhead(
        [] {
            return test::strategyFromYaml(
                "name: m\ntype: fixed_mix\nweights: {SPY: 0.6, QQQ: 0.4}\n"
                "rebalance: {every: weekly, band: 0.02}\n",
                kUniverse);
        },
        p);
}

TEST(FixedMix, YamlErrorsAreLocated) {
    const std::string head = "name: mix\ntype: fixed_mix\nweights: {SPY: 1}\n";
    EXPECT_EQ(test::yamlError(head + "rebalance: fortnightly\n", kUniverse),
              "test.yaml:4:12: rebalance: unknown rebalance period 'fortnightly' (expected never, "
              "daily, weekly, monthly, quarterly or yearly)");
    EXPECT_EQ(test::yamlError(head + "rebalance: {every: monthly, band: 2}\n", kUniverse),
              "test.yaml:4:35: rebalance.band: expected a number in [0, 1], found 2");
    EXPECT_EQ(test::yamlError(head + "lookback: 3\n", kUniverse),
              "test.yaml:4:1: lookback: unknown key 'lookback' (allowed: name, type, weights, "
              "assets, rebalance)");
}

}  // namespace fixed_mix_test
}  // namespace
}  // namespace rotor
