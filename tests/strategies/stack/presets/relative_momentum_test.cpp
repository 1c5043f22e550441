// SPDX-License-Identifier: MIT
// relative_momentum on a hand-made path; every score below is computed by hand.
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace relative_momentum_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Columns SPY QQQ IWM SHY over six weekdays from `first`.
//   day 0: 100 100 100 50        lookback-2 returns:
//   day 1: 101  99 100 50
//   day 2: 104 102 103 50        t2: SPY 104/100 .04   QQQ 102/100 .02   IWM 103/100 .03
//   day 3: 103 106 103 50        t3: SPY 103/101 .0198 QQQ 106/99 .0707  IWM 103/100 .03
//   day 4: 102 104 106 50        t4: SPY 102/104 -.019 QQQ 104/102 .0196 IWM 106/103 .0291
//   day 5: 100 100 100 50        (last day)
Path sixDays(Date first) {
    return test::makePath(test::weekdays(first, 6),
                          {{100, 100, 100, 50},
                           {101, 99, 100, 50},
                           {104, 102, 103, 50},
                           {103, 106, 103, 50},
                           {102, 104, 106, 50},
                           {100, 100, 100, 50}},
                          std::vector<double>(6, 1.0));
}
const Date kMon = Date::fromYmd(2024, 1, 8);

std::string spec(const std::string& extra) {
    return "name: mom\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\n" + extra;
}

TEST(RelativeMomentum, TopOneDaily) {
    auto s = test::strategyFromYaml(spec("lookback: 2\nsafe_asset: SHY\nrebalance: daily\n"),
                                    kUniverse);
    const auto d = test::runDecisions(*s, sixDays(kMon));
    // Daily: days 0..4 (the last day is not a period end).
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 1, 2, 3, 4}));
    test::expectWeights(d[0].target, {0, 0, 0, 1}, "day 0: lookback not filled -> SHY");
    test::expectWeights(d[1].target, {0, 0, 0, 1}, "day 1: lookback not filled -> SHY");
    test::expectWeights(d[2].target, {1, 0, 0, 0}, "day 2: SPY .04 best");
    test::expectWeights(d[3].target, {0, 1, 0, 0}, "day 3: QQQ .0707 best");
    test::expectWeights(d[4].target, {0, 0, 1, 0}, "day 4: IWM .0291 best");
}

