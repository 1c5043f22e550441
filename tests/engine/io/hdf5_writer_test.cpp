// SPDX-License-Identifier: MIT
// The results file: every value written is read back through the HDF5 C API and compared with
// the hand-built input; the h5py/pandas snippet in docs/results-format.md is run on it.
#include "engine/io/hdf5_writer.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/metrics/metrics.hpp"
#include "tests/engine/io/expect_rejected.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/engine/io/python_snippet.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace rotor {
namespace {
namespace hdf5_writer_test {

using test::H5Reader;

// 5 trading days, 2 assets, one strategy that ran and one that failed.
RunResults sampleResults() {
    RunResults res;
    Provenance& p = res.provenance;
    p.rotorVersion = "0.1.0";
    p.gitCommit = "abc1234-dirty";
    p.createdUtc = "2026-11-24T13:45:00Z";
    p.commandLine = "rotor run scenarios/base.yaml -o out.h5";
    p.scenarioFile = "scenarios/base.yaml";
    p.scenarioYaml = "name: base\n# comment kept verbatim\nstrategies: []\n";
    p.resolvedYaml = "name: base\nstrategies: []\nbacktest:\n  initial_capital: 100\n";
    p.dataFiles = {{"data/adj_etf/SPY.csv", std::string(64, 'a')},
                   {"data/rates/DFF.csv", std::string(63, '0') + "1"}};
    p.seed = 18446744073709551557ULL;  // largest 64-bit prime: needs all 64 bits

    ScenarioRun s;
    s.name = "base";
    s.description = "two-asset check";
    s.mode = "historical";
    s.assets = {"SPY", "IEF"};
    s.dates = {Date::fromYmd(2024, 1, 2), Date::fromYmd(2024, 1, 3), Date::fromYmd(2024, 1, 4),
               Date::fromYmd(2024, 1, 5), Date::fromYmd(2024, 1, 8)};
    s.cashRate = Vector(5);
    s.cashRate << 5.33, 5.33, 5.32, 5.32, 5.31;
    s.benchmark = "sixty_forty";
    s.initialCapital = 100.0;

    StrategyRun ok;
    ok.name = "sixty_forty";
    ok.type = "fixed_mix";
    ok.equity = Vector(5);
    ok.equity << 100.0, 101.0, 100.5, 102.0, 101.5;
    ok.returns = Vector(5);
    // r(t) = E(t)/E(t-1) - 1: 101/100-1 = 0.01, 100.5/101-1, 102/100.5-1, 101.5/102-1
    ok.returns << 0.0, 0.01, 100.5 / 101.0 - 1.0, 102.0 / 100.5 - 1.0, 101.5 / 102.0 - 1.0;
    ok.weights = PriceMatrix(5, 2);
    ok.weights << 0.60, 0.40, 0.61, 0.39, 0.595, 0.405, 0.62, 0.38, 0.6, 0.4;
    ok.trades = {Trade{0, 0, 0.127, 472.65, 60.02655, 0.03, 0.006},
                 Trade{0, 1, 0.4109, 97.2, 39.93948, 0.02, 0.004},
                 Trade{3, 0, -0.004, 480.0, 1.92, 0.001, 0.0002}};
    Metrics& m = ok.metrics;  // distinct values so any mix-up of columns shows
    m.totalReturn = 0.015;
    m.cagr = 1.1;
    m.volatility = 0.12;
    m.sharpe = 1.3;
    m.sortino = 1.7;
    m.maxDrawdown = Drawdown{0.0049504950495049506, 1, 2, 3};
    m.calmar = 2.2;
    m.turnover = 0.9;
    m.totalCosts = 0.0602;
    m.rebalances = 2;
    m.beta = 0.8;
    m.alpha = 0.011;
    m.trackingError = 0.031;
    m.informationRatio = 0.35;

    StrategyRun failed;
    failed.name = "broken";
    failed.type = "momentum";
    failed.ok = false;
    failed.error = "lookback 300 exceeds the 5 days of the scenario";

    s.strategies = {ok, failed};
    res.scenarios = {s};
    return res;
}

const std::string kOk = "/scenarios/base/strategies/sixty_forty";
const std::string kFailed = "/scenarios/base/strategies/broken";

std::vector<double> toStd(const Vector& v) {
    return std::vector<double>(v.data(), v.data() + v.size());
}

TEST(Hdf5Writer, RootAttributesAndProvenance) {
    const RunResults res = sampleResults();
    const std::string path = test::scratchDir("hdf5_writer_prov") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    EXPECT_EQ(r.attrString("/", "format"), "rotor-results");
    EXPECT_EQ(r.attrInt64("/", "format_version"), 1);
    EXPECT_EQ(r.attrString("/", "rotor_version"), "0.1.0");
    EXPECT_EQ(r.attrString("/", "git_commit"), "abc1234-dirty");
    EXPECT_EQ(r.attrString("/", "created_utc"), "2026-11-24T13:45:00Z");
    EXPECT_EQ(r.attrString("/", "command_line"), "rotor run scenarios/base.yaml -o out.h5");
    EXPECT_EQ(r.attrString("/", "scenario_file"), "scenarios/base.yaml");
    EXPECT_EQ(r.attrUInt64("/", "seed"), 18446744073709551557ULL);
    EXPECT_EQ(r.attrNames("/"),
              (std::vector<std::string>{"command_line", "created_utc", "format", "format_version",
                                        "git_commit", "rotor_version", "scenario_file", "seed"}));

    EXPECT_EQ(r.string("/provenance/scenario_yaml"), res.provenance.scenarioYaml);
    EXPECT_EQ(r.string("/provenance/resolved_yaml"), res.provenance.resolvedYaml);
    EXPECT_EQ(r.fields("/provenance/data_files"), (std::vector<std::string>{"path", "sha256"}));
    EXPECT_EQ(r.columnStrings("/provenance/data_files", "path"),
              (std::vector<std::string>{"data/adj_etf/SPY.csv", "data/rates/DFF.csv"}));
    EXPECT_EQ(r.columnStringWidth("/provenance/data_files", "sha256"), 64u);
    EXPECT_EQ(r.columnStrings("/provenance/data_files", "sha256"),
              (std::vector<std::string>{std::string(64, 'a'), std::string(63, '0') + "1"}));
}

TEST(Hdf5Writer, ScenarioGroup) {
    const RunResults res = sampleResults();
    const std::string path = test::scratchDir("hdf5_writer_scenario") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    const std::string s = "/scenarios/base";
    EXPECT_EQ(r.attrString(s, "name"), "base");
    EXPECT_EQ(r.attrString(s, "description"), "two-asset check");
    EXPECT_EQ(r.attrString(s, "mode"), "historical");
    EXPECT_EQ(r.attrString(s, "benchmark"), "sixty_forty");
    EXPECT_EQ(r.attrDouble(s, "initial_capital"), 100.0);
    EXPECT_FALSE(r.isVariableString(s + "/dates"));
    EXPECT_EQ(r.typeSize(s + "/dates"), 10u);
    EXPECT_EQ(r.strings(s + "/dates"),
              (std::vector<std::string>{"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
                                        "2024-01-08"}));
    EXPECT_EQ(r.strings(s + "/assets"), (std::vector<std::string>{"SPY", "IEF"}));
    EXPECT_EQ(r.typeClass(s + "/cash_rate"), H5T_FLOAT);
    EXPECT_EQ(r.doubles(s + "/cash_rate"), (std::vector<double>{5.33, 5.33, 5.32, 5.32, 5.31}));
}

TEST(Hdf5Writer, SuccessfulStrategyGroup) {
    const RunResults res = sampleResults();
    const StrategyRun& run = res.scenarios[0].strategies[0];
    const std::string path = test::scratchDir("hdf5_writer_ok") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    EXPECT_EQ(r.attrString(kOk, "name"), "sixty_forty");
    EXPECT_EQ(r.attrString(kOk, "type"), "fixed_mix");
    EXPECT_EQ(r.attrString(kOk, "status"), "ok");
    EXPECT_EQ(r.attrString(kOk, "error"), "");
    EXPECT_EQ(r.doubles(kOk + "/equity"), (std::vector<double>{100.0, 101.0, 100.5, 102.0, 101.5}));
    EXPECT_EQ(r.doubles(kOk + "/returns"), toStd(run.returns));
    EXPECT_EQ(r.dims(kOk + "/weights"), (std::vector<hsize_t>{5, 2}));
    // Row-major T x N: day 0 (SPY, IEF), day 1 (SPY, IEF), ...
    EXPECT_EQ(r.doubles(kOk + "/weights"),
              (std::vector<double>{0.60, 0.40, 0.61, 0.39, 0.595, 0.405, 0.62, 0.38, 0.6, 0.4}));
    EXPECT_EQ(r.attrStrings(kOk + "/weights", "columns"), (std::vector<std::string>{"SPY", "IEF"}));
    EXPECT_FALSE(r.isCompressed(kOk + "/weights"));  // history series: contiguous, uncompressed

    const std::string t = kOk + "/trades";
    EXPECT_EQ(r.fields(t), (std::vector<std::string>{"date", "asset", "quantity", "price",
                                                     "notional", "commission", "slippage"}));
    EXPECT_EQ(r.columnStrings(t, "date"),
              (std::vector<std::string>{"2024-01-02", "2024-01-02", "2024-01-05"}));
    EXPECT_EQ(r.columnStrings(t, "asset"), (std::vector<std::string>{"SPY", "IEF", "SPY"}));
    EXPECT_EQ(r.columnDoubles(t, "quantity"), (std::vector<double>{0.127, 0.4109, -0.004}));
    EXPECT_EQ(r.columnDoubles(t, "price"), (std::vector<double>{472.65, 97.2, 480.0}));
    EXPECT_EQ(r.columnDoubles(t, "notional"), (std::vector<double>{60.02655, 39.93948, 1.92}));
    EXPECT_EQ(r.columnDoubles(t, "commission"), (std::vector<double>{0.03, 0.02, 0.001}));
    EXPECT_EQ(r.columnDoubles(t, "slippage"), (std::vector<double>{0.006, 0.004, 0.0002}));
}

// The metric columns are whatever rotor::metricNames() lists, holding metricValues() of the run.
TEST(Hdf5Writer, MetricsTableHasOneRowPerStrategy) {
    const RunResults res = sampleResults();
    const std::string path = test::scratchDir("hdf5_writer_metrics") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);

