// SPDX-License-Identifier: MIT
// The `rotor` binary on a small forward (Monte Carlo) scenario written by the test: exit codes,
// determinism across thread counts, forecast against outcome (the realised replay equals the
// hand computation, and the simulation never reads data dated after the start).
#include "engine/calendar/nyse_calendar.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace forward_cli_test {

// The exit code, and stdout in `out` when given.
int runCli(const std::string& args, const std::string& dir, std::string* out = nullptr) {
    const test::CliResult r = test::rotorCli(args, dir);
    if (out) *out = r.out;
    return r.code;
}

// AAA grows 0.05% a day, BBB oscillates; both on every NYSE day of 2025-01-02 .. `last`.
// The rate file is flat at 4.0 until `last`.
void writeData(const std::string& dir, Date last) {
    const auto days = nyseTradingDays(Date::fromYmd(2025, 1, 2), last);
    std::ofstream a(dir + "/AAA.csv"), b(dir + "/BBB.csv"), r(dir + "/rate.csv");
    a << "date,adj_close\n";
    b << "date,adj_close\n";
    r << "date,rate_pct\n";
    a.precision(17);  // round-trips every double, so the test's arithmetic sees the same prices
    b.precision(17);
    for (std::size_t t = 0; t < days.size(); ++t) {
        a << days[t].iso() << ',' << 100.0 * std::pow(1.0005, static_cast<double>(t)) << '\n';
        b << days[t].iso() << ',' << 50.0 + 5.0 * std::sin(0.1 * static_cast<double>(t)) << '\n';
        r << days[t].iso() << ",4.0\n";
    }
}

constexpr const char* kScenario = R"(name: fwd
mode: monte_carlo
universe: {assets: [AAA, BBB], prices: "{asset}.csv"}
simulation: {start: 2026-01-02, end: 2026-06-30, paths: 300, seed: 11, chunk: 16}
rate_path: {start: 3.0, steps: [{date: 2026-02-11, bp: -25}], noise: {speed: 1.0, volatility: 0.2}}
model:
  distribution: {student_t: {dof: 6}}
  assets:
    AAA: {idio_vol: 0.20, alpha: 0.05, rate_beta: -0.5}
    BBB: {idio_vol: 0.30, alpha: 0.02}
cash_rate: {series: rate.csv, column: rate_pct}
costs: {commission_bps: 1, slippage_bps: 1}
initial_capital: 10000
benchmark: hold_a
strategies:
  - {name: hold_a, type: buy_and_hold, weights: {AAA: 1.0}}
  - {name: mom, type: relative_momentum, assets: [AAA, BBB], lookback: 40, rebalance: weekly}
)";

class ForwardCli : public ::testing::Test {
protected:
    void SetUp() override {
        full_ = test::scratchDir("forward_cli_full");
        cut_ = test::scratchDir("forward_cli_cut");
        writeData(full_, Date::fromYmd(2026, 3, 31));  // data covers the first quarter of 2026
        writeData(cut_, Date::fromYmd(2026, 1, 2));    // data ends on the start date
        for (const auto& d : {full_, cut_}) std::ofstream(d + "/fwd.yaml") << kScenario;
    }
    std::string full_, cut_;
};

TEST_F(ForwardCli, SimulationNeverReadsDataAfterTheStart) {
    ASSERT_EQ(runCli("run fwd.yaml -o out.h5 --quiet", full_), 0);
    ASSERT_EQ(runCli("run fwd.yaml -o out.h5 --quiet", cut_), 0);
    const test::H5Reader a(full_ + "/out.h5"), b(cut_ + "/out.h5");
    const std::string s = "/scenarios/fwd";
    EXPECT_EQ(a.doubles(s + "/rate_bands"), b.doubles(s + "/rate_bands"));
    for (const char* st : {"hold_a", "mom"}) {
        const std::string g = s + "/strategies/" + st;
        EXPECT_EQ(a.doubles(g + "/paths/terminal_wealth"), b.doubles(g + "/paths/terminal_wealth"))
            << st;
        EXPECT_EQ(a.doubles(g + "/equity_bands"), b.doubles(g + "/equity_bands")) << st;
    }
    // Only the file whose data covers part of the horizon has the realised comparison.
    EXPECT_TRUE(a.exists(s + "/realised"));
    EXPECT_FALSE(b.exists(s + "/realised"));
}

