// SPDX-License-Identifier: MIT
// The generator against hand-stepped reference values; the normal sampler against moments
// and the normal CDF, with tolerances derived from the sample size.
#include "engine/core/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace rotor {
namespace {
namespace rng_test {

TEST(Xoshiro256, FirstOutputsFromStateOneTwoThreeFour) {
    auto g = Xoshiro256::fromState({1, 2, 3, 4});
    // Output 1: rotl(s0 + s3, 23) + s0 = (5 << 23) + 1.
    EXPECT_EQ(g(), 41943041ull);
    // The step leaves s0 = 1^(4^2) = 7, s3 = rotl(4^2, 45) = 6 << 45. Output 2:
    // rotl(7 + (6 << 45), 23) + 7 = (7 << 23) + rotl(6 << 45, 23) + 7 = 58720256 + 96 + 7.
    EXPECT_EQ(g(), 58720359ull);
}

TEST(Xoshiro256, StreamsAreReproducibleAndDistinct) {
    Xoshiro256 a(42, 7), b(42, 7), c(42, 8), d(43, 7);
    int sameAC = 0, sameAD = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a();
        EXPECT_EQ(x, b());
        sameAC += x == c();
        sameAD += x == d();
    }
    EXPECT_EQ(sameAC, 0);
    EXPECT_EQ(sameAD, 0);
}

TEST(Xoshiro256, UniformMeanAndRange) {
    Xoshiro256 g(1, 0);
    const int n = 1000000;
    double sum = 0.0, lo = 1.0, hi = 0.0;
    for (int i = 0; i < n; ++i) {
        const double u = g.uniformOpen();
        sum += u;
        lo = std::min(lo, u);
        hi = std::max(hi, u);
    }
    // Mean 1/2 with standard error sqrt(1/12 / n).
    EXPECT_NEAR(sum / n, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
    EXPECT_GT(lo, 0.0);
    EXPECT_LT(hi, 1.0);
}

TEST(NormalZiggurat, MomentsMatchTheStandardNormal) {
    Xoshiro256 g(20260102, 0);
    const auto& z = NormalZiggurat::instance();
    const int n = 2000000;
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    long tail = 0;
    for (int i = 0; i < n; ++i) {
        const double x = z(g);
        m1 += x;
        m2 += x * x;
        m3 += x * x * x;
        m4 += x * x * x * x;
        tail += std::abs(x) > 3.6541528853610088;
    }
    m1 /= n;
    m2 /= n;
    m3 /= n;
    m4 /= n;
    // Standard errors of sample moments of N(0,1): mean 1/sqrt(n), E[x^2] sqrt(2/n),
    // E[x^3] sqrt(15/n), E[x^4] sqrt(96/n). Five standard errors each.
    EXPECT_NEAR(m1, 0.0, 5.0 / std::sqrt(n));
    EXPECT_NEAR(m2, 1.0, 5.0 * std::sqrt(2.0 / n));
    EXPECT_NEAR(m3, 0.0, 5.0 * std::sqrt(15.0 / n));
    EXPECT_NEAR(m4, 3.0, 5.0 * std::sqrt(96.0 / n));
    // The tail beyond r is sampled separately: P(|x| > r) = erfc(r / sqrt 2).
    const double p = std::erfc(3.6541528853610088 / std::sqrt(2.0));
    EXPECT_NEAR(static_cast<double>(tail) / n, p, 5.0 * std::sqrt(p * (1 - p) / n));
}

TEST(NormalZiggurat, KolmogorovSmirnovAgainstTheNormalCdf) {
    Xoshiro256 g(7, 3);
    const auto& z = NormalZiggurat::instance();
    const int n = 200000;
    std::vector<double> xs(n);
    for (auto& x : xs) x = z(g);
    std::sort(xs.begin(), xs.end());
    double dmax = 0.0;
    for (int i = 0; i < n; ++i) {
        const double cdf = 0.5 * std::erfc(-xs[static_cast<size_t>(i)] / std::sqrt(2.0));
        dmax = std::max(
            {dmax, cdf - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - cdf});
    }
    // 0.1% critical value of the KS statistic: 1.95 / sqrt(n).
    EXPECT_LT(dmax, 1.95 / std::sqrt(n));
}

}  // namespace rng_test
}  // namespace
}  // namespace rotor
