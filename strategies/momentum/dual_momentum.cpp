// SPDX-License-Identifier: MIT
#include "strategies/momentum/dual_momentum.hpp"

#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"

namespace rotor::strategies {

std::unique_ptr<Strategy> buildDualMomentum(const std::string& name, const MomentumParams& params) {
    AlgoStack stack;
    stack.schedule = params.rebalance;
    stack.select = {std::make_shared<SelectAssets>(params.assets),
                    std::make_shared<SelectTopMomentum>(params.lookback, params.skip, params.topK,
                                                        params.safeAsset),
                    std::make_shared<FilterAbsoluteMomentum>(params.lookback, params.skip,
                                                             params.safeAsset)};
    stack.weigh = std::make_shared<EqualWeight>();
    stack.constrain = {std::make_shared<RequireLongOnly>(1.0)};
    return std::make_unique<AlgoStrategy>(name, params.universeSize, std::move(stack));
}

std::unique_ptr<Strategy> makeDualMomentum(const std::string& name, const ConfigNode& spec,
                                           const Universe& universe) {
    return buildDualMomentum(name, MomentumParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
