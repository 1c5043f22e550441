// SPDX-License-Identifier: MIT
// Runs a forward (Monte Carlo) scenario: its model (engine/spec/forward_model) -> simulation of
// every strategy on every path -> the realised outcome ranked against the paths.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/results/results.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <functional>

namespace rotor {

using PathProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Reads every file through `data` (once per run, checksummed there).
McScenarioRun runForward(const ScenarioSpec& spec, DataStore& data,
                         const PathProgressFn& progress = {});

}  // namespace rotor
