// SPDX-License-Identifier: MIT
// Wires the pipeline for one scenario: path -> strategies -> backtests -> metrics -> RunResults.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/results/results.hpp"
#include "engine/scenario/path.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <functional>
#include <string>

namespace rotor {

// Called after each strategy of a scenario: (scenario, strategies done, strategies total).
using ProgressFn = std::function<void(const std::string&, std::size_t, std::size_t)>;

// What a caller can watch while a scenario runs, e.g. to write results as they come.
struct RunHooks {
    ProgressFn progress;
    // The scenario's own fields (name, dates, assets, cash rate, ...) are final and its
    // strategies vector is sized; the strategies themselves are still to run.
    std::function<void(const ScenarioRun&)> started;
    // Strategy `index` is final and will not be touched again while the others run.
    std::function<void(const ScenarioRun&, std::size_t index)> strategyDone;
};

// Runs a clone of every strategy of `spec` on `path` into `out`. The benchmark runs first so
// the others can be measured against it. A strategy that throws is recorded as failed; the
// others still run.
void runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
               ScenarioRun& out, const RunHooks& hooks = {});
ScenarioRun runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
                      const ProgressFn& progress = {});

// Loads the data of a historical scenario through `data` and runs it into `out`.
void runHistorical(const ScenarioSpec& spec, DataStore& data, ScenarioRun& out,
                   const RunHooks& hooks = {});

// True when every strategy of every scenario succeeded.
bool allSucceeded(const RunResults& results);

}  // namespace rotor
