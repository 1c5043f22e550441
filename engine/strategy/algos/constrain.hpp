// SPDX-License-Identifier: MIT
// Constrain steps: adjust or check the weights before they reach the engine. They run in stack
// order after the weigh step; weights are long-only throughout (>= 0), 1 - sum is cash.
#pragma once

#include "engine/strategy/algos/context.hpp"

namespace rotor {

// Long-only sanity check: every weight finite and >= 0 and their sum <= maxGross (+1e-9).
// A sum above 1 is leverage (negative cash, borrowed at the cash rate plus the borrow spread).
// Throws rotor::Error naming the day and the offending value: a strategy bug, not user input.
class RequireLongOnly final : public ConstrainAlgo {
public:
    explicit RequireLongOnly(double maxGross) : maxGross_(maxGross) {}
    void constrain(RebalanceContext& ctx) const override;

private:
    double maxGross_;
};

// Volatility targeting: scales every weight by s = target / sigma, where sigma is the annualised
// volatility sqrt(252 w'C w) of the weighted portfolio and C the sample covariance of the held
// assets' last `lookback` daily returns (see sampleCovariance), then caps the sum at
// maxLeverage: s = min(target / sigma, maxLeverage / sum w). With sigma = 0, or before
// lookback + 1 closes exist, only the cap applies (s = min(1, maxLeverage / sum w)).
class TargetVolatility final : public ConstrainAlgo {
public:
    TargetVolatility(double target, long lookback, double maxLeverage);
    void constrain(RebalanceContext& ctx) const override;

private:
    double target_;
    long lookback_;
    double maxLeverage_;
};

// Caps every weight at `limit`; the excess goes to the held assets below the cap in proportion
// to their weights, repeatedly, until none is above it. What no asset can take stays in cash.
class MaxWeight final : public ConstrainAlgo {
public:
    explicit MaxWeight(double limit);
    void constrain(RebalanceContext& ctx) const override;

private:
    double limit_;
};

// Drops held weights below `limit`: the smallest one goes to 0 and the others are scaled up to
// keep the sum, repeatedly, until every held weight is >= limit or one asset is left.
class MinWeight final : public ConstrainAlgo {
public:
    explicit MinWeight(double limit);
    void constrain(RebalanceContext& ctx) const override;

private:
    double limit_;
};

// Scales the weights down so that their sum is at most maxGross (leaves them when it is).
// CashBuffer(f) is GrossLimit(1 - f): at least f of equity in cash.
class GrossLimit final : public ConstrainAlgo {
public:
    explicit GrossLimit(double maxGross);
    void constrain(RebalanceContext& ctx) const override;

private:
    double maxGross_;
};

// Caps the one-way turnover of a rebalance. With current weights c (ctx.current, before trading)
// and target w, d = w - c; the one-way turnover is tau = (sum |d_i| + |sum d_i|) / 2, the larger
// of the buys and the sells (cash counted as an asset). When tau > limit the target becomes
// c + (limit / tau) d: the same direction, moved part of the way, with turnover exactly `limit`.
// Long-only weights stay long-only (a convex combination of c and w).
class MaxTurnover final : public ConstrainAlgo {
public:
    explicit MaxTurnover(double limit);
    void constrain(RebalanceContext& ctx) const override;

private:
    double limit_;
};

}  // namespace rotor
