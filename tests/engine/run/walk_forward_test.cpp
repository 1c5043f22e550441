// SPDX-License-Identifier: MIT
// Walk-forward: choices and the stitched curve on paths built so the right pick per window is
// known by hand, and no look-ahead (noise after each in-sample window changes no choice).
#include "engine/run/walk_forward.hpp"

#include "engine/config/compose.hpp"
#include "engine/run/runner.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace walk_forward_test {

// The cells of a scenario text with a sweep, as `rotor run` parses them.
std::vector<ScenarioSpec> cellsOf(const std::string& yaml) {
    const ExpandedScenario ex = expandScenarioText(yaml, test::scratchDir("wf") + "/s.yaml");
    std::vector<ScenarioSpec> specs;
    for (const ScenarioCell& c : ex.cells) {
        specs.push_back(parseScenario(c.root, strategies::builtinRegistry()));
        specs.back().sweep = c.sweep;
        specs.back().baseName = c.baseName;
    }
    return specs;
}

WalkForwardRun walkForward(const std::vector<ScenarioSpec>& specs, const Path& path) {
    std::vector<WalkForwardCell> grid;
    for (const auto& s : specs) grid.push_back({&s, &path});
    return runWalkForward(grid);
}

// Two cells: all in A, or all in cash (cash earns 0), chosen by in-sample total return.
std::string holdOrCash(double commissionBps) {
    return "name: wf\nmode: historical\n"
           "universe: {assets: [A, B], prices: '{asset}.csv'}\n"
           "cash_rate: 0\n"
           "costs: {commission_bps: " +
           std::to_string(commissionBps) +
           "}\n"
           "strategies:\n"
           "  - {name: hold, type: buy_and_hold, weights: {A: 1.0, B: 0.0}}\n"
           "sweep:\n"
           "  strategies[name=hold].weights.A: [1.0, 0.0]\n"
           "walk_forward: {metric: total_return, in_sample: 4, out_of_sample: 3}\n";
}

// A rises over days 0..4, falls over 3..7, rises over 6..10 (the three in-sample windows).
const std::vector<double> kA = {100, 101, 102, 103, 104, 100, 98, 95, 96, 99, 100, 102, 101};

Path handPath() {
    Path p;
    p.dates = test::calendarDays(Date::fromYmd(2024, 1, 1), static_cast<int>(kA.size()));
    p.prices.resize(static_cast<Index>(kA.size()), 2);
    for (std::size_t t = 0; t < kA.size(); ++t) {
        p.prices(static_cast<Index>(t), 0) = kA[t];
        p.prices(static_cast<Index>(t), 1) = 50.0;
    }
    p.cashRate = Vector::Zero(static_cast<Index>(kA.size()));
    return p;
}

