// SPDX-License-Identifier: MIT
#include "engine/spec/historical_path.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace rotor {
namespace {
namespace historical_path_test {

ScenarioSpec spec() {
    ScenarioSpec s;
    s.name = "t";
    s.mode = "historical";
    s.universe.assets = {"AAA", "BBB", "CCC"};
    const std::string dir = ROTOR_TEST_INPUT("AAA.csv");
    s.universe.prices.pattern = dir.substr(0, dir.size() - 7) + "{asset}.csv";
    BackfillSpec proxy;
    proxy.kind = BackfillSpec::Kind::Returns;
    proxy.file = ROTOR_TEST_INPUT("proxy.csv");
    proxy.column = "x_pct";
    proxy.scale = 0.01;
    s.universe.backfill["BBB"] = proxy;
    s.universe.backfill["CCC"] = BackfillSpec{};  // cash
    s.start = Date::parseIso("2024-01-03");
    s.cashRate.constant = 3.6;  // 3.6% / 360 = 0.0001 per calendar day
    return s;
}

TEST(HistoricalPath, BackfillsFromReturnsProxyAndCash) {
    DataStore data;
    const HistoricalData h = loadHistorical(spec(), data);
    ASSERT_EQ(h.path.days(), 5);
    EXPECT_EQ(h.path.dates.front().iso(), "2024-01-03");
    EXPECT_EQ(h.path.dates.back().iso(), "2024-01-09");
    // AAA is read as is.
    EXPECT_DOUBLE_EQ(h.path.prices(0, 0), 50.0);
    EXPECT_DOUBLE_EQ(h.path.prices(4, 0), 54.0);
    // BBB starts 2024-01-05 at 100; the proxy returned +2% on 01-05 and -1% on 01-04, so
    // P(01-04) = 100 / 1.02 and P(01-03) = P(01-04) / 0.99.
    EXPECT_DOUBLE_EQ(h.path.prices(2, 1), 100.0);
    EXPECT_NEAR(h.path.prices(1, 1), 100.0 / 1.02, 1e-12);
    EXPECT_NEAR(h.path.prices(0, 1), 100.0 / 1.02 / 0.99, 1e-12);
    // CCC starts 2024-01-08 (Monday) at 20; before it, cash at 3.6% ACT/360 on AAA's days:
    // Fri 01-05 -> Mon 01-08 is 3 calendar days, then 1 day each.
    EXPECT_DOUBLE_EQ(h.path.prices(3, 2), 20.0);
    EXPECT_NEAR(h.path.prices(2, 2), 20.0 / 1.0003, 1e-12);
    EXPECT_NEAR(h.path.prices(1, 2), 20.0 / 1.0003 / 1.0001, 1e-12);
    EXPECT_NEAR(h.path.prices(0, 2), 20.0 / 1.0003 / 1.0001 / 1.0001, 1e-12);
    EXPECT_DOUBLE_EQ(h.path.cashRate[0], 3.6);
    // Every file read is listed once for the provenance checksums: AAA, BBB, CCC and the proxy.
    EXPECT_EQ(data.records().size(), 4u);
}

TEST(HistoricalPath, WindowBeforeAnAssetsDataIsRefusedNamingIt) {
    ScenarioSpec s = spec();
    s.universe.backfill.erase("BBB");
    try {
        DataStore data;
        loadHistorical(s, data);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("BBB"), std::string::npos) << m;
        EXPECT_NE(m.find("2024-01-05"), std::string::npos) << m;
    }
}

TEST(HistoricalPath, ProxyWithoutTheSpliceDateIsRefused) {
    ScenarioSpec s = spec();
    s.universe.backfill["BBB"].file = ROTOR_TEST_INPUT("proxy_short.csv");  // ends 2024-01-04
    try {
        DataStore data;
        loadHistorical(s, data);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("BBB"), std::string::npos) << m;
        EXPECT_NE(m.find("2024-01-05"), std::string::npos) << m;
    }
}

// A Yahoo Finance download and a FRED download used as they come, with `missing: ffill`:
// the path equals the one written out by hand from the rows.
TEST(HistoricalPath, YahooAndFredDownloadsWithMissingValues) {
    const std::string dir = test::scratchDir("historical_path_downloads");
    const auto write = [&dir](const std::string& name, const std::string& bytes) {
        std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    };
    write("AAA.csv",
          "Date,Open,High,Low,Close,Adj Close,Volume\n"
          "2024-01-02,10,10,10,10,9.5,100\n"
          "2024-01-03,null,null,null,null,null,null\n"
          "2024-01-04,11,11,11,11,10.5,100\n"
          "2024-01-05,12,12,12,12,11.5,100\n");
    write("BBB.csv",
          "Date,Open,High,Low,Close,Adj Close,Volume\n"
          "2024-01-02,20,20,20,20,19,100\n"
          "2024-01-03,21,21,21,21,20,100\n"
          "2024-01-04,22,22,22,22,21,100\n"
          "2024-01-05,null,null,null,null,null,null\n");
    write("DFF.csv",
          "observation_date,DFF\n"
          "2023-12-29,5.33\n"
          "2024-01-01,.\n"
          "2024-01-02,5.33\n"
          "2024-01-03,.\n"
          "2024-01-04,5.31\n"
          "2024-01-05,5.31\n");
    const std::string yaml =
        "name: downloads\nmode: historical\n"
        "universe: {assets: [AAA, BBB], prices: '{asset}.csv', column: Adj Close, missing: ffill}\n"
        "cash_rate: {series: DFF.csv, missing: ffill}\n"
        "strategies:\n  - {name: hold, type: buy_and_hold, weights: {AAA: 1.0}}\n";
    const auto cells = expandScenarioText(yaml, dir + "/s.yaml").cells;
    const ScenarioSpec s = parseScenario(cells.front().root, strategies::builtinRegistry());
    DataStore data;
    const HistoricalData h = loadHistorical(s, data);
    // Both assets have all four days after the fill: AAA's 01-03 takes 01-02's 9.5, BBB's
    // 01-05 takes 01-04's 21; the rate's 01-03 takes 01-02's 5.33.
    ASSERT_EQ(h.path.days(), 4);
    EXPECT_EQ(h.path.dates.front().iso(), "2024-01-02");
    EXPECT_EQ(h.path.dates.back().iso(), "2024-01-05");
    const double aaa[] = {9.5, 9.5, 10.5, 11.5};
    const double bbb[] = {19, 20, 21, 21};
    const double rate[] = {5.33, 5.33, 5.31, 5.31};
    for (Index t = 0; t < 4; ++t) {
        EXPECT_EQ(h.path.prices(t, 0), aaa[t]) << t;
        EXPECT_EQ(h.path.prices(t, 1), bbb[t]) << t;
        EXPECT_EQ(h.path.cashRate[t], rate[t]) << t;
    }
    // Without the policy, the first missing cell stops the run at its line.
    const std::string strict = yaml.substr(0, yaml.find(", missing: ffill}")) + "}\n" +
                               "cash_rate: {series: DFF.csv}\n" +
                               yaml.substr(yaml.find("strategies:"));
    const auto strictCells = expandScenarioText(strict, dir + "/s.yaml").cells;
    const ScenarioSpec s2 = parseScenario(strictCells.front().root, strategies::builtinRegistry());
    DataStore data2;
    try {
        loadHistorical(s2, data2);
        FAIL() << "expected DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(e.line(), 3) << e.what();
        EXPECT_NE(std::string(e.what()).find("AAA.csv:3: column 'Adj Close': missing value 'null'"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace historical_path_test
}  // namespace
}  // namespace rotor
