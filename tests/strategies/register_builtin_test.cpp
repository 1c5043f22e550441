// SPDX-License-Identifier: MIT
// The built-in registry: the eleven YAML types (six presets, stack and the rotation library), their
// summaries, unknown types, and the strategy entries of the shipped scenarios.
#include "strategies/register_builtin.hpp"

#include "engine/core/error.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace register_builtin_test {

// SPY and IWM carry valuation series (valuation_rotation needs them).
Universe valuedUniverse() {
    Universe u{{"SPY", "QQQ", "IWM", "SHY"}};
    u.valued = {"SPY", "IWM"};
    return u;
}
const Universe kUniverse = valuedUniverse();

TEST(RegisterBuiltin, RegistersTheTwelveTypesWithSummaries) {
    StrategyRegistry r;
    strategies::registerBuiltinStrategies(r);
    EXPECT_EQ(r.types(), (std::vector<std::string>{"buy_and_hold", "dual_momentum", "fixed_mix",
                                                   "quality_tilt", "rate_regime",
                                                   "rates_aware_rotation", "relative_momentum",
                                                   "risk_parity_rotation", "stack", "trend_filter",
                                                   "valuation_rotation", "vol_target_rotation"}));
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
              "dual_momentum, fixed_mix, quality_tilt, rate_regime, rates_aware_rotation, "
              "relative_momentum, risk_parity_rotation, stack, trend_filter, "
              "valuation_rotation, vol_target_rotation)");
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

// The minimal entry of each type: every required key with a value. The test below checks that
// each required parameter appears here, so a new one cannot be forgotten.
const std::map<std::string, std::string> kRequired = {
    {"buy_and_hold", "weights: {SPY: 0.5, IWM: 0.5}\n"},
    {"fixed_mix", "weights: {SPY: 0.5, IWM: 0.5}\n"},
    {"relative_momentum", "assets: [SPY, QQQ, IWM]\nlookback: 20\n"},
    {"dual_momentum", "assets: [SPY, QQQ, IWM]\nlookback: 20\n"},
    {"trend_filter", "assets: [SPY, QQQ]\nwindow: 10\n"},
    {"rate_regime", "easing_assets: [IWM]\nlookback: 20\n"},
    {"stack", "steps: [select_all, weigh_equal]\n"},
    {"risk_parity_rotation", "assets: [SPY, QQQ, IWM]\n"},
    {"vol_target_rotation", "assets: [SPY, QQQ, IWM]\n"},
    {"rates_aware_rotation", "small_caps: [IWM]\nlarge_caps: [SPY]\n"},
    {"quality_tilt", "quality: IWM\nspeculative: SPY\n"},
    {"valuation_rotation", "small_cap: IWM\nlarge_cap: SPY\n"},
};

TEST(RegisterBuiltin, ParametersAreTheKeysEachParserAccepts) {
    const StrategyRegistry& r = strategies::builtinRegistry();
    for (const auto& type : r.types()) {
        // An unknown key makes the parser list every key it accepts.
        const std::string msg = test::yamlError("name: x\ntype: " + type + "\nzz_unknown: 1\n",
                                                kUniverse);
        const std::string open = "(allowed: ";
        const auto from = msg.find(open);
        ASSERT_NE(from, std::string::npos) << type << ": " << msg;
        const std::string accepted = msg.substr(from + open.size(),
                                                msg.rfind(')') - from - open.size());
        std::string declared = "name, type";
        for (const auto& p : r.parameters(type)) declared += ", " + p.key;
        EXPECT_EQ(accepted, declared) << type;
        ASSERT_TRUE(kRequired.count(type)) << type;
        for (const auto& p : r.parameters(type)) {
            EXPECT_EQ(p.required, kRequired.at(type).find(p.key + ":") != std::string::npos)
                << type << "." << p.key;
            EXPECT_FALSE(p.kind.empty() || p.rule.empty()) << type << "." << p.key;
            if (p.required) {
                EXPECT_TRUE(p.defaultValue.empty()) << type << "." << p.key;
            }
        }
    }
}

// Decisions of `yaml` over a 400-day random path with wandering rates.
std::vector<test::Decision> decisionsOf(const std::string& yaml) {
    const Path path = test::randomPath(400, 4, 11u);
    auto s = test::strategyFromYaml(yaml, kUniverse);
    return test::runDecisions(*s, path);
}

bool sameDecisions(const std::vector<test::Decision>& a, const std::vector<test::Decision>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].traded != b[i].traded) return false;
        if (a[i].traded && a[i].target != b[i].target) return false;
    }
    return true;
}

TEST(RegisterBuiltin, WritingTheDeclaredDefaultsOutChangesNothing) {
    const StrategyRegistry& r = strategies::builtinRegistry();
    int defaults = 0;
    for (const auto& type : r.types()) {
        const std::string minimal = "name: x\ntype: " + type + "\n" + kRequired.at(type);
        std::string explicitDefaults = minimal;
        for (const auto& p : r.parameters(type))
            if (!p.required && !p.defaultValue.empty()) {
                explicitDefaults += p.key + ": " + p.defaultValue + "\n";
                ++defaults;
            }
        EXPECT_TRUE(sameDecisions(decisionsOf(minimal), decisionsOf(explicitDefaults))) << type;
    }
    // fixed_mix 1, relative_momentum 3, dual_momentum 3, trend_filter 1, rate_regime 2,
    // risk_parity_rotation 5, vol_target_rotation 7, rates_aware_rotation 4, quality_tilt 3,
    // valuation_rotation 4 (window, enter_z, exit_z, rebalance).
    EXPECT_EQ(defaults, 33);
    // The comparison can tell: another top_k, skip or rebalance changes the decisions.
    const std::string mom = "name: x\ntype: relative_momentum\n" +
                            kRequired.at("relative_momentum");
    EXPECT_FALSE(sameDecisions(decisionsOf(mom), decisionsOf(mom + "top_k: 2\n")));
    EXPECT_FALSE(sameDecisions(decisionsOf(mom), decisionsOf(mom + "skip: 5\n")));
    EXPECT_FALSE(sameDecisions(decisionsOf(mom), decisionsOf(mom + "rebalance: weekly\n")));
}

}  // namespace register_builtin_test
}  // namespace
}  // namespace rotor
