// SPDX-License-Identifier: MIT
// Select steps: which assets (slots) a rebalance holds. Signals read the MarketView only, so
// they see days 0..t. `fallback` is where a slot goes when its asset is rejected or the signal
// has too little history: a safe asset's column, or kCash.
#pragma once

#include "engine/strategy/algos/context.hpp"

#include <vector>

namespace rotor {

// Selects a fixed list of assets, in list order.
class SelectAssets final : public SelectAlgo {
public:
    explicit SelectAssets(std::vector<Index> assets);
    void select(RebalanceContext& ctx) const override;

private:
    std::vector<Index> assets_;
};

// Lookback return with a skip: price(t-skip) / price(t-skip-lookback) - 1. Needs
// t - skip - lookback >= the view's first day (checked by the callers through momentumFilled).
double momentumScore(const MarketView& view, Index asset, long lookback, long skip);
inline bool momentumFilled(const MarketView& view, long lookback, long skip) {
    return view.today() - skip - lookback >= view.firstDay();
}

// Narrows the current selection to its k best lookback returns, best first; equal scores keep
// selection order, so ties go to the asset listed first. While the lookback is not filled the
// selection becomes the single slot `fallback`. Requires lookback >= 1, skip >= 0, k >= 1.
class SelectTopMomentum final : public SelectAlgo {
public:
    SelectTopMomentum(long lookback, long skip, long k, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    long lookback_;
    long skip_;
    long k_;
    Index fallback_;
};

// SelectTopMomentum's mirror: keeps the k lowest lookback returns, lowest first (ties to the
// asset listed first), for contrarian or mean-reversion stacks.
class SelectBottomMomentum final : public SelectAlgo {
public:
    SelectBottomMomentum(long lookback, long skip, long k, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    long lookback_;
    long skip_;
    long k_;
    Index fallback_;
};

// Absolute momentum: replaces each selected asset whose lookback return is below the return of
// cash over the same days (MarketView::cashGrowth - 1) with `fallback`. A return equal to
// cash's is kept. While the lookback is not filled every asset slot goes to `fallback`.
class FilterAbsoluteMomentum final : public SelectAlgo {
public:
    FilterAbsoluteMomentum(long lookback, long skip, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    long lookback_;
    long skip_;
    Index fallback_;
};

// Trend filter: keeps a selected asset while its close is strictly above its simple moving
// average of the last `window` closes (t-window+1..t); otherwise the slot goes to `fallback`.
// Before `window` closes exist every asset slot goes to `fallback`. Requires window >= 2.
class FilterTrend final : public SelectAlgo {
public:
    FilterTrend(long window, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    long window_;
    Index fallback_;
};

}  // namespace rotor
