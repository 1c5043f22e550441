// SPDX-License-Identifier: MIT
// validatePath's value checks: a path is accepted exactly when a day-by-day scan written out
// here finds every date after the one before it and every price positive and finite, and a
// rejected path names the first bad date or price in that scan's order (day, then asset); a bad
// price is a PathError (without a path number), a bad date a plain Error.
#include "engine/scenario/path.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace path_test {

// A path of `days` days and `assets` assets with prices 1 + day + asset / 8.
Path makePath(Index days, Index assets) {
    Path p;
    for (Index d = 0; d < days; ++d)
        p.dates.push_back(Date::fromYmd(2026, 1, 2) + static_cast<int>(d));
    p.prices.resize(days, assets);
    for (Index d = 0; d < days; ++d)
        for (Index a = 0; a < assets; ++a)
            p.prices(d, a) = 1.0 + static_cast<double>(d) + static_cast<double>(a) / 8.0;
    p.cashRate = Vector::Constant(days, 3.0);
    return p;
}

Universe universe(Index assets) {
    Universe u;
    for (Index a = 0; a < assets; ++a) u.assets.push_back("A" + std::to_string(a));
    return u;
}

// The message of the first failure of the straightforward scan, or nullopt.
std::optional<std::string> firstFailure(const Path& p, const Universe& u) {
    for (std::size_t k = 1; k < p.dates.size(); ++k)
        if (!(p.dates[k - 1] < p.dates[k]))
            return "path dates not ascending at " + p.dates[k].iso();
    for (Index d = 0; d < p.prices.rows(); ++d)
        for (Index a = 0; a < p.prices.cols(); ++a) {
            const double v = p.prices(d, a);
            if (!(std::isfinite(v) && v > 0.0)) {
                std::ostringstream os;
                os << "price of " << u.assets[static_cast<std::size_t>(a)] << " on "
                   << p.dates[static_cast<std::size_t>(d)].iso() << " is " << v;
                return os.str();
            }
        }
    return std::nullopt;
}

void expectAsTheScan(const Path& p, const Universe& u, const std::string& what) {
    const std::optional<std::string> want = firstFailure(p, u);
    try {
        validatePath(p, u);
        EXPECT_FALSE(want.has_value()) << what << ": accepted, the scan says " << *want;
    } catch (const PathError& e) {
        // A bad price is a PathError with no path number (the Monte Carlo caller adds it).
        ASSERT_TRUE(want.has_value()) << what << ": rejected: " << e.what();
        EXPECT_EQ(want->rfind("price of ", 0), 0u) << what << ": " << e.what();
        EXPECT_FALSE(e.path().has_value()) << what;
        EXPECT_EQ(e.detail(), *want) << what;
        EXPECT_EQ(std::string(e.what()), *want) << what;
    } catch (const Error& e) {
        ASSERT_TRUE(want.has_value()) << what << ": rejected: " << e.what();
        EXPECT_EQ(want->rfind("price of ", 0), std::string::npos) << what << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find(*want), std::string::npos)
            << what << ": " << e.what() << " against " << *want;
    }
}

// Each kind of bad price (0, -0, a negative, the infinities, NaN) and the extreme good ones
// (the smallest subnormal, the largest finite) at every position of paths whose value counts
// are odd and even (the check takes two values at a time); two bad prices, the later one on
// an earlier day; then dates equal or falling at the first, a middle and the last pair.
TEST(ValidatePath, AcceptsAndNamesTheFirstBadValueAsTheDayByDayScan) {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> values = {0.0,       -0.0,
                                        -1.0,      inf,
                                        -inf,      std::numeric_limits<double>::quiet_NaN(),
                                        0x1p-1074, std::numeric_limits<double>::max(),
                                        5.0};
    for (const auto& [days, assets] :
         {std::pair<Index, Index>{7, 3}, {6, 4}, {1, 1}, {2, 1}, {5, 2}}) {
        const Universe u = universe(assets);
        EXPECT_NO_THROW(validatePath(makePath(days, assets), u));
        for (Index d = 0; d < days; ++d)
            for (Index a = 0; a < assets; ++a)
                for (const double v : values) {
                    Path p = makePath(days, assets);
                    p.prices(d, a) = v;
                    expectAsTheScan(p, u,
                                    "one value at " + std::to_string(d) + "," + std::to_string(a));
                    // A second bad value at every other position: the message names the one the
                    // day-by-day scan meets first.
                    for (Index d2 = 0; d2 < days; ++d2)
                        for (Index a2 = 0; a2 < assets; ++a2) {
                            if (d2 == d && a2 == a) continue;
                            Path q = p;
                            q.prices(d2, a2) = -2.0;
                            expectAsTheScan(q, u, "two values");
                        }
                }
    }
    const Universe u = universe(2);
    for (const Index at : {Index{1}, Index{4}, Index{8}}) {
        for (const int step : {0, -1, -30}) {
            Path p = makePath(9, 2);
            p.dates[static_cast<std::size_t>(at)] = p.dates[static_cast<std::size_t>(at - 1)] +
                                                    step;
            p.prices(0, 0) = -1.0;  // the dates are checked first
            expectAsTheScan(p, u, "dates at " + std::to_string(at));
            EXPECT_THROW(validatePath(p, u), Error);
        }
    }
}

}  // namespace path_test
}  // namespace
}  // namespace rotor
