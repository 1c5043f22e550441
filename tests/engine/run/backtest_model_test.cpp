// SPDX-License-Identifier: MIT
// The model backtest on the bundled data: a start's simulated outcomes do not change when every
// data row after it changes (and do when its own day's rows change: the cut is at the start),
// they do not depend on the thread count, and the realised outcome and PIT match a count done
// here from the CSV and the stored draws.
#include "engine/run/backtest_model.hpp"

#include "engine/core/date.hpp"
#include "engine/data/data_store.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace backtest_model_test {

const std::string kSrc = ROTOR_SOURCE_DIR;

// The data files the bundled regime scenario and the backtest read, by their copy's name.
const std::vector<std::pair<std::string, std::string>> kFiles = {
    {"SPY.csv", "data/adj_etf/SPY.csv"},
    {"IWM.csv", "data/adj_etf/IWM.csv"},
    {"ff5.csv", "data/french/ff5_factors_daily.csv"},
    {"DFF.csv", "data/fred/DFF.csv"},
    {"USREC.csv", "data/fred/USREC.csv"},
    {"DGS2.csv", "data/fred/DGS2.csv"},
    {"shiller.csv", "data/shiller/shiller_monthly.csv"}};

// Copies `from` to `to`, every number of a row dated after `cut` (on or after it when
// `inclusive`) replaced by 1.5 x + 0.25.
void copyPerturbed(const std::string& from, const std::string& to, Date cut, bool inclusive) {
    std::ifstream in(from);
    std::ofstream out(to);
    std::string line;
    std::getline(in, line);
    out << line << '\n';
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        const auto d = Date::parseIso(line.substr(0, comma));
        if (!d || (inclusive ? *d < cut : *d <= cut)) {
            out << line << '\n';
            continue;
        }
        std::stringstream fields(line.substr(comma + 1));
        std::string f;
        out << line.substr(0, comma);
        while (std::getline(fields, f, ',')) {
            out << ',';
            if (f.empty()) continue;
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.10g", 1.5 * std::stod(f) + 0.25);
            out << buf;
        }
        out << '\n';
    }
}

// A folder with the data (perturbed after `cut` or not), the scenario over it and a spec.
std::string setUp(const std::string& name, const std::string& spec, std::optional<Date> cut,
                  bool inclusive = false) {
    const std::string dir = test::scratchDir(name);
    for (const auto& [copy, source] : kFiles) {
        if (cut)
            copyPerturbed(kSrc + "/" + source, dir + "/" + copy, *cut, inclusive);
        else
            fs::copy_file(kSrc + "/" + source, dir + "/" + copy);
    }
    std::ofstream(dir + "/scen.yaml")
        << "extends: '" << kSrc << "/scenarios/great_rotation_2026.yaml'\n"
        << "universe: {prices: '{asset}.csv'}\n"
        << "model:\n  calibrate:\n    factors: {file: ff5.csv}\n    policy: {file: DFF.csv}\n"
        << "    recessions: {file: USREC.csv}\n    yield_2y: {file: DGS2.csv}\n"
        << "    valuation: {file: shiller.csv}\n";
    std::ofstream(dir + "/bt.yaml") << "name: t\nscenario: scen.yaml\n" << spec;
    return dir;
}

BacktestModelResult run(const std::string& dir, int threads = 1) {
    const BacktestModelSpec spec = loadBacktestModel(dir + "/bt.yaml",
                                                     strategies::builtinRegistry());
    DataStore data;
    return runBacktestModel(spec, data, threads);
}

bool sameBits(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) ==
               0;
}

const char* kOneStart =
    "starts: [2007-06-30]\nhorizon_months: 12\npaths: 64\nseed: 5\n"
    "conditioning: [unconditional, hold]\nassets: [SPY, IWM]\n"
    "spreads: [{long: IWM, short: SPY}]\n";

TEST(BacktestModel, NoDataAfterTheStartReachesTheSimulation) {
    // The start is the month-end 2007-06-30, a Saturday: day 0 is Friday 2007-06-29.
    const Date start = Date::fromYmd(2007, 6, 30);
    const BacktestModelResult clean = run(setUp("btm_clean", kOneStart, std::nullopt));
    const BacktestModelResult moved = run(setUp("btm_after", kOneStart, start));
    ASSERT_EQ(clean.scores.size(), 6u);  // 2 conditionings x (SPY, IWM, IWM-SPY)
    for (std::size_t k = 0; k < clean.scores.size(); ++k) {
        EXPECT_TRUE(sameBits(clean.scores[k].outcomes, moved.scores[k].outcomes))
            << clean.scores[k].conditioning << " " << clean.scores[k].target;
        // The perturbation is real: the realised outcome (read after the start) moved.
        EXPECT_NE(clean.scores[k].realised[0], moved.scores[k].realised[0]);
    }
    // Rows of day 0 itself are known at the start: changing them changes the paths.
    const BacktestModelResult onStart = run(
        setUp("btm_on", kOneStart, Date::fromYmd(2007, 6, 29), true));
    EXPECT_FALSE(sameBits(clean.scores[0].outcomes, onStart.scores[0].outcomes));
}

