// SPDX-License-Identifier: MIT
// `rotor run --json` on a walk-forward: the steps, the stitched curve and the hindsight best in
// the JSON document, on prices built so that every choice and return is known by hand.
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {
namespace walk_forward_cli_test {

using rotor::test::CliResult;
using rotor::test::rotorCli;

// NYSE trading days from 2024-01-02 (2024-01-15 is Martin Luther King Jr. Day).
const std::vector<std::string> kDays = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
                                        "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11",
                                        "2024-01-12", "2024-01-16", "2024-01-17", "2024-01-18",
                                        "2024-01-19"};
// A rises over days 0..4, falls over 3..7, rises over 6..10: the three in-sample windows.
const std::vector<double> kA = {100, 101, 102, 103, 104, 100, 98, 95, 96, 99, 100, 102, 101};

void writePrices(const std::string& file, const std::vector<double>& prices) {
    std::ofstream out(file);
    out << "date,adj_close\n";
    for (std::size_t t = 0; t < kDays.size(); ++t) out << kDays[t] << ',' << prices[t] << '\n';
}

// The value after "\"key\":" in `json`, from `from` on.
std::string field(const std::string& json, const std::string& key, std::size_t from = 0) {
    const std::size_t at = json.find("\"" + key + "\":", from);
    if (at == std::string::npos) return "";
    const std::size_t start = at + key.size() + 3;
    return json.substr(start, json.find_first_of(",}]", start) - start);
}

TEST(WalkForwardCli, JsonCarriesTheStepsTheStitchedCurveAndTheHindsightBest) {
    const std::string dir = rotor::test::scratchDir("walk_forward_cli");
    writePrices(dir + "/A.csv", kA);
    writePrices(dir + "/B.csv", std::vector<double>(kA.size(), 50.0));
    std::ofstream(dir + "/wf.yaml")
        << "name: wf\nmode: historical\n"
           "universe: {assets: [A, B], prices: '{asset}.csv'}\n"
           "cash_rate: 0\n"
           "strategies:\n"
           "  - {name: hold, type: buy_and_hold, weights: {A: 1.0, B: 0.0}}\n"
           "sweep:\n"
           "  strategies[name=hold].weights.A: [1.0, 0.0]\n"
           "walk_forward: {metric: total_return, in_sample: 4, out_of_sample: 3}\n";
    const CliResult r = rotorCli("run wf.yaml -o wf.h5 --json", dir);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::size_t wf = r.out.find("\"walk_forward\":[{");
    ASSERT_NE(wf, std::string::npos) << r.out;
    const std::string json = r.out.substr(wf);

    // The two cells by name: cell 0 holds A, cell 1 holds cash (B at weight 0).
    std::smatch cells;
    ASSERT_TRUE(
        std::regex_search(json, cells, std::regex("\"cells\":\\[(\"[^\"]+\"),(\"[^\"]+\")\\]")))
        << json;
    const std::string holdA = cells[1].str(), cash = cells[2].str();
    EXPECT_EQ(field(json, "metric"), "\"total_return\"");
    EXPECT_EQ(field(json, "maximise"), "true");

    // Decisions at days 4, 7, 10: A rose in sample, fell, rose.
    const std::size_t first[] = {0, 3, 6}, decide[] = {4, 7, 10}, last[] = {7, 10, 12};
    const std::string chosen[] = {holdA, cash, holdA};
    const double isReturn[] = {104.0 / 100 - 1, 0.0, 100.0 / 98 - 1};
    const double oosReturn[] = {95.0 / 104 - 1, 0.0, 101.0 / 100 - 1};
    std::size_t at = json.find("\"steps\":[");
    for (std::size_t k = 0; k < 3; ++k) {
        at = json.find("{\"in_sample_first\"", at + 1);
        ASSERT_NE(at, std::string::npos) << k;
        EXPECT_EQ(field(json, "in_sample_first", at), "\"" + kDays[first[k]] + "\"");
        EXPECT_EQ(field(json, "in_sample_last", at), "\"" + kDays[decide[k]] + "\"");
        EXPECT_EQ(field(json, "out_of_sample_last", at), "\"" + kDays[last[k]] + "\"");
        EXPECT_EQ(field(json, "cell", at), chosen[k]) << k;
        EXPECT_NEAR(std::stod(field(json, "in_sample_metric", at)), isReturn[k], 1e-12) << k;
        EXPECT_NEAR(std::stod(field(json, "out_of_sample_metric", at)), oosReturn[k], 1e-12) << k;
    }
    // Stitched: A 104 -> 95, cash, A 100 -> 101. Hindsight: A over the whole period, 100 -> 101.
    const std::size_t stitched = json.find("\"stitched\":{");
    ASSERT_NE(stitched, std::string::npos);
    const double total = 95.0 / 104 * 101 / 100 - 1;
    EXPECT_EQ(field(json, "start", stitched), "\"" + kDays[4] + "\"");
    EXPECT_EQ(field(json, "end", stitched), "\"" + kDays.back() + "\"");
    EXPECT_NEAR(std::stod(field(json, "metric", stitched)), total, 1e-12);
    EXPECT_NEAR(std::stod(field(json, "total_return", stitched)), total, 1e-12);
    EXPECT_NEAR(std::stod(field(json, "max_drawdown", stitched)), 1 - 95.0 / 104, 1e-12);
    const std::size_t hindsight = json.find("\"hindsight\":{");
    ASSERT_NE(hindsight, std::string::npos);
    EXPECT_EQ(field(json, "cell", hindsight), holdA);
    EXPECT_NEAR(std::stod(field(json, "metric", hindsight)), 101.0 / 100 - 1, 1e-12);
    // The same cell over the stitched days alone: 104 -> 101.
    EXPECT_NEAR(std::stod(field(json, "on_stitched_days", hindsight)), 101.0 / 104 - 1, 1e-12);
    EXPECT_NEAR(std::stod(field(json, "gap", hindsight)), 101.0 / 100 - 1 - total, 1e-12);
}

}  // namespace walk_forward_cli_test
}  // namespace
