// SPDX-License-Identifier: MIT
// Human and script renderings of run results: an aligned summary table and a JSON document.
#pragma once

#include "engine/results/results.hpp"

#include <ostream>
#include <string>

namespace rotor {

// One table per scenario: a row per strategy with the headline metrics.
void printSummaryTable(const ScenarioRun& scenario, std::ostream& out);

// A walk-forward: a row per step (windows, the cell chosen, its in-sample and out-of-sample
// metric), then the stitched out-of-sample curve beside the in-sample best over the whole period.
void printWalkForwardTable(const WalkForwardRun& w, std::ostream& out);

// One table per forward scenario: the distribution of terminal wealth per strategy.
void printMcSummaryTable(const McScenarioRun& scenario, std::ostream& out);

// The model's stated expectations (a row per asset and regime) and the mean attribution of
// each asset's log return per regime; nothing when the model states none.
void printExpectations(const McScenarioRun& scenario, std::ostream& out);

// {"scenarios":[{"name":..,"output":..,"strategies":[{"name":..,"metrics":{..}}]}],
//  "monte_carlo":[{"name":..,"output":..,"paths":..,"strategies":[{"name":..,"terminal":{..}}]}]};
// NaN -> null. `outputs` / `mcOutputs`: the file each scenario was written to, in order.
std::string summaryJson(const RunResults& results, const std::vector<std::string>& outputs,
                        const std::vector<std::string>& mcOutputs = {});
// The pieces of that document: one scenario's object, one forward scenario's object, and the
// document around objects already rendered.
std::string jsonScenario(const ScenarioRun& scenario, const std::string& output);
std::string jsonMonteCarlo(const McScenarioRun& scenario, const std::string& output);
// A walk-forward's steps (dates ISO, the chosen cell by name), stitched curve and hindsight best.
std::string jsonWalkForward(const WalkForwardRun& w, const std::string& output);
std::string summaryJson(const std::string& rotorVersion, const std::vector<std::string>& scenarios,
                        const std::vector<std::string>& monteCarlo,
                        const std::vector<std::string>& walkForward = {});

}  // namespace rotor
