// SPDX-License-Identifier: MIT
// Historical analog: the replayed returns and rates against values computed here from the CSV
// files themselves, scale and overlays, the rate-path choice, and the located refusals (data
// cut-off, window too short, unknown keys and assets).
#include "engine/scenario/history/analog_generator.hpp"

#include "tests/engine/scenario/history/history_test_support.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace analog_generator_test {

using namespace histtest;

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }
const Date kCutoff = d(2025, 12, 31);

// SPY and IWM from their price files, SMALL from the bottom size decile's daily percent returns.
const std::string kModel =
    "model:\n"
    "  type: analog\n"
    "  window: {start: 2008-09-02}\n"
    "  prices: '{asset}.csv'\n"
    "  assets:\n"
    "    SMALL: {returns: size_deciles.csv, column: dec01_lo10_pct, scale: 0.01}\n";

// The window's simple returns computed from the files: the common dates of the three files
// from `start`, then per asset the compounded return between consecutive common dates.
struct Expected {
    std::vector<Date> days;
    std::vector<std::vector<double>> returns;  // [t][asset], t >= 1 (row 0 unused)
};
Expected expectedWindow(Date start, std::size_t days) {
    const Csv spy = readCsv(dataPath("SPY.csv"));
    const Csv iwm = readCsv(dataPath("IWM.csv"));
    const Csv small = readCsv(dataPath("size_deciles.csv"));
    std::set<Date> a(spy.dates.begin(), spy.dates.end());
    std::set<Date> b(iwm.dates.begin(), iwm.dates.end());
    Expected e;
    for (Date x : small.dates)
        if (x >= start && a.count(x) && b.count(x) && e.days.size() < days) e.days.push_back(x);
    const auto spyP = spy.column("adj_close");
    const auto iwmP = iwm.column("adj_close");
    const auto smallR = small.column("dec01_lo10_pct");
    auto price = [](const Csv& c, const std::vector<double>& p, Date x) { return p[c.asOf(x)]; };
    e.returns.assign(e.days.size(), std::vector<double>(3, 0.0));
    for (std::size_t t = 1; t < e.days.size(); ++t) {
        const Date prev = e.days[t - 1], cur = e.days[t];
        e.returns[t][0] = price(spy, spyP, cur) / price(spy, spyP, prev) - 1.0;
        e.returns[t][1] = price(iwm, iwmP, cur) / price(iwm, iwmP, prev) - 1.0;
        double g = 1.0;
        for (std::size_t k = 0; k < small.dates.size(); ++k)
            if (small.dates[k] > prev && small.dates[k] <= cur) g *= 1.0 + 0.01 * smallR[k];
        e.returns[t][2] = g - 1.0;
    }
    return e;
}

TEST(AnalogGenerator, ReplaysTheWindowsReturnsExactlyOnEveryPath) {
    const std::size_t T = 60;
    TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff);
    const auto gen = buildAnalogGenerator(modelBlock(kModel), tc);
    const Expected e = expectedWindow(d(2008, 9, 2), T);
    ASSERT_EQ(e.days.size(), T);
    ASSERT_EQ(e.days.front(), d(2008, 9, 2));  // a Tuesday after Labor Day: a trading day

    GeneratorScratch scratch;
    Path first;
    for (std::uint64_t p : {0u, 7u, 123456u}) {
        Path path;
        gen->generate(p, path, scratch);
        validatePath(path, gen->universe());
        ASSERT_EQ(path.days(), static_cast<Index>(T));
        EXPECT_EQ(path.dates, tc.ctx.dates);
        for (Index j = 0; j < 3; ++j) {
            EXPECT_EQ(path.prices(0, j), tc.ctx.startPrices[j]);
            for (Index t = 1; t < static_cast<Index>(T); ++t) {
                const double simulated = path.prices(t, j) / path.prices(t - 1, j) - 1.0;
                EXPECT_NEAR(simulated,
                            e.returns[static_cast<std::size_t>(t)][static_cast<std::size_t>(j)],
                            1e-13)
                    << "asset " << j << " day " << t;
            }
        }
        if (p == 0) first = path;
        EXPECT_EQ(path.prices, first.prices);  // no randomness in the replay
        // The flat scenario rate (start 4, no steps, no noise) is every day's rate.
        EXPECT_TRUE((path.cashRate.array() == 4.0).all());
    }
    // The last price is the start price times the product of the file's daily growths.
    double growth = 1.0;
    for (std::size_t t = 1; t < T; ++t) growth *= 1.0 + e.returns[t][0];
    EXPECT_NEAR(first.prices(static_cast<Index>(T) - 1, 0), 100.0 * growth, 1e-9);
    EXPECT_LT(growth, 0.75);  // the crash: more than a quarter lost, a sanity check on the data

    // Every file read is recorded, resolved against the YAML's folder.
    const std::vector<std::string> files = {dataPath("SPY.csv"), dataPath("IWM.csv"),
                                            dataPath("size_deciles.csv")};
    const std::vector<std::string> read = tc.files();
    for (const auto& f : files) EXPECT_NE(std::find(read.begin(), read.end(), f), read.end()) << f;
    EXPECT_EQ(read.size(), 3u);
}

