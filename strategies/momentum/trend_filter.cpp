// SPDX-License-Identifier: MIT
#include "strategies/momentum/trend_filter.hpp"

#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "strategies/common/params.hpp"

namespace rotor::strategies {

TrendFilterParams TrendFilterParams::fromYaml(const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly({"name", "type", "assets", "window", "safe_asset", "rebalance"});
    TrendFilterParams p;
    p.universeSize = universe.size();
    p.assets = parseAssetList(spec.at("assets"), universe);
    p.window = parseInt(spec, "window", 2, 100000);
    p.safeAsset = parseSafeAsset(spec, universe);
    p.rebalance = parseRebalance(spec, p.rebalance);
    return p;
}

std::unique_ptr<Strategy> buildTrendFilter(const std::string& name,
                                           const TrendFilterParams& params) {
    AlgoStack stack;
    stack.schedule = params.rebalance;
    stack.select = {std::make_shared<SelectAssets>(params.assets),
                    std::make_shared<FilterTrend>(params.window, params.safeAsset)};
    stack.weigh = std::make_shared<EqualWeight>();
    stack.constrain = {std::make_shared<RequireLongOnly>(1.0)};
    return std::make_unique<AlgoStrategy>(name, params.universeSize, std::move(stack));
}

std::unique_ptr<Strategy> makeTrendFilter(const std::string& name, const ConfigNode& spec,
                                          const Universe& universe) {
    return buildTrendFilter(name, TrendFilterParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
