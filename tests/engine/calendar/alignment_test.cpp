// SPDX-License-Identifier: MIT
// Alignment of a universe onto common trading days, and forward-filling rates onto them.
#include "engine/calendar/alignment.hpp"

#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace alignment_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

TimeSeries series(const std::string& name, std::vector<Date> dates, std::vector<double> values,
                  const std::string& file = "") {
    return TimeSeries{name, file, std::move(dates), std::move(values)};
}

void expectInputError(const std::function<void()>& f, const std::string& msg) {
    try {
        f();
        ADD_FAILURE() << "no InputError; expected: " << msg;
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), msg);
    }
}

// January 2024: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8, Tue 9.
// A lacks Thursday the 4th; B has it and one more day (the 9th) at the end.
TimeSeries assetA() {
    return series("A", {d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 5), d(2024, 1, 8)},
                  {10.0, 11.0, 12.0, 13.0});
}
TimeSeries assetB() {
    return series("B",
                  {d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4), d(2024, 1, 5), d(2024, 1, 8),
                   d(2024, 1, 9)},
                  {20.0, 21.0, 22.0, 23.0, 24.0, 25.0});
}

TEST(Alignment, KeepsOnlyDaysEveryAssetHas) {
    // Common days: 2, 3, 5, 8 (B's 4th dropped; the default end is A's last day, the 8th).
    const auto a = alignPrices({assetB(), assetA()}, d(2024, 1, 2));
    EXPECT_EQ(a.dates,
              (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 5), d(2024, 1, 8)}));
    EXPECT_EQ(a.assets, (std::vector<std::string>{"B", "A"}));
    ASSERT_EQ(a.prices.rows(), 4);
    ASSERT_EQ(a.prices.cols(), 2);
    const double b[4] = {20.0, 21.0, 23.0, 24.0};  // B on 2, 3, 5, 8
    const double aa[4] = {10.0, 11.0, 12.0, 13.0};
    for (int r = 0; r < 4; ++r) {
        EXPECT_EQ(a.prices(r, 0), b[r]) << r;
        EXPECT_EQ(a.prices(r, 1), aa[r]) << r;
    }
    // In the window [2, 8]: B had 5 days, 4 kept; A had 4, all kept.
    EXPECT_EQ(a.droppedDays, (std::vector<long>{1, 0}));
}

TEST(Alignment, WindowCutsBothEnds) {
    // Start on the 4th, a day A lacks: the first common day is the 5th; end on the 8th.
    const auto a = alignPrices({assetA(), assetB()}, d(2024, 1, 4), d(2024, 1, 8));
    EXPECT_EQ(a.dates, (std::vector<Date>{d(2024, 1, 5), d(2024, 1, 8)}));
    EXPECT_EQ(a.prices(0, 0), 12.0);
    EXPECT_EQ(a.prices(1, 1), 24.0);
    const auto b = alignPrices({assetA(), assetB()}, d(2024, 1, 2), d(2024, 1, 5));
    EXPECT_EQ(b.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 5)}));
}

TEST(Alignment, RefusesWindowOutsideAnAssetsHistory) {
    auto iwm = series("IWM", {d(2000, 5, 26), d(2000, 5, 30)}, {1.0, 2.0}, "data/adj_etf/IWM.csv");
    auto spy = series("SPY", {d(1993, 1, 29), d(2000, 5, 26), d(2000, 5, 30)}, {1.0, 2.0, 3.0});
    expectInputError(
        [&] {
            alignPrices({spy, iwm}, d(2000, 1, 3));
        },
        "IWM (data/adj_etf/IWM.csv) has no data before 2000-05-26 "
        "(window starts 2000-01-03)");
    expectInputError(
        [&] {
            alignPrices({spy, iwm}, d(2000, 5, 26), d(2000, 6, 1));
        },
        "SPY has no data after 2000-05-30 (window ends 2000-06-01)");
    expectInputError(
        [&] {
            alignPrices({spy, iwm}, d(2000, 6, 1));
        },
        "SPY has no data after 2000-05-30 (window starts 2000-06-01)");
    expectInputError(
        [&] {
            alignPrices({spy, iwm}, d(2000, 5, 30), d(2000, 5, 26));
        },
        "window start 2000-05-30 is after its end 2000-05-26");
}

