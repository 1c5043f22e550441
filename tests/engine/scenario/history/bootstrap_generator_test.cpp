// SPDX-License-Identifier: MIT
// Stationary block bootstrap: every simulated day is a window day, found by matching its return
// vector against returns computed here from the CSV files; block breaks occur at the rate
// 1/mean_block; the pooled mean and correlation match the window's within tolerances derived
// from the bootstrap's exact covariance; the documented draw order is reproduced by a second
// implementation; determinism, the data cut-off and short windows.
#include "engine/scenario/history/bootstrap_generator.hpp"

#include "tests/engine/scenario/history/history_test_support.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace bootstrap_generator_test {

using namespace histtest;

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }
const Date kCutoff = d(2025, 12, 31);
const std::vector<std::string> kAssets = {"SPY", "QQQ", "IWM"};

std::string model(double meanBlock, const std::string& window, const std::string& rate) {
    return "model:\n  type: bootstrap\n  window: " + window +
           "\n  mean_block: " + std::to_string(meanBlock) + "\n  prices: '{asset}.csv'\n" + rate;
}
const std::string kFullWindow = "{start: 2007-01-03, end: 2009-12-31}";
const std::string kReplay = "  rate: replay\n  rate_series: {file: DFF.csv, column: dff_pct}\n";

// The window from the files: common dates of the three price files in [from, to], simple and
// log returns per day k (from days[k] to days[k + 1]) and the DFF change over the same day.
struct Window {
    std::vector<Date> days;
    std::vector<std::vector<double>> simple, log;  // [k][asset]
    std::vector<double> rateChange;
    std::vector<std::pair<double, std::size_t>> bySpy;  // (SPY return, k), sorted

    std::size_t size() const { return simple.size(); }

    // The window day whose three returns match `r` within 1e-12; -1 when none, -2 when several.
    long match(const double r[3]) const {
        auto it = std::lower_bound(bySpy.begin(), bySpy.end(),
                                   std::make_pair(r[0] - 1e-12, std::size_t{0}));
        long found = -1;
        for (; it != bySpy.end() && it->first <= r[0] + 1e-12; ++it) {
            const auto& w = simple[it->second];
            if (std::abs(w[1] - r[1]) <= 1e-12 && std::abs(w[2] - r[2]) <= 1e-12)
                found = found == -1 ? static_cast<long>(it->second) : -2;
        }
        return found;
    }
};

Window readWindow(Date from, Date to) {
    std::vector<Csv> csv;
    for (const auto& a : kAssets) csv.push_back(readCsv(dataPath(a + ".csv")));
    const Csv dff = readCsv(dataPath("DFF.csv"));
    const auto rate = dff.column("dff_pct");
    std::set<Date> common(csv[0].dates.begin(), csv[0].dates.end());
    for (std::size_t i = 1; i < csv.size(); ++i) {
        std::set<Date> next;
        for (Date x : csv[i].dates)
            if (common.count(x)) next.insert(x);
        common = next;
    }
    Window w;
    for (Date x : common)
        if (x >= from && x <= to) w.days.push_back(x);
    std::vector<std::vector<double>> prices(w.days.size());
    for (std::size_t t = 0; t < w.days.size(); ++t)
        for (const auto& c : csv) prices[t].push_back(c.rows[c.asOf(w.days[t])][0]);
    for (std::size_t k = 0; k + 1 < w.days.size(); ++k) {
        std::vector<double> s, l;
        for (std::size_t j = 0; j < 3; ++j) {
            s.push_back(prices[k + 1][j] / prices[k][j] - 1.0);
            l.push_back(std::log(prices[k + 1][j] / prices[k][j]));
        }
        w.simple.push_back(s);
        w.log.push_back(l);
        w.rateChange.push_back(rate[dff.asOf(w.days[k + 1])] - rate[dff.asOf(w.days[k])]);
        w.bySpy.emplace_back(s[0], k);
    }
    std::sort(w.bySpy.begin(), w.bySpy.end());
    return w;
}

