// SPDX-License-Identifier: MIT
// trend_filter: each asset's slot is held while its close is above its moving average.
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace trend_filter_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Columns SPY QQQ IWM SHY; window 3 (closes t-2..t):
//   0: 10 10 10 5
//   1: 11  9 10 5
//   2: 12  8 10 5   SPY SMA 33/3 = 11 < 12 keep;       QQQ SMA 27/3 = 9 > 8 out
//   3: 11  9 10 5   SPY SMA 34/3 = 11.33 > 11 out;     QQQ SMA 26/3 = 8.67 < 9 keep
//   4: 12  9 10 5   SPY SMA 35/3 = 11.67 < 12 keep;    QQQ SMA 26/3 = 8.67 < 9 keep
//   5: 12  9 10 5   SPY SMA 35/3 = 11.67 < 12 keep;    QQQ SMA 27/3 = 9, not above 9: out
//   6: 12  9 10 5   (last day)
// IWM is flat at 10, never above its average.
Path sevenDays() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 7),
                          {{10, 10, 10, 5},
                           {11, 9, 10, 5},
                           {12, 8, 10, 5},
                           {11, 9, 10, 5},
                           {12, 9, 10, 5},
                           {12, 9, 10, 5},
                           {12, 9, 10, 5}},
                          std::vector<double>(7, 2.0));
}

std::string spec(const std::string& assets, const std::string& extra) {
    return "name: tf\ntype: trend_filter\nassets: " + assets + "\nwindow: 3\nrebalance: daily\n" +
           extra;
}

TEST(TrendFilter, HalfPerAssetWhileAboveItsAverage) {
    auto s = test::strategyFromYaml(spec("[SPY, QQQ]", "safe_asset: SHY\n"), kUniverse);
    const auto d = test::runDecisions(*s, sevenDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 1, 2, 3, 4, 5}));
    test::expectWeights(d[0].target, {0, 0, 0, 1}, "day 0: one close only");
    test::expectWeights(d[1].target, {0, 0, 0, 1}, "day 1: two closes only");
    test::expectWeights(d[2].target, {0.5, 0, 0, 0.5}, "day 2");
    test::expectWeights(d[3].target, {0, 0.5, 0, 0.5}, "day 3");
    test::expectWeights(d[4].target, {0.5, 0.5, 0, 0}, "day 4");
    test::expectWeights(d[5].target, {0.5, 0, 0, 0.5}, "day 5: QQQ equal to its SMA");
}

TEST(TrendFilter, ThirdsAndCash) {
    auto s = test::strategyFromYaml(spec("[SPY, QQQ, IWM]", ""), kUniverse);
    const auto d = test::runDecisions(*s, sevenDays());
    const double third = 1.0 / 3.0;
    test::expectWeights(d[1].target, {0, 0, 0, 0}, "day 1: all cash");
    test::expectWeights(d[2].target, {third, 0, 0, 0}, "day 2: SPY only, 2/3 cash");
    test::expectWeights(d[4].target, {third, third, 0, 0}, "day 4: SPY and QQQ");
}

TEST(TrendFilter, MonthlyByDefault) {
    auto s = test::strategyFromYaml(
        "name: tf\ntype: trend_filter\nassets: [SPY, QQQ]\nwindow: 3\nsafe_asset: SHY\n",
        kUniverse);
    // Seven weekdays from Tue 2024-01-30: day 1 is Wed Jan 31.
    Path p = sevenDays();
    p.dates = test::weekdays(Date::fromYmd(2024, 1, 30), 7);
    EXPECT_EQ(test::tradedDays(test::runDecisions(*s, p)), (std::vector<Index>{0, 1}));
}

TEST(TrendFilter, NoLookAhead) {
    const Path p = test::randomPath(40, 4, 44u);
    auto make = [] {
        return test::strategyFromYaml(spec("[SPY, QQQ, IWM]", "safe_asset: SHY\n"), kUniverse);
    };
    auto s = make();
    EXPECT_GE(test::distinctTargets(test::runDecisions(*s, p)), 3);
    test::expectNoLookAhead(make, p);
}

TEST(TrendFilter, YamlErrorsAreLocated) {
    EXPECT_EQ(test::yamlError("name: tf\ntype: trend_filter\nassets: [SPY]\nwindow: 1\n",
                              kUniverse),
              "test.yaml:4:9: window: expected an integer in [2, 100000], found 1");
    EXPECT_EQ(test::yamlError("name: tf\ntype: trend_filter\nassets: [SPY]\n", kUniverse),
              "test.yaml:1:1: missing required key 'window'");
    EXPECT_EQ(test::yamlError("name: tf\ntype: trend_filter\nassets: {SPY: 1}\nwindow: 5\n",
                              kUniverse),
              "test.yaml:3:9: assets: expected a sequence, found a map");
    EXPECT_EQ(test::yamlError(spec("[SPY]", "lookback: 5\n"), kUniverse),
              "test.yaml:6:1: lookback: unknown key 'lookback' (allowed: name, type, assets, "
              "window, safe_asset, rebalance)");
}

}  // namespace trend_filter_test
}  // namespace
}  // namespace rotor
