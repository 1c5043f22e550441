// SPDX-License-Identifier: MIT
// `rotor compare`, `rotor report` and `rotor export` end to end: the numbers shown equal those
// stored in the file (read back independently), the report renders in headless Chromium, and
// bad input exits 2 with one line.
#include "engine/core/date.hpp"
#include "engine/report/results_reader.hpp"
#include "engine/report/tearsheet.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/engine/report/mc_fixture.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace {
namespace report_cli_test {

using rotor::test::CliResult;
using rotor::test::rotorCli;
using rotor::test::shell;
using rotor::test::slurp;

// A CSV document as rows of fields (no quoted fields in these outputs).
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> row;
        std::string cell;
        std::istringstream ls(line);
        while (std::getline(ls, cell, ',')) row.push_back(cell);
        if (!line.empty() && line.back() == ',') row.emplace_back();
        rows.push_back(row);
    }
    return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
}

std::size_t indexOf(const std::vector<std::string>& v, const std::string& x) {
    return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

// Stored number against the %.17g text compare/export print: they must be the same double.
void expectSame(double stored, const std::string& shown, const std::string& what) {
    if (std::isnan(stored))
        EXPECT_EQ(shown, "") << what;
    else
        EXPECT_EQ(std::stod(shown), stored) << what;
}

const std::vector<std::string> kHistoryMetrics = {"total_return", "cagr",         "volatility",
                                                  "sharpe",       "max_drawdown", "calmar",
                                                  "turnover",     "total_costs"};

class ReportCli : public ::testing::Test {
protected:
    // Per test case, not per suite: ctest runs the cases as parallel processes, and each needs
    // its own files (scratchDir is unique per running case).
    void SetUp() override {
        dir_ = rotor::test::scratchDir("report_cli");
        for (const char* f : {"AAA.csv", "BBB.csv", "rate.csv", "tiny.yaml", "costly.yaml"})
            fs::copy_file(ROTOR_TEST_INPUT(f), dir_ + "/" + f);
        const CliResult a = rotorCli("run tiny.yaml -o hist.h5 --quiet", dir_);
        const CliResult b = rotorCli("run costly.yaml -o costly.h5 --quiet", dir_);
        ASSERT_EQ(a.code, 0) << a.err;
        ASSERT_EQ(b.code, 0) << b.err;
        rotor::test::writeMcFixture(dir_ + "/mc.h5");
    }
    static std::string dir_;
};
std::string ReportCli::dir_;

TEST_F(ReportCli, CompareHistoryEqualsTheStoredMetrics) {
    const CliResult r = rotorCli("compare hist.h5 --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows.size(), 4u) << r.out;  // header + 3 strategies
    rotor::test::H5Reader h5(dir_ + "/hist.h5");
    const auto strategies = h5.columnStrings("/metrics", "strategy");
    std::vector<std::pair<double, std::string>> bySharpe;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string name = rows[i][column(rows[0], "strategy")];
        const std::size_t k = indexOf(strategies, name);
        ASSERT_LT(k, strategies.size()) << name;
        for (const auto& m : kHistoryMetrics)
            expectSame(h5.columnDoubles("/metrics", m)[k], rows[i][column(rows[0], m)],
                       name + " " + m);
        bySharpe.push_back({h5.columnDoubles("/metrics", "sharpe")[k], name});
        // Rows are listed by rank, best Sharpe first.
        EXPECT_EQ(rows[i][column(rows[0], "rank")], std::to_string(i));
    }
    std::sort(bySharpe.rbegin(), bySharpe.rend());
    for (std::size_t i = 1; i < rows.size(); ++i)
        EXPECT_EQ(rows[i][column(rows[0], "strategy")], bySharpe[i - 1].second);
}

TEST_F(ReportCli, CompareMonteCarloEqualsTheStoredSummaryAndShowsRealisedRank) {
    const CliResult r = rotorCli("compare mc.h5 --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows.size(), 4u) << r.out;
    rotor::test::H5Reader h5(dir_ + "/mc.h5");
    const auto strategies = h5.columnStrings("/mc_summary", "strategy");
    const std::map<std::string, std::string> fields = {
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
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string name = rows[i][column(rows[0], "strategy")];
        const std::size_t k = indexOf(strategies, name);
        ASSERT_LT(k, strategies.size());
        for (const auto& [key, field] : fields)
            expectSame(h5.columnDoubles("/mc_summary", field)[k], rows[i][column(rows[0], key)],
                       name + " " + key);
        if (name == "broken") continue;
        const std::string real = "/scenarios/fwd/realised/strategies/" + name + "/wealth";
        const auto wealth = h5.doubles(real);
        expectSame(wealth.back() - 1.0, rows[i][column(rows[0], "realised_return")], name);
        expectSame(h5.attrDouble(real, "percentile_rank"),
                   rows[i][column(rows[0], "realised_rank")], name);
    }
    // The constructed case (mc_fixture.hpp): realised 1.03 against {0.95, 1.00, 1.03, 1.10} is
    // (2 below + 1 tie / 2) / 4 = 62.5 %, shown as such by the human table.
    const CliResult table = rotorCli("compare mc.h5", dir_);
    ASSERT_EQ(table.code, 0);
    EXPECT_TRUE(std::regex_search(table.out, std::regex("mom .* 3\\.00% +62\\.5%"))) << table.out;
    EXPECT_TRUE(std::regex_search(table.out, std::regex("hold \\* .* -2\\.00% +25\\.0%")))
        << table.out;
}

TEST_F(ReportCli, CompareTwoFilesSideBySide) {
    const CliResult r = rotorCli("compare hist.h5 costly.h5 --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = parseCsv(r.out);
    ASSERT_EQ(rows[0], (std::vector<std::string>{"scenario", "strategy", "metric", "hist.h5",
                                                 "costly.h5", "difference"}));
    // Every stored metric of /metrics compare knows: the 8 headline ones, sortino, rebalances,
    // beta, alpha, tracking_error and information_ratio.
    ASSERT_EQ(rows.size(), 1u + 3 * (kHistoryMetrics.size() + 6));
    rotor::test::H5Reader a(dir_ + "/hist.h5"), b(dir_ + "/costly.h5");
    const auto names = a.columnStrings("/metrics", "strategy");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::size_t k = indexOf(names, rows[i][1]);
        const double va = a.columnDoubles("/metrics", rows[i][2])[k];
        const double vb = b.columnDoubles("/metrics", rows[i][2])[k];
        expectSame(va, rows[i][3], rows[i][1] + " a " + rows[i][2]);
        expectSame(vb, rows[i][4], rows[i][1] + " b " + rows[i][2]);
        expectSame(vb - va, rows[i][5], rows[i][1] + " diff " + rows[i][2]);
    }
    // 25 bps instead of 1 bps commission: every strategy pays more.
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i][2] == "total_costs") {
            EXPECT_GT(std::stod(rows[i][5]), 0.0) << rows[i][1];
        }
}

