// SPDX-License-Identifier: MIT
#include "engine/core/date.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace date_test {

TEST(Date, EpochAndKnownSerials) {
    EXPECT_EQ(Date::fromYmd(1970, 1, 1).serial(), 0);
    // 2000-03-01 is 30 years + 7 leap days (72,76,80,84,88,92,96) + Jan(31) + Feb(29) after epoch.
    EXPECT_EQ(Date::fromYmd(2000, 3, 1).serial(), 30 * 365 + 7 + 31 + 29);
    EXPECT_EQ(Date::fromYmd(1969, 12, 31).serial(), -1);
}

TEST(Date, RoundTripsThroughIso) {
    // Years 0053..9909: the range ISO four-digit years can spell.
    for (int s = -700000; s < 2900000; s += 997) {
        const Date d(s);
        const auto back = Date::parseIso(d.iso());
        ASSERT_TRUE(back.has_value()) << d.iso();
        EXPECT_EQ(back->serial(), s);
    }
}

TEST(Date, IsoIsZeroPaddedYearMonthDay) {
    EXPECT_EQ(Date::fromYmd(2000, 3, 10).iso(), "2000-03-10");
    EXPECT_EQ(Date::fromYmd(2026, 12, 31).iso(), "2026-12-31");
    EXPECT_EQ(Date::fromYmd(999, 1, 5).iso(), "0999-01-05");
    EXPECT_EQ(Date::fromYmd(9999, 12, 31).iso(), "9999-12-31");
    // Outside four digits the year is printed as it is (parseIso refuses these).
    EXPECT_EQ(Date::fromYmd(10000, 1, 1).iso(), "10000-01-01");
    EXPECT_EQ(Date(Date::fromYmd(0, 1, 1).serial() - 1).iso(), "-001-12-31");
}

TEST(Date, WeekdaysFromTheCalendar) {
    EXPECT_EQ(Date::fromYmd(2026, 1, 2).weekday(), 5);   // Friday
    EXPECT_EQ(Date::fromYmd(2000, 3, 10).weekday(), 5);  // Friday (Nasdaq peak)
    EXPECT_EQ(Date::fromYmd(2024, 2, 29).weekday(), 4);  // Thursday
}

TEST(Date, RejectsMalformedText) {
    EXPECT_FALSE(Date::parseIso("2023-02-29").has_value());
    EXPECT_FALSE(Date::parseIso("2023-13-01").has_value());
    EXPECT_FALSE(Date::parseIso("2023/01/01").has_value());
    EXPECT_FALSE(Date::parseIso("2023-1-01").has_value());
    EXPECT_TRUE(Date::parseIso("2024-02-29").has_value());
    EXPECT_EQ(Date::fromYmd(2021, 3, 15) - Date::fromYmd(2021, 3, 12), 3);
}

}  // namespace date_test
}  // namespace
}  // namespace rotor
