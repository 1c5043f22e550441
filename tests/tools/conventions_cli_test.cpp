// SPDX-License-Identifier: MIT
// One command-line convention (docs/cli.md): per-command --help, one sign and unit for a
// drawdown and one trading-day count across `run`, `compare`, the report, CSV and JSON, and
// compare's layouts.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

namespace fs = std::filesystem;

namespace {

using rotor::test::CliResult;
using rotor::test::rotorCli;
using rotor::test::slurp;

TEST(ConventionsHelp, EveryCommandHasItsOwnHelp) {
    const std::string dir = rotor::test::scratchDir("conventions_help");
    for (const char* cmd :
         {"run", "validate", "calibrate", "list-strategies", "compare", "report", "export"}) {
        for (const char* flag : {"--help", "-h"}) {
            const CliResult r = rotorCli(std::string(cmd) + " " + flag, dir);
            EXPECT_EQ(r.code, 0) << cmd << " " << flag << ": " << r.err;
            const std::string usage = std::string("usage: rotor ") + cmd;
            EXPECT_EQ(r.out.rfind(usage, 0), 0u) << cmd << ": " << r.out;
            EXPECT_TRUE(r.out.size() > usage.size() &&
                        (r.out[usage.size()] == ' ' || r.out[usage.size()] == '\n'))
                << cmd << ": " << r.out;
            EXPECT_NE(r.out.find("exit codes"), std::string::npos) << cmd;
            EXPECT_EQ(r.err, "") << cmd;
        }
    }
    // Help wins over anything else on the line, even a file that does not exist.
    EXPECT_EQ(rotorCli("report missing.h5 --help", dir).code, 0);
}

class ConventionsCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = rotor::test::scratchDir("conventions_cli");
        const std::string fixtures = std::string(ROTOR_SOURCE_DIR) +
                                     "/tests/fixtures/report_cli_test/";
        for (const char* f : {"AAA.csv", "BBB.csv", "rate.csv", "tiny.yaml", "costly.yaml"})
            fs::copy_file(fixtures + f, dir_ + "/" + f);
    }
    std::string dir_;
};

std::string pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", v * 100);
    return buf;
}

// The value after "\"key\":" in a JSON text (first occurrence after `from`).
std::string jsonField(const std::string& json, const std::string& key, std::size_t from = 0) {
    const std::size_t at = json.find("\"" + key + "\":", from);
    if (at == std::string::npos) return "";
    const std::size_t start = at + key.size() + 3;
    const std::size_t end = json.find_first_of(",}", start);
    return json.substr(start, end - start);
}

TEST_F(ConventionsCli, DrawdownAndTradingDaysAgreeAcrossEveryOutput) {
    const CliResult table = rotorCli("run tiny.yaml -o t.h5", dir_);
    ASSERT_EQ(table.code, 0) << table.err;
    const CliResult json = rotorCli("run tiny.yaml -o t.h5 --force --json", dir_);
    ASSERT_EQ(json.code, 0) << json.err;

    rotor::test::H5Reader h5(dir_ + "/t.h5");
    const auto names = h5.columnStrings("/metrics", "strategy");
    const auto dd = h5.columnDoubles("/metrics", "max_drawdown");
    const auto dates = h5.strings("/scenarios/tiny/dates");
    const std::size_t k = static_cast<std::size_t>(std::find(names.begin(), names.end(), "hold_a") -
                                                   names.begin());
    ASSERT_LT(k, names.size());
    ASSERT_GT(dd[k], 0.0);  // hold_a falls in the fixture: a real drawdown to show

    // Machine outputs: the stored positive depth; the drawdown's days as ISO dates.
    const std::size_t holdJson = json.out.find("\"name\":\"hold_a\"");
    ASSERT_NE(holdJson, std::string::npos) << json.out;
    EXPECT_EQ(std::stod(jsonField(json.out, "max_drawdown", holdJson)), dd[k]);
    EXPECT_EQ(jsonField(json.out, "drawdown_peak", holdJson),
              "\"" + h5.columnStrings("/metrics", "peak_date")[k] + "\"");
    EXPECT_EQ(jsonField(json.out, "drawdown_trough", holdJson),
              "\"" + h5.columnStrings("/metrics", "trough_date")[k] + "\"");
    EXPECT_TRUE(
        std::regex_search(json.out.substr(holdJson), std::regex("^[^}]*\"drawdown_recovery\":(null|"
                                                                "\"\\d{4}-\\d{2}-\\d{2}\")")));
    const CliResult csv = rotorCli("compare t.h5 --format csv", dir_);
    ASSERT_EQ(csv.code, 0);
    char raw[40];
    std::snprintf(raw, sizeof raw, "%.17g", dd[k]);
    EXPECT_NE(csv.out.find(raw), std::string::npos) << csv.out;
    const CliResult cjson = rotorCli("compare t.h5 --format json", dir_);
    EXPECT_NE(cjson.out.find("\"peak\":\"" + h5.columnStrings("/metrics", "peak_date")[k] + "\""),
              std::string::npos)
        << cjson.out;

    // Human outputs: the same drawdown as a loss, -x.xx%, in run, compare and the report.
    const std::string shown = pct(-dd[k]);
    ASSERT_EQ(shown[0], '-');
    EXPECT_TRUE(std::regex_search(table.out, std::regex("hold_a \\*[^\\n]*" + shown))) << table.out;
    const CliResult human = rotorCli("compare t.h5", dir_);
    EXPECT_TRUE(std::regex_search(human.out, std::regex("hold_a \\*[^\\n]*" + shown))) << human.out;
    ASSERT_EQ(rotorCli("report t.h5", dir_).code, 0);
    const std::string html = slurp(dir_ + "/t.html");
    EXPECT_NE(html.find(">" + shown + "</td>"), std::string::npos);
    EXPECT_EQ(html.find(">" + pct(dd[k]) + "</td>"), std::string::npos);  // never unsigned

    // One trading-day count: the number of dates, in run and the report.
    const std::string days = "(" + std::to_string(dates.size()) + " trading days)";
    EXPECT_NE(table.out.find(days), std::string::npos) << table.out;
    EXPECT_NE(html.find(days), std::string::npos);
}