TEST_F(ReportCli, CompareOptions) {
    // Lower max drawdown ranks first.
    CliResult r = rotorCli("compare hist.h5 --format csv --metric max_drawdown", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    auto rows = parseCsv(r.out);
    rotor::test::H5Reader h5(dir_ + "/hist.h5");
    const auto names = h5.columnStrings("/metrics", "strategy");
    const auto dd = h5.columnDoubles("/metrics", "max_drawdown");
    for (std::size_t i = 2; i < rows.size(); ++i)
        EXPECT_LE(dd[indexOf(names, rows[i - 1][1])], dd[indexOf(names, rows[i][1])]);
    // --by strategy groups each strategy's rows across files; JSON and Markdown parse.
    r = rotorCli("compare hist.h5 mc.h5 --by strategy --format json", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    // (std::regex recursion on the long document overflows the stack under ASan: use find.)
    const std::size_t holdA = r.out.find(R"("strategy":"hold_a")");
    const std::size_t mixAt = r.out.find(R"("strategy":"mix")");
    const std::size_t momAt = r.out.find(R"("strategy":"mom")");
    EXPECT_LT(holdA, mixAt);
    EXPECT_LT(mixAt, momAt);  // tiny's strategies in YAML order, then the Monte Carlo ones
    EXPECT_NE(r.out.find(R"("realised_rank":62.5)"), std::string::npos) << r.out;
    r = rotorCli("compare hist.h5 --format markdown", dir_);
    EXPECT_EQ(r.out.substr(0, 12), "| scenario |");
    r = rotorCli("compare hist.h5 --metric sharp", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("unknown metric 'sharp'"), std::string::npos) << r.err;
    r = rotorCli("compare hist.h5 --format xml", dir_);
    EXPECT_EQ(r.code, 2);
}

// Counts <svg class="chart KIND"> per <section class="scenario"> of a DOM dump.
std::vector<std::map<std::string, int>> chartsPerSection(const std::string& dom) {
    std::vector<std::map<std::string, int>> out;
    const std::string marker = "<section class=\"scenario\"";
    std::size_t at = dom.find(marker);
    while (at != std::string::npos) {
        const std::size_t next = dom.find(marker, at + 1);
        const std::string section = dom.substr(at, next == std::string::npos ? std::string::npos
                                                                             : next - at);
        std::map<std::string, int> counts;
        const std::regex re("<svg class=\"chart ([a-z]+)\"");
        for (auto it = std::sregex_iterator(section.begin(), section.end(), re);
             it != std::sregex_iterator(); ++it)
            ++counts[(*it)[1].str()];
        out.push_back(counts);
        at = next;
    }
    return out;
}

const char* kChromium = "/usr/bin/chromium";

CliResult chromium(const std::string& args, const std::string& dir) {
    return shell(std::string(kChromium) +
                     " --headless --disable-gpu --no-sandbox --enable-logging=stderr --v=0 " + args,
                 dir);
}

TEST_F(ReportCli, ReportRendersInHeadlessChromium) {
    for (const char* f : {"hist", "mc"}) {
        const CliResult r = rotorCli(std::string("report ") + f + ".h5 -o " + f + ".html", dir_);
        ASSERT_EQ(r.code, 0) << r.err;
    }
    const std::string html = slurp(dir_ + "/hist.html");
    // Self-contained: no script, nothing fetched; the YAML's <script> is shown as text.
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
    if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium not installed (tools/dev/setup)";

    // History: equity, drawdown and rate once, weights once per strategy (3 ok).
    const CliResult hist = chromium("--dump-dom file://" + dir_ + "/hist.html", dir_);
    ASSERT_EQ(hist.code, 0) << hist.err;
    EXPECT_EQ(hist.err.find("CONSOLE"), std::string::npos) << hist.err;
    const auto h = chartsPerSection(hist.out);
    ASSERT_EQ(h.size(), 1u);
    // Each strategy's sheet: yearly bars, underwater, distribution (six weeks: no rolling window).
    EXPECT_EQ(h[0], (std::map<std::string, int>{{"equity", 1},
                                                {"drawdown", 1},
                                                {"weights", 3},
                                                {"rate", 1},
                                                {"yearly", 3},
                                                {"underwater", 3},
                                                {"distribution", 3}}));
    for (const char* table : {"class=\"headline\"", "class=\"monthly\"",
                              "class=\"worst-drawdowns\"", "class=\"trades\""})
        EXPECT_NE(hist.out.find(table), std::string::npos) << table;
    EXPECT_NE(hist.out.find("<section class=\"provenance\""), std::string::npos);

    // Monte Carlo: a fan and a histogram per ok strategy (mom, hold; broken failed), one
    // drawdown box plot, one rate fan.
    const CliResult mc = chromium("--dump-dom file://" + dir_ + "/mc.html", dir_);
    ASSERT_EQ(mc.code, 0) << mc.err;
    EXPECT_EQ(mc.err.find("CONSOLE"), std::string::npos) << mc.err;
    const auto m = chartsPerSection(mc.out);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0], (std::map<std::string, int>{
                        {"fan", 2}, {"histogram", 2}, {"drawdown", 1}, {"rate", 1}}));
    EXPECT_NE(mc.out.find("62.5%"), std::string::npos);
    EXPECT_NE(mc.out.find("class=\"standard-errors\""), std::string::npos);
    EXPECT_NE(mc.out.find("&lt;b&gt;escaped&lt;/b&gt; &amp; kept"), std::string::npos);

    // A screenshot for people to look at, kept in the build tree.
    const std::string png = dir_ + "/mc_report.png";
    const CliResult shot = chromium(
        "--screenshot=" + png + " --window-size=1400,4000 file://" + dir_ + "/mc.html", dir_);
    EXPECT_EQ(shot.code, 0) << shot.err;
    EXPECT_EQ(shot.err.find("CONSOLE"), std::string::npos) << shot.err;
    ASSERT_TRUE(fs::exists(png));
    EXPECT_GT(fs::file_size(png), 10000u);
}