// Matches every simulated day of `path` to its window day.
std::vector<long> windowDays(const Window& w, const Path& path) {
    std::vector<long> k(static_cast<std::size_t>(path.days()), -1);
    for (Index t = 1; t < path.days(); ++t) {
        double r[3];
        for (Index j = 0; j < 3; ++j) r[j] = path.prices(t, j) / path.prices(t - 1, j) - 1.0;
        k[static_cast<std::size_t>(t)] = w.match(r);
    }
    return k;
}

TEST(BootstrapGenerator, EveryDayIsAWindowDayAndBlocksBreakAtRateOneOverMeanBlock) {
    const Window w = readWindow(d(2007, 1, 3), d(2009, 12, 31));
    const long K = static_cast<long>(w.size());
    ASSERT_GT(K, 700);
    // Identification needs distinct return vectors: each window day matches only itself.
    for (long k = 0; k < K; ++k)
        ASSERT_EQ(w.match(w.simple[static_cast<std::size_t>(k)].data()), k);

    const double m = 20.0;
    const std::size_t T = 253, P = 200;
    TestContext tc(kAssets, T, kCutoff);
    const auto gen = buildBootstrapGenerator(modelBlock(model(m, kFullWindow, kReplay)), tc);
    GeneratorScratch scratch;
    Path path;
    long breaks = 0, transitions = 0, wraps = 0;
    for (std::uint64_t p = 0; p < P; ++p) {
        gen->generate(p, path, scratch);
        const auto k = windowDays(w, path);
        double cumulative = 0.0;
        EXPECT_EQ(path.cashRate[0], 4.0);
        for (std::size_t t = 1; t < T; ++t) {
            ASSERT_GE(k[t], 0) << "path " << p << " day " << t << " is not a window day";
            // The rate moves with the same window day: start + cumulative change, floor 0.
            cumulative += w.rateChange[static_cast<std::size_t>(k[t])];
            EXPECT_NEAR(path.cashRate[static_cast<Index>(t)], std::max(0.0, 4.0 + cumulative),
                        1e-9);
            if (t >= 2) {
                ++transitions;
                if (k[t] != (k[t - 1] + 1) % K) ++breaks;
                if (k[t - 1] == K - 1 && k[t] == 0) ++wraps;
            }
        }
    }
    // A block ends after each day with probability 1/m; the new start repeats the continuation
    // with probability 1/K, which is then invisible: visible breaks ~ Binomial(n, (1/m)(1 - 1/K)).
    const double pb = (1.0 / m) * (1.0 - 1.0 / static_cast<double>(K));
    const double n = static_cast<double>(transitions);
    EXPECT_NEAR(static_cast<double>(breaks), n * pb, 5.0 * std::sqrt(n * pb * (1.0 - pb)));
    // Mean visible block length n_days / blocks, about m / (1 - 1/K) ~ 20.03 (5 sd is ~ +/-2.8).
    const double meanBlock = static_cast<double>(P * (T - 1)) /
                             (static_cast<double>(breaks) + static_cast<double>(P));
    EXPECT_NEAR(meanBlock, m, 3.0);
    // Blocks wrap circularly: continuing from the last window day to the first happens about
    // n (1/K)(1 - 1/m) ~ 63 times.
    EXPECT_GT(wraps, 0);
}

