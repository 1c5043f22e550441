// SPDX-License-Identifier: MIT
// Policy episodes: moves, episodes, cycle starts, recession tags and day classes worked out by
// hand on small rate series; input errors; and the shipped DFF/USREC history against the known
// first cuts since 1984 and against the second implementation, tools/research/policy_episodes.py.
#include "engine/scenario/regime/policy_episodes.hpp"

#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace policy_episodes_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// The k-th weekday from `monday` (k = 0 is `monday` itself).
Date weekdayRow(Date monday, int k) { return monday + 7 * (k / 5) + k % 5; }

// A weekday-only rate series of `rows` rows from `monday`: `level` until row k of `steps`, where
// it becomes steps[k].
TimeSeries weekdaySeries(Date monday, int rows, double level, const std::map<int, double>& steps) {
    TimeSeries s;
    s.name = "dff_pct";
    s.file = "hand_dff.csv";
    for (int k = 0; k < rows; ++k) {
        if (auto it = steps.find(k); it != steps.end()) level = it->second;
        s.dates.push_back(weekdayRow(monday, k));
        s.values.push_back(level);
    }
    return s;
}

// USREC from January of `firstYear` to the month of `last`: 1 in the listed (year, month)s.
TimeSeries usrecSeries(int firstYear, Date last, const std::set<std::pair<int, int>>& ones) {
    TimeSeries s;
    s.name = "usrec";
    s.file = "hand_usrec.csv";
    for (int y = firstYear, m = 1; d(y, m, 1) <= last;) {
        s.dates.push_back(d(y, m, 1));
        s.values.push_back(ones.count({y, m}) ? 1.0 : 0.0);
        if (++m == 13) {
            m = 1;
            ++y;
        }
    }
    return s;
}

// The error `f` throws, as text ("" and a test failure when it throws none or another type).
template <class E>
std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected an exception";
    return "";
}

// ---- one move at a time -----------------------------------------------------------------------

// 30 rows at 2.00, then 1.75 from row 30 (Monday 2024-02-12). By hand, with B = median of the 20
// rows before, F = median of the 10 from the day, G = median of the 20 after those:
//   rows 26..29: F has >= 6 of 10 at 1.75 -> F - B = -0.25; row 25 has 5 -> F = 1.875, -0.125;
//   rows 30..39: B has <= 9 of 20 at 1.75 -> B = 2.00; row 40 has 10 -> B = 1.875, F - B = -0.125;
//   G = 1.75 for all of them. So rows 26..39 are one cut run; the rate first sits 0.20 below
//   B = 2.00 two days running at row 30; the level after is the median of rows 40..49, 1.75.
TEST(PolicyEpisodes, OneCutIsOneMoveDatedWhereTheRateSitsBelow) {
    const Date monday = d(2024, 1, 1);
    const auto moves = detectPolicyMoves(weekdaySeries(monday, 70, 2.00, {{30, 1.75}}));
    ASSERT_EQ(moves.size(), 1u);
    EXPECT_EQ(moves[0].date, d(2024, 2, 12));
    EXPECT_EQ(moves[0].sign, -1);
    EXPECT_DOUBLE_EQ(moves[0].levelBefore, 2.00);
    EXPECT_DOUBLE_EQ(moves[0].levelAfter, 1.75);
    EXPECT_EQ(moves[0].runEnd, d(2024, 2, 23));  // row 39, a Friday
}

// The 2018-12-19 hike moved DFF from 2.20 to 2.40: exactly the threshold in decimal, but
// 2.40 - 2.20 is below 0.20 in binary, so only the tolerance lets it count.
TEST(PolicyEpisodes, ExactlyTwentyBasisPointsCountsOnlyWithTheTolerance) {
    ASSERT_LT(2.40 - 2.20, 0.20);
    const TimeSeries dff = weekdaySeries(d(2024, 1, 1), 70, 2.20, {{30, 2.40}});
    const auto moves = detectPolicyMoves(dff);
    ASSERT_EQ(moves.size(), 1u);
    EXPECT_EQ(moves[0].date, d(2024, 2, 12));
    EXPECT_EQ(moves[0].sign, 1);
    EXPECT_DOUBLE_EQ(moves[0].levelBefore, 2.20);
    EXPECT_DOUBLE_EQ(moves[0].levelAfter, 2.40);

    EpisodeRule exact;
    exact.tolerance = 0.0;
    EXPECT_TRUE(detectPolicyMoves(dff, exact).empty());
}

