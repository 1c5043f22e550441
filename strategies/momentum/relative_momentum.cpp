// SPDX-License-Identifier: MIT
#include "strategies/momentum/relative_momentum.hpp"

#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "strategies/common/params.hpp"

namespace rotor::strategies {

MomentumParams MomentumParams::fromYaml(const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly(
        {"name", "type", "assets", "lookback", "skip", "top_k", "safe_asset", "rebalance"});
    MomentumParams p;
    p.universeSize = universe.size();
    p.assets = parseAssetList(spec.at("assets"), universe);
    p.lookback = parseInt(spec, "lookback", 1, 100000);
    p.skip = parseInt(spec, "skip", 0, 0, 100000);
    // More than the candidates holds them all (min(k, N)), as SelectTopMomentum does.
    p.topK = parseInt(spec, "top_k", 1, 1, 100000);
    p.safeAsset = parseSafeAsset(spec, universe);
    p.rebalance = parseRebalance(spec, p.rebalance);
    return p;
}

std::unique_ptr<Strategy> buildRelativeMomentum(const std::string& name,
                                                const MomentumParams& params) {
    AlgoStack stack;
    stack.schedule = params.rebalance;
    stack.select = {std::make_shared<SelectAssets>(params.assets),
                    std::make_shared<SelectTopMomentum>(params.lookback, params.skip, params.topK,
                                                        params.safeAsset)};
    stack.weigh = std::make_shared<EqualWeight>();
    stack.constrain = {std::make_shared<RequireLongOnly>(1.0)};
    return std::make_unique<AlgoStrategy>(name, params.universeSize, std::move(stack));
}

std::unique_ptr<Strategy> makeRelativeMomentum(const std::string& name, const ConfigNode& spec,
                                               const Universe& universe) {
    return buildRelativeMomentum(name, MomentumParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