TEST_F(ConventionsCli, CompareLayoutsAndMetrics) {
    ASSERT_EQ(rotorCli("run tiny.yaml -o a.h5 --quiet", dir_).code, 0);
    ASSERT_EQ(rotorCli("run costly.yaml -o b.h5 --quiet", dir_).code, 0);
    // A file of another scenario: renamed, so no (scenario, strategy) pair is shared.
    std::string other = slurp(dir_ + "/tiny.yaml");
    other.replace(other.find("name: tiny"), 10, "name: other");
    std::ofstream(dir_ + "/other.yaml") << other;
    ASSERT_EQ(rotorCli("run other.yaml -o c.h5 --quiet", dir_).code, 0);

    // Side by side only shows the pairs both files have: none here, and says so.
    CliResult r = rotorCli("compare a.h5 c.h5 --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;  // the header alone
    EXPECT_NE(r.err.find("--all"), std::string::npos) << r.err;
    // --all: each file's rows, the other file's cells empty (3 strategies x 2 scenarios).
    r = rotorCli("compare a.h5 c.h5 --format csv --all", dir_);
    ASSERT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("\nother,hold_a,total_return,,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\ntiny,hold_a,total_return,"), std::string::npos) << r.out;
    // --layout stacked: the rows of both files with a file column.
    r = rotorCli("compare a.h5 c.h5 --format csv --layout stacked", dir_);
    ASSERT_EQ(r.code, 0);
    EXPECT_EQ(r.out.substr(0, 14), "file,scenario,");
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 7) << r.out;
    // --layout side with three files: one value column per file.
    r = rotorCli("compare a.h5 b.h5 a.h5 --layout side --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "scenario,strategy,metric,a.h5,b.h5,a.h5")
        << r.out;
    EXPECT_EQ(rotorCli("compare a.h5 b.h5 --layout wide", dir_).code, 2);

    // Every stored metric is accepted: Sortino ranks, and is shown as it does.
    r = rotorCli("compare a.h5 --metric sortino --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    rotor::test::H5Reader h5(dir_ + "/a.h5");
    const auto names = h5.columnStrings("/metrics", "strategy");
    const auto sortino = h5.columnDoubles("/metrics", "sortino");
    std::vector<std::pair<double, std::string>> order;
    for (std::size_t i = 0; i < names.size(); ++i) order.push_back({sortino[i], names[i]});
    std::sort(order.rbegin(), order.rend());
    std::size_t pos = 0;
    for (const auto& [v, name] : order) {
        const std::size_t at = r.out.find("\ntiny," + name + ",");
        ASSERT_NE(at, std::string::npos) << name;
        EXPECT_GT(at, pos) << name;  // best Sortino first
        pos = at;
    }
    for (const char* m : {"alpha", "beta", "information_ratio", "tracking_error", "rebalances"})
        EXPECT_EQ(rotorCli(std::string("compare a.h5 --metric ") + m, dir_).code, 0) << m;
    r = rotorCli("compare a.h5 --metric sortino", dir_);
    EXPECT_NE(r.out.find("Sortino"), std::string::npos) << r.out;
}

TEST_F(ConventionsCli, ProgressLinesOffATerminal) {
    // stderr is a pipe here. `always`: a plain line per tenth reached, the last with the time
    // taken; tiny.yaml has 3 strategies, so 1/3 (33%), 2/3 (66%) and 3/3 (100%).
    CliResult r = rotorCli("run tiny.yaml -o a.h5 --quiet --progress always", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");  // --quiet wins
    r = rotorCli("run tiny.yaml -o b.h5 --json --progress always", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::regex lines(
        "\\[1/1\\] tiny: 1/3 strategies \\(33%, [0-9.]+ strategies/s, ETA [0-9]+s\\)\n"
        "\\[1/1\\] tiny: 2/3 strategies \\(66%, [0-9.]+ strategies/s, ETA [0-9]+s\\)\n"
        "\\[1/1\\] tiny: 3/3 strategies \\(100%, [0-9]+s\\)\n");
    EXPECT_TRUE(std::regex_match(r.err, lines)) << r.err;
    // `auto` (the default) off a terminal: silent for a run this short; `never`: silent.
    for (const char* mode : {"", " --progress auto", " --progress never"}) {
        r = rotorCli(std::string("run tiny.yaml -o c.h5 --force --json") + mode, dir_);
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(r.err, "") << mode;
    }
    r = rotorCli("run tiny.yaml -o d.h5 --progress sometimes", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--progress must be auto, always or never, not 'sometimes'"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir_ + "/d.h5"));
}

TEST_F(ConventionsCli, ReportWritesNextToTheResultsByDefault) {
    ASSERT_EQ(rotorCli("run tiny.yaml -o x.h5 --quiet", dir_).code, 0);
    fs::create_directory(dir_ + "/sub");
    fs::rename(dir_ + "/x.h5", dir_ + "/sub/x.h5");
    CliResult r = rotorCli("report sub/x.h5", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "wrote sub/x.html\n");
    EXPECT_TRUE(fs::exists(dir_ + "/sub/x.html"));
    r = rotorCli("report sub/x.h5", dir_);  // exists now: refused without --force
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--force"), std::string::npos);
}

TEST_F(ConventionsCli, SweepReportSummarisesEveryCellAndMapsTheMetric) {
    std::ofstream(dir_ + "/grid.yaml") << "extends: tiny.yaml\nname: grid\nsweep:\n"
                                          "  costs.commission_bps: [1, 50]\n"
                                          "  strategies[name=mom].lookback: [5, 10, 20]\n";
    ASSERT_EQ(rotorCli("run grid.yaml -o grid.h5 --quiet", dir_).code, 0);
    const CliResult r = rotorCli("report grid.h5 --metric sortino --axes commission_bps,lookback",
                                 dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string html = slurp(dir_ + "/grid.html");
    // One summary: 6 cells x 3 strategies, each row with its swept values.
    const std::size_t at = html.find("<table class=\"sweep-summary\">");
    ASSERT_NE(at, std::string::npos);
    const std::string summary = html.substr(at, html.find("</table>", at) - at);
    std::size_t rows = 0;
    for (std::size_t p = summary.find("<tr>"); p != std::string::npos;
         p = summary.find("<tr>", p + 1))
        ++rows;
    EXPECT_EQ(rows, 1u + 6 * 3);
    // mom's heatmap: rows = commission (1, 50), columns = lookback (5, 10, 20); each cell the
    // stored Sortino of that cell, as the /metrics table has it.
    rotor::test::H5Reader h5(dir_ + "/grid.h5");
    const auto scen = h5.columnStrings("/metrics", "scenario");
    const auto strat = h5.columnStrings("/metrics", "strategy");
    const auto sortino = h5.columnDoubles("/metrics", "sortino");
    const std::size_t mom = html.find("<h3>mom: sortino by lookback (rows) and commission_bps");
    ASSERT_NE(mom, std::string::npos) << "axes X=commission_bps, Y=lookback";
    const std::string map = html.substr(mom, html.find("</table>", mom) - mom);
    std::size_t from = 0;
    for (const char* lookback : {"5", "10", "20"})
        for (const char* bps : {"1", "50"}) {
            const std::string cell = std::string("grid__commission_bps=") + bps +
                                     "__lookback=" + lookback;
            double v = NAN;
            for (std::size_t i = 0; i < scen.size(); ++i)
                if (scen[i] == cell && strat[i] == "mom") v = sortino[i];
            ASSERT_FALSE(std::isnan(v)) << cell;
            char buf[32];
            std::snprintf(buf, sizeof buf, ">%.2f</td>", v);
            const std::size_t pos = map.find(buf, from);
            EXPECT_NE(pos, std::string::npos) << cell << " " << buf;  // in row-major order
            if (pos != std::string::npos) from = pos;
        }
    // Axes the sweep does not have exit 2, naming the ones it has.
    const CliResult bad = rotorCli("report grid.h5 -o bad.html --axes lookback,nope", dir_);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("commission_bps, lookback"), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(dir_ + "/bad.html"));
}

}  // namespace
