// SPDX-License-Identifier: MIT
// The typed algo stack's shared state and stage interfaces: Schedule -> Select -> Weigh ->
// Constrain, in the spirit of bt's AlgoStack but with compile-time fields instead of a dict.
#pragma once

#include "engine/core/types.hpp"
#include "engine/strategy/market_view.hpp"

#include <vector>

namespace rotor {

// A selection slot held in cash rather than in an asset.
inline constexpr Index kCash = -1;

// What the stages read and write on a rebalance day. Owned by the strategy and reused every day,
// so its buffers are sized once per path and never grow on ordinary days.
struct RebalanceContext {
    const MarketView* view = nullptr;  // today's view: days 0..t only
    const Vector* current = nullptr;   // weights before trading (size N)
    // Slots chosen by the select steps, in order: asset columns or kCash. A weigh step turns them
    // into weights; an asset may fill several slots (e.g. the safe asset standing in for two).
    std::vector<Index> selected;
    Vector weights;  // target weights being built (size N); 1 - sum is cash
    // The last ranking step's score of each asset it kept, oriented so that higher is preferred
    // (size N; NaN for an asset it did not keep or when no ranking step ran). Read by
    // score-proportional weighing.
    Vector scores;
    std::vector<double> slotScores;  // scratch of the ranking steps (one per slot)
    // Per-path memory of the stateful steps (e.g. a regime with hysteresis), NaN at the start of
    // each path. Each such step owns a fixed range of it, assigned when the stack is built.
    std::vector<double> memory;

    Index today() const { return view->today(); }
};

// The stages are immutable parameter objects (all per-path state lives in the context), so a
// strategy's clone can share them across threads.

// Sets or narrows ctx.selected. Must not grow it beyond N + 1 slots (the reserved capacity).
class SelectAlgo {
public:
    virtual ~SelectAlgo() = default;
    virtual void select(RebalanceContext& ctx) const = 0;
};

// Fills ctx.weights (zeroed before the select steps) from ctx.selected.
class WeighAlgo {
public:
    virtual ~WeighAlgo() = default;
    virtual void weigh(RebalanceContext& ctx) const = 0;
};

// Adjusts or checks ctx.weights after weighing.
class ConstrainAlgo {
public:
    virtual ~ConstrainAlgo() = default;
    virtual void constrain(RebalanceContext& ctx) const = 0;
};

}  // namespace rotor
