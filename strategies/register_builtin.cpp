// SPDX-License-Identifier: MIT
#include "strategies/register_builtin.hpp"

#include "strategies/baseline/buy_and_hold.hpp"
#include "strategies/baseline/fixed_mix.hpp"
#include "strategies/macro/rate_regime.hpp"
#include "strategies/momentum/dual_momentum.hpp"
#include "strategies/momentum/relative_momentum.hpp"
#include "strategies/momentum/trend_filter.hpp"
#include "strategies/stack/named_stack.hpp"
#include "strategies/stack/stack.hpp"

namespace rotor::strategies {

namespace {

// The keys each factory reads, as docs/strategies.md tables them. Defaults are the YAML values
// the parsers fall back to (tests/strategies/register_builtin_test.cpp checks both against the
// parsers: the keys they accept, and that writing a default out changes nothing).
StrategyParameter weights() {
    return {"weights", "weights", true, "",
            "map {asset: weight}; each >= 0, sum <= 3; or equal (1/n over assets)"};
}
StrategyParameter equalAssets() {
    return {"assets", "asset list", false, "",
            "only with weights: equal, the assets sharing it (none: every universe column)"};
}
StrategyParameter assets(const char* key, const char* rule) {
    return {key, "asset list", true, "", rule};
}
StrategyParameter safeAsset() {
    return {"safe_asset", "asset", false, "", "fallback for rejected slots (none: cash)"};
}
StrategyParameter rebalance() {
    return {"rebalance", "schedule", false, "monthly",
            "never, daily ... yearly, {every, every_days, band}"};
}
std::vector<StrategyParameter> momentum() {
    return {assets("assets", "candidates; order breaks ties"),
            {"lookback", "integer", true, "", "[1, 100000] trading days"},
            {"skip", "integer", false, "0", "[0, 100000] most recent trading days left out"},
            {"top_k", "integer", false, "1",
             "[1, 100000] assets held; min(top_k, number of assets)"},
            safeAsset(),
            rebalance()};
}

}  // namespace

void registerBuiltinStrategies(StrategyRegistry& registry) {
    registry.add("buy_and_hold", &makeBuyAndHold, "buy fixed weights on day 0 and never rebalance",
                 {weights(), equalAssets()});
    registry.add("fixed_mix", &makeFixedMix,
                 "rebalance to fixed weights on a schedule (default monthly)",
                 {weights(), equalAssets(), rebalance()});
    registry.add("relative_momentum", &makeRelativeMomentum,
                 "hold the top_k assets by lookback return, equally weighted", momentum());
    registry.add("dual_momentum", &makeDualMomentum,
                 "relative momentum; picks that trail cash go to the safe asset", momentum());
    registry.add("trend_filter", &makeTrendFilter,
                 "hold each asset while above its moving average, else the safe asset",
                 {assets("assets", "each holds 1/n while above its moving average"),
                  {"window", "integer", true, "", "[2, 100000] closes in the moving average"},
                  safeAsset(),
                  rebalance()});
    registry.add("rate_regime", &makeRateRegime,
                 "hold easing_assets while the policy rate is falling, else other_assets",
                 {assets("easing_assets", "held while the rate falls"),
                  {"other_assets", "asset list", false, "",
                   "held otherwise (none: all safe_asset, or cash)"},
                  {"lookback", "integer", true, "", "[1, 100000] trading days"},
                  {"threshold_bp", "number", false, "0", "[0, 10000] basis points of fall"},
                  safeAsset(),
                  rebalance()});
    registerBuiltinSteps(registry.steps());
    registry.add("stack", stackFactory(registry.sharedSteps()),
                 "a list of steps: schedule -> select -> weigh -> constrain (see the steps below)",
                 {{"steps", "step list", true, "",
                   "schedule, select, weigh and constrain steps, in that order"},
                  {"safe_asset", "asset", false, "",
                   "where filters and unfilled lookbacks send a slot (none: cash)"}});
    registerRotationLibrary(registry);
}

const StrategyRegistry& builtinRegistry() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        registerBuiltinStrategies(r);
        return r;
    }();
    return registry;
}

}  // namespace rotor::strategies
