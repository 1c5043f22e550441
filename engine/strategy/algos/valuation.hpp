// SPDX-License-Identifier: MIT
// Valuation-spread rotation: hold small caps while their valuation discount to large caps is
// unusually wide against its own recent history (docs/strategies.md, "valuation_rotation").
#pragma once

#include "engine/strategy/algos/context.hpp"

#include <optional>

namespace rotor {

// The spread on day d is s(d) = v(large, d) - v(small, d), v the MarketView's log valuation
// multiple: how much cheaper the small asset is, in log points. Its z-score on day d is
// (s(d) - mean) / sd over the `window` days d-window+1..d (sd the sample standard deviation,
// divisor window - 1; z = 0 when sd = 0); none when a day of the window is before the view's
// first day or has no valuation (NaN).
std::optional<double> valuationSpreadZ(const MarketView& view, Index small, Index large,
                                       long window, Index day);

// A regime with hysteresis on that z-score, updated for every day up to t whether or not the
// stack ran on it: it starts "large" and turns "small" on a day with z >= enterZ, back to
// "large" on a day with z < exitZ (exitZ <= enterZ; equal: no hysteresis); a day without a
// z-score resets it to "large". Selects `small` in the small regime, else `large`; `fallback`
// on a day without a z-score. Keeps its per-path state (last day seen, regime) in
// ctx.memory[memoryAt], ctx.memory[memoryAt + 1].
class SelectValuationSpread final : public SelectAlgo {
public:
    SelectValuationSpread(Index small, Index large, long window, double enterZ, double exitZ,
                          Index fallback, std::size_t memoryAt);
    void select(RebalanceContext& ctx) const override;

private:
    Index small_;
    Index large_;
    long window_;
    double enterZ_;
    double exitZ_;
    Index fallback_;
    std::size_t memoryAt_;
};

}  // namespace rotor
