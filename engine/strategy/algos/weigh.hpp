// SPDX-License-Identifier: MIT
// Weigh steps: turn the selected slots into target weights.
#pragma once

#include "engine/strategy/algos/context.hpp"

#include <vector>

namespace rotor {

// Each slot gets 1 / (number of slots); kCash slots stay in cash. No slots: all cash.
class EqualWeight final : public WeighAlgo {
public:
    void weigh(RebalanceContext& ctx) const override;
};

// Each selected asset gets its fixed weight (size N; unselected assets get 0).
class FixedWeights final : public WeighAlgo {
public:
    explicit FixedWeights(Vector weights) : weights_(std::move(weights)) {}
    void weigh(RebalanceContext& ctx) const override;
    const Vector& weights() const { return weights_; }

private:
    Vector weights_;
};

// Weights proportional to the positive scores of the last ranking step (ctx.scores, oriented so
// that higher is preferred). With n slots: each slot holding an unscored asset (no ranking score,
// e.g. the safe asset put there by a filter) gets 1/n; cash slots stay in cash; the slots holding
// scored assets share the rest, m/n for m such slots, in proportion to max(score, 0). When
// some scores are +infinity those slots share it equally; when no score is positive the m/n go
// to `fallback` (the safe asset, or cash).
class ScoreProportional final : public WeighAlgo {
public:
    explicit ScoreProportional(Index fallback) : fallback_(fallback) {}
    void weigh(RebalanceContext& ctx) const override;

private:
    Index fallback_;
};

// Sample covariance (divisor n - 1) of the daily simple returns p(d)/p(d-1) - 1 of `assets` over
// the `lookback` days t-lookback+1..t: it reads closes t-lookback..t, so needs
// t - lookback >= view.firstDay() and lookback >= 2.
Matrix sampleCovariance(const MarketView& view, const std::vector<Index>& assets, long lookback);

// Risk weights for a covariance matrix (positive definite, n >= 1), each summing to 1:
// w_i proportional to 1 / sqrt(cov_ii).
Vector inverseVolatilityWeights(const Matrix& cov);
// Equal risk contribution: w_i (cov w)_i equal for every i, w > 0. Newton's method on
// cov y = 1 / y (the first-order condition of min y'cov y / 2 - sum log y), then w = y / sum y.
// Throws rotor::Error when it does not converge (not positive definite).
Vector riskParityWeights(const Matrix& cov);
// Long-only minimum variance: min w'cov w subject to sum w = 1, w >= 0, by the primal active-set
// method (exact for a positive definite cov). Throws rotor::Error when cov is not.
Vector minimumVarianceWeights(const Matrix& cov);

// Weighs the distinct assets of the selection by a risk rule over the covariance of the last
// `lookback` daily returns. The asset slots' share of all slots (1 when none is cash) is split
// by the rule; cash slots stay in cash. Until lookback + 1 closes exist it weighs as EqualWeight.
class RiskWeights final : public WeighAlgo {
public:
    enum class Rule { InverseVolatility, RiskParity, MinimumVariance };
    RiskWeights(Rule rule, long lookback);  // lookback >= 2
    void weigh(RebalanceContext& ctx) const override;

private:
    Rule rule_;
    long lookback_;
};

}  // namespace rotor