// Var of the sum of n consecutive bootstrap draws of the series x: with q = 1 - 1/m, days s < t
// share a block with probability q^(t-s), and then the pair is (x_k, x_{k+t-s}) with k uniform,
// otherwise independent; so Var = n c(0) + 2 sum_j (n - j) q^j c(j), c the circular
// autocovariance of x (the population one: the bootstrap draws from the window itself).
double bootstrapSumVariance(const std::vector<double>& x, double m, std::size_t n) {
    const std::size_t K = x.size();
    double mean = 0.0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(K);
    auto c = [&](std::size_t lag) {
        double s = 0.0;
        for (std::size_t k = 0; k < K; ++k) s += (x[k] - mean) * (x[(k + lag) % K] - mean);
        return s / static_cast<double>(K);
    };
    double var = static_cast<double>(n) * c(0);
    double q = 1.0;
    for (std::size_t j = 1; j < n; ++j) {
        q *= 1.0 - 1.0 / m;
        var += 2.0 * static_cast<double>(n - j) * q * c(j);
    }
    return var;
}

TEST(BootstrapGenerator, PreservesTheWindowsMeanAndCorrelation) {
    const Window w = readWindow(d(2007, 1, 3), d(2009, 12, 31));
    const std::size_t K = w.size();
    const double m = 20.0;
    const std::size_t T = 253, P = 1000, days = T - 1;
    TestContext tc(kAssets, T, kCutoff);
    const auto gen = buildBootstrapGenerator(modelBlock(model(m, kFullWindow, "")), tc);

    // Window moments (population, as the bootstrap samples the window uniformly).
    double mu[3] = {0, 0, 0}, sd[3] = {0, 0, 0};
    for (const auto& r : w.log)
        for (int j = 0; j < 3; ++j) mu[j] += r[static_cast<std::size_t>(j)];
    for (double& v : mu) v /= static_cast<double>(K);
    for (const auto& r : w.log)
        for (int j = 0; j < 3; ++j) sd[j] += std::pow(r[static_cast<std::size_t>(j)] - mu[j], 2);
    for (double& v : sd) v = std::sqrt(v / static_cast<double>(K));
    auto corr = [&](int a, int b) {
        double s = 0.0;
        for (const auto& r : w.log)
            s += (r[static_cast<std::size_t>(a)] - mu[a]) *
                 (r[static_cast<std::size_t>(b)] - mu[b]);
        return s / static_cast<double>(K) / (sd[a] * sd[b]);
    };

    // Pooled simulated moments over P paths of `days` returns.
    const double n = static_cast<double>(P * days);
    double smu[3] = {0, 0, 0}, sxx[3][3] = {};
    GeneratorScratch scratch;
    Path path;
    for (std::uint64_t p = 0; p < P; ++p) {
        gen->generate(p, path, scratch);
        for (Index t = 1; t < static_cast<Index>(T); ++t) {
            double r[3];
            for (Index j = 0; j < 3; ++j)
                r[j] = std::log(path.prices(t, j) / path.prices(t - 1, j));
            for (int a = 0; a < 3; ++a) {
                smu[a] += r[a];
                for (int b = 0; b < 3; ++b) sxx[a][b] += r[a] * r[b];
            }
        }
    }
    for (double& v : smu) v /= n;
    auto simCorr = [&](int a, int b) {
        const double cab = sxx[a][b] / n - smu[a] * smu[b];
        return cab /
               std::sqrt((sxx[a][a] / n - smu[a] * smu[a]) * (sxx[b][b] / n - smu[b] * smu[b]));
    };

    for (int a = 0; a < 3; ++a) {
        // Paths are independent: Var(pooled mean) = Var(path sum) / (P days^2).
        std::vector<double> x;
        for (const auto& r : w.log) x.push_back(r[static_cast<std::size_t>(a)]);
        const double sdMean = std::sqrt(
            bootstrapSumVariance(x, m, days) /
            (static_cast<double>(P) * static_cast<double>(days * days)));
        EXPECT_NEAR(smu[a], mu[a], 5.0 * sdMean) << kAssets[static_cast<std::size_t>(a)];
        // The tolerance is meaningful: well below the daily volatility (about 2% here).
        EXPECT_LT(5.0 * sdMean, 0.05 * sd[a]);
    }
    for (auto [a, b] : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 2}}) {
        // First order, the sample correlation is rho + mean of the influence function
        // psi = za zb - rho (za^2 + zb^2) / 2 (z standardised by the window's moments).
        const double rho = corr(a, b);
        std::vector<double> psi;
        for (const auto& r : w.log) {
            const double za = (r[static_cast<std::size_t>(a)] - mu[a]) / sd[a];
            const double zb = (r[static_cast<std::size_t>(b)] - mu[b]) / sd[b];
            psi.push_back(za * zb - 0.5 * rho * (za * za + zb * zb));
        }
        const double sdCorr = std::sqrt(
            bootstrapSumVariance(psi, m, days) /
            (static_cast<double>(P) * static_cast<double>(days * days)));
        EXPECT_NEAR(simCorr(a, b), rho, 5.0 * sdCorr) << a << "," << b;
        EXPECT_LT(5.0 * sdCorr, 0.05);
    }
}

