// SPDX-License-Identifier: MIT
// One command-line convention (docs/cli.md): per-command --help, one sign and unit for a
// drawdown and one trading-day count across `run`, `compare`, the report, CSV and JSON, and
// compare's layouts.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace {
namespace conventions_cli_test {

using rotor::test::CliResult;
using rotor::test::rotorCli;
using rotor::test::slurp;

// The command names `rotor --help` lists: the first word of each "  NAME ..." line under
// "commands:" (continuation lines are indented further).
std::vector<std::string> commandsOfTopHelp(const std::string& dir) {
    const CliResult top = rotorCli("--help", dir);
    EXPECT_EQ(top.code, 0);
    std::vector<std::string> out;
    std::istringstream in(top.out.substr(top.out.find("commands:\n") + 10));
    for (std::string line; std::getline(in, line) && !line.empty();)
        if (line.size() > 2 && line.rfind("  ", 0) == 0 && line[2] != ' ')
            out.push_back(line.substr(2, line.find(' ', 2) - 2));
    return out;
}

TEST(ConventionsHelp, EveryCommandHasItsOwnHelp) {
    const std::string dir = rotor::test::scratchDir("conventions_help");
    const std::vector<std::string> commands = commandsOfTopHelp(dir);
    EXPECT_GE(commands.size(), 9u);  // run, merge, validate, ..., export
    for (const char* must : {"run", "merge", "backtest-model", "list-strategies", "export"})
        EXPECT_NE(std::find(commands.begin(), commands.end(), must), commands.end()) << must;
    for (const std::string& cmd : commands) {
        for (const char* flag : {"--help", "-h"}) {
            const CliResult r = rotorCli(cmd + " " + flag, dir);
            EXPECT_EQ(r.code, 0) << cmd << " " << flag << ": " << r.err;
            const std::string usage = "usage: rotor " + cmd;
            EXPECT_EQ(r.out.rfind(usage, 0), 0u) << cmd << ": " << r.out;
            EXPECT_TRUE(r.out.size() > usage.size() &&
                        (r.out[usage.size()] == ' ' || r.out[usage.size()] == '\n'))
                << cmd << ": " << r.out;
            EXPECT_NE(r.out.find("exit codes"), std::string::npos) << cmd;
            EXPECT_EQ(r.err, "") << cmd;
            // The limits are listed exactly for the commands that accept them: a limit flag
            // given to a command that lists none is refused (exit 2), and accepted otherwise
            // (then the command fails for want of its file, but not on the flag).
            const bool listed = r.out.find("--max-memory") != std::string::npos;
            const CliResult limit = rotorCli(cmd + " --max-memory 1G", dir);
            const bool refused = limit.err.find("max-memory") != std::string::npos;
            EXPECT_EQ(listed, !refused) << cmd << ": " << limit.err;
        }
    }
    // Help wins over anything else on the line, even a file that does not exist.
    EXPECT_EQ(rotorCli("report missing.h5 --help", dir).code, 0);
}

// `list-strategies` against docs/strategies.md: every strategy type documented with a
// `| key | type | rule |` table lists exactly those keys, with the documented simple type and
// the default the rule gives in parentheses.
TEST(ConventionsHelp, ListStrategiesShowsTheDocumentedParameters) {
    const std::string dir = rotor::test::scratchDir("conventions_list");
    const CliResult r = rotorCli("list-strategies", dir);
    ASSERT_EQ(r.code, 0) << r.err;
    // Blocks: a strategy line at column 0, its parameters indented 4 ("    key: type...").
    std::map<std::string, std::map<std::string, std::string>> listed;
    {
        std::istringstream in(r.out);
        std::string current;
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) break;  // the stack steps follow
            if (line[0] != ' ') {
                current = line.substr(0, line.find(' '));
            } else if (line.rfind("    ", 0) == 0 && line[4] != ' ') {
                const std::size_t colon = line.find(": ");
                listed[current][line.substr(4, colon - 4)] = line.substr(colon + 2);
            }
        }
    }
    std::map<std::string, std::vector<std::array<std::string, 3>>> documented;
    {
        std::istringstream in(slurp(std::string(ROTOR_SOURCE_DIR) + "/docs/strategies.md"));
        std::string heading, strategy;
        bool inTable = false;
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("#", 0) == 0) {
                heading = line;
                inTable = false;
                continue;
            }
            if (line == "| key | type | rule |") {
                // The heading's last `code`: `buy_and_hold`, or `type: stack`.
                const std::size_t close = heading.rfind('`');
                const std::size_t open = heading.rfind('`', close - 1);
                strategy = heading.substr(open + 1, close - open - 1);
                if (strategy.rfind("type: ", 0) == 0) strategy = strategy.substr(6);
                inTable = true;
                continue;
            }
            if (!inTable || line.rfind("|---", 0) == 0) continue;
            if (line.rfind("| `", 0) != 0) {
                inTable = false;
                continue;
            }
            std::vector<std::string> cells;
            std::istringstream row(line.substr(1));
            for (std::string c; std::getline(row, c, '|');) {
                c.erase(0, c.find_first_not_of(' '));
                c.erase(c.find_last_not_of(' ') + 1);
                cells.push_back(c);
            }
            ASSERT_GE(cells.size(), 3u) << line;
            documented[strategy].push_back(
                {cells[0].substr(1, cells[0].size() - 2), cells[1], cells[2]});
        }
    }
    ASSERT_GE(documented.size(), 6u);
    const std::set<std::string> simpleTypes = {"integer", "number", "asset", "asset list",
                                               "schedule"};
    std::size_t defaults = 0;
    for (const auto& [strategy, rows] : documented) {
        ASSERT_TRUE(listed.count(strategy)) << strategy << " not listed:\n" << r.out;
        const auto& params = listed.at(strategy);
        EXPECT_EQ(params.size(), rows.size()) << strategy;
        for (const auto& [key, type, rule] : rows) {
            ASSERT_TRUE(params.count(key)) << strategy << "." << key;
            const std::string& shown = params.at(key);
            if (simpleTypes.count(type)) {
                EXPECT_EQ(shown.substr(0, shown.find_first_of(",;(")).substr(0, type.size()), type)
                    << strategy << "." << key << ": " << shown;
            }
            // "(`monthly`)", "(0)", "[0, 10000] basis points (0)": the default; "(none: ...)"
            // is an absent value, not a default.
            const std::regex deflt("\\(`?([^ :`()]+)`?\\)");
            std::smatch m;
            if (std::regex_search(rule, m, deflt)) {
                ++defaults;
                EXPECT_NE(shown.find("(default " + m[1].str() + ")"), std::string::npos)
                    << strategy << "." << key << ": " << shown;
            }
        }
    }
    // fixed_mix rebalance; relative_momentum skip, top_k, rebalance; trend_filter rebalance;
    // rate_regime threshold_bp, rebalance.
    EXPECT_GE(defaults, 7u);
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
    // A drawdown never recovered is null in both JSON outputs (the stored date is empty).
    const auto recovered = h5.columnStrings("/metrics", "recovery_date");
    const std::string recovery = recovered[k].empty() ? std::string("null")
                                                      : "\"" + recovered[k] + "\"";
    EXPECT_EQ(jsonField(json.out, "drawdown_recovery", holdJson), recovery);
    const std::size_t holdCompare = cjson.out.find("\"strategy\":\"hold_a\"");
    ASSERT_NE(holdCompare, std::string::npos) << cjson.out;
    EXPECT_EQ(jsonField(cjson.out, "recovery", holdCompare), recovery) << cjson.out;

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

