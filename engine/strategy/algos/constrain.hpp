// SPDX-License-Identifier: MIT
// Constrain steps: adjust or check the weights before they reach the engine.
#pragma once

#include "engine/strategy/algos/context.hpp"

namespace rotor {

// Long-only sanity check: every weight finite and >= 0 and their sum <= maxGross (+1e-9).
// A sum above 1 is leverage (negative cash, borrowed at the cash rate plus the borrow spread).
// Throws rotor::Error naming the day and the offending value: a strategy bug, not user input.
class RequireLongOnly final : public ConstrainAlgo {
public:
    explicit RequireLongOnly(double maxGross) : maxGross_(maxGross) {}
    void constrain(RebalanceContext& ctx) const override;

private:
    double maxGross_;
};

}  // namespace rotor
