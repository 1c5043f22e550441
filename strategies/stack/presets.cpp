// SPDX-License-Identifier: MIT
// The six presets as named stacks, one addNamedStack() each (docs/strategies.md, "Built-in
// types"). Each keeps the keys, defaults and error locations it had as a hand-written class, and
// expands to the steps that class chained, so its results are the same bit for bit.
#include "strategies/stack/named_stack.hpp"

namespace rotor::strategies {

namespace {

using Kind = NamedStackParameter::Kind;

NamedStackParameter weights() {
    return {{"weights", "weights", true, "",
             "map {asset: weight}; each >= 0, sum <= 3; or equal (1/n over assets)"},
            Kind::Weights};
}
NamedStackParameter equalAssets() {
    return {{"assets", "asset list", false, "",
             "only with weights: equal, the assets sharing it (none: every universe column)"},
            Kind::EqualAssets};
}
NamedStackParameter assets(const char* key, const char* rule) {
    return {{key, "asset list", true, "", rule}, Kind::AssetList};
}
NamedStackParameter integer(const char* key, bool required, const char* dflt, long lo, long hi,
                            const char* rule) {
    return {{key, "integer", required, dflt, rule},
            Kind::Integer,
            static_cast<double>(lo),
            static_cast<double>(hi)};
}
NamedStackParameter safeAsset() {
    return {{"safe_asset", "asset", false, "", "fallback for rejected slots (none: cash)"},
            Kind::Asset};
}
std::vector<NamedStackParameter> momentum() {
    return {assets("assets", "candidates; order breaks ties"),
            integer("lookback", true, "", 1, 100000, "[1, 100000] trading days"),
            integer("skip", false, "0", 0, 100000, "[0, 100000] most recent trading days left out"),
            integer("top_k", false, "1", 1, 100000,
                    "[1, 100000] assets held; min(top_k, number of assets)"),
            safeAsset(),
            rebalanceParameter()};
}

}  // namespace

void registerPresets(StrategyRegistry& registry) {
    addNamedStack(registry, {"buy_and_hold",
                             "buy fixed weights on day 0 and never rebalance",
                             {weights(), equalAssets()},
                             "- never\n"
                             "- ${weights}\n"});
    addNamedStack(registry, {"fixed_mix",
                             "rebalance to fixed weights on a schedule (default monthly)",
                             {weights(), equalAssets(), rebalanceParameter()},
                             "- ${rebalance}\n"
                             "- ${weights}\n"});
    addNamedStack(registry,
                  {"relative_momentum",
                   "hold the top_k assets by lookback return, equally weighted", momentum(),
                   "- ${rebalance}\n"
                   "- {step: select_assets, assets: ${assets}}\n"
                   "- {step: top_momentum, lookback: ${lookback}, skip: ${skip}, k: ${top_k}}\n"
                   "- weigh_equal\n"});
    addNamedStack(registry,
                  {"dual_momentum", "relative momentum; picks that trail cash go to the safe asset",
                   momentum(),
                   "- ${rebalance}\n"
                   "- {step: select_assets, assets: ${assets}}\n"
                   "- {step: top_momentum, lookback: ${lookback}, skip: ${skip}, k: ${top_k}}\n"
                   "- {step: absolute_momentum, lookback: ${lookback}, skip: ${skip}}\n"
                   "- weigh_equal\n"});
    addNamedStack(registry, {"trend_filter",
                             "hold each asset while above its moving average, else the safe asset",
                             {assets("assets", "each holds 1/n while above its moving average"),
                              integer("window", true, "", 2, 100000,
                                      "[2, 100000] closes in the moving average"),
                              safeAsset(), rebalanceParameter()},
                             "- ${rebalance}\n"
                             "- {step: select_assets, assets: ${assets}}\n"
                             "- {step: trend_filter, window: ${window}}\n"
                             "- weigh_equal\n"});
    addNamedStack(registry,
                  {"rate_regime",
                   "hold easing_assets while the policy rate is falling, else other_assets",
                   {assets("easing_assets", "held while the rate falls"),
                    {{"other_assets", "asset list", false, "",
                      "held otherwise (none: all safe_asset, or cash)"},
                     Kind::AssetList},
                    integer("lookback", true, "", 1, 100000, "[1, 100000] trading days"),
                    {{"threshold_bp", "number", false, "0", "[0, 10000] basis points of fall"},
                     Kind::Number,
                     0.0,
                     10000.0},
                    safeAsset(),
                    rebalanceParameter()},
                   "- ${rebalance}\n"
                   "- {step: rate_falling, easing_assets: ${easing_assets}, other_assets: "
                   "${other_assets}, "
                   "lookback: ${lookback}, threshold_bp: ${threshold_bp}}\n"
                   "- weigh_equal\n"});
}

}  // namespace rotor::strategies
