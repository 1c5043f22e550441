// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/weigh.hpp"

#include "engine/core/error.hpp"

namespace rotor {

void EqualWeight::weigh(RebalanceContext& ctx) const {
    ctx.weights.setZero();
    if (ctx.selected.empty()) return;
    const double w = 1.0 / static_cast<double>(ctx.selected.size());
    for (Index slot : ctx.selected)
        if (slot != kCash) ctx.weights(slot) += w;
}

void FixedWeights::weigh(RebalanceContext& ctx) const {
    ROTOR_REQUIRE(weights_.size() == ctx.weights.size(),
                  "fixed weights for " << weights_.size() << " assets, universe has "
                                       << ctx.weights.size());
    ctx.weights.setZero();
    for (Index slot : ctx.selected)
        if (slot != kCash) ctx.weights(slot) = weights_(slot);
}

}  // namespace rotor
