// SPDX-License-Identifier: MIT
// readResults against a hand-written Monte Carlo file and against files that are not results.
#include "engine/report/results_reader.hpp"

#include "engine/core/error.hpp"
#include "tests/engine/report/mc_fixture.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

using namespace rotor;

namespace {

std::string fixtureFile() {
    static const std::string path = [] {
        const std::string p = test::scratchDir("results_reader") + "/mc.h5";
        test::writeMcFixture(p);
        return p;
    }();
    return path;
}

}  // namespace

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
