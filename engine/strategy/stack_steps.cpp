// SPDX-License-Identifier: MIT
#include "engine/strategy/stack_steps.hpp"

#include "engine/core/error.hpp"

#include <algorithm>

namespace rotor {

const char* phaseName(StepPhase phase) {
    switch (phase) {
        case StepPhase::Schedule: return "schedule";
        case StepPhase::Select: return "select";
        case StepPhase::Weigh: return "weigh";
        case StepPhase::Constrain: return "constrain";
    }
    return "?";
}

void StackStepRegistry::add(StepDefinition step) {
    ROTOR_REQUIRE(!steps_.contains(step.name), "duplicate stack step '" << step.name << "'");
    ROTOR_REQUIRE(step.build != nullptr, "stack step '" << step.name << "' has no builder");
    const std::string name = step.name;
    steps_.emplace(name, std::move(step));
}

const StepDefinition* StackStepRegistry::find(const std::string& name) const {
    const auto it = steps_.find(name);
    return it == steps_.end() ? nullptr : &it->second;
}

const StepDefinition& StackStepRegistry::at(const std::string& name) const {
    const StepDefinition* s = find(name);
    ROTOR_REQUIRE(s != nullptr, "unknown stack step '" << name << "'");
    return *s;
}

std::vector<std::string> StackStepRegistry::names() const {
    std::vector<const StepDefinition*> all;
    for (const auto& kv : steps_) all.push_back(&kv.second);
    std::stable_sort(all.begin(), all.end(), [](const auto* a, const auto* b) {
        return static_cast<int>(a->phase) < static_cast<int>(b->phase);
    });
    std::vector<std::string> out;
    for (const auto* s : all) out.push_back(s->name);
    return out;
}

}  // namespace rotor