// 3.00, a 21-row plateau at 3.50 (rows 30..50), 3.00 again. By hand: rows 25..31 are hike
// candidates (row 31 is the last whose later window still holds 10 of 20 plateau rows, G = 3.25),
// dated row 30 = 2024-02-12; rows 46..61 are cut candidates (row 61: B = 3.25, F = 3.00),
// dated row 51 = 2024-03-12, the first day back at 3.00. The two are 29 calendar days apart.
TEST(PolicyEpisodes, OppositeMovesWithinThirtyDaysAreBothDropped) {
    const TimeSeries dff = weekdaySeries(d(2024, 1, 1), 100, 3.00, {{30, 3.50}, {51, 3.00}});
    EXPECT_TRUE(detectPolicyMoves(dff).empty());

    EpisodeRule shorter;
    shorter.reversalDays = 28;
    const auto moves = detectPolicyMoves(dff, shorter);
    ASSERT_EQ(moves.size(), 2u);
    EXPECT_EQ(moves[0].date, d(2024, 2, 12));
    EXPECT_EQ(moves[0].sign, 1);
    EXPECT_DOUBLE_EQ(moves[0].levelBefore, 3.00);
    EXPECT_DOUBLE_EQ(moves[0].levelAfter, 3.50);
    EXPECT_EQ(moves[0].runEnd, d(2024, 2, 13));  // row 31
    EXPECT_EQ(moves[1].date, d(2024, 3, 12));
    EXPECT_EQ(moves[1].sign, -1);
    EXPECT_DOUBLE_EQ(moves[1].levelBefore, 3.50);
    EXPECT_DOUBLE_EQ(moves[1].levelAfter, 3.00);
    EXPECT_EQ(moves[1].runEnd, d(2024, 3, 26));  // row 61
}

// ---- a staircase of isolated quarter-point steps ----------------------------------------------

// Weekday rows from Monday 2001-01-01 (800 rows, to Friday 2004-01-23), quarter-point steps at
// rows that are multiples of 5 (Mondays), each with >= 40 flat rows around it. As in the first
// test, an isolated 0.25 step at row s is one move dated at s whose run ends at row s + 9 (the
// Friday of the next week) with the old and new levels before and after.
//   row  60 2001-03-26 cut  5.00 -> 4.75  E1 (with row 100: 56 days apart <= 183)
//   row 100 2001-05-21 cut  4.75 -> 4.50  E1 ends 2001-06-01
//   row 260 2001-12-31 cut  4.50 -> 4.25  E2: 224 days after the last cut -> new episode; 213
//                                          days after E1's end (< 365): a resumption
//   row 300 2002-02-25 hike 4.25 -> 4.50  E3: the first hike episode -> a cycle start
//   row 340 2002-04-22 cut  4.50 -> 4.25  E4: E3 moved 0.25 (< 0.50) and E2 ended 2002-01-11,
//                                          101 days before: a resumption
//   row 640 2003-06-16 cut  4.25 -> 4.00  E5: 409 days after E4's end 2002-05-03: a cycle start
//   row 680 2003-08-11 hike 4.00 -> 4.25  E6 (with row 720), 521 days after E3's end
//   row 720 2003-10-06 hike 4.25 -> 4.50     2002-03-08: a cycle start; moved +0.50
//   row 760 2003-12-01 cut  4.50 -> 4.25  E7: after E6's +0.50 (>= 0.50): a cycle start, though
//                                          only 157 days after E5's end 2003-06-27
const Date kStairStart = d(2001, 1, 1);
TimeSeries staircase() {
    return weekdaySeries(kStairStart, 800, 5.00,
                         {{60, 4.75},
                          {100, 4.50},
                          {260, 4.25},
                          {300, 4.50},
                          {340, 4.25},
                          {640, 4.00},
                          {680, 4.25},
                          {720, 4.50},
                          {760, 4.25}});
}

// Recessions 2001-04..2001-12 and 2004-06..2004-08; USREC covers 2000-01..2005-12.
TimeSeries stairUsrec(int secondStartMonth = 6) {
    std::set<std::pair<int, int>> ones;
    for (int m = 4; m <= 12; ++m) ones.insert({2001, m});
    for (int m = secondStartMonth; m <= 8; ++m) ones.insert({2004, m});
    return usrecSeries(2000, d(2005, 12, 1), ones);
}

