// SPDX-License-Identifier: MIT
// The readers' window (rows from a date on) and the fast number path inside the reader: what is
// kept, what is still validated outside the window, and values identical to std::from_chars.
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

using rotor::DataError;
using rotor::Date;
using rotor::readSeries;
using rotor::ReadWindow;

namespace {
namespace csv_reader_window_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

std::string writeScratch(const std::string& name, const std::string& bytes) {
    const std::string path = rotor::test::scratchDir("csv_reader_window_test") + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

ReadWindow from(Date date, bool prevailing = false) {
    ReadWindow w;
    w.from = date;
    w.keepPrevailing = prevailing;
    return w;
}

// Thursday 4 to Tuesday 9 January 2024, no weekend rows.
const std::string kRates =
    "date,rate\n"
    "2024-01-04,5.1\n"
    "2024-01-05,5.2\n"
    "2024-01-08,5.3\n"
    "2024-01-09,5.4\n";

std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const DataError& e) {
        return e.what();
    }
    return "no DataError";
}

TEST(CsvReaderWindow, KeepsRowsFromTheDateOn) {
    const auto file = writeScratch("rates.csv", kRates);
    const auto s = readSeries(file, "", from(d(2024, 1, 5)));
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 5), d(2024, 1, 8), d(2024, 1, 9)}));
    EXPECT_EQ(s.values, (std::vector<double>{5.2, 5.3, 5.4}));
    // A window opening on a day without a row starts at the next row (Saturday -> Monday).
    const auto w = readSeries(file, "", from(d(2024, 1, 6)));
    EXPECT_EQ(w.dates, (std::vector<Date>{d(2024, 1, 8), d(2024, 1, 9)}));
    // Before the first row: the whole file, as without a window.
    EXPECT_EQ(readSeries(file, "", from(d(1990, 1, 1))).values, readSeries(file).values);
}

TEST(CsvReaderWindow, KeepsThePrevailingRowOnRequest) {
    const auto file = writeScratch("rates.csv", kRates);
    // Saturday the 6th: Friday's 5.2 still prevails.
    const auto s = readSeries(file, "", from(d(2024, 1, 6), true));
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 5), d(2024, 1, 8), d(2024, 1, 9)}));
    EXPECT_EQ(s.values, (std::vector<double>{5.2, 5.3, 5.4}));
    // The rule is "the last row dated before `from`", even when `from` has a row of its own.
    const auto on = readSeries(file, "", from(d(2024, 1, 8), true));
    EXPECT_EQ(on.dates.front(), d(2024, 1, 5));
    EXPECT_EQ(on.size(), 3u);
    // No row before: nothing extra.
    EXPECT_EQ(readSeries(file, "", from(d(2024, 1, 4), true)).size(), 4u);
    // Every row before: the last one alone.
    const auto after = readSeries(file, "", from(d(2024, 2, 1), true));
    EXPECT_EQ(after.dates, (std::vector<Date>{d(2024, 1, 9)}));
    EXPECT_EQ(after.values, (std::vector<double>{5.4}));
}

TEST(CsvReaderWindow, AWindowAfterTheLastRowIsAnError) {
    const auto file = writeScratch("rates.csv", kRates);
    EXPECT_EQ(message([&] { readSeries(file, "", from(d(2024, 2, 1))); }),
              file + ": no data rows on or after 2024-02-01 (the file ends 2024-01-09)");
}

TEST(CsvReaderWindow, RowsBeforeTheWindowAreStillValidatedExceptTheirNumbers) {
    // Line 2's value is not a number: outside the window it is never parsed.
    const auto badValue = writeScratch("bad_value.csv",
                                       "date,rate\n2024-01-04,x\n2024-01-05,5.2\n");
    EXPECT_EQ(readSeries(badValue, "", from(d(2024, 1, 5))).values, (std::vector<double>{5.2}));
    // ... but it is an error inside the window, or as the prevailing row.
    EXPECT_EQ(message([&] { readSeries(badValue, "", from(d(2024, 1, 5), true)); }),
              badValue + ":2: column 'rate': 'x' is not a number");
    EXPECT_EQ(message([&] { readSeries(badValue); }),
              badValue + ":2: column 'rate': 'x' is not a number");
    // Dates, their order and the cell count are checked on every row.
    const auto order = writeScratch("order.csv",
                                    "date,rate\n2024-01-05,1\n2024-01-04,1\n2024-01-08,1\n");
    EXPECT_EQ(message([&] { readSeries(order, "", from(d(2024, 1, 8))); }),
              order + ":3: date 2024-01-04 is not after 2024-01-05 (dates must ascend strictly)");
    const auto badDate = writeScratch("bad_date.csv", "date,rate\n2024-02-30,1\n2024-03-01,1\n");
    EXPECT_EQ(message([&] { readSeries(badDate, "", from(d(2024, 3, 1))); }),
              badDate +
                  ":2: malformed date '2024-02-30' (expected an existing date as YYYY-MM-DD)");
    const auto cells = writeScratch("cells.csv", "date,rate\n2024-01-04,1,2\n2024-01-05,1\n");
    EXPECT_EQ(message([&] { readSeries(cells, "", from(d(2024, 1, 5))); }),
              cells + ":2: expected 2 cells (date,rate), found 3");
    const auto blank = writeScratch("blank.csv", "date,rate\n2024-01-04,1\n\n2024-01-05,1\n");
    EXPECT_EQ(message([&] { readSeries(blank, "", from(d(2024, 1, 5))); }),
              blank + ":3: empty line");
}

