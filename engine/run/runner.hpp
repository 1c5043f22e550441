// SPDX-License-Identifier: MIT
// Wires the pipeline for one scenario: path -> strategies -> backtests -> metrics -> RunResults.
#pragma once

#include "engine/config/scenario_config.hpp"
#include "engine/run/results.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/registry.hpp"

#include <functional>
#include <string>

namespace rotor {

// Called after each strategy of a scenario: (scenario, strategies done, strategies total).
using ProgressFn = std::function<void(const std::string&, std::size_t, std::size_t)>;

// Runs every strategy of `spec` on `path`. The benchmark runs first so the others can be
// measured against it. A strategy that throws is recorded as failed; the others still run.
ScenarioRun runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
                      const StrategyRegistry& registry, const ProgressFn& progress = {});

// Loads the data of a historical scenario and runs it.
ScenarioRun runHistorical(const ScenarioSpec& spec, const StrategyRegistry& registry,
                          std::vector<DataFileRecord>& dataFiles, const ProgressFn& progress = {});

// True when every strategy of every scenario succeeded.
bool allSucceeded(const RunResults& results);

}  // namespace rotor
