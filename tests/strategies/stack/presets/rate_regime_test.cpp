// SPDX-License-Identifier: MIT
// rate_regime: easing (policy rate below its level `lookback` days ago, less a threshold) picks
// one set of assets, otherwise another.
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace rate_regime_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

// Cash rates (percent) 5.0 5.0 4.9 5.0 4.75 4.5 4.5 on seven weekdays; lookback 2 compares t
// with t-2:
//   t2: 4.9  vs 5.0   t3: 5.0 vs 5.0   t4: 4.75 vs 4.9   t5: 4.5 vs 5.0
Path sevenDays() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 7),
                          {{1, 1, 1, 1},
                           {1, 1, 1, 1},
                           {1, 1, 1, 1},
                           {1, 1, 1, 1},
                           {1, 1, 1, 1},
                           {1, 1, 1, 1},
                           {1, 1, 1, 1}},
                          {5.0, 5.0, 4.9, 5.0, 4.75, 4.5, 4.5});
}

std::string spec(const std::string& extra) {
    return "name: rr\ntype: rate_regime\neasing_assets: [IWM]\nlookback: 2\nrebalance: daily\n" +
           extra;
}

TEST(RateRegime, EasingPicksTheEasingAssets) {
    auto s = test::strategyFromYaml(spec("other_assets: [SPY]\nsafe_asset: SHY\n"), kUniverse);
    const auto d = test::runDecisions(*s, sevenDays());
    EXPECT_EQ(test::tradedDays(d), (std::vector<Index>{0, 1, 2, 3, 4, 5}));
    test::expectWeights(d[0].target, {0, 0, 0, 1}, "day 0: no rate 2 days back, SHY");
    test::expectWeights(d[1].target, {0, 0, 0, 1}, "day 1: SHY");
    test::expectWeights(d[2].target, {0, 0, 1, 0}, "day 2: 4.9 < 5.0 easing");
    test::expectWeights(d[3].target, {1, 0, 0, 0}, "day 3: 5.0 not < 5.0");
    test::expectWeights(d[4].target, {0, 0, 1, 0}, "day 4: 4.75 < 4.9");
    test::expectWeights(d[5].target, {0, 0, 1, 0}, "day 5: 4.5 < 5.0");
}

TEST(RateRegime, ThresholdInBasisPoints) {
    // 25 bp: easing needs rate(t) < rate(t-2) - 0.25.
    //   t2: 4.9 < 4.75? no   t4: 4.75 < 4.65? no   t5: 4.5 < 4.75? yes
    auto s = test::strategyFromYaml(spec("other_assets: [SPY]\nthreshold_bp: 25\n"), kUniverse);
    const auto d = test::runDecisions(*s, sevenDays());
    test::expectWeights(d[1].target, {0, 0, 0, 0}, "day 1: cash before the lookback fills");
    test::expectWeights(d[2].target, {1, 0, 0, 0}, "day 2");
    test::expectWeights(d[4].target, {1, 0, 0, 0}, "day 4");
    test::expectWeights(d[5].target, {0, 0, 1, 0}, "day 5");
}

TEST(RateRegime, OtherDefaultsToTheSafeAssetOrCash) {
    auto safe = test::strategyFromYaml(spec("safe_asset: SHY\n"), kUniverse);
    auto cash = test::strategyFromYaml(spec(""), kUniverse);
    const auto ds = test::runDecisions(*safe, sevenDays());
    const auto dc = test::runDecisions(*cash, sevenDays());
    test::expectWeights(ds[3].target, {0, 0, 0, 1}, "day 3 not easing: SHY");
    test::expectWeights(dc[3].target, {0, 0, 0, 0}, "day 3 not easing: cash");
    test::expectWeights(dc[4].target, {0, 0, 1, 0}, "day 4 easing: IWM");
}

TEST(RateRegime, EqualWeightWithinTheSet) {
    auto s = test::strategyFromYaml(
        "name: rr\ntype: rate_regime\neasing_assets: [IWM, QQQ]\nother_assets: [SPY, SHY, QQQ]\n"
        "lookback: 2\nrebalance: daily\n",
        kUniverse);
    const auto d = test::runDecisions(*s, sevenDays());
    const double third = 1.0 / 3.0;
    test::expectWeights(d[2].target, {0, 0.5, 0.5, 0}, "day 2 easing");
    test::expectWeights(d[3].target, {third, third, 0, third}, "day 3 not easing");
}

TEST(RateRegime, NoLookAhead) {
    const Path p = test::randomPath(40, 4, 55u);
    auto make = [] {
        return test::strategyFromYaml(spec("other_assets: [SPY, QQQ]\nsafe_asset: SHY\n"),
                                      kUniverse);
    };
    auto s = make();
    EXPECT_GE(test::distinctTargets(test::runDecisions(*s, p)), 3);
    test::expectNoLookAhead(make, p);
}

TEST(RateRegime, YamlErrorsAreLocated) {
    EXPECT_EQ(test::yamlError("name: rr\ntype: rate_regime\neasing_assets: [IWM]\nlookback: 0\n",
                              kUniverse),
              "test.yaml:4:11: lookback: expected an integer in [1, 100000], found 0");
    EXPECT_EQ(test::yamlError(spec("threshold_bp: -5\n"), kUniverse),
              "test.yaml:6:15: threshold_bp: expected a number in [0, 10000], found -5");
    EXPECT_EQ(test::yamlError("name: rr\ntype: rate_regime\nlookback: 5\n", kUniverse),
              "test.yaml:1:1: missing required key 'easing_assets'");
    // "other_assets: [SPY, " is 20 characters.
    EXPECT_EQ(test::yamlError(spec("other_assets: [SPY, EFA]\n"), kUniverse),
              "test.yaml:6:21: other_assets[1]: unknown asset 'EFA' (universe: SPY, QQQ, IWM, "
              "SHY)");
    EXPECT_EQ(test::yamlError(spec("top_k: 1\n"), kUniverse),
              "test.yaml:6:1: top_k: unknown key 'top_k' (allowed: name, type, easing_assets, "
              "other_assets, lookback, threshold_bp, safe_asset, rebalance)");
}

}  // namespace rate_regime_test
}  // namespace
}  // namespace rotor
