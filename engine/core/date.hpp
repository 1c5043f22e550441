// SPDX-License-Identifier: MIT
// A calendar date stored as days since 1970-01-01 (proleptic Gregorian); cheap to copy and compare.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rotor {

class Date {
public:
    constexpr Date() = default;
    constexpr explicit Date(std::int32_t serial) : serial_(serial) {}

    // Throws rotor::Error for an impossible date (month 13, Feb 30, ...).
    static Date fromYmd(int year, int month, int day);
    // Parses exactly "YYYY-MM-DD"; nullopt for anything else (including impossible dates).
    static std::optional<Date> parseIso(std::string_view s);

    constexpr std::int32_t serial() const { return serial_; }
    int year() const;
    int month() const;        // 1..12
    int day() const;          // 1..31
    int weekday() const;      // 0 = Sunday ... 6 = Saturday
    std::string iso() const;  // "YYYY-MM-DD"

    friend constexpr auto operator<=>(Date, Date) = default;
    // Calendar days from b to a (ACT day count).
    friend constexpr int operator-(Date a, Date b) { return a.serial_ - b.serial_; }
    friend constexpr Date operator+(Date a, int days) { return Date(a.serial_ + days); }

private:
    std::int32_t serial_ = 0;
};

struct Ymd {
    int year;
    int month;
    int day;
};
Ymd toYmd(Date d);
bool isLeapYear(int year);
int daysInMonth(int year, int month);

}  // namespace rotor
