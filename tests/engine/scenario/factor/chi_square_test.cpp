// SPDX-License-Identifier: MIT
// The chi-square sampler against its first two moments (mean dof, variance 2 dof), for both the
// Marsaglia-Tsang branch (shape >= 1) and the boosted branch (shape < 1).
#include "engine/scenario/factor/chi_square.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace rotor {
namespace {
namespace chi_square_test {

void checkMoments(double dof, std::uint64_t seed) {
    const ChiSquareSampler chi2(dof);
    Xoshiro256 rng(seed, 0);
    const int n = 400000;
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double x = chi2(rng);
        ASSERT_GT(x, 0.0);
        s1 += x;
        s2 += x * x;
    }
    const double dn = static_cast<double>(n);
    const double mean = s1 / dn;
    const double var = s2 / dn - mean * mean;
    // Chi-square(k): mean k, variance 2k, fourth central moment 12k(k + 4).
    const double seMean = std::sqrt(2.0 * dof / dn);
    const double mu4 = 12.0 * dof * (dof + 4.0);
    const double seVar = std::sqrt((mu4 - 4.0 * dof * dof) / dn);
    EXPECT_NEAR(mean, dof, 5.0 * seMean) << "dof " << dof;
    EXPECT_NEAR(var, 2.0 * dof, 5.0 * seVar) << "dof " << dof;
}

TEST(ChiSquareSampler, MomentsMarsagliaTsangBranch) {
    checkMoments(5.0, 11);
    checkMoments(12.0, 12);
}

TEST(ChiSquareSampler, MomentsBoostedBranch) { checkMoments(1.0, 13); }

TEST(ChiSquareSampler, SameStreamSameDraws) {
    const ChiSquareSampler chi2(7.0);
    Xoshiro256 a(5, 9), b(5, 9);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(chi2(a), chi2(b));
}

TEST(ChiSquareSampler, RefusesNonPositiveDof) {
    EXPECT_THROW(ChiSquareSampler(0.0), Error);
    EXPECT_THROW(ChiSquareSampler(-1.0), Error);
}

}  // namespace chi_square_test
}  // namespace
}  // namespace rotor
