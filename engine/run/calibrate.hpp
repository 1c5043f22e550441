// SPDX-License-Identifier: MIT
// `rotor calibrate`: a forward scenario's factor model estimated from its `model.calibrate`
// block, as the resolved `model:` YAML (with standard errors and R²) ready to paste back.
#pragma once

#include "engine/run/commands.hpp"
#include "engine/strategy/registry.hpp"

#include <string>

namespace rotor {

// The text `rotor calibrate` prints: a few `#` comment lines (window, data cut-off, files read)
// and the calibrated model block. `source` must hold one forward scenario whose model is of
// type `factor` (with a `calibrate` block) or `regime`; anything else is an InputError.
std::string calibrationReport(const ScenarioInput& source, const StrategyRegistry& registry);

}  // namespace rotor
