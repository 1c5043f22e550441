// SPDX-License-Identifier: MIT
#include "strategies/register_builtin.hpp"

#include "strategies/stack/named_stack.hpp"
#include "strategies/stack/stack.hpp"

namespace rotor::strategies {

void registerBuiltinStrategies(StrategyRegistry& registry) {
    registerBuiltinSteps(registry.steps());
    registerPresets(registry);
    registry.add("stack", stackFactory(registry.sharedSteps()),
                 "a list of steps: schedule -> select -> weigh -> constrain (see the steps below)",
                 {{"steps", "step list", true, "",
                   "schedule, select, weigh and constrain steps, in that order"},
                  {"safe_asset", "asset", false, "",
                   "where filters and unfilled lookbacks send a slot (none: cash)"}});
    registerRotationLibrary(registry);
}

const StrategyRegistry& builtinRegistry() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        registerBuiltinStrategies(r);
        return r;
    }();
    return registry;
}

}  // namespace rotor::strategies
