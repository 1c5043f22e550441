// SPDX-License-Identifier: MIT
// The built-in registry: the six YAML types, their summaries, unknown types, and the strategy
// entries of the shipped scenarios.
#include "strategies/register_builtin.hpp"

#include "engine/core/error.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

TEST(RegisterBuiltin, RegistersTheSixTypesWithSummaries) {
    StrategyRegistry r;
    strategies::registerBuiltinStrategies(r);
    EXPECT_EQ(r.types(),
              (std::vector<std::string>{"buy_and_hold", "dual_momentum", "fixed_mix", "rate_regime",
                                        "relative_momentum", "trend_filter"}));
    for (const auto& t : r.types()) EXPECT_FALSE(r.summary(t).empty()) << t;
    // Registering twice is a duplicate.
    EXPECT_THROW(strategies::registerBuiltinStrategies(r), Error);
    // The shared registry holds the same types.
    EXPECT_EQ(strategies::builtinRegistry().types(), r.types());
}

TEST(RegisterBuiltin, UnknownTypeListsTheKnownOnes) {
    // "type: " is 6 characters: the value starts at column 7 of line 2.
    EXPECT_EQ(test::yamlError("name: x\ntype: dual_momentun\n", kUniverse),
              "test.yaml:2:7: type: unknown strategy 'dual_momentun' (known: buy_and_hold, "
              "dual_momentum, fixed_mix, rate_regime, relative_momentum, trend_filter)");
}

TEST(RegisterBuiltin, BuildsEveryStrategyOfTheShippedScenarios) {
    // The `strategies:` entries of scenarios/rotation_2000_2025.yaml and dotcom_unwind.yaml.
    const ConfigNode doc = loadYamlString(R"(
- {name: spy_buy_and_hold, type: buy_and_hold, weights: {SPY: 1.0}}
- name: sixty_forty_small_large
  type: fixed_mix
  weights: {SPY: 0.4, IWM: 0.2, SHY: 0.4}
  rebalance: {every: quarterly, band: 0.05}
- {name: equal_weight_monthly, type: fixed_mix, weights: {SPY: 0.25, QQQ: 0.25, IWM: 0.25, SHY: 0.25}, rebalance: monthly}
- {name: momentum_top1_6m, type: relative_momentum, assets: [SPY, QQQ, IWM], lookback: 126, skip: 0, top_k: 1, safe_asset: SHY, rebalance: monthly}
- {name: dual_momentum_12m, type: dual_momentum, assets: [SPY, QQQ, IWM], lookback: 252, skip: 21, top_k: 1, safe_asset: SHY, rebalance: monthly}
- {name: trend_200d, type: trend_filter, assets: [SPY, QQQ, IWM], window: 200, safe_asset: SHY, rebalance: monthly}
- {name: easing_into_small_caps, type: rate_regime, easing_assets: [IWM], other_assets: [SPY], lookback: 126, threshold_bp: 0, rebalance: monthly}
)",
                                          "scenario.yaml");
    const StrategyRegistry& r = strategies::builtinRegistry();
    const Path path = test::randomPath(400, 4, 7u);
    for (const auto& spec : doc.items()) {
        const std::string name = spec.getString("name");
        auto s = r.create(name, spec, kUniverse);
        EXPECT_EQ(s->name(), name);
        // Each runs over 400 days and makes at least its initial allocation.
        const auto decisions = test::runDecisions(*s, path);
        EXPECT_TRUE(decisions[0].traded) << name;
    }
}

}  // namespace
}  // namespace rotor
