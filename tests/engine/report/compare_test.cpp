// SPDX-License-Identifier: MIT
// Comparison rows carry the stored numbers; ranks follow the metric's direction.
#include "engine/report/compare.hpp"

#include "engine/core/error.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/engine/report/mc_fixture.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace rotor {
namespace {
namespace compare_test {

const report::ResultsData& fixture() {
    static const report::ResultsData data = [] {
        const std::string p = test::scratchDir("compare") + "/mc.h5";
        test::writeMcFixture(p);
        return report::readResults(p);
    }();
    return data;
}

const report::CompareRow& row(const report::CompareTable& t, const std::string& strategy) {
    for (const auto& r : t.rows)
        if (r.strategy == strategy) return r;
    throw std::runtime_error("no row " + strategy);
}

TEST(Compare, MonteCarloRowsHoldTheStoredSummary) {
    const auto t = report::buildComparison({fixture()}, "", report::CompareBy::Scenario);
    // Read the summary again, independently, through the test reader.
    test::H5Reader h5(fixture().path);
    const auto strategies = h5.columnStrings("/mc_summary", "strategy");
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"median", "p50"},
        {"p05", "p05"},
        {"p95", "p95"},
        {"median_cagr", "median_cagr"},
        {"p05_cagr", "p05_cagr"},
        {"p95_cagr", "p95_cagr"},
        {"prob_loss", "prob_loss"},
        {"prob_beat_benchmark", "prob_beat_benchmark"},
        {"cvar95", "cvar95"},
        {"median_max_drawdown", "median_max_drawdown"}};
    for (std::size_t i = 0; i < strategies.size(); ++i)
        for (const auto& [key, field] : fields) {
            const double stored = h5.columnDoubles("/mc_summary", field)[i];
            const double shown = row(t, strategies[i]).value(key);
            if (std::isnan(stored))
                EXPECT_TRUE(std::isnan(shown)) << strategies[i] << " " << key;
            else
                EXPECT_EQ(shown, stored) << strategies[i] << " " << key;
        }
    // Realised return is the last realised wealth minus 1: 1.03 - 1 and 0.98 - 1.
    EXPECT_NEAR(row(t, "mom").value("realised_return"), 0.03, 1e-15);
    EXPECT_NEAR(row(t, "hold").value("realised_return"), -0.02, 1e-15);
    EXPECT_EQ(row(t, "mom").value("realised_rank"), 62.5);
    EXPECT_EQ(row(t, "hold").value("realised_rank"), 25.0);
    EXPECT_TRUE(row(t, "hold").benchmark);
}

TEST(Compare, RanksByTheMetricsDirection) {
    // Default for Monte Carlo: the median terminal wealth, higher is better (1.12 > 1.04).
    auto t = report::buildComparison({fixture()}, "", report::CompareBy::Scenario);
    EXPECT_EQ(t.rows[0].strategy, "mom");
    EXPECT_EQ(row(t, "mom").rank, 1);
    EXPECT_EQ(row(t, "hold").rank, 2);
    EXPECT_EQ(row(t, "broken").rank, 0);  // failed: not ranked, listed last
    EXPECT_EQ(t.rows.back().strategy, "broken");
    // Lower is better for the median max drawdown: hold 0.22 is worse than mom 0.15.
    t = report::buildComparison({fixture()}, "median_max_drawdown", report::CompareBy::Scenario);
    EXPECT_EQ(row(t, "mom").rank, 1);
    // Historical CAGR falls back to the Monte Carlo median CAGR (mom 0.08 > hold 0.03).
    t = report::buildComparison({fixture()}, "cagr", report::CompareBy::Scenario);
    EXPECT_EQ(row(t, "mom").rankedBy, "median_cagr");
    EXPECT_EQ(row(t, "mom").rank, 1);
    // P(beat benchmark) is NaN for the benchmark itself.
    t = report::buildComparison({fixture()}, "prob_beat_benchmark", report::CompareBy::Scenario);
    EXPECT_EQ(row(t, "mom").rank, 1);
    EXPECT_EQ(row(t, "hold").rank, 0);  // NaN for the benchmark itself: unranked
}

TEST(Compare, UnknownMetricListsTheKnownOnes) {
    try {
        report::buildComparison({fixture()}, "sharp", report::CompareBy::Scenario);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("sharpe"), std::string::npos) << e.what();
    }
}

TEST(Compare, TwoFilesShowDifferencesBMinusA) {
    const auto t = report::buildComparison(std::vector<report::ResultsData>{fixture(), fixture()},
                                           "", report::CompareBy::Scenario);
    std::ostringstream os;
    report::writeComparison(t, report::CompareFormat::Csv, os);
    // Same file twice: every difference of a defined value is 0.
    std::istringstream in(os.str());
    std::string line;
    std::getline(in, line);
    // Two files with the same name are labelled by their full path.
    const std::string p = fixture().path;
    EXPECT_EQ(line, "scenario,strategy,metric," + p + "," + p + ",difference");
    int rows = 0;
    while (std::getline(in, line)) {
        ++rows;
        const std::string diff = line.substr(line.rfind(',') + 1);
        if (!diff.empty()) {
            EXPECT_EQ(std::stod(diff), 0.0) << line;
        }
    }
    // mom and hold have 17 columns (15 summary: mean, stdev, median, p05, p25, p75, p95, the 3
    // CAGR levels, prob_loss, prob_beat_benchmark, var95, cvar95, median_max_drawdown; + 2
    // realised); broken only NaN summary fields.
    EXPECT_EQ(rows, 17 + 17 + 15);
}

TEST(Compare, FormatsHumanUnits) {
    EXPECT_EQ(report::formatValue(0.1234, report::Unit::Fraction), "12.34%");
    EXPECT_EQ(report::formatValue(62.5, report::Unit::Percent), "62.5%");
    EXPECT_EQ(report::formatValue(1.2344, report::Unit::Wealth), "1.234x");
    // Losses stored as positive depths read as losses; wealth in tables reads as a return.
    EXPECT_EQ(report::formatValue(0.5519, report::Unit::Loss), "-55.19%");
    EXPECT_EQ(report::formatValue(0.0, report::Unit::Loss), "0.00%");
    EXPECT_EQ(report::formatValue(-0.02, report::Unit::Loss), "2.00%");  // a CVaR that gains
    EXPECT_EQ(report::formatValue(1.2344, report::Unit::WealthReturn), "23.44%");
    EXPECT_EQ(report::formatValue(0.9, report::Unit::WealthReturn), "-10.00%");
    EXPECT_EQ(report::formatValue(std::nan(""), report::Unit::Ratio), "-");
    EXPECT_EQ(report::formatRaw(0.1), "0.10000000000000001");
}

}  // namespace compare_test
}  // namespace
}  // namespace rotor