// Percentile q of sorted values, numpy's linear interpolation (results-format.md).
double percentileOf(const std::vector<double>& sorted, double q) {
    const double h = static_cast<double>(sorted.size() - 1) * q / 100.0;
    const auto k = static_cast<std::size_t>(std::floor(h));
    if (k + 1 >= sorted.size()) return sorted.back();
    return sorted[k] + (h - static_cast<double>(k)) * (sorted[k + 1] - sorted[k]);
}

std::string pct1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
    return buf;
}

// The text between the first `open` at or after `from` and the next `close`.
std::string between(const std::string& s, const std::string& open, const std::string& close,
                    std::size_t from = 0) {
    const std::size_t at = s.find(open, from);
    if (at == std::string::npos) return "";
    return s.substr(at, s.find(close, at) - at);
}

TEST_F(ConventionsCli, NoDrawdownShowsAsZeroNotMinusZero) {
    // All cash at a non-negative rate never falls: its drawdown is exactly 0, shown as 0.00%
    // (a negated 0 would print as -0.00%).
    std::ofstream(dir_ + "/cash.yaml") << slurp(dir_ + "/tiny.yaml")
                                       << "  - name: cash_only\n    type: buy_and_hold\n"
                                          "    weights: {AAA: 0.0}\n";
    const CliResult run = rotorCli("run cash.yaml -o c.h5", dir_);
    ASSERT_EQ(run.code, 0) << run.err;
    rotor::test::H5Reader h5(dir_ + "/c.h5");
    const auto names = h5.columnStrings("/metrics", "strategy");
    const auto k = static_cast<std::size_t>(std::find(names.begin(), names.end(), "cash_only") -
                                            names.begin());
    ASSERT_LT(k, names.size());
    ASSERT_EQ(h5.columnDoubles("/metrics", "max_drawdown")[k], 0.0);
    const CliResult compare = rotorCli("compare c.h5", dir_);
    ASSERT_EQ(compare.code, 0) << compare.err;
    for (const std::string& out : {run.out, compare.out}) {
        const std::size_t at = out.find("cash_only ");
        ASSERT_NE(at, std::string::npos) << out;
        const std::string line = out.substr(at, out.find('\n', at) - at);
        EXPECT_EQ(line.find("-0.00%"), std::string::npos) << line;
        EXPECT_NE(line.find(" 0.00%"), std::string::npos) << line;
    }
}

