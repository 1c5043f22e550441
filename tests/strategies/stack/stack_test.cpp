// SPDX-License-Identifier: MIT
// `type: stack`: steps written in YAML decide exactly as the presets built from the same algos,
// the new steps behave as computed here by hand, and bad stacks are located errors.
#include "strategies/stack/stack.hpp"

#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace stack_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

std::vector<test::Decision> decisionsOf(const std::string& yaml, const Path& path) {
    auto s = test::strategyFromYaml(yaml, kUniverse);
    return test::runDecisions(*s, path);
}

// Bit for bit: same trading days, same target vectors (operator==, no tolerance). `choices`:
// the least number of distinct targets, to show the comparison sees real decisions.
void expectSameDecisions(const std::string& a, const std::string& b, int choices = 3) {
    const Path path = test::randomPath(500, 4, 3u);
    const auto da = decisionsOf(a, path);
    const auto db = decisionsOf(b, path);
    ASSERT_EQ(da.size(), db.size());
    for (std::size_t t = 0; t < da.size(); ++t) {
        ASSERT_EQ(da[t].traded, db[t].traded) << "day " << t << "\n" << a << "\n" << b;
        if (da[t].traded) {
            ASSERT_TRUE(da[t].target == db[t].target) << "day " << t;
        }
    }
    EXPECT_GE(test::distinctTargets(da), choices) << a;
}

TEST(Stack, PresetsWrittenAsStepsDecideIdentically) {
    expectSameDecisions(R"(
name: p
type: relative_momentum
assets: [SPY, QQQ, IWM]
lookback: 20
skip: 3
top_k: 2
safe_asset: SHY
rebalance: weekly
)",
                        R"(
name: s
type: stack
safe_asset: SHY
steps:
  - weekly
  - {step: select_assets, assets: [SPY, QQQ, IWM]}
  - {step: top_momentum, lookback: 20, skip: 3, k: 2}
  - weigh_equal
)");
    expectSameDecisions(R"(
name: p
type: dual_momentum
assets: [SPY, QQQ, IWM]
lookback: 30
top_k: 2
rebalance: monthly
)",
                        R"(
name: s
type: stack
steps:
  - {step: select_assets, assets: [SPY, QQQ, IWM]}
  - {step: top_momentum, lookback: 30, k: 2}
  - {step: absolute_momentum, lookback: 30}
  - weigh_equal
)");
    expectSameDecisions(R"(
name: p
type: trend_filter
assets: [SPY, QQQ, IWM]
window: 15
safe_asset: SHY
rebalance: {every: weekly, band: 0.05}
)",
                        R"(
name: s
type: stack
safe_asset: SHY
steps: [weekly, {step: drift_band, band: 0.05}, {step: select_assets, assets: [SPY, QQQ, IWM]},
        {step: trend_filter, window: 15}, weigh_equal]
)");
    expectSameDecisions(R"(
name: p
type: fixed_mix
weights: {SPY: 0.5, IWM: 0.3, SHY: 0.4}
rebalance: {every_days: 7}
)",
                        R"(
name: s
type: stack
steps:
  - {step: every_days, days: 7}
  - {step: select_assets, assets: [SPY, IWM, SHY]}
  - {step: weigh_fixed, weights: {SPY: 0.5, IWM: 0.3, SHY: 0.4}}
)",
                        1);
}

TEST(Stack, LessTyping) {
    // assets: all is every universe column; top_k beyond the candidates holds them all
    // (min(k, N)); weights: equal is 1/N on every column.
    expectSameDecisions("name: a\ntype: relative_momentum\nassets: all\nlookback: 10\ntop_k: 9\n",
                        "name: b\ntype: relative_momentum\nassets: [SPY, QQQ, IWM, SHY]\nlookback: "
                        "10\ntop_k: 4\n",
                        2);
    expectSameDecisions(
        "name: a\ntype: stack\nsteps: [select_all, {step: top_momentum, lookback: 10, k: 2}, "
        "weigh_equal]\n",
        "name: b\ntype: stack\nsteps: [{step: select_assets, assets: all}, {step: top_momentum, "
        "lookback: 10, k: 2}, weigh_equal]\n");
    expectSameDecisions("name: a\ntype: fixed_mix\nweights: equal\nrebalance: weekly\n",
                        "name: b\ntype: fixed_mix\nweights: {SPY: 0.25, QQQ: 0.25, IWM: 0.25, "
                        "SHY: 0.25}\nrebalance: weekly\n",
                        1);
    const Path path = test::randomPath(30, 4, 5u);
    auto s = test::strategyFromYaml(
        "name: a\ntype: buy_and_hold\nweights: equal\nassets: [QQQ, SHY]\n", kUniverse);
    test::expectWeights(test::runDecisions(*s, path)[0].target, {0.0, 0.5, 0.0, 0.5},
                        "equal over two");
}

