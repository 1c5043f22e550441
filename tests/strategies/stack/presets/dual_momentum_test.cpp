// SPDX-License-Identifier: MIT
// dual_momentum: relative picks filtered against cash's return over the same window. The cash
// rate is a (deliberately large) 36%, so one calendar day of ACT/360 accrual is exactly 1.001.
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace dual_momentum_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Columns SPY QQQ IWM SHY, Mon 2024-01-08 .. Mon 2024-01-15, rate 36%:
//   0 Mon: 100   100   100 50     lookback-2 windows are Mon->Wed, Tue->Thu, Wed->Fri
//   1 Tue: 100   100   100 50     (two calendar days each): cash 1.001^2 - 1 = .002001
//   2 Wed: 100.1  99   100 50     t2: SPY .001, QQQ -.01    -> SPY, but .001 < .002001
//   3 Thu: 101    99   100 50     t3: SPY .01,  QQQ -.01    -> SPY, .01 > .002001
//   4 Fri: 101   101.5 100 50     t4: SPY 101/100.1 = .00899, QQQ 101.5/99 = .02525 -> QQQ
//   5 Mon: 101.2 101.5 100 50     Fri -> Mon is three calendar days: cash 1.003
Path sixDays() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 6),
                          {{100, 100, 100, 50},
                           {100, 100, 100, 50},
                           {100.1, 99, 100, 50},
                           {101, 99, 100, 50},
                           {101, 101.5, 100, 50},
                           {101.2, 101.5, 100, 50}},
                          std::vector<double>(6, 36.0));
}

std::string spec(const std::string& extra) {
    return "name: dm\ntype: dual_momentum\nassets: [SPY, QQQ]\nlookback: 2\nrebalance: daily\n" +
           extra;
}