    const std::vector<std::string> names = metricNames();
    const std::vector<double> values = metricValues(res.scenarios[0].strategies[0].metrics);
    ASSERT_EQ(names.size(), values.size());
    std::vector<std::string> expectedFields = {"scenario", "strategy", "type", "status"};
    expectedFields.insert(expectedFields.end(), names.begin(), names.end());
    for (const char* f : {"peak_date", "trough_date", "recovery_date", "group"})
        expectedFields.push_back(f);

    for (const std::string& table : {std::string("/metrics"), kOk + "/metrics"}) {
        SCOPED_TRACE(table);
        EXPECT_EQ(r.fields(table), expectedFields);
    }
    EXPECT_EQ(r.dims("/metrics"), (std::vector<hsize_t>{2}));
    EXPECT_EQ(r.columnStrings("/metrics", "scenario"), (std::vector<std::string>{"base", "base"}));
    EXPECT_EQ(r.columnStrings("/metrics", "strategy"),
              (std::vector<std::string>{"sixty_forty", "broken"}));
    EXPECT_EQ(r.columnStrings("/metrics", "type"),
              (std::vector<std::string>{"fixed_mix", "momentum"}));
    EXPECT_EQ(r.columnStrings("/metrics", "status"), (std::vector<std::string>{"ok", "failed"}));
    for (std::size_t i = 0; i < names.size(); ++i) {
        SCOPED_TRACE(names[i]);
        const auto col = r.columnDoubles("/metrics", names[i]);
        ASSERT_EQ(col.size(), 2u);
        EXPECT_EQ(col[0], values[i]);
        EXPECT_TRUE(std::isnan(col[1]));  // failed run: NaN, never a made-up 0
        EXPECT_EQ(r.columnDoubles(kOk + "/metrics", names[i]), std::vector<double>{values[i]});
    }
    // Drawdown day indices 1, 2, 3 of the dates 2024-01-02, -03, -04, -05, -08.
    EXPECT_EQ(r.columnStrings("/metrics", "peak_date"),
              (std::vector<std::string>{"2024-01-03", ""}));
    EXPECT_EQ(r.columnStrings("/metrics", "trough_date"),
              (std::vector<std::string>{"2024-01-04", ""}));
    EXPECT_EQ(r.columnStrings("/metrics", "recovery_date"),
              (std::vector<std::string>{"2024-01-05", ""}));
    EXPECT_EQ(r.columnStrings("/metrics", "group"), (std::vector<std::string>{kOk, kFailed}));
    EXPECT_EQ(r.columnStrings(kOk + "/metrics", "peak_date"),
              std::vector<std::string>{"2024-01-03"});
}

TEST(Hdf5Writer, NeverRecoveredDrawdownHasEmptyRecoveryDate) {
    RunResults res = sampleResults();
    res.scenarios[0].strategies[0].metrics.maxDrawdown = Drawdown{0.1, 0, 4, -1};
    const std::string path = test::scratchDir("hdf5_writer_norecovery") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    EXPECT_EQ(r.columnStrings("/metrics", "peak_date")[0], "2024-01-02");
    EXPECT_EQ(r.columnStrings("/metrics", "trough_date")[0], "2024-01-08");
    EXPECT_EQ(r.columnStrings("/metrics", "recovery_date")[0], "");
}

TEST(Hdf5Writer, FailedStrategyKeepsItsGroupAndError) {
    const RunResults res = sampleResults();
    const std::string path = test::scratchDir("hdf5_writer_failed") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    ASSERT_TRUE(r.exists(kFailed));
    EXPECT_EQ(r.attrString(kFailed, "name"), "broken");
    EXPECT_EQ(r.attrString(kFailed, "type"), "momentum");
    EXPECT_EQ(r.attrString(kFailed, "status"), "failed");
    EXPECT_EQ(r.attrString(kFailed, "error"), "lookback 300 exceeds the 5 days of the scenario");
    for (const char* ds : {"equity", "returns", "weights", "trades", "metrics"})
        EXPECT_FALSE(r.exists(kFailed + "/" + ds)) << ds;
}

TEST(Hdf5Writer, NoTradesGivesAnEmptyTable) {
    RunResults res = sampleResults();
    res.scenarios[0].strategies[0].trades.clear();
    const std::string path = test::scratchDir("hdf5_writer_notrades") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    EXPECT_EQ(r.dims(kOk + "/trades"), (std::vector<hsize_t>{0}));
    EXPECT_EQ(r.fields(kOk + "/trades").size(), 7u);
}

TEST(Hdf5Writer, GroupNamesAreEscaped) {
    EXPECT_EQ(hdf5GroupName("momentum"), "momentum");
    EXPECT_EQ(hdf5GroupName("60/40"), "60%2F40");
    EXPECT_EQ(hdf5GroupName("100%/x"), "100%25%2Fx");
    EXPECT_EQ(hdf5GroupName("."), "%2E");
    EXPECT_EQ(hdf5GroupName(".."), "..");  // an ordinary name to HDF5

    RunResults res = sampleResults();
    res.scenarios[0].name = "rates/up 2%";
    res.scenarios[0].strategies[0].name = "60/40";
    res.scenarios[0].strategies[1].name = ".";
    const std::string path = test::scratchDir("hdf5_writer_escape") + "/out.h5";
    writeResultsHdf5(res, path);
    H5Reader r(path);
    const std::string s = "/scenarios/rates%2Fup 2%25";
    EXPECT_EQ(r.attrString(s, "name"), "rates/up 2%");
    EXPECT_EQ(r.attrString(s + "/strategies/60%2F40", "name"), "60/40");
    EXPECT_EQ(r.attrString(s + "/strategies/%2E", "name"), ".");
    EXPECT_EQ(r.columnStrings("/metrics", "scenario"),
              (std::vector<std::string>{"rates/up 2%", "rates/up 2%"}));
    EXPECT_EQ(r.columnStrings("/metrics", "strategy"), (std::vector<std::string>{"60/40", "."}));
    EXPECT_EQ(r.columnStrings("/metrics", "group"),
              (std::vector<std::string>{s + "/strategies/60%2F40", s + "/strategies/%2E"}));
}

TEST(Hdf5Writer, InconsistentResultsAreRejectedBeforeTheFileIsCreated) {
    const std::string dir = test::scratchDir("hdf5_writer_invalid");
    auto rejects = [&](const RunResults& res, const std::string& needle) {
        test::expectRejectedBeforeTheFileIsCreated(res, dir + "/out.h5", needle);
    };
    RunResults res = sampleResults();
    res.scenarios[0].strategies[0].equity.conservativeResize(4);
    rejects(res, "equity has 4 values for 5 dates");
    res = sampleResults();
    res.scenarios[0].strategies[0].weights.conservativeResize(5, 3);
    rejects(res, "weights is 5 x 3, expected 5 x 2");
    res = sampleResults();
    res.scenarios[0].strategies[0].trades[1].asset = 2;
    rejects(res, "asset 2");
    res = sampleResults();
    res.scenarios[0].strategies[0].metrics.maxDrawdown.trough = 5;
    rejects(res, "drawdown trough day 5");
    res = sampleResults();
    res.scenarios[0].strategies[1].name = "sixty_forty";
    rejects(res, "duplicate strategy name 'sixty_forty'");
    res = sampleResults();
    res.scenarios[0].cashRate.conservativeResize(3);
    rejects(res, "cash_rate has 3 values");
}

TEST(ResultsWriter, StrategiesWrittenInAnyOrderGiveTheDeclaredOrder) {
    // The failed strategy first (as a benchmark-first run may finish them): /metrics still
    // lists the strategies as the scenario declares them, with the same values as a one-shot
    // write.
    const RunResults res = sampleResults();
    const std::string dir = test::scratchDir("results_writer_order");
    {
        ResultsWriter w(dir + "/streamed.h5");
        w.beginScenario(res.scenarios[0]);
        w.addStrategy(res.scenarios[0], 1);
        w.addStrategy(res.scenarios[0], 0);
        w.finish(res.provenance);
    }
    writeResultsHdf5(res, dir + "/oneshot.h5");
    H5Reader streamed(dir + "/streamed.h5");
    H5Reader oneshot(dir + "/oneshot.h5");
    EXPECT_EQ(streamed.columnStrings("/metrics", "strategy"),
              (std::vector<std::string>{"sixty_forty", "broken"}));
    EXPECT_EQ(streamed.columnStrings("/metrics", "group"),
              (std::vector<std::string>{kOk, kFailed}));
    for (const auto& name : metricNames()) {
        const auto a = streamed.columnDoubles("/metrics", name);
        const auto b = oneshot.columnDoubles("/metrics", name);
        ASSERT_EQ(a.size(), 2u) << name;
        EXPECT_EQ(a[0], b[0]) << name;
        EXPECT_TRUE(std::isnan(a[1]) && std::isnan(b[1])) << name;  // the failed run
    }
    EXPECT_EQ(streamed.doubles(kOk + "/equity"),
              (std::vector<double>{100.0, 101.0, 100.5, 102.0, 101.5}));
    EXPECT_EQ(streamed.doubles(kOk + "/weights"), oneshot.doubles(kOk + "/weights"));
    EXPECT_EQ(streamed.attrString(kFailed, "error"),
              "lookback 300 exceeds the 5 days of the scenario");
    EXPECT_EQ(streamed.columnStrings("/provenance/data_files", "path"),
              (std::vector<std::string>{"data/adj_etf/SPY.csv", "data/rates/DFF.csv"}));
}

TEST(Hdf5Writer, SweepValuesAreScenarioAttributes) {
    RunResults res = sampleResults();
    const std::string dir = test::scratchDir("hdf5_writer_sweep");
    writeResultsHdf5(res, dir + "/plain.h5");
    res.scenarios[0].sweep = {{"strategies[name=sixty_forty].lookback", "lookback", "63"},
                              {"costs.slippage_bps", "slippage_bps", "2.5"}};
    writeResultsHdf5(res, dir + "/sweep.h5");
    H5Reader plain(dir + "/plain.h5");
    H5Reader sweep(dir + "/sweep.h5");
    const std::string s = "/scenarios/base";
    // Outside a sweep the group has only its five attributes.
    EXPECT_EQ(plain.attrNames(s), (std::vector<std::string>{"benchmark", "description",
                                                            "initial_capital", "mode", "name"}));
    EXPECT_EQ(sweep.attrStrings(s, "sweep_keys"),
              (std::vector<std::string>{"strategies[name=sixty_forty].lookback",
                                        "costs.slippage_bps"}));
    EXPECT_EQ(sweep.attrStrings(s, "sweep_labels"),
              (std::vector<std::string>{"lookback", "slippage_bps"}));
    EXPECT_EQ(sweep.attrStrings(s, "sweep_values"), (std::vector<std::string>{"63", "2.5"}));
    // Every dataset is unchanged by the attributes.
    EXPECT_EQ(sweep.doubles(kOk + "/equity"), plain.doubles(kOk + "/equity"));
    EXPECT_EQ(sweep.strings(s + "/dates"), plain.strings(s + "/dates"));
    EXPECT_EQ(sweep.columnStrings("/metrics", "scenario"),
              plain.columnStrings("/metrics", "scenario"));
}

TEST(ResultsWriter, InMemoryFileHoldsWhatTheDiskFileHolds) {
    const RunResults res = sampleResults();
    const std::string dir = test::scratchDir("results_writer_memory");
    writeResultsHdf5(res, dir + "/disk.h5");
    std::vector<char> image;
    {
        ResultsWriter w(ResultsWriter::InMemory{"memory"});
        w.beginScenario(res.scenarios[0]);
        w.addStrategy(res.scenarios[0], 0);
        w.addStrategy(res.scenarios[0], 1);
        w.finish(res.provenance);
        image = w.takeImage();
        EXPECT_TRUE(w.takeImage().empty());  // handed over once
    }
    ASSERT_GT(image.size(), 1000u);
    // The bytes are a complete HDF5 file: written out, the independent reader opens them.
    {
        std::ofstream out(dir + "/image.h5", std::ios::binary);
        out.write(image.data(), static_cast<std::streamsize>(image.size()));
    }
    H5Reader disk(dir + "/disk.h5");
    H5Reader mem(dir + "/image.h5");
    EXPECT_EQ(mem.attrNames("/"), disk.attrNames("/"));
    EXPECT_EQ(mem.attrUInt64("/", "seed"), 18446744073709551557ULL);
    EXPECT_EQ(mem.doubles(kOk + "/equity"),
              (std::vector<double>{100.0, 101.0, 100.5, 102.0, 101.5}));
    EXPECT_EQ(mem.doubles(kOk + "/weights"), disk.doubles(kOk + "/weights"));
    EXPECT_EQ(mem.columnDoubles(kOk + "/trades", "notional"),
              disk.columnDoubles(kOk + "/trades", "notional"));
    EXPECT_EQ(mem.fields("/metrics"), disk.fields("/metrics"));
    EXPECT_EQ(mem.columnStrings("/metrics", "group"), disk.columnStrings("/metrics", "group"));
    EXPECT_EQ(mem.attrString(kFailed, "error"), "lookback 300 exceeds the 5 days of the scenario");
    EXPECT_EQ(mem.string("/provenance/scenario_yaml"), res.provenance.scenarioYaml);
    // Nothing reached the disk under the driver's internal names.
    for (const auto& e : std::filesystem::directory_iterator("."))
        EXPECT_EQ(e.path().filename().string().rfind("rotor-memory-", 0), std::string::npos)
            << e.path();
}

TEST(ResultsWriter, MisuseIsReportedNotWritten) {
    const RunResults res = sampleResults();
    const ScenarioRun& s = res.scenarios[0];
    const std::string dir = test::scratchDir("results_writer_misuse");
    auto message = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const Error& e) {
            return e.what();
        }
        return "(no error)";
    };
    {
        ResultsWriter w(dir + "/a.h5");
        EXPECT_NE(message([&] { w.addStrategy(s, 0); }).find("before beginScenario"),
                  std::string::npos);
        w.beginScenario(s);
        EXPECT_NE(message([&] { w.beginScenario(s); }).find("duplicate scenario name 'base'"),
                  std::string::npos);
        w.addStrategy(s, 0);
        EXPECT_NE(message([&] { w.addStrategy(s, 0); }).find("written twice"), std::string::npos);
        EXPECT_NE(message([&] { w.addStrategy(s, 2); }).find("out of range"), std::string::npos);
        // Strategy 1 never added: finish names it.
        EXPECT_NE(message([&] { w.finish(res.provenance); }).find("strategy 1 was never written"),
                  std::string::npos);
    }
    {
        RunResults bad = sampleResults();
        bad.scenarios[0].strategies[0].equity.conservativeResize(4);
        ResultsWriter w(dir + "/b.h5");
        w.beginScenario(bad.scenarios[0]);
        EXPECT_NE(message([&] {
                      w.addStrategy(bad.scenarios[0], 0);
                  }).find("equity has 4 values for 5 dates"),
                  std::string::npos);
    }
}