TEST(WalkForward, ChoosesTheInSampleBestAndChainsWealthAcrossWindows) {
    const std::vector<ScenarioSpec> specs = cellsOf(holdOrCash(0.0));
    ASSERT_EQ(specs.size(), 2u);  // cell 0 holds A, cell 1 holds cash
    const Path path = handPath();
    const WalkForwardRun w = walkForward(specs, path);

    // Decisions at days 4, 7, 10 (in_sample 4, step = out_of_sample 3, 13 days).
    ASSERT_EQ(w.steps.size(), 3u);
    const Index isFirst[] = {0, 3, 6}, decide[] = {4, 7, 10}, oosLast[] = {7, 10, 12};
    const std::size_t chosen[] = {0, 1, 0};  // A rose, fell, rose in sample
    const double isReturn[] = {104.0 / 100 - 1, 95.0 / 103 - 1, 100.0 / 98 - 1};
    const double oosReturn[] = {95.0 / 104 - 1, 0.0, 101.0 / 100 - 1};
    for (std::size_t k = 0; k < 3; ++k) {
        SCOPED_TRACE(k);
        EXPECT_EQ(w.steps[k].inSampleFirst, isFirst[k]);
        EXPECT_EQ(w.steps[k].inSampleLast, decide[k]);
        EXPECT_EQ(w.steps[k].outOfSampleLast, oosLast[k]);
        EXPECT_EQ(w.steps[k].cell, chosen[k]);
        EXPECT_NEAR(w.inSampleMetrics(static_cast<Index>(k), 0), isReturn[k], 1e-12);
        EXPECT_EQ(w.inSampleMetrics(static_cast<Index>(k), 1), 0.0);
        EXPECT_NEAR(w.steps[k].inSampleMetric, std::max(isReturn[k], 0.0), 1e-12);
        EXPECT_NEAR(w.steps[k].outOfSampleMetric, oosReturn[k], 1e-12);
    }
    // The stitched curve from day 4: A's moves while A is held, flat in cash.
    const double c = 1e6;
    const std::vector<double> expected = {c,
                                          c * 100 / 104,
                                          c * 98 / 104,
                                          c * 95 / 104,
                                          c * 95 / 104,
                                          c * 95 / 104,
                                          c * 95 / 104,
                                          c * 95 / 104 * 102 / 100,
                                          c * 95 / 104 * 101 / 100};
    ASSERT_EQ(w.equity.size(), static_cast<Index>(expected.size()));
    for (std::size_t t = 0; t < expected.size(); ++t)
        EXPECT_NEAR(w.equity(static_cast<Index>(t)), expected[t], 1e-6) << t;
    EXPECT_NEAR(w.stitchedMetric, 95.0 / 104 * 101 / 100 - 1, 1e-12);
    // Hindsight: A over the whole period (+1%) beats cash; over days 4..12 A returns 101/104.
    EXPECT_EQ(w.best, 0u);
    EXPECT_NEAR(w.fullPeriodMetric(0), 0.01, 1e-12);
    EXPECT_EQ(w.fullPeriodMetric(1), 0.0);
    EXPECT_NEAR(w.bestOnStitchedDays, 101.0 / 104 - 1, 1e-12);
}

TEST(WalkForward, EachWindowBuysFromCashSoEntryCostsRepeat) {
    // 10 bps commission: buying with capital K at the close leaves K / (1 + 0.001) invested.
    const std::vector<ScenarioSpec> specs = cellsOf(holdOrCash(10.0));
    const WalkForwardRun w = walkForward(specs, handPath());
    ASSERT_EQ(w.steps.size(), 3u);
    EXPECT_EQ(w.steps[0].cell, 0u);
    EXPECT_EQ(w.steps[1].cell, 1u);
    EXPECT_EQ(w.steps[2].cell, 0u);
    const double f = 1.0 / 1.001;
    const double end = 1e6 * f * 95 / 104 * f * 101 / 100;
    EXPECT_NEAR(w.equity(w.equity.size() - 1), end, 1e-6);
    EXPECT_NEAR(w.stitched.totalCosts, 1e6 * f * 0.001 + 1e6 * f * 95 / 104 * f * 0.001, 1e-6);
    EXPECT_EQ(w.stitched.rebalances, 2);
}

TEST(WalkForward, MinimisingAMetricTakesTheSmallest) {
    // By volatility (minimised): cash (0) beats A in every window.
    std::string yaml = holdOrCash(0.0);
    yaml.replace(yaml.find("total_return"), 12, "volatility");
    const WalkForwardRun w = walkForward(cellsOf(yaml), handPath());
    for (const auto& s : w.steps) EXPECT_EQ(s.cell, 1u);
    EXPECT_EQ(w.stitchedMetric, 0.0);
    // A goal reverses the default: maximised volatility picks A every time.
    yaml.replace(yaml.find("volatility"), 10, "volatility, goal: maximise");
    const WalkForwardRun up = walkForward(cellsOf(yaml), handPath());
    for (const auto& s : up.steps) EXPECT_EQ(s.cell, 0u);
}

TEST(WalkForward, FullPeriodMetricIsTheCellsOrdinaryRun) {
    const std::vector<ScenarioSpec> specs = cellsOf(holdOrCash(10.0));
    const Path path = handPath();
    const WalkForwardRun w = walkForward(specs, path);
    for (std::size_t c = 0; c < specs.size(); ++c) {
        const ScenarioRun run = runOnPath(specs[c], Universe{{"A", "B"}}, path);
        EXPECT_DOUBLE_EQ(w.fullPeriodMetric(static_cast<Index>(c)),
                         run.strategies.at(0).metrics.totalReturn);
    }
}

