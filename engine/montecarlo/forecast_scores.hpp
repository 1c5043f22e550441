// SPDX-License-Identifier: MIT
// Scores of a sampled forecast against the realised value (docs/backtest-model.md): the
// probability integral transform with mid-ranks for ties, central-band coverage, the exact
// sample CRPS, and the Kolmogorov-Smirnov test of PIT uniformity.
#pragma once

#include <cstddef>
#include <vector>

namespace rotor {

// PIT of `y` under the empirical distribution of `sorted` (ascending, non-empty):
// (#{x < y} + #{x == y} / 2) / N, so a realised value equal to every draw scores 0.5.
double pitMidRank(const std::vector<double>& sorted, double y);

// Whether the central band of probability `level` (0.5, 0.9) holds the outcome with PIT `pit`:
// (1 - level) / 2 <= pit <= (1 + level) / 2.
bool inCentralBand(double pit, double level);

// Quantile of `sorted` at probability q in [0, 1], linear between order statistics (Hyndman
// and Fan type 7, numpy's default).
double sampleQuantile(const std::vector<double>& sorted, double q);

// The CRPS of the sample forecast `sorted` (ascending, non-empty) at `y`, exactly:
// mean|X - y| - 1/2 mean|X - X'| over all N^2 ordered pairs, in O(N) from the sorted sample
// (sum_{i,j} |x_i - x_j| = 2 sum_i (2i - N - 1) x_(i), i = 1..N).
double crpsSorted(const std::vector<double>& sorted, double y);

struct KsTest {
    double statistic = 0.0;  // D = sup |F_n(u) - u|
    double pValue = 1.0;     // asymptotic, Stephens' small-sample correction
    std::size_t n = 0;
};

// One-sample KS test of `u` (values in [0, 1]) against the uniform distribution. The p-value is
// Q_KS((sqrt(n) + 0.12 + 0.11 / sqrt(n)) D), Q_KS(l) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 l^2)
// (Stephens 1970; accurate to a few percent for n >= 5). n = 0 gives D = 0, p = 1.
KsTest ksUniform(std::vector<double> u);

// Q_KS(lambda), the Kolmogorov distribution's upper tail.
double kolmogorovTail(double lambda);

// Counts of `u` in `bins` equal bins of [0, 1] (1 falls in the last).
std::vector<long> pitHistogram(const std::vector<double>& u, int bins);

}  // namespace rotor
