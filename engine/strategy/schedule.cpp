// SPDX-License-Identifier: MIT
#include "engine/strategy/schedule.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <type_traits>

namespace rotor {

namespace {

constexpr Period kPeriods[] = {Period::Never,   Period::Daily,     Period::Weekly,
                               Period::Monthly, Period::Quarterly, Period::Yearly};

// A number that changes exactly when the period changes. Weeks run Monday..Sunday:
// serial 0 is Thursday 1970-01-01, so serial + 3 counts days from Monday 1969-12-29.
long periodKey(Period period, Date d) {
    switch (period) {
        case Period::Daily: return d.serial();
        case Period::Weekly: {
            const long s = d.serial() + 3L;
            return s >= 0 ? s / 7 : -((-s + 6) / 7);  // floor division
        }
        case Period::Monthly: {
            const Ymd ymd = toYmd(d);  // one civil conversion, not one per field
            return ymd.year * 12L + (ymd.month - 1);
        }
        case Period::Quarterly: {
            const Ymd ymd = toYmd(d);
            return ymd.year * 4L + (ymd.month - 1) / 3;
        }
        case Period::Yearly: return toYmd(d).year;
        case Period::Never: break;
    }
    return 0;
}

Period parsePeriod(const ConfigNode& node) {
    const std::string s = node.asString();
    for (Period p : kPeriods)
        if (s == periodName(p)) return p;
    node.fail("unknown rebalance period '" + s +
              "' (expected never, daily, weekly, monthly, quarterly or yearly)");
}

}  // namespace

const char* periodName(Period period) {
    switch (period) {
        case Period::Never: return "never";
        case Period::Daily: return "daily";
        case Period::Weekly: return "weekly";
        case Period::Monthly: return "monthly";
        case Period::Quarterly: return "quarterly";
        case Period::Yearly: return "yearly";
    }
    return "?";
}

Schedule Schedule::periodic(Period period) {
    Schedule s;
    s.period_ = period;
    return s;
}

Schedule Schedule::everyDays(long n) {
    ROTOR_REQUIRE(n >= 1, "every_days must be >= 1, got " << n);
    Schedule s;
    s.everyDays_ = n;
    return s;
}

Schedule Schedule::orBand(double band) const {
    ROTOR_REQUIRE(std::isfinite(band) && band > 0.0, "drift band must be > 0, got " << band);
    Schedule s = *this;
    s.band_ = band;
    return s;
}

Schedule Schedule::fromYaml(const ConfigNode& node) {
    if (node.isScalar()) return periodic(parsePeriod(node));
    if (!node.isMap())
        node.fail(
            "expected a period (never, daily, weekly, monthly, quarterly, yearly) or a map "
            "with every / every_days / band");
    node.allowOnly({"every", "every_days", "band"});
    const auto every = node.find("every");
    const auto everyDaysNode = node.find("every_days");
    const auto bandNode = node.find("band");
    if (every && everyDaysNode)
        node.failKey("every_days", "give either 'every' or 'every_days', not both");
    if (!every && !everyDaysNode && !bandNode)
        node.fail("expected at least one of every, every_days, band");

    Schedule s;
    if (every) s = periodic(parsePeriod(*every));
    if (everyDaysNode) s = everyDays(everyDaysNode->asIntIn(1, 1000000));
    if (bandNode) {
        const double band = bandNode->asDoubleIn(0.0, 1.0);
        if (!(band > 0.0)) bandNode->fail("expected a drift band in (0, 1], found 0");
        s = s.orBand(band);
    }
    return s;
}

std::string Schedule::describe() const {
    std::ostringstream os;
    if (everyDays_ > 0)
        os << "every " << everyDays_ << " days";
    else if (period_ != Period::Never || band_ == 0.0)
        os << periodName(period_);
    if (band_ > 0.0) os << (os.tellp() > 0 ? " or " : "") << "band " << band_;
    return os.str();
}

void Schedule::start(const std::vector<Date>& calendar) {
    // Paths share one calendar: compared as bytes (a date is its serial), not date by date.
    static_assert(std::has_unique_object_representations_v<Date>);
    if (calendar.size() == calendar_.size() && periodEnd_.size() == calendar.size() &&
        (calendar.empty() ||
         std::memcmp(calendar.data(), calendar_.data(), calendar.size() * sizeof(Date)) == 0))
        return;
    calendar_ = calendar;
    // assign() reuses the buffer, so a strategy run over many paths allocates once.
    periodEnd_.assign(calendar.size(), 0);
    if (period_ != Period::Never && !calendar.empty()) {
        // Each day's key is computed once and compared with the next day's.
        long key = periodKey(period_, calendar[0]);
        for (std::size_t t = 0; t + 1 < calendar.size(); ++t) {
            const long next = periodKey(period_, calendar[t + 1]);
            periodEnd_[t] = key != next;
            key = next;
        }
    }
    ROTOR_REQUIRE(calendar.size() <
                      static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()),
                  "calendar of " << calendar.size() << " days");
    nextEnd_.assign(calendar.size(), static_cast<std::int32_t>(calendar.size()));
    for (std::size_t t = calendar.size(); t-- > 0;)
        nextEnd_[t] = periodEnd_[t] != 0        ? static_cast<std::int32_t>(t)
                      : t + 1 < calendar.size() ? nextEnd_[t + 1]
                                                : static_cast<std::int32_t>(calendar.size());
}

bool Schedule::due(Index t, const Vector& current, const Vector& lastTarget) const {
    ROTOR_REQUIRE(t >= 0 && static_cast<std::size_t>(t) < periodEnd_.size(),
                  "schedule asked about day " << t << " of a " << periodEnd_.size()
                                              << "-day calendar (start() not called?)");
    if (t == 0) return true;
    if (periodEnd_[static_cast<std::size_t>(t)]) return true;
    if (everyDays_ > 0 && t % everyDays_ == 0) return true;
    if (band_ > 0.0) {
        for (Index i = 0; i < current.size(); ++i)
            if (std::abs(current(i) - lastTarget(i)) > band_) return true;
    }
    return false;
}

}  // namespace rotor
