// SPDX-License-Identifier: MIT
// `rotor report`: one self-contained HTML page (inline CSS and SVG, no script, no fetch) per
// results file, with a section per scenario and the provenance.
#pragma once

#include "engine/report/results_reader.hpp"

#include <string>

namespace rotor::report {

// The whole page. Each scenario is a <section class="scenario" data-mode=...> holding its
// parameters, comparison table and charts (<svg class="chart KIND">):
//   historical:  headline table; equity (1), drawdown (1, only up to 4 ok strategies), weights
//                (1 per ok strategy), rate (1); then per ok strategy a tear sheet: monthly
//                heatmap table, yearly (1), rolling (2, 3 with a benchmark), underwater (1),
//                worst-drawdowns table, distribution (1), collapsed trade list
// Sweep cells (names <base>__<label>=<value>...) get a sweep summary table and heatmaps first,
// then one cell's full section (ReportOptions::cell; trade lists cut to 20 rows) and, for the
// others, a <section class="cell-summary">: headline table and equity chart (Monte Carlo: the
// comparison table and the strategies' median wealth), each inside <details class="cell">.
//   Monte Carlo: fan (1 per ok strategy), histogram (1 per ok strategy with terminal wealth),
//                drawdown (1 if any strategy has max_drawdown paths), rate (1)
// A Content-Security-Policy forbids any network fetch or script.
struct ReportOptions {
    std::string metric;        // ranks the tables and fills sweep heatmaps ("" = compare's default)
    std::string axisX, axisY;  // sweep heatmap axes (swept parameter labels; "" = the first two)
    std::string cell;  // the sweep cell shown in full ("" = the cell of the best ranked row)
};
std::string renderReport(const ResultsData& data, const ReportOptions& options = {});

// Renders and writes atomically; an existing `path` is refused (InputError) unless `force`.
void writeReport(const ResultsData& data, const std::string& path, bool force,
                 const ReportOptions& options = {});

}  // namespace rotor::report
