// SPDX-License-Identifier: MIT
// The history valuation proxy read from the shipped French size portfolios: the values on a
// path's days are checked against the CSV compounded by a separate reader here, with the
// publication lag; the multiple form, missing days and stale data.
#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/spec/historical_path.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace valuation_source_test {

const std::string kSize = std::string(ROTOR_SOURCE_DIR) +
                          "/data/french/size_portfolios_daily_vw.csv";

// Sum of ln(1 + r / 100) of `column` over the rows dated on or before `through` (ISO dates
// compare as strings), read line by line.
double compounded(const std::string& column, const std::string& through) {
    std::ifstream in(kSize);
    std::string line;
    std::getline(in, line);
    std::size_t col = 0;
    {
        std::stringstream header(line);
        std::string cell;
        for (std::size_t i = 0; std::getline(header, cell, ','); ++i)
            if (cell == column) col = i;
    }
    double sum = 0.0;
    while (std::getline(in, line)) {
        if (line.substr(0, 10) > through) break;
        std::stringstream row(line);
        std::string cell;
        for (std::size_t i = 0; i <= col; ++i) std::getline(row, cell, ',');
        sum += std::log1p(std::stod(cell) / 100.0);
    }
    return sum;
}

Date iso(const char* text) { return *Date::parseIso(text); }

ValuationSourceSpec proxy(const std::string& column) {
    ValuationSourceSpec v;
    v.kind = ValuationSourceSpec::Kind::Returns;
    v.file = kSize;
    v.column = column;
    v.scale = 0.01;
    v.lagDays = 30;
    v.maxStaleDays = 45;
    return v;
}

TEST(ValuationSource, ReturnsProxyIsTheLaggedCompoundedIndex) {
    DataStore data;
    const std::vector<Date> days{iso("1926-07-30"), iso("2000-06-01"), iso("2000-06-02"),
                                 iso("2010-01-04"), iso("2025-06-30")};
    const Vector small = valuationOn(proxy("lo30_pct"), "IWM", days, data);
    const Vector large = valuationOn(proxy("hi30_pct"), "SPY", days, data);
    // 1926-07-30 - 30 days = 1926-06-30, before the file's first row (1926-07-01).
    EXPECT_TRUE(std::isnan(small[0]));
    // 2000-06-01 knows the rows through 2000-05-02, 2000-06-02 through 2000-05-03, and so on.
    const std::vector<std::string> known{"", "2000-05-02", "2000-05-03", "2009-12-05",
                                         "2025-05-31"};
    for (std::size_t i = 1; i < days.size(); ++i) {
        const auto k = static_cast<Index>(i);
        EXPECT_NEAR(small[k], compounded("lo30_pct", known[i]), 1e-9) << known[i];
        EXPECT_NEAR(large[k], compounded("hi30_pct", known[i]), 1e-9) << known[i];
    }
    // A day's value changes by the day's lagged return: 2000-05-03's lo30 return.
    EXPECT_NEAR(small[2] - small[1],
                compounded("lo30_pct", "2000-05-03") - compounded("lo30_pct", "2000-05-02"), 1e-12);
    EXPECT_NE(small[2], small[1]);
}

TEST(ValuationSource, StaleDataIsAnErrorAtTheEntry) {
    DataStore data;
    ValuationSourceSpec v = proxy("lo30_pct");
    v.where = ConfigLocation{"s.yaml", 7, 5, "universe.valuation.IWM"};
    // The file ends 2025-05-30: known from 2025-06-29, carried 45 days to 2025-08-13.
    EXPECT_NO_THROW(valuationOn(v, "IWM", {iso("2025-08-13")}, data));
    try {
        valuationOn(v, "IWM", {iso("2025-08-14")}, data);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("s.yaml:7:5: universe.valuation.IWM: valuation for "
                                              "IWM: on 2025-08-14 the newest observation",
                                              0),
                  0u)
            << e.what();
    }
}

TEST(ValuationSource, MultipleIsReadAsItsLog) {
    // A file of levels: the path carries ln(level), lag 0.
    const std::string file = test::scratchDir("multiple") + "/pe.csv";
    std::ofstream(file) << "date,pe\n2024-01-02,20\n2024-01-03,25\n";
    DataStore data;
    ValuationSourceSpec v;
    v.kind = ValuationSourceSpec::Kind::Multiple;
    v.file = file;
    v.lagDays = 0;
    const Vector got = valuationOn(v, "SPY", {iso("2024-01-02"), iso("2024-01-04")}, data);
    EXPECT_NEAR(got[0], std::log(20.0), 1e-15);
    EXPECT_NEAR(got[1], std::log(25.0), 1e-15);
    // A level <= 0 anywhere in the file is refused.
    const std::string bad = test::scratchDir("bad") + "/pe.csv";
    std::ofstream(bad) << "date,pe\n2024-01-02,20\n2024-01-05,-1\n";
    v.file = bad;
    EXPECT_THROW(valuationOn(v, "SPY", {iso("2024-01-02")}, data), InputError);
}

}  // namespace valuation_source_test
}  // namespace
}  // namespace rotor
