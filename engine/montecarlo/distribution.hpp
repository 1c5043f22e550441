// SPDX-License-Identifier: MIT
// Exact statistics of per-path values across Monte Carlo paths: percentiles by linear
// interpolation between order statistics, and the terminal-wealth summary (mean, stdev, P(loss),
// P(beat benchmark), VaR and CVaR at 95%). Definitions: docs/results-format.md, "Monte Carlo".
#pragma once

#include "engine/core/types.hpp"
#include "engine/montecarlo/column_selection.hpp"
#include "engine/results/results.hpp"

#include <cstdint>
#include <vector>

namespace rotor {

// The values of `v` that are not NaN, ascending.
std::vector<double> sortedValues(const Vector& v);

// Percentile q (percent, 0..100) of ascending `sorted` (n >= 1): with h = (n - 1) q / 100,
// x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). NaN when n = 0.
double percentileOfSorted(const std::vector<double>& sorted, double q);

// Percentile q of the non-NaN values of `v` (NaN when there are none).
double percentileOf(const Vector& v, double q);

// Where percentile q of n ascending values falls: x[k], or x[k] + f (x[k + 1] - x[k]) when
// `between` (percentileOfSorted's arithmetic, shared with the column versions below).
struct PercentilePoint {
    std::uint64_t k = 0;
    double f = 0.0;
    bool between = false;
};
PercentilePoint percentilePoint(std::uint64_t n, double q);

// CVaR at level alpha (0.05 for 95%) of wealth outcomes W (ascending, n >= 1): the mean loss
// 1 - W over the worst alpha n paths, the boundary path counted with its fractional weight
// (Acerbi and Tasche 2002): (sum_{i < m} (1 - W_i) + (alpha n - m)(1 - W_m)) / (alpha n),
// m = floor(alpha n). Equals the plain mean of the m worst losses when alpha n is an integer.
double cvarOfSorted(const std::vector<double>& sortedWealth, double alpha);

// The terminal-wealth summary of one strategy. `benchmark` is the benchmark's terminal wealth on
// the same paths, or nullptr (probBeatBenchmark is then NaN). Requires finite wealth, P >= 1.
DistributionSummary summarizeWealth(const Vector& wealth, const Vector* benchmark,
                                    const std::vector<double>& percentiles);

// summarizeWealth from every path's wealth in path order (taken; the order statistics it needs
// are selected in place, not the whole vector sorted) and, with a benchmark, the number of paths
// whose wealth beat the benchmark's (nullptr: no benchmark).
DistributionSummary summarizeWealthValues(std::vector<double> wealth, const std::uint64_t* beats,
                                          const std::vector<double>& percentiles);

// Median and 5th/95th percentiles of the paths' CAGR, median of their maximum drawdown (NaN
// values, from paths a strategy could not finish, are left out).
PathMetricsSummary summarizePathMetrics(const PathMetrics& paths);

// The column versions of the above, for per-path values read back from a results file in
// passes (ColumnSelection): every figure is bit-identical to the in-memory one on the same values
// in the same path order (sums run in path order, order statistics are the sorted column's).
// `budget`: ColumnSelection's.
DistributionSummary summarizeWealthColumn(const ColumnReader& wealth, const std::uint64_t* beats,
                                          const std::vector<double>& percentiles,
                                          std::size_t budget = ColumnSelection::kDefaultBudget);
// The CAGR half of summarizePathMetrics.
void summarizeCagrColumn(const ColumnReader& cagr, PathMetricsSummary& out,
                         std::size_t budget = ColumnSelection::kDefaultBudget);
// Percentiles qs (ascending or not) of the column's non-NaN values (NaN when there are none).
std::vector<double> percentilesOfColumn(ColumnSelection& column, const std::vector<double>& qs);
// percentileRank of x among every value of the column, NaN ones counted in n.
double percentileRankOfColumn(const ColumnReader& values, double x);

// Where x falls among `values`: 100 * (#{v < x} + #{v == x} / 2) / n; NaN for no values.
double percentileRank(const Vector& values, double x);
double percentileRank(const std::vector<double>& values, double x);

}  // namespace rotor
