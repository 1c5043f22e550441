// SPDX-License-Identifier: MIT
// The building blocks a YAML `type: stack` strategy lists under `steps:`, registered by name
// with their phase and typed parameters (strategies/stack/steps.cpp fills the registry). A
// step's builder reads its YAML map and adds its algo to the stack being drafted.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/algos/context.hpp"
#include "engine/strategy/registry.hpp"
#include "engine/strategy/schedule.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// A stack runs its steps phase by phase; YAML must list them in this order.
enum class StepPhase { Schedule, Select, Weigh, Constrain };
const char* phaseName(StepPhase phase);  // "schedule", "select", ...

// What the steps of one stack build, in YAML order.
struct StackDraft {
    const Universe* universe = nullptr;
    Index safeAsset = kCash;  // the stack's `safe_asset`: where rejected slots go
    // Schedule pieces, combined with OR when the stack is finished.
    std::optional<Period> period;
    long everyDays = 0;
    double band = 0.0;
    bool onSignalChange = false;
    std::vector<std::shared_ptr<const SelectAlgo>> select;
    std::shared_ptr<const WeighAlgo> weigh;
    // Weight modifiers (weigh phase, after the first weigh step) and constrain steps, in order.
    std::vector<std::shared_ptr<const ConstrainAlgo>> constrain;
    // An upper bound on the distinct assets the selection can hold so far (0 before any select),
    // for rejecting constraints no selection can meet.
    Index maxHeld = 0;
    // The largest sum of weights the steps so far can produce (checked on every rebalance).
    double maxGross = 1.0;
    bool ranked = false;  // a ranking step (top_momentum, bottom_momentum) has been added
    // Entries of the per-path memory the stateful steps claimed so far (see AlgoStack).
    std::size_t memorySize = 0;
};

// Reads the step's YAML (a map holding `step` and the parameters, or the bare step name when
// it has no required parameter) into the draft; errors are ConfigErrors at the offending node.
using StepBuilder = std::function<void(const ConfigNode& step, StackDraft& draft)>;

struct StepDefinition {
    std::string name;  // the YAML `step:` value
    StepPhase phase = StepPhase::Select;
    std::string summary;
    std::vector<StrategyParameter> parameters;  // every key the builder reads besides `step`
    StepBuilder build;
};

class StackStepRegistry {
public:
    // Throws rotor::Error on a duplicate name.
    void add(StepDefinition step);
    const StepDefinition* find(const std::string& name) const;  // nullptr when unknown
    std::vector<std::string> names() const;                     // in phase order, then by name
    const StepDefinition& at(const std::string& name) const;

private:
    std::map<std::string, StepDefinition> steps_;
};

}  // namespace rotor
