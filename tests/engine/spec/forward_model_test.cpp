// SPDX-License-Identifier: MIT
// Data of a forward scenario's assets: bifurcation sleeves take their parent's series (scaled to
// a given start price), so start prices, the history prefix and the realised path exist for them;
// every file is read once for all of them; a `model` valuation's history file is anchored to
// the model's multiple on day 0.
#include "engine/spec/forward_model.hpp"

#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/data/sha256.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace rotor {
namespace {
namespace forward_model_test {

// NYSE days around the start (2026-01-01 is a holiday; 2026-01-02 is day 0).
// P: the parent (IWM-like), A: another asset with its own file.
const char* kParent =
    "date,close\n2025-12-26,97\n2025-12-29,100\n2025-12-30,101\n2025-12-31,99\n"
    "2026-01-02,100\n2026-01-05,104\n2026-01-06,102\n2026-01-07,108\n";
const char* kOther =
    "date,close\n2025-12-26,49\n2025-12-29,50\n2025-12-30,51\n2025-12-31,52\n"
    "2026-01-02,53\n2026-01-05,54\n2026-01-06,55\n2026-01-07,56\n";

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A scenario with universe [A, P, Q1, Q2], Q1/Q2 sleeves of P; `startPrices` is a YAML map body.
ScenarioSpec scenario(const std::string& dirName, const std::string& startPrices) {
    const std::string dir = test::scratchDir(dirName);
    write(dir + "/P.csv", kParent);
    write(dir + "/A.csv", kOther);
    std::string yaml =
        "name: sleeves\nmode: monte_carlo\n"
        "universe: {assets: [A, P, Q1, Q2], prices: '{asset}.csv'}\n"
        "simulation: {start: 2026-01-02, horizon: 3, history_days: 3, paths: 1}\n"
        "rate_path: {start: 4.0, steps: []}\n"
        "model: {type: factor, assets: {A: {}, P: {}, Q1: {}, Q2: {}}}\n"
        "bifurcation:\n  parent: P\n  sleeves:\n"
        "    - {name: Q1, weight: 0.6}\n    - {name: Q2, weight: 0.4}\n"
        "cash_rate: {constant: 4.0}\n"
        "strategies: [{name: a, type: buy_and_hold, weights: {A: 1.0}}]\n";
    if (!startPrices.empty()) yaml += "start_prices: {" + startPrices + "}\n";
    write(dir + "/s.yaml", yaml);
    return loadScenario(dir + "/s.yaml", strategies::builtinRegistry());
}

TEST(ForwardSleeves, TakeTheParentsSeriesWithoutAStartPrice) {
    const ScenarioSpec spec = scenario("forward_sleeves_plain", "");
    DataStore data;
    const auto series = universeSeries(spec, data);
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    ASSERT_EQ(dates.size(), 4u);  // 01-02, 01-05, 01-06, 01-07
    const Vector start = startPrices(spec, series);
    // Closes on 2026-01-02: A 53, P 100, and the sleeves at P's 100.
    EXPECT_DOUBLE_EQ(start[0], 53.0);
    EXPECT_DOUBLE_EQ(start[1], 100.0);
    EXPECT_DOUBLE_EQ(start[2], 100.0);
    EXPECT_DOUBLE_EQ(start[3], 100.0);
    // Only the two real files are read (no Q1.csv/Q2.csv exists).
    EXPECT_EQ(data.records().size(), 2u);

    const auto history = historyPrefix(spec, series, dates.front(), data);
    ASSERT_TRUE(history);
    // The 3 days before day 0: 12-29, 12-30, 12-31; sleeves = P = 100, 101, 99.
    ASSERT_EQ(history->days(), 3);
    EXPECT_EQ(history->dates.front(), Date::fromYmd(2025, 12, 29));
    const double p[] = {100, 101, 99};
    for (Index t = 0; t < 3; ++t) {
        EXPECT_DOUBLE_EQ(history->prices(t, 1), p[t]);
        EXPECT_DOUBLE_EQ(history->prices(t, 2), p[t]);
        EXPECT_DOUBLE_EQ(history->prices(t, 3), p[t]);
        EXPECT_DOUBLE_EQ(history->cashRate[t], 4.0);
    }

    const auto realised = realisedPath(spec, series, dates, start, data);
    ASSERT_TRUE(realised);
    ASSERT_EQ(realised->days(), 4);
    const double r[] = {100, 104, 102, 108};
    for (Index t = 0; t < 4; ++t) {
        EXPECT_DOUBLE_EQ(realised->prices(t, 2), r[t]);
        EXPECT_DOUBLE_EQ(realised->prices(t, 3), r[t]);
    }
}

TEST(ForwardSleeves, AreScaledToAGivenStartPrice) {
    // Q2 starts at 25 = P's 100 x 0.25, so its series is P x 0.25.
    const ScenarioSpec spec = scenario("forward_sleeves_scaled", "Q2: 25");
    DataStore data;
    const auto series = universeSeries(spec, data);
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    const Vector start = startPrices(spec, series);
    EXPECT_DOUBLE_EQ(start[2], 100.0);
    EXPECT_DOUBLE_EQ(start[3], 25.0);

    const auto history = historyPrefix(spec, series, dates.front(), data);
    ASSERT_TRUE(history);
    const double h[] = {25.0, 25.25, 24.75};  // 100, 101, 99 x 0.25
    for (Index t = 0; t < 3; ++t) {
        EXPECT_NEAR(history->prices(t, 3), h[t], 1e-12);
        EXPECT_DOUBLE_EQ(history->prices(t, 2), history->prices(t, 1));
    }
    const auto realised = realisedPath(spec, series, dates, start, data);
    ASSERT_TRUE(realised);
    const double r[] = {25.0, 26.0, 25.5, 27.0};  // 100, 104, 102, 108 x 0.25
    for (Index t = 0; t < 4; ++t) EXPECT_NEAR(realised->prices(t, 3), r[t], 1e-12);
}

TEST(ForwardSleeves, AnOtherAssetWithAGivenStartPriceStillTurnsHistoryOff) {
    const ScenarioSpec spec = scenario("forward_sleeves_other", "A: 10");
    DataStore data;
    const auto series = universeSeries(spec, data);
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    const Vector start = startPrices(spec, series);
    EXPECT_DOUBLE_EQ(start[0], 10.0);
    EXPECT_DOUBLE_EQ(start[3], 100.0);
    EXPECT_FALSE(historyPrefix(spec, series, dates.front(), data));
    EXPECT_FALSE(realisedPath(spec, series, dates, start, data));
}

TEST(ForwardSleeves, NeedAStartPriceWhenTheParentHasNoData) {
    const ScenarioSpec spec = scenario("forward_sleeves_noparent", "P: 100, Q1: 60");
    DataStore data;
    const auto series = universeSeries(spec, data);
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    EXPECT_THROW(startPrices(spec, series), InputError);  // Q2 has no price at all
}

// The start prices, the history every path carries, the model and the realised replay all use
// the same two price files: each is read from disk once, and its checksum is of those bytes.
TEST(ForwardModel, ReadsEachPriceFileOnce) {
    const ScenarioSpec spec = scenario("forward_reads_once", "");
    DataStore data;
    const std::size_t before = dataFileReads();
    const ForwardModel model = buildForwardModel(spec, data);
    const auto realised = realisedPath(spec, model.series, model.context.dates,
                                       model.context.startPrices, data);
    ASSERT_TRUE(model.history);
    ASSERT_TRUE(realised);
    EXPECT_EQ(dataFileReads() - before, 2u);  // A.csv and P.csv, once each
    const auto records = data.records();
    ASSERT_EQ(records.size(), 2u);
    // The digest is that of the file's bytes (sha256 of the text written above).
    EXPECT_EQ(records[0].path.substr(records[0].path.size() - 5), "A.csv");
    EXPECT_EQ(records[0].sha256, sha256Hex(kOther));
    EXPECT_EQ(records[1].sha256, sha256Hex(kParent));
}

}  // namespace forward_model_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace forward_model_test {

// Multiples of P, dated around the start; with lag_days 1 a day sees the one dated before it.
const char* kMultiple =
    "date,pe\n2025-12-26,10\n2025-12-29,12\n2025-12-30,12.5\n2025-12-31,11\n"
    "2026-01-02,13\n2026-01-05,14\n";

// Universe [A, P], both equities with valuation inputs in a regime model (parsed only: the
// valuation's anchoring needs no calibration). A: `model` alone; P: `model` with a history file.
ScenarioSpec valuedScenario(const std::string& dirName, int maxStaleDays) {
    const std::string dir = test::scratchDir(dirName);
    write(dir + "/P.csv", kParent);
    write(dir + "/A.csv", kOther);
    write(dir + "/M.csv", kMultiple);
    const std::string yaml =
        "name: valued\nmode: monte_carlo\n"
        "universe:\n  assets: [A, P]\n  prices: '{asset}.csv'\n  valuation:\n    A: model\n"
        "    P: {model: true, multiple: M.csv, lag_days: 1, max_stale_days: " +
        std::to_string(maxStaleDays) +
        "}\n"
        "simulation: {start: 2026-01-02, horizon: 3, history_days: 3, paths: 1}\n"
        "rate_path: {start: 4.0, steps: []}\n"
        "model:\n  type: regime\n  calibrate:\n    window: {start: 2019-01-01, end: 2025-12-31}\n"
        "    factors: {file: A.csv, columns: [close], scale: 0.01}\n    policy: {file: A.csv, "
        "column: close}\n"
        "    recessions: {file: A.csv, column: close}\n"
        "    yield_2y: {file: A.csv, column: close}\n    valuation: {file: A.csv}\n"
        "  regimes: {base: hold}\n  assets:\n"
        "    A: {valuation: {pe: 22, fair_pe: 18, carry: 0.01}}\n"
        "    P: {valuation: {pe: 15, fair_pe: 15, carry: 0.01}}\n"
        "cash_rate: {constant: 4.0}\n"
        "strategies: [{name: a, type: buy_and_hold, weights: {A: 1.0}}]\n";
    write(dir + "/s.yaml", yaml);
    return loadScenario(dir + "/s.yaml", strategies::builtinRegistry());
}

TEST(ForwardValuation, TheHistoryFileIsAnchoredToTheModelsMultiple) {
    const ScenarioSpec spec = valuedScenario("forward_valuation_anchor", 45);
    ASSERT_EQ(spec.universe.valuation.size(), 2u);
    EXPECT_TRUE(spec.universe.valuation.at("A").model);
    EXPECT_FALSE(spec.universe.valuation.at("A").hasFile());
    EXPECT_TRUE(spec.universe.valuation.at("P").model);
    // The resolved YAML writes both forms back.
    const std::string resolved = resolvedYaml(spec);
    EXPECT_NE(resolved.find("A: model"), std::string::npos) << resolved;
    EXPECT_NE(resolved.find("model: true"), std::string::npos) << resolved;
    // Only the history file is a scenario data file (A has none).
    const auto files = scenarioDataFiles(spec);
    EXPECT_EQ(std::count_if(files.begin(), files.end(),
                            [](const std::string& f) {
                                return f.size() >= 5 && f.substr(f.size() - 5) == "M.csv";
                            }),
              1);

    DataStore data;
    const auto series = universeSeries(spec, data);
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    const auto history = historyPrefix(spec, series, dates.front(), data);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->days(), 3);  // 12-29, 12-30, 12-31
    ASSERT_EQ(history->valuation.rows(), 3);
    ASSERT_EQ(history->valuation.cols(), 2);
    // Lag 1: 12-29 sees 12-26's 10, 12-30 sees 12-29's 12, 12-31 (the eve) sees 12-30's 12.5.
    // Anchored: x 15 / 12.5, so 12, 14.4 and 15 (= pe on day 0).
    EXPECT_NEAR(history->valuation(0, 1), std::log(12.0), 1e-14);
    EXPECT_NEAR(history->valuation(1, 1), std::log(14.4), 1e-14);
    EXPECT_NEAR(history->valuation(2, 1), std::log(15.0), 1e-14);
    for (Index t = 0; t < 3; ++t) EXPECT_TRUE(std::isnan(history->valuation(t, 0)));  // A