TEST(AnalogGenerator, ScaleMultipliesTheDailyLogReturn) {
    const std::size_t T = 30;
    TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff);
    const auto gen = buildAnalogGenerator(modelBlock(kModel + "  scale: {SPY: 0.5, SMALL: 2}\n"),
                                          tc);
    const Expected e = expectedWindow(d(2008, 9, 2), T);
    Path path;
    GeneratorScratch scratch;
    gen->generate(0, path, scratch);
    const double scale[3] = {0.5, 1.0, 2.0};
    for (Index j = 0; j < 3; ++j) {
        for (Index t = 1; t < static_cast<Index>(T); ++t) {
            const double r = e.returns[static_cast<std::size_t>(t)][static_cast<std::size_t>(j)];
            EXPECT_NEAR(std::log(path.prices(t, j) / path.prices(t - 1, j)),
                        scale[j] * std::log1p(r), 1e-13);
        }
    }
}

// Replays the DFF changes of the window from the scenario's start level, floored at 0.
TEST(AnalogGenerator, ReplayedRateIsStartPlusTheWindowsCumulativeChangeFlooredAtZero) {
    const std::size_t T = 80;
    const Expected e = expectedWindow(d(2008, 9, 2), T);
    const Csv dff = readCsv(dataPath("DFF.csv"));
    const auto level = dff.column("dff_pct");
    const double base = level[dff.asOf(e.days.front())];
    const std::string text = kModel +
                             "  rate: replay\n  rate_series: {file: DFF.csv, column: dff_pct}\n";

    for (double start : {4.0, 1.0}) {
        TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff,
                       "rate_path: {start: " + std::to_string(start) + ", steps: []}");
        const auto gen = buildAnalogGenerator(modelBlock(text), tc);
        Path path;
        GeneratorScratch scratch;
        const PathInfo info = gen->generate(3, path, scratch);
        EXPECT_EQ(info.regime, 0);
        EXPECT_EQ(gen->regimeNames(), std::vector<std::string>{"replay"});
        int floored = 0;
        for (std::size_t t = 0; t < T; ++t) {
            const double change = level[dff.asOf(e.days[t])] - base;
            const double expected = std::max(0.0, start + change);
            floored += start + change < 0.0;
            EXPECT_NEAR(path.cashRate[static_cast<Index>(t)], expected, 1e-12) << e.days[t].iso();
        }
        // DFF fell from about 2% to about 0.1% by late November 2008: from 1% the floor binds,
        // from 4% it never does.
        if (start == 1.0) {
            EXPECT_GT(floored, 0);
        } else {
            EXPECT_EQ(floored, 0);
        }
        const std::vector<std::string> read = tc.files();
        EXPECT_NE(std::find(read.begin(), read.end(), dataPath("DFF.csv")), read.end());
    }
}

TEST(AnalogGenerator, RatePathDrawsTheScenariosRateAndLeavesPricesIdentical) {
    const std::size_t T = 40;
    const std::string rate =
        "rate_path:\n  start: 4.0\n  regimes:\n"
        "    - {name: hold, probability: 0.5, steps: []}\n"
        "    - {name: cut, probability: 0.5, steps: [{date: 2026-01-15, bp: -50}]}\n"
        "  noise: {speed: 0.5, volatility: 1.0}\n";
    TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff, rate);
    const auto gen = buildAnalogGenerator(modelBlock(kModel + "  rate: path\n"), tc);
    EXPECT_EQ(gen->regimeNames(), (std::vector<std::string>{"hold", "cut"}));
    GeneratorScratch scratch;
    Path a, b;
    const PathInfo ia = gen->generate(1, a, scratch);
    gen->generate(2, b, scratch);
    EXPECT_EQ(a.prices, b.prices);
    EXPECT_NE(a.cashRate, b.cashRate);
    // The rate is the scenario's own path drawn first on the path's stream.
    Xoshiro256 rng(tc.ctx.seed, 1);
    Vector expected(static_cast<Index>(T));
    int regime = -1;
    tc.ctx.rate->generate(rng, expected, &regime);
    EXPECT_EQ(a.cashRate, expected);
    EXPECT_EQ(ia.regime, regime);
}

