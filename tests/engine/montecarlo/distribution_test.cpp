// SPDX-License-Identifier: MIT
// Terminal-wealth statistics on hand cases whose answers are worked out in the comments.
#include "engine/montecarlo/distribution.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace distribution_test {

// W_i = (10 + i) / 20 for i = 0..19, i.e. 0.50, 0.55, ..., 1.45, given out of order.
Vector twentyPaths() {
    const int order[20] = {7, 19, 0, 12, 3, 15, 10, 1, 18, 5, 9, 14, 2, 17, 6, 11, 4, 16, 8, 13};
    Vector w(20);
    for (int k = 0; k < 20; ++k) w(k) = (10.0 + order[k]) / 20.0;
    return w;
}

TEST(Distribution, TwentyPathsHandCase) {
    const Vector w = twentyPaths();
    const Vector bench = Vector::Ones(20);
    const DistributionSummary s = summarizeWealth(w, &bench, {5, 25, 50, 75, 95});
    // mean = 0.5 + 0.05 * mean(0..19) = 0.5 + 0.05 * 9.5 = 0.975
    EXPECT_NEAR(s.mean, 0.975, 1e-15);
    // sample variance of 0..19 = n (n + 1) / 12 = 20 * 21 / 12 = 35, so stdev = 0.05 * sqrt(35)
    EXPECT_NEAR(s.stdev, 0.05 * std::sqrt(35.0), 1e-15);
    // h = 19 q / 100 and W is linear in the index: W(h) = 0.5 + 0.05 h.
    // q=5: h=0.95 -> 0.5475; q=25: h=4.75 -> 0.7375; q=50: h=9.5 -> 0.975;
    // q=75: h=14.25 -> 1.2125; q=95: h=18.05 -> 1.4025
    ASSERT_EQ(s.percentiles.size(), 5u);
    EXPECT_NEAR(s.percentiles[0], 0.5475, 1e-15);
    EXPECT_NEAR(s.percentiles[1], 0.7375, 1e-15);
    EXPECT_NEAR(s.percentiles[2], 0.975, 1e-15);
    EXPECT_NEAR(s.percentiles[3], 1.2125, 1e-15);
    EXPECT_NEAR(s.percentiles[4], 1.4025, 1e-15);
    // W < 1 for i = 0..9 (i = 10 is exactly 1, not a loss): 10 / 20
    EXPECT_EQ(s.probLoss, 0.5);
    // W > 1 strictly for i = 11..19: 9 / 20
    EXPECT_EQ(s.probBeatBenchmark, 0.45);
    // VaR95 = 1 - W(5%) = 1 - 0.5475
    EXPECT_NEAR(s.var95, 0.4525, 1e-15);
    // 5% of 20 paths is exactly 1 path: the worst loss, 1 - 0.5
    EXPECT_NEAR(s.cvar95, 0.5, 1e-15);
}

TEST(Distribution, NoBenchmarkGivesNaN) {
    const DistributionSummary s = summarizeWealth(twentyPaths(), nullptr, {50});
    EXPECT_TRUE(std::isnan(s.probBeatBenchmark));
}

TEST(Distribution, VarAndCvarWithAFractionalTail) {
    // 30 paths: 0.70, 0.80, then 0.90, 0.91, ..., 1.17 (28 values), shuffled by reversal.
    Vector w(30);
    w(29) = 0.70;
    w(28) = 0.80;
    for (int k = 0; k < 28; ++k) w(27 - k) = 0.90 + 0.01 * k;
    const DistributionSummary s = summarizeWealth(w, nullptr, {});
    // 5th percentile: h = 29 * 0.05 = 1.45 -> 0.80 + 0.45 * (0.90 - 0.80) = 0.845; VaR = 0.155
    EXPECT_NEAR(s.var95, 0.155, 1e-14);
    // 5% of 30 = 1.5 paths: the worst loss 0.30 in full plus half of the next, 0.20:
    // (0.30 + 0.5 * 0.20) / 1.5 = 0.4 / 1.5
    EXPECT_NEAR(s.cvar95, 0.4 / 1.5, 1e-14);
    // Two losses of 40 paths (exactly 5%): the plain mean of the two worst.
    Vector v = Vector::Constant(40, 1.2);
    v(3) = 0.6;
    v(17) = 0.9;
    v(20) = 0.95;
    const DistributionSummary t = summarizeWealth(v, nullptr, {});
    EXPECT_NEAR(t.cvar95, (0.4 + 0.1) / 2.0, 1e-15);
    // A gain in the tail is a negative loss: all paths at 1.1 give VaR = CVaR = -0.1.
    const DistributionSummary g = summarizeWealth(Vector::Constant(7, 1.1), nullptr, {});
    EXPECT_NEAR(g.var95, -0.1, 1e-15);
    EXPECT_NEAR(g.cvar95, -0.1, 1e-15);
    EXPECT_NEAR(g.stdev, 0.0, 1e-15);  // 7 equal values: the mean rounds, so not exactly 0
}

