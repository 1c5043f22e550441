// SPDX-License-Identifier: MIT
#include "strategies/stack/stack.hpp"

#include "engine/strategy/algos/algo_strategy.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "strategies/common/params.hpp"

#include <string>
#include <vector>

namespace rotor::strategies {

namespace {

std::string knownSteps(const StackStepRegistry& steps) {
    std::string out;
    for (const auto& n : steps.names()) out += (out.empty() ? "" : ", ") + n;
    return out;
}

Schedule finishSchedule(const StackDraft& d) {
    Schedule s;
    if (d.period)
        s = Schedule::periodic(*d.period);
    else if (d.everyDays > 0)
        s = Schedule::everyDays(d.everyDays);
    else if (d.onSignalChange)
        s = Schedule::periodic(Period::Daily);  // checked every day, traded on a change
    else if (d.band <= 0.0)
        s = Schedule::periodic(Period::Monthly);  // the presets' default
    return d.band > 0.0 ? s.orBand(d.band) : s;
}

std::unique_ptr<Strategy> buildStack(const StackStepRegistry& steps, const std::string& name,
                                     const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly({"name", "type", "steps", "safe_asset"});
    StackDraft d;
    d.universe = &universe;
    d.safeAsset = parseSafeAsset(spec, universe);
    const ConfigNode list = spec.at("steps");
    const auto items = list.items();  // fails unless a sequence
    if (items.empty()) list.fail("expected at least one step");
    StepPhase phase = StepPhase::Schedule;
    for (const auto& item : items) {
        if (!item.isMap() && !item.isScalar())
            item.fail("expected a step name or a map with 'step' and its parameters");
        const ConfigNode nameNode = item.isMap() ? item.at("step") : item;
        const std::string stepName = nameNode.asString();
        const StepDefinition* def = steps.find(stepName);
        if (def == nullptr)
            nameNode.fail("unknown step '" + stepName + "' (known: " + knownSteps(steps) + ")");
        if (item.isMap()) {
            std::vector<std::string> allowed{"step"};
            for (const auto& p : def->parameters) allowed.push_back(p.key);
            item.allowOnly(allowed);
        } else {
            for (const auto& p : def->parameters)
                if (p.required)
                    nameNode.fail("step '" + stepName + "' needs '" + p.key +
                                  "': write it as a map {step: " + stepName + ", " + p.key +
                                  ": ...}");
        }
        if (def->phase < phase)
            nameNode.fail(std::string("step '") + stepName + "' is a " + phaseName(def->phase) +
                          " step after a " + phaseName(phase) +
                          " step (order: schedule, select, weigh, constrain)");
        if (def->phase == StepPhase::Weigh && d.select.empty())
            nameNode.fail("weigh step '" + stepName + "' has no select step before it");
        phase = def->phase;
        def->build(item, d);
    }
    if (!d.weigh) list.fail("the stack has no weigh step (e.g. weigh_equal)");
    AlgoStack stack;
    stack.schedule = finishSchedule(d);
    stack.onSignalChange = d.onSignalChange;
    stack.select = std::move(d.select);
    stack.weigh = std::move(d.weigh);
    stack.constrain = std::move(d.constrain);
    stack.memorySize = d.memorySize;
    // The long-only sanity check every preset ends with, at the stack's own gross limit.
    stack.constrain.push_back(std::make_shared<RequireLongOnly>(d.maxGross));
    return std::make_unique<AlgoStrategy>(name, universe.size(), std::move(stack));
}

}  // namespace

StrategyFactory stackFactory(std::shared_ptr<const StackStepRegistry> steps) {
    return [steps = std::move(steps)](const std::string& name, const ConfigNode& spec,
                                      const Universe& universe) {
        return buildStack(*steps, name, spec, universe);
    };
}

}  // namespace rotor::strategies
