// SPDX-License-Identifier: MIT
#include "strategies/macro/rate_regime.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "strategies/common/params.hpp"

namespace rotor::strategies {

SelectRateRegime::SelectRateRegime(std::vector<Index> easing, std::vector<Index> other,
                                   long lookback, double thresholdBp, Index fallback)
    : easing_(std::move(easing)),
      other_(std::move(other)),
      lookback_(lookback),
      thresholdPercent_(thresholdBp / 100.0),
      fallback_(fallback) {
    ROTOR_REQUIRE(lookback >= 1, "rate regime needs lookback >= 1, got " << lookback);
}

void SelectRateRegime::select(RebalanceContext& ctx) const {
    const Index t = ctx.today();
    auto& sel = ctx.selected;
    sel.clear();
    if (t - lookback_ < ctx.view->firstDay()) {
        sel.push_back(fallback_);
        return;
    }
    const MarketView& v = *ctx.view;
    const bool easing = v.cashRate(t) < v.cashRate(t - lookback_) - thresholdPercent_;
    if (!easing && other_.empty()) {
        sel.push_back(fallback_);
        return;
    }
    for (Index a : easing ? easing_ : other_) sel.push_back(a);
}

RateRegimeParams RateRegimeParams::fromYaml(const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly({"name", "type", "easing_assets", "other_assets", "lookback", "threshold_bp",
                    "safe_asset", "rebalance"});
    RateRegimeParams p;
    p.universeSize = universe.size();
    p.easingAssets = parseAssetList(spec.at("easing_assets"), universe);
    if (const auto other = spec.find("other_assets"))
        p.otherAssets = parseAssetList(*other, universe);
    p.lookback = parseInt(spec, "lookback", 1, 100000);
    if (const auto th = spec.find("threshold_bp")) p.thresholdBp = th->asDoubleIn(0.0, 10000.0);
    p.safeAsset = parseSafeAsset(spec, universe);
    p.rebalance = parseRebalance(spec, p.rebalance);
    return p;
}

std::unique_ptr<Strategy> buildRateRegime(const std::string& name, const RateRegimeParams& params) {
    AlgoStack stack;
    stack.schedule = params.rebalance;
    stack.select = {std::make_shared<SelectRateRegime>(params.easingAssets, params.otherAssets,
                                                       params.lookback, params.thresholdBp,
                                                       params.safeAsset)};
    stack.weigh = std::make_shared<EqualWeight>();
    stack.constrain = {std::make_shared<RequireLongOnly>(1.0)};
    return std::make_unique<AlgoStrategy>(name, params.universeSize, std::move(stack));
}

std::unique_ptr<Strategy> makeRateRegime(const std::string& name, const ConfigNode& spec,
                                         const Universe& universe) {
    return buildRateRegime(name, RateRegimeParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
