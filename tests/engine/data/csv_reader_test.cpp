// SPDX-License-Identifier: MIT
// The CSV readers: accepted shapes, column selection, and one exact message per refusal.
#include "engine/data/csv_reader.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace csv_reader_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

std::string fixture(const std::string& name) { return ROTOR_TEST_INPUT(name); }

// Expects `f` to throw a DataError for `file` at `line` whose full text is "file:line: msg"
// (or "file: msg" for line 0, a problem with the whole file).
void expectDataError(const std::function<void()>& f, const std::string& file, long line,
                     const std::string& msg) {
    try {
        f();
        ADD_FAILURE() << "no DataError; expected: " << msg;
    } catch (const DataError& e) {
        EXPECT_EQ(e.file(), file);
        EXPECT_EQ(e.line(), line);
        const std::string where = line > 0 ? file + ":" + std::to_string(line) : file;
        EXPECT_EQ(std::string(e.what()), where + ": " + msg);
    }
}

// The same for readSeries on a fixture, the common case.
void expectSeriesError(const std::string& name, long line, const std::string& msg) {
    SCOPED_TRACE(name);
    const std::string file = fixture(name);
    expectDataError([&] { readSeries(file); }, file, line, msg);
}

std::string writeScratch(const std::string& dir, const std::string& name,
                         const std::string& bytes) {
    const std::string path = rotor::test::scratchDir(dir) + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

TEST(CsvReader, ReadsDateValueFile) {
    const auto s = readSeries(fixture("single.csv"));
    EXPECT_EQ(s.name, "value");
    EXPECT_EQ(s.file, fixture("single.csv"));
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 5)}));
    // A rate series may be negative: only price readers require > 0.
    EXPECT_EQ(s.values, (std::vector<double>{5.33, 5.31, -0.25}));
}

TEST(CsvReader, ReadsNamedColumnAndChecksOnlyThatColumn) {
    // multi.csv has 'nan' in column b and a negative c; column a is clean.
    const auto a = readSeries(fixture("multi.csv"), "a");
    EXPECT_EQ(a.name, "a");
    EXPECT_EQ(a.values, (std::vector<double>{1.5, 2.5, 3.5}));
    EXPECT_EQ(a.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4)}));
    expectDataError([] { readSeries(fixture("multi.csv"), "b"); }, fixture("multi.csv"), 3,
                    "column 'b': value 'nan' is not finite");
}

TEST(CsvReader, RefusesToGuessAmongSeveralColumns) {
    expectDataError([] { readSeries(fixture("multi.csv")); }, fixture("multi.csv"), 1,
                    "3 value columns (a, b, c); name the column to read");
}

TEST(CsvReader, MissingColumnNamesTheAvailableOnes) {
    expectDataError([] { readSeries(fixture("multi.csv"), "d"); }, fixture("multi.csv"), 1,
                    "no column 'd' (columns: a, b, c)");
}

TEST(CsvReader, ReadsSeveralColumnsInTheRequestedOrder) {
    const auto cols = readColumns(fixture("multi.csv"), {"c", "a"});
    ASSERT_EQ(cols.size(), 2u);
    EXPECT_EQ(cols[0].name, "c");
    EXPECT_EQ(cols[0].values, (std::vector<double>{100, 200, -300}));
    EXPECT_EQ(cols[1].name, "a");
    EXPECT_EQ(cols[1].values, (std::vector<double>{1.5, 2.5, 3.5}));
    const std::vector<Date> days{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4)};
    EXPECT_EQ(cols[0].dates, days);
    EXPECT_EQ(cols[1].dates, days);

    expectDataError(
        [] {
            readColumns(fixture("multi.csv"), {"a", "b"});
        },
        fixture("multi.csv"), 3, "column 'b': value 'nan' is not finite");
    EXPECT_THROW(readColumns(fixture("multi.csv"), {"a", "a"}), rotor::InputError);
    EXPECT_THROW(readColumns(fixture("multi.csv"), {}), rotor::InputError);
}

