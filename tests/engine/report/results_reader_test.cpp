// SPDX-License-Identifier: MIT
// readResults against a hand-written Monte Carlo file and against files that are not results.
#include "engine/report/results_reader.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "tests/engine/report/mc_fixture.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>

namespace rotor {
namespace {
namespace results_reader_test {

std::string fixtureFile() {
    static const std::string path = [] {
        const std::string p = test::scratchDir("results_reader") + "/mc.h5";
        test::writeMcFixture(p);
        return p;
    }();
    return path;
}

TEST(ResultsReader, ReadsTheMonteCarloLayout) {
    const report::ResultsData d = report::readResults(fixtureFile());
    EXPECT_EQ(d.attribute("format"), "rotor-results");
    EXPECT_EQ(d.attribute("seed"), "42");
    EXPECT_FALSE(d.metrics.has_value());
    ASSERT_TRUE(d.mcSummary.has_value());
    EXPECT_EQ(d.mcSummary->rows, 3u);
    EXPECT_EQ(d.mcSummary->text("strategy", 1), "hold");
    EXPECT_DOUBLE_EQ(d.mcSummary->number("p50", 0), 1.12);
    EXPECT_DOUBLE_EQ(d.mcSummary->number("paths", 0), 4.0);  // int64 field read as a number

    ASSERT_EQ(d.scenarios.size(), 1u);
    const report::ScenarioData& s = d.scenarios[0];
    EXPECT_TRUE(s.monteCarlo());
    EXPECT_EQ(s.benchmark, "hold");
    EXPECT_EQ(s.paths, 4u);
    EXPECT_EQ(s.seed, 42u);
    EXPECT_EQ(s.checkpointDay, 1);
    EXPECT_EQ(s.dates.back(), "2026-01-07");
    EXPECT_EQ(s.rateBands.rows, 4u);
    EXPECT_EQ(s.rateBands.cols, 3u);
    EXPECT_DOUBLE_EQ(s.rateBands.at(3, 2), 5.3);  // last row, last column of the row-major data
    EXPECT_EQ(s.regimeOfPath, (std::vector<double>{0, 0, 1, 0}));
    // Group iteration is by name (broken, hold, mom); the summary's run order wins.
    ASSERT_EQ(s.mc.size(), 3u);
    EXPECT_EQ(s.mc[0].name, "mom");
    EXPECT_EQ(s.mc[1].name, "hold");
    EXPECT_EQ(s.mc[2].name, "broken");
    EXPECT_FALSE(s.mc[2].ok());
    EXPECT_EQ(s.mc[2].error, "lookback longer than the history");
    EXPECT_DOUBLE_EQ(s.mc[0].equityBands.at(1, 2), 1.04);
    ASSERT_NE(s.mc[0].path("terminal_wealth"), nullptr);
    EXPECT_EQ(*s.mc[0].path("terminal_wealth"), (std::vector<double>{0.9, 1.05, 1.2, 1.4}));
    ASSERT_TRUE(s.realised.has_value());
    ASSERT_NE(s.realised->find("mom"), nullptr);
    EXPECT_EQ(s.realised->find("mom")->wealth, (std::vector<double>{1.0, 1.03}));
    EXPECT_DOUBLE_EQ(s.realised->find("mom")->percentileRank, 62.5);
}

TEST(ResultsReader, CashRateLastObservation) {
    const std::string dir = test::scratchDir("results_reader_rate_end");
    const std::string coverage =
        "cash rate (rate.csv, rate_pct): last observation 2026-01-05, usable to 2026-01-15 "
        "(10-day staleness limit)\nSPY: closes to 2026-01-07";
    // Files written before the attribute: the date is read from the coverage line.
    test::writeMcFixture(dir + "/old.h5", 1, false, coverage);
    const auto old = report::readResults(dir + "/old.h5").scenarios.at(0).realised;
    ASSERT_TRUE(old.has_value());
    EXPECT_EQ(old->rateLastObservation, "2026-01-05");
    EXPECT_EQ(old->coverage.size(), 2u);
    // The attribute, where present, is what counts.
    test::writeMcFixture(dir + "/new.h5", 1, false, coverage, "2026-01-06");
    EXPECT_EQ(report::readResults(dir + "/new.h5").scenarios.at(0).realised->rateLastObservation,
              "2026-01-06");
    // A constant rate: neither.
    EXPECT_EQ(report::readResults(fixtureFile()).scenarios.at(0).realised->rateLastObservation, "");
}

TEST(ResultsReader, MissingFileIsBadInput) {
    try {
        report::readResults(test::scratchDir("results_reader_missing") + "/nope.h5");
        FAIL() << "no exception";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
    }
}

TEST(ResultsReader, TextAndForeignHdf5AreNotResultsFiles) {
    const std::string dir = test::scratchDir("results_reader_foreign");
    std::ofstream(dir + "/x.h5") << "date,close\n";
    EXPECT_THROW(report::readResults(dir + "/x.h5"), InputError);
    test::writeForeignHdf5(dir + "/foreign.h5");
    try {
        report::readResults(dir + "/foreign.h5");
        FAIL() << "no exception";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not a rotor results file"), std::string::npos);
    }
}

TEST(ResultsReader, SweepValuesOfACell) {
    const std::string path = test::scratchDir("results_reader_sweep") + "/mc.h5";
    test::writeMcFixture(path, 1, true);
    const report::ResultsData d = report::readResults(path);
    ASSERT_EQ(d.scenarios.size(), 1u);
    const auto& sweep = d.scenarios[0].sweep;
    ASSERT_EQ(sweep.size(), 2u);
    EXPECT_EQ(sweep[0].key, "simulation.seed");
    EXPECT_EQ(sweep[0].label, "seed");
    EXPECT_EQ(sweep[0].value, "42");
    EXPECT_EQ(sweep[1].key, "strategies[name=mom].lookback");
    EXPECT_EQ(sweep[1].label, "lookback");
    EXPECT_EQ(sweep[1].value, "126");
    EXPECT_TRUE(report::readResults(fixtureFile()).scenarios[0].sweep.empty());
}

TEST(ResultsReader, NewerFormatVersionIsRefusedNamingBoth) {
    const std::string path = test::scratchDir("results_reader_version") + "/v2.h5";
    test::writeMcFixture(path, 2);
    try {
        report::readResults(path);
        FAIL() << "no exception";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("format version 2"), std::string::npos) << msg;
        EXPECT_NE(msg.find("newer rotor"), std::string::npos) << msg;
        EXPECT_NE(msg.find("up to 1"), std::string::npos) << msg;
    }
}

TEST(ResultsReader, TradesOfAHistoricalStrategy) {
    // One strategy with two trades, written by the writer (its own tests check the layout).
    RunResults res;
    ScenarioRun s;
    s.name = "h";
    s.mode = "historical";
    s.assets = {"AAA", "BBB"};
    s.dates = {Date::fromYmd(2024, 1, 2), Date::fromYmd(2024, 1, 3), Date::fromYmd(2024, 1, 4)};
    s.cashRate = Vector::Constant(3, 5.0);
    s.initialCapital = 100.0;
    StrategyRun r;
    r.name = "mix";
    r.type = "fixed_mix";
    r.equity = Vector::Constant(3, 100.0);
    r.returns = Vector::Zero(3);
    r.weights = PriceMatrix::Constant(3, 2, 0.5);
    r.trades = {Trade{0, 1, 2.5, 20.0, 50.0, 0.005, 0.01},
                Trade{2, 0, -1.0, 40.0, 40.0, 0.004, 0.0}};
    s.strategies = {r};
    res.scenarios = {s};
    const std::string path = test::scratchDir("results_reader_trades") + "/h.h5";
    writeResultsHdf5(res, path);
    const report::ResultsData d = report::readResults(path);
    const report::RecordTable& t = d.scenarios.at(0).history.at(0).trades;
    ASSERT_EQ(t.rows, 2u);
    EXPECT_EQ(t.fields, (std::vector<std::string>{"date", "asset", "quantity", "price", "notional",
                                                  "commission", "slippage"}));
    EXPECT_EQ(t.text("date", 0), "2024-01-02");
    EXPECT_EQ(t.text("date", 1), "2024-01-04");
    EXPECT_EQ(t.text("asset", 0), "BBB");
    EXPECT_EQ(t.text("asset", 1), "AAA");
    EXPECT_EQ(t.number("quantity", 1), -1.0);
    EXPECT_EQ(t.number("notional", 0), 50.0);
    EXPECT_EQ(t.number("commission", 0), 0.005);
}

TEST(ResultsReader, ImageReadsAsTheFileDoes) {
    std::ifstream in(fixtureFile(), std::ios::binary);
    const std::vector<char> image((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    const report::ResultsData a = report::readResults(fixtureFile());
    const report::ResultsData b = report::readResultsImage(image, "in memory");
    EXPECT_EQ(b.path, "in memory");
    EXPECT_EQ(b.attributes, a.attributes);
    ASSERT_EQ(b.scenarios.size(), 1u);
    EXPECT_EQ(b.scenarios[0].dates, a.scenarios[0].dates);
    EXPECT_EQ(*b.scenarios[0].mc[0].path("terminal_wealth"),
              (std::vector<double>{0.9, 1.05, 1.2, 1.4}));
    EXPECT_EQ(b.mcSummary->number("p50", 1), 1.04);
    // Bytes that are not HDF5 are bad input, named.
    try {
        report::readResultsImage(std::vector<char>(100, 'x'), "junk");
        FAIL() << "no exception";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("junk: not a rotor results file"), std::string::npos)
            << e.what();
    }
}

}  // namespace results_reader_test
}  // namespace
}  // namespace rotor