// Lines "KIND fields..." of tests/tools/tearsheet_reference.py, which recomputes the tear sheet
// with pandas from the results file.
std::vector<std::vector<std::string>> reference(const std::string& args, const std::string& dir) {
    const CliResult r = shell("/usr/bin/python3 '" + std::string(ROTOR_SOURCE_DIR) +
                                  "/tests/tools/tearsheet_reference.py' " + args,
                              dir);
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::vector<std::string>> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::vector<std::string> f;
        std::string w;
        while (ls >> w) f.push_back(w);
        if (!f.empty()) out.push_back(f);
    }
    return out;
}

void expectClose(double expected, double got, const std::string& what) {
    if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(got)) << what;
        return;
    }
    EXPECT_NEAR(got, expected, 1e-9 * std::max(1.0, std::fabs(expected))) << what;
}

std::string pct(double v) {  // the report's percentage format, written out independently
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", v * 100);
    return buf;
}

TEST_F(ReportCli, TearSheetNumbersEqualAnIndependentComputation) {
    const std::string rot = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";
    ASSERT_EQ(rotorCli("run '" + rot + "' -o rot.h5 --quiet", dir_).code, 0);
    const rotor::report::ResultsData data = rotor::report::readResults(dir_ + "/rot.h5");
    const rotor::report::ScenarioData& s = data.scenarios.at(0);
    const std::string strategy = "momentum_top1_6m";
    const rotor::report::HistoryStrategy *st = nullptr, *bench = nullptr;
    for (const auto& h : s.history) {
        if (h.name == strategy) st = &h;
        if (h.name == s.benchmark) bench = &h;
    }
    ASSERT_TRUE(st && bench);
    const auto ref = reference("history rot.h5 " + s.name + " " + strategy + " " + s.benchmark,
                               dir_);
    ASSERT_GT(ref.size(), 300u);

    using namespace rotor::report;
    const auto months = monthlyReturns(s.dates, st->equity, s.initialCapital);
    const auto years = yearlyReturns(s.dates, st->equity, s.initialCapital);
    const auto r = dailyReturns(st->equity);
    const auto stats = returnStats(r);
    const auto episodes = worstDrawdowns(st->equity, 5);
    const auto cash = cashReturns(s.dates, s.cashRate);
    const auto rb = dailyReturns(bench->equity);
    const RollingStats roll[2] = {rollingStats(r, cash, &rb, 126), rollingStats(r, cash, &rb, 252)};
    const std::string html = [&] {
        EXPECT_EQ(rotorCli("report rot.h5", dir_).code, 0);  // default output: rot.html
        return slurp(dir_ + "/rot.html");
    }();
    const std::size_t sheet = html.find("<summary>" + strategy + "</summary>");
    ASSERT_NE(sheet, std::string::npos);
    const std::string sheetHtml = html.substr(sheet, html.find("</details>", sheet) - sheet);
    std::size_t nMonths = 0, nYears = 0, nDrawdowns = 0, nRolling = 0;
    for (const auto& f : ref) {
        if (f[0] == "month") {
            ASSERT_LT(nMonths, months.size());
            const auto& m = months[nMonths++];
            EXPECT_EQ(m.year, std::stoi(f[1]));
            EXPECT_EQ(m.month, std::stoi(f[2]));
            expectClose(std::stod(f[3]), m.value, "month " + f[1] + "-" + f[2]);
            EXPECT_NE(sheetHtml.find(">" + pct(std::stod(f[3])) + "</td>"), std::string::npos)
                << f[1] << "-" << f[2];
        } else if (f[0] == "year") {
            ASSERT_LT(nYears, years.size());
            const auto& y = years[nYears++];
            EXPECT_EQ(y.year, std::stoi(f[1]));
            expectClose(std::stod(f[2]), y.value, "year " + f[1]);
            EXPECT_NE(sheetHtml.find("<b>" + pct(std::stod(f[2])) + "</b>"), std::string::npos);
        } else if (f[0] == "stat") {
            const double v = std::stod(f[2]);
            const double got = f[1] == "skew"        ? stats.skew
                               : f[1] == "kurtosis"  ? stats.kurtosis
                               : f[1] == "best_day"  ? stats.bestDay
                               : f[1] == "worst_day" ? stats.worstDay
                                                     : stats.hitRate;
            expectClose(v, got, f[1]);
        } else if (f[0] == "drawdown") {
            ASSERT_LT(nDrawdowns, episodes.size());
            const auto& e = episodes[nDrawdowns++];
            EXPECT_EQ(e.peak, std::stoul(f[1]));
            EXPECT_EQ(e.trough, std::stoul(f[2]));
            EXPECT_EQ(e.recovery, std::stol(f[3]));
            expectClose(std::stod(f[4]), e.depth, "drawdown depth");
            EXPECT_EQ(e.length, std::stoul(f[5]));
            // The table row: start, trough, depth as a loss.
            EXPECT_NE(sheetHtml.find("<td>" + s.dates[e.peak] + "</td><td>" + s.dates[e.trough] +
                                     "</td>"),
                      std::string::npos);
            EXPECT_NE(sheetHtml.find(">" + pct(-std::stod(f[4])) + "</td>"), std::string::npos);
        } else if (f[0] == "rolling") {
            const RollingStats& rs = roll[f[1] == "126" ? 0 : 1];
            const auto day = std::stoul(f[2]);
            expectClose(std::stod(f[3]), rs.volatility.at(day), "rolling vol " + f[1] + " " + f[2]);
            expectClose(std::stod(f[4]), rs.sharpe.at(day), "rolling sharpe " + f[1] + " " + f[2]);
            expectClose(std::stod(f[5]), rs.beta.at(day), "rolling beta " + f[1] + " " + f[2]);
            ++nRolling;
        }
    }
    EXPECT_EQ(nMonths, months.size());
    EXPECT_EQ(nYears, years.size());
    EXPECT_EQ(nDrawdowns, episodes.size());
    EXPECT_EQ(nDrawdowns, 5u);
    EXPECT_GT(nRolling, 20u);
    // The deepest episode is the stored maximum drawdown, with its dates.
    rotor::test::H5Reader h5(dir_ + "/rot.h5");
    const auto names = h5.columnStrings("/metrics", "strategy");
    const std::size_t k = indexOf(names, strategy);
    EXPECT_DOUBLE_EQ(episodes[0].depth, h5.columnDoubles("/metrics", "max_drawdown")[k]);
    EXPECT_EQ(s.dates[episodes[0].peak], h5.columnStrings("/metrics", "peak_date")[k]);
    EXPECT_EQ(s.dates[episodes[0].trough], h5.columnStrings("/metrics", "trough_date")[k]);
    // The headline table shows the stored Sortino, alpha, beta and information ratio.
    for (const char* key : {"sortino", "beta", "information_ratio"}) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", h5.columnDoubles("/metrics", key)[k]);
        const std::size_t row = html.find("<tr data-key=\"" + std::string(key) + "\">");
        ASSERT_NE(row, std::string::npos) << key;
        EXPECT_NE(html.substr(row, html.find("</tr>", row) - row).find(buf), std::string::npos)
            << key << " " << buf;
    }
    const std::size_t alpha = html.find("<tr data-key=\"alpha\">");
    ASSERT_NE(alpha, std::string::npos);
    EXPECT_NE(html.substr(alpha, html.find("</tr>", alpha) - alpha)
                  .find(pct(h5.columnDoubles("/metrics", "alpha")[k])),
              std::string::npos);
    // A historical file has no seed to show.
    EXPECT_EQ(html.find("<th>seed</th>"), std::string::npos);
}

