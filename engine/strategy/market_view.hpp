// SPDX-License-Identifier: MIT
// What a strategy may see on day t: the path up to and including t, never beyond.
// This class is the one place the no-look-ahead rule is enforced.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"

#include <limits>

namespace rotor {

class MarketView {
public:
    MarketView(const Path& path, Index today)
        : path_(&path),
          history_(path.history.get()),
          first_(history_ ? -history_->days() : 0),
          today_(today) {}

    Index today() const { return today_; }  // index t of the decision day
    // The earliest visible day: 0, or -H when the path carries H days of history before day 0
    // (a forward path). Lookback signals are filled once t - lookback >= firstDay().
    Index firstDay() const { return first_; }
    Index assets() const { return path_->assets(); }
    Date date(Index day) const {
        check(day);
        return day >= 0 ? path_->dates[static_cast<std::size_t>(day)]
                        : history_->dates[static_cast<std::size_t>(day - first_)];
    }
    double price(Index day, Index asset) const {
        check(day);
        return day >= 0 ? path_->prices(day, asset) : history_->prices(day - first_, asset);
    }
    double cashRate(Index day) const {
        check(day);
        return day >= 0 ? path_->cashRate(day) : history_->cashRate(day - first_);
    }
    // The asset's log valuation multiple known on `day` (Path::valuation); NaN when the path
    // (or its history, for day < 0) carries none for it.
    double valuation(Index day, Index asset) const {
        check(day);
        const Path& p = day >= 0 ? *path_ : *history_;
        const Index row = day >= 0 ? day : day - first_;
        return p.valuation.size() == 0 ? std::numeric_limits<double>::quiet_NaN()
                                       : p.valuation(row, asset);
    }
    // Rows 0..t of the price matrix (day 0 on; the history is read through price()).
    auto prices() const { return path_->prices.topRows(today_ + 1); }
    // Growth of one unit of cash held from the close of `from` to the close of `to` (from <= to <=
    // t), accruing ACT/360 at the rate prevailing on each day, as the portfolio's cash does.
    double cashGrowth(Index from, Index to) const;
    // The same factors multiplied in eight interleaved chains (within 2 n 2^-53
    // relative of cashGrowth over n days), or cashGrowth itself without the accrual caches.
    double cashGrowthFast(Index from, Index to) const;
    // The sum of an asset's prices over days from..to (from <= to <= t), added in day order.
    double priceSum(Index from, Index to, Index asset) const;
    // The same terms added in eight interleaved chains: an eighth of the latency, another
    // rounding. For n positive terms any order of additions is within (n - 1) 2^-53 of the
    // exact sum (in relative terms), so this serves comparisons that fall back on priceSum near
    // a tie.
    double priceSumFast(Index from, Index to, Index asset) const;

private:
    // Throws rotor::Error when a strategy asks for a day after t (or before the first day).
    void check(Index day) const {
        if (day < first_ || day > today_) lookAhead(day);
    }
    [[noreturn]] void lookAhead(Index day) const;

    const Path* path_;
    const Path* history_;
    Index first_;
    Index today_;
};

}  // namespace rotor
