// SPDX-License-Identifier: MIT
// Downloads as people get them: FRED (`observation_date`, `.` for missing) and Yahoo Finance
// (`Date,...,Adj Close,Volume`, `null` for missing), under each missing-value policy. Expected
// series are written out by hand from the rows below.
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace csv_reader_missing_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

CsvText text(const std::string& name, const std::string& bytes) {
    return {name, std::make_shared<const std::string>(bytes), {}};
}

ReadWindow policy(MissingPolicy p) {
    ReadWindow w;
    w.missing = p;
    return w;
}

// FRED's current download: `observation_date`, and `.` where the Fed published nothing.
const char* kFred =
    "observation_date,DFF\n"
    "2024-01-02,5.33\n"
    "2024-01-03,.\n"
    "2024-01-04,5.31\n"
    "2024-01-05,.\n";

// Yahoo Finance: `null` in every cell of a day without data, here the first row and a middle one.
const char* kYahoo =
    "Date,Open,High,Low,Close,Adj Close,Volume\n"
    "2024-01-02,null,null,null,null,null,null\n"
    "2024-01-03,101.0,102.0,100.0,101.5,100.5,1000\n"
    "2024-01-04,null,null,null,null,null,null\n"
    "2024-01-05,102.0,103.0,101.0,102.5,101.5,1200\n";

TEST(CsvReaderMissing, FredMissingIsAnErrorByDefaultNamingThePolicy) {
    try {
        readSeries(text("DFF.csv", kFred));
        ADD_FAILURE() << "no DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_EQ(std::string(e.what()),
                  "DFF.csv:3: column 'DFF': missing value '.' (missing: error; `missing: skip` "
                  "drops such rows, `missing: ffill` carries the previous value)");
    }
}

TEST(CsvReaderMissing, FredSkipDropsTheMissingDays) {
    const auto s = readSeries(text("DFF.csv", kFred), "", policy(MissingPolicy::Skip));
    EXPECT_EQ(s.name, "DFF");
    EXPECT_EQ(s.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 4)}));
    EXPECT_EQ(s.values, (std::vector<double>{5.33, 5.31}));
}

TEST(CsvReaderMissing, FredFfillCarriesThePreviousValue) {
    const auto s = readSeries(text("DFF.csv", kFred), "DFF", policy(MissingPolicy::Ffill));
    EXPECT_EQ(s.dates,
              (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 3), d(2024, 1, 4), d(2024, 1, 5)}));
    EXPECT_EQ(s.values, (std::vector<double>{5.33, 5.33, 5.31, 5.31}));
}

TEST(CsvReaderMissing, YahooAdjCloseUnderEachPolicy) {
    const CsvText t = text("IWM.csv", kYahoo);
    EXPECT_THROW(readPriceSeries(t, "IWM", "Adj Close"), DataError);
    const auto skip = readPriceSeries(t, "IWM", "Adj Close", policy(MissingPolicy::Skip));
    EXPECT_EQ(skip.name, "IWM");
    EXPECT_EQ(skip.dates, (std::vector<Date>{d(2024, 1, 3), d(2024, 1, 5)}));
    EXPECT_EQ(skip.values, (std::vector<double>{100.5, 101.5}));
    // Nothing before the first value to carry: the leading row is dropped, the middle one filled.
    const auto ffill = readPriceSeries(t, "IWM", "Adj Close", policy(MissingPolicy::Ffill));
    EXPECT_EQ(ffill.dates, (std::vector<Date>{d(2024, 1, 3), d(2024, 1, 4), d(2024, 1, 5)}));
    EXPECT_EQ(ffill.values, (std::vector<double>{100.5, 100.5, 101.5}));
}

