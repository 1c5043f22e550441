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

// Risk-adjusted momentum: the lookback return (momentumScore) divided by the annualised
// volatility sqrt(252) x s of the daily returns p(d)/p(d-1) - 1 over the same days
// (d = t-skip-lookback+1 .. t-skip; s the sample standard deviation, divisor lookback - 1).
// With s = 0: 0 for a zero return, else +-infinity by its sign. Needs lookback >= 2.
double riskAdjustedScore(const MarketView& view, Index asset, long lookback, long skip);

// What a ranking step ranks by.
enum class RankScore { Return, RiskAdjusted };
const char* rankScoreName(RankScore score);  // "return", "risk_adjusted"

// Narrows the current selection to its k best lookback returns, best first; equal scores keep
// selection order, so ties go to the asset listed first. While the lookback is not filled the
// selection becomes the single slot `fallback`. Requires lookback >= 1, skip >= 0, k >= 1
// (lookback >= 2 for RankScore::RiskAdjusted). The kept assets' scores go to ctx.scores.
class SelectTopMomentum final : public SelectAlgo {
public:
    SelectTopMomentum(long lookback, long skip, long k, Index fallback,
                      RankScore score = RankScore::Return);
    void select(RebalanceContext& ctx) const override;

private:
    long lookback_;
    long skip_;
    long k_;
    Index fallback_;
    RankScore score_;
};

// SelectTopMomentum's mirror: keeps the k lowest lookback returns, lowest first (ties to the
// asset listed first), for contrarian or mean-reversion stacks. Its ctx.scores are the
// negated scores (lower return, higher preference).
class SelectBottomMomentum final : public SelectAlgo {
public:
    SelectBottomMomentum(long lookback, long skip, long k, Index fallback,
                         RankScore score = RankScore::Return);
    void select(RebalanceContext& ctx) const override;

private:
    long lookback_;
    long skip_;
    long k_;
    Index fallback_;
    RankScore score_;
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

// A memoryless rate regime: easing on day t when cashRate(t) < cashRate(t - lookback) -
// thresholdBp / 100 (rates are in annual percent; 1 bp = 0.01). Selects `easing` when easing,
// else `other` (or the single slot `fallback` when `other` is empty). Before day `lookback` the
// selection is `fallback`.
class SelectRateRegime final : public SelectAlgo {
public:
    SelectRateRegime(std::vector<Index> easing, std::vector<Index> other, long lookback,
                     double thresholdBp, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    std::vector<Index> easing_;
    std::vector<Index> other_;
    long lookback_;
    double thresholdPercent_;
    Index fallback_;
};

// A rate regime with hysteresis. The fall of the policy (cash) rate on day d is
// f(d) = cashRate(d - lookback) - cashRate(d), in percent. The regime starts "other" on the first
// day with a filled lookback and is updated for every day up to t, whether or not the stack ran
// on it: it turns "easing" on a day with f >= enterBp / 100 and back to "other" on a day with
// f < exitBp / 100 (exitBp <= enterBp; equal: no hysteresis), each within 1e-9 percentage
// points. Selects `easing` in the easing regime, else `other` (the single slot `fallback` when
// `other` is empty); before the lookback is filled, `fallback`. Keeps its per-path state (last
// day seen, regime) in ctx.memory[memoryAt], ctx.memory[memoryAt + 1].
class SelectRateRegimeBand final : public SelectAlgo {
public:
    SelectRateRegimeBand(std::vector<Index> easing, std::vector<Index> other, long lookback,
                         double enterBp, double exitBp, Index fallback, std::size_t memoryAt);
    void select(RebalanceContext& ctx) const override;

private:
    bool easing(RebalanceContext& ctx) const;  // updates the state through day t

    std::vector<Index> easing_;
    std::vector<Index> other_;
    long lookback_;
    double enterPercent_;
    double exitPercent_;
    Index fallback_;
    std::size_t memoryAt_;
};

}  // namespace rotor
