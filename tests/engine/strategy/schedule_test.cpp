// SPDX-License-Identifier: MIT
// Rebalancing schedules on a hand-made calendar; every expected due day is worked out by hand.
#include "engine/strategy/schedule.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace schedule_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// A sparse calendar crossing week, month, quarter and year boundaries (the schedule only compares
// consecutive trading days, so gaps are fine).
//  0 Wed 2023-12-27   5 Mon 2024-01-08   10 Thu 2024-02-29
//  1 Thu 2023-12-28   6 Wed 2024-01-31   11 Thu 2024-03-28 (Good Friday follows)
//  2 Fri 2023-12-29   7 Thu 2024-02-01   12 Mon 2024-04-01
//  3 Tue 2024-01-02   8 Fri 2024-02-02   13 Tue 2024-04-02
//  4 Fri 2024-01-05   9 Mon 2024-02-05   14 Wed 2024-04-03 (last day of the path)
std::vector<Date> calendar() {
    return {d(2023, 12, 27), d(2023, 12, 28), d(2023, 12, 29), d(2024, 1, 2), d(2024, 1, 5),
            d(2024, 1, 8),   d(2024, 1, 31),  d(2024, 2, 1),   d(2024, 2, 2), d(2024, 2, 5),
            d(2024, 2, 29),  d(2024, 3, 28),  d(2024, 4, 1),   d(2024, 4, 2), d(2024, 4, 3)};
}

// Due days of a schedule without band, with zero weights.
std::vector<Index> dueDays(Schedule s, const std::vector<Date>& cal) {
    s.start(cal);
    const Vector w = Vector::Zero(2);
    std::vector<Index> out;
    for (Index t = 0; t < static_cast<Index>(cal.size()); ++t)
        if (s.due(t, w, w)) out.push_back(t);
    return out;
}

using Days = std::vector<Index>;

TEST(Schedule, NeverIsDueOnlyOnDayZero) {
    EXPECT_EQ(dueDays(Schedule::never(), calendar()), (Days{0}));
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Never), calendar()), (Days{0}));
}

TEST(Schedule, DailyIsEveryDayButTheLast) {
    // Each day ends its own period except day 14, whose period end is not known from the path.
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Daily), calendar()),
              (Days{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
}

TEST(Schedule, WeeklyIsTheLastTradingDayOfEachMondayToSundayWeek) {
    // 2 Fri->Tue next week; 4 Fri->Mon; 5 Mon 01-08 -> Wed 01-31; 8 Fri->Mon; 9 Mon 02-05 -> Thu
    // 02-29; 10 Thu 02-29 -> Thu 03-28; 11 Thu 03-28 -> Mon 04-01. Days 0,1 / 3 / 6,7 / 12,13 are
    // followed by a day of the same week; 14 is the last day. Day 0 is always due.
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Weekly), calendar()),
              (Days{0, 2, 4, 5, 8, 9, 10, 11}));
}

TEST(Schedule, WeeklyAcrossTheEpoch) {
    // Week of Mon 1969-12-29 .. Sun 1970-01-04 straddles serial 0 (negative serials before it):
    // Fri 12-26 -> Mon 12-29 ends a week; Mon 12-29, Wed 12-31, Fri 01-02 share one, ending at
    // Fri 01-02 (-> Mon 01-05); Mon 01-05 is the last day.
    const std::vector<Date> cal = {d(1969, 12, 22), d(1969, 12, 26), d(1969, 12, 29),
                                   d(1969, 12, 31), d(1970, 1, 2),   d(1970, 1, 5)};
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Weekly), cal), (Days{0, 1, 4}));
}

TEST(Schedule, MonthlyQuarterlyYearly) {
    // Month changes after days 2 (Dec->Jan), 6 (Jan->Feb), 10 (Feb->Mar), 11 (Mar->Apr).
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Monthly), calendar()), (Days{0, 2, 6, 10, 11}));
    // Quarter changes after 2 (Q4->Q1) and 11 (Q1->Q2).
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Quarterly), calendar()), (Days{0, 2, 11}));
    // Year changes after 2 only.
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Yearly), calendar()), (Days{0, 2}));
}

// mayBeDue lets the backtest skip a strategy's day: it must hold on every due day (the days
// listed by hand above), and without a band be false on every other day; with a band every day
// may be due (the weights decide).
TEST(Schedule, MayBeDueOnExactlyTheDueDaysUnlessABandIsSet) {
    const auto mayBeDue = [](Schedule s) {
        s.start(calendar());
        Days out;
        for (Index t = 0; t < static_cast<Index>(calendar().size()); ++t)
            if (s.mayBeDue(t)) out.push_back(t);
        return out;
    };
    EXPECT_EQ(mayBeDue(Schedule::never()), (Days{0}));
    EXPECT_EQ(mayBeDue(Schedule::periodic(Period::Monthly)), (Days{0, 2, 6, 10, 11}));
    EXPECT_EQ(mayBeDue(Schedule::periodic(Period::Quarterly)), (Days{0, 2, 11}));
    EXPECT_EQ(mayBeDue(Schedule::everyDays(4)), (Days{0, 4, 8, 12}));
    EXPECT_EQ(mayBeDue(Schedule::periodic(Period::Quarterly).orBand(0.05)).size(), 15U);
}

