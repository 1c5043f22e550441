// SPDX-License-Identifier: MIT
// Performance metrics of one equity curve, and relative to a benchmark curve on the same days.
// Every formula and convention (252-day annualisation, sample standard deviations, excess over
// the cash actually earned, NaN for undefined values) is stated in docs/metrics.md.
#pragma once

#include "engine/core/types.hpp"

#include <limits>
#include <string>
#include <vector>

namespace rotor {

// A read-only view of one daily series with no copy: a Vector, a segment of one, a column of a
// matrix (any stride) or an Eigen::Map over raw memory. An expression that is not plain storage
// (e.g. `a - b`) would be evaluated into a temporary, which allocates: pass storage.
using SeriesView = Eigen::Ref<const Vector, 0, Eigen::InnerStride<>>;

inline constexpr double kTradingDaysPerYear = 252.0;
// Daily returns are ratios near 1, accurate to about 1e-16 per day, so a daily standard deviation
// at or below this is rounding noise: it is reported as 0 and ratios over it are NaN.
inline constexpr double kZeroDailyStdev = 1e-12;

struct Drawdown {
    // Max drawdown as a positive fraction (0.25 = -25%); NaN until computed.
    double depth = std::numeric_limits<double>::quiet_NaN();
    Index peak = 0;       // last day at the running high before the trough
    Index trough = 0;     // day of the lowest equity relative to that high
    Index recovery = -1;  // first day after the trough at or above the peak's equity; -1 if never
};

// Undefined values are NaN, never 0, so that they cannot be mistaken for real ones; a Metrics
// nobody computed is NaN in every floating-point field.
struct Metrics {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

    double totalReturn = kNaN;
    double cagr = kNaN;
    double volatility = kNaN;  // annualised
    double sharpe = kNaN;
    double sortino = kNaN;
    Drawdown maxDrawdown;
    double calmar = kNaN;
    double turnover = kNaN;    // annualised one-way
    double totalCosts = kNaN;  // currency
    long rebalances = 0;
    // Relative to the benchmark; NaN when there is none (so also for the benchmark itself).
    double beta = kNaN;
    double alpha = kNaN;          // annualised Jensen's alpha
    double trackingError = kNaN;  // annualised
    double informationRatio = kNaN;
};

// Pointers into the run's buffers; every series has the same T >= 2 days.
struct MetricsInput {
    const Vector* equity = nullptr;           // T equity values (> 0)
    const Vector* cashReturn = nullptr;       // T daily cash returns (index 0 ignored)
    const Vector* turnover = nullptr;         // T daily one-way turnover (optional: NaN metric)
    const Vector* benchmarkEquity = nullptr;  // T (optional: NaN relative metrics)
    double totalCosts = 0.0;
    long rebalances = 0;
    // Capital before day 0's trades; when > 0, total return and CAGR are measured from it (so
    // the entry costs count), otherwise from equity[0].
    double initialCapital = 0.0;
};

// All metrics in one pass over the days, without allocating. Throws rotor::Error unless every
// series has the same length T >= 2, equity values are finite and > 0, and the rest are finite.
// cashReturn[t] is the cash return earned from day t-1 to day t (index 0 unused);
// turnover[t] is day t's one-way turnover, all T days counted (day 0's initial investment too).
Metrics computeMetrics(SeriesView equity, SeriesView cashReturn, SeriesView turnover,
                       double totalCosts, long rebalances);
Metrics computeMetrics(SeriesView equity, SeriesView cashReturn, SeriesView turnover,
                       SeriesView benchmarkEquity, double totalCosts, long rebalances);
Metrics computeMetrics(const MetricsInput& in);

// What Monte Carlo keeps of each path's metrics, bit-identical to computeMetrics' fields of the
// same names (and turnover's annualisation) but without the rest (Sortino, drawdown dates,
// benchmark figures, ...): a path costs 8 strategies' metrics, so they are worth a lean pass.
struct PathFigures {
    double cagr = Metrics::kNaN;
    double volatility = Metrics::kNaN;
    double sharpe = Metrics::kNaN;
    double maxDrawdown = Metrics::kNaN;  // depth
    double turnover = Metrics::kNaN;
};
// Needs equity, cashReturn and turnover; throws exactly as computeMetrics(in) on bad input.
PathFigures computePathFigures(const MetricsInput& in);
// computePathFigures of two curves of the same length at once, fa for a and fb for b, bit for
// bit (side by side in one vector register, so that each hides the other's latency). False,
// with fa and fb unspecified, where either input is bad (call the one-curve form for its error)
// or the build has no SSE2.
bool computePathFigures(const MetricsInput& a, const MetricsInput& b, PathFigures& fa,
                        PathFigures& fb);

// The maximum drawdown alone (T >= 1 finite, positive values).
Drawdown computeDrawdown(SeriesView equity);

// Names and values in a fixed order, as stored in the HDF5 metrics table: total_return, cagr,
// volatility, sharpe, sortino, max_drawdown, drawdown_peak, drawdown_trough, drawdown_recovery,
// calmar, turnover, total_costs, rebalances, beta, alpha, tracking_error, information_ratio.
inline constexpr Index kMetricCount = 17;
std::vector<std::string> metricNames();
std::vector<double> metricValues(const Metrics& m);
// Writes the kMetricCount values to out[0..kMetricCount) (no allocation, e.g. a matrix row).
void metricValues(const Metrics& m, double* out);

}  // namespace rotor
