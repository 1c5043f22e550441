// SPDX-License-Identifier: MIT
#include "engine/strategy/market_view.hpp"

#include "engine/core/error.hpp"

namespace rotor {

double MarketView::cashGrowth(Index from, Index to) const {
    check(from);
    check(to);
    double g = 1.0;
    for (Index d = from + 1; d <= to; ++d) {
        const auto k = static_cast<std::size_t>(d);
        g *= cashAccrual(path_->cashRate(d - 1), path_->dates[k] - path_->dates[k - 1]);
    }
    return g;
}

void MarketView::lookAhead(Index day) const {
    ROTOR_REQUIRE(false, "look-ahead: strategy asked for day " << day << " on day " << today_
                                                               << " (only 0.." << today_
                                                               << " are visible)");
}

}  // namespace rotor
