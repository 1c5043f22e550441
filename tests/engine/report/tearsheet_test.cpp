// SPDX-License-Identifier: MIT
// Tear-sheet statistics on short series worked out by hand (the full-length check against
// pandas is in tests/tools/report_cli_test.cpp).
#include "engine/report/tearsheet.hpp"

#include "engine/core/date.hpp"
#include "engine/report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {
namespace tearsheet_test {

using namespace rotor::report;

TEST(Tearsheet, PeriodReturnsStartFromTheCapitalAndCompound) {
    // 2023-12: 110/100; 2024-01: 121/110 (the 99 mid-month does not matter); 2024-02: 133.1/121.
    const std::vector<std::string> dates = {"2023-12-28", "2023-12-29", "2024-01-02", "2024-01-31",
                                            "2024-02-01"};
    const std::vector<double> equity = {100, 110, 99, 121, 133.1};
    const auto m = monthlyReturns(dates, equity, 100.0);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].year, 2023);
    EXPECT_EQ(m[0].month, 12);
    EXPECT_EQ(m[1].year, 2024);
    EXPECT_EQ(m[1].month, 1);
    EXPECT_EQ(m[2].month, 2);
    for (const auto& p : m) EXPECT_NEAR(p.value, 0.10, 1e-12);
    const auto y = yearlyReturns(dates, equity, 100.0);
    ASSERT_EQ(y.size(), 2u);
    EXPECT_EQ(y[0].year, 2023);
    EXPECT_NEAR(y[0].value, 0.10, 1e-12);
    EXPECT_EQ(y[1].year, 2024);
    EXPECT_NEAR(y[1].value, 133.1 / 110 - 1, 1e-12);  // 21%
    // A capital above equity[0] (day-0 costs) counts against the first period.
    EXPECT_NEAR(monthlyReturns(dates, equity, 104.0)[0].value, 110.0 / 104 - 1, 1e-12);
}

TEST(Tearsheet, CashReturnsAccrueActOver360AtThePreviousDaysRate) {
    // Friday to Monday is 3 calendar days at Friday's 3.6%: 0.036 * 3 / 360 = 0.0003.
    const auto rf = cashReturns({"2024-01-04", "2024-01-05", "2024-01-08"}, {7.2, 3.6, 0.0});
    ASSERT_EQ(rf.size(), 2u);
    EXPECT_NEAR(rf[0], 0.072 / 360, 1e-15);
    EXPECT_NEAR(rf[1], 0.0003, 1e-15);
}

TEST(Tearsheet, WorstDrawdownsListsEpisodesDeepestFirst) {
    // 100 120 90 120: peak day 1, trough day 2, back at 120 on day 3 (-25%, 2 days).
    // 130 117 125 104 110: peak day 4, trough day 7 (104/130 = -20%), never recovered: 4 days.
    const auto e = worstDrawdowns({100, 120, 90, 120, 130, 117, 125, 104, 110}, 5);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].peak, 1u);
    EXPECT_EQ(e[0].trough, 2u);
    EXPECT_EQ(e[0].recovery, 3);
    EXPECT_NEAR(e[0].depth, 0.25, 1e-15);
    EXPECT_EQ(e[0].length, 2u);
    EXPECT_EQ(e[1].peak, 4u);
    EXPECT_EQ(e[1].trough, 7u);
    EXPECT_EQ(e[1].recovery, -1);
    EXPECT_NEAR(e[1].depth, 0.2, 1e-15);
    EXPECT_EQ(e[1].length, 4u);
    EXPECT_EQ(worstDrawdowns({100, 120, 90, 120, 130, 117, 125, 104, 110}, 1).size(), 1u);
    EXPECT_TRUE(worstDrawdowns({1, 2, 2, 3}, 5).empty());  // never under water
}

