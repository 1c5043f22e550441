// SPDX-License-Identifier: MIT
// When a strategy rebalances: calendar period ends, every N trading days and/or a drift band,
// combined with OR. Period ends come from the trading calendar, which is public in advance.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/date.hpp"
#include "engine/core/types.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace rotor {

enum class Period { Never, Daily, Weekly, Monthly, Quarterly, Yearly };

// "never", "daily", ... as written in YAML.
const char* periodName(Period period);

class Schedule {
public:
    Schedule() = default;  // never: only the initial allocation on day 0

    static Schedule never() { return Schedule(); }
    // Due on the last trading day of each period (Monday-based weeks, calendar months,
    // quarters and years).
    static Schedule periodic(Period period);
    // Due on days 0, n, 2n, ... (trading days counted from day 0). Requires n >= 1.
    static Schedule everyDays(long n);
    // The same schedule, also due when any |current weight - last target weight| > band.
    // Requires band > 0.
    Schedule orBand(double band) const;

    // Reads a `rebalance:` value: a scalar `never|daily|weekly|monthly|quarterly|yearly`, or a map
    // with `every` (a period) or `every_days` (an integer >= 1), and/or `band` (in (0, 1]).
    // Errors are ConfigErrors located at the offending node.
    static Schedule fromYaml(const ConfigNode& node);

    Period period() const { return period_; }
    long everyNDays() const { return everyDays_; }  // 0 when not used
    double band() const { return band_; }           // 0 when not used
    std::string describe() const;                   // e.g. "monthly or band 0.05"

    // Prepares for one path: marks the period ends of `calendar`. Day t is a period end when day
    // t+1 falls in a different period; the last day of the path is not one, because its period
    // may continue beyond the path.
    void start(const std::vector<Date>& calendar);

    // Whether day t is due. Day 0 always is (the initial allocation). `current` are the weights
    // before trading and `lastTarget` the weights of the previous rebalance (both size N); they
    // are only read when a band is set. Allocation-free.
    bool due(Index t, const Vector& current, const Vector& lastTarget) const;

    // False when day t cannot be due whatever the weights: no calendar reason and no band.
    bool mayBeDue(Index t) const {
        return band_ > 0.0 || t == 0 || isPeriodEnd(t) || (everyDays_ > 0 && t % everyDays_ == 0);
    }
    // The first day d in [t, days) with mayBeDue(d), or `days` if none (days <= the calendar's).
    Index nextMayBeDue(Index t, Index days) const {
        return band_ > 0.0 ? t : nextCalendarDue(t, days);
    }
    // The first day d in [t, days) due by the calendar alone (day 0, period ends, every n
    // days), or `days` if none.
    Index nextCalendarDue(Index t, Index days) const {
        if (t == 0 || t >= days) return t;
        Index next = std::min<Index>(nextEnd_[static_cast<std::size_t>(t)], days);
        if (everyDays_ > 0)
            next = std::min<Index>(next, (t + everyDays_ - 1) / everyDays_ * everyDays_);
        return next;
    }
    // Whether day t closes a period of this schedule's calendar period (false for Never).
    bool isPeriodEnd(Index t) const { return periodEnd_[static_cast<std::size_t>(t)] != 0; }

private:
    Period period_ = Period::Never;
    long everyDays_ = 0;
    double band_ = 0.0;
    std::vector<unsigned char> periodEnd_;  // one flag per day of the current path
    std::vector<std::int32_t> nextEnd_;     // per day t: the first period end >= t, or T
    // The calendar periodEnd_ was computed for: Monte Carlo paths share one calendar, and
    // recomputing the period ends per path cost a fifth of the simulation time.
    std::vector<Date> calendar_;
};

}  // namespace rotor
