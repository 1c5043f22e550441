// SPDX-License-Identifier: MIT
#include "engine/strategy/market_view.hpp"

#include "engine/core/error.hpp"

namespace rotor {

double MarketView::cashGrowth(Index from, Index to) const {
    check(from);
    check(to);
    double g = 1.0;
    for (Index d = from + 1; d <= to; ++d) g *= cashAccrual(cashRate(d - 1), date(d) - date(d - 1));
    return g;
}

void MarketView::lookAhead(Index day) const {
    ROTOR_REQUIRE(false, "look-ahead: strategy asked for day "
                             << day << " on day " << today_ << " (only " << first_ << ".." << today_
                             << " are visible)");
}

}  // namespace rotor