TEST(Alignment, RefusesFewerThanTwoCommonDays) {
    // [4, 5]: A has only the 5th.
    expectInputError(
        [] {
            alignPrices({assetA(), assetB()}, d(2024, 1, 4), d(2024, 1, 5));
        },
        "only 1 common trading day(s) between 2024-01-04 and 2024-01-05 for A, B "
        "(need at least 2)");
}

TEST(Alignment, RefusesDuplicateAndMissingAssets) {
    expectInputError(
        [] {
            alignPrices({assetA(), assetA()}, d(2024, 1, 2));
        },
        "asset 'A' is listed twice");
    expectInputError([] { alignPrices({}, d(2024, 1, 2)); }, "no assets to align");
    expectInputError([] { alignPrices({series("E", {}, {})}, d(2024, 1, 2)); }, "E has no data");
}

TEST(Alignment, WideTableIsCutToTheWindow) {
    rotor::PriceTable table;
    table.file = "wide.csv";
    table.dates = {d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4)};
    table.assets = {"X", "Y"};
    table.prices.resize(3, 2);
    table.prices << 1.0, 2.0, 3.0, 4.0, 5.0, 6.0;
    const auto a = rotor::alignPriceTable(table, d(2024, 1, 3));
    EXPECT_EQ(a.dates, (std::vector<Date>{d(2024, 1, 3), d(2024, 1, 4)}));
    EXPECT_EQ(a.prices(0, 0), 3.0);
    EXPECT_EQ(a.prices(1, 1), 6.0);
    expectInputError([&] { rotor::alignPriceTable(table, d(2024, 1, 1)); },
                     "X (wide.csv) has no data before 2024-01-02 (window starts 2024-01-01)");
}

TEST(ForwardFill, CarriesFridayThroughTheWeekendAndTheFourthOfJuly) {
    // Business-day observations (like a Treasury yield); July 4th 2024 (Thursday) is missing.
    const auto rate = series("DGS",
                             {d(2024, 7, 1), d(2024, 7, 2), d(2024, 7, 3), d(2024, 7, 5),
                              d(2024, 7, 8), d(2024, 7, 9)},
                             {5.30, 5.31, 5.32, 5.35, 5.38, 5.39});
    // Every calendar day from Mon 1 to Tue 9.
    std::vector<Date> days;
    for (int k = 1; k <= 9; ++k) days.push_back(d(2024, 7, k));
    const auto filled = forwardFill(rate, days);
    // 4th <- Wed 3rd; Sat 6th and Sun 7th <- Fri 5th.
    const double expected[9] = {5.30, 5.31, 5.32, 5.32, 5.35, 5.35, 5.35, 5.38, 5.39};
    ASSERT_EQ(filled.size(), 9);
    for (int k = 0; k < 9; ++k) EXPECT_EQ(filled[k], expected[k]) << "July " << k + 1;
}

TEST(ForwardFill, UsesTheLatestObservationEvenOnANonTradingDay) {
    // A 7-day series whose value changes on Saturday the 6th: Monday the 8th must see it.
    const auto rate = series("DFF", {d(2024, 7, 3), d(2024, 7, 5), d(2024, 7, 6)},
                             {5.33, 5.34, 6.00});
    const std::vector<Date> days{d(2024, 7, 3), d(2024, 7, 5), d(2024, 7, 8)};
    const auto filled = forwardFill(rate, days);
    EXPECT_EQ(filled[0], 5.33);
    EXPECT_EQ(filled[1], 5.34);
    EXPECT_EQ(filled[2], 6.00);
}

