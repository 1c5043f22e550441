// SPDX-License-Identifier: MIT
// Strategies registered by their YAML `type` name. One registry object is filled by
// strategies/register_builtin.cpp and passed around explicitly (no singleton).
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/strategy.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

class StackStepRegistry;

// Builds a strategy named `name` from its YAML map (the whole `strategies[i]` entry, including
// `name` and `type`); must validate every parameter with located errors and reject unknown keys.
using StrategyFactory = std::function<std::unique_ptr<Strategy>(
    const std::string& name, const ConfigNode& spec, const Universe& universe)>;

// One key of a strategy type's YAML entry (besides `name` and `type`), as `rotor
// list-strategies` and the Python module describe it.
struct StrategyParameter {
    std::string key;
    std::string kind;  // "asset list", "asset", "integer", "number", "weights", "schedule"
    bool required = false;
    std::string defaultValue;  // the YAML value used when the key is absent; "" when required
                               // or when absence has its own meaning (see `rule`)
    std::string rule;          // range and meaning, e.g. "[1, 100000] trading days"
};

class StrategyRegistry {
public:
    // Throws rotor::Error on a duplicate type name. `parameters` describe the keys the factory
    // reads (in the order the docs list them).
    void add(const std::string& type, StrategyFactory factory, std::string summary,
             std::vector<StrategyParameter> parameters = {});
    bool contains(const std::string& type) const { return entries_.contains(type); }
    // Reads spec's `type`; an unknown one is a ConfigError at that key listing the known types.
    std::unique_ptr<Strategy> create(const std::string& name, const ConfigNode& spec,
                                     const Universe& universe) const;
    std::vector<std::string> types() const;  // sorted
    const std::string& summary(const std::string& type) const;
    const std::vector<StrategyParameter>& parameters(const std::string& type) const;

    // The building blocks of `type: stack` strategies. Copies of a registry share one step list
    // (a stack factory holds it too).
    StackStepRegistry& steps() { return *steps_; }
    const StackStepRegistry& steps() const { return *steps_; }
    std::shared_ptr<const StackStepRegistry> sharedSteps() const { return steps_; }

    StrategyRegistry();

private:
    struct Entry {
        StrategyFactory factory;
        std::string summary;
        std::vector<StrategyParameter> parameters;
    };
    std::map<std::string, Entry> entries_;
    std::shared_ptr<StackStepRegistry> steps_;
};

}  // namespace rotor