TEST(Distribution, OnePathHasNoStdev) {
    const DistributionSummary s = summarizeWealth(Vector::Constant(1, 0.9), nullptr, {0, 50, 100});
    EXPECT_TRUE(std::isnan(s.stdev));
    EXPECT_EQ(s.percentiles, (std::vector<double>{0.9, 0.9, 0.9}));
    EXPECT_EQ(s.probLoss, 1.0);
    EXPECT_NEAR(s.var95, 0.1, 1e-15);
    EXPECT_NEAR(s.cvar95, 0.1, 1e-15);
}

TEST(Distribution, PercentileInterpolatesAndSkipsNaN) {
    Vector v(5);
    v << 3.0, std::nan(""), 1.0, 4.0, 2.0;  // {1, 2, 3, 4} once NaN is dropped
    EXPECT_EQ(percentileOf(v, 0), 1.0);
    EXPECT_EQ(percentileOf(v, 100), 4.0);
    EXPECT_DOUBLE_EQ(percentileOf(v, 50), 2.5);  // h = 1.5
    EXPECT_DOUBLE_EQ(percentileOf(v, 10), 1.3);  // h = 0.3
    EXPECT_TRUE(std::isnan(percentileOf(Vector::Constant(2, std::nan("")), 50)));
}

TEST(Distribution, PercentileRankCountsTiesHalf) {
    Vector v(4);
    v << 2.0, 1.0, 3.0, 2.0;
    EXPECT_EQ(percentileRank(v, 2.0), 50.0);  // (1 below + 2 ties / 2) / 4
    EXPECT_EQ(percentileRank(v, 0.5), 0.0);
    EXPECT_EQ(percentileRank(v, 9.0), 100.0);
    EXPECT_EQ(percentileRank(v, 2.5), 75.0);  // 3 below
    EXPECT_TRUE(std::isnan(percentileRank(Vector(), 1.0)));
}

TEST(Distribution, PathMetricsSummaryByHand) {
    PathMetrics m;
    m.cagr = Vector(5);
    m.cagr << 0.12, -0.05, std::nan(""), 0.03, 0.40;  // a failed path's NaN is left out
    m.maxDrawdown = Vector(4);
    m.maxDrawdown << 0.05, 0.20, 0.10, 0.02;
    const PathMetricsSummary s = summarizePathMetrics(m);
    // CAGRs sorted: -0.05, 0.03, 0.12, 0.40 (h = 3 q / 100)
    EXPECT_NEAR(s.medianCagr, 0.075, 1e-15);  // h = 1.5: (0.03 + 0.12) / 2
    EXPECT_NEAR(s.p05Cagr, -0.038, 1e-15);    // h = 0.15: -0.05 + 0.15 * 0.08
    EXPECT_NEAR(s.p95Cagr, 0.358, 1e-15);     // h = 2.85: 0.12 + 0.85 * 0.28
    // drawdowns sorted: 0.02, 0.05, 0.10, 0.20 -> (0.05 + 0.10) / 2
    EXPECT_NEAR(s.medianMaxDrawdown, 0.075, 1e-15);
}

// Percentile q of ascending `sorted` and CVaR at 5%, written out from their definitions.
double sortedPercentile(const std::vector<double>& sorted, double q) {
    const double h = static_cast<double>(sorted.size() - 1) * q / 100.0;
    const auto k = static_cast<std::size_t>(std::floor(h));
    const double f = h - std::floor(h);
    if (f == 0.0 || k + 1 >= sorted.size()) return sorted[k];
    return sorted[k] + f * (sorted[k + 1] - sorted[k]);
}