struct EpisodeRow {
    Date start;
    Date end;
    int direction;
    std::size_t moves;
    double cumChange;
    bool cycleStart;
};

TEST(PolicyEpisodes, StaircaseGroupsEpisodesAndTellsCycleStartsFromResumptions) {
    const EpisodeHistory h = policyEpisodes(staircase(), stairUsrec());
    const std::vector<EpisodeRow> want = {
        {d(2001, 3, 26), d(2001, 6, 1), -1, 2, -0.50, true},  // the first episode
        {d(2001, 12, 31), d(2002, 1, 11), -1, 1, -0.25, false},
        {d(2002, 2, 25), d(2002, 3, 8), 1, 1, 0.25, true},
        {d(2002, 4, 22), d(2002, 5, 3), -1, 1, -0.25, false},
        {d(2003, 6, 16), d(2003, 6, 27), -1, 1, -0.25, true},
        {d(2003, 8, 11), d(2003, 10, 17), 1, 2, 0.50, true},
        {d(2003, 12, 1), d(2003, 12, 12), -1, 1, -0.25, true},
    };
    ASSERT_EQ(h.episodes.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("episode " + std::to_string(i + 1));
        const PolicyEpisode& e = h.episodes[i];
        EXPECT_EQ(e.start, want[i].start);
        EXPECT_EQ(e.end, want[i].end);
        EXPECT_EQ(e.direction, want[i].direction);
        EXPECT_EQ(e.moves.size(), want[i].moves);
        EXPECT_DOUBLE_EQ(e.cumChange, want[i].cumChange);
        EXPECT_EQ(e.cycleStart, want[i].cycleStart);
    }
    EXPECT_EQ(h.dataStart, kStairStart);
    EXPECT_EQ(h.dataEnd, d(2004, 1, 23));
    EXPECT_EQ(h.file, "hand_dff.csv");

    // E7 is a cycle start only through E6's +0.50; asking for 0.75 makes it a resumption.
    EpisodeRule larger;
    larger.minOppositeChange = 0.75;
    const EpisodeHistory h2 = policyEpisodes(staircase(), stairUsrec(), larger);
    ASSERT_EQ(h2.episodes.size(), 7u);
    EXPECT_FALSE(h2.episodes[6].cycleStart);
    EXPECT_TRUE(h2.episodes[4].cycleStart);  // E5 stays one: the long pause

    // With a one-year split gap E1..E2 merge (224 days <= 365).
    EpisodeRule wide;
    wide.splitGapDays = 365;
    const EpisodeHistory h3 = policyEpisodes(staircase(), stairUsrec(), wide);
    ASSERT_EQ(h3.episodes.size(), 6u);
    EXPECT_EQ(h3.episodes[0].end, d(2002, 1, 11));
    EXPECT_EQ(h3.episodes[0].moves.size(), 3u);
    EXPECT_DOUBLE_EQ(h3.episodes[0].cumChange, -0.75);
}

