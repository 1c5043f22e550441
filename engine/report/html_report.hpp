// SPDX-License-Identifier: MIT
// `rotor report`: one self-contained HTML page (inline CSS and SVG, no script, no fetch) per
// results file, with a section per scenario and the provenance.
#pragma once

#include "engine/report/results_reader.hpp"

#include <string>

namespace rotor::report {

// The whole page. Each scenario is a <section class="scenario" data-mode=...> holding its
// parameters, comparison table and charts (<svg class="chart KIND">):
//   historical:  equity (1), drawdown (1), weights (1 per ok strategy), rate (1)
//   Monte Carlo: fan (1 per ok strategy), histogram (1 per ok strategy with terminal wealth),
//                drawdown (1 if any strategy has max_drawdown paths), rate (1)
// A Content-Security-Policy forbids any network fetch or script.
std::string renderReport(const ResultsData& data);

// Renders and writes atomically; an existing `path` is refused (InputError) unless `force`.
void writeReport(const ResultsData& data, const std::string& path, bool force);

}  // namespace rotor::report
