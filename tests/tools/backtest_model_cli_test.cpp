// SPDX-License-Identifier: MIT
// `rotor backtest-model` end to end on the bundled data: the file's layout and provenance, the
// summary's numbers against the per-start rows, no overwrite without --force, --json; and
// `rotor report` on the file it writes.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace backtest_model_cli_test {

TEST(BacktestModelCli, WritesScoresWithProvenanceAndRefusesToOverwrite) {
    const std::string dir = test::scratchDir("btm_cli");
    const std::string src = ROTOR_SOURCE_DIR;
    std::ofstream(dir + "/b.yaml")
        << "name: small\nscenario: '" << src << "/scenarios/great_rotation_2026.yaml'\n"
        << "starts: [2008-01-31, 2008-04-30, 2009-01-30, 2010-02-26]\nhorizon_months: 3\n"
        << "paths: 30\nseed: 3\nconditioning: [unconditional, realised_regime]\n"
        << "assets: [SPY, IWM]\nspreads: [{name: IWM-SPY, long: IWM, short: SPY}]\n";
    const test::CliResult r = test::rotorCli("backtest-model b.yaml -o out.h5", dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("unconditional"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("IWM-SPY"), std::string::npos) << r.out;

    const test::H5Reader h5(dir + "/out.h5");
    EXPECT_EQ(h5.attrString("/", "format"), "rotor-backtest-model");
    EXPECT_EQ(h5.attrUInt64("/", "seed"), 3u);
    EXPECT_TRUE(h5.exists("/provenance/data_files"));
    EXPECT_NE(h5.string("/provenance/scenario_yaml").find("name: small"), std::string::npos);
    const std::vector<std::string> starts = h5.strings("/backtest/starts");
    const std::vector<std::string> want = {"2008-01-31", "2008-04-30", "2009-01-30", "2010-02-26"};
    EXPECT_EQ(starts, want);
    // 3-month horizons: 2008-01-31 ends 2008-04-30, on which the second start falls, so all four
    // are non-overlapping.
    EXPECT_EQ(h5.int64s("/backtest/ks_start_index"), (std::vector<std::int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(h5.dims("/backtest/realised_regime/IWM-SPY/outcomes"), (std::vector<hsize_t>{4, 30}));
    std::int64_t total = 0;
    for (auto c : h5.int64s("/backtest/unconditional/SPY/pit_histogram")) total += c;
    EXPECT_EQ(total, 4);

    // Overwrite refused without --force, the file untouched; --json with --force.
    const auto before = fs::last_write_time(dir + "/out.h5");
    const test::CliResult again = test::rotorCli("backtest-model b.yaml -o out.h5", dir);
    EXPECT_EQ(again.code, 2);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    EXPECT_EQ(fs::last_write_time(dir + "/out.h5"), before);
    const test::CliResult json = test::rotorCli(
        "backtest-model b.yaml -o out.h5 --force --json --threads 1", dir);
    ASSERT_EQ(json.code, 0) << json.err;
    EXPECT_EQ(json.out.rfind("{\"name\":\"small\"", 0), 0u) << json.out;
    EXPECT_NE(json.out.find("\"ks_starts\":4"), std::string::npos) << json.out;
}

// The report of a real backtest-model file: one PIT histogram per conditioning and target, whose
// counts are those of the file's per-start PITs (recounted here), coverage counts from the
// stored band flags; the robustness rules of `rotor report`.
TEST(BacktestModelCli, ReportDrawsPitHistogramsFromTheFile) {
    const std::string dir = test::scratchDir("btm_report_cli");
    const std::string src = ROTOR_SOURCE_DIR;
    std::ofstream(dir + "/b.yaml")
        << "name: small\nscenario: '" << src << "/scenarios/great_rotation_2026.yaml'\n"
        << "starts: {from: 2009-01, to: 2009-06}\nhorizon_months: 3\n"
        << "paths: 40\nseed: 5\nconditioning: [unconditional, realised_regime, realised_rates]\n"
        << "assets: [SPY, IWM]\nspreads: [{name: IWM-SPY, long: IWM, short: SPY}]\n"
        << "store_outcomes: false\n";
    ASSERT_EQ(test::rotorCli("backtest-model b.yaml -o bt.h5 --quiet", dir).code, 0);

    const test::CliResult r = test::rotorCli("report bt.h5", dir);  // default: bt.html
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("wrote bt.html"), std::string::npos) << r.out;
    std::ifstream in(dir + "/bt.html");
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t charts = 0;
    for (auto i = html.find("<svg class=\"chart pit-histogram\""); i != std::string::npos;
         i = html.find("<svg class=\"chart pit-histogram\"", i + 1))
        ++charts;
    EXPECT_EQ(charts, 9u);  // 3 conditionings x (SPY, IWM, IWM-SPY)

    const test::H5Reader h5(dir + "/bt.h5");
    const std::size_t starts = h5.strings("/backtest/starts").size();
    EXPECT_EQ(starts, 6u);
    // Per target section, the pit-counts rows in conditioning order.
    const std::regex row(R"(<tr><th>([a-z_]+)</th>((?:<td class="n[^"]*"[^>]*>\d+\*?</td>){10}))");
    const std::regex cell(R"(>(\d+)\*?</td>)");
    std::size_t section = 0;
    for (const std::string target : {"SPY", "IWM", "IWM-SPY"}) {
        const std::size_t at = html.find("<section class=\"target\"", section + 1);
        ASSERT_NE(at, std::string::npos) << target;
        section = at;
        const std::string body = html.substr(at, html.find("</section>", at) - at);
        EXPECT_NE(body.find("<h2>" + target + "</h2>"), std::string::npos) << target;
        auto it = std::sregex_iterator(body.begin(), body.end(), row);
        for (const std::string cond : {"unconditional", "realised_regime", "realised_rates"}) {
            ASSERT_NE(it, std::sregex_iterator()) << target << " " << cond;
            EXPECT_EQ((*it)[1].str(), cond);
            const std::string cells = (*it)[2].str();
            std::vector<long> shown;
            for (auto c = std::sregex_iterator(cells.begin(), cells.end(), cell);
                 c != std::sregex_iterator(); ++c)
                shown.push_back(std::stol((*c)[1].str()));
            const std::string scores = "/backtest/" + cond + "/" + target + "/scores";
            std::vector<long> want(10, 0);
            for (double u : h5.columnDoubles(scores, "pit"))
                ++want[static_cast<std::size_t>(std::min(9.0, std::floor(u * 10)))];
            EXPECT_EQ(shown, want) << target << " " << cond;
            const auto in50 = h5.columnInt64s(scores, "in50");
            const auto inside = std::count(in50.begin(), in50.end(), 1);
            EXPECT_NE(body.find("<td class=\"n\">" + std::to_string(inside) + " / 6</td>"),
                      std::string::npos)
                << target << " " << cond;
            ++it;
        }
    }

    // No overwrite without --force; never the input; --metric belongs to results files.
    const test::CliResult again = test::rotorCli("report bt.h5", dir);
    EXPECT_EQ(again.code, 2);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    EXPECT_EQ(test::rotorCli("report bt.h5 --force", dir).code, 0);
    const test::CliResult self = test::rotorCli("report bt.h5 -o bt.h5 --force", dir);
    EXPECT_EQ(self.code, 2) << self.err;
    EXPECT_TRUE(fs::exists(dir + "/bt.h5"));
    EXPECT_EQ(test::H5Reader(dir + "/bt.h5").attrString("/", "format"), "rotor-backtest-model");
    const test::CliResult metric = test::rotorCli("report bt.h5 -o m.html --metric sharpe", dir);
    EXPECT_EQ(metric.code, 2);
    EXPECT_NE(metric.err.find("backtest-model file"), std::string::npos) << metric.err;
    EXPECT_FALSE(fs::exists(dir + "/m.html"));
}

// Bad input of the realised conditionings and of first-cut starts: exit 2 before any
// simulation, one line located at the spec's key (file:line:column), nothing written.
TEST(BacktestModelCli, BadConditioningAndStartsAreLocated) {
    const std::string dir = test::scratchDir("btm_bad_cli");
    const std::string src = ROTOR_SOURCE_DIR;
    const auto check = [&](const std::string& name, const std::string& body,
                           const std::string& token, const std::vector<std::string>& expect) {
        SCOPED_TRACE(name);
        const std::string text = "name: bad\nscenario: '" + src +
                                 "/scenarios/great_rotation_2026.yaml'\npaths: 10\n"
                                 "assets: [SPY]\n" +
                                 body;
        std::ofstream(dir + "/" + name) << text;
        const test::CliResult r = test::rotorCli("backtest-model " + name + " -o out.h5", dir);
        EXPECT_EQ(r.code, 2) << r.err;
        const test::TextLocation at = test::locate(text, token);
        const std::string where = name + ":" + std::to_string(at.line) + ":" +
                                  std::to_string(at.column) + ":";
        EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
        for (const auto& e : expect) EXPECT_NE(r.err.find(e), std::string::npos) << e << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(fs::exists(dir + "/out.h5"));
    };
    check("unknown.yaml",
          "starts: [2010-01-29]\nhorizon_months: 3\nconditioning: [unconditional, realised_rate]\n",
          "realised_rate]", {"conditioning", "unknown regime 'realised_rate'", "realised_rates"});
    // The last first cut since 1995 is 2024-09-19: 24 months end after the prices' last close.
    check("cuts.yaml",
          "starts: {first_cuts: {since: 1995-01-01}}\nhorizon_months: 24\n"
          "conditioning: unconditional\n",
          "24", {"horizon_months", "the start 2024-09-19 plus 24 months"});
    check("cut_class.yaml",
          "starts: {first_cuts: {since: 1995-01-01, classes: [hold]}}\nhorizon_months: 12\n"
          "conditioning: unconditional\n",
          "[hold]", {"classes", "unknown class 'hold'"});
    // The funds rate in data/ ends in March 2026: a horizon to June 2026 cannot follow it.
    check("rates.yaml",
          "starts: [2025-06-30]\nhorizon_months: 12\nconditioning: [unconditional, "
          "realised_rates]\n",
          "12", {"horizon_months", "realised_rates", "DFF.csv"});
}

}  // namespace backtest_model_cli_test
}  // namespace
}  // namespace rotor