TEST_F(ConventionsCli, MonteCarloReturnsAndLossesAgreeAcrossEveryOutput) {
    // A 20-day forward run of 50 paths (the invalid-input corpus's valid Monte Carlo scenario).
    const std::string common = std::string(ROTOR_SOURCE_DIR) +
                               "/tests/fixtures/invalid_input_test/common/";
    const std::string mc = dir_ + "/mc";
    fs::create_directory(mc);
    for (const char* f : {"AAA.csv", "BBB.csv", "rate.csv", "fwd.yaml"})
        fs::copy_file(common + f, mc + "/" + f);
    const CliResult table = rotorCli("run fwd.yaml -o f.h5", mc);
    ASSERT_EQ(table.code, 0) << table.err;
    const CliResult json = rotorCli("run fwd.yaml -o f.h5 --force --json", mc);
    ASSERT_EQ(json.code, 0) << json.err;

    // The facts, from the per-path arrays by the definitions of results-format.md.
    rotor::test::H5Reader h5(mc + "/f.h5");
    const std::string g = "/scenarios/fwd/strategies/hold_a/paths/";
    std::vector<double> w = h5.doubles(g + "terminal_wealth");
    std::vector<double> dd = h5.doubles(g + "max_drawdown");
    ASSERT_EQ(w.size(), 50u);
    std::sort(w.begin(), w.end());
    std::sort(dd.begin(), dd.end());
    double mean = 0;
    for (double x : w) mean += x / static_cast<double>(w.size());
    const double median = percentileOf(w, 50);
    const double var95 = 1.0 - percentileOf(w, 5);
    const double a = 0.05 * static_cast<double>(w.size());  // 2.5 paths: 2 whole, half of one
    const auto m = static_cast<std::size_t>(std::floor(a));
    double tail = 0;
    for (std::size_t i = 0; i < m; ++i) tail += 1.0 - w[i];
    const double cvar95 = (tail + (a - static_cast<double>(m)) * (1.0 - w[m])) / a;
    const double medDd = percentileOf(dd, 50);
    ASSERT_GT(var95, 0.0);  // a real loss in the tail: signs to check
    ASSERT_GT(cvar95, var95);
    ASSERT_GT(medDd, 0.0);

    // Machine outputs: wealth as the multiple, losses as positive depths.
    const std::size_t hj = json.out.find("\"name\":\"hold_a\"");
    ASSERT_NE(hj, std::string::npos) << json.out;
    EXPECT_NEAR(std::stod(jsonField(json.out, "mean", hj)), mean, 1e-12);
    EXPECT_NEAR(std::stod(jsonField(json.out, "var95", hj)), var95, 1e-12);
    EXPECT_NEAR(std::stod(jsonField(json.out, "cvar95", hj)), cvar95, 1e-12);
    const CliResult csv = rotorCli("compare f.h5 --format csv", mc);
    ASSERT_EQ(csv.code, 0) << csv.err;
    const std::string header = csv.out.substr(0, csv.out.find('\n'));
    const std::size_t hc = csv.out.find("\nfwd,hold_a,");
    ASSERT_NE(hc, std::string::npos) << csv.out;
    const std::string row = csv.out.substr(hc + 1, csv.out.find('\n', hc + 1) - hc - 1);
    const auto cell = [&](const std::string& name) {
        std::vector<std::string> hs, rs;
        std::string x;
        std::istringstream a1(header), b1(row);
        while (std::getline(a1, x, ',')) hs.push_back(x);
        while (std::getline(b1, x, ',')) rs.push_back(x);
        const auto it = std::find(hs.begin(), hs.end(), name);
        EXPECT_NE(it, hs.end()) << name << " in " << header;
        const auto i = static_cast<std::size_t>(it - hs.begin());
        return i < rs.size() ? std::stod(rs[i]) : NAN;
    };
    EXPECT_NEAR(cell("mean"), mean, 1e-12);
    EXPECT_NEAR(cell("median"), median, 1e-12);
    EXPECT_NEAR(cell("var95"), var95, 1e-12);
    EXPECT_NEAR(cell("cvar95"), cvar95, 1e-12);
    EXPECT_NEAR(cell("median_max_drawdown"), medDd, 1e-12);
    const CliResult cjson = rotorCli("compare f.h5 --format json", mc);
    ASSERT_EQ(cjson.code, 0) << cjson.err;
    const std::size_t hcj = cjson.out.find("\"strategy\":\"hold_a\"");
    ASSERT_NE(hcj, std::string::npos) << cjson.out;
    EXPECT_NEAR(std::stod(jsonField(cjson.out, "median", hcj)), median, 1e-12);
    EXPECT_NEAR(std::stod(jsonField(cjson.out, "cvar95", hcj)), cvar95, 1e-12);
    EXPECT_NEAR(std::stod(jsonField(cjson.out, "median_max_drawdown", hcj)), medDd, 1e-12);

    // Human outputs: returns W - 1 and losses below 0. `run` (one decimal): mean ... VaR95
    // CVaR95 med DD.
    EXPECT_TRUE(std::regex_search(
        table.out, std::regex("hold_a \\* +" + pct1(mean - 1) + "[^\\n]* " + pct1(-var95) + " +" +
                              pct1(-cvar95) + " +" + pct1(-medDd) + "\\n")))
        << table.out;
    // `compare` and the report: median ret, CVaR95 and median max DD (two decimals).
    const CliResult human = rotorCli("compare f.h5", mc);
    ASSERT_EQ(human.code, 0);
    EXPECT_TRUE(
        std::regex_search(human.out, std::regex("hold_a \\* +ok +1 +" + pct(median - 1) + " ")))
        << human.out;
    for (const double loss : {cvar95, medDd})
        EXPECT_TRUE(std::regex_search(human.out, std::regex("hold_a \\*[^\\n]* " + pct(-loss))))
            << human.out;
    EXPECT_EQ(human.out.find(" " + pct(cvar95)), std::string::npos) << human.out;  // unsigned
    EXPECT_FALSE(std::regex_search(human.out, std::regex("[0-9]x\\b"))) << human.out;
    ASSERT_EQ(rotorCli("report f.h5", mc).code, 0);
    const std::string html = slurp(mc + "/f.html");
    for (const std::string& shown : {pct(median - 1), pct(-cvar95), pct(-medDd)})
        EXPECT_NE(html.find(">" + shown + "</td>"), std::string::npos) << shown;
    for (const std::string& unsigned_ : {pct(cvar95), pct(medDd)})
        EXPECT_EQ(html.find(">" + unsigned_ + "</td>"), std::string::npos) << unsigned_;
    const std::string errors = between(html, "<table class=\"standard-errors\">", "</table>");
    EXPECT_NE(errors.find("<td>hold_a</td><td class=\"n\">" + pct(mean - 1) + " ± "),
              std::string::npos)
        << errors;
    // The drawdown box plot: an axis of losses, every tick label 0% or below.
    const std::string box = between(html, "<svg class=\"chart drawdown\"", "</svg>");
    ASSERT_NE(box, "");
    const std::regex tick(">(-?[0-9.]+)%</text>");
    int ticks = 0;
    for (auto it = std::sregex_iterator(box.begin(), box.end(), tick); it != std::sregex_iterator();
         ++it) {
        ++ticks;
        EXPECT_LE(std::stod((*it)[1].str()), 0.0) << (*it)[0];
    }
    EXPECT_GE(ticks, 2);
    EXPECT_NE(html.find("Maximum drawdown per path (a loss, below 0)"), std::string::npos);
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

// Every number field of /metrics and /mc_summary, as h5py lists it from the file: lines
// "field strategy value" (value repr'd exactly).
std::vector<std::array<std::string, 3>> storedNumbers(const std::string& file,
                                                      const std::string& table,
                                                      const std::string& dir) {
    const CliResult r = rotor::test::shell(
        "/usr/bin/python3 -c \"import h5py,sys\nt=h5py.File(sys.argv[1],'r')[sys.argv[2]][()]\n"
        "for n in t.dtype.names:\n if t.dtype[n].kind in 'fiu':\n  for row in t:\n"
        "   print(n, row['strategy'].decode(), repr(float(row[n])))\" " +
            file + " " + table,
        dir);
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::array<std::string, 3>> out;
    std::istringstream in(r.out);
    std::array<std::string, 3> f;
    while (in >> f[0] >> f[1] >> f[2]) out.push_back(f);
    return out;
}

TEST_F(ConventionsCli, CompareAcceptsEveryStoredMetric) {
    ASSERT_EQ(rotorCli("run tiny.yaml -o a.h5 --quiet", dir_).code, 0);
    const std::string common = std::string(ROTOR_SOURCE_DIR) +
                               "/tests/fixtures/invalid_input_test/common/";
    for (const char* f : {"AAA.csv", "BBB.csv", "rate.csv", "fwd.yaml"})
        fs::copy_file(common + f, dir_ + "/mc_" + f);
    // The forward scenario with a level beyond the usual five: 2.5 is stored as p2_5.
    std::string fwd = slurp(dir_ + "/mc_fwd.yaml");
    fwd.replace(fwd.find("history_days: 0}"), 16,
                "history_days: 0, percentiles: [2.5, 5, 25, 50, 75, 95]}");
    fwd.replace(fwd.find("{asset}.csv"), 11, "mc_{asset}.csv");
    std::ofstream(dir_ + "/mc_fwd.yaml") << fwd;
    ASSERT_EQ(rotorCli("run mc_fwd.yaml -o f.h5 --quiet", dir_).code, 0);

    std::size_t checked = 0;
    for (const auto& [file, table] :
         {std::pair<std::string, std::string>{"a.h5", "/metrics"}, {"f.h5", "/mc_summary"}}) {
        const auto stored = storedNumbers(file, table, dir_);
        ASSERT_FALSE(stored.empty()) << file;
        std::set<std::string> fields;
        for (const auto& s : stored) fields.insert(s[0]);
        for (const std::string& field : fields) {
            // Not metrics (docs/report.md): the drawdown's day indices, shown as its dates, and
            // the path count.
            if (field.rfind("drawdown_", 0) == 0 || field == "paths") continue;
            const CliResult r = rotorCli("compare " + file + " --format csv --metric " + field,
                                         dir_);
            ASSERT_EQ(r.code, 0) << field << ": " << r.err;
            ++checked;
            // Ranked by it, under its own name (p50 is the median), the stored values in a column.
            const std::string key = field == "p50" ? "median" : field;
            std::istringstream lines(r.out);
            std::string line;
            std::getline(lines, line);
            std::vector<std::string> header;
            {
                std::istringstream h(line);
                std::string x;
                while (std::getline(h, x, ',')) header.push_back(x);
            }
            const auto col = [&](const std::string& name) {
                return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                                header.begin());
            };
            ASSERT_LT(col(key), header.size()) << field << ": " << line;
            while (std::getline(lines, line)) {
                std::vector<std::string> cells;
                std::istringstream c(line);
                std::string x;
                while (std::getline(c, x, ',')) cells.push_back(x);
                cells.resize(header.size());
                EXPECT_EQ(cells[col("ranked_by")], key) << field;
                for (const auto& s : stored)
                    if (s[0] == field && s[1] == cells[col("strategy")]) {
                        if (s[2] == "nan")
                            EXPECT_EQ(cells[col(key)], "") << field;
                        else
                            EXPECT_EQ(std::stod(cells[col(key)]), std::stod(s[2])) << field;
                    }
            }
        }
    }
    EXPECT_GE(checked, 14u + 16u);  // at least the documented columns of each table
    // The quartiles are in compare's JSON too; a level the file lacks is refused.
    const CliResult json = rotorCli("compare f.h5 --format json", dir_);
    for (const char* k : {"\"p25\":", "\"p75\":", "\"p2_5\":"})
        EXPECT_NE(json.out.find(k), std::string::npos) << k;
    const CliResult bad = rotorCli("compare f.h5 --metric p37", dir_);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("p37"), std::string::npos) << bad.err;
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