TEST(CsvReader, PriceSeriesIsNamedByAssetAndMustBePositive) {
    const auto spy = readPriceSeries(fixture("wide.csv"), "SPY", "SPY");
    EXPECT_EQ(spy.name, "SPY");
    EXPECT_EQ(spy.values, (std::vector<double>{472.65, 468.79, 467.28, 467.92}));
    expectDataError([] { readPriceSeries(fixture("single.csv"), "CASH"); }, fixture("single.csv"),
                    4, "column 'value': price '-0.25' is not positive");
    expectDataError([] { readPriceSeries(fixture("zero_price.csv"), "SPY"); },
                    fixture("zero_price.csv"), 3, "column 'SPY': price '0' is not positive");
    // The plain reader takes the same zero: positivity is a price rule only.
    EXPECT_EQ(readSeries(fixture("zero_price.csv")).values, (std::vector<double>{470.1, 0.0}));
}

TEST(CsvReader, WideTableReadsEveryColumnInFileOrder) {
    const auto table = readPriceTable(fixture("wide.csv"));
    EXPECT_EQ(table.file, fixture("wide.csv"));
    EXPECT_EQ(table.assets, (std::vector<std::string>{"SPY", "QQQ", "IWM"}));
    ASSERT_EQ(table.dates.size(), 4u);
    EXPECT_EQ(table.dates.front(), d(2024, 1, 2));
    EXPECT_EQ(table.dates.back(), d(2024, 1, 5));
    ASSERT_EQ(table.prices.rows(), 4);
    ASSERT_EQ(table.prices.cols(), 3);
    // The fixture's rows, typed out again.
    const double expected[4][3] = {{472.65, 402.1, 197.5},
                                   {468.79, 398.2, 193.0},
                                   {467.28, 395.3, 192.4},
                                   {467.92, 396.1, 193.3}};
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 3; ++c) EXPECT_EQ(table.prices(r, c), expected[r][c]) << r << "," << c;
}

TEST(CsvReader, WideTableSubsetFollowsTheRequestedOrder) {
    PriceTableOptions options;
    options.columns = {"IWM", "SPY"};
    const auto table = readPriceTable(fixture("wide.csv"), options);
    EXPECT_EQ(table.assets, (std::vector<std::string>{"IWM", "SPY"}));
    ASSERT_EQ(table.prices.cols(), 2);
    const double iwm[4] = {197.5, 193.0, 192.4, 193.3};
    const double spy[4] = {472.65, 468.79, 467.28, 467.92};
    for (int r = 0; r < 4; ++r) {
        EXPECT_EQ(table.prices(r, 0), iwm[r]);
        EXPECT_EQ(table.prices(r, 1), spy[r]);
    }
}

TEST(CsvReader, WideTableUnknownAssetNamesTheAvailableOnes) {
    PriceTableOptions options;
    options.columns = {"SPY", "DIA"};
    expectDataError([&] { readPriceTable(fixture("wide.csv"), options); }, fixture("wide.csv"), 1,
                    "no column 'DIA' (columns: SPY, QQQ, IWM)");
}

TEST(CsvReader, WideTablePositivityIsAFlagAndOnlyForSelectedColumns) {
    const std::string file = fixture("negative_price_wide.csv");
    expectDataError([&] { readPriceTable(file); }, file, 3,
                    "column 'QQQ': price '-1.5' is not positive");
    PriceTableOptions spyOnly;
    spyOnly.columns = {"SPY"};
    EXPECT_EQ(readPriceTable(file, spyOnly).prices(1, 0), 471.2);
    PriceTableOptions returns;
    returns.requirePositive = false;
    EXPECT_EQ(readPriceTable(file, returns).prices(1, 1), -1.5);
}

TEST(CsvReader, FileLevelErrors) {
    const std::string missing = fixture("no_such_file.csv");
    expectDataError([&] { readSeries(missing); }, missing, 0, "file not found");
    const std::string dir = fixture("");
    expectDataError([&] { readSeries(dir); }, dir, 0, "is a directory, expected a regular file");
    expectSeriesError("empty.csv", 0,
                      "file is empty (expected a header line starting with 'date')");
    expectSeriesError("blank_only.csv", 0,
                      "file is empty (expected a header line starting with 'date')");
    expectSeriesError("header_only.csv", 0, "no data rows after the header");
}

