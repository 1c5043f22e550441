// SPDX-License-Identifier: MIT
// The one explicit list of built-in strategies, keyed by their YAML `type`.
#pragma once

#include "engine/strategy/registry.hpp"

namespace rotor::strategies {

void registerBuiltinStrategies(StrategyRegistry& registry);

// A registry holding exactly the built-in strategies, built on first use.
const StrategyRegistry& builtinRegistry();

}  // namespace rotor::strategies