TEST_F(ForwardCli, InterruptedRunLeavesNoTemporaryAndNoResult) {
    // A long run is terminated once its temporary exists (the run writes while it computes):
    // the process dies of the signal and takes its temporary with it. (SIGTERM: a background
    // job of a non-interactive shell ignores SIGINT, and rotor keeps ignored signals ignored.)
    const std::string script = std::string("'") + ROTOR_CLI +
                               "' run fwd.yaml -o big.h5 --paths 5000000 --quiet & pid=$!; "
                               "for i in $(seq 3000); do ls big.h5.tmp.* >/dev/null 2>&1 && break; "
                               "sleep 0.01; done; ls big.h5.tmp.* > seen.txt 2>/dev/null; "
                               "kill -TERM $pid; wait $pid; echo $? > status.txt";
    std::ofstream(full_ + "/interrupt.sh") << script << "\n";
    const test::CliResult r = test::shell("bash interrupt.sh", full_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(test::slurp(full_ + "/seen.txt").find("big.h5.tmp."), std::string::npos);
    EXPECT_EQ(test::slurp(full_ + "/status.txt"), "143\n");  // 128 + SIGTERM
    for (const auto& e : fs::directory_iterator(full_))
        EXPECT_NE(e.path().filename().string().rfind("big.h5", 0), 0u) << e.path();
}

TEST_F(ForwardCli, RealisedBuyAndHoldMatchesTheHandComputation) {
    ASSERT_EQ(runCli("run fwd.yaml -o out.h5 --quiet", full_), 0);
    const test::H5Reader h(full_ + "/out.h5");
    const std::string r = "/scenarios/fwd/realised";
    const auto dates = h.strings(r + "/dates");
    ASSERT_FALSE(dates.empty());
    EXPECT_EQ(dates.front(), "2026-01-02");
    EXPECT_EQ(dates.back(), "2026-03-31");
    // AAA's day index from 2025-01-02: price = 100 * 1.0005^t. Buying on day 0 costs 2 bps.
    const auto all = nyseTradingDays(Date::fromYmd(2025, 1, 2), Date::fromYmd(2026, 3, 31));
    const auto t0 = static_cast<double>(
        std::find(all.begin(), all.end(), Date::fromYmd(2026, 1, 2)) - all.begin());
    const double t1 = static_cast<double>(all.size() - 1);
    const double expected = std::pow(1.0005, t1 - t0) / 1.0002;
    const auto wealth = h.doubles(r + "/strategies/hold_a/wealth");
    EXPECT_NEAR(wealth.back(), expected, 1e-12);
    // Its percentile rank among the paths' wealth on that day (ties count half).
    const auto cp = h.doubles("/scenarios/fwd/strategies/hold_a/paths/checkpoint_wealth");
    double below = 0.0;
    for (double w : cp) below += w < wealth.back() ? 1.0 : (w == wealth.back() ? 0.5 : 0.0);
    EXPECT_NEAR(h.attrDouble(r + "/strategies/hold_a/wealth", "percentile_rank"),
                100.0 * below / static_cast<double>(cp.size()), 1e-9);
}

TEST_F(ForwardCli, RealisedReplayStopsWhereTheCashRateGoesStale) {
    // Prices run to 2026-03-31, the rate only to Friday 2026-02-13: with the 10-day staleness
    // limit it may be used to 2026-02-23, the last NYSE day on or before it (02-16 is a holiday).
    std::ofstream rate(full_ + "/rate.csv", std::ios::trunc);
    rate << "date,rate_pct\n";
    for (Date d : nyseTradingDays(Date::fromYmd(2025, 1, 2), Date::fromYmd(2026, 2, 13)))
        rate << d.iso() << ",4.0\n";
    rate.close();
    const test::CliResult r = test::rotorCli("run fwd.yaml -o stale.h5", full_);
    ASSERT_EQ(r.code, 0) << r.err;
    const test::H5Reader h(full_ + "/stale.h5");
    const std::string g = "/scenarios/fwd/realised";
    const auto dates = h.strings(g + "/dates");
    ASSERT_FALSE(dates.empty());
    EXPECT_EQ(dates.back(), "2026-02-23");
    EXPECT_EQ(h.doubles(g + "/cash_rate").size(), dates.size());
    EXPECT_NE(h.attrString(g, "ended_by").find("rate.csv, rate_pct)"), std::string::npos)
        << h.attrString(g, "ended_by");
    const std::string coverage = h.attrString(g, "coverage");
    EXPECT_NE(coverage.find("last observation 2026-02-13, usable to 2026-02-23"), std::string::npos)
        << coverage;
    EXPECT_NE(coverage.find("AAA: closes to 2026-03-31"), std::string::npos) << coverage;
    EXPECT_EQ(h.attrString(g, "cash_rate_last_observation"), "2026-02-13");
    EXPECT_NE(r.out.find("2026-01-02 .. 2026-02-23 from data/ (ended by cash rate"),
              std::string::npos)
        << r.out;
}

TEST_F(ForwardCli, ReportMarksWhereTheRealisedCashRateDataEnds) {
    // The rate file ends on Friday 2026-02-13; the replay carries it to 2026-02-23.
    std::ofstream rate(full_ + "/rate.csv", std::ios::trunc);
    rate << "date,rate_pct\n";
    for (Date d : nyseTradingDays(Date::fromYmd(2025, 1, 2), Date::fromYmd(2026, 2, 13)))
        rate << d.iso() << ",4.0\n";
    rate.close();
    ASSERT_EQ(runCli("run fwd.yaml -o stale.h5 --quiet", full_), 0);
    ASSERT_EQ(runCli("report stale.h5", full_), 0);
    // The last observation, as the CSV's last row has it.
    std::string csv = test::slurp(full_ + "/rate.csv");
    while (!csv.empty() && csv.back() == '\n') csv.pop_back();
    const std::string lastRow = csv.substr(csv.rfind('\n') + 1);
    const std::string last = lastRow.substr(0, lastRow.find(','));
    ASSERT_EQ(last.size(), 10u) << lastRow;

    const std::string html = test::slurp(full_ + "/stale.html");
    const std::size_t at = html.find("<svg class=\"chart rate\"");
    ASSERT_NE(at, std::string::npos);
    const std::string chart = html.substr(at, html.find("</svg>", at) - at);
    const std::string label = "rate data end " + last;
    ASSERT_NE(chart.find(">" + label + "</text>"), std::string::npos) << chart.substr(0, 2000);
    // Its x: day indices from the start map linearly to x, as the month ticks (first NYSE day of
    // each month) show; the marker sits at the index of the last observation.
    const auto xOfTick = [&](const std::string& text) {
        const std::size_t t = chart.find("\">" + text + "</text>");
        EXPECT_NE(t, std::string::npos) << text;
        const std::size_t x = chart.rfind("class=\"tk xt\" x=\"", t);
        return std::stod(chart.substr(x + 17));
    };
    const auto index = [](Date d) {
        return static_cast<double>(nyseTradingDays(Date::fromYmd(2026, 1, 2), d).size() - 1);
    };
    const auto firstOf = [](int month) {
        return nyseTradingDays(Date::fromYmd(2026, month, 1), Date::fromYmd(2026, month, 10))
            .front();
    };
    const double feb = xOfTick("2026-02"), mar = xOfTick("2026-03");
    const double perDay = (mar - feb) / (index(firstOf(3)) - index(firstOf(2)));
    const double expected = feb + (index(*Date::parseIso(last)) - index(firstOf(2))) * perDay;
    const std::size_t line = chart.find("<line class=\"marker\" x1=\"");
    ASSERT_NE(line, std::string::npos);
    EXPECT_NEAR(std::stod(chart.substr(line + 25)), expected, 0.25);  // x rounded to 0.1
    EXPECT_NE(html.find("observed to " + last), std::string::npos);
}

TEST_F(ForwardCli, BitIdenticalForAnyThreadCountAndPathOverrides) {
    ASSERT_EQ(runCli("run fwd.yaml -o t1.h5 --quiet --threads 1", full_), 0);
    ASSERT_EQ(runCli("run fwd.yaml -o t2.h5 --quiet --threads 2", full_), 0);
    const test::H5Reader a(full_ + "/t1.h5"), b(full_ + "/t2.h5");
    const std::string g = "/scenarios/fwd/strategies/mom";
    EXPECT_EQ(a.doubles(g + "/paths/terminal_wealth"), b.doubles(g + "/paths/terminal_wealth"));
    EXPECT_EQ(a.doubles(g + "/equity_bands"), b.doubles(g + "/equity_bands"));

    std::string json;
    ASSERT_EQ(runCli("run fwd.yaml -o p.h5 --json --paths 50 --seed 3", full_, &json), 0);
    EXPECT_NE(json.find("\"paths\":50,\"seed\":3"), std::string::npos) << json;
    EXPECT_EQ(test::H5Reader(full_ + "/p.h5").dims(g + "/paths/terminal_wealth"),
              (std::vector<hsize_t>{50}));
    EXPECT_EQ(runCli("run fwd.yaml -o bad.h5 --paths 0", full_), 2);
    EXPECT_FALSE(fs::exists(full_ + "/bad.h5"));
    // The flags meet the bounds of their YAML keys (simulation.paths 1..1e8, seed 0..2^62,
    // threads 0..1024), checked before anything runs.
    for (const char* bad : {"--paths 100000001", "--seed -1", "--seed 4611686018427387905",
                            "--threads 1025", "--threads -1"}) {
        const test::CliResult r = test::rotorCli(std::string("run fwd.yaml -o bad.h5 ") + bad,
                                                 full_);
        EXPECT_EQ(r.code, 2) << bad;
        const std::string flag = std::string(bad).substr(0, std::string(bad).find(' '));
        EXPECT_NE(r.err.find(flag + " must be in ["), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(full_ + "/bad.h5")) << bad;
    }
    EXPECT_EQ(runCli("run fwd.yaml -o max.h5 --quiet --paths 3 --threads 1024", full_), 0);
}

TEST_F(ForwardCli, ValidateBuildsTheModel) {
    std::string out;
    EXPECT_EQ(runCli("validate fwd.yaml", full_, &out), 0);
    EXPECT_NE(out.find("fwd.yaml: ok (fwd, monte_carlo"), std::string::npos) << out;
    std::ofstream(full_ + "/late.yaml")
        << std::string(kScenario).replace(std::string(kScenario).find("AAA: {idio_vol: 0.20"), 20,
                                          "AAA: {idio_volx: 0.2");
    EXPECT_EQ(runCli("validate late.yaml", full_, &out), 2);
}

}  // namespace forward_cli_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace forward_cli_test {

