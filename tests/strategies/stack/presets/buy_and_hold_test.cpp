// SPDX-License-Identifier: MIT
// buy_and_hold: one purchase on day 0; equity through the backtester equals the weighted price
// relatives (plus cash), worked out by hand.
#include "engine/portfolio/backtester.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace buy_and_hold_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Tue 2024-01-30 .. Fri 2024-02-02: crosses a month end, which must not matter.
Path fourDays() {
    return test::makePath(
        test::weekdays(Date::fromYmd(2024, 1, 30), 4),
        {{100, 200, 50, 80}, {110, 190, 45, 80}, {99, 210, 55, 81}, {120, 220, 60, 81}},
        {5, 5, 5, 5});
}

const char* kSixtyForty = "name: bh\ntype: buy_and_hold\nweights: {SPY: 0.6, IWM: 0.4}\n";

TEST(BuyAndHold, BuysOnDayZeroOnly) {
    auto s = test::strategyFromYaml(kSixtyForty, kUniverse);
    EXPECT_EQ(s->name(), "bh");
    const auto d = test::runDecisions(*s, fourDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0}));
    test::expectWeights(d[0].target, {0.6, 0.0, 0.4, 0.0}, "day 0");
}

TEST(BuyAndHold, EquityIsTheWeightedPriceRelatives) {
    auto s = test::strategyFromYaml(kSixtyForty, kUniverse);
    BacktestConfig cfg;
    cfg.initialCapital = 1e6;
    Backtester bt(cfg);
    BacktestResult r;
    bt.run(fourDays(), *s, r);
    // equity / 1e6 = 0.6 * SPY(t)/100 + 0.4 * IWM(t)/50 (no cash held):
    //   t1: .6 * 1.10 + .4 * .90 = 1.02    t2: .6 * .99 + .4 * 1.10 = 1.034
    //   t3: .6 * 1.20 + .4 * 1.20 = 1.2
    EXPECT_NEAR(r.equity(0), 1e6, 1e-6);
    EXPECT_NEAR(r.equity(1), 1.02e6, 1e-6);
    EXPECT_NEAR(r.equity(2), 1.034e6, 1e-6);
    EXPECT_NEAR(r.equity(3), 1.2e6, 1e-6);
    EXPECT_EQ(r.rebalances, 1);
}

TEST(BuyAndHold, TheUninvestedRestEarnsCash) {
    auto s = test::strategyFromYaml("name: half\ntype: buy_and_hold\nweights: {SPY: 0.5}\n",
                                    kUniverse);
    // Fri 2024-01-05, Mon 01-08, Tue 01-09 at 3.6%: cash grows 1 + .036 * 3/360 = 1.0003 over the
    // weekend and 1.0001 on Tuesday. SPY 100, 102, 101.
    const Path p = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 5), 3),
                                  {{100, 1, 1, 1}, {102, 1, 1, 1}, {101, 1, 1, 1}},
                                  {3.6, 3.6, 3.6});
    Backtester bt(BacktestConfig{});
    BacktestResult r;
    bt.run(p, *s, r);
    // t1: .5 * 1.02 + .5 * 1.0003 = 1.01015
    // t2: .5 * 1.01 + .5 * 1.0003 * 1.0001 = .505 + .500200015 = 1.005200015
    EXPECT_NEAR(r.equity(1), 1.01015, 1e-13);
    EXPECT_NEAR(r.equity(2), 1.005200015, 1e-13);
}

TEST(BuyAndHold, LeverageUpToThreeIsAllowed) {
    auto s = test::strategyFromYaml(
        "name: lev\ntype: buy_and_hold\nweights: {SPY: 1.5, QQQ: 1.5}\n", kUniverse);
    const auto d = test::runDecisions(*s, fourDays());
    test::expectWeights(d[0].target, {1.5, 1.5, 0.0, 0.0}, "day 0");
}

TEST(BuyAndHold, NoLookAhead) {
    const Path p = test::randomPath(30, 4, 11u);
    test::expectNoLookAhead([] { return test::strategyFromYaml(kSixtyForty, kUniverse); }, p);
}

TEST(BuyAndHold, YamlErrorsAreLocated) {
    const std::string head = "name: bh\ntype: buy_and_hold\n";
    // "weights: {SPY: 0.6, " is 20 characters: XLF starts at column 21.
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: 0.6, XLF: 0.4}\n", kUniverse),
              "test.yaml:3:21: weights.XLF: unknown asset 'XLF' (universe: SPY, QQQ, IWM, SHY)");
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: 0.6}\nrebalance: monthly\n", kUniverse),
              "test.yaml:4:1: rebalance: unknown key 'rebalance' (allowed: name, type, weights, "
              "assets)");
    // "weights: {SPY: " is 15 characters.
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: -0.1}\n", kUniverse),
              "test.yaml:3:16: weights.SPY: expected a weight >= 0, found -0.1");
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: lots}\n", kUniverse),
              "test.yaml:3:16: weights.SPY: expected a number, found 'lots'");
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: 2, QQQ: 1.5}\n", kUniverse),
              "test.yaml:3:10: weights: weights sum to 3.5, above the leverage limit 3");
    EXPECT_EQ(test::yamlError(head + "weights: [SPY]\n", kUniverse),
              "test.yaml:3:10: weights: expected a map, found a sequence");
    EXPECT_EQ(test::yamlError(head + "weights: {}\n", kUniverse),
              "test.yaml:3:10: weights: expected at least one {asset: weight}");
    EXPECT_EQ(test::yamlError(head, kUniverse), "test.yaml:1:1: missing required key 'weights'");
    EXPECT_EQ(test::yamlError(head + "weights: equl\n", kUniverse),
              "test.yaml:3:10: weights: expected a map {asset: weight} or equal, found 'equl'");
    // "assets" only names the assets of weights: equal.
    EXPECT_EQ(test::yamlError(head + "weights: {SPY: 1}\nassets: [SPY]\n", kUniverse),
              "test.yaml:4:1: assets: assets is only read with weights: equal");
}

}  // namespace buy_and_hold_test
}  // namespace
}  // namespace rotor