// Given the cells' ordinary runs (as `rotor run` passes the sweep's), the hindsight choice is
// read from them, not run again: the same figures as a rerun, and only the hindsight fields
// follow them (here the given metrics are swapped, so the other cell becomes hindsight-best).
TEST(WalkForward, HindsightChoiceReadsTheSweepsOrdinaryRuns) {
    const std::vector<ScenarioSpec> specs = cellsOf(holdOrCash(10.0));
    const Path path = handPath();
    const WalkForwardRun rerun = walkForward(specs, path);
    std::vector<ScenarioRun> runs;
    for (const auto& s : specs) runs.push_back(runOnPath(s, Universe{{"A", "B"}}, path));

    std::vector<WalkForwardCell> grid;
    for (std::size_t c = 0; c < specs.size(); ++c)
        grid.push_back({&specs[c], &path, &runs[c].strategies.at(0).metrics});
    const WalkForwardRun given = runWalkForward(grid);
    // A: 100 -> 101 with K / (1 + 0.001) invested at the first close; cash: 0. A is best.
    EXPECT_NEAR(given.fullPeriodMetric(0), 101.0 / 100.0 / 1.001 - 1.0, 1e-12);
    EXPECT_EQ(given.fullPeriodMetric(1), 0.0);
    EXPECT_EQ(given.best, 0u);
    EXPECT_EQ(given.fullPeriodMetric(0), rerun.fullPeriodMetric(0));

    std::swap(grid[0].fullPeriod, grid[1].fullPeriod);
    const WalkForwardRun swapped = runWalkForward(grid);
    EXPECT_EQ(swapped.best, 1u);
    EXPECT_EQ(swapped.stitchedMetric, rerun.stitchedMetric);  // the windows ran as before
    ASSERT_EQ(swapped.steps.size(), rerun.steps.size());
    for (std::size_t k = 0; k < rerun.steps.size(); ++k)
        EXPECT_EQ(swapped.steps[k].cell, rerun.steps[k].cell);
}

// `window: anchored`: every in-sample window starts at day 0 and ends at its decision day.
TEST(WalkForward, AnchoredWindowsGrowFromTheFirstDay) {
    std::string yaml = holdOrCash(0.0);
    yaml.replace(yaml.find("out_of_sample: 3}"), 17, "out_of_sample: 3, window: anchored}");
    const std::vector<ScenarioSpec> specs = cellsOf(yaml);
    ASSERT_TRUE(specs.front().walkForward->anchored);
    const Path path = handPath();
    const WalkForwardRun w = walkForward(specs, path);
    EXPECT_TRUE(w.anchored);
    ASSERT_EQ(w.steps.size(), 3u);
    const Index decide[] = {4, 7, 10};
    // A over days 0..4, 0..7, 0..10: 100 -> 104, 100 -> 95, 100 -> 100 (cash: 0 each time).
    const double aReturn[] = {104.0 / 100 - 1, 95.0 / 100 - 1, 0.0};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(w.steps[k].inSampleFirst, 0) << k;
        EXPECT_EQ(w.steps[k].inSampleLast, decide[k]) << k;
        EXPECT_NEAR(w.inSampleMetrics(static_cast<Index>(k), 0), aReturn[k], 1e-12) << k;
        EXPECT_EQ(w.inSampleMetrics(static_cast<Index>(k), 1), 0.0) << k;
    }
    EXPECT_EQ(w.steps[0].cell, 0u);
    EXPECT_EQ(w.steps[1].cell, 1u);
    // The rolling window at step 3 saw A rise (98 -> 100); the anchored one sees no gain.
    const WalkForwardRun rolling = walkForward(cellsOf(holdOrCash(0.0)), path);
    EXPECT_NEAR(rolling.inSampleMetrics(2, 0), 100.0 / 98 - 1, 1e-12);
    EXPECT_FALSE(rolling.anchored);
    // The setting is part of the resolved scenario, so a rerun from it keeps it.
    EXPECT_NE(resolvedYaml(specs.front()).find("window: anchored"), std::string::npos);
}

