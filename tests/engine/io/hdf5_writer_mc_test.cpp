// SPDX-License-Identifier: MIT
// The Monte Carlo part of the results file: every value of a hand-built McScenarioRun is read
// back through the HDF5 C API; the derived /mc_summary fields are worked out by hand; the h5py
// snippet of docs/results-format.md ("Monte Carlo scenarios") is run on the file.
#include "engine/core/error.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "tests/engine/io/expect_rejected.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/engine/io/python_snippet.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <utility>

namespace rotor {
namespace {
namespace hdf5_writer_mc_test {

using test::H5Reader;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Vector vec(std::initializer_list<double> v) {
    Vector out(static_cast<Index>(v.size()));
    Index i = 0;
    for (double x : v) out(i++) = x;
    return out;
}

// T x Q from rows.
Matrix rows(std::initializer_list<std::initializer_list<double>> r) {
    Matrix m(static_cast<Index>(r.size()), static_cast<Index>(r.begin()->size()));
    Index i = 0;
    for (const auto& row : r) {
        Index j = 0;
        for (double x : row) m(i, j++) = x;
        ++i;
    }
    return m;
}

std::vector<Date> threeDays() {
    return {Date::fromYmd(2025, 1, 2), Date::fromYmd(2025, 1, 3), Date::fromYmd(2025, 1, 6)};
}

// 4 paths x 3 days x 2 assets; strategies hold (benchmark), mix and broken (failed).
McScenarioRun forward() {
    McScenarioRun s;
    s.name = "fwd";
    s.description = "forward check";
    s.assets = {"SPY", "IEF"};
    s.dates = threeDays();
    s.paths = 4;
    s.seed = 18446744073709551557ULL;
    s.percentiles = {2.5, 50, 95};
    s.rateBands = rows({{4.0, 4.5, 5.0}, {3.9, 4.4, 5.1}, {3.8, 4.3, 5.2}});
    s.regimeNames = {"base", "hike"};
    s.regimeOfPath = {0, 1, 1, 0};
    s.model = "model: gbm\nvol: 0.2\n";
    s.benchmark = "hold";
    s.initialCapital = 100.0;
    s.checkpointDay = 1;
    for (int k = 0; k < 24; ++k) s.storedPrices.push_back(100.0f + 0.5f * static_cast<float>(k));
    for (int k = 0; k < 12; ++k) s.storedRates.push_back(4.0f + 0.25f * static_cast<float>(k));

    McStrategyRun hold;
    hold.name = "hold";
    hold.type = "buy_and_hold";
    hold.paths.terminalWealth = vec({1.10, 0.95, 1.02, 1.30});
    hold.paths.cagr = vec({0.12, -0.05, 0.03, 0.40});
    hold.paths.volatility = vec({0.15, 0.16, 0.17, 0.18});
    hold.paths.sharpe = vec({0.5, kNaN, 0.2, 1.5});
    hold.paths.maxDrawdown = vec({0.05, 0.20, 0.10, 0.02});
    hold.paths.turnover = vec({1.0, 1.1, 1.2, 1.3});
    hold.paths.checkpointWealth = vec({1.01, 0.99, 1.00, 1.05});
    hold.equityBands = rows({{0.99, 1.0, 1.01}, {0.97, 1.01, 1.04}, {0.951, 1.06, 1.27}});
    hold.terminal = {1.0925, 0.15, {0.951, 1.06, 1.27}, 0.25, kNaN, 0.0545, 0.05};
    hold.pathSummary = {0.075, -0.038, 0.358, 0.075};

    McStrategyRun mix = hold;
    mix.name = "mix";
    mix.type = "fixed_mix";
    mix.paths.terminalWealth = vec({1.05, 1.00, 1.04, 1.20});
    mix.paths.cagr = vec({0.2, 0.1, 0.0, -0.1});
    mix.paths.maxDrawdown = vec({0.3, 0.1, 0.2, 0.4});
    mix.terminal = {1.0725, 0.09, {1.0, 1.045, 1.18}, 0.0, 0.5, 0.0, -0.01};
    mix.pathSummary = {0.05, -0.085, 0.185, 0.25};

    McStrategyRun broken;
    broken.name = "broken";
    broken.type = "fragile";
    broken.ok = false;
    broken.error = "path 3: boom";

    s.strategies = {hold, mix, broken};

    RealisedOutcome o;
    o.dates = {Date::fromYmd(2025, 1, 2), Date::fromYmd(2025, 1, 3)};
    o.cashRate = vec({4.0, 4.1});
    o.strategies = {RealisedStrategy{"hold", vec({1.0, 1.01}), 62.5}};
    s.realised = o;
    return s;
}

RunResults results() {
    RunResults r;
    r.provenance.seed = 1;
    r.monteCarlo = {forward()};
    return r;
}

const std::string kS = "/scenarios/fwd";
const std::string kHold = kS + "/strategies/hold";

std::string written(const RunResults& res, const std::string& name) {
    const std::string path = test::scratchDir(name) + "/out.h5";
    writeResultsHdf5(res, path);
    return path;
}

std::vector<double> toStd(const Vector& v) {
    return std::vector<double>(v.data(), v.data() + v.size());
}

TEST(Hdf5WriterMc, PercentileFieldNames) {
    EXPECT_EQ(percentileFieldName(5), "p05");
    EXPECT_EQ(percentileFieldName(0), "p00");
    EXPECT_EQ(percentileFieldName(50), "p50");
    EXPECT_EQ(percentileFieldName(100), "p100");
    EXPECT_EQ(percentileFieldName(2.5), "p2_5");
    EXPECT_EQ(percentileFieldName(97.5), "p97_5");
    EXPECT_EQ(percentileFieldName(0.1), "p0_1");
}

TEST(Hdf5WriterMc, ScenarioAttributesAndDatasets) {
    H5Reader r(written(results(), "hdf5_mc_scenario"));
    EXPECT_EQ(r.attrString(kS, "name"), "fwd");
    EXPECT_EQ(r.attrString(kS, "description"), "forward check");
    EXPECT_EQ(r.attrString(kS, "mode"), "monte_carlo");
    EXPECT_EQ(r.attrString(kS, "benchmark"), "hold");
    EXPECT_EQ(r.attrDouble(kS, "initial_capital"), 100.0);
    EXPECT_EQ(r.attrUInt64(kS, "paths"), 4u);
    EXPECT_EQ(r.attrSign(kS, "paths"), H5T_SGN_NONE);
    EXPECT_EQ(r.attrUInt64(kS, "seed"), 18446744073709551557ULL);
    EXPECT_EQ(r.attrSign(kS, "seed"), H5T_SGN_NONE);
    EXPECT_EQ(r.attrInt64(kS, "checkpoint_day"), 1);
    EXPECT_EQ(r.attrSign(kS, "checkpoint_day"), H5T_SGN_2);
    EXPECT_EQ(r.attrSize(kS, "checkpoint_day"), 8u);

    EXPECT_EQ(r.typeSize(kS + "/dates"), 10u);
    EXPECT_EQ(r.strings(kS + "/dates"),
              (std::vector<std::string>{"2025-01-02", "2025-01-03", "2025-01-06"}));
    EXPECT_EQ(r.strings(kS + "/assets"), (std::vector<std::string>{"SPY", "IEF"}));
    EXPECT_EQ(r.doubles(kS + "/percentiles"), (std::vector<double>{2.5, 50, 95}));
    EXPECT_EQ(r.dims(kS + "/rate_bands"), (std::vector<hsize_t>{3, 3}));
    // Row-major T x Q: day 0's levels first.
    EXPECT_EQ(r.doubles(kS + "/rate_bands"),
              (std::vector<double>{4.0, 4.5, 5.0, 3.9, 4.4, 5.1, 3.8, 4.3, 5.2}));
    EXPECT_EQ(r.strings(kS + "/regime_names"), (std::vector<std::string>{"base", "hike"}));
    EXPECT_EQ(r.typeClass(kS + "/regime_of_path"), H5T_INTEGER);
    EXPECT_EQ(r.typeSize(kS + "/regime_of_path"), 4u);
    EXPECT_EQ(r.sign(kS + "/regime_of_path"), H5T_SGN_2);
    EXPECT_EQ(r.int64s(kS + "/regime_of_path"), (std::vector<std::int64_t>{0, 1, 1, 0}));
    EXPECT_EQ(r.string(kS + "/model"), "model: gbm\nvol: 0.2\n");

    EXPECT_EQ(r.dims(kS + "/stored_prices"), (std::vector<hsize_t>{4, 3, 2}));
    EXPECT_EQ(r.typeClass(kS + "/stored_prices"), H5T_FLOAT);
    EXPECT_EQ(r.typeSize(kS + "/stored_prices"), 4u);
    EXPECT_TRUE(r.isCompressed(kS + "/stored_prices"));
    std::vector<double> prices;  // 100, 100.5, ... exactly representable in float32
    for (int k = 0; k < 24; ++k) prices.push_back(100.0 + 0.5 * k);
    EXPECT_EQ(r.doubles(kS + "/stored_prices"), prices);
    EXPECT_EQ(r.dims(kS + "/stored_rates"), (std::vector<hsize_t>{4, 3}));
    EXPECT_EQ(r.typeSize(kS + "/stored_rates"), 4u);
    EXPECT_TRUE(r.isCompressed(kS + "/stored_rates"));
    EXPECT_EQ(r.doubles(kS + "/stored_rates")[11], 4.0 + 0.25 * 11);
}

TEST(Hdf5WriterMc, StrategyGroupBandsAndPaths) {
    const McScenarioRun s = forward();
    H5Reader r(written(results(), "hdf5_mc_strategy"));
    EXPECT_EQ(r.attrString(kHold, "name"), "hold");
    EXPECT_EQ(r.attrString(kHold, "type"), "buy_and_hold");
    EXPECT_EQ(r.attrString(kHold, "status"), "ok");
    EXPECT_EQ(r.attrString(kHold, "error"), "");
    EXPECT_EQ(r.dims(kHold + "/equity_bands"), (std::vector<hsize_t>{3, 3}));
    EXPECT_EQ(r.doubles(kHold + "/equity_bands"),
              (std::vector<double>{0.99, 1.0, 1.01, 0.97, 1.01, 1.04, 0.951, 1.06, 1.27}));
    const PathMetrics& m = s.strategies[0].paths;
    EXPECT_EQ(r.doubles(kHold + "/paths/terminal_wealth"), toStd(m.terminalWealth));
    EXPECT_EQ(r.doubles(kHold + "/paths/cagr"), toStd(m.cagr));
    EXPECT_EQ(r.doubles(kHold + "/paths/volatility"), toStd(m.volatility));
    const auto sharpe = r.doubles(kHold + "/paths/sharpe");
    ASSERT_EQ(sharpe.size(), 4u);
    EXPECT_TRUE(std::isnan(sharpe[1]));
    EXPECT_EQ(sharpe[3], 1.5);
    EXPECT_EQ(r.doubles(kHold + "/paths/max_drawdown"), toStd(m.maxDrawdown));
    EXPECT_EQ(r.doubles(kHold + "/paths/turnover"), toStd(m.turnover));
    EXPECT_EQ(r.doubles(kHold + "/paths/checkpoint_wealth"), toStd(m.checkpointWealth));
    // Per-path doubles barely compress: stored as they are (docs/results-format.md).
    EXPECT_FALSE(r.isCompressed(kHold + "/paths/terminal_wealth"));
    EXPECT_EQ(r.dims(kHold + "/summary"), (std::vector<hsize_t>{1}));
    EXPECT_EQ(r.fields(kHold + "/summary"), r.fields("/mc_summary"));
    EXPECT_EQ(r.columnDoubles(kHold + "/summary", "mean"), std::vector<double>{1.0925});
}

TEST(Hdf5WriterMc, McSummaryTable) {
    H5Reader r(written(results(), "hdf5_mc_summary"));
    EXPECT_EQ(r.fields("/mc_summary"),
              (std::vector<std::string>{"scenario", "strategy", "type", "status", "paths", "mean",
                                        "stdev", "p2_5", "p50", "p95", "prob_loss",
                                        "prob_beat_benchmark", "var95", "cvar95", "median_cagr",
                                        "p05_cagr", "p95_cagr", "median_max_drawdown", "group"}));
    const std::string t = "/mc_summary";
    EXPECT_EQ(r.columnStrings(t, "scenario"), (std::vector<std::string>{"fwd", "fwd", "fwd"}));
    EXPECT_EQ(r.columnStrings(t, "strategy"), (std::vector<std::string>{"hold", "mix", "broken"}));
    EXPECT_EQ(r.columnStrings(t, "type"),
              (std::vector<std::string>{"buy_and_hold", "fixed_mix", "fragile"}));
    EXPECT_EQ(r.columnStrings(t, "status"), (std::vector<std::string>{"ok", "ok", "failed"}));
    EXPECT_EQ(r.columnInt64s(t, "paths"), (std::vector<std::int64_t>{4, 4, 4}));
    EXPECT_EQ(r.columnStrings(t, "group"),
              (std::vector<std::string>{kS + "/strategies/hold", kS + "/strategies/mix",
                                        kS + "/strategies/broken"}));
    auto col = [&](const char* f) { return r.columnDoubles(t, f); };
    EXPECT_EQ(col("mean")[0], 1.0925);
    EXPECT_EQ(col("stdev")[1], 0.09);
    EXPECT_EQ(col("p2_5")[0], 0.951);
    EXPECT_EQ(col("p50")[1], 1.045);
    EXPECT_EQ(col("p95")[0], 1.27);
    EXPECT_EQ(col("prob_loss")[0], 0.25);
    EXPECT_TRUE(std::isnan(col("prob_beat_benchmark")[0]));
    EXPECT_EQ(col("prob_beat_benchmark")[1], 0.5);
    EXPECT_EQ(col("var95")[0], 0.0545);
    EXPECT_EQ(col("cvar95")[1], -0.01);
    // The path-metric columns are the run's summaries as given (computed in engine/montecarlo,
    // checked by hand in distribution_test).
    EXPECT_EQ(col("median_cagr")[0], 0.075);
    EXPECT_EQ(col("p05_cagr")[0], -0.038);
    EXPECT_EQ(col("p95_cagr")[0], 0.358);
    EXPECT_EQ(col("median_max_drawdown")[0], 0.075);
    EXPECT_EQ(col("median_cagr")[1], 0.05);
    EXPECT_EQ(col("p05_cagr")[1], -0.085);
    EXPECT_EQ(col("median_max_drawdown")[1], 0.25);
    // The failed strategy's row is NaN throughout.
    for (const auto& f : r.fields(t)) {
        if (f == "scenario" || f == "strategy" || f == "type" || f == "status" || f == "group" ||
            f == "paths")
            continue;
        EXPECT_TRUE(std::isnan(r.columnDoubles(t, f)[2])) << f;
    }
}

TEST(Hdf5WriterMc, FailedStrategyKeepsItsGroupOnly) {
    H5Reader r(written(results(), "hdf5_mc_failed"));
    const std::string g = kS + "/strategies/broken";
    ASSERT_TRUE(r.exists(g));
    EXPECT_EQ(r.attrString(g, "status"), "failed");
    EXPECT_EQ(r.attrString(g, "error"), "path 3: boom");
    for (const char* d : {"equity_bands", "paths", "summary"})
        EXPECT_FALSE(r.exists(g + "/" + d)) << d;
}

TEST(Hdf5WriterMc, RealisedOutcome) {
    H5Reader r(written(results(), "hdf5_mc_realised"));
    const std::string g = kS + "/realised";
    EXPECT_EQ(r.strings(g + "/dates"), (std::vector<std::string>{"2025-01-02", "2025-01-03"}));
    EXPECT_EQ(r.doubles(g + "/cash_rate"), (std::vector<double>{4.0, 4.1}));
    EXPECT_EQ(r.attrString(g + "/strategies/hold", "name"), "hold");
    EXPECT_EQ(r.doubles(g + "/strategies/hold/wealth"), (std::vector<double>{1.0, 1.01}));
    EXPECT_EQ(r.attrDouble(g + "/strategies/hold/wealth", "percentile_rank"), 62.5);
    const auto attrs = r.attrNames(g);  // no rate file: no date
    EXPECT_EQ(std::count(attrs.begin(), attrs.end(), "cash_rate_last_observation"), 0);
    RunResults fromFile = results();
    fromFile.monteCarlo[0].realised->rateLastObservation = Date::fromYmd(2024, 12, 31);
    H5Reader f(written(fromFile, "hdf5_mc_realised_rate"));
    EXPECT_EQ(f.attrString(g, "cash_rate_last_observation"), "2024-12-31");

    RunResults none = results();
    none.monteCarlo[0].realised.reset();
    H5Reader n(written(none, "hdf5_mc_norealised"));
    EXPECT_FALSE(n.exists(g));
}

TEST(Hdf5WriterMc, WithoutCheckpointOrStoredPathsThoseDatasetsAreAbsent) {
    RunResults res = results();
    McScenarioRun& s = res.monteCarlo[0];
    s.checkpointDay = -1;
    s.storedPrices.clear();
    s.storedRates.clear();
    for (auto& st : s.strategies) st.paths.checkpointWealth = Vector();
    H5Reader r(written(res, "hdf5_mc_minimal"));
    EXPECT_EQ(r.attrInt64(kS, "checkpoint_day"), -1);
    EXPECT_FALSE(r.exists(kHold + "/paths/checkpoint_wealth"));
    EXPECT_TRUE(r.exists(kHold + "/paths/cagr"));
    EXPECT_FALSE(r.exists(kS + "/stored_prices"));
    EXPECT_FALSE(r.exists(kS + "/stored_rates"));
}

TEST(Hdf5WriterMc, PercentileColumnsAreTheUnionOverScenarios) {
    RunResults res = results();
    McScenarioRun two;
    two.name = "fwd2";
    two.assets = {"SPY"};
    two.dates = threeDays();
    two.paths = 2;
    two.percentiles = {5, 50};
    two.rateBands = rows({{1, 2}, {1, 2}, {1, 2}});
    two.regimeNames = {"base"};
    two.regimeOfPath = {0, 0};
    McStrategyRun h;
    h.name = "hold";
    h.type = "buy_and_hold";
    for (Vector* v : {&h.paths.terminalWealth, &h.paths.cagr, &h.paths.volatility, &h.paths.sharpe,
                      &h.paths.maxDrawdown, &h.paths.turnover})
        *v = vec({1.0, 2.0});
    h.equityBands = rows({{1, 1}, {1, 1}, {1, 2}});
    h.terminal = {1.5, 0.7, {1.05, 1.5}, 0.0, kNaN, -0.05, -0.0};
    two.strategies = {h};
    res.monteCarlo.push_back(two);
    H5Reader r(written(res, "hdf5_mc_union"));
    EXPECT_EQ(r.fields("/mc_summary"), (std::vector<std::string>{"scenario",
                                                                 "strategy",
                                                                 "type",
                                                                 "status",
                                                                 "paths",
                                                                 "mean",
                                                                 "stdev",
                                                                 "p2_5",
                                                                 "p05",
                                                                 "p50",
                                                                 "p95",
                                                                 "prob_loss",
                                                                 "prob_beat_benchmark",
                                                                 "var95",
                                                                 "cvar95",
                                                                 "median_cagr",
                                                                 "p05_cagr",
                                                                 "p95_cagr",
                                                                 "median_max_drawdown",
                                                                 "group"}));
    const auto p05 = r.columnDoubles("/mc_summary", "p05");
    const auto p95 = r.columnDoubles("/mc_summary", "p95");
    ASSERT_EQ(p05.size(), 4u);
    EXPECT_TRUE(std::isnan(p05[0]));  // fwd has no 5% level
    EXPECT_EQ(p05[3], 1.05);
    EXPECT_EQ(p95[0], 1.27);
    EXPECT_TRUE(std::isnan(p95[3]));  // fwd2 has no 95% level
    EXPECT_EQ(r.attrString("/scenarios/fwd2", "mode"), "monte_carlo");
}

TEST(Hdf5WriterMc, HistoricalAndMonteCarloShareAFile) {
    RunResults res = results();
    ScenarioRun h;
    h.name = "history";
    h.mode = "historical";
    h.assets = {"SPY"};
    h.dates = {Date::fromYmd(2024, 1, 2), Date::fromYmd(2024, 1, 3)};
    h.cashRate = vec({5.0, 5.0});
    StrategyRun sr;
    sr.name = "hold";
    sr.type = "buy_and_hold";
    sr.equity = vec({100.0, 101.0});
    sr.returns = vec({0.0, 0.01});
    sr.weights = PriceMatrix::Ones(2, 1);
    sr.metrics.maxDrawdown = Drawdown{0.0, 0, 0, 0};
    h.strategies = {sr};
    res.scenarios = {h};
    H5Reader r(written(res, "hdf5_mc_mixed"));
    EXPECT_EQ(r.attrString("/scenarios/history", "mode"), "historical");
    EXPECT_EQ(r.attrString(kS, "mode"), "monte_carlo");
    EXPECT_EQ(r.columnStrings("/metrics", "scenario"), std::vector<std::string>{"history"});
    EXPECT_EQ(r.columnStrings("/mc_summary", "scenario"),
              (std::vector<std::string>{"fwd", "fwd", "fwd"}));
    EXPECT_EQ(r.doubles("/scenarios/history/strategies/hold/equity"),
              (std::vector<double>{100.0, 101.0}));

    // A name used by both kinds is rejected; a file without Monte Carlo has no /mc_summary.
    res.monteCarlo[0].name = "history";
    EXPECT_THROW(writeResultsHdf5(res, test::scratchDir("hdf5_mc_dup") + "/out.h5"), Error);
    res.monteCarlo.clear();
    H5Reader hist(written(res, "hdf5_mc_histonly"));
    EXPECT_FALSE(hist.exists("/mc_summary"));
}

TEST(Hdf5WriterMc, InconsistentResultsAreRejectedBeforeTheFileIsCreated) {
    const std::string dir = test::scratchDir("hdf5_mc_invalid");
    auto rejects = [&](const RunResults& res, const std::string& needle) {
        test::expectRejectedBeforeTheFileIsCreated(res, dir + "/out.h5", needle);
    };
    RunResults res = results();
    res.monteCarlo[0].rateBands.conservativeResize(2, 3);
    rejects(res, "rate_bands is 2 x 3, expected 3 x 3");
    res = results();
    res.monteCarlo[0].regimeOfPath.pop_back();
    rejects(res, "regime_of_path has 3 values, expected 4");
    res = results();
    res.monteCarlo[0].regimeOfPath[2] = 2;
    rejects(res, "regime 2 outside 0..2");
    res = results();
    res.monteCarlo[0].storedPrices.pop_back();
    rejects(res, "stored_prices has 23 values, expected 24");
    res = results();
    res.monteCarlo[0].storedRates.clear();
    rejects(res, "both present or both absent");
    res = results();
    res.monteCarlo[0].strategies[1].paths.cagr.conservativeResize(3);
    rejects(res, "strategy 'mix': cagr has 3 values, expected 4");
    res = results();
    res.monteCarlo[0].strategies[0].paths.checkpointWealth = Vector();
    rejects(res, "checkpoint_wealth has 0 values, expected 4");
    res = results();
    res.monteCarlo[0].strategies[0].equityBands.conservativeResize(3, 2);
    rejects(res, "equity_bands is 3 x 2");
    res = results();
    res.monteCarlo[0].strategies[2].name = "hold";
    rejects(res, "duplicate strategy name 'hold'");
    res = results();
    res.monteCarlo[0].checkpointDay = 3;
    rejects(res, "checkpoint day 3");
    res = results();
    res.monteCarlo[0].realised->cashRate.conservativeResize(1);
    rejects(res, "realised cash_rate has 1 values");
}

// ---- the documented h5py + pandas snippet for Monte Carlo --------------------------------------

// A streamed scenario of 300,001 paths (37 chunks of 8,192 values, the last one short) read back
// a chunk at a time: the column summaries over the file equal the sort-based ones over the same
// values held in memory, bit for bit, with a selection budget that forces several passes.
TEST(Hdf5WriterMc, StreamedColumnsReadBackInChunksGiveTheSortBasedSummaries) {
    const std::size_t P = 300001;
    McScenarioRun shape;
    shape.name = "many_chunks";
    shape.dates = threeDays();
    shape.paths = P;
    shape.percentiles = {5, 50, 95};
    shape.regimeNames = {"base"};
    shape.strategies.resize(1);
    shape.strategies[0].name = "hold";

    std::mt19937_64 rng(99);
    std::normal_distribution<double> z(0.04, 0.2);
    PathMetrics all;
    for (Vector* v : all.columns(false)) v->resize(static_cast<Index>(P));
    for (Index i = 0; i < static_cast<Index>(P); ++i) {
        const double w = std::exp(z(rng));
        all.terminalWealth(i) = i % 5 == 0 ? std::round(w * 100.0) / 100.0 : w;  // ties
        all.cagr(i) = i % 1009 == 3 ? kNaN : all.terminalWealth(i) - 1.0;
        all.volatility(i) = all.sharpe(i) = all.turnover(i) = 0.0;
        all.maxDrawdown(i) = std::abs(z(rng));
    }
    ResultsWriter w(test::scratchDir("hdf5_mc_many_chunks") + "/out.h5");
    w.beginMonteCarloPaths(shape);
    for (std::size_t first = 0; first < P; first += 10000) {  // blocks across chunk boundaries
        const std::size_t n = std::min<std::size_t>(10000, P - first);
        McScenarioRun block;
        block.regimeOfPath.assign(n, 0);
        block.strategies.resize(1);
        const auto from = std::as_const(all).columns(false);
        const auto to = block.strategies[0].paths.columns(false);
        for (std::size_t c = 0; c < from.size(); ++c)
            *to[c] = from[c]->segment(static_cast<Index>(first), static_cast<Index>(n));
        w.writeMonteCarloPaths(first, block);
    }
    const auto column = [&w](McPathSink::Column c) {
        return ColumnReader([&w, c](const ColumnBlock& b) { w.readMonteCarloPaths(0, c, b); });
    };
    const std::vector<double> levels = {5, 50, 95};
    const DistributionSummary want = summarizeWealth(all.terminalWealth, nullptr, levels);
    const DistributionSummary got = summarizeWealthColumn(
        column(McPathSink::Column::TerminalWealth), nullptr, levels, 4000);
    const auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    EXPECT_TRUE(same(got.mean, want.mean));
    EXPECT_TRUE(same(got.stdev, want.stdev));
    for (std::size_t k = 0; k < levels.size(); ++k)
        EXPECT_TRUE(same(got.percentiles[k], want.percentiles[k])) << levels[k];
    EXPECT_TRUE(same(got.probLoss, want.probLoss));
    EXPECT_TRUE(std::isnan(got.probBeatBenchmark));
    EXPECT_TRUE(same(got.var95, want.var95));
    EXPECT_TRUE(same(got.cvar95, want.cvar95));
    const PathMetricsSummary wantPaths = summarizePathMetrics(all);
    PathMetricsSummary gotPaths;
    summarizeCagrColumn(column(McPathSink::Column::Cagr), gotPaths, 4000);
    EXPECT_TRUE(same(gotPaths.medianCagr, wantPaths.medianCagr));
    EXPECT_TRUE(same(gotPaths.p05Cagr, wantPaths.p05Cagr));
    EXPECT_TRUE(same(gotPaths.p95Cagr, wantPaths.p95Cagr));
    ColumnSelection dd(column(McPathSink::Column::MaxDrawdown), 4000);
    EXPECT_TRUE(same(percentilesOfColumn(dd, {50.0})[0], wantPaths.medianMaxDrawdown));
    EXPECT_GT(dd.passes(), 2u);
    EXPECT_LE(dd.mostHeld(), 4000u);
}

TEST(Hdf5WriterMc, DocumentedPythonSnippetReadsSummaryAndBands) {
    if (const std::string why = test::pythonUnavailable(); !why.empty()) GTEST_SKIP() << why;
    const std::string snippet = test::resultsFormatSnippet("## Monte Carlo scenarios");
    ASSERT_FALSE(snippet.empty()) << "no ```python block in the Monte Carlo section";

    const std::string dir = test::scratchDir("hdf5_mc_python");
    const std::string h5 = dir + "/out.h5";
    writeResultsHdf5(results(), h5);
    const std::string script = dir + "/snippet.py";
    std::ofstream(script) << snippet << R"(
print("CHECK rows", len(summary))
print("CHECK strategy", "|".join(summary.strategy))
print("CHECK status", "|".join(summary.status))
print("CHECK picked", row.strategy)
print("CHECK bcols", "|".join(bands.columns))
print("CHECK bdates", "|".join(d.strftime("%Y-%m-%d") for d in bands.index))
print("CHECK bands", "|".join(repr(float(x)) for x in bands.values.ravel()))
print("CHECK wealth", "|".join(repr(float(x)) for x in wealth.values))
print("CHECK p50", repr(float(summary.p50[1])))
print("CHECK failed_nan", bool(summary[summary.status == "failed"][["mean", "var95", "cvar95"]].isna().all().all()))
)";
    const test::PythonRun py = test::runPython(script, h5);
    ASSERT_EQ(py.status, 0) << py.output;
    std::map<std::string, std::string> checks = py.checks;  // a missing check reads as ""
    auto parse = [](const std::string& joined) {
        std::vector<double> v;
        std::istringstream in(joined);
        for (std::string item; std::getline(in, item, '|');)
            v.push_back(std::strtod(item.c_str(), nullptr));
        return v;
    };
    EXPECT_EQ(checks["rows"], "3");
    EXPECT_EQ(checks["strategy"], "hold|mix|broken");
    EXPECT_EQ(checks["status"], "ok|ok|failed");
    EXPECT_EQ(checks["picked"], "hold");
    EXPECT_EQ(checks["bcols"], "p2.5|p50|p95");
    EXPECT_EQ(checks["bdates"], "2025-01-02|2025-01-03|2025-01-06");
    EXPECT_EQ(parse(checks["bands"]),
              (std::vector<double>{0.99, 1.0, 1.01, 0.97, 1.01, 1.04, 0.951, 1.06, 1.27}));
    EXPECT_EQ(parse(checks["wealth"]), (std::vector<double>{1.10, 0.95, 1.02, 1.30}));
    EXPECT_EQ(parse(checks["p50"]), std::vector<double>{1.045});
    EXPECT_EQ(checks["failed_nan"], "True");
}

}  // namespace hdf5_writer_mc_test
}  // namespace
}  // namespace rotor