TEST(CsvReader, HeaderErrors) {
    expectSeriesError("bad_header.csv", 1, "first header cell must be 'date', found 'time'");
    expectSeriesError("header_duplicate.csv", 1,
                      "column 'a' appears twice in the header (cells 2 and 4)");
    expectSeriesError("header_empty_cell.csv", 1, "header cell 3 is empty");
    expectSeriesError("header_no_values.csv", 1, "header has a 'date' column but no value columns");
}

TEST(CsvReader, RowShapeErrors) {
    const std::string wrong = fixture("wrong_cells.csv");
    expectDataError([&] { readSeries(wrong, "a"); }, wrong, 4,
                    "expected 3 cells (date,a,b), found 2");
    const std::string many = fixture("too_many_cells.csv");
    expectDataError([&] { readSeries(many, "b"); }, many, 3,
                    "expected 3 cells (date,a,b), found 4");
    expectSeriesError("blank_line_inside.csv", 3, "empty line");
}

TEST(CsvReader, DateErrors) {
    const std::string rule = " (expected an existing date as YYYY-MM-DD)";
    expectSeriesError("bad_date.csv", 3, "malformed date '2024-13-01'" + rule);
    expectSeriesError("impossible_date.csv", 3, "malformed date '2023-02-29'" + rule);
    expectSeriesError("us_date.csv", 3, "malformed date '01/03/2024'" + rule);
    expectSeriesError("duplicate_date.csv", 6,
                      "date 2001-01-05 is not after 2001-01-05 (dates must ascend strictly)");
    expectSeriesError("descending_date.csv", 4,
                      "date 2001-01-04 is not after 2001-01-05 (dates must ascend strictly)");
}

TEST(CsvReader, ValueErrors) {
    expectSeriesError("non_numeric.csv", 3, "column 'value': '1.2.3' is not a number");
    expectSeriesError("trailing_garbage.csv", 3, "column 'value': '12abc' is not a number");
    expectSeriesError("inf.csv", 3, "column 'value': value 'inf' is not finite");
    expectSeriesError("out_of_range.csv", 3, "column 'value': '1e999' is out of range");
    const std::string empty = fixture("empty_cell.csv");
    expectDataError([&] { readSeries(empty, "a"); }, empty, 3, "column 'a': empty cell");
    // The same file's column b is complete.
    EXPECT_EQ(readSeries(empty, "b").values, (std::vector<double>{2, 2}));
}

TEST(CsvReader, ToleratesTrailingBlankLinesAndSpacesAroundCells) {
    EXPECT_EQ(readSeries(fixture("blank_lines_at_end.csv")).values, (std::vector<double>{1, 2}));
    // spaces.csv: header "Date , value ", cells " 2024-01-02 , 1.25 " and "\t2.5".
    const auto s = readSeries(fixture("spaces.csv"));
    EXPECT_EQ(s.name, "value");
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3)}));
    EXPECT_EQ(s.values, (std::vector<double>{1.25, 2.5}));
}

TEST(CsvReader, CrlfLineEndings) {
    const auto ok = writeScratch("csv_reader_crlf", "crlf.csv",
                                 "date,value\r\n2024-01-02,1.5\r\n2024-01-03,2.5\r\n");
    const auto s = readSeries(ok);
    EXPECT_EQ(s.name, "value");  // no '\r' left on the last header cell
    EXPECT_EQ(s.values, (std::vector<double>{1.5, 2.5}));
    // Lines are still counted correctly, and the '\r' never reaches a message.
    const auto bad = writeScratch("csv_reader_crlf_bad", "crlf.csv",
                                  "date,value\r\n2024-01-02,1\r\n2024-01-03,x\r\n");
    expectDataError([&] { readSeries(bad); }, bad, 3, "column 'value': 'x' is not a number");
}

TEST(CsvReader, ByteOrderMarkAndNoTrailingNewline) {
    const auto file = writeScratch("csv_reader_bom", "bom.csv",
                                   "\xEF\xBB\xBF"
                                   "date,value\n2024-01-02,1.5\n2024-01-03,2.5");
    const auto s = readSeries(file);
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3)}));
    EXPECT_EQ(s.values, (std::vector<double>{1.5, 2.5}));
    const auto headerOnly = writeScratch("csv_reader_header_only", "h.csv", "date,value");
    expectDataError([&] { readSeries(headerOnly); }, headerOnly, 0,
                    "no data rows after the header");
}