TEST(CsvReaderWindow, PriceTableWindowKeepsPositivityOnKeptRowsOnly) {
    const auto file = writeScratch("table.csv",
                                   "date,A,B\n2024-01-04,0,1\n2024-01-05,2,3\n2024-01-08,4,5\n");
    rotor::PriceTableOptions opt;
    opt.window = from(d(2024, 1, 5));
    const auto t = rotor::readPriceTable(file, opt);
    EXPECT_EQ(t.dates, (std::vector<Date>{d(2024, 1, 5), d(2024, 1, 8)}));
    ASSERT_EQ(t.prices.rows(), 2);
    EXPECT_EQ(t.prices(0, 0), 2.0);
    EXPECT_EQ(t.prices(1, 1), 5.0);
    EXPECT_EQ(message([&] { rotor::readPriceTable(file); }),
              file + ":2: column 'A': price '0' is not positive");
}

// The windowed read of the shipped size-portfolio file equals the tail of the full read (the
// full read is the second method), for every column and with the prevailing row.
TEST(CsvReaderWindow, ShippedFileWindowEqualsTheTailOfTheFullRead) {
    const std::string file = std::string(ROTOR_SOURCE_DIR) +
                             "/data/french/size_portfolios_daily_vw.csv";
    const std::vector<std::string> cols = {"lo30_pct", "hi30_pct", "dec10_hi10_pct"};
    const auto full = rotor::readColumns(file, cols);
    const auto part = rotor::readColumns(file, cols, from(d(2000, 1, 1), true));
    // The first kept row is the last one of 1999, then everything from 2000 on.
    std::size_t k = 0;
    while (full[0].dates[k + 1] < d(2000, 1, 1)) ++k;
    ASSERT_EQ(part[0].size(), full[0].size() - k);
    EXPECT_EQ(part[0].dates.front().year(), 1999);
    for (std::size_t c = 0; c < cols.size(); ++c) {
        EXPECT_TRUE(std::equal(part[c].dates.begin(), part[c].dates.end(),
                               full[c].dates.begin() + static_cast<std::ptrdiff_t>(k)));
        EXPECT_TRUE(std::equal(part[c].values.begin(), part[c].values.end(),
                               full[c].values.begin() + static_cast<std::ptrdiff_t>(k)));
    }
}

// Values through the reader are the bits std::from_chars gives for each cell, whatever path
// a cell takes (plain decimals, exponents, spaces around, long digit strings, signs).
TEST(CsvReaderWindow, ReaderValuesAreFromCharsBits) {
    std::mt19937_64 rng(99);
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    std::uniform_int_distribution<int> scale(-8, 12), style(0, 4), decimals(0, 10);
    std::string csv = "date,x\n";
    std::vector<std::string> cells;
    Date day = d(1950, 1, 1);
    char buf[512];
    for (int n = 0; n < 20000; ++n) {
        const double x = mant(rng) * std::pow(10.0, scale(rng));
        switch (style(rng)) {
            case 0: std::snprintf(buf, sizeof buf, "%.*f", decimals(rng), x); break;
            case 1: std::snprintf(buf, sizeof buf, "%.17g", x); break;
            case 2: std::snprintf(buf, sizeof buf, "%.6e", x); break;
            case 3: std::snprintf(buf, sizeof buf, "%.20f", x); break;
            default: std::snprintf(buf, sizeof buf, "%.3f", x); break;
        }
        cells.emplace_back(buf);
        csv += day.iso() + "," + (n % 7 == 0 ? " " + cells.back() + " " : cells.back()) + "\n";
        day = day + 1;
    }
    const auto file = writeScratch("random.csv", csv);
    const auto s = readSeries(file);
    ASSERT_EQ(s.size(), cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        double v = 0.0;
        std::from_chars(cells[i].data(), cells[i].data() + cells[i].size(), v);
        ASSERT_EQ(std::bit_cast<std::uint64_t>(s.values[i]), std::bit_cast<std::uint64_t>(v))
            << "row " << i + 2 << ": " << cells[i];
    }
}

}  // namespace csv_reader_window_test
}  // namespace