TEST(WalkForward, WindowsLongerThanTheHistoryAreRefusedAtTheirKey) {
    const std::vector<Date> days = handPath().dates;  // 13 days: 12 days of returns
    WalkForwardSpec w;
    w.inSampleWhere = {"s.yaml", 3, 5, "walk_forward.in_sample"};
    w.outOfSampleWhere = {"s.yaml", 4, 5, "walk_forward.out_of_sample"};
    w.inSample = 4;
    w.outOfSample = 8;
    EXPECT_NO_THROW(checkWalkForwardWindows(w, days));
    w.outOfSample = 9;
    EXPECT_EQ(test::configErrorOf([&] { checkWalkForwardWindows(w, days); }).line(), 4);
    w.inSample = 11;  // day 12 alone is out of sample: allowed
    w.outOfSample = 1;
    EXPECT_NO_THROW(checkWalkForwardWindows(w, days));
    w.inSample = 12;
    EXPECT_EQ(test::configErrorOf([&] { checkWalkForwardWindows(w, days); }).line(), 3);
}

// A random walk of three assets; momentum with three lookbacks, chosen by Sharpe.
Path randomPath(unsigned seed, Index days) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n(0.0003, 0.012);
    Path p;
    p.dates = test::calendarDays(Date::fromYmd(2020, 1, 1), static_cast<int>(days));
    p.prices.resize(days, 3);
    for (Index a = 0; a < 3; ++a) p.prices(0, a) = 100.0;
    for (Index t = 1; t < days; ++t)
        for (Index a = 0; a < 3; ++a) p.prices(t, a) = p.prices(t - 1, a) * std::exp(n(rng));
    p.cashRate = Vector::Constant(days, 2.0);
    return p;
}

TEST(WalkForward, NoiseAfterAnInSampleWindowChangesNoChoiceUpToIt) {
    const std::vector<ScenarioSpec> specs = cellsOf(
        "name: wf\nmode: historical\n"
        "universe: {assets: [A, B, C], prices: '{asset}.csv'}\n"
        "cash_rate: 1\n"
        "costs: {commission_bps: 2, slippage_bps: 3}\n"
        "strategies:\n"
        "  - {name: mom, type: relative_momentum, assets: [A, B, C], lookback: 10,"
        " rebalance: weekly}\n"
        "sweep:\n"
        "  strategies[name=mom].lookback: [5, 20, 60]\n"
        "walk_forward: {metric: sharpe, in_sample: 60, out_of_sample: 40, step: 30}\n");
    const Path path = randomPath(7, 400);
    const WalkForwardRun base = walkForward(specs, path);
    ASSERT_GE(base.steps.size(), 5u);
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> noise(0.0, 0.05);
    for (std::size_t k = 0; k < base.steps.size(); ++k) {
        SCOPED_TRACE(k);
        // Every price and rate after the in-sample window's last close is changed.
        Path changed = path;
        for (Index t = base.steps[k].inSampleLast + 1; t < changed.days(); ++t) {
            for (Index a = 0; a < changed.assets(); ++a) changed.prices(t, a) *= noise(rng);
            changed.cashRate(t) = 5.0 * noise(rng);
        }
        const WalkForwardRun w = walkForward(specs, changed);
        ASSERT_EQ(w.steps.size(), base.steps.size());
        for (std::size_t j = 0; j <= k; ++j) {
            EXPECT_EQ(w.steps[j].cell, base.steps[j].cell) << j;
            for (Index c = 0; c < 3; ++c) {
                // Bit for bit; a window that stayed in cash has an undefined (NaN) Sharpe.
                const double a = w.inSampleMetrics(static_cast<Index>(j), c);
                const double b = base.inSampleMetrics(static_cast<Index>(j), c);
                EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << j << " " << c;
            }
        }
        // The change is real: the curve after the last changed decision differs.
        EXPECT_NE(w.equity(w.equity.size() - 1), base.equity(base.equity.size() - 1));
    }
    // The grid is not degenerate: more than one cell gets chosen somewhere.
    bool differs = false;
    for (const auto& s : base.steps) differs = differs || s.cell != base.steps.front().cell;
    EXPECT_TRUE(differs);
}

}  // namespace walk_forward_test
}  // namespace
}  // namespace rotor