// Provenance: every data file read, with its SHA-256 as computed by coreutils' sha256sum.
TEST_F(ForwardCli, ProvenanceChecksumsMatchSha256sum) {
    // A history scenario on the same files too (its checksums are computed on a second thread).
    std::ofstream(full_ + "/hist.yaml")
        << "name: hist\nmode: historical\nuniverse: {assets: [AAA, BBB], prices: \"{asset}.csv\"}\n"
           "window: {start: 2025-02-03, end: 2025-06-30}\n"
           "cash_rate: {series: rate.csv, column: rate_pct}\n"
           "strategies: [{name: h, type: buy_and_hold, weights: {AAA: 1.0}}]\n";
    for (const char* yaml : {"fwd.yaml", "hist.yaml"}) {
        ASSERT_EQ(runCli(std::string("run ") + yaml + " -o out.h5 --quiet --force", full_), 0);
        const test::H5Reader h(full_ + "/out.h5");
        const auto paths = h.columnStrings("/provenance/data_files", "path");
        const auto sums = h.columnStrings("/provenance/data_files", "sha256");
        ASSERT_EQ(paths.size(), 3u);  // AAA.csv, BBB.csv, rate.csv
        for (std::size_t i = 0; i < paths.size(); ++i) {
            const std::string cmd = "cd '" + full_ + "' && sha256sum '" + paths[i] +
                                    "' | cut -c1-64";
            FILE* p = popen(cmd.c_str(), "r");
            ASSERT_NE(p, nullptr);
            char buf[128] = {};
            ASSERT_NE(std::fgets(buf, sizeof buf, p), nullptr);
            pclose(p);
            EXPECT_EQ(sums[i], std::string(buf, 64)) << yaml << ": " << paths[i];
        }
    }
}

}  // namespace forward_cli_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace forward_cli_test {