TEST_F(ReportCli, MonteCarloStandardErrorsEqualAnIndependentComputation) {
    const auto ref = reference("montecarlo mc.h5 fwd mom", dir_);
    std::map<std::string, double> v;
    for (const auto& f : ref) v[f[1]] = std::stod(f[2]);
    ASSERT_EQ(v.size(), 6u);
    const auto data = rotor::report::readResults(dir_ + "/mc.h5");
    const std::vector<double>* w = nullptr;
    for (const auto& m : data.scenarios.at(0).mc)
        if (m.name == "mom") w = m.path("terminal_wealth");
    ASSERT_TRUE(w);
    const auto mean = rotor::report::meanEstimate(*w);
    const auto median = rotor::report::medianEstimate(*w);
    const auto loss = rotor::report::shareBelowEstimate(*w, 1.0);
    expectClose(v["mean"], mean.value, "mean");
    expectClose(v["mean_se"], mean.stdError, "mean se");
    expectClose(v["median"], median.value, "median");
    expectClose(v["median_se"], median.stdError, "median se");
    expectClose(v["p_loss"], loss.value, "P(loss)");
    expectClose(v["p_loss_se"], loss.stdError, "P(loss) se");
    rotor::test::H5Reader h5(dir_ + "/mc.h5");
    const auto names = h5.columnStrings("/mc_summary", "strategy");
    EXPECT_DOUBLE_EQ(loss.value,
                     h5.columnDoubles("/mc_summary", "prob_loss")[indexOf(names, "mom")]);
    ASSERT_EQ(rotorCli("report mc.h5 -o mc.html", dir_).code, 0);
    // Shown as returns (W - 1) like the comparison table, the errors in percentage points.
    const std::string html = slurp(dir_ + "/mc.html");
    const std::size_t at = html.find("<table class=\"standard-errors\">");
    ASSERT_NE(at, std::string::npos);
    const std::string table = html.substr(at, html.find("</table>", at) - at);
    EXPECT_NE(table.find("<th>mean ret</th><th>median ret</th>"), std::string::npos) << table;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "<td>mom</td><td class=\"n\">%.2f%% ± %.2f pp</td><td class=\"n\">%.2f%% ± "
                  "%.2f pp</td><td class=\"n\">%.2f%% ± %.2f pp</td>",
                  (v["mean"] - 1) * 100, v["mean_se"] * 100, (v["median"] - 1) * 100,
                  v["median_se"] * 100, v["p_loss"] * 100, v["p_loss_se"] * 100);
    EXPECT_NE(table.find(buf), std::string::npos) << buf << "\n" << table;
    EXPECT_EQ(table.find("x ±"), std::string::npos) << table;  // no wealth multiples
}