// The top asset by 5-day return on day t, found directly from the prices (-1 before day 5).
Index topPick(const Path& p, Index t) {
    if (t < 5) return -1;
    Index best = 0;
    for (Index a = 1; a < p.assets(); ++a)
        if (p.prices(t, a) / p.prices(t - 5, a) > p.prices(t, best) / p.prices(t - 5, best))
            best = a;
    return best;
}

TEST(Stack, OnSignalChangeTradesOnlyWhenThePickChanges) {
    const Path path = test::randomPath(200, 4, 9u);
    auto s = test::strategyFromYaml(
        "name: a\ntype: stack\nsteps: [on_signal_change, select_all, "
        "{step: top_momentum, lookback: 5}, weigh_equal]\n",
        kUniverse);
    const auto decisions = test::runDecisions(*s, path);
    // Checked daily (the last day is never due); day 0 trades (all cash until day 5).
    std::vector<Index> expected{0};
    Index held = -1;
    for (Index t = 1; t + 1 < path.prices.rows(); ++t)
        if (topPick(path, t) != held) {
            held = topPick(path, t);
            expected.push_back(t);
        }
    EXPECT_EQ(test::tradedDays(decisions), expected);
    EXPECT_GT(expected.size(), 10u);
    EXPECT_LT(expected.size(), 150u);
}

TEST(Stack, BottomMomentumHoldsTheLosers) {
    const Path path = test::randomPath(60, 4, 2u);
    auto s = test::strategyFromYaml(
        "name: a\ntype: stack\nsteps: [daily, select_all, {step: bottom_momentum, lookback: 5, "
        "k: 1}, weigh_equal]\n",
        kUniverse);
    const auto decisions = test::runDecisions(*s, path);
    for (Index t = 5; t + 1 < path.prices.rows(); ++t) {
        Index worst = 0;
        for (Index a = 1; a < 4; ++a)
            if (path.prices(t, a) / path.prices(t - 5, a) <
                path.prices(t, worst) / path.prices(t - 5, worst))
                worst = a;
        ASSERT_TRUE(decisions[static_cast<std::size_t>(t)].traded);
        EXPECT_EQ(decisions[static_cast<std::size_t>(t)].target(worst), 1.0) << t;
    }
}

TEST(Stack, RiskStacksNeverLookAhead) {
    const Path path = test::randomPath(120, 4, 4u);
    for (const char* weigh : {"inverse_volatility", "risk_parity", "min_variance"}) {
        const std::string yaml = std::string(
                                     "name: a\ntype: stack\nsafe_asset: SHY\nsteps: [weekly, "
                                     "select_all, {step: trend_filter, window: 10}, {step: ") +
                                 weigh +
                                 ", lookback: 20}, {step: target_volatility, target: 0.1, "
                                 "lookback: 20, max_leverage: 1.5}, {step: max_weight, limit: "
                                 "0.6}, {step: cash_buffer, fraction: 0.05}]\n";
        test::expectNoLookAhead([&] { return test::strategyFromYaml(yaml, kUniverse); }, path);
        const auto d = test::runDecisions(*test::strategyFromYaml(yaml, kUniverse), path);
        EXPECT_GE(test::distinctTargets(d), 5) << weigh;
        for (const auto& x : d)
            if (x.traded) {
                EXPECT_LE(x.target.sum(), 0.95 + 1e-12) << weigh;
                EXPECT_LE(x.target.maxCoeff(), 0.6 + 1e-12) << weigh;
            }
    }
}

// The error for `yaml`, which must point at the first `token` of the text.
void expectErrorAt(const std::string& yaml, const std::string& token, const std::string& what) {
    const std::string msg = test::yamlError(yaml, kUniverse);
    const auto at = test::locate(yaml, token);
    const std::string where = "test.yaml:" + std::to_string(at.line) + ":" +
                              std::to_string(at.column) + ": ";
    EXPECT_EQ(msg.rfind(where, 0), 0u) << msg << "\nexpected at " << where;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
}

