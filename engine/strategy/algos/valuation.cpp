// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/valuation.hpp"

#include "engine/core/error.hpp"

#include <cmath>

namespace rotor {

std::optional<double> valuationSpreadZ(const MarketView& view, Index small, Index large,
                                       long window, Index day) {
    if (day - window + 1 < view.firstDay()) return std::nullopt;
    // Two passes (mean, then squared deviations): exact enough for log multiples.
    double sum = 0.0;
    for (Index d = day - window + 1; d <= day; ++d) {
        const double s = view.valuation(d, large) - view.valuation(d, small);
        if (std::isnan(s)) return std::nullopt;
        sum += s;
    }
    const double mean = sum / static_cast<double>(window);
    double squares = 0.0;
    for (Index d = day - window + 1; d <= day; ++d) {
        const double e = view.valuation(d, large) - view.valuation(d, small) - mean;
        squares += e * e;
    }
    const double sd = std::sqrt(squares / static_cast<double>(window - 1));
    if (!(sd > 0.0)) return 0.0;
    return (view.valuation(day, large) - view.valuation(day, small) - mean) / sd;
}

SelectValuationSpread::SelectValuationSpread(Index small, Index large, long window, double enterZ,
                                             double exitZ, Index fallback, std::size_t memoryAt)
    : small_(small),
      large_(large),
      window_(window),
      enterZ_(enterZ),
      exitZ_(exitZ),
      fallback_(fallback),
      memoryAt_(memoryAt) {
    ROTOR_REQUIRE(window >= 2 && exitZ <= enterZ && small != large && small >= 0 && large >= 0,
                  "valuation spread needs window >= 2, exit_z <= enter_z and two distinct assets; "
                  "got "
                      << window << ", " << enterZ << ", " << exitZ);
}

void SelectValuationSpread::select(RebalanceContext& ctx) const {
    const MarketView& v = *ctx.view;
    const Index t = v.today();
    ROTOR_REQUIRE(memoryAt_ + 2 <= ctx.memory.size(),
                  "valuation spread memory at " << memoryAt_ << " outside " << ctx.memory.size());
    double& lastDay = ctx.memory[memoryAt_];
    double& state = ctx.memory[memoryAt_ + 1];
    Index from = v.firstDay();
    bool small = false;
    if (!std::isnan(lastDay)) {
        from = static_cast<Index>(lastDay) + 1;
        small = state > 0.5;
    }
    std::optional<double> z;
    for (Index d = from; d <= t; ++d) {
        z = valuationSpreadZ(v, small_, large_, window_, d);
        // No z-score resets to large caps; otherwise enter at enterZ, leave below exitZ.
        small = z && (small ? *z >= exitZ_ : *z >= enterZ_);
    }
    if (from > t) z = valuationSpreadZ(v, small_, large_, window_, t);  // t seen already
    lastDay = static_cast<double>(t);
    state = small ? 1.0 : 0.0;
    ctx.selected.clear();
    ctx.selected.push_back(!z ? fallback_ : small ? small_ : large_);
}

}  // namespace rotor
