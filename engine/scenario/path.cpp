// SPDX-License-Identifier: MIT
#include "engine/scenario/path.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rotor {

namespace {

// Whether dates ascend strictly and every price is positive and finite, each in one pass
// without a branch per value (the compiler vectorises both): a valid path, the only kind a
// run goes on with, pays no test and jump per value. Only a failed pass walks the values
// again, in the order of the messages, to name the first bad one.
bool datesAscend(const std::vector<Date>& dates) {
    unsigned bad = 0;
    for (std::size_t k = 1; k < dates.size(); ++k)
        bad |= static_cast<unsigned>(!(dates[k - 1].serial() < dates[k].serial()));
    return bad == 0;
}

bool allPositiveFinite(const double* v, Index n) {
    // isfinite(p) && p > 0 is 0 < p <= max: NaN fails both comparisons, infinities one each.
    constexpr double kMax = std::numeric_limits<double>::max();
    Index k = 0;
    bool ok = true;
#if defined(__SSE2__)
    // Two values per comparison (the compiler does not vectorise the scalar loop below).
    const __m128d zero = _mm_setzero_pd();
    const __m128d max = _mm_set1_pd(kMax);
    __m128d all = _mm_cmpeq_pd(zero, zero);  // every bit set
    for (; k + 2 <= n; k += 2) {
        const __m128d p = _mm_loadu_pd(v + k);
        all = _mm_and_pd(all, _mm_and_pd(_mm_cmpgt_pd(p, zero), _mm_cmple_pd(p, max)));
    }
    ok = _mm_movemask_pd(all) == 3;
#endif
    unsigned bad = 0;
    for (; k < n; ++k)
        bad |= static_cast<unsigned>(!(v[k] > 0.0)) | static_cast<unsigned>(!(v[k] <= kMax));
    return ok && bad == 0;
}

}  // namespace

Index Universe::find(const std::string& name) const {
    for (std::size_t i = 0; i < assets.size(); ++i)
        if (assets[i] == name) return static_cast<Index>(i);
    return -1;
}

bool Universe::hasValuation(const std::string& name) const {
    for (const auto& v : valued)
        if (v == name) return true;
    return false;
}

void fillCashAccrual(Path& path) {
    const Index t = path.days();
    ROTOR_REQUIRE(path.cashRate.size() == t,
                  "path cash rate has " << path.cashRate.size() << " days, expected " << t);
    if (path.accrual.size() != t) path.accrual.resize(t);
    if (t > 0) path.accrual(0) = 1.0;
    for (Index i = 1; i < t; ++i) {
        const auto k = static_cast<std::size_t>(i);
        path.accrual(i) = cashAccrual(path.cashRate(i - 1), path.dates[k] - path.dates[k - 1]);
    }
}

void validatePath(const Path& path, const Universe& universe, const Path* checkedHistory) {
    const Index t = path.days();
    ROTOR_REQUIRE(t >= 1, "path has no days");
    ROTOR_REQUIRE(path.prices.rows() == t && path.prices.cols() == universe.size(),
                  "path prices are " << path.prices.rows() << "x" << path.prices.cols()
                                     << ", expected " << t << "x" << universe.size());
    ROTOR_REQUIRE(path.cashRate.size() == t,
                  "path cash rate has " << path.cashRate.size() << " days, expected " << t);
    ROTOR_REQUIRE(path.accrual.size() == 0 || path.accrual.size() == t,
                  "path cash accrual has " << path.accrual.size() << " days, expected " << t);
    ROTOR_REQUIRE(path.valuation.size() == 0 ||
                      (path.valuation.rows() == t && path.valuation.cols() == universe.size()),
                  "path valuation is " << path.valuation.rows() << "x" << path.valuation.cols()
                                       << ", expected " << t << "x" << universe.size());
    if (!datesAscend(path.dates))
        for (Index i = 1; i < t; ++i) {
            const auto k = static_cast<std::size_t>(i);
            ROTOR_REQUIRE(path.dates[k - 1] < path.dates[k],
                          "path dates not ascending at " << path.dates[k].iso());
        }
    if (path.history) {
        const Path& h = *path.history;
        ROTOR_REQUIRE(!h.history, "a path's history has no history of its own");
        if (&h != checkedHistory) validatePath(h, universe);
        ROTOR_REQUIRE(h.dates.back() < path.dates.front(),
                      "path history ends " << h.dates.back().iso() << ", not before day 0 "
                                           << path.dates.front().iso());
    }
    if (!allPositiveFinite(path.prices.data(), path.prices.size()))
        for (Index i = 0; i < t; ++i)
            for (Index j = 0; j < path.prices.cols(); ++j) {
                const double p = path.prices(i, j);
                if (std::isfinite(p) && p > 0.0) continue;
                std::ostringstream os;
                os << "price of " << universe.assets[static_cast<std::size_t>(j)] << " on "
                   << path.dates[static_cast<std::size_t>(i)].iso() << " is " << p;
                throw PathError(std::nullopt, os.str());  // the caller knows the path's number
            }
}

}  // namespace rotor
