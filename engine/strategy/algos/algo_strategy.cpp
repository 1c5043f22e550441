// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/algo_strategy.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <limits>

namespace rotor {

AlgoStrategy::AlgoStrategy(std::string name, Index assets, AlgoStack stack)
    : Strategy(std::move(name)), stack_(std::move(stack)), assets_(assets) {
    ROTOR_REQUIRE(assets_ >= 1, "strategy '" << this->name() << "' over an empty universe");
    ROTOR_REQUIRE(stack_.weigh != nullptr, "strategy '" << this->name() << "' has no weigh step");
    for (const auto& s : stack_.select)
        ROTOR_REQUIRE(s != nullptr, "strategy '" << this->name() << "' has a null select step");
    for (const auto& c : stack_.constrain)
        ROTOR_REQUIRE(c != nullptr, "strategy '" << this->name() << "' has a null constrain step");
}

void AlgoStrategy::start(const std::vector<Date>& calendar) {
    stack_.schedule.start(calendar);
    // Select steps hold at most N + 1 slots (see SelectAlgo), so the day loop never grows this.
    ctx_.selected.clear();
    ctx_.selected.reserve(static_cast<std::size_t>(assets_) + 1);
    ctx_.weights.setZero(assets_);
    ctx_.scores.setConstant(assets_, std::numeric_limits<double>::quiet_NaN());
    ctx_.slotScores.assign(static_cast<std::size_t>(assets_) + 1, 0.0);
    ctx_.memory.assign(stack_.memorySize, std::numeric_limits<double>::quiet_NaN());
    lastTarget_.setZero(assets_);
    lastSelected_.clear();
    lastSelected_.reserve(static_cast<std::size_t>(assets_) + 1);
    sortedSelected_.reserve(static_cast<std::size_t>(assets_) + 1);
    traded_ = false;
}

std::unique_ptr<Strategy> AlgoStrategy::clone() const {
    // The stages are immutable and shared; the per-path state is copied and reset by start().
    return std::make_unique<AlgoStrategy>(*this);
}

bool AlgoStrategy::decide(const MarketView& view, const Vector& currentWeights, Vector& target) {
    ROTOR_REQUIRE(target.size() == assets_ && currentWeights.size() == assets_ &&
                      view.assets() == assets_,
                  "strategy '" << name() << "' built for " << assets_ << " assets, path has "
                               << view.assets());
    if (!stack_.schedule.due(view.today(), currentWeights, lastTarget_)) return false;
    ctx_.view = &view;
    ctx_.current = &currentWeights;
    ctx_.selected.clear();
    ctx_.weights.setZero();
    for (const auto& s : stack_.select) s->select(ctx_);
    if (stack_.onSignalChange) {
        sortedSelected_.assign(ctx_.selected.begin(), ctx_.selected.end());
        std::sort(sortedSelected_.begin(), sortedSelected_.end());
        if (traded_ && sortedSelected_ == lastSelected_) {
            ctx_.view = nullptr;
            ctx_.current = nullptr;
            return false;
        }
        lastSelected_.swap(sortedSelected_);
    }
    traded_ = true;
    stack_.weigh->weigh(ctx_);
    for (const auto& c : stack_.constrain) c->constrain(ctx_);
    target = ctx_.weights;
    lastTarget_ = ctx_.weights;
    // The view lives on the caller's stack; do not keep pointers to it past this call.
    ctx_.view = nullptr;
    ctx_.current = nullptr;
    return true;
}

}  // namespace rotor
