// SPDX-License-Identifier: MIT
// `rotor report` on a backtest-model file: one self-contained HTML page (the results report's
// shell and style) with, per scored target and conditioning, the PIT histogram against the
// uniform expectation and its binomial sampling bands, band coverage, mean CRPS side by side,
// the KS test on the non-overlapping starts, and the provenance.
#pragma once

#include "engine/report/backtest_reader.hpp"

#include <string>

namespace rotor::report {

// PIT histogram bins, as the backtest-model writer counts them.
inline constexpr int kPitBins = 10;

// The whole page: a summary section (`section.backtest-summary`: the run's parameters and
// `table.backtest-summary`), then per target a `section.target` holding one
// <svg class="chart pit-histogram"> per conditioning, `table.pit-counts`, `table.coverage`,
// `table.crps` and `table.ks`; then the provenance.
std::string renderBacktestReport(const BacktestData& data);

// Renders and writes atomically; an existing `path` is refused (InputError) unless `force`.
void writeBacktestReport(const BacktestData& data, const std::string& path, bool force);

}  // namespace rotor::report