// Tags by hand (month(start) = m0; a recession start is a 0 -> 1 month in (m0, m0 + 12]):
//   E1 2001-03: 2001-04 starts within 12 months, and overlaps the episode (to 2001-06);
//   E2 2001-12: USREC(2001-12) = 1 (in recession at its start), no new start in 2002;
//   E3 hike 2002-02 and E4 2002-04: nothing within 12 months, no overlap;
//   E5 2003-06: 2004-06 is exactly 12 months on, inclusive; E6 2003-08 and E7 2003-12 see it too.
TEST(PolicyEpisodes, RecessionTagsReadUsrecMonthsFromTheDetectedStart) {
    const EpisodeHistory h = policyEpisodes(staircase(), stairUsrec());
    ASSERT_EQ(h.episodes.size(), 7u);
    struct Tag {
        bool within;
        std::optional<Date> recStart;
        bool inRec;
        bool overlaps;
        EpisodeClass cls;
    };
    const std::vector<Tag> want = {
        {true, d(2001, 4, 1), false, true, EpisodeClass::Recession},
        {false, std::nullopt, true, true, EpisodeClass::Recession},
        {false, std::nullopt, false, false, EpisodeClass::Tightening},
        {false, std::nullopt, false, false, EpisodeClass::SoftLanding},
        {true, d(2004, 6, 1), false, false, EpisodeClass::Recession},
        {true, d(2004, 6, 1), false, false, EpisodeClass::Tightening},
        {true, d(2004, 6, 1), false, false, EpisodeClass::Recession},
    };
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("episode " + std::to_string(i + 1));
        const PolicyEpisode& e = h.episodes[i];
        EXPECT_EQ(e.recessionWithin12m, want[i].within);
        EXPECT_EQ(e.recessionStart, want[i].recStart);
        EXPECT_EQ(e.inRecessionAtStart, want[i].inRec);
        EXPECT_EQ(e.recessionOverlaps, want[i].overlaps);
        EXPECT_EQ(episodeClass(e), want[i].cls);
        EXPECT_FALSE(e.tagProvisional);
    }

    // The second recession starting 2004-07 instead: 13 months after E5's month, so E5 is a soft
    // landing; E7 (2003-12) still sees it.
    const EpisodeHistory later = policyEpisodes(staircase(), stairUsrec(7));
    EXPECT_EQ(episodeClass(later.episodes[4]), EpisodeClass::SoftLanding);
    EXPECT_FALSE(later.episodes[4].recession());
    EXPECT_EQ(later.episodes[6].recessionStart, d(2004, 7, 1));

    // USREC ending 2004-09: E7's horizon (to 2004-12) runs past it, E5's (to 2004-06) does not.
    TimeSeries shortRec = stairUsrec();
    while (shortRec.dates.back() > d(2004, 9, 1)) {
        shortRec.dates.pop_back();
        shortRec.values.pop_back();
    }
    const EpisodeHistory provisional = policyEpisodes(staircase(), shortRec);
    EXPECT_TRUE(provisional.episodes[6].tagProvisional);
    EXPECT_FALSE(provisional.episodes[4].tagProvisional);
    EXPECT_TRUE(provisional.episodes[6].recession());
}

TEST(PolicyEpisodes, DaysTakeTheClassOfTheSpanHoldingThem) {
    const EpisodeHistory h = policyEpisodes(staircase(), stairUsrec());
    using C = EpisodeClass;
    const std::vector<std::pair<Date, C>> want = {
        {d(2001, 1, 1), C::Hold},                                           // the first row
        {d(2001, 3, 25), C::Hold},                                          // the Sunday before E1
        {d(2001, 3, 26), C::Recession},                                     // E1's first move
        {d(2001, 6, 1), C::Recession},                                      // E1's end, inclusive
        {d(2001, 6, 2), C::Hold},         {d(2001, 12, 31), C::Recession},  // E2
        {d(2002, 2, 24), C::Hold},        {d(2002, 2, 25), C::Tightening},  // E3
        {d(2002, 3, 8), C::Tightening},   {d(2002, 3, 9), C::Hold},
        {d(2002, 4, 27), C::SoftLanding},  // E4, a Saturday inside the span
        {d(2003, 9, 1), C::Tightening},    // E6, between its two moves
        {d(2003, 12, 12), C::Recession},   // E7's end
        {d(2004, 1, 23), C::Hold},         // the last row
    };
    std::vector<Date> days;
    for (const auto& [day, cls] : want) days.push_back(day);
    const std::vector<EpisodeClass> got = classifyDays(h, days);
    ASSERT_EQ(got.size(), days.size());
    for (std::size_t i = 0; i < days.size(); ++i)
        EXPECT_EQ(episodeClassName(got[i]), std::string(episodeClassName(want[i].second)))
            << days[i].iso();

    const std::string early = errorOf<InputError>([&] { classifyDays(h, {d(2000, 12, 31)}); });
    EXPECT_NE(early.find("2000-12-31"), std::string::npos) << early;
    EXPECT_NE(early.find("hand_dff.csv runs from 2001-01-01 to 2004-01-23"), std::string::npos)
        << early;
    const std::string late = errorOf<InputError>([&] {
        classifyDays(h, {d(2002, 1, 1), d(2004, 1, 24)});
    });
    EXPECT_NE(late.find("2004-01-24"), std::string::npos) << late;
}

TEST(PolicyEpisodes, FirstCutsAreTheEasingCycleStarts) {
    const EpisodeHistory h = policyEpisodes(staircase(), stairUsrec());
    std::vector<Date> all;
    for (const PolicyEpisode& e : firstCuts(h, d(1990, 1, 1))) all.push_back(e.start);
    EXPECT_EQ(all, (std::vector<Date>{d(2001, 3, 26), d(2003, 6, 16), d(2003, 12, 1)}));
    const auto since = firstCuts(h, d(2003, 6, 16));  // `since` is inclusive
    ASSERT_EQ(since.size(), 2u);
    EXPECT_EQ(since[0].start, d(2003, 6, 16));
}