// nextMayBeDue(t, days) is the first listed day >= t (days when none), from every day and with
// the horizon or the calendar cut short.
TEST(Schedule, NextMayBeDueIsTheFirstPossibleDayFromT) {
    const auto next = [](Schedule s, const std::vector<Date>& cal, Index days) {
        s.start(cal);
        Days out;
        for (Index t = 0; t < days; ++t) out.push_back(s.nextMayBeDue(t, days));
        return out;
    };
    const auto cal = calendar();
    // Monthly: days 0, 2, 6, 10, 11.
    EXPECT_EQ(next(Schedule::periodic(Period::Monthly), cal, 15),
              (Days{0, 2, 2, 6, 6, 6, 6, 10, 10, 10, 10, 11, 15, 15, 15}));
    EXPECT_EQ(next(Schedule::periodic(Period::Monthly), cal, 8), (Days{0, 2, 2, 6, 6, 6, 6, 8}));
    EXPECT_EQ(next(Schedule::never(), cal, 15),
              (Days{0, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15}));
    // Every 4 days: 0, 4, 8, 12.
    EXPECT_EQ(next(Schedule::everyDays(4), cal, 15),
              (Days{0, 4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12, 15, 15}));
    Days every(15);
    for (Index t = 0; t < 15; ++t) every[static_cast<std::size_t>(t)] = t;
    EXPECT_EQ(next(Schedule::periodic(Period::Quarterly).orBand(0.05), cal, 15), every);
    // The calendar cut at day 11 (2024-03-28): March continues, so its last day is no end.
    auto cut = cal;
    cut.resize(12);
    Schedule s = Schedule::periodic(Period::Quarterly);
    EXPECT_EQ(next(s, cal, 15), (Days{0, 2, 2, 11, 11, 11, 11, 11, 11, 11, 11, 11, 15, 15, 15}));
    EXPECT_EQ(next(s, cut, 12), (Days{0, 2, 2, 12, 12, 12, 12, 12, 12, 12, 12, 12}));
}

TEST(Schedule, LastDayOfThePathIsNotAPeriodEnd) {
    // The path stops on 2024-03-28 (day 11 above); March continues beyond it.
    auto cal = calendar();
    cal.resize(12);
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Monthly), cal), (Days{0, 2, 6, 10}));
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Quarterly), cal), (Days{0, 2}));
}