// Adds a constant to the first asset's log returns and records its first draw.
class ShiftOverlay : public ReturnOverlay {
public:
    explicit ShiftOverlay(double shift, std::uint64_t* firstDraw)
        : shift_(shift), draw_(firstDraw) {}
    void apply(const Vector&, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng) const override {
        for (Index t = 1; t < logReturns.rows(); ++t) logReturns(t, 0) += shift_;
        *draw_ = rng();
    }
    std::string name() const override { return "shift"; }

private:
    double shift_;
    std::uint64_t* draw_;
};

TEST(AnalogGenerator, OverlaysChangeTheLogReturnsBeforeTheyCompound) {
    const std::size_t T = 25;
    TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff);
    std::uint64_t draw = 0;
    const auto gen = buildAnalogGenerator(modelBlock(kModel), tc,
                                          {std::make_shared<ShiftOverlay>(0.001, &draw)});
    const Expected e = expectedWindow(d(2008, 9, 2), T);
    Path path;
    GeneratorScratch scratch;
    gen->generate(9, path, scratch);
    for (Index t = 1; t < static_cast<Index>(T); ++t) {
        EXPECT_NEAR(std::log(path.prices(t, 0) / path.prices(t - 1, 0)),
                    std::log1p(e.returns[static_cast<std::size_t>(t)][0]) + 0.001, 1e-13);
        EXPECT_NEAR(path.prices(t, 1) / path.prices(t - 1, 1) - 1.0,
                    e.returns[static_cast<std::size_t>(t)][1], 1e-13);
    }
    // No regime, no noise and no draws by the analog: the overlay gets the stream's first number.
    EXPECT_EQ(draw, Xoshiro256(tc.ctx.seed, 9)());
    EXPECT_NE(gen->describe().find("shift"), std::string::npos);
}

TEST(AnalogGenerator, DescribeGivesTheResolvedWindow) {
    const std::size_t T = 60;
    TestContext tc({"SPY", "IWM", "SMALL"}, T, kCutoff);
    const auto gen = buildAnalogGenerator(modelBlock(kModel), tc);
    const Expected e = expectedWindow(d(2008, 9, 2), T);
    const YAML::Node y = YAML::Load(gen->describe());
    EXPECT_EQ(y["type"].as<std::string>(), "analog");
    EXPECT_EQ(y["window"]["start"].as<std::string>(), "2008-09-02");
    EXPECT_EQ(y["window"]["end"].as<std::string>(), e.days.back().iso());
    EXPECT_EQ(y["window"]["days"].as<std::size_t>(), T);
    EXPECT_EQ(y["assets"]["SMALL"]["returns"].as<std::string>(), dataPath("size_deciles.csv"));
    EXPECT_EQ(y["rate"].as<std::string>(), "path");
}

// --- Refusals, located ------------------------------------------------------------------------

TEST(AnalogGenerator, RefusesAWindowAfterTheDataCutoff) {
    TestContext tc({"SPY", "IWM", "SMALL"}, 20, d(2008, 6, 30));
    const std::string text =
        "model:\n  type: analog\n  window: {start: 2008-09-02}\n"
        "  prices: '{asset}.csv'\n"
        "  assets: {SMALL: {returns: size_deciles.csv, column: dec01_lo10_pct, scale: 0.01}}\n";
    expectConfigError([&] { buildAnalogGenerator(modelBlock(text), tc); }, text, "2008-09-02",
                      "after the data cut-off 2008-06-30");

    const std::string withEnd =
        "model:\n  type: analog\n  window: {start: 2008-06-02, end: 2008-07-31}\n"
        "  prices: '{asset}.csv'\n"
        "  assets: {SMALL: {returns: size_deciles.csv, column: dec01_lo10_pct, scale: 0.01}}\n";
    expectConfigError([&] { buildAnalogGenerator(modelBlock(withEnd), tc); }, withEnd, "2008-07-31",
                      "after the data cut-off");

    // Without an end the window stops at the cut-off: June 2008 has 21 trading days from
    // 2008-06-02 (June 2-30: 30 days, 8 weekend days, no holiday), short of 40.
    TestContext tc40({"SPY", "IWM", "SMALL"}, 40, d(2008, 6, 30));
    const std::string open =
        "model:\n  type: analog\n  window: {start: 2008-06-02}\n"
        "  prices: '{asset}.csv'\n"
        "  assets: {SMALL: {returns: size_deciles.csv, column: dec01_lo10_pct, scale: 0.01}}\n";
    expectConfigError([&] { buildAnalogGenerator(modelBlock(open), tc40); }, open,
                      "{start: 2008-06-02}", "has 21 common trading days");
    try {
        buildAnalogGenerator(modelBlock(open), tc40);
    } catch (const ConfigError& err) {
        EXPECT_NE(std::string(err.what()).find("data cut-off"), std::string::npos) << err.what();
        EXPECT_NE(std::string(err.what()).find("needs 40"), std::string::npos) << err.what();
    }
}