TEST(ForwardFill, StalenessLimitIsInclusive) {
    const auto rate = series("R", {d(2024, 7, 1), d(2024, 7, 5)}, {1.0, 2.0}, "r.csv");
    // 2024-07-15 - 2024-07-05 = 10 days: allowed by the default limit of 10.
    EXPECT_EQ(forwardFill(rate, {d(2024, 7, 1), d(2024, 7, 15)})[1], 2.0);
    // 11 days: refused, and the message says the series has ended.
    expectInputError(
        [&] {
            forwardFill(rate, {d(2024, 7, 1), d(2024, 7, 16)});
        },
        "R (r.csv): latest observation on or before 2024-07-16 is 2024-07-05 "
        "(11 calendar days old, limit 10); the series ends 2024-07-05");
    // A gap inside the series (1st -> 5th) against a tighter limit of 3: 07-04 is 3 days old
    // (allowed), 07-05 has its own value.
    const auto ok = forwardFill(rate, {d(2024, 7, 4), d(2024, 7, 5)}, 3);
    EXPECT_EQ(ok[0], 1.0);
    EXPECT_EQ(ok[1], 2.0);
    expectInputError(
        [&] {
            forwardFill(rate, {d(2024, 7, 1), d(2024, 7, 4)}, 2);
        },
        "R (r.csv): latest observation on or before 2024-07-04 is 2024-07-01 "
        "(3 calendar days old, limit 2)");
}

TEST(ForwardFill, RefusesWhenNothingPrecedesTheFirstDay) {
    const auto rate = series("R", {d(2024, 7, 2), d(2024, 7, 3)}, {1.0, 2.0});
    expectInputError(
        [&] {
            forwardFill(rate, {d(2024, 7, 1), d(2024, 7, 2)});
        },
        "R: no observation on or before 2024-07-01, the first trading day "
        "(series starts 2024-07-02)");
    EXPECT_EQ(forwardFill(rate, {}).size(), 0);
}

TEST(ForwardFill, ConstantRate) {
    const auto c = rotor::constantRate(2.5, 4);
    ASSERT_EQ(c.size(), 4);
    for (rotor::Index i = 0; i < 4; ++i) EXPECT_EQ(c[i], 2.5);
}

// The shipped SPY and DFF. SPY trades Thu 2026-04-02 then Mon 2026-04-06 (Good Friday, 04-03);
// DFF's last row is 2026-03-26 (`tail -1 data/fred/DFF.csv`), every value since 03-20 is 3.64,
// and its rows for 2024-07-01..09 are all 5.33 (`grep ^2024-07-0 data/fred/DFF.csv`).
TEST(Alignment, ShippedSpyAndDff) {
    const std::string root = ROTOR_SOURCE_DIR;
    const auto spy = rotor::readPriceSeries(root + "/data/adj_etf/SPY.csv", "SPY");
    const auto qqq = rotor::readPriceSeries(root + "/data/adj_etf/QQQ.csv", "QQQ");
    auto dff = rotor::readSeries(root + "/data/fred/DFF.csv");
    dff.name = "DFF";

    // `grep ^2024-07-0 data/adj_etf/SPY.csv`: 01, 02, 03, 05, 08, 09 (July 4th closed); QQQ same.
    const auto july = alignPrices({spy, qqq}, d(2024, 7, 1), d(2024, 7, 9));
    EXPECT_EQ(july.dates, (std::vector<Date>{d(2024, 7, 1), d(2024, 7, 2), d(2024, 7, 3),
                                             d(2024, 7, 5), d(2024, 7, 8), d(2024, 7, 9)}));
    EXPECT_EQ(july.prices(3, 0), 541.81341553);  // SPY 2024-07-05
    EXPECT_EQ(july.prices(3, 1), 491.01062012);  // QQQ 2024-07-05
    const auto rate = forwardFill(dff, july.dates);
    for (rotor::Index t = 0; t < rate.size(); ++t) EXPECT_EQ(rate[t], 5.33);

    // Up to 2026-04-02: 7 days past DFF's end, filled. To 04-06: 11 days, refused.
    const auto spring = alignPrices({spy}, d(2026, 3, 2), d(2026, 4, 2));
    EXPECT_EQ(forwardFill(dff, spring.dates)[spring.prices.rows() - 1], 3.64);
    const auto later = alignPrices({spy}, d(2026, 3, 2), d(2026, 4, 6));
    expectInputError([&] { forwardFill(dff, later.dates); },
                     "DFF (" + root +
                         "/data/fred/DFF.csv): latest observation on or before "
                         "2026-04-06 is 2026-03-26 (11 calendar days old, limit 10); the series "
                         "ends 2026-03-26");
}

