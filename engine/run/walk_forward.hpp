// SPDX-License-Identifier: MIT
// Walk-forward over a sweep's cells (docs/walk-forward.md): at each step every cell runs on the
// in-sample window alone, the best by the chosen metric runs on the next out-of-sample window,
// and those windows chain into one stitched out-of-sample equity curve.
#pragma once

#include "engine/results/results.hpp"
#include "engine/scenario/path.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <string>
#include <vector>

namespace rotor {

// One cell of the grid: its parsed scenario (strategies, costs, capital, walk_forward) and its
// history. Every cell must have the same trading days.
struct WalkForwardCell {
    const ScenarioSpec* spec = nullptr;
    const Path* path = nullptr;
    // The chosen strategy's metrics from the cell's ordinary run over the whole history, when
    // the sweep has already run it; null: runWalkForward runs it.
    const Metrics* fullPeriod = nullptr;
};

// Refuses windows the history cannot hold: in_sample + out_of_sample must fit in the T trading
// days after the first (one full out-of-sample window at least). ConfigError at the key.
void checkWalkForwardWindows(const WalkForwardSpec& wf, const std::vector<Date>& dates);

// The walk-forward of `cells` (in sweep order; their walk_forward settings agree). Window runs
// see only their own path: the days up to the window's last close, those before its first
// close as history (never traded), so no window can read a later day.
WalkForwardRun runWalkForward(const std::vector<WalkForwardCell>& cells);

// The value of a selectable metric (walkForwardMetrics()) in `m`.
double walkForwardMetricValue(const Metrics& m, const std::string& metric);

}  // namespace rotor
