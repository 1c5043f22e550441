// SPDX-License-Identifier: MIT
// The regime model's daily factor shocks (the fixed-size product that skips the zeros above the
// Cholesky factor's diagonal, with the Student-t scale and the stress folded in) against the
// computation written out in full: the normals scaled in place, the whole square product summed
// row by row in column order from +0, then the stress state's scale and shift; bit for bit.
#include "engine/scenario/regime/factor_shocks.hpp"

#include <Eigen/Cholesky>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace rotor {
namespace {
namespace factor_shocks_test {

std::uint64_t bits(double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

// The shocks as the day loop computed them before: every term of the k x k product.
std::vector<double> written(const Matrix& chol, std::vector<double> z, double scale,
                            const double* stress) {
    const Index k = chol.rows();
    for (double& v : z) v *= scale;
    std::vector<double> shock(static_cast<std::size_t>(k));
    for (Index i = 0; i < k; ++i) {
        double s = 0.0;
        for (Index j = 0; j < k; ++j) s += chol(i, j) * z[static_cast<std::size_t>(j)];
        shock[static_cast<std::size_t>(i)] = s;
    }
    if (stress) {
        for (Index i = 0; i + 1 < k; ++i) shock[static_cast<std::size_t>(i)] *= stress[0];
        shock[0] += stress[1];
    }
    return shock;
}

void expectSameBits(const Matrix& chol, const std::vector<double>& z, double scale,
                    const double* stress) {
    const Index k = chol.rows();
    std::vector<double> shock(static_cast<std::size_t>(k), 12345.0);
    dailyFactorShocks(k, chol.data(), z.data(), scale, stress, shock.data());
    const std::vector<double> want = written(chol, z, scale, stress);
    for (std::size_t i = 0; i < shock.size(); ++i)
        ASSERT_EQ(bits(shock[i]), bits(want[i]))
            << "k " << k << " row " << i << ": " << shock[i] << " against " << want[i];
}

TEST(FactorShocks, SkippedZerosLeaveEveryShocksBits) {
    std::mt19937_64 gen(20260102);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> unit(0.5, 3.0);
    const double stress[2] = {1.37, -2.1e-4};
    for (Index k = 1; k <= 10; ++k) {
        for (int trial = 0; trial < 2000; ++trial) {
            // A covariance's Cholesky factor as the model builds it (+0 above the diagonal).
            Matrix a(k, k);
            for (Index i = 0; i < k; ++i)
                for (Index j = 0; j < k; ++j) a(i, j) = normal(gen);
            const Matrix cov = a * a.transpose() + Matrix::Identity(k, k) * 1e-3;
            const Matrix chol = Eigen::LLT<Matrix>(cov * 1e-4).matrixL();
            std::vector<double> z(static_cast<std::size_t>(k));
            for (double& v : z) v = normal(gen);
            const double scale = 2.0 / std::sqrt(unit(gen));
            expectSameBits(chol, z, 1.0, nullptr);
            expectSameBits(chol, z, scale, nullptr);
            expectSameBits(chol, z, scale, stress);
        }
    }
}

TEST(FactorShocks, SignedZerosAndZeroRowsKeepTheirSigns) {
    // Rows whose every term is a zero product: with negative normals the terms are -0, and the
    // sum from +0 is +0 (worked out by hand: +0 + -0 = +0), as in the full product.
    for (Index k = 1; k <= 10; ++k) {
        Matrix chol = Matrix::Zero(k, k);
        for (Index i = 0; i < k; ++i)
            for (Index j = 0; j <= i; ++j)
                chol(i, j) = (i + j) % 3 == 0 ? 0.0 : 0.1 * static_cast<double>(i - j + 1);
        for (Index j = 0; j < k; j += 2) chol(k - 1 - j / 2, j / 2) = -0.0;  // -0 below or on it
        for (Index j = 0; j < k; ++j) chol(k / 2, j) = 0.0;                  // a row of zeros
        for (const double fill : {-1.5, -0.0, 0.0, 2.5, -4.9e-324, 1e300}) {
            std::vector<double> z(static_cast<std::size_t>(k), fill);
            for (std::size_t j = 1; j < z.size(); j += 3) z[j] = -z[j];
            for (const double scale : {1.0, 0.5, 3.0}) {
                expectSameBits(chol, z, scale, nullptr);
                const double minusZeroShift[2] = {2.0, -0.0};
                const double shift[2] = {0.75, 1e-4};
                expectSameBits(chol, z, scale, minusZeroShift);
                expectSameBits(chol, z, scale, shift);
            }
        }
        // All normals negative: the zero row's shock is +0, not -0.
        std::vector<double> z(static_cast<std::size_t>(k), -1.0);
        std::vector<double> shock(static_cast<std::size_t>(k));
        dailyFactorShocks(k, chol.data(), z.data(), 1.0, nullptr, shock.data());
        EXPECT_EQ(bits(shock[static_cast<std::size_t>(k / 2)]), bits(0.0)) << "k " << k;
    }
}

}  // namespace factor_shocks_test
}  // namespace
}  // namespace rotor