// FRED's DFF has a row every calendar day; the rule reads the weekday rows only, so values on
// weekends cannot matter.
TEST(PolicyEpisodes, WeekendRowsAreNotRead) {
    const TimeSeries weekdays = staircase();
    TimeSeries daily;
    daily.file = "daily.csv";
    for (std::size_t i = 0; i < weekdays.size(); ++i) {
        daily.dates.push_back(weekdays.dates[i]);
        daily.values.push_back(weekdays.values[i]);
        if (weekdays.dates[i].weekday() == 5) {  // Friday: add Saturday and Sunday
            daily.dates.push_back(weekdays.dates[i] + 1);
            daily.values.push_back(9.99);
            daily.dates.push_back(weekdays.dates[i] + 2);
            daily.values.push_back(0.01);
        }
    }
    const auto a = detectPolicyMoves(weekdays);
    const auto b = detectPolicyMoves(daily);
    ASSERT_EQ(a.size(), 9u);
    ASSERT_EQ(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(b[i].date, a[i].date);
        EXPECT_EQ(b[i].runEnd, a[i].runEnd);
        EXPECT_EQ(b[i].levelBefore, a[i].levelBefore);
        EXPECT_EQ(b[i].levelAfter, a[i].levelAfter);
    }
}

TEST(PolicyEpisodes, RefusesDataTheRuleCannotRead) {
    // 49 weekday rows: one short of the 20 + 10 + 20 the windows need.
    const std::string shortMsg = errorOf<DataError>(
        [] { detectPolicyMoves(weekdaySeries(d(2024, 1, 1), 49, 2.0, {})); });
    EXPECT_NE(shortMsg.find("hand_dff.csv: 49 weekday rows (2024-01-01 to 2024-03-07)"),
              std::string::npos)
        << shortMsg;
    EXPECT_NE(shortMsg.find("at least 50"), std::string::npos) << shortMsg;

    // A missing weekday (Wednesday 2001-01-10): the windows count rows, so a gap would stretch
    // them silently.
    TimeSeries gap = staircase();
    gap.dates.erase(gap.dates.begin() + 7);
    gap.values.erase(gap.values.begin() + 7);
    const std::string gapMsg = errorOf<DataError>([&] { detectPolicyMoves(gap); });
    EXPECT_NE(gapMsg.find("hand_dff.csv: no row for the weekday(s) between 2001-01-09 and "
                          "2001-01-11"),
              std::string::npos)
        << gapMsg;

    // USREC starting after E1's month (2001-03), or ending before E7's (2003-12).
    TimeSeries fromApril = usrecSeries(2001, d(2005, 12, 1), {});
    fromApril.dates.erase(fromApril.dates.begin(), fromApril.dates.begin() + 3);
    fromApril.values.erase(fromApril.values.begin(), fromApril.values.begin() + 3);
    const std::string aprilMsg = errorOf<DataError>(
        [&] { policyEpisodes(staircase(), fromApril); });
    EXPECT_NE(aprilMsg.find("hand_usrec.csv: covers 2001-04-01 to 2005-12-01, but the policy "
                            "episode 2001-03-26 to 2001-06-01 needs the months 2001-03-01 to "
                            "2001-06-01"),
              std::string::npos)
        << aprilMsg;
    const std::string endMsg = errorOf<DataError>(
        [] { policyEpisodes(staircase(), usrecSeries(2000, d(2003, 11, 1), {})); });
    EXPECT_NE(endMsg.find("episode 2003-12-01 to 2003-12-12"), std::string::npos) << endMsg;

    TimeSeries half = stairUsrec();
    half.values[5] = 0.5;
    EXPECT_NE(errorOf<DataError>([&] {
                  policyEpisodes(staircase(), half);
              }).find("0 or 1, found 0.5 on 2000-06-01"),
              std::string::npos);
    TimeSeries midMonth = stairUsrec();
    midMonth.dates[2] = d(2000, 3, 15);
    EXPECT_NE(errorOf<DataError>([&] {
                  policyEpisodes(staircase(), midMonth);
              }).find("first of the month, found 2000-03-15"),
              std::string::npos);
    TimeSeries missing = stairUsrec();
    missing.dates.erase(missing.dates.begin() + 2);
    missing.values.erase(missing.values.begin() + 2);
    EXPECT_NE(errorOf<DataError>([&] {
                  policyEpisodes(staircase(), missing);
              }).find("2000-04-01 comes after 2000-02-01"),
              std::string::npos);

    EpisodeRule bad;
    bad.after = 0;
    EXPECT_NE(errorOf<InputError>([&] {
                  detectPolicyMoves(staircase(), bad);
              }).find("episode rule"),
              std::string::npos);
}