TEST(Tearsheet, RollingStatisticsOverATwoDayWindow) {
    // Day 2: r = (1%, 3%): mean 2%, sd sqrt(2e-4); b = (2%, 4%): cov = var = 2e-4, beta 1.
    // Day 3: r = (3%, -1%): sd sqrt(8e-4); b = (4%, 1%): cov 6e-4, var 4.5e-4, beta 4/3.
    const std::vector<double> r = {0.01, 0.03, -0.01}, b = {0.02, 0.04, 0.01};
    const std::vector<double> cash = {0.0, 0.0, 0.0};
    const RollingStats s = rollingStats(r, cash, &b, 2);
    ASSERT_EQ(s.volatility.size(), 4u);
    EXPECT_TRUE(std::isnan(s.volatility[0]) && std::isnan(s.volatility[1]));
    const double a = std::sqrt(252.0);
    EXPECT_NEAR(s.volatility[2], std::sqrt(2e-4) * a, 1e-12);
    EXPECT_NEAR(s.sharpe[2], 0.02 / std::sqrt(2e-4) * a, 1e-9);
    EXPECT_NEAR(s.beta[2], 1.0, 1e-12);
    EXPECT_NEAR(s.volatility[3], std::sqrt(8e-4) * a, 1e-12);
    EXPECT_NEAR(s.sharpe[3], 0.01 / std::sqrt(8e-4) * a, 1e-9);
    EXPECT_NEAR(s.beta[3], 4.0 / 3.0, 1e-12);
    // Sharpe subtracts the cash return: 1% cash each day leaves (0, 2%) and (2%, -2%).
    const RollingStats c = rollingStats(r, {0.01, 0.01, 0.01}, nullptr, 2);
    EXPECT_NEAR(c.sharpe[2], 0.01 / std::sqrt(2e-4) * a, 1e-9);
    EXPECT_NEAR(c.sharpe[3], 0.0, 1e-12);
    EXPECT_TRUE(std::isnan(c.beta[3]));  // no benchmark
}

TEST(Tearsheet, MonteCarloStandardErrors) {
    // W = 0.9, 1.1, 1.2, 1.0: mean 1.05, sample variance 0.05 / 3, SE sqrt(0.05/3/4).
    const std::vector<double> w = {0.9, 1.1, 1.2, 1.0};
    const Estimate m = meanEstimate(w);
    EXPECT_NEAR(m.value, 1.05, 1e-15);
    EXPECT_NEAR(m.stdError, std::sqrt(0.05 / 3.0 / 4.0), 1e-15);
    // One of four below 1: 25% +- sqrt(0.25 * 0.75 / 4).
    const Estimate p = shareBelowEstimate(w, 1.0);
    EXPECT_DOUBLE_EQ(p.value, 0.25);
    EXPECT_NEAR(p.stdError, std::sqrt(0.25 * 0.75 / 4), 1e-15);
    // Median 1.05; ranks round(2 - 1.96) -> 1 and round(1 + 2 + 1.96) = 5 -> 4: (1.2 - 0.9)/3.92.
    const Estimate med = medianEstimate(w);
    EXPECT_NEAR(med.value, 1.05, 1e-15);
    EXPECT_NEAR(med.stdError, 0.3 / 3.92, 1e-15);
}

std::vector<std::string> weekdays(const std::string& from, const std::string& to) {
    std::vector<std::string> out;
    for (auto d = *rotor::Date::parseIso(from); d <= *rotor::Date::parseIso(to); d = d + 1)
        if (d.weekday() != 0 && d.weekday() != 6) out.push_back(d.iso());
    return out;
}

TEST(Tearsheet, DateTicksFallOnCalendarBoundaries) {
    // Three years and a bit: the first weekday of 2020, 2021, 2022 and 2023.
    auto dates = weekdays("2019-12-30", "2023-01-04");
    auto ticks = calendarTicks(dates);
    ASSERT_EQ(ticks.size(), 4u);
    EXPECT_EQ(ticks[0].second, "2020");
    EXPECT_EQ(dates[ticks[0].first], "2020-01-01");
    EXPECT_EQ(dates[ticks[3].first], "2023-01-02");
    // 26 years: every fifth year (2000 is not a boundary crossed; 2005 ... 2025).
    dates = weekdays("2000-01-03", "2025-12-31");
    ticks = calendarTicks(dates);
    std::vector<std::string> labels;
    for (const auto& t : ticks) labels.push_back(t.second);
    EXPECT_EQ(labels, (std::vector<std::string>{"2005", "2010", "2015", "2020", "2025"}));
    EXPECT_EQ(dates[ticks.back().first], "2025-01-01");
    // Three months: month starts.
    dates = weekdays("2024-01-15", "2024-04-10");
    ticks = calendarTicks(dates);
    labels.clear();
    for (const auto& t : ticks) labels.push_back(t.second);
    EXPECT_EQ(labels, (std::vector<std::string>{"2024-02", "2024-03", "2024-04"}));
    EXPECT_EQ(dates[ticks[0].first], "2024-02-01");
    // Two and a half weeks: the Mondays.
    dates = weekdays("2024-01-03", "2024-01-19");
    ticks = calendarTicks(dates);
    labels.clear();
    for (const auto& t : ticks) labels.push_back(t.second);
    EXPECT_EQ(labels, (std::vector<std::string>{"2024-01-08", "2024-01-15"}));
}

}  // namespace tearsheet_test
}  // namespace
