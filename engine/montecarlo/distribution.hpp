// SPDX-License-Identifier: MIT
// Exact statistics of per-path values across Monte Carlo paths: percentiles by linear
// interpolation between order statistics, and the terminal-wealth summary (mean, stdev, P(loss),
// P(beat benchmark), VaR and CVaR at 95%). Definitions: docs/results-format.md, "Monte Carlo".
#pragma once

#include "engine/core/types.hpp"
#include "engine/results/results.hpp"

#include <cstdint>
#include <vector>

namespace rotor {

// The values of `v` that are not NaN, ascending.
std::vector<double> sortedValues(const Vector& v);
// The same, in place.
void sortValues(std::vector<double>& v);

// Percentile q (percent, 0..100) of ascending `sorted` (n >= 1): with h = (n - 1) q / 100,
// x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). NaN when n = 0.
double percentileOfSorted(const std::vector<double>& sorted, double q);

// Percentile q of the non-NaN values of `v` (NaN when there are none).
double percentileOf(const Vector& v, double q);

// CVaR at level alpha (0.05 for 95%) of wealth outcomes W (ascending, n >= 1): the mean loss
// 1 - W over the worst alpha n paths, the boundary path counted with its fractional weight
// (Acerbi and Tasche 2002): (sum_{i < m} (1 - W_i) + (alpha n - m)(1 - W_m)) / (alpha n),
// m = floor(alpha n). Equals the plain mean of the m worst losses when alpha n is an integer.
double cvarOfSorted(const std::vector<double>& sortedWealth, double alpha);

// The terminal-wealth summary of one strategy. `benchmark` is the benchmark's terminal wealth on
// the same paths, or nullptr (probBeatBenchmark is then NaN). Requires finite wealth, P >= 1.
DistributionSummary summarizeWealth(const Vector& wealth, const Vector* benchmark,
                                    const std::vector<double>& percentiles);

// summarizeWealth from every path's wealth in path order (taken, and sorted in place) and, with
// a benchmark, the number of paths whose wealth beat the benchmark's (nullptr: no benchmark).
DistributionSummary summarizeWealthValues(std::vector<double> wealth, const std::uint64_t* beats,
                                          const std::vector<double>& percentiles);

// Median and 5th/95th percentiles of the paths' CAGR, median of their maximum drawdown (NaN
// values, from paths a strategy could not finish, are left out).
PathMetricsSummary summarizePathMetrics(const PathMetrics& paths);

// The CAGR half of summarizePathMetrics from every path's CAGR (taken and sorted here).
void summarizeCagr(std::vector<double> cagr, PathMetricsSummary& out);

// Where x falls among `values`: 100 * (#{v < x} + #{v == x} / 2) / n; NaN for no values.
double percentileRank(const Vector& values, double x);
double percentileRank(const std::vector<double>& values, double x);

}  // namespace rotor
