// SPDX-License-Identifier: MIT
#include "strategies/baseline/fixed_mix.hpp"

#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "strategies/common/params.hpp"

namespace rotor::strategies {

FixedMixParams FixedMixParams::fromYaml(const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly({"name", "type", "weights", "assets", "rebalance"});
    FixedMixParams p;
    p.weights = parseWeightsOrEqual(spec, universe);
    p.rebalance = parseRebalance(spec, p.rebalance);
    return p;
}

std::unique_ptr<Strategy> buildFixedMix(const std::string& name, const FixedMixParams& params) {
    std::vector<Index> held;
    for (Index i = 0; i < params.weights.size(); ++i)
        if (params.weights(i) > 0.0) held.push_back(i);
    AlgoStack stack;
    stack.schedule = params.rebalance;
    stack.select = {std::make_shared<SelectAssets>(held)};
    stack.weigh = std::make_shared<FixedWeights>(params.weights);
    stack.constrain = {std::make_shared<RequireLongOnly>(kMaxGrossWeight)};
    return std::make_unique<AlgoStrategy>(name, params.weights.size(), std::move(stack));
}

std::unique_ptr<Strategy> makeFixedMix(const std::string& name, const ConfigNode& spec,
                                       const Universe& universe) {
    return buildFixedMix(name, FixedMixParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