TEST(BootstrapGenerator, FollowsTheDocumentedDrawOrderWithTheRateRegimeFirst) {
    const Window w = readWindow(d(2007, 1, 3), d(2009, 12, 31));
    const std::size_t K = w.size();
    const double m = 8.0;
    const std::size_t T = 120;
    const std::string rate =
        "rate_path:\n  start: 3.0\n  regimes:\n"
        "    - {name: hold, probability: 0.6, steps: []}\n"
        "    - {name: cut, probability: 0.4, steps: [{date: 2026-02-10, bp: -25}]}\n"
        "  noise: {speed: 1.0, volatility: 0.5}\n";
    TestContext tc(kAssets, T, kCutoff, rate, 99);
    const auto gen = buildBootstrapGenerator(modelBlock(model(m, kFullWindow, "  rate: path\n")),
                                             tc);
    EXPECT_EQ(gen->regimeNames(), (std::vector<std::string>{"hold", "cut"}));
    GeneratorScratch scratch;
    Path path;
    int regimesSeen[2] = {0, 0};
    for (std::uint64_t p = 0; p < 40; ++p) {
        const PathInfo info = gen->generate(p, path, scratch);
        // Second implementation of the documented order.
        Xoshiro256 rng(tc.ctx.seed, p);
        Vector expectedRate(static_cast<Index>(T));
        int regime = -1;
        tc.ctx.rate->generate(rng, expectedRate, &regime);
        EXPECT_EQ(info.regime, regime);
        EXPECT_EQ(path.cashRate, expectedRate);
        ++regimesSeen[regime];
        std::size_t k = 0;
        for (std::size_t t = 1; t < T; ++t) {
            const bool fresh = t == 1 || rng.uniform() < 1.0 / m;
            k = fresh ? std::min(K - 1,
                                 static_cast<std::size_t>(rng.uniform() * static_cast<double>(K)))
                      : (k + 1) % K;
            for (Index j = 0; j < 3; ++j)
                ASSERT_NEAR(path.prices(static_cast<Index>(t), j) /
                                    path.prices(static_cast<Index>(t) - 1, j) -
                                1.0,
                            w.simple[k][static_cast<std::size_t>(j)], 1e-13)
                    << "path " << p << " day " << t;
        }
    }
    EXPECT_GT(regimesSeen[0], 0);
    EXPECT_GT(regimesSeen[1], 0);
}

