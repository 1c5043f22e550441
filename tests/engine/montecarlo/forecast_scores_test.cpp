// SPDX-License-Identifier: MIT
// Forecast scores against independent computations: a brute-force O(N^2) CRPS, the normal
// closed form, PITs and bands on a hand-made sample, and the Kolmogorov-Smirnov statistic and
// tail by hand and from published critical values.
#include "engine/montecarlo/forecast_scores.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace rotor {
namespace {
namespace forecast_scores_test {

double bruteCrps(const std::vector<double>& x, double y) {
    const auto n = static_cast<double>(x.size());
    double a = 0.0, b = 0.0;
    for (double xi : x) {
        a += std::abs(xi - y);
        for (double xj : x) b += std::abs(xi - xj);
    }
    return a / n - 0.5 * b / (n * n);
}

TEST(ForecastScores, CrpsMatchesTheDoubleLoop) {
    std::mt19937_64 gen(7);
    std::student_t_distribution<double> t(4.0);
    for (int trial = 0; trial < 5; ++trial) {
        std::vector<double> x(301);
        for (double& v : x) v = 0.1 * t(gen);
        x[10] = x[20] = x[30];  // ties
        std::sort(x.begin(), x.end());
        for (double y : {-0.3, 0.0, x[15], 0.05, 0.9})
            EXPECT_NEAR(crpsSorted(x, y), bruteCrps(x, y), 1e-12);
    }
    // One draw: |x - y|.
    EXPECT_DOUBLE_EQ(crpsSorted({0.2}, -0.1), 0.3);
}

// Phi^-1 by bisection on erfc (the test's own, independent of the engine).
double normalQuantile(double p) {
    double lo = -40.0, hi = 40.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

TEST(ForecastScores, CrpsOfANormalSampleApproachesTheClosedForm) {
    // sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)], z = (y - mu) / sigma (Gneiting and
    // Raftery 2007): 0.0896288504 for mu 0.05, sigma 0.2, y -0.1.
    const double mu = 0.05, sigma = 0.2;
    const int n = 20000;
    std::vector<double> x(n);
    for (int i = 0; i < n; ++i)
        x[static_cast<std::size_t>(i)] = mu + sigma * normalQuantile((i + 0.5) / n);
    EXPECT_NEAR(crpsSorted(x, -0.1), 0.08962885043931007, 2e-5);
}

TEST(ForecastScores, PitUsesMidRanksForTies) {
    const std::vector<double> x = {1.0, 2.0, 2.0, 3.0, 4.0};
    EXPECT_DOUBLE_EQ(pitMidRank(x, 2.0), (1.0 + 0.5 * 2.0) / 5.0);  // 0.4
    EXPECT_DOUBLE_EQ(pitMidRank(x, 0.0), 0.0);
    EXPECT_DOUBLE_EQ(pitMidRank(x, 5.0), 1.0);
    EXPECT_DOUBLE_EQ(pitMidRank(x, 3.5), 0.8);
    EXPECT_DOUBLE_EQ(pitMidRank({7.0, 7.0}, 7.0), 0.5);
}

TEST(ForecastScores, CentralBandsByPit) {
    EXPECT_TRUE(inCentralBand(0.25, 0.5));
    EXPECT_TRUE(inCentralBand(0.75, 0.5));
    EXPECT_FALSE(inCentralBand(0.24, 0.5));
    EXPECT_FALSE(inCentralBand(0.76, 0.5));
    EXPECT_TRUE(inCentralBand(0.05, 0.9));
    EXPECT_FALSE(inCentralBand(0.96, 0.9));
    // 20 outcomes, PITs k/20 + 0.01: the 90% band holds k = 1..18 (0.06 .. 0.91), the 50% one
    // k = 5..14 (0.26 .. 0.71).
    int in90 = 0, in50 = 0;
    for (int k = 0; k < 20; ++k) {
        in90 += inCentralBand(k / 20.0 + 0.01, 0.9) ? 1 : 0;
        in50 += inCentralBand(k / 20.0 + 0.01, 0.5) ? 1 : 0;
    }
    EXPECT_EQ(in90, 18);
    EXPECT_EQ(in50, 10);
}

TEST(ForecastScores, QuantilesAreNumpysDefault) {
    EXPECT_DOUBLE_EQ(sampleQuantile({1.0, 2.0, 3.0, 4.0}, 0.25), 1.75);
    EXPECT_NEAR(sampleQuantile({1.0, 2.5, 3.0, 4.0, 7.0}, 0.9), 5.8, 1e-12);
    EXPECT_DOUBLE_EQ(sampleQuantile({1.0, 2.5, 3.0, 4.0, 7.0}, 1.0), 7.0);
}

TEST(ForecastScores, KolmogorovSmirnovByHand) {
    // Sorted 0.1, 0.4, 0.7: D = max(i/3 - u_i, u_i - (i-1)/3) = 1 - 0.7 = 0.3.
    const KsTest t = ksUniform({0.7, 0.1, 0.4});
    EXPECT_NEAR(t.statistic, 0.3, 1e-15);
    EXPECT_EQ(t.n, 3u);
    // lambda = (sqrt 3 + 0.12 + 0.11 / sqrt 3) 0.3 = 0.574668; Q by its series: 0.895945.
    EXPECT_NEAR(t.pValue, 0.8959447, 1e-6);
    // Published critical values of the Kolmogorov distribution: 1.3581 at 5%, 1.6276 at 1%.
    EXPECT_NEAR(kolmogorovTail(1.3581), 0.05, 1e-4);
    EXPECT_NEAR(kolmogorovTail(1.6276), 0.01, 1e-4);
    EXPECT_DOUBLE_EQ(kolmogorovTail(0.0), 1.0);
    // Evenly spread PITs (i - 0.5) / n: D = 0.5 / n, far from rejection.
    std::vector<double> even;
    for (int i = 1; i <= 30; ++i) even.push_back((i - 0.5) / 30.0);
    const KsTest e = ksUniform(even);
    EXPECT_NEAR(e.statistic, 0.5 / 30.0, 1e-15);
    EXPECT_DOUBLE_EQ(e.pValue, 1.0);
    // All PITs at 1: D = 1 and p = 0 (to double precision).
    EXPECT_LT(ksUniform(std::vector<double>(30, 1.0)).pValue, 1e-20);
}

TEST(ForecastScores, PitHistogramBins) {
    const std::vector<long> h = pitHistogram({0.0, 0.05, 0.1, 0.55, 0.99, 1.0}, 10);
    const std::vector<long> want = {2, 1, 0, 0, 0, 1, 0, 0, 0, 2};
    EXPECT_EQ(h, want);
}

}  // namespace forecast_scores_test
}  // namespace
}  // namespace rotor
