// SPDX-License-Identifier: MIT
// Named stacks: a strategy type that is a `type: stack` step list written once, with typed
// parameters substituted into it. Each is one addNamedStack() call; the rotation library
// (docs/strategies.md, "The rotation library") is a list of them.
#pragma once

#include "engine/strategy/registry.hpp"

#include <string>
#include <vector>

namespace rotor::strategies {

struct NamedStackParameter {
    // What `rotor list-strategies` prints; `doc.defaultValue` is YAML text put in the steps
    // when the key is absent (empty and not required: the `, key: ${name}` entry is dropped).
    StrategyParameter doc;
    // How the user's value is checked (at its own node) and written into the steps. Schedule is
    // a `rebalance:` value (Schedule::fromYaml) written as schedule steps; Weights is a weights
    // map or `equal` (parseWeightsOrEqual, which also reads the EqualAssets key) written as a
    // select step and a weigh step; an EqualAssets key writes nothing itself.
    enum class Kind {
        Integer,
        Number,
        PositiveNumber,
        Asset,
        AssetList,
        Schedule,
        Weights,
        EqualAssets
    } kind;
    double lo = 0.0;  // Integer, Number, PositiveNumber: the range [lo, hi] ((0, hi] positive)
    double hi = 0.0;
};

struct NamedStack {
    std::string type;
    std::string summary;
    std::vector<NamedStackParameter> parameters;  // `safe_asset` goes to the stack, not a step
    // A YAML sequence of steps in which ${key} stands for the value of parameter `key`.
    std::string steps;
};

// `rebalance` (default monthly), every form a preset's `rebalance:` takes (a period,
// {every, every_days, band}), written as schedule steps. Shared by every named stack.
NamedStackParameter rebalanceParameter();

// Registers `preset.type`: its factory checks the entry's keys and values with located errors,
// writes the stack ({name, type: stack, safe_asset, steps}) and builds it with the registry's
// stack steps. An error the stack finds in a substituted value is reported at the user's key.
void addNamedStack(StrategyRegistry& registry, NamedStack preset);

// The six presets: buy_and_hold, fixed_mix, relative_momentum, dual_momentum, trend_filter,
// rate_regime (strategies/stack/presets.cpp).
void registerPresets(StrategyRegistry& registry);

// The rotation library: risk_parity_rotation, vol_target_rotation, rates_aware_rotation,
// valuation_rotation, quality_tilt.
void registerRotationLibrary(StrategyRegistry& registry);

}  // namespace rotor::strategies
