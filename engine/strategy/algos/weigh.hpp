// SPDX-License-Identifier: MIT
// Weigh steps: turn the selected slots into target weights.
#pragma once

#include "engine/strategy/algos/context.hpp"

namespace rotor {

// Each slot gets 1 / (number of slots); kCash slots stay in cash. No slots: all cash.
class EqualWeight final : public WeighAlgo {
public:
    void weigh(RebalanceContext& ctx) const override;
};

// Each selected asset gets its fixed weight (size N; unselected assets get 0).
class FixedWeights final : public WeighAlgo {
public:
    explicit FixedWeights(Vector weights) : weights_(std::move(weights)) {}
    void weigh(RebalanceContext& ctx) const override;
    const Vector& weights() const { return weights_; }

private:
    Vector weights_;
};

}  // namespace rotor