TEST(AnalogGenerator, RefusesAWindowShorterThanTheHorizon) {
    // December 2009 from the 1st: 22 trading days (31 days, 8 weekend days, Christmas).
    TestContext tc({"SPY", "IWM"}, 30, kCutoff);
    const std::string text =
        "model:\n  type: analog\n  window: {start: 2009-12-01, end: 2009-12-31}\n"
        "  prices: '{asset}.csv'\n";
    expectConfigError([&] { buildAnalogGenerator(modelBlock(text), tc); }, text,
                      "{start: 2009-12-01", "has 22 common trading days");
    // The data's own end stops an open window the same way.
    const std::string open =
        "model:\n  type: analog\n  window: {start: 2009-12-01}\n"
        "  prices: '{asset}.csv'\n";
    expectConfigError([&] { buildAnalogGenerator(modelBlock(open), tc); }, open,
                      "{start: 2009-12-01", "the end of the data");
    // Exactly enough days is accepted.
    TestContext tc22({"SPY", "IWM"}, 22, kCutoff);
    EXPECT_NO_THROW(buildAnalogGenerator(modelBlock(text), tc22));
}

TEST(AnalogGenerator, RefusesBadBlocksAtTheOffendingKey) {
    TestContext tc({"SPY", "IWM"}, 10, kCutoff);
    auto build = [&](const std::string& text) {
        return [&tc, text] { buildAnalogGenerator(modelBlock(text), tc); };
    };
    const std::string head = "model:\n  type: analog\n  window: {start: 2008-09-02}\n";
    std::string t = head + "  prices: '{asset}.csv'\n  mean_block: 5\n";
    expectConfigError(build(t), t, "mean_block", "unknown key 'mean_block'");
    t = head + "  prices: '{asset}.csv'\n  assets: {QQQ: {prices: QQQ.csv}}\n";
    expectConfigError(build(t), t, "QQQ:", "not an asset of the scenario's universe");
    t = head + "  assets: {SPY: {prices: SPY.csv}}\n";
    expectConfigError(build(t), t, "type", "no history for asset 'IWM'");
    t = head + "  prices: '{asset}.csv'\n  rate: replay\n";
    expectConfigError(build(t), t, "type", "needs 'rate_series");
    t = head + "  prices: '{asset}.csv'\n  rate_series: {file: DFF.csv}\n";
    expectConfigError(build(t), t, "rate_series", "only read with 'rate: replay'");
    t = head + "  prices: '{asset}.csv'\n  rate: history\n";
    expectConfigError(build(t), t, "history", "expected 'replay' or 'path'");
    t = head + "  prices: '{asset}.csv'\n  scale: {SPY: -1}\n";
    expectConfigError(build(t), t, "-1", "");
    t = head + "  assets: {SPY: {prices: SPY.csv, scale: 2}, IWM: {prices: IWM.csv}}\n";
    expectConfigError(build(t), t, "scale", "converts a returns file's units");
    t = "model:\n  type: bootstrap\n  window: {start: 2008-09-02}\n  prices: '{asset}.csv'\n";
    expectConfigError(build(t), t, "bootstrap", "expected 'analog'");
    // A window before an asset's first date names the asset, located at the window.
    t = "model:\n  type: analog\n  window: {start: 2006-06-01}\n  prices: '{asset}.csv'\n";
    expectConfigError(build(t), t, "{start: 2006-06-01}", "SPY");
}

}  // namespace analog_generator_test
}  // namespace
}  // namespace rotor
