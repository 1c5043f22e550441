// SPDX-License-Identifier: MIT
// dual_momentum: relative momentum (top_k by lookback return), then an absolute filter: each
// pick whose lookback return is below cash's over the same days goes to the safe asset (or cash).
#pragma once

#include "strategies/momentum/relative_momentum.hpp"

namespace rotor::strategies {

// Same parameters and YAML keys as relative_momentum.
std::unique_ptr<Strategy> buildDualMomentum(const std::string& name, const MomentumParams& params);
// StrategyFactory for `type: dual_momentum`.
std::unique_ptr<Strategy> makeDualMomentum(const std::string& name, const ConfigNode& spec,
                                           const Universe& universe);

}  // namespace rotor::strategies
