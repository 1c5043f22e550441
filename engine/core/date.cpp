// SPDX-License-Identifier: MIT
#include "engine/core/date.hpp"

#include "engine/core/error.hpp"

#include <cstdio>

namespace rotor {

namespace {
// Days from civil / civil from days: the era-based algorithm (400-year cycles of 146097 days)
// described by H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
std::int32_t daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
}  // namespace

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && isLeapYear(year)) return 29;
    return kDays[month - 1];
}

Ymd toYmd(Date date) {
    const int z = date.serial() + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return {y, m, d};
}

Date Date::fromYmd(int year, int month, int day) {
    ROTOR_REQUIRE(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month),
                  "invalid date " << year << '-' << month << '-' << day);
    return Date(daysFromCivil(year, month, day));
}

std::optional<Date> Date::parseIso(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto digits = [&](std::size_t from, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = from; i < from + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    int y = 0, m = 0, d = 0;
    if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
    return Date(daysFromCivil(y, m, d));
}

int Date::year() const { return toYmd(*this).year; }
int Date::month() const { return toYmd(*this).month; }
int Date::day() const { return toYmd(*this).day; }

int Date::weekday() const {
    // 1970-01-01 was a Thursday (4).
    const int w = (serial_ + 4) % 7;
    return w < 0 ? w + 7 : w;
}

std::string Date::iso() const {
    const Ymd ymd = toYmd(*this);
    if (ymd.year < 0 || ymd.year > 9999) {
        char buf[48];  // room for any int, so GCC sees no truncation
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
        return buf;
    }
    // Digits by hand: results files hold tens of thousands of dates, and snprintf was ~2% of a
    // history run.
    std::string s = "0000-00-00";
    const auto digit = [](int v) { return static_cast<char>('0' + v); };
    s[0] = digit(ymd.year / 1000);
    s[1] = digit(ymd.year / 100 % 10);
    s[2] = digit(ymd.year / 10 % 10);
    s[3] = digit(ymd.year % 10);
    s[5] = digit(ymd.month / 10);
    s[6] = digit(ymd.month % 10);
    s[8] = digit(ymd.day / 10);
    s[9] = digit(ymd.day % 10);
    return s;
}

}  // namespace rotor