TEST(RelativeMomentum, TopTwoEquallyWeighted) {
    auto s = test::strategyFromYaml(
        spec("lookback: 2\ntop_k: 2\nsafe_asset: SHY\nrebalance: daily\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays(kMon));
    test::expectWeights(d[1].target, {0, 0, 0, 1}, "day 1: SHY takes everything");
    test::expectWeights(d[2].target, {0.5, 0, 0.5, 0}, "day 2: SPY .04, IWM .03");
    test::expectWeights(d[3].target, {0, 0.5, 0.5, 0}, "day 3: QQQ .0707, IWM .03");
    test::expectWeights(d[4].target, {0, 0.5, 0.5, 0}, "day 4: IWM .0291, QQQ .0196");
}

TEST(RelativeMomentum, SkipShiftsTheWindow) {
    auto s = test::strategyFromYaml(
        spec("lookback: 2\nskip: 1\nsafe_asset: SHY\nrebalance: daily\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays(kMon));
    // t2: 2 - 1 - 2 < 0, not filled. t3: days 0 -> 2 (SPY .04 best). t4: days 1 -> 3 (QQQ .0707).
    test::expectWeights(d[2].target, {0, 0, 0, 1}, "day 2");
    test::expectWeights(d[3].target, {1, 0, 0, 0}, "day 3");
    test::expectWeights(d[4].target, {0, 1, 0, 0}, "day 4");
}

TEST(RelativeMomentum, CashWithoutASafeAsset) {
    auto s = test::strategyFromYaml(spec("lookback: 2\nrebalance: daily\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays(kMon));
    test::expectWeights(d[0].target, {0, 0, 0, 0}, "day 0: all cash");
    test::expectWeights(d[1].target, {0, 0, 0, 0}, "day 1: all cash");
    test::expectWeights(d[2].target, {1, 0, 0, 0}, "day 2");
}

TEST(RelativeMomentum, MonthlyByDefault) {
    // From Mon 2024-01-29, day 2 is Wed Jan 31: the only month end before the last day.
    auto s = test::strategyFromYaml(spec("lookback: 2\n"), kUniverse);
    const auto d = test::runDecisions(*s, sixDays(Date::fromYmd(2024, 1, 29)));
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 2}));
    test::expectWeights(d[2].target, {1, 0, 0, 0}, "Jan 31: SPY");
}

TEST(RelativeMomentum, TiesGoToTheFirstListed) {
    // SPY and QQQ have identical prices (returns .04 on day 2); IWM lags.
    const Path p = test::makePath(
        test::weekdays(kMon, 4),
        {{100, 100, 100, 1}, {101, 101, 100, 1}, {104, 104, 101, 1}, {104, 104, 101, 1}},
        std::vector<double>(4, 0.0));
    auto a = test::strategyFromYaml(
        "name: a\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 2\n"
        "rebalance: daily\n",
        kUniverse);
    auto b = test::strategyFromYaml(
        "name: b\ntype: relative_momentum\nassets: [IWM, QQQ, SPY]\nlookback: 2\n"
        "rebalance: daily\n",
        kUniverse);
    test::expectWeights(test::runDecisions(*a, p)[2].target, {1, 0, 0, 0}, "SPY listed first");
    test::expectWeights(test::runDecisions(*b, p)[2].target, {0, 1, 0, 0}, "QQQ listed first");
}

TEST(RelativeMomentum, NoLookAhead) {
    const Path p = test::randomPath(40, 4, 21u);
    auto make = [] {
        return test::strategyFromYaml(
            spec("lookback: 3\nskip: 1\ntop_k: 2\nsafe_asset: SHY\nrebalance: daily\n"), kUniverse);
    };
    auto s = make();
    EXPECT_GE(test::distinctTargets(test::runDecisions(*s, p)), 3);  // it does rotate
    test::expectNoLookAhead(make, p);
}

TEST(RelativeMomentum, YamlErrorsAreLocated) {
    // "lookback: " is 10 characters: values start at column 11 of line 4.
    EXPECT_EQ(test::yamlError(spec("lookback: 0\n"), kUniverse),
              "test.yaml:4:11: lookback: expected an integer in [1, 100000], found 0");
    EXPECT_EQ(test::yamlError(spec("lookback: six\n"), kUniverse),
              "test.yaml:4:11: lookback: expected an integer, found 'six'");
    EXPECT_EQ(test::yamlError(spec("lookbak: 5\n"), kUniverse),
              "test.yaml:4:1: lookbak: unknown key 'lookbak' (allowed: name, type, assets, "
              "lookback, skip, top_k, safe_asset, rebalance)");
    EXPECT_EQ(test::yamlError(spec(""), kUniverse),
              "test.yaml:1:1: missing required key 'lookback'");
    EXPECT_EQ(test::yamlError(spec("lookback: 5\ntop_k: 100001\n"), kUniverse),
              "test.yaml:5:8: top_k: expected an integer in [1, 100000], found 100001");
    EXPECT_EQ(test::yamlError(spec("lookback: 5\nskip: -1\n"), kUniverse),
              "test.yaml:5:7: skip: expected an integer in [0, 100000], found -1");
    EXPECT_EQ(test::yamlError(spec("lookback: 5\nsafe_asset: TLT\n"), kUniverse),
              "test.yaml:5:13: safe_asset: unknown asset 'TLT' (universe: SPY, QQQ, IWM, SHY)");
    // "assets: [SPY, " is 14 characters.
    EXPECT_EQ(test::yamlError("name: m\ntype: relative_momentum\nassets: [SPY, XLF]\nlookback: 5\n",
                              kUniverse),
              "test.yaml:3:15: assets[1]: unknown asset 'XLF' (universe: SPY, QQQ, IWM, SHY)");
    EXPECT_EQ(test::yamlError("name: m\ntype: relative_momentum\nassets: [SPY, SPY]\nlookback: 5\n",
                              kUniverse),
              "test.yaml:3:15: assets[1]: asset 'SPY' listed twice");
    EXPECT_EQ(test::yamlError("name: m\ntype: relative_momentum\nassets: []\nlookback: 5\n",
                              kUniverse),
              "test.yaml:3:9: assets: expected at least one asset");
}

}  // namespace relative_momentum_test
}  // namespace
}  // namespace rotor
