// SPDX-License-Identifier: MIT
#include "engine/calendar/nyse_calendar.hpp"

#include <algorithm>
#include <array>

namespace rotor {

namespace {

// The n-th (1-based) given weekday (0 = Sunday) of a month.
Date nthWeekday(int year, int month, int weekday, int n) {
    const Date first = Date::fromYmd(year, month, 1);
    const int offset = (weekday - first.weekday() + 7) % 7;
    return first + offset + 7 * (n - 1);
}

Date lastWeekday(int year, int month, int weekday) {
    const Date last = Date::fromYmd(year, month, daysInMonth(year, month));
    return last + (-((last.weekday() - weekday + 7) % 7));
}

// Saturday -> Friday before, Sunday -> Monday after.
Date observed(Date d) {
    if (d.weekday() == 6) return d + -1;
    if (d.weekday() == 0) return d + 1;
    return d;
}

// Unscheduled full-day closures since 2000.
constexpr std::array<std::array<int, 3>, 10> kSpecialClosures{{
    {2001, 9, 11},
    {2001, 9, 12},
    {2001, 9, 13},
    {2001, 9, 14},  // September 11 attacks
    {2004, 6, 11},  // President Reagan's funeral
    {2007, 1, 2},   // President Ford's funeral
    {2012, 10, 29},
    {2012, 10, 30},  // Hurricane Sandy
    {2018, 12, 5},   // President G.H.W. Bush's funeral
    {2025, 1, 9},    // President Carter's funeral
}};

}  // namespace

Date easterSunday(int year) {
    const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
    const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return Date::fromYmd(year, month, day);
}

bool isNyseHoliday(Date d) {
    const Ymd ymd = toYmd(d);
    const int y = ymd.year;
    const int wd = d.weekday();
    if (wd == 0 || wd == 6) return false;  // weekends are not holidays, just closed

    // New Year's Day; on a Saturday it is not observed (no closure on Friday Dec 31).
    const Date newYear = Date::fromYmd(y, 1, 1);
    if (newYear.weekday() == 0 ? d == newYear + 1 : d == newYear) return true;
    if (y >= 1998 && d == nthWeekday(y, 1, 1, 3)) return true;             // MLK Day
    if (d == nthWeekday(y, 2, 1, 3)) return true;                          // Presidents' Day
    if (d == easterSunday(y) + -2) return true;                            // Good Friday
    if (d == lastWeekday(y, 5, 1)) return true;                            // Memorial Day
    if (y >= 2022 && d == observed(Date::fromYmd(y, 6, 19))) return true;  // Juneteenth
    if (d == observed(Date::fromYmd(y, 7, 4))) return true;                // Independence Day
    if (d == nthWeekday(y, 9, 1, 1)) return true;                          // Labor Day
    if (d == nthWeekday(y, 11, 4, 4)) return true;                         // Thanksgiving
    if (d == observed(Date::fromYmd(y, 12, 25))) return true;              // Christmas
    const auto same = [&](const std::array<int, 3>& x) {
        return x[0] == y && x[1] == ymd.month && x[2] == ymd.day;
    };
    return std::any_of(kSpecialClosures.begin(), kSpecialClosures.end(), same);
}

bool isNyseTradingDay(Date d) {
    const int wd = d.weekday();
    return wd != 0 && wd != 6 && !isNyseHoliday(d);
}

std::vector<Date> nyseTradingDays(Date from, Date to) {
    std::vector<Date> out;
    for (Date d = from; d <= to; d = d + 1)
        if (isNyseTradingDay(d)) out.push_back(d);
    return out;
}

std::vector<Date> nyseTradingDaysFrom(Date from, std::size_t count) {
    std::vector<Date> out;
    out.reserve(count);
    for (Date d = from; out.size() < count; d = d + 1)
        if (isNyseTradingDay(d)) out.push_back(d);
    return out;
}

}  // namespace rotor