TEST(Stack, BadStacksAreLocatedErrors) {
    const std::string head = "name: a\ntype: stack\nsteps:\n";
    expectErrorAt(head + "  - select_all\n  - weigh_equl\n", "weigh_equl",
                  "steps[1]: unknown step 'weigh_equl' (known: daily, drift_band,");
    expectErrorAt(head + "  - select_all\n  - weigh_equal\n  - monthly\n", "monthly",
                  "step 'monthly' is a schedule step after a weigh step");
    expectErrorAt(head + "  - monthly\n  - weigh_equal\n", "weigh_equal",
                  "weigh step 'weigh_equal' has no select step before it");
    expectErrorAt(head + "  - select_all\n  - {step: top_momentum, lookbak: 5}\n", "lookbak",
                  "unknown key 'lookbak'");
    expectErrorAt(head + "  - select_all\n  - top_momentum\n", "top_momentum",
                  "step 'top_momentum' needs 'lookback'");
    expectErrorAt(head + "  - {step: top_momentum, lookback: 5}\n  - weigh_equal\n", "top_momentum",
                  "list assets first");
    expectErrorAt(head + "  - select_all\n  - weigh_equal\n  - risk_parity\n", "risk_parity",
                  "already has a weigh step");
    expectErrorAt(head + "  - select_all\n  - {step: target_volatility, target: 0.1}\n",
                  "target_volatility", "target_volatility scales weights");
    expectErrorAt(head + "  - monthly\n  - weekly\n  - select_all\n  - weigh_equal\n", "weekly",
                  "already has a calendar schedule");
    expectErrorAt(head + "  - select_all\n", "- select_all", "the stack has no weigh step");
    // Two assets capped at 0.4 cannot hold all of equity: 2 x 0.4 = 0.8 < 1.
    expectErrorAt(head +
                      "  - {step: select_assets, assets: [SPY, QQQ, IWM]}\n"
                      "  - {step: top_momentum, lookback: 5, k: 2}\n  - weigh_equal\n"
                      "  - {step: max_weight, limit: 0.4}\n",
                  "0.4", "impossible: the selection holds at most 2 assets and 2 x 0.4 = 0.8 < 1");
    EXPECT_EQ(test::yamlError(head +
                                  "  - {step: select_assets, assets: [SPY, QQQ, IWM]}\n"
                                  "  - {step: top_momentum, lookback: 5, k: 2}\n  - weigh_equal\n"
                                  "  - {step: max_weight, limit: 0.4, allow_cash: true}\n",
                              kUniverse),
              "");
    // With a safe asset the filters may add a third asset: 3 x 0.4 >= 1 is possible.
    EXPECT_EQ(test::yamlError("name: a\ntype: stack\nsafe_asset: SHY\nsteps:\n"
                              "  - {step: select_assets, assets: [SPY, QQQ, IWM]}\n"
                              "  - {step: top_momentum, lookback: 5, k: 2}\n  - weigh_equal\n"
                              "  - {step: max_weight, limit: 0.4}\n",
                              kUniverse),
              "");
    expectErrorAt(head + "  - select_all\n  - weigh_equal\n  - {step: cash_buffer, fraction: 1}\n",
                  "1}", "expected a number in [0, 1)");
    expectErrorAt("name: a\ntype: stack\nstepz: []\n", "stepz", "unknown key 'stepz'");
}

TEST(Stack, AnchorsShareStepsBetweenStrategies) {
    // One anchored step list and one anchored step, reused through aliases.
    const ConfigNode doc = loadYamlString(R"(
- name: core
  type: stack
  steps: &core [weekly, select_all, &mom {step: top_momentum, lookback: 10, k: 2}, weigh_equal]
- name: same
  type: stack
  steps: *core
- name: inverse_vol
  type: stack
  steps: [weekly, select_all, *mom, inverse_volatility]
- name: spelled_out
  type: stack
  steps: [weekly, select_all, {step: top_momentum, lookback: 10, k: 2}, inverse_volatility]
)",
                                          "anchors.yaml");
    const Path path = test::randomPath(300, 4, 8u);
    std::vector<std::vector<test::Decision>> d;
    for (const auto& spec : doc.items())
        d.push_back(test::runDecisions(
            *strategies::builtinRegistry().create(spec.getString("name"), spec, kUniverse), path));
    const auto same = [](const auto& a, const auto& b) {
        for (std::size_t t = 0; t < a.size(); ++t)
            if (a[t].traded != b[t].traded || (a[t].traded && a[t].target != b[t].target))
                return false;
        return true;
    };
    EXPECT_TRUE(same(d[0], d[1]));
    EXPECT_TRUE(same(d[2], d[3]));
    EXPECT_FALSE(same(d[0], d[2]));  // equal and inverse-volatility weights differ
}

TEST(Stack, EveryStepIsDocumentedWithItsParameters) {
    const StackStepRegistry& steps = strategies::builtinRegistry().steps();
    std::set<std::string> phases;
    for (const auto& n : steps.names()) {
        const StepDefinition& d = steps.at(n);
        EXPECT_FALSE(d.summary.empty()) << n;
        phases.insert(phaseName(d.phase));
        for (const auto& p : d.parameters) EXPECT_FALSE(p.kind.empty() || p.rule.empty()) << n;
    }
    EXPECT_EQ(phases.size(), 4u);
    EXPECT_EQ(steps.names().front(), "daily");  // schedule steps first
    EXPECT_EQ(steps.names().back(), "min_weight");
}

}  // namespace stack_test
}  // namespace
}  // namespace rotor