double sortedCvar95(const std::vector<double>& sorted) {
    const double tail = 0.05 * static_cast<double>(sorted.size());
    const auto m = static_cast<std::size_t>(std::floor(tail));
    double sum = 0.0;
    for (std::size_t i = 0; i < m; ++i) sum += 1.0 - sorted[i];
    if (tail > static_cast<double>(m)) sum += (tail - static_cast<double>(m)) * (1.0 - sorted[m]);
    return sum / tail;
}

void expectSameBits(double got, double want, const std::string& what) {
    EXPECT_TRUE(std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(want))
        << what << ": " << got << " against " << want;
}

// The summaries select their order statistics instead of sorting every value: each percentile,
// the VaR and the CVaR (whose worst paths are summed in ascending order) must be the bits of the
// full sort's, for any count (the CVaR's tail whole or fractional, empty below 20 paths), with
// ties (values from a few levels), levels at 0 and 100 and adjacent ranks.
TEST(Distribution, SelectedOrderStatisticsAreTheFullSortsBits) {
    std::mt19937_64 rng(20261206);
    const std::vector<std::size_t> counts = {1,  2,  3,   19,  20,   21,   39,
                                             40, 41, 100, 257, 1000, 20000};
    for (std::size_t n : counts)
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<double> w(n);
            std::uniform_real_distribution<double> u(0.2, 3.0);
            std::uniform_int_distribution<int> level(0, 4);
            for (std::size_t i = 0; i < n; ++i)
                w[i] = kind == 0   ? u(rng)                        // distinct
                       : kind == 1 ? 0.5 + 0.25 * level(rng)       // five levels
                                   : (i % 7 == 0 ? 1.0 : u(rng));  // one value repeated
            std::vector<double> sorted = w;
            std::sort(sorted.begin(), sorted.end());
            const std::vector<double> levels = {0, 1, 5, 25, 49.99, 50, 75, 95, 99.9, 100};
            const DistributionSummary s = summarizeWealthValues(w, nullptr, levels);
            const std::string what = "n " + std::to_string(n) + " kind " + std::to_string(kind);
            ASSERT_EQ(s.percentiles.size(), levels.size());
            for (std::size_t j = 0; j < levels.size(); ++j)
                expectSameBits(s.percentiles[j], sortedPercentile(sorted, levels[j]),
                               what + " percentile " + std::to_string(levels[j]));
            expectSameBits(s.var95, 1.0 - sortedPercentile(sorted, 5.0), what + " VaR");
            expectSameBits(s.cvar95, sortedCvar95(sorted), what + " CVaR");

            // The path figures' percentiles, NaN values (failed paths) left out.
            PathMetrics m;
            m.cagr = Vector(static_cast<Index>(n));
            m.maxDrawdown = Vector(static_cast<Index>(n));
            std::vector<double> cagr;
            std::vector<double> depth;
            for (std::size_t i = 0; i < n; ++i) {
                m.cagr(static_cast<Index>(i)) = i % 5 == 3 ? std::nan("") : w[i] - 1.0;
                m.maxDrawdown(static_cast<Index>(i)) = i % 4 == 1 ? std::nan("") : w[n - 1 - i] / 4;
                if (i % 5 != 3) cagr.push_back(w[i] - 1.0);
                if (i % 4 != 1) depth.push_back(w[n - 1 - i] / 4);
            }
            std::sort(cagr.begin(), cagr.end());
            std::sort(depth.begin(), depth.end());
            const PathMetricsSummary p = summarizePathMetrics(m);
            const double nan = std::nan("");
            expectSameBits(p.medianCagr, cagr.empty() ? nan : sortedPercentile(cagr, 50), what);
            expectSameBits(p.p05Cagr, cagr.empty() ? nan : sortedPercentile(cagr, 5), what);
            expectSameBits(p.p95Cagr, cagr.empty() ? nan : sortedPercentile(cagr, 95), what);
            expectSameBits(p.medianMaxDrawdown, depth.empty() ? nan : sortedPercentile(depth, 50),
                           what);
        }
}

TEST(Distribution, NonFiniteWealthIsAnError) {
    Vector w = Vector::Ones(3);
    w(1) = std::nan("");
    EXPECT_THROW(summarizeWealth(w, nullptr, {50}), Error);
}

}  // namespace distribution_test
}  // namespace
}  // namespace rotor