TEST(CsvReaderMissing, OnlySelectedColumnsCountAndSkipDropsTheWholeRow) {
    // `b` is missing on the 3rd, `c` (not read) on the 4th: skip drops the 3rd for both a and b.
    const CsvText t = text("t.csv",
                           "date,a,b,c\n"
                           "2024-01-02,1,10,x\n"
                           "2024-01-03,2,null,x\n"
                           "2024-01-04,3,30,.\n");
    PriceTableOptions opt;
    opt.columns = {"a", "b"};
    opt.window.missing = MissingPolicy::Skip;
    const auto table = readPriceTable(t, opt);
    EXPECT_EQ(table.dates, (std::vector<Date>{d(2024, 1, 2), d(2024, 1, 4)}));
    EXPECT_EQ(table.prices(0, 0), 1.0);
    EXPECT_EQ(table.prices(0, 1), 10.0);
    EXPECT_EQ(table.prices(1, 0), 3.0);
    EXPECT_EQ(table.prices(1, 1), 30.0);
    // ffill fills b from the row before, a keeps its own value.
    const auto cols = readColumns(t, {"b", "a"}, policy(MissingPolicy::Ffill));
    EXPECT_EQ(cols[0].values, (std::vector<double>{10, 10, 30}));
    EXPECT_EQ(cols[1].values, (std::vector<double>{1, 2, 3}));
}

TEST(CsvReaderMissing, EmptyCellsAreMissingToo) {
    const CsvText t = text("e.csv", "date,v\n2024-01-02,1.5\n2024-01-03,\n2024-01-04,2.5\n");
    try {
        readSeries(t);
        ADD_FAILURE() << "no DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(std::string(e.what()), "e.csv:3: column 'v': empty cell");
    }
    EXPECT_EQ(readSeries(t, "", policy(MissingPolicy::Ffill)).values,
              (std::vector<double>{1.5, 1.5, 2.5}));
}

TEST(CsvReaderMissing, PrevailingRowIsTheLastCompleteOneBeforeTheWindow) {
    // From the 5th with the prevailing row: the 4th is missing, so under skip or ffill the row
    // prevailing on the 5th is the 3rd (what the series holds once missing rows go); under
    // error the 4th is never parsed, being outside the window.
    const CsvText t = text("r.csv",
                           "DATE,rate\n"
                           "2024-01-02,5.0\n"
                           "2024-01-03,4.9\n"
                           "2024-01-04,.\n"
                           "2024-01-05,4.75\n"
                           "2024-01-08,.\n");
    ReadWindow w;
    w.from = d(2024, 1, 5);
    w.keepPrevailing = true;
    w.missing = MissingPolicy::Skip;
    const auto skip = readSeries(t, "", w);
    EXPECT_EQ(skip.dates, (std::vector<Date>{d(2024, 1, 3), d(2024, 1, 5)}));
    EXPECT_EQ(skip.values, (std::vector<double>{4.9, 4.75}));
    w.missing = MissingPolicy::Ffill;
    const auto ffill = readSeries(t, "", w);
    EXPECT_EQ(ffill.dates, (std::vector<Date>{d(2024, 1, 3), d(2024, 1, 5), d(2024, 1, 8)}));
    EXPECT_EQ(ffill.values, (std::vector<double>{4.9, 4.75, 4.75}));
    w.missing = MissingPolicy::Error;
    w.from = d(2024, 1, 5);
    EXPECT_THROW(readSeries(t, "", w), DataError);  // the 8th is inside the window
}

TEST(CsvReaderMissing, EverythingMissingLeavesNoRows) {
    const CsvText t = text("m.csv", "date,v\n2024-01-02,.\n2024-01-03,null\n");
    EXPECT_THROW(readSeries(t, "", policy(MissingPolicy::Skip)), DataError);
    EXPECT_THROW(readSeries(t, "", policy(MissingPolicy::Ffill)), DataError);
}

TEST(CsvReaderMissing, PolicyNames) {
    EXPECT_EQ(rotor::parseMissingPolicy("skip"), MissingPolicy::Skip);
    EXPECT_EQ(rotor::parseMissingPolicy("ffill"), MissingPolicy::Ffill);
    EXPECT_EQ(rotor::parseMissingPolicy("error"), MissingPolicy::Error);
    EXPECT_FALSE(rotor::parseMissingPolicy("drop").has_value());
    EXPECT_STREQ(rotor::missingPolicyName(MissingPolicy::Ffill), "ffill");
}

}  // namespace csv_reader_missing_test
}  // namespace
}  // namespace rotor