TEST_F(ConventionsCli, SweepReportShowsOneCellInFullAndTheOthersCompact) {
    const std::string rot = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";
    std::ofstream(dir_ + "/sw.yaml") << "extends: '" << rot << "'\nname: rotsw\nsweep:\n"
                                     << "  costs.commission_bps: [1, 10, 50]\n"
                                     << "  strategies[name=momentum_top1_6m].lookback: [63, 126]\n";
    ASSERT_EQ(rotorCli("run sw.yaml -o sw.h5 --quiet", dir_).code, 0);
    ASSERT_EQ(rotorCli("run '" + rot + "' -o rot.h5 --quiet", dir_).code, 0);
    ASSERT_EQ(rotorCli("report sw.h5", dir_).code, 0);
    ASSERT_EQ(rotorCli("report rot.h5", dir_).code, 0);
    const std::string html = slurp(dir_ + "/sw.html");
    // Six cells in one page well under one scenario's full report.
    const auto single = fs::file_size(dir_ + "/rot.html");
    EXPECT_LT(static_cast<double>(html.size()), 0.85 * static_cast<double>(single))
        << html.size() << " vs " << single;

    // The cell shown in full by default: the one holding the best Sharpe of the sweep (the
    // default ranking metric), found from /metrics.
    rotor::test::H5Reader h5(dir_ + "/sw.h5");
    const auto scen = h5.columnStrings("/metrics", "scenario");
    const auto strat = h5.columnStrings("/metrics", "strategy");
    const auto status = h5.columnStrings("/metrics", "status");
    const auto sharpe = h5.columnDoubles("/metrics", "sharpe");
    const auto dd = h5.columnDoubles("/metrics", "max_drawdown");
    std::vector<std::string> cells;
    std::size_t best = 0;
    for (std::size_t i = 0; i < scen.size(); ++i) {
        if (std::find(cells.begin(), cells.end(), scen[i]) == cells.end()) cells.push_back(scen[i]);
        if (status[i] == "ok" && sharpe[i] > sharpe[best]) best = i;
    }
    ASSERT_EQ(cells.size(), 6u);
    const auto cellText = [&](const std::string& page, const std::string& cell) {
        const std::string open = "<details class=\"cell\" open><summary>" + cell;
        const std::size_t at = page.find(open);
        if (at == std::string::npos) return std::string();
        std::size_t end = page.find("<details class=\"cell\" open><summary>", at + 1);
        if (end == std::string::npos) end = page.find("<section class=\"provenance\"", at);
        return page.substr(at, end - at);
    };
    const auto countOf = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(countOf(html, "<section class=\"scenario\""), 1u);
    EXPECT_EQ(countOf(html, "<section class=\"cell-summary\""), 5u);
    for (const auto& cell : cells) {
        const std::string text = cellText(html, cell);
        ASSERT_NE(text, "") << cell;
        const bool full = cell == scen[best];
        EXPECT_EQ(text.find("<section class=\"scenario\"") != std::string::npos, full) << cell;
        EXPECT_EQ(text.find("<table class=\"monthly\"") != std::string::npos, full) << cell;
        EXPECT_NE(text.find("<svg class=\"chart equity\""), std::string::npos) << cell;
        // Each cell's headline numbers: Sharpe and max drawdown of every strategy, in order.
        for (const auto& [key, loss] :
             {std::pair<std::string, bool>{"sharpe", false}, {"max_drawdown", true}}) {
            const std::size_t row = text.find("<tr data-key=\"" + key + "\">");
            ASSERT_NE(row, std::string::npos) << cell << " " << key;
            const std::string cellsOfRow = text.substr(row, text.find("</tr>", row) - row);
            std::size_t from = 0;
            for (std::size_t i = 0; i < scen.size(); ++i) {
                if (scen[i] != cell || status[i] != "ok") continue;
                char buf[40];
                if (loss)
                    std::snprintf(buf, sizeof buf, ">%.2f%%<", -dd[i] * 100);
                else
                    std::snprintf(buf, sizeof buf, ">%.2f<", sharpe[i]);
                const std::size_t at = cellsOfRow.find(buf, from);
                EXPECT_NE(at, std::string::npos) << cell << " " << strat[i] << " " << buf;
                if (at != std::string::npos) from = at + 1;
            }
        }
    }

    // --cell: another cell in full; a name that is no cell exits 2 listing the cells.
    const std::string other = cells[0] == scen[best] ? cells[1] : cells[0];
    CliResult r = rotorCli("report sw.h5 -o other.html --cell " + other, dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string page = slurp(dir_ + "/other.html");
    EXPECT_NE(cellText(page, other).find("<section class=\"scenario\""), std::string::npos);
    EXPECT_EQ(cellText(page, scen[best]).find("<section class=\"scenario\""), std::string::npos);
    r = rotorCli("report sw.h5 -o bad.html --cell nope", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(cells[5]), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ + "/bad.html"));
}

}  // namespace conventions_cli_test
}  // namespace
