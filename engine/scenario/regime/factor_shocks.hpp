// SPDX-License-Identifier: MIT
// The regime model's daily factor shocks from the day's normals: the product with the class's
// Cholesky factor, the Student-t scale and the stress state's scale and shift, in the order
// that fixes their bits (a header of its own so that a test can hold it to the product written
// out).
#pragma once

#include "engine/core/types.hpp"

#include <cstddef>

namespace rotor {

// shock = L * (z * scale) for a K x K lower-triangular column-major L, each row summed in
// column order from +0 as Eigen's column-major GEMV does (no FMA contraction in this build);
// then, with `stress` ({scale, shift} of the day's state), every shock but the last (the
// yield's) times the scale and the first plus the shift. z * 1 is z bit for bit, so scale = 1
// leaves the normals as drawn.
//
// For a fixed K the sums stay in registers, and column j skips the rows above the pair of rows
// that holds row j (two rows share a vector register). The terms skipped are zeros of L times
// finite normals, +0 or -0, that the full product adds after all of the row's other terms to a
// sum that cannot be -0 (it starts at +0, and a sum of IEEE doubles rounded to nearest is -0 only
// when both addends are): s + (+-0) is s then, so the shocks keep their bits.
template <std::size_t K>
[[gnu::always_inline]] inline void dailyFactorShocksFixed(const double* chol, const double* z,
                                                          double scale, const double* stress,
                                                          double* shock) {
    double s[K];
    for (std::size_t i = 0; i < K; ++i) s[i] = 0.0;
    for (std::size_t j = 0; j < K; ++j) {
        const double zj = z[j] * scale;
        for (std::size_t i = j & ~std::size_t{1}; i < K; ++i) s[i] += chol[j * K + i] * zj;
    }
    if (stress) {
        for (std::size_t i = 0; i + 1 < K; ++i) s[i] *= stress[0];
        s[0] += stress[1];
    }
    for (std::size_t i = 0; i < K; ++i) shock[i] = s[i];
}

// Inlined into the day loop (as a header function it would otherwise be called, its operands
// passed through memory).
[[gnu::always_inline]] inline void dailyFactorShocks(Index k, const double* chol, const double* z,
                                                     double scale, const double* stress,
                                                     double* shock) {
    switch (k) {
        case 4: return dailyFactorShocksFixed<4>(chol, z, scale, stress, shock);
        case 5: return dailyFactorShocksFixed<5>(chol, z, scale, stress, shock);
        case 6: return dailyFactorShocksFixed<6>(chol, z, scale, stress, shock);
        case 7: return dailyFactorShocksFixed<7>(chol, z, scale, stress, shock);
        case 8: return dailyFactorShocksFixed<8>(chol, z, scale, stress, shock);
        default: break;
    }
    for (Index i = 0; i < k; ++i) shock[i] = 0.0;
    for (Index j = 0; j < k; ++j) {
        const double zj = z[j] * scale;
        const double* col = chol + j * k;
        for (Index i = 0; i < k; ++i) shock[i] += col[i] * zj;
    }
    if (stress) {
        for (Index i = 0; i + 1 < k; ++i) shock[i] *= stress[0];
        shock[0] += stress[1];
    }
}

}  // namespace rotor