// The shipped data, checked against the shell:
//   wc -l data/adj_etf/SPY.csv -> 8434 (header + 8433 rows)
//   head -2 -> 1993-01-29,24.11326027     tail -1 -> 2026-07-31,747.0300293
//   wc -l data/fred/DFF.csv -> 26203 (header + 26202 rows)
//   head -2 -> 1954-07-01,1.13            tail -1 -> 2026-03-26,3.64
TEST(CsvReader, ReadsShippedSpyAndDff) {
    const std::string root = ROTOR_SOURCE_DIR;
    const auto spy = readPriceSeries(root + "/data/adj_etf/SPY.csv", "SPY");
    EXPECT_EQ(spy.size(), 8433u);
    EXPECT_EQ(spy.firstDate(), d(1993, 1, 29));
    EXPECT_EQ(spy.values.front(), 24.11326027);
    EXPECT_EQ(spy.lastDate(), d(2026, 7, 31));
    EXPECT_EQ(spy.values.back(), 747.0300293);

    const auto dff = readSeries(root + "/data/fred/DFF.csv");
    EXPECT_EQ(dff.name, "dff_pct");
    EXPECT_EQ(dff.size(), 26202u);
    EXPECT_EQ(dff.firstDate(), d(1954, 7, 1));
    EXPECT_EQ(dff.values.front(), 1.13);
    EXPECT_EQ(dff.lastDate(), d(2026, 3, 26));
    EXPECT_EQ(dff.values.back(), 3.64);
}

// Every shipped file parses; row counts are `wc -l` minus the header (as in data/SOURCES.md).
TEST(CsvReader, EveryShippedFileParses) {
    const std::string root = std::string(ROTOR_SOURCE_DIR) + "/data/";
    const std::vector<std::pair<std::string, std::size_t>> prices = {
        {"GLD", 5458}, {"HYG", 4858}, {"IEF", 6040}, {"IJR", 6583}, {"IWM", 6583},
        {"IWN", 6540}, {"IWO", 6540}, {"LQD", 6040}, {"QQQ", 6891}, {"SHY", 6040},
        {"SPY", 8433}, {"TLT", 6040}, {"VTV", 5661}, {"VUG", 5661}, {"XLE", 6943},
        {"XLF", 6943}, {"XLI", 6943}, {"XLK", 6943}, {"XLU", 6943}, {"XLV", 6943}};
    for (const auto& [asset, rows] : prices) {
        const auto s = readPriceSeries(root + "adj_etf/" + asset + ".csv", asset);
        EXPECT_EQ(s.size(), rows) << asset;
        EXPECT_EQ(s.lastDate(), d(2026, 7, 31)) << asset;
    }
    // Rates, spreads and factor returns may be <= 0, so read them as non-price tables.
    const std::vector<std::pair<std::string, std::size_t>> others = {
        {"fred/DGS2.csv", 12450},
        {"fred/DGS10.csv", 16036},
        {"fred/BAMLH0A0HYM2.csv", 7634},
        {"fred/USREC.csv", 2059},
        {"french/ff3_factors_daily.csv", 26233},
        {"french/ff5_factors_daily.csv", 15813},
        {"french/momentum_factor_daily.csv", 26132},
        {"french/size_portfolios_daily_vw.csv", 26003}};
    PriceTableOptions anySign;
    anySign.requirePositive = false;
    for (const auto& [file, rows] : others)
        EXPECT_EQ(readPriceTable(root + file, anySign).dates.size(), rows) << file;
    // The S&P 500 price index: volume is 0 before 1962, so only the close is read as a price.
    const auto gspc = readPriceSeries(root + "index/GSPC.csv", "GSPC", "close");
    EXPECT_EQ(gspc.size(), 24551u);
    EXPECT_EQ(gspc.firstDate(), d(1927, 12, 30));
    EXPECT_EQ(gspc.lastDate(), d(2025, 9, 26));
}

}  // namespace csv_reader_test
}  // namespace
}  // namespace rotor