// The report with a script appended that measures the laid-out page (the report itself has no
// script and forbids one): elements past the page width, chart text outside its chart, and the
// date-axis labels. Returns the text the script writes, "overflow: ...", "ticks: ...".
std::string layoutCheck(const std::string& report, const std::string& dir, int width = 1280) {
    std::string html = slurp(dir + "/" + report);
    const std::size_t csp = html.find("<meta http-equiv=\"Content-Security-Policy\"");
    if (csp != std::string::npos) html.erase(csp, html.find('>', csp) + 1 - csp);
    const std::string script = R"(<script>
window.addEventListener('load', () => {
  const W = document.documentElement.clientWidth, bad = [];
  const name = e => e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + (e.textContent || '').slice(0, 30);
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('details:not([open])')) continue;
    const p = e.parentElement && e.parentElement.closest('div.scroll, pre');
    if (p) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 0.5) bad.push('page: ' + name(e) + ' ' + r.right + '>' + W);
  }
  for (const t of document.querySelectorAll('svg.chart text')) {
    if (t.closest('details:not([open])')) continue;
    const r = t.getBoundingClientRect(), s = t.closest('svg').getBoundingClientRect();
    if (r.width > 0 && (r.left < s.left - 0.5 || r.right > s.right + 0.5)) bad.push('chart: ' + name(t));
  }
  const ticks = [...document.querySelectorAll('svg.chart text.xt')].map(t => t.textContent);
  const out = document.createElement('pre');
  out.id = 'layout-check';
  out.textContent = 'scroll ' + document.documentElement.scrollWidth + ' width ' + W + '\noverflow: ' + bad.join(' | ') + '\nticks: ' + ticks.join(' ') + '\n';
  document.body.appendChild(out);
});
</script>)";
    html.insert(html.rfind("</body>"), script);
    std::ofstream(dir + "/check_" + report) << html;
    const CliResult r = chromium(
        "--allow-file-access-from-files --virtual-time-budget=20000 "
        "--window-size=" +
            std::to_string(width) + ",900 --dump-dom file://" + dir + "/check_" + report,
        dir);
    EXPECT_EQ(r.code, 0) << r.err;
    const std::size_t at = r.out.find("<pre id=\"layout-check\">");
    if (at == std::string::npos) return "";
    return r.out.substr(at, r.out.find("</pre>", at) - at);
}

TEST_F(ReportCli, ReportLaysOutWithinThePageAndTicksOnCalendarBoundaries) {
    if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium not installed (tools/dev/setup)";
    const std::string rot = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";
    ASSERT_EQ(rotorCli("run '" + rot + "' -o rot.h5 --quiet", dir_).code, 0);
    for (const char* f : {"rot", "mc", "hist"}) {
        ASSERT_EQ(rotorCli(std::string("report ") + f + ".h5", dir_).code, 0);
        const std::string check = layoutCheck(std::string(f) + ".html", dir_);
        ASSERT_NE(check, "") << f;
        EXPECT_NE(check.find("overflow: \n"), std::string::npos) << f << ": " << check;
        const std::size_t at = check.find("ticks: ");
        ASSERT_NE(at, std::string::npos);
        std::istringstream ticks(check.substr(at + 7));
        std::string tick;
        int n = 0;
        // A year, a month, or (data of a few weeks) the first trading day of a week: a Monday
        // in these fixtures.
        const std::regex boundary(f == std::string("rot") ? "\\d{4}"
                                                          : "\\d{4}(-\\d{2}(-\\d{2})?)?");
        while (ticks >> tick) {
            ++n;
            EXPECT_TRUE(std::regex_match(tick, boundary)) << f << ": " << tick;
            if (tick.size() == 10) {
                const auto day = rotor::Date::parseIso(tick);
                EXPECT_TRUE(day && day->weekday() == 1) << f << ": " << tick;
            }
        }
        EXPECT_GT(n, 0) << f;
        if (f == std::string("rot")) {
            // 2000-2025: only year ticks, five years apart (the yearly bars label every year).
            EXPECT_NE(check.find(" 2005 2010 2015 2020 2025"), std::string::npos) << check;
        }
    }
}

