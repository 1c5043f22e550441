// SPDX-License-Identifier: MIT
// A path: what the engine consumes. A historical replay is one path; Monte Carlo makes many.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

// Names of the tradable assets, in the column order of every path of a scenario.
struct Universe {
    std::vector<std::string> assets;
    // The assets whose paths carry a valuation series (Path::valuation): strategies that read
    // one check at parse time that it will be there.
    std::vector<std::string> valued = {};

    Index size() const { return static_cast<Index>(assets.size()); }
    // Column of `name`, or -1 when the universe does not hold it.
    Index find(const std::string& name) const;
    bool hasValuation(const std::string& name) const;
};

struct Path {
    std::vector<Date> dates;  // T trading days, strictly ascending
    PriceMatrix prices;       // T x N total-return (dividend-adjusted) prices, all > 0
    Vector cashRate;          // T, annual percent prevailing on day t; accrues ACT/360 to day t+1
    // Days known before day 0 (same assets, dates strictly before dates[0]): a forward path's
    // real history, so that signals with a lookback are live from day 0. Strategies read it as
    // days -H..-1 through MarketView; it is never traded. Null for a historical replay.
    std::shared_ptr<const Path> history;
    // T x N log valuation multiples (ln of a P/E-like level, or a documented proxy; higher is
    // dearer), as known on day t after any publication lag (docs/data.md, "Valuation series");
    // NaN where an asset has none or its series has not started. Empty: no valuation at all.
    Matrix valuation = Matrix();
    // Empty, or T entries (fillCashAccrual): accrual(t) = cashAccrual(cashRate(t - 1), calendar
    // days from t - 1 to t) for t >= 1, accrual(0) = 1. The backtests of a path's strategies and
    // their cash-relative signals all need these factors: computed once per path, they are read
    // instead of recomputed (the same expression, so the same bits).
    Vector accrual = Vector();

    Index days() const { return static_cast<Index>(dates.size()); }
    Index assets() const { return prices.cols(); }
};

// One day's ACT/360 growth factor of cash between trading days t-1 and t.
inline double cashAccrual(double annualPercent, int calendarDays) {
    return 1.0 + annualPercent / 100.0 * calendarDays / 360.0;
}

// Sets path.accrual from its rates and dates (call again whenever they change).
void fillCashAccrual(Path& path);

// Throws rotor::Error unless the shapes agree and dates ascend strictly, and PathError (without
// the path's number, which the caller adds) unless prices are positive and finite. Cheap enough
// to call once per path.
// A history that is `checkedHistory` (already validated: Monte Carlo paths share one) is not
// validated again.
void validatePath(const Path& path, const Universe& universe, const Path* checkedHistory = nullptr);

}  // namespace rotor