TEST(Schedule, EveryNTradingDaysCountsFromDayZero) {
    EXPECT_EQ(dueDays(Schedule::everyDays(4), calendar()), (Days{0, 4, 8, 12}));
    EXPECT_EQ(dueDays(Schedule::everyDays(5), calendar()), (Days{0, 5, 10}));
    EXPECT_EQ(dueDays(Schedule::everyDays(1), calendar()),
              (Days{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
    EXPECT_THROW(Schedule::everyDays(0), Error);
}

TEST(Schedule, OneDayPathIsDueOnDayZero) {
    EXPECT_EQ(dueDays(Schedule::periodic(Period::Monthly), {d(2024, 1, 31)}), (Days{0}));
}

Vector v2(double a, double b) {
    Vector v(2);
    v << a, b;
    return v;
}

TEST(Schedule, DriftBandComparesWithTheLastTarget) {
    Schedule s = Schedule::never().orBand(0.05);
    s.start(calendar());
    const Vector last = v2(0.5, 0.5);
    EXPECT_TRUE(s.due(0, last, last));             // day 0: initial allocation
    EXPECT_FALSE(s.due(3, v2(0.54, 0.46), last));  // drift 0.04 <= 0.05
    EXPECT_TRUE(s.due(3, v2(0.56, 0.44), last));   // drift 0.06 > 0.05
    EXPECT_TRUE(s.due(3, v2(0.5, 0.43), last));    // any one asset: 0.07 (rest in cash)
    EXPECT_FALSE(s.due(3, v2(0.46, 0.54), last));  // |-0.04|
    EXPECT_TRUE(s.due(3, v2(0.44, 0.56), last));   // |-0.06|
}

TEST(Schedule, PeriodOrBand) {
    Schedule s = Schedule::periodic(Period::Monthly).orBand(0.05);
    s.start(calendar());
    const Vector last = v2(0.5, 0.5);
    EXPECT_TRUE(s.due(6, last, last));             // Jan 31 month end, no drift
    EXPECT_FALSE(s.due(5, v2(0.52, 0.48), last));  // mid-month, small drift
    EXPECT_TRUE(s.due(5, v2(0.6, 0.4), last));     // mid-month, drift 0.1
    Schedule e = Schedule::everyDays(5).orBand(0.05);
    e.start(calendar());
    EXPECT_TRUE(e.due(10, last, last));
    EXPECT_FALSE(e.due(11, last, last));
    EXPECT_TRUE(e.due(11, v2(0.4, 0.6), last));
    EXPECT_THROW(Schedule::never().orBand(0.0), Error);
}

TEST(Schedule, RestartsForEachPath) {
    Schedule s = Schedule::periodic(Period::Monthly);
    EXPECT_EQ(dueDays(s, calendar()), (Days{0, 2, 6, 10, 11}));
    // A different, shorter calendar: Jan 30, Jan 31, Feb 1 -> month end on day 1.
    EXPECT_EQ(dueDays(s, {d(2024, 1, 30), d(2024, 1, 31), d(2024, 2, 1)}), (Days{0, 1}));
}

TEST(Schedule, AskingBeforeStartThrows) {
    const Schedule s = Schedule::periodic(Period::Monthly);
    const Vector w = Vector::Zero(1);
    EXPECT_THROW((void)s.due(0, w, w), Error);
}

Schedule parse(const std::string& yaml) {
    return Schedule::fromYaml(loadYamlString(yaml, "test.yaml").at("rebalance"));
}

std::string parseError(const std::string& yaml) {
    try {
        parse(yaml);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(Schedule, ParsesEveryYamlForm) {
    EXPECT_EQ(parse("rebalance: never").describe(), "never");
    EXPECT_EQ(parse("rebalance: daily").period(), Period::Daily);
    EXPECT_EQ(parse("rebalance: weekly").period(), Period::Weekly);
    EXPECT_EQ(parse("rebalance: monthly").describe(), "monthly");
    EXPECT_EQ(parse("rebalance: quarterly").period(), Period::Quarterly);
    EXPECT_EQ(parse("rebalance: yearly").period(), Period::Yearly);
    const Schedule mb = parse("rebalance: {every: monthly, band: 0.05}");
    EXPECT_EQ(mb.period(), Period::Monthly);
    EXPECT_DOUBLE_EQ(mb.band(), 0.05);
    EXPECT_EQ(mb.describe(), "monthly or band 0.05");
    const Schedule n = parse("rebalance: {every_days: 21}");
    EXPECT_EQ(n.everyNDays(), 21);
    EXPECT_EQ(n.band(), 0.0);
    EXPECT_EQ(n.describe(), "every 21 days");
    const Schedule b = parse("rebalance:\n  band: 0.1\n");
    EXPECT_EQ(b.period(), Period::Never);
    EXPECT_DOUBLE_EQ(b.band(), 0.1);
    EXPECT_EQ(b.describe(), "band 0.1");
    EXPECT_EQ(parse("rebalance: {every_days: 10, band: 0.02}").describe(),
              "every 10 days or band 0.02");
}

TEST(Schedule, YamlErrorsPointAtTheNode) {
    EXPECT_EQ(parseError("rebalance: fortnightly"),
              "test.yaml:1:12: rebalance: unknown rebalance period 'fortnightly' (expected never, "
              "daily, weekly, monthly, quarterly or yearly)");
    // "  bnd" starts at column 3 of line 3.
    EXPECT_EQ(parseError("rebalance:\n  every: monthly\n  bnd: 0.05\n"),
              "test.yaml:3:3: rebalance.bnd: unknown key 'bnd' (allowed: every, every_days, band)");
    // "  every_days: " is 14 characters, so the value starts at column 15.
    EXPECT_EQ(parseError("rebalance:\n  every_days: 0\n"),
              "test.yaml:2:15: rebalance.every_days: expected an integer in [1, 1000000], found 0");
    EXPECT_EQ(parseError("rebalance:\n  every_days: x\n"),
              "test.yaml:2:15: rebalance.every_days: expected an integer, found 'x'");
    // "rebalance: {band: " is 18 characters.
    EXPECT_EQ(parseError("rebalance: {band: 0}"),
              "test.yaml:1:19: rebalance.band: expected a drift band in (0, 1], found 0");
    EXPECT_EQ(parseError("rebalance: {band: 1.5}"),
              "test.yaml:1:19: rebalance.band: expected a number in [0, 1], found 1.5");
    // "rebalance: {every: " is 19 characters.
    EXPECT_EQ(parseError("rebalance: {every: biweekly}")
                  .rfind("test.yaml:1:20: rebalance.every: "
                         "unknown rebalance period",
                         0),
              0u);
    EXPECT_EQ(parseError("rebalance:\n  every: monthly\n  every_days: 5\n"),
              "test.yaml:3:3: rebalance.every_days: give either 'every' or 'every_days', not both");
    EXPECT_EQ(parseError("rebalance: {}"),
              "test.yaml:1:12: rebalance: expected at least one of every, every_days, band");
    EXPECT_EQ(parseError("rebalance: [monthly]")
                  .rfind("test.yaml:1:12: rebalance: expected a "
                         "period",
                         0),
              0u);
}

}  // namespace schedule_test
}  // namespace
}  // namespace rotor
