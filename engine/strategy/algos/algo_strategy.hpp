// SPDX-License-Identifier: MIT
// A strategy assembled from a typed algo stack: on a due day the select steps choose slots, the
// weigh step turns them into weights and the constrain steps adjust or check them. Named
// strategies (strategies/) are preset stacks built by their YAML factories.
#pragma once

#include "engine/strategy/algos/context.hpp"
#include "engine/strategy/schedule.hpp"
#include "engine/strategy/strategy.hpp"

#include <memory>
#include <vector>

namespace rotor {

struct AlgoStack {
    Schedule schedule;
    std::vector<std::shared_ptr<const SelectAlgo>> select;  // run in order
    std::shared_ptr<const WeighAlgo> weigh;                 // required
    std::vector<std::shared_ptr<const ConstrainAlgo>> constrain;
    // Trade on a due day only when the selected slots (as a multiset) differ from those of the
    // last rebalance; day 0 always trades. The selection is compared before weighing, so weights
    // that drift or re-estimate do not trigger a trade by themselves.
    bool onSignalChange = false;
    // Entries of RebalanceContext::memory the stateful steps use (they index 0..memorySize-1).
    std::size_t memorySize = 0;
};

class AlgoStrategy final : public Strategy {
public:
    // `assets` is the universe size N; the stages must index columns 0..N-1.
    AlgoStrategy(std::string name, Index assets, AlgoStack stack);

    void start(const std::vector<Date>& calendar) override;
    bool mayRebalance(Index t) const override { return stack_.schedule.mayBeDue(t); }
    Index nextMayRebalance(Index t, Index days) const override {
        return stack_.schedule.nextMayBeDue(t, days);
    }
    // decide() is not due, and returns before anything else, unless the calendar or the band
    // says so (Schedule::due).
    DriftBand driftBand() const override { return {stack_.schedule.band(), &lastTarget_}; }
    Index nextCalendarRebalance(Index t, Index days) const override {
        return stack_.schedule.nextCalendarDue(t, days);
    }
    std::unique_ptr<Strategy> clone() const override;

    const AlgoStack& stack() const { return stack_; }

protected:
    // Not due: returns false. Due: runs the stack and returns true with its weights. After
    // start(), the preset stacks allocate nothing here (risk weighers build a covariance).
    bool decide(const MarketView& view, const Vector& currentWeights, Vector& target) override;

private:
    AlgoStack stack_;
    Index assets_;
    RebalanceContext ctx_;
    Vector lastTarget_;  // weights of the last rebalance, for the drift band
    // For onSignalChange: the last rebalance's slots, sorted, and a scratch copy of today's.
    std::vector<Index> lastSelected_;
    std::vector<Index> sortedSelected_;
    bool traded_ = false;
};

}  // namespace rotor