// A sweep page and a 25-year history at a desktop width and at 800 px: nothing past the page
// (wide tables scroll in their own box); the long history has its rolling charts.
TEST_F(ReportCli, SweepAndLongHistoryLayOutWithinThePageAtAnyWidth) {
    if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium not installed (tools/dev/setup)";
    const std::string rot = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";
    std::ofstream(dir_ + "/sw.yaml") << "extends: '" << rot << "'\nname: rotsw\nsweep:\n"
                                     << "  costs.commission_bps: [1, 50]\n"
                                     << "  strategies[name=momentum_top1_6m].lookback: [63, 126]\n";
    ASSERT_EQ(rotorCli("run sw.yaml -o sw.h5 --quiet", dir_).code, 0);
    ASSERT_EQ(rotorCli("run '" + rot + "' -o rot.h5 --quiet", dir_).code, 0);
    for (const char* f : {"sw", "rot"}) {
        ASSERT_EQ(rotorCli(std::string("report ") + f + ".h5", dir_).code, 0);
        for (int width : {1280, 800}) {
            const std::string check = layoutCheck(std::string(f) + ".html", dir_, width);
            ASSERT_NE(check, "") << f << " " << width;
            EXPECT_NE(check.find("overflow: \n"), std::string::npos)
                << f << " at " << width << ": " << check;
        }
    }
    // Rolling charts: the history spans 25 years, far past the 12-month window. Each strategy's
    // sheet has rolling Sharpe and volatility, and but for the benchmark's own, beta against
    // the benchmark, as laid out by Chromium.
    const CliResult dom = chromium("--dump-dom file://" + dir_ + "/rot.html", dir_);
    ASSERT_EQ(dom.code, 0) << dom.err;
    EXPECT_EQ(dom.err.find("CONSOLE"), std::string::npos) << dom.err;
    rotor::test::H5Reader h5(dir_ + "/rot.h5");
    const auto status = h5.columnStrings("/metrics", "status");
    const auto ok = static_cast<std::size_t>(std::count(status.begin(), status.end(), "ok"));
    ASSERT_GT(ok, 1u);
    const std::string marker = "<details class=\"sheet\"";
    std::size_t sheets = 0;
    for (std::size_t at = dom.out.find(marker); at != std::string::npos;) {
        const std::size_t next = dom.out.find(marker, at + 1);
        const std::string sheet = dom.out.substr(at, next == std::string::npos ? std::string::npos
                                                                               : next - at);
        std::size_t rolling = 0;
        for (std::size_t p = sheet.find("<svg class=\"chart rolling\""); p != std::string::npos;
             p = sheet.find("<svg class=\"chart rolling\"", p + 1))
            ++rolling;
        // The benchmark's own sheet has no beta (against itself it is 1).
        const bool bench = sheet.substr(0, sheet.find("</summary>")).find("(benchmark)") !=
                           std::string::npos;
        EXPECT_EQ(rolling, bench ? 2u : 3u) << sheet.substr(0, 200);
        for (const char* what : {"rolling Sharpe", "rolling volatility"})
            EXPECT_NE(sheet.find(what), std::string::npos) << what;
        EXPECT_EQ(sheet.find("rolling beta") != std::string::npos, !bench) << sheet.substr(0, 200);
        ++sheets;
        at = next;
    }
    EXPECT_EQ(sheets, ok);
}

// The backtest-model page in Chromium: no console message, one PIT histogram per conditioning
// and target, and nothing laid out past the page width.
TEST_F(ReportCli, BacktestModelReportRendersWithinThePage) {
    if (!fs::exists(kChromium)) GTEST_SKIP() << "chromium not installed (tools/dev/setup)";
    std::ofstream(dir_ + "/bt.yaml")
        << "name: small\nscenario: '" << ROTOR_SOURCE_DIR
        << "/scenarios/great_rotation_2026.yaml'\nstarts: [2008-01-31, 2008-04-30, 2009-01-30]\n"
        << "horizon_months: 3\npaths: 30\nseed: 3\n"
        << "conditioning: [unconditional, realised_regime]\nassets: [SPY, IWM]\n"
        << "spreads: [{name: IWM-SPY, long: IWM, short: SPY}]\nstore_outcomes: false\n";
    ASSERT_EQ(rotorCli("backtest-model bt.yaml -o bt.h5 --quiet", dir_).code, 0);
    ASSERT_EQ(rotorCli("report bt.h5", dir_).code, 0);
    const CliResult dom = chromium("--dump-dom file://" + dir_ + "/bt.html", dir_);
    ASSERT_EQ(dom.code, 0) << dom.err;
    EXPECT_EQ(dom.err.find("CONSOLE"), std::string::npos) << dom.err;
    const std::regex chart("<svg class=\"chart pit-histogram\"");
    EXPECT_EQ(std::distance(std::sregex_iterator(dom.out.begin(), dom.out.end(), chart),
                            std::sregex_iterator()),
              6);
    for (const char* table :
         {"class=\"backtest-summary\"", "class=\"pit-counts\"", "class=\"coverage\"",
          "class=\"crps\"", "class=\"ks\"", "<section class=\"provenance\""})
        EXPECT_NE(dom.out.find(table), std::string::npos) << table;
    const std::string check = layoutCheck("bt.html", dir_);
    ASSERT_NE(check, "");
    EXPECT_NE(check.find("overflow: \n"), std::string::npos) << check;
}