TEST(DualMomentum, PicksThatTrailCashGoToTheSafeAsset) {
    auto s = test::strategyFromYaml(spec("safe_asset: SHY\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 1, 2, 3, 4}));
    test::expectWeights(d[0].target, {0, 0, 0, 1}, "day 0: not filled");
    test::expectWeights(d[1].target, {0, 0, 0, 1}, "day 1: not filled");
    test::expectWeights(d[2].target, {0, 0, 0, 1}, "day 2: SPY .001 trails cash .002001");
    test::expectWeights(d[3].target, {1, 0, 0, 0}, "day 3: SPY .01 beats cash");
    test::expectWeights(d[4].target, {0, 1, 0, 0}, "day 4: QQQ .02525 beats cash");
}

TEST(DualMomentum, EachFailingSlotIsReplacedSeparately) {
    auto s = test::strategyFromYaml(spec("top_k: 2\nsafe_asset: SHY\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays());
    test::expectWeights(d[2].target, {0, 0, 0, 1}, "day 2: both trail cash: two SHY slots");
    test::expectWeights(d[3].target, {0.5, 0, 0, 0.5}, "day 3: SPY kept, QQQ -.01 replaced");
    test::expectWeights(d[4].target, {0.5, 0.5, 0, 0}, "day 4: both beat cash");
}

TEST(DualMomentum, CashWithoutASafeAsset) {
    auto s = test::strategyFromYaml(spec("top_k: 2\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays());
    test::expectWeights(d[1].target, {0, 0, 0, 0}, "day 1: not filled, cash");
    test::expectWeights(d[2].target, {0, 0, 0, 0}, "day 2: cash");
    test::expectWeights(d[3].target, {0.5, 0, 0, 0}, "day 3: SPY and half cash");
}

TEST(DualMomentum, CashAccruesOverTheCalendarDaysOfTheWindow) {
    // Lookback 1, every trading day (so the last day decides too). SPY only.
    // t3 Wed -> Thu: SPY 101/100.1 - 1 = .00899 > cash .001: SPY.
    // t5 Fri -> Mon: SPY 101.2/101 - 1 = .00198 < cash 1 + .36 * 3/360 - 1 = .003: SHY.
    auto s = test::strategyFromYaml(
        "name: dm\ntype: dual_momentum\nassets: [SPY]\nlookback: 1\nsafe_asset: SHY\n"
        "rebalance: {every_days: 1}\n",
        kUniverse);
    const auto d = test::runDecisions(*s, sixDays());
    test::expectWeights(d[3].target, {1, 0, 0, 0}, "day 3");
    test::expectWeights(d[5].target, {0, 0, 0, 1}, "day 5 after the weekend");
}

TEST(DualMomentum, SkipMovesTheCashWindowToo) {
    // Rates 0, 0, 360%, 0: only the day 2 -> 3 accrual earns (1 + 3.6 * 1/360 = 1.01).
    // SPY rises .1% a day. Lookback 1 on day 3:
    //   skip 0: window 2 -> 3, SPY .001 < cash .01: SHY.
    //   skip 1: window 1 -> 2, SPY .001 > cash 0: SPY.
    const Path p = test::makePath(
        test::weekdays(Date::fromYmd(2024, 1, 8), 4),
        {{100, 1, 1, 1}, {100.1, 1, 1, 1}, {100.2001, 1, 1, 1}, {100.3003001, 1, 1, 1}},
        {0, 0, 360, 0});
    const std::string base =
        "name: dm\ntype: dual_momentum\nassets: [SPY]\nlookback: 1\nsafe_asset: SHY\n"
        "rebalance: {every_days: 1}\n";
    auto s0 = test::strategyFromYaml(base, kUniverse);
    auto s1 = test::strategyFromYaml(base + "skip: 1\n", kUniverse);
    test::expectWeights(test::runDecisions(*s0, p)[3].target, {0, 0, 0, 1}, "skip 0");
    test::expectWeights(test::runDecisions(*s1, p)[3].target, {1, 0, 0, 0}, "skip 1");
}

TEST(DualMomentum, NoLookAhead) {
    const Path p = test::randomPath(40, 4, 33u);
    auto make = [] {
        return test::strategyFromYaml(
            "name: dm\ntype: dual_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 3\nskip: 1\n"
            "top_k: 2\nsafe_asset: SHY\nrebalance: daily\n",
            kUniverse);
    };
    auto s = make();
    EXPECT_GE(test::distinctTargets(test::runDecisions(*s, p)), 3);
    test::expectNoLookAhead(make, p);
}

TEST(DualMomentum, YamlErrorsAreLocated) {
    // More picks than candidates is min(k, N); zero is not.
    EXPECT_EQ(test::yamlError(spec("top_k: 0\n"), kUniverse),
              "test.yaml:6:8: top_k: expected an integer in [1, 100000], found 0");
    EXPECT_EQ(test::yamlError(spec("safe_asset: [SHY]\n"), kUniverse),
              "test.yaml:6:13: safe_asset: expected a string, found a sequence");
    EXPECT_EQ(test::yamlError(spec("threshold_bp: 5\n"), kUniverse),
              "test.yaml:6:1: threshold_bp: unknown key 'threshold_bp' (allowed: name, type, "
              "assets, lookback, skip, top_k, safe_asset, rebalance)");
}

// At a 0% rate cash returns exactly 0, and a flat asset returns exactly 0 too: a return equal to
// cash's is kept (only a return below cash's goes to the safe asset).
TEST(DualMomentum, ReturnEqualToCashIsKept) {
    const Path flat = test::makePath(
        test::weekdays(Date::fromYmd(2024, 1, 8), 4),
        {{100, 100, 100, 50}, {100, 99, 100, 50}, {100, 98, 100, 50}, {100, 97, 100, 50}},
        std::vector<double>(4, 0.0));
    auto s = test::strategyFromYaml(spec("safe_asset: SHY\n"), kUniverse);
    const auto d = test::runDecisions(*s, flat);
    test::expectWeights(d[2].target, {1, 0, 0, 0}, "day 2: SPY 0 == cash 0, kept");
}

}  // namespace dual_momentum_test
}  // namespace
}  // namespace rotor
