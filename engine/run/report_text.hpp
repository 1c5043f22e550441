// SPDX-License-Identifier: MIT
// Human and script renderings of run results: an aligned summary table and a JSON document.
#pragma once

#include "engine/run/results.hpp"

#include <ostream>
#include <string>

namespace rotor {

// One table per scenario: a row per strategy with the headline metrics.
void printSummaryTable(const ScenarioRun& scenario, std::ostream& out);

// {"scenarios":[{"name":..,"output":..,"strategies":[{"name":..,"metrics":{..}}]}]}; NaN -> null.
std::string summaryJson(const RunResults& results, const std::vector<std::string>& outputs);

std::string jsonEscape(const std::string& s);

}  // namespace rotor