TEST(PolicyEpisodes, ClassNamesRoundTrip) {
    for (EpisodeClass c : {EpisodeClass::SoftLanding, EpisodeClass::Recession, EpisodeClass::Hold,
                           EpisodeClass::Tightening})
        EXPECT_EQ(parseEpisodeClass(episodeClassName(c)), c);
    EXPECT_STREQ(episodeClassName(EpisodeClass::SoftLanding), "soft_landing");
    EXPECT_STREQ(episodeClassName(EpisodeClass::Tightening), "tightening");
    EXPECT_EQ(parseEpisodeClass("Hold"), std::nullopt);
    EXPECT_EQ(parseEpisodeClass(""), std::nullopt);
}

// ---- the shipped history ----------------------------------------------------------------------

const std::string kDff = std::string(ROTOR_SOURCE_DIR) + "/data/fred/DFF.csv";
const std::string kUsrec = std::string(ROTOR_SOURCE_DIR) + "/data/fred/USREC.csv";

const EpisodeHistory& shippedHistory() {
    static const EpisodeHistory h = policyEpisodes(readSeries(kDff), readSeries(kUsrec));
    return h;
}

// The FOMC's easing cycles since 1984 (first cuts from the Fed's target history; 1984-1989 before
// targets were announced) and NBER's recessions: the rule must find exactly these first cuts,
// each within a few weekdays of the decision (2000-12-29: a year-end dip three weekdays before
// the 2001-01-03 cut; 2007-08-10: the August 2007 liquidity easing, five weeks before the
// 2007-09-18 cut), and tag as recessions exactly those followed by one within 12 months.
TEST(PolicyEpisodesHistory, EasingCycleStartsSince1984AreTheKnownFirstCuts) {
    struct Known {
        Date start;
        std::optional<Date> recessionStart;
    };
    const std::vector<Known> known = {
        {d(1984, 9, 10), std::nullopt},  {d(1987, 10, 20), std::nullopt},
        {d(1989, 6, 7), std::nullopt},   {d(1995, 7, 7), std::nullopt},
        {d(1998, 10, 6), std::nullopt},  {d(2000, 12, 29), d(2001, 4, 1)},
        {d(2007, 8, 10), d(2008, 1, 1)}, {d(2019, 8, 1), d(2020, 3, 1)},
        {d(2024, 9, 19), std::nullopt},
    };
    const auto cuts = firstCuts(shippedHistory(), d(1984, 1, 1));
    ASSERT_EQ(cuts.size(), known.size());
    for (std::size_t i = 0; i < known.size(); ++i) {
        SCOPED_TRACE(known[i].start.iso());
        EXPECT_EQ(cuts[i].start, known[i].start);
        EXPECT_EQ(cuts[i].recessionStart, known[i].recessionStart);
        EXPECT_EQ(episodeClass(cuts[i]),
                  known[i].recessionStart ? EpisodeClass::Recession : EpisodeClass::SoftLanding);
        EXPECT_FALSE(cuts[i].inRecessionAtStart);  // no first cut came inside a recession
        EXPECT_FALSE(cuts[i].tagProvisional);
    }
}

// Runs tools/research/policy_episodes.py on the shipped files; "" and the CSV lines in `lines`,
// or why it could not run.
std::string runResearchScript(const std::string& args, std::vector<std::string>& lines) {
    const char* python = "/usr/bin/python3";
    if (!std::filesystem::exists(python)) return std::string(python) + " not found";
    const std::string out = test::scratchDir("policy_episodes_py") + "/out.csv";
    const std::string cmd = std::string(python) + " " + ROTOR_SOURCE_DIR +
                            "/tools/research/policy_episodes.py " + kDff + " " + kUsrec + " " +
                            args + " > " + out;
    const test::ShellRun run = test::runShell(cmd);
    if (run.status != 0) {
        if (test::runShell(std::string(python) + " -c 'import numpy, pandas'").status != 0)
            return std::string(python) + " lacks numpy or pandas";
        ADD_FAILURE() << cmd << " failed:\n" << run.output;
        return "the script failed";
    }
    std::ifstream in(out);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return "";
}

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) out.push_back(c);
    if (!line.empty() && line.back() == ',') out.push_back("");
    return out;
}

