// SPDX-License-Identifier: MIT
// The rule-generated NYSE calendar against the published holiday lists, written out by hand,
// and against the trading days actually present in the bundled SPY prices.
#include "engine/calendar/nyse_calendar.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

namespace rotor {
namespace {
namespace nyse_calendar_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// NYSE full-day closures on weekdays, 2020-2027, as published by the exchange.
const std::vector<Date>& publishedHolidays() {
    static const std::vector<Date> h = {
        // 2020
        d(2020, 1, 1),
        d(2020, 1, 20),
        d(2020, 2, 17),
        d(2020, 4, 10),
        d(2020, 5, 25),
        d(2020, 7, 3),
        d(2020, 9, 7),
        d(2020, 11, 26),
        d(2020, 12, 25),
        // 2021 (Christmas on Saturday -> Friday 24; New Year 2022 on Saturday: no closure)
        d(2021, 1, 1),
        d(2021, 1, 18),
        d(2021, 2, 15),
        d(2021, 4, 2),
        d(2021, 5, 31),
        d(2021, 7, 5),
        d(2021, 9, 6),
        d(2021, 11, 25),
        d(2021, 12, 24),
        // 2022 (first Juneteenth, observed Monday 20)
        d(2022, 1, 17),
        d(2022, 2, 21),
        d(2022, 4, 15),
        d(2022, 5, 30),
        d(2022, 6, 20),
        d(2022, 7, 4),
        d(2022, 9, 5),
        d(2022, 11, 24),
        d(2022, 12, 26),
        // 2023
        d(2023, 1, 2),
        d(2023, 1, 16),
        d(2023, 2, 20),
        d(2023, 4, 7),
        d(2023, 5, 29),
        d(2023, 6, 19),
        d(2023, 7, 4),
        d(2023, 9, 4),
        d(2023, 11, 23),
        d(2023, 12, 25),
        // 2024
        d(2024, 1, 1),
        d(2024, 1, 15),
        d(2024, 2, 19),
        d(2024, 3, 29),
        d(2024, 5, 27),
        d(2024, 6, 19),
        d(2024, 7, 4),
        d(2024, 9, 2),
        d(2024, 11, 28),
        d(2024, 12, 25),
        // 2025 (January 9: national day of mourning for President Carter)
        d(2025, 1, 1),
        d(2025, 1, 9),
        d(2025, 1, 20),
        d(2025, 2, 17),
        d(2025, 4, 18),
        d(2025, 5, 26),
        d(2025, 6, 19),
        d(2025, 7, 4),
        d(2025, 9, 1),
        d(2025, 11, 27),
        d(2025, 12, 25),
        // 2026 (Independence Day on Saturday -> Friday 3)
        d(2026, 1, 1),
        d(2026, 1, 19),
        d(2026, 2, 16),
        d(2026, 4, 3),
        d(2026, 5, 25),
        d(2026, 6, 19),
        d(2026, 7, 3),
        d(2026, 9, 7),
        d(2026, 11, 26),
        d(2026, 12, 25),
        // 2027 (Juneteenth on Saturday -> Friday 18; Christmas on Saturday -> Friday 24)
        d(2027, 1, 1),
        d(2027, 1, 18),
        d(2027, 2, 15),
        d(2027, 3, 26),
        d(2027, 5, 31),
        d(2027, 6, 18),
        d(2027, 7, 5),
        d(2027, 9, 6),
        d(2027, 11, 25),
        d(2027, 12, 24),
    };
    return h;
}

TEST(NyseCalendar, MatchesPublishedHolidays2020To2027) {
    const std::set<Date> expected(publishedHolidays().begin(), publishedHolidays().end());
    std::set<Date> generated;
    for (Date x = d(2020, 1, 1); x <= d(2027, 12, 31); x = x + 1)
        if (isNyseHoliday(x)) generated.insert(x);
    for (const Date& x : expected) EXPECT_TRUE(generated.count(x)) << "missing " << x.iso();
    for (const Date& x : generated) EXPECT_TRUE(expected.count(x)) << "extra " << x.iso();
}

TEST(NyseCalendar, EasterDates) {
    EXPECT_EQ(easterSunday(2000), d(2000, 4, 23));
    EXPECT_EQ(easterSunday(2008), d(2008, 3, 23));
    EXPECT_EQ(easterSunday(2019), d(2019, 4, 21));
    EXPECT_EQ(easterSunday(2026), d(2026, 4, 5));
}

TEST(NyseCalendar, TradingDayCountsOfKnownYears) {
    // 2024: 262 weekdays - 10 holidays = 252; 2026: 261 weekdays - 10 holidays = 251.
    EXPECT_EQ(nyseTradingDays(d(2024, 1, 1), d(2024, 12, 31)).size(), 252u);
    EXPECT_EQ(nyseTradingDays(d(2026, 1, 1), d(2026, 12, 31)).size(), 251u);
    const auto first = nyseTradingDaysFrom(d(2026, 1, 1), 3);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0], d(2026, 1, 2));
    EXPECT_EQ(first[2], d(2026, 1, 6));
}

// An independent source: every day SPY traded from 2000 to 2026-07-31, from data/.
TEST(NyseCalendar, EqualsTheDaysSpyTraded2000To2026) {
    std::ifstream in(std::string(ROTOR_SOURCE_DIR) + "/data/adj_etf/SPY.csv");
    ASSERT_TRUE(in) << "data/adj_etf/SPY.csv";
    std::string line;
    std::getline(in, line);
    std::vector<Date> traded;
    while (std::getline(in, line)) {
        const Date x = *Date::parseIso(line.substr(0, 10));
        if (x >= d(2000, 1, 1)) traded.push_back(x);
    }
    const std::vector<Date> generated = nyseTradingDays(d(2000, 1, 1), d(2026, 7, 31));
    EXPECT_EQ(generated.size(), traded.size());
    std::set<Date> a(traded.begin(), traded.end()), b(generated.begin(), generated.end());
    for (const Date& x : a) EXPECT_TRUE(b.count(x)) << "SPY traded on " << x.iso();
    for (const Date& x : b) EXPECT_TRUE(a.count(x)) << "SPY did not trade on " << x.iso();
}

}  // namespace nyse_calendar_test
}  // namespace
}  // namespace rotor