// Largest over smallest wealth (equity / initial capital) of any strategy in a results file.
double wealthSpan(const std::string& h5path) {
    rotor::test::H5Reader h5(h5path);
    const auto groups = h5.columnStrings("/metrics", "group");
    const auto status = h5.columnStrings("/metrics", "status");
    double lo = INFINITY, hi = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (status[i] != "ok") continue;
        for (double e : h5.doubles(groups[i] + "/equity")) {
            lo = std::min(lo, e);
            hi = std::max(hi, e);
        }
    }
    return hi / lo;  // the capital divides out
}

TEST_F(ReportCli, WealthSpanningMoreThanFourfoldIsDrawnOnALogScale) {
    // Six weeks of the fixture: a linear axis. 2000-2025 of the bundled scenario: log.
    const std::string rot = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";
    ASSERT_EQ(rotorCli("run '" + rot + "' -o rot.h5 --quiet", dir_).code, 0);
    for (const auto& [name, log] : {std::pair<std::string, bool>{"hist", false}, {"rot", true}}) {
        EXPECT_EQ(wealthSpan(dir_ + "/" + name + ".h5") >= 4.0, log) << name;
        const CliResult r = rotorCli("report " + name + ".h5 -o " + name + ".html", dir_);
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string html = slurp(dir_ + "/" + name + ".html");
        const bool titled = html.find("Wealth (equity / initial capital), log scale") !=
                            std::string::npos;
        EXPECT_EQ(titled, log) << name;
        // A log axis labels 1-2-5 steps: 1.0x and 10.0x for a history that grew past tenfold.
        if (log) {
            EXPECT_NE(html.find(">1.0x</text>"), std::string::npos);
            EXPECT_NE(html.find(">10.0x</text>"), std::string::npos);
        }
    }
}

TEST_F(ReportCli, ReportIsNotOverwrittenWithoutForce) {
    std::ofstream(dir_ + "/keep.html") << "earlier";
    CliResult r = rotorCli("report hist.h5 -o keep.html", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir_ + "/keep.html"), "earlier");
    r = rotorCli("report hist.h5 -o keep.html --force", dir_);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(slurp(dir_ + "/keep.html").substr(0, 15), "<!DOCTYPE html>");
    for (const auto& e : fs::directory_iterator(dir_))
        EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
}