// Every calendar day 1990-01-01..2025-12-31 gets the class the second implementation gives it.
TEST(PolicyEpisodesHistory, DayClasses1990To2025MatchTheResearchScript) {
    std::vector<std::string> lines;
    const std::string args = "--table labels --from 1990-01-01 --to 2025-12-31";
    if (const std::string why = runResearchScript(args, lines); !why.empty()) GTEST_SKIP() << why;
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], "date,class");
    const std::vector<Date> days = test::calendarDays(d(1990, 1, 1),
                                                      d(2025, 12, 31) - d(1990, 1, 1) + 1);
    ASSERT_EQ(lines.size(), days.size() + 1);
    const std::vector<EpisodeClass> got = classifyDays(shippedHistory(), days);
    std::size_t mismatches = 0;
    std::map<std::string, int> counts;
    for (std::size_t i = 0; i < days.size(); ++i) {
        const std::string want = days[i].iso() + "," + episodeClassName(got[i]);
        ++counts[episodeClassName(got[i])];
        if (lines[i + 1] != want && ++mismatches <= 5)
            ADD_FAILURE() << "library " << want << ", script " << lines[i + 1];
    }
    EXPECT_EQ(mismatches, 0u);
    for (const char* c : {"soft_landing", "recession", "hold", "tightening"})
        EXPECT_GT(counts[c], 100) << c;  // every class occurs: the comparison is not vacuous
}

// The episodes since 1984 field by field: dates, direction, moves, cumulative change (the script
// prints 4 decimals), cycle start, tags.
TEST(PolicyEpisodesHistory, EpisodesSince1984MatchTheResearchScript) {
    std::vector<std::string> lines;
    if (const std::string why = runResearchScript("--table episodes --since 1984-01-01", lines);
        !why.empty())
        GTEST_SKIP() << why;
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0],
              "start,end,direction,kind,moves,level_before,level_after,cum_change,"
              "rec_within_12m,rec_start,in_rec_at_start,rec_overlaps,class,provisional");
    std::vector<const PolicyEpisode*> mine;
    for (const PolicyEpisode& e : shippedHistory().episodes)
        if (e.start >= d(1984, 1, 1)) mine.push_back(&e);
    ASSERT_EQ(lines.size(), mine.size() + 1);
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const PolicyEpisode& e = *mine[i];
        const std::vector<std::string> c = cells(lines[i + 1]);
        ASSERT_EQ(c.size(), 14u) << lines[i + 1];
        SCOPED_TRACE(lines[i + 1]);
        EXPECT_EQ(e.start.iso(), c[0]);
        EXPECT_EQ(e.end.iso(), c[1]);
        EXPECT_EQ(std::to_string(e.direction), c[2]);
        EXPECT_EQ(e.cycleStart ? "cycle_start" : "resumption", c[3]);
        EXPECT_EQ(std::to_string(e.moves.size()), c[4]);
        EXPECT_NEAR(e.moves.front().levelBefore, std::stod(c[5]), 5e-5);
        EXPECT_NEAR(e.moves.back().levelAfter, std::stod(c[6]), 5e-5);
        EXPECT_NEAR(e.cumChange, std::stod(c[7]), 5e-5);
        EXPECT_EQ(e.recessionWithin12m ? "1" : "0", c[8]);
        EXPECT_EQ(e.recessionStart ? e.recessionStart->iso().substr(0, 7) : "", c[9]);
        EXPECT_EQ(e.inRecessionAtStart ? "1" : "0", c[10]);
        EXPECT_EQ(e.recessionOverlaps ? "1" : "0", c[11]);
        EXPECT_EQ(episodeClassName(episodeClass(e)), c[12]);
        EXPECT_EQ(e.tagProvisional ? "1" : "0", c[13]);
    }
}

}  // namespace policy_episodes_test
}  // namespace
}  // namespace rotor
