// SPDX-License-Identifier: MIT
// The strategy interface the engine drives. Strategies see a MarketView, never the Path itself.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/market_view.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

class Strategy {
public:
    explicit Strategy(std::string name) : name_(std::move(name)) {}
    virtual ~Strategy() = default;
    Strategy(const Strategy&) = default;
    Strategy& operator=(const Strategy&) = delete;

    const std::string& name() const { return name_; }

    // Prepares for one path. The trading calendar is public in advance (schedules use it to
    // find period ends); prices and rates are not.
    virtual void start(const std::vector<Date>& calendar) = 0;

    // Front door: called by the engine once per day, after marking to market at day t's close.
    // Returns true when the strategy rebalances today, with `target` (size N) holding the target
    // weights of equity; 1 - sum(target) is held in cash (negative: borrowed).
    bool rebalance(const Path& path, Index t, const Vector& currentWeights, Vector& target) {
        const MarketView view(path, t);
        return decide(view, currentWeights, target);
    }

    // False when rebalance() on day t is certain to return false without reading its arguments
    // (not due, nothing to check): the engine then skips the call and today's weights, which on
    // most days of a monthly strategy is most of its work. True by default.
    virtual bool mayRebalance(Index /*t*/) const { return true; }
    // The first day d in [t, days) with mayRebalance(d), or `days` if none: the engine runs the
    // days before it as a plain stretch of accrual and marking to market. Override together
    // with mayRebalance when a faster answer exists.
    virtual Index nextMayRebalance(Index t, Index days) const {
        while (t < days && !mayRebalance(t)) ++t;
        return t;
    }

    // A drift band: on a day d with d < nextCalendarRebalance(d, days), rebalance() returns
    // true only if some |currentWeights(i) - (*lastTarget)(i)| > width, and changes nothing
    // otherwise. The engine then checks the band itself, without the exact weights, where it
    // is clearly not crossed. width 0 (the default): no such promise.
    struct DriftBand {
        double width = 0.0;
        const Vector* lastTarget = nullptr;
    };
    virtual DriftBand driftBand() const { return {}; }
    // nextMayRebalance without the band's days (the days due by the calendar alone).
    virtual Index nextCalendarRebalance(Index t, Index days) const {
        return nextMayRebalance(t, days);
    }

    // An independent copy with the same parameters, for running paths on several threads.
    virtual std::unique_ptr<Strategy> clone() const = 0;

protected:
    // `target` arrives sized N; `currentWeights` are today's weights before trading.
    virtual bool decide(const MarketView& view, const Vector& currentWeights, Vector& target) = 0;

private:
    std::string name_;
};

}  // namespace rotor
