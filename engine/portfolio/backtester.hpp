// SPDX-License-Identifier: MIT
// The day loop: marks a cash + fractional-positions portfolio to market, accrues cash ACT/360,
// asks the strategy for targets and trades them with costs. Allocation-free per day once the
// result buffers are sized, so Monte Carlo can call it many thousands of times.
#pragma once

#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/strategy.hpp"

#include <vector>

namespace rotor {

struct CostModel {
    double commissionBps = 0.0;    // of traded notional, per trade
    double slippageBps = 0.0;      // of traded notional, per trade (execution worse than close)
    double minCommission = 0.0;    // minimum commission per trade (currency); 0 = none
    double borrowSpreadBps = 0.0;  // paid over the cash rate on negative cash
};

enum class Execution {
    Close,      // trade at the close of the signal day
    NextClose,  // trade at the close of the next trading day
};

struct BacktestConfig {
    double initialCapital = 1.0;
    CostModel costs;
    Execution execution = Execution::Close;
    bool recordTrades = true;     // per-trade records (off for Monte Carlo)
    bool recordPositions = true;  // quantities after each rebalance, to rebuild daily weights
};

struct Trade {
    Index day;        // row of the path
    Index asset;      // column of the path
    double quantity;  // signed: > 0 buy
    double price;     // close price used
    double notional;  // |quantity| * price
    double commission;
    double slippage;
};

// Holdings right after the trades of `day`.
struct PositionSnapshot {
    Index day;
    double cash;
};

struct BacktestResult {
    Vector equity;      // T: equity at each close, after that day's trades and costs
    Vector cashReturn;  // T: return of cash from t-1 to t (0 on day 0): the risk-free leg
    Vector turnover;    // T: one-way traded notional / pre-trade equity on that day
    double commission = 0.0;
    double slippage = 0.0;
    long rebalances = 0;  // days on which at least one trade was made
    std::vector<Trade> trades;
    std::vector<PositionSnapshot> snapshots;  // with recordPositions
    std::vector<double> snapshotQuantities;   // N quantities per snapshot, flattened

    double totalCosts() const { return commission + slippage; }
};

class Backtester {
public:
    explicit Backtester(BacktestConfig config) : config_(config) {}
    const BacktestConfig& config() const { return config_; }

    // Runs `strategy` over `path`; `out` is resized as needed and reused across calls.
    // Day 0 is always a decision day so every strategy starts invested per its own rules.
    void run(const Path& path, Strategy& strategy, BacktestResult& out);

private:
    // Moves holdings to `target` weights of post-cost equity at `prices`; returns traded notional.
    double trade(Index day, const double* prices, const Vector& target, BacktestResult& out);
    // Days [from, to) on which the strategy cannot rebalance and no trade is pending: accrual and
    // marking to market only. Returns `to`.
    Index stretch(const Path& path, Index from, Index to, double borrowSpread, BacktestResult& out);
    // The same for the days before a band strategy's next calendar day: stops at the first day on
    // which mayCross holds and returns it (not run: cash as before it), or returns `to`.
    Index bandStretch(const Path& path, Index from, Index to, double borrowSpread,
                      const Strategy::DriftBand& band, BacktestResult& out);
    // False when no held or unheld asset's weight (q p / equity, 0 where not held) can be
    // further than band.width from band.lastTarget: then the strategy is not due by its band.
    bool mayCross(const Strategy::DriftBand& band, const double* p, double equity) const;
    // Throws the error for equity that is not > 0 on day t.
    [[noreturn]] static void equityFell(const Path& path, Index t, double equity);
    // Value of the holdings at `prices`, summed over held_ in ascending asset order.
    double markToMarket(const double* prices) const;

    BacktestConfig config_;
    Vector qty_;      // quantities held
    Vector weights_;  // current weights (pre-trade) handed to the strategy
    Vector target_;   // target weights from the strategy
    Vector pending_;  // target awaiting next-close execution
    Vector delta_;    // scratch: quantity changes
    double cash_ = 0.0;
    // Assets with a non-zero quantity, ascending. A rotation holds few of its N assets, so the
    // daily mark-to-market and weights walk this list instead of all N; weights_ is 0 elsewhere.
    std::vector<Index> held_;
};

// Daily weights (T x N) rebuilt from the recorded snapshots: w(t,i) = q(t,i) * p(t,i) / equity(t).
PriceMatrix dailyWeights(const Path& path, const BacktestResult& result);
// Daily simple returns of the equity curve (0 on day 0).
Vector dailyReturns(const Vector& equity);

}  // namespace rotor