// The close of the last row dated on or before `d` in a date,value file.
double closeOnOrBefore(const std::string& file, Date d) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    double last = NAN;
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        if (*Date::parseIso(line.substr(0, comma)) > d) break;
        last = std::stod(line.substr(comma + 1));
    }
    return last;
}

TEST(BacktestModel, RealisedOutcomeAndPitFromTheData) {
    const BacktestModelResult r = run(setUp("btm_realised", kOneStart, std::nullopt));
    // From the month-end 2007-06-30 (day 0: Friday 06-29) to the month-end 2008-06-30.
    EXPECT_EQ(r.starts[0].iso(), "2007-06-29");
    EXPECT_EQ(r.ends[0].iso(), "2008-06-30");
    const std::string spy = kSrc + "/data/adj_etf/SPY.csv", iwm = kSrc + "/data/adj_etf/IWM.csv";
    const double s = std::log(closeOnOrBefore(spy, Date::fromYmd(2008, 6, 30)) /
                              closeOnOrBefore(spy, Date::fromYmd(2007, 6, 29)));
    const double i = std::log(closeOnOrBefore(iwm, Date::fromYmd(2008, 6, 30)) /
                              closeOnOrBefore(iwm, Date::fromYmd(2007, 6, 29)));
    EXPECT_NEAR(r.scores[0].realised[0], s, 1e-12);
    EXPECT_NEAR(r.scores[1].realised[0], i, 1e-12);
    EXPECT_NEAR(r.scores[2].realised[0], i - s, 1e-12);
    for (const auto& b : r.scores) {
        double below = 0, equal = 0;
        for (Index p = 0; p < b.outcomes.cols(); ++p) {
            below += b.outcomes(0, p) < b.realised[0] ? 1 : 0;
            equal += b.outcomes(0, p) == b.realised[0] ? 1 : 0;
        }
        EXPECT_DOUBLE_EQ(b.pit[0], (below + equal / 2) / 64.0);
        EXPECT_EQ(b.in90[0], b.pit[0] >= 0.05 && b.pit[0] <= 0.95 ? 1 : 0);
        // The spread's draws are the legs' differences, path by path.
    }
    for (Index p = 0; p < 64; ++p)
        EXPECT_DOUBLE_EQ(r.scores[2].outcomes(0, p),
                         r.scores[1].outcomes(0, p) - r.scores[0].outcomes(0, p));
}

TEST(BacktestModel, BitIdenticalForAnyThreadCount) {
    const std::string dir = setUp(
        "btm_threads",
        "starts: {from: 2005-01, to: 2005-05}\nhorizon_months: 6\npaths: 40\nseed: 9\n"
        "conditioning: [unconditional, realised_regime]\nassets: [SPY, IWM]\n",
        std::nullopt);
    const BacktestModelResult one = run(dir, 1), two = run(dir, 2), three = run(dir, 3);
    ASSERT_EQ(one.starts.size(), 5u);
    for (std::size_t k = 0; k < one.scores.size(); ++k) {
        EXPECT_TRUE(sameBits(one.scores[k].outcomes, two.scores[k].outcomes));
        EXPECT_TRUE(sameBits(one.scores[k].outcomes, three.scores[k].outcomes));
        EXPECT_EQ(one.scores[k].pit, two.scores[k].pit);
    }
    // 2005 was a year of hikes (June 2004 to June 2006): every start begins in tightening.
    for (const auto& c : one.startClass) EXPECT_EQ(c, "tightening");
    // Non-overlapping 6-month windows among monthly starts: the first and the seventh...; here
    // only the first of five.
    EXPECT_EQ(one.independent, std::vector<std::size_t>{0});
}

// The last value dated on or before `d` in a date,value CSV, and that row's date.
std::pair<Date, double> rowOnOrBefore(const std::string& file, Date d) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    std::pair<Date, double> last{Date{}, NAN};
    while (std::getline(in, line)) {
        const auto comma = line.find(',');
        const Date day = *Date::parseIso(line.substr(0, comma));
        if (day > d) break;
        last = {day, std::stod(line.substr(comma + 1))};
    }
    return last;
}

