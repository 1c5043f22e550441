// SPDX-License-Identifier: MIT
#include "engine/spec/historical_path.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {

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

}  // namespace
}  // namespace rotor