TEST_F(ReportCli, ExportWritesTheStoredNumbersAsCsv) {
    CliResult r = rotorCli("export hist.h5 --csv out", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    rotor::test::H5Reader h5(dir_ + "/hist.h5");
    const auto metrics = parseCsv(slurp(dir_ + "/out/metrics.csv"));
    const auto names = h5.columnStrings("/metrics", "strategy");
    ASSERT_EQ(metrics.size(), names.size() + 1);
    for (std::size_t i = 0; i < names.size(); ++i) {
        EXPECT_EQ(metrics[i + 1][column(metrics[0], "strategy")], names[i]);
        for (const auto& m : kHistoryMetrics)
            expectSame(h5.columnDoubles("/metrics", m)[i], metrics[i + 1][column(metrics[0], m)],
                       m);
    }
    const auto equity = parseCsv(slurp(dir_ + "/out/tiny/mix_equity.csv"));
    const auto stored = h5.doubles("/scenarios/tiny/strategies/mix/equity");
    const auto dates = h5.strings("/scenarios/tiny/dates");
    ASSERT_EQ(equity.size(), stored.size() + 1);
    for (std::size_t t = 0; t < stored.size(); ++t) {
        EXPECT_EQ(equity[t + 1][0], dates[t]);
        expectSame(stored[t], equity[t + 1][1], "equity");
    }
    const auto weights = parseCsv(slurp(dir_ + "/out/tiny/mix_weights.csv"));
    EXPECT_EQ(weights[0], (std::vector<std::string>{"date", "AAA", "BBB"}));
    // Every stored trade (the report lists only the first ones).
    const auto trades = parseCsv(slurp(dir_ + "/out/tiny/mix_trades.csv"));
    const std::string tradesPath = "/scenarios/tiny/strategies/mix/trades";
    const auto tradeDates = h5.columnStrings(tradesPath, "date");
    const auto tradeAssets = h5.columnStrings(tradesPath, "asset");
    const auto notional = h5.columnDoubles(tradesPath, "notional");
    ASSERT_FALSE(tradeDates.empty());
    ASSERT_EQ(trades.size(), tradeDates.size() + 1);
    for (std::size_t i = 0; i < tradeDates.size(); ++i) {
        EXPECT_EQ(trades[i + 1][column(trades[0], "date")], tradeDates[i]);
        EXPECT_EQ(trades[i + 1][column(trades[0], "asset")], tradeAssets[i]);
        expectSame(notional[i], trades[i + 1][column(trades[0], "notional")], "notional");
    }

    // Existing files are refused without --force (nothing rewritten), replaced with it.
    r = rotorCli("export hist.h5 --csv out", dir_);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    r = rotorCli("export hist.h5 --csv out --force", dir_);
    EXPECT_EQ(r.code, 0) << r.err;

    r = rotorCli("export mc.h5 --csv mcout", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    rotor::test::H5Reader mc(dir_ + "/mc.h5");
    const auto bands = parseCsv(slurp(dir_ + "/mcout/fwd/mom_bands.csv"));
    EXPECT_EQ(bands[0], (std::vector<std::string>{"date", "p5", "p50", "p95"}));
    const auto stored2 = mc.doubles("/scenarios/fwd/strategies/mom/equity_bands");  // row-major
    ASSERT_EQ(bands.size(), 5u);
    for (std::size_t t = 0; t < 4; ++t) {
        for (std::size_t q = 0; q < 3; ++q)
            expectSame(stored2[t * 3 + q], bands[t + 1][q + 1], "band");
    }
    EXPECT_TRUE(fs::exists(dir_ + "/mcout/mc_summary.csv"));
    EXPECT_TRUE(fs::exists(dir_ + "/mcout/fwd/realised.csv"));
    EXPECT_TRUE(fs::exists(dir_ + "/mcout/fwd/hold_paths.csv"));
}

// More than 8 strategies: libhdf5 keeps the strategies group's links in a fractal heap with
// a name index (dense storage). Its links are read and checked by rotor before libhdf5 lists
// them (engine/io/hdf5_links.hpp); a damaged heap or index made libhdf5 1.10 abort freeing a
// bad pointer in H5G__link_release_table, now it is refused with exit 2.
TEST_F(ReportCli, AGroupOfMoreThanEightStrategiesIsReadAndItsDamageRefused) {
    std::string yaml = slurp(dir_ + "/tiny.yaml");
    for (int i = 1; i <= 7; ++i)
        yaml += "  - name: mix_" + std::to_string(i) +
                "\n    type: fixed_mix\n    weights: {AAA: 0." + std::to_string(i) + ", BBB: 0." +
                std::to_string(10 - i) + "}\n    rebalance: weekly\n";
    std::ofstream(dir_ + "/ten.yaml") << yaml;
    ASSERT_EQ(rotorCli("run ten.yaml -o ten.h5 --quiet", dir_).code, 0);
    const CliResult r = rotorCli("compare ten.h5 --format csv", dir_);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(parseCsv(r.out).size(), 11u) << r.out;  // header + 10 strategies
    EXPECT_EQ(rotorCli("report ten.h5 -o ten.html", dir_).code, 0);
    EXPECT_EQ(rotorCli("export ten.h5 --csv ten-csv", dir_).code, 0);
    // The one fractal heap: its header's table width (offset 110) changed.
    std::string bytes = slurp(dir_ + "/ten.h5");
    const std::size_t heap = bytes.find("FRHP");
    ASSERT_NE(heap, std::string::npos);
    ASSERT_EQ(bytes.find("FRHP", heap + 1), std::string::npos);
    bytes[heap + 110] = static_cast<char>(bytes[heap + 110] ^ 0x5a);
    std::ofstream(dir_ + "/ten-bad.h5", std::ios::binary) << bytes;
    const std::string why =
        "ten-bad.h5: not a valid rotor results file: "
        "/scenarios/tiny/strategies: the link heap at " +
        std::to_string(heap) + " fails its checksum\n";
    for (const char* args :
         {"report ten-bad.h5 -o bad.html", "compare ten-bad.h5", "export ten-bad.h5 --csv bad"}) {
        const CliResult b = rotorCli(args, dir_);
        EXPECT_EQ(b.code, 2) << args << ": " << b.err;
        EXPECT_NE(b.err.find(why), std::string::npos) << args << ": " << b.err;
        EXPECT_EQ(std::count(b.err.begin(), b.err.end(), '\n'), 1) << args << ": " << b.err;
    }
    EXPECT_FALSE(fs::exists(dir_ + "/bad.html"));
}

TEST_F(ReportCli, BadInputExitsTwoWithOneLine) {
    std::ofstream(dir_ + "/text.h5") << "not hdf5\n";
    rotor::test::writeForeignHdf5(dir_ + "/foreign.h5");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"compare missing.h5", "missing.h5.*no such file"},
        {"report missing.h5 -o m.html", "no such file"},
        {"export missing.h5 --csv m", "no such file"},
        {"compare text.h5", "not a rotor results file"},
        {"compare foreign.h5", "not a rotor results file"},
        {"report foreign.h5 -o f.html", "not a rotor results file, nor a backtest-model file"},
        {"compare", "no results file"},
    };
    for (const auto& [args, pattern] : cases) {
        const CliResult r = rotorCli(args, dir_);
        EXPECT_EQ(r.code, 2) << args << ": " << r.err;
        EXPECT_TRUE(std::regex_search(r.err, std::regex(pattern))) << args << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(dir_ + "/m.html"));
    EXPECT_FALSE(fs::exists(dir_ + "/f.html"));
}

}  // namespace report_cli_test
}  // namespace
