// SPDX-License-Identifier: MIT
// Performance metrics of one equity curve, and relative to a benchmark curve on the same dates.
// Conventions (252-day annualisation, sample standard deviation, excess over cash actually
// earned) are stated in docs/conventions.md.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

struct Drawdown {
    double depth = 0.0;  // max drawdown as a positive fraction (0.25 = -25%)
    Index peak = 0;      // day index of the peak before the trough
    Index trough = 0;    // day index of the trough
    Index recovery = -1; // first day at or above the peak after the trough; -1 if never
};

struct Metrics {
    double totalReturn = 0.0;
    double cagr = 0.0;
    double volatility = 0.0;  // annualised
    double sharpe = 0.0;
    double sortino = 0.0;
    Drawdown maxDrawdown;
    double calmar = 0.0;
    double turnover = 0.0;    // annualised one-way
    double totalCosts = 0.0;  // currency
    long rebalances = 0;
    // Relative to the benchmark (NaN when there is none or for the benchmark itself where noted)
    double beta = 0.0;
    double alpha = 0.0;           // annualised
    double trackingError = 0.0;   // annualised
    double informationRatio = 0.0;
};

struct MetricsInput {
    const Vector* equity = nullptr;      // T equity values (> 0)
    const Vector* cashReturn = nullptr;  // T daily cash returns (index 0 ignored)
    const Vector* turnover = nullptr;    // T daily one-way turnover (optional)
    const Vector* benchmarkEquity = nullptr;  // T (optional)
    double totalCosts = 0.0;
    long rebalances = 0;
};

Metrics computeMetrics(const MetricsInput& in);

// Names and values in a fixed order, as stored in the HDF5 metrics table.
std::vector<std::string> metricNames();
std::vector<double> metricValues(const Metrics& m);

}  // namespace rotor