// `rotor calibrate` prints a model block that, pasted into the scenario, is a valid explicit
// model; a calibration window reaching past the start is refused at its key.
TEST_F(ForwardCli, CalibratePrintsABlockThatParsesBack) {
    {
        // A factor series (percent) on the same days as the prices.
        std::ifstream in(full_ + "/AAA.csv");
        std::ofstream f(full_ + "/factors.csv");
        std::string line;
        std::getline(in, line);
        f << "date,mkt_pct\n";
        for (int t = 0; std::getline(in, line); ++t)
            f << line.substr(0, 10) << ',' << 0.8 * std::sin(0.7 * t) << '\n';
    }
    const std::string calibrated = std::string(kScenario).replace(
        std::string(kScenario).find("model:"),
        std::string(kScenario).find("cash_rate:") - std::string(kScenario).find("model:"),
        "model:\n  calibrate:\n    window: {start: 2025-01-02, end: 2025-12-31}\n"
        "    factors: {file: factors.csv, columns: [mkt_pct], scale: 0.01}\n");
    std::ofstream(full_ + "/cal.yaml") << calibrated;
    std::string block;
    ASSERT_EQ(runCli("calibrate cal.yaml", full_, &block), 0);
    EXPECT_NE(block.find("r2:"), std::string::npos) << block;
    EXPECT_NE(block.find("standard_errors:"), std::string::npos) << block;

    // Paste it back: the scenario with the printed block instead of `calibrate:` validates.
    std::string pasted = calibrated.substr(0, calibrated.find("model:"));
    std::istringstream lines(block);
    for (std::string l; std::getline(lines, l);)
        if (l.rfind('#', 0) != 0) pasted += l + '\n';
    pasted += calibrated.substr(calibrated.find("cash_rate:"));
    std::ofstream(full_ + "/pasted.yaml") << pasted;
    std::string out;
    EXPECT_EQ(runCli("validate pasted.yaml", full_, &out), 0) << pasted;

    // The window may not end after the simulation start (no look-ahead into the forecast).
    std::string late = calibrated;
    late.replace(late.find("end: 2025-12-31"), 15, "end: 2026-02-27");
    std::ofstream(full_ + "/late_cal.yaml") << late;
    EXPECT_EQ(runCli("calibrate late_cal.yaml", full_), 2);
    std::ifstream err(full_ + "/stderr.txt");
    std::string msg((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
    EXPECT_NE(msg.find("late_cal.yaml:"), std::string::npos) << msg;
}

}  // namespace forward_cli_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace forward_cli_test {

// A sweep expands into named cells, all written into one results file; each cell carries its
// own value (the rate on day 0 is the swept start level in every path).
TEST_F(ForwardCli, SweepCellsGoIntoOneFile) {
    std::ofstream(full_ + "/sweep.yaml")
        << "extends: fwd.yaml\nname: grid\nsimulation: {paths: 20}\n"
           "sweep:\n  rate_path.start: [2.5, 3.5]\n";
    std::string out;
    ASSERT_EQ(runCli("run sweep.yaml -o grid.h5 --quiet", full_, &out), 0);
    const test::H5Reader h(full_ + "/grid.h5");
    for (const char* level : {"2.5", "3.5"}) {
        const std::string s = std::string("/scenarios/grid__start=") + level;
        ASSERT_TRUE(h.exists(s)) << s;
        const auto bands = h.doubles(s + "/rate_bands");  // T x Q, row-major
        const auto q = h.doubles(s + "/percentiles").size();
        for (std::size_t k = 0; k < q; ++k)
            EXPECT_NEAR(bands[k], std::stod(level), 1.0 / 4096) << s;  // within the bin width
    }
    EXPECT_EQ(h.columnStrings("/mc_summary", "scenario").size(), 4u);  // 2 cells x 2 strategies
}

}  // namespace forward_cli_test
}  // namespace
}  // namespace rotor
