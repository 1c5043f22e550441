// SPDX-License-Identifier: MIT
// Exact fast path for the plain decimals data files hold (`-12.345`): the same double as
// std::from_chars, several times faster than GCC 12's, and a "not handled" answer otherwise.
#pragma once

#include <cstdint>

namespace rotor {

// Parses `[-]D+[.D+]` starting at `first` (stopping at `last` or at the first character that
// cannot continue the number) and returns the end of the number, or nullptr when the text is not
// of that shape or is outside the exact range below; the caller then uses std::from_chars.
//
// Why it is exact (Clinger's fast path): with all the digits read as one integer w <= 2^53 and f
// <= 22 digits after the point, both w and 10^f are exact doubles, and one IEEE division rounds
// w / 10^f correctly, which is what from_chars returns (round to nearest, the default mode).
// Everything else (exponents, more digits, `.5`, `5.`, `+1`, inf, nan) returns nullptr.
inline const char* parseDecimalFast(const char* first, const char* last, double& out) {
    static constexpr double kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                          1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                          1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;
    const char* p = first;
    const bool negative = p != last && *p == '-';
    if (negative) ++p;
    std::uint64_t w = 0;
    int digits = 0;  // 19 digits cannot overflow 64 bits; more are left to from_chars
    const char* intBegin = p;
    while (p != last && *p >= '0' && *p <= '9') {
        if (++digits > 19) return nullptr;
        w = w * 10 + static_cast<std::uint64_t>(*p - '0');
        ++p;
    }
    if (p == intBegin) return nullptr;
    int fraction = 0;
    if (p != last && *p == '.') {
        ++p;
        const char* fracBegin = p;
        while (p != last && *p >= '0' && *p <= '9') {
            if (++digits > 19) return nullptr;
            w = w * 10 + static_cast<std::uint64_t>(*p - '0');
            ++p;
        }
        fraction = static_cast<int>(p - fracBegin);
        if (fraction == 0 || fraction > 22) return nullptr;
    }
    if (p != last && (*p == 'e' || *p == 'E')) return nullptr;
    if (w > kMaxExact) return nullptr;
    double v = static_cast<double>(w);
    if (fraction > 0) v /= kPow10[fraction];
    out = negative ? -v : v;
    return p;
}

}  // namespace rotor
