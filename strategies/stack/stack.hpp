// SPDX-License-Identifier: MIT
// `type: stack`: a strategy written in YAML as a list of registered steps (schedule -> select ->
// weigh -> constrain), checked for order and parameters with located errors.
#pragma once

#include "engine/strategy/registry.hpp"
#include "engine/strategy/stack_steps.hpp"

#include <memory>

namespace rotor::strategies {

// Registers the built-in steps (docs/strategies.md lists them): one add() per building block.
void registerBuiltinSteps(StackStepRegistry& r);

// The StrategyFactory of `type: stack`, reading steps from `steps` (shared, so the factory
// outlives any copy of the registry that holds it). Keys: name, type, steps, safe_asset.
StrategyFactory stackFactory(std::shared_ptr<const StackStepRegistry> steps);

}  // namespace rotor::strategies