    // The realised days 01-02 .. 01-07 on the same anchor: 01-02 sees 12-31's 11, 01-05 sees
    // 01-02's 13, 01-06 and 01-07 see 01-05's 14 (1 and 2 days stale, within 45).
    const Matrix realised = anchoredValuation(spec, history->dates.back(), dates, data, true);
    const double want[4] = {11 * 1.2, 13 * 1.2, 14 * 1.2, 14 * 1.2};
    for (Index t = 0; t < 4; ++t) {
        EXPECT_NEAR(realised(t, 1), std::log(want[t]), 1e-14) << t;
        EXPECT_TRUE(std::isnan(realised(t, 0)));
    }
}

TEST(ForwardValuation, StaleDaysAreMissingInTheReplayAndAnErrorInTheHistory) {
    const ScenarioSpec spec = valuedScenario("forward_valuation_stale", 1);
    DataStore data;
    const std::vector<Date> dates = forwardDates(*spec.simulation);
    const Date eve = Date::fromYmd(2025, 12, 31);
    // max_stale_days 1. 01-07 sees observations to 01-06: the newest, 01-05's, is 1 day old.
    const Matrix realised = anchoredValuation(spec, eve, dates, data, true);
    EXPECT_NEAR(realised(3, 1), std::log(14 * 1.2), 1e-14);
    // 01-08 sees observations to 01-07: 01-05's is 2 days old, NaN in the replay, else an error.
    const std::vector<Date> later{Date::fromYmd(2026, 1, 8)};
    EXPECT_TRUE(std::isnan(anchoredValuation(spec, eve, later, data, true)(0, 1)));
    try {
        anchoredValuation(spec, eve, later, data, false);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("s.yaml:"), std::string::npos) << m;
        EXPECT_NE(m.find("universe.valuation.P"), std::string::npos) << m;
        EXPECT_NE(m.find("older than max_stale_days 1"), std::string::npos) << m;
    }
}

}  // namespace forward_model_test
}  // namespace
}  // namespace rotor