TEST(BootstrapGenerator, PathDependsOnlyOnItsIndexWhateverTheOrder) {
    const std::size_t T = 60;
    TestContext tc(kAssets, T, kCutoff);
    const std::string text = model(10.0, kFullWindow, kReplay);
    const auto a = buildBootstrapGenerator(modelBlock(text), tc);
    const auto b = buildBootstrapGenerator(modelBlock(text), tc);
    std::vector<Path> forward(10), backward(10);
    GeneratorScratch sa, sb;
    for (std::size_t p = 0; p < 10; ++p) a->generate(p, forward[p], sa);
    for (std::size_t p = 10; p-- > 0;) b->generate(p, backward[p], sb);
    for (std::size_t p = 0; p < 10; ++p) {
        EXPECT_EQ(forward[p].prices, backward[p].prices) << p;
        EXPECT_EQ(forward[p].cashRate, backward[p].cashRate) << p;
    }
    EXPECT_NE(forward[0].prices, forward[1].prices);

    // Steady state: reusing the output and the scratch keeps their buffers (no allocation).
    Path out;
    a->generate(3, out, sa);
    const double* prices = out.prices.data();
    const double* rate = out.cashRate.data();
    const double* buffer = sa.a.data();
    a->generate(4, out, sa);
    EXPECT_EQ(out.prices.data(), prices);
    EXPECT_EQ(out.cashRate.data(), rate);
    EXPECT_EQ(sa.a.data(), buffer);
    EXPECT_EQ(out.prices, forward[4].prices);
}

TEST(BootstrapGenerator, NeverReadsPastTheDataCutoff) {
    TestContext early(kAssets, 20, d(2009, 6, 30));
    const std::string late = model(5.0, "{start: 2007-01-03, end: 2009-12-31}", "");
    expectConfigError([&] { buildBootstrapGenerator(modelBlock(late), early); }, late, "2009-12-31",
                      "after the data cut-off 2009-06-30");
    const std::string after = model(5.0, "{start: 2009-08-03}", "");
    expectConfigError([&] { buildBootstrapGenerator(modelBlock(after), early); }, after,
                      "2009-08-03", "after the data cut-off");

    // Without an end the window stops at the cut-off: every drawn day is on or before it.
    const Date cutoff = d(2008, 12, 31);
    TestContext tc(kAssets, 253, cutoff);
    const auto gen = buildBootstrapGenerator(modelBlock(model(5.0, "{start: 2007-01-03}", kReplay)),
                                             tc);
    const Window w = readWindow(d(2007, 1, 3), d(2009, 12, 31));
    GeneratorScratch scratch;
    Path path;
    std::size_t latest = 0;
    for (std::uint64_t p = 0; p < 50; ++p) {
        gen->generate(p, path, scratch);
        for (long k : windowDays(w, path)) {
            if (k == -1) continue;  // day 0
            ASSERT_GE(k, 0);
            latest = std::max(latest, static_cast<std::size_t>(k));
        }
    }
    // Window day k is the move to days[k + 1]; 50 x 252 draws over ~500 days reach the last one.
    EXPECT_EQ(w.days[latest + 1], cutoff);  // 2008-12-31 was a trading day
    EXPECT_EQ(YAML::Load(gen->describe())["window"]["end"].as<std::string>(), "2008-12-31");
}

TEST(BootstrapGenerator, RefusesAWindowWithoutTwoTradingDays) {
    TestContext tc(kAssets, 20, kCutoff);
    // Saturday 2009-12-26 to Monday 2009-12-28: one trading day, no return to draw.
    const std::string text = model(5.0, "{start: 2009-12-26, end: 2009-12-28}", "");
    expectConfigError([&] { buildBootstrapGenerator(modelBlock(text), tc); }, text,
                      "{start: 2009-12-26", "only 1 common trading day");
}

TEST(BootstrapGenerator, RefusesABadMeanBlockAtItsKey) {
    TestContext tc(kAssets, 20, kCutoff);
    const std::string text = model(0.5, kFullWindow, "");
    expectConfigError([&] { buildBootstrapGenerator(modelBlock(text), tc); }, text, "0.500000", "");
    const std::string missing =
        "model:\n  type: bootstrap\n  window: {start: 2007-01-03}\n  prices: '{asset}.csv'\n";
    expectConfigError([&] { buildBootstrapGenerator(modelBlock(missing), tc); }, missing, "type",
                      "mean_block");
}

}  // namespace bootstrap_generator_test
}  // namespace
}  // namespace rotor