TEST(Hdf5Writer, FailedWriteInsideAtomicOutputKeepsTheEarlierFile) {
    const std::string dir = test::scratchDir("hdf5_writer_atomic");
    const std::string path = dir + "/out.h5";
    {
        AtomicOutput out(path, false);
        writeResultsHdf5(sampleResults(), out.tempPath());
        out.commit();
    }
    std::ifstream before(path, std::ios::binary);
    const std::string earlier((std::istreambuf_iterator<char>(before)),
                              std::istreambuf_iterator<char>());
    RunResults bad = sampleResults();
    bad.scenarios[0].strategies[0].returns.conservativeResize(2);
    try {
        AtomicOutput out(path, true);
        writeResultsHdf5(bad, out.tempPath());
        out.commit();
        ADD_FAILURE() << "inconsistent results were written";
    } catch (const Error&) {
    }
    std::ifstream after(path, std::ios::binary);
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(after)),
                          std::istreambuf_iterator<char>()),
              earlier);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                            std::filesystem::directory_iterator()),
              1);
}

// ---- the documented h5py + pandas snippet ------------------------------------------------------

TEST(Hdf5Writer, DocumentedPythonSnippetLoadsTheFile) {
    if (const std::string why = test::pythonUnavailable(); !why.empty()) GTEST_SKIP() << why;

    const std::string snippet = test::resultsFormatSnippet();
    ASSERT_FALSE(snippet.empty()) << "no ```python block in docs/results-format.md";

    const std::string dir = test::scratchDir("hdf5_writer_python");
    const std::string h5 = dir + "/out.h5";
    const RunResults res = sampleResults();
    writeResultsHdf5(res, h5);

    // The snippet verbatim, then lines that print what it built in an exactly parseable form.
    const std::string script = dir + "/snippet.py";
    std::ofstream(script) << snippet << R"(
print("CHECK rows", len(metrics))
print("CHECK strategy", "|".join(metrics.strategy))
print("CHECK status", "|".join(metrics.status))
print("CHECK failed_nan", bool(metrics[metrics.status == "failed"].select_dtypes("number").isna().all().all()))
print("CHECK picked", row.strategy)
print("CHECK dates", "|".join(d.strftime("%Y-%m-%d") for d in equity.index))
print("CHECK equity", "|".join(repr(float(x)) for x in equity.values))
print("CHECK wcols", "|".join(weights.columns))
print("CHECK wdates", bool((weights.index == equity.index).all()))
print("CHECK weights", "|".join(repr(float(x)) for x in weights.values.ravel()))
)";
    const test::PythonRun py = test::runPython(script, h5);
    ASSERT_EQ(py.status, 0) << py.output;
    std::map<std::string, std::string> checks = py.checks;  // a missing check reads as ""
    EXPECT_EQ(checks["rows"], "2");
    EXPECT_EQ(checks["strategy"], "sixty_forty|broken");
    EXPECT_EQ(checks["status"], "ok|failed");
    EXPECT_EQ(checks["failed_nan"], "True");
    EXPECT_EQ(checks["picked"], "sixty_forty");
    EXPECT_EQ(checks["dates"], "2024-01-02|2024-01-03|2024-01-04|2024-01-05|2024-01-08");
    EXPECT_EQ(checks["wcols"], "SPY|IEF");
    EXPECT_EQ(checks["wdates"], "True");

    // Python's repr is the shortest round-tripping decimal, so strtod recovers the exact double.
    auto parse = [](const std::string& joined) {
        std::vector<double> v;
        std::istringstream in(joined);
        for (std::string item; std::getline(in, item, '|');)
            v.push_back(std::strtod(item.c_str(), nullptr));
        return v;
    };
    EXPECT_EQ(parse(checks["equity"]), (std::vector<double>{100.0, 101.0, 100.5, 102.0, 101.5}));
    EXPECT_EQ(parse(checks["weights"]),
              (std::vector<double>{0.60, 0.40, 0.61, 0.39, 0.595, 0.405, 0.62, 0.38, 0.6, 0.4}));
}

}  // namespace hdf5_writer_test
}  // namespace
}  // namespace rotor
