// SPDX-License-Identifier: MIT
#include "strategies/register_builtin.hpp"

namespace rotor::strategies {

void registerBuiltinStrategies(StrategyRegistry& registry) {
    (void)registry;
}

}  // namespace rotor::strategies
