// SPDX-License-Identifier: MIT
// Builds a forward scenario's path generator from its `model:` block (factor, analog,
// bootstrap) with the macro overlays (`refinancing_wall:`, `bifurcation:`) applied in order.
#pragma once

#include "engine/config/scenario_config.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>

namespace rotor {

std::unique_ptr<PathGenerator> buildGenerator(const ScenarioSpec& spec, const GeneratorContext& ctx);

}  // namespace rotor
