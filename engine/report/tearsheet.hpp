// SPDX-License-Identifier: MIT
// The numbers of the report's tear sheet that are not stored in a results file, derived from the
// stored daily series: calendar-period returns, rolling statistics, drawdown episodes, return
// distribution, and standard errors of Monte Carlo statistics. Formulas in docs/report.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rotor::report {

// Daily simple returns r_t = E_t / E_{t-1} - 1 for t = 1..T-1 (n = T-1 values).
std::vector<double> dailyReturns(const std::vector<double>& equity);

// The cash return of each day t = 1..T-1 (aligned with dailyReturns): ACT/360 at the rate of day
// t-1, rate in annual percent, over the calendar days between the two ISO dates.
std::vector<double> cashReturns(const std::vector<std::string>& dates,
                                const std::vector<double>& ratePct);

// The return of one calendar month (month 1..12) or year (month 0): the last equity of the period
// over the last equity of the previous period; the first period starts from the initial capital,
// so the periods compound to the total return.
struct PeriodReturn {
    int year = 0;
    int month = 0;
    double value = 0.0;
};
std::vector<PeriodReturn> monthlyReturns(const std::vector<std::string>& dates,
                                         const std::vector<double>& equity, double capital);
std::vector<PeriodReturn> yearlyReturns(const std::vector<std::string>& dates,
                                        const std::vector<double>& equity, double capital);

// Statistics over the `window` daily returns ending on each day, indexed by day (T values; NaN
// until a full window exists): annualised volatility sd(r)·√252, Sharpe mean(x)/sd(x)·√252 with x
// the excess return over cash, beta cov(r, rb)/var(rb) (sample moments; NaN without benchmark).
struct RollingStats {
    std::vector<double> volatility, sharpe, beta;
};
RollingStats rollingStats(const std::vector<double>& returns, const std::vector<double>& cash,
                          const std::vector<double>* benchmark, std::size_t window);

// One stretch under water: from the peak (last day at the running high) through the trough to
// the first day back at the peak's equity (recovery, -1 while still under water). Depth is the
// positive fraction 1 - E_trough / E_peak; length counts trading days from peak to recovery, or
// to the last day when not recovered.
struct DrawdownEpisode {
    std::size_t peak = 0, trough = 0;
    long recovery = -1;
    double depth = 0.0;
    std::size_t length = 0;
};
// The `count` deepest episodes, deepest first (ties: earlier first).
std::vector<DrawdownEpisode> worstDrawdowns(const std::vector<double>& equity, std::size_t count);

// Shape of the daily returns: sample skewness and excess kurtosis with the usual small-sample
// corrections (G1, G2, as pandas' skew() and kurt()), best and worst day, and the hit rate (share
// of days with a positive return).
struct ReturnStats {
    double skew, kurtosis, bestDay, worstDay, hitRate;
};
ReturnStats returnStats(const std::vector<double>& returns);

// A Monte Carlo statistic over P paths with its standard error (sampling error of P paths).
struct Estimate {
    double value, stdError;
};
// Mean with sd/√P; share below `threshold` with √(p(1-p)/P); median with the distribution-free
// error from the order statistics bracketing it (±1.96·√P/2 ranks, half-width over 1.96).
Estimate meanEstimate(const std::vector<double>& values);
Estimate shareBelowEstimate(const std::vector<double>& values, double threshold);
Estimate medianEstimate(std::vector<double> values);

}  // namespace rotor::report