// realised_rates: the paths' policy rate is DFF as the file shows it on each trading day of the
// horizon (day 0: the start's rate), and it moves each path's log return by exactly the cash it
// accrues against the flat path of realised_regime (same class schedule, same draws).
TEST(BacktestModel, RealisedRatesFollowTheFundsRateOfTheData) {
    const BacktestModelResult r = run(
        setUp("btm_rates",
              "starts: [2007-06-30]\nhorizon_months: 12\npaths: 64\nseed: 5\n"
              "conditioning: [realised_regime, realised_rates]\nassets: [SPY, IWM]\n"
              "spreads: [{long: IWM, short: SPY}]\n",
              std::nullopt));
    ASSERT_EQ(r.realisedRate.size(), 1u);
    const std::vector<Date>& days = r.horizonDays[0];
    const std::vector<double>& rate = r.realisedRate[0];
    ASSERT_EQ(rate.size(), days.size());
    EXPECT_EQ(days.front().iso(), "2007-06-29");
    EXPECT_EQ(days.back().iso(), "2008-06-30");
    const std::string dff = kSrc + "/data/fred/DFF.csv";
    // Day 0: the rate on the start (a Saturday month-end: FRED's row of that day).
    EXPECT_EQ(rate[0], rowOnOrBefore(dff, Date::fromYmd(2007, 6, 30)).second);
    double cash = 0.0;  // sum over the return days of (rate of the day before - rate on day 0)
    for (std::size_t t = 1; t < days.size(); ++t) {
        const auto [day, value] = rowOnOrBefore(dff, days[t]);
        EXPECT_EQ(rate[t], value) << days[t].iso();
        EXPECT_LE(days[t] - day, 10) << days[t].iso();  // never carried past the data
        cash += (rate[t - 1] - rate[0]) / 100.0 / 252.0;
    }
    // The funds rate fell from 5.31 % to 2.47 % over the year (DFF.csv): the path really moved.
    EXPECT_EQ(rate[0], 5.31);
    EXPECT_EQ(rate.back(), 2.47);
    EXPECT_LT(cash, -0.01);
    // Scores are conditioning-major: realised_regime's SPY, IWM, spread, then realised_rates'.
    for (std::size_t j = 0; j < 2; ++j)
        for (Index p = 0; p < 64; ++p)
            EXPECT_NEAR(r.scores[3 + j].outcomes(0, p) - r.scores[j].outcomes(0, p), cash, 1e-12);
    for (Index p = 0; p < 64; ++p)
        EXPECT_NEAR(r.scores[5].outcomes(0, p), r.scores[2].outcomes(0, p), 1e-12);
}

// `starts: {first_cuts: ...}`: the easing cycles' first cuts as the policy-episode rule dates
// them: the list of docs/regimes.md, and the cycle starts that the independent pandas
// implementation (tools/research/policy_episodes.py) finds.
TEST(BacktestModel, FirstCutStartsAreTheDocumentedEasingCycles) {
    const std::string dir = setUp("btm_first_cuts",
                                  "starts: {first_cuts: {since: 1995-01-01}}\nhorizon_months: "
                                  "12\nconditioning: unconditional\nassets: [SPY]\n",
                                  std::nullopt);
    const BacktestModelSpec spec = loadBacktestModel(dir + "/bt.yaml",
                                                     strategies::builtinRegistry());
    std::vector<std::string> got;
    for (Date d : spec.starts) got.push_back(d.iso());
    const std::vector<std::string> documented = {"1995-07-07", "1998-10-06", "2000-12-29",
                                                 "2007-08-10", "2019-08-01", "2024-09-19"};
    EXPECT_EQ(got, documented);

    const std::string out = test::scratchDir("btm_first_cuts_py") + "/episodes.csv";
    const test::ShellRun py = test::runShell(
        "/usr/bin/python3 " + kSrc + "/tools/research/policy_episodes.py " + kSrc +
        "/data/fred/DFF.csv " + kSrc + "/data/fred/USREC.csv --since 1995-01-01 > " + out);
    if (py.status != 0) GTEST_SKIP() << "the research script did not run: " << py.output;
    std::ifstream in(out);
    std::string line;
    std::getline(in, line);
    ASSERT_EQ(line.rfind("start,end,direction,kind,", 0), 0u) << line;
    std::vector<std::string> script;
    while (std::getline(in, line))
        if (line.find(",-1,cycle_start,") != std::string::npos)
            script.push_back(line.substr(0, 10));
    EXPECT_EQ(got, script);

    // One class only: the recessions' first cuts.
    std::ofstream(dir + "/rec.yaml")
        << "name: t\nscenario: scen.yaml\nstarts: {first_cuts: {since: 1995-01-01, classes: "
           "[recession]}}\nhorizon_months: 12\nconditioning: unconditional\nassets: [SPY]\n";
    got.clear();
    for (Date d : loadBacktestModel(dir + "/rec.yaml", strategies::builtinRegistry()).starts)
        got.push_back(d.iso());
    EXPECT_EQ(got, (std::vector<std::string>{"2000-12-29", "2007-08-10", "2019-08-01"}));
}

}  // namespace backtest_model_test
}  // namespace
}  // namespace rotor
