// SPDX-License-Identifier: MIT
// The rotation library: named stacks for the small- versus large-cap debate, one
// addNamedStack() each (docs/strategies.md, "The rotation library").
#include "strategies/stack/named_stack.hpp"

namespace rotor::strategies {

namespace {

using Kind = NamedStackParameter::Kind;

NamedStackParameter integer(const char* key, const char* dflt, long lo, long hi, const char* rule) {
    return {{key, "integer", dflt[0] == '\0', dflt, rule},
            Kind::Integer,
            static_cast<double>(lo),
            static_cast<double>(hi)};
}
NamedStackParameter positive(const char* key, const char* dflt, double hi, const char* rule) {
    return {{key, "number", dflt[0] == '\0', dflt, rule}, Kind::PositiveNumber, 0.0, hi};
}
NamedStackParameter number(const char* key, const char* dflt, double lo, double hi,
                           const char* rule) {
    return {{key, "number", dflt[0] == '\0', dflt, rule}, Kind::Number, lo, hi};
}
NamedStackParameter assetList(const char* key, const char* rule) {
    return {{key, "asset list", true, "", rule}, Kind::AssetList};
}
NamedStackParameter asset(const char* key, const char* rule) {
    return {{key, "asset", true, "", rule}, Kind::Asset};
}
NamedStackParameter safeAsset() {
    return {{"safe_asset", "asset", false, "", "where unfilled lookbacks send a slot (none: cash)"},
            Kind::Asset};
}
// The core rotation's ranking: top_k of `assets` by lookback return.
std::vector<NamedStackParameter> coreRotation(const char* topK) {
    return {assetList("assets", "candidates, e.g. [SPY, QQQ, IWM]; order breaks ties"),
            integer("lookback", "126", 1, 100000, "[1, 100000] trading days of return"),
            integer("skip", "0", 0, 100000, "[0, 100000] most recent trading days left out"),
            integer("top_k", topK, 1, 100000, "[1, 100000] assets held; min(top_k, n)"),
            integer("vol_lookback", "63", 2, 100000, "[2, 100000] daily returns in the covariance"),
            safeAsset(),
            rebalanceParameter()};
}

}  // namespace

void registerRotationLibrary(StrategyRegistry& registry) {
    addNamedStack(registry,
                  {"risk_parity_rotation",
                   "the core rotation: top_k by lookback return, risk-parity weighted",
                   coreRotation("2"),
                   "- ${rebalance}\n"
                   "- {step: select_assets, assets: ${assets}}\n"
                   "- {step: top_momentum, lookback: ${lookback}, skip: ${skip}, k: ${top_k}}\n"
                   "- {step: risk_parity, lookback: ${vol_lookback}}\n"});

    auto volTarget = coreRotation("1");
    volTarget.insert(volTarget.end() - 2,
                     {positive("target", "0.15", 10.0, "(0, 10] annualised volatility target"),
                      positive("max_leverage", "1", 3.0, "(0, 3] largest sum of weights")});
    addNamedStack(registry,
                  {"vol_target_rotation",
                   "the core rotation, equal weighted, scaled to a volatility target", volTarget,
                   "- ${rebalance}\n"
                   "- {step: select_assets, assets: ${assets}}\n"
                   "- {step: top_momentum, lookback: ${lookback}, skip: ${skip}, k: ${top_k}}\n"
                   "- weigh_equal\n"
                   "- {step: target_volatility, target: ${target}, lookback: ${vol_lookback}, "
                   "max_leverage: ${max_leverage}}\n"});

    addNamedStack(
        registry,
        {"rates_aware_rotation",
         "small caps once the policy rate has fallen by enter_bp, large caps again when the fall "
         "is below exit_bp",
         {assetList("small_caps", "held while easing, e.g. [IWM]"),
          assetList("large_caps", "held otherwise, e.g. [SPY]"),
          integer("lookback", "126", 1, 100000, "[1, 100000] trading days of rate change"),
          positive("enter_bp", "25", 10000.0, "(0, 10000] fall that moves to small caps"),
          number("exit_bp", "0", 0.0, 10000.0,
                 "[0, enter_bp] fall below which it moves back to large caps"),
          safeAsset(), rebalanceParameter()},
         "- ${rebalance}\n"
         "- {step: rate_regime, easing_assets: ${small_caps}, other_assets: ${large_caps}, "
         "lookback: ${lookback}, enter_bp: ${enter_bp}, exit_bp: ${exit_bp}}\n"
         "- weigh_equal\n"});

    addNamedStack(
        registry,
        {"valuation_rotation",
         "small caps while their valuation discount to large caps is unusually wide (z-score >= "
         "enter_z over the window), large caps again when it is below exit_z",
         {asset("small_cap", "held while the discount is wide, e.g. IWM; needs a valuation"),
          asset("large_cap", "held otherwise, e.g. SPY; needs a valuation"),
          integer("window", "756", 2, 100000, "[2, 100000] trading days of the z-score"),
          number("enter_z", "1", -10.0, 10.0, "[-10, 10] z-score that moves to small caps"),
          number("exit_z", "0", -10.0, 10.0,
                 "[-10, enter_z] z-score below which it moves back to large caps"),
          safeAsset(), rebalanceParameter()},
         "- ${rebalance}\n"
         "- {step: valuation_spread, small: ${small_cap}, large: ${large_cap}, "
         "window: ${window}, enter_z: ${enter_z}, exit_z: ${exit_z}}\n"
         "- weigh_equal\n"});

    addNamedStack(
        registry,
        {"quality_tilt",
         "small caps split between the quality and speculative sleeves in proportion to their "
         "positive risk-adjusted momentum",
         {asset("quality", "the quality sleeve, e.g. IWM_QUALITY"),
          asset("speculative", "the speculative sleeve, e.g. IWM_SPEC"),
          integer("lookback", "126", 2, 100000,
                  "[2, 100000] trading days of return and volatility"),
          integer("skip", "0", 0, 100000, "[0, 100000] most recent trading days left out"),
          safeAsset(), rebalanceParameter()},
         "- ${rebalance}\n"
         "- {step: select_assets, assets: [${quality}, ${speculative}]}\n"
         "- {step: top_momentum, score: risk_adjusted, lookback: ${lookback}, skip: ${skip}, "
         "k: 2}\n"
         "- score_proportional\n"});
}

}  // namespace rotor::strategies