// Aligns the table through alignPrices on one series per column (the general walk, a second
// method) and returns the result or the InputError's message.
struct Outcome {
    rotor::AlignedPrices aligned;
    std::string error;
};
Outcome viaSeries(const rotor::PriceTable& table, Date start, std::optional<Date> end) {
    std::vector<TimeSeries> cols;
    for (std::size_t j = 0; j < table.assets.size(); ++j) {
        std::vector<double> v;
        for (rotor::Index r = 0; r < table.prices.rows(); ++r)
            v.push_back(table.prices(r, static_cast<rotor::Index>(j)));
        cols.push_back(series(table.assets[j], table.dates, v, table.file));
    }
    Outcome o;
    try {
        o.aligned = alignPrices(cols, start, end);
    } catch (const InputError& e) {
        o.error = e.what();
    }
    return o;
}
Outcome viaTable(const rotor::PriceTable& table, Date start, std::optional<Date> end) {
    Outcome o;
    try {
        o.aligned = rotor::alignPriceTable(table, start, end);
    } catch (const InputError& e) {
        o.error = e.what();
    }
    return o;
}

// The table's direct row cut agrees with the general walk on every window, including each
// refusal's message.
TEST(Alignment, WideTableCutAgreesWithTheSeriesWalk) {
    rotor::PriceTable table;
    table.file = "wide.csv";
    table.dates = {d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4), d(2024, 1, 5), d(2024, 1, 8)};
    table.assets = {"X", "Y", "Z"};
    table.prices.resize(5, 3);
    for (rotor::Index r = 0; r < 5; ++r)
        for (rotor::Index c = 0; c < 3; ++c)
            table.prices(r, c) = 10.0 * static_cast<double>(r) + static_cast<double>(c) + 1.0;
    std::vector<std::optional<Date>> ends = {std::nullopt};
    for (int day = 1; day <= 10; ++day) ends.emplace_back(d(2024, 1, day));
    int compared = 0;
    for (int s = 1; s <= 10; ++s) {
        for (const auto& end : ends) {
            const Date start = d(2024, 1, s);
            const Outcome a = viaSeries(table, start, end);
            const Outcome b = viaTable(table, start, end);
            SCOPED_TRACE(start.iso() + " to " + (end ? end->iso() : "end"));
            EXPECT_EQ(a.error, b.error);
            EXPECT_EQ(a.aligned.dates, b.aligned.dates);
            EXPECT_EQ(a.aligned.assets, b.aligned.assets);
            EXPECT_EQ(a.aligned.droppedDays, b.aligned.droppedDays);
            EXPECT_EQ(a.aligned.prices, b.aligned.prices);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 110);
    // Duplicate names and an empty table, refused alike.
    rotor::PriceTable dup = table;
    dup.assets = {"X", "Y", "X"};
    EXPECT_EQ(viaTable(dup, d(2024, 1, 2), std::nullopt).error,
              viaSeries(dup, d(2024, 1, 2), std::nullopt).error);
    EXPECT_EQ(viaTable(dup, d(2024, 1, 2), std::nullopt).error, "asset 'X' is listed twice");
    rotor::PriceTable empty;
    empty.file = "e.csv";
    empty.assets = {"X"};
    empty.prices.resize(0, 1);
    EXPECT_EQ(viaTable(empty, d(2024, 1, 2), std::nullopt).error, "X (e.csv) has no data");
}

}  // namespace alignment_test
}  // namespace
}  // namespace rotor
