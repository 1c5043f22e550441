// SPDX-License-Identifier: MIT
// Easing-cycle episodes cut out of a window of trading days: the first-cut anchor (the close
// before the decision, one weekday before the detected cut), the horizon and the window's end,
// and named multi-year windows, against hand-counted rows.
#include "engine/scenario/history/episode_generator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rotor {
namespace {
namespace episode_generator_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// Weekdays of 2024-09-02 .. 2024-10-31 except the holiday 2024-09-02 (Labor Day).
std::vector<Date> tradingDays() {
    std::vector<Date> out;
    for (Date x = d(2024, 9, 3); x <= d(2024, 10, 31); x = x + 1)
        if (x.weekday() != 0 && x.weekday() != 6) out.push_back(x);
    return out;
}

TEST(EpisodeCuts, FirstCutsStartAtTheCloseBeforeTheDecision) {
    const auto days = tradingDays();  // 2024-09-03 is row 0 (a Tuesday)
    // Detected 2024-09-19 (Thursday), decided 09-18: the replay starts from the close of 09-17,
    // day 10 of the window (03, 04, 05, 06, 09, 10, 11, 12, 13, 16, 17).
    // Detected 2024-09-30 (Monday): the weekday before is Friday 09-27, so the close of 09-26.
    const std::vector<std::pair<Date, std::string>> cuts = {{d(2024, 9, 19), "soft_landing"},
                                                            {d(2024, 9, 30), "recession"}};
    const auto e = cutEpisodes(days, cuts, {}, 20);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].name, "first_cut_2024-09-19");
    EXPECT_EQ(e[0].label, "soft_landing");
    EXPECT_EQ(days[static_cast<std::size_t>(e[0].firstRow)], d(2024, 9, 17));
    EXPECT_EQ(e[0].firstRow, 10);
    EXPECT_EQ(e[0].rows, 20);
    EXPECT_EQ(days[static_cast<std::size_t>(e[1].firstRow)], d(2024, 9, 26));
    EXPECT_EQ(e[1].label, "recession");
    // 43 days, 42 returns: from row 17 only 25 remain, more than 20.
    EXPECT_EQ(e[1].firstRow, 17);
    EXPECT_EQ(e[1].rows, 20);
    // A horizon beyond the data is cut at the window's end: 42 - 17 = 25 rows.
    EXPECT_EQ(cutEpisodes(days, {cuts[1]}, {}, 100).front().rows, 25);
    // A cut whose decision falls before the window has no close to start from.
    EXPECT_LT(cutEpisodes(days, {{d(2024, 9, 4), "recession"}}, {}, 5).front().firstRow, 0);
}

TEST(EpisodeCuts, WindowsRunFromTheStartCloseToTheEndClose) {
    const auto days = tradingDays();
    EpisodeWindowSpec w;
    w.name = "autumn";
    w.start = d(2024, 9, 7);  // a Saturday: the close of Friday 09-06 (row 3)
    w.end = d(2024, 10, 4);   // a Friday (row 23)
    const auto e = cutEpisodes(days, {}, {w}, 5);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].label, "autumn");
    EXPECT_EQ(e[0].firstRow, 3);
    EXPECT_EQ(e[0].rows, 20);  // rows 3..22: the returns from 09-06 to 10-04
}

}  // namespace episode_generator_test
}  // namespace
}  // namespace rotor
