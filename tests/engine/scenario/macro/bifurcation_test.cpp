// SPDX-License-Identifier: MIT
// Bifurcation: sleeves equal the parent when they carry no divergence of their own, the
// value-weighted recombination identity against weights drifted independently in the test,
// hand-computed drift gaps in dated divergence windows, Markov switch frequencies against the
// transition probabilities, the overlay's columns and YAML errors.
#include "engine/scenario/macro/bifurcation.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace bifurcation_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// Parent log returns: N(0.0004, 0.015^2) daily, row 0 = 0.
Vector randomParent(Index n, std::uint64_t seed) {
    Xoshiro256 rng(seed, 99);
    const auto& z = NormalZiggurat::instance();
    Vector x(n);
    x[0] = 0.0;
    for (Index t = 1; t < n; ++t) x[t] = 0.0004 + 0.015 * z(rng);
    return x;
}

BifurcationSpec twoSleeves() {
    BifurcationSpec s;
    s.parent = "IWM";
    s.sleeves = {{"IWM_Q", 0.6, 0.02, 0.05, 0.3, 0.0, {}},
                 {"IWM_S", 0.4, -0.03, 0.09, -0.45, 1.0, {}}};
    return s;
}

TEST(Bifurcation, SleevesWithoutDivergenceReturnTheParent) {
    // The parent's parameters: no drift gap, no own shock, no factor loading, no wall.
    BifurcationSpec s = twoSleeves();
    for (auto& sl : s.sleeves) sl.drift = sl.vol = sl.rmwLoading = sl.wallExposure = 0.0;
    const int n = 300;
    const Bifurcation b(s, test::calendarDays(d(2026, 1, 2), n));
    const Vector parent = randomParent(n, 1);
    Matrix sleeves(n, 2);
    Vector out(n);
    Xoshiro256 rng(5, 0);
    b.split(Vector::Constant(n, 3.6), parent, sleeves, out, rng);
    for (Index t = 0; t < n; ++t) {
        EXPECT_NEAR(sleeves(t, 0), parent[t], 1e-15);
        EXPECT_NEAR(sleeves(t, 1), parent[t], 1e-15);
        EXPECT_NEAR(out[t], parent[t], 1e-15);
    }

    // The same when every sleeve carries an identical divergence (drift and loading): its
    // value-weighted mean is removed, so nothing is left.
    for (auto& sl : s.sleeves) {
        sl.drift = 0.05;
        sl.rmwLoading = 0.7;
    }
    const Bifurcation common(s, test::calendarDays(d(2026, 1, 2), n));
    common.split(Vector::Constant(n, 3.6), parent, sleeves, out, rng);
    for (Index t = 0; t < n; ++t) {
        EXPECT_NEAR(sleeves(t, 0), parent[t], 1e-15);
        EXPECT_NEAR(sleeves(t, 1), parent[t], 1e-15);
        EXPECT_NEAR(out[t], parent[t], 1e-15);
    }
}

TEST(Bifurcation, ValueWeightedRecombinationIdentity) {
    BifurcationSpec s = twoSleeves();
    s.sleeves.push_back({"IWM_M", 0.0, 0.0, 0.03, 0.1, 0.5, {}});
    s.sleeves[0].weight = 0.5;
    s.sleeves[1].weight = 0.3;
    s.sleeves[2].weight = 0.2;
    s.wall = RefinancingWallSpec{};
    s.wall->defaultHazard.lo = 0.05;  // make jumps common enough to appear in a short path
    s.regime = RegimeSwitchSpec{0.02, 0.1, 0, {}, 3.0, 2.0};
    const int n = 750;
    const auto dates = test::calendarDays(d(2026, 1, 2), n);
    const Bifurcation b(s, dates);
    Vector rate = Vector::Constant(n, 5.0);
    rate[0] = 3.625;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        const Vector parent = randomParent(n, seed);
        Matrix sleeves(n, 3);
        Vector out(n);
        Xoshiro256 rng(seed, 1);
        BifurcationTrace trace;
        b.split(rate, parent, sleeves, out, rng, &trace);
        // Second method: drift the weights here from the initial ones with the sleeves' own
        // returns, and recombine.
        double w[3] = {0.5, 0.3, 0.2};
        double wallDays = 0.0;
        for (Index t = 1; t < n; ++t) {
            double r[3], parentSimple = 0.0, total = 0.0;
            for (int j = 0; j < 3; ++j) {
                r[j] = std::exp(sleeves(t, j)) - 1.0;
                parentSimple += w[j] * r[j];
            }
            EXPECT_NEAR(std::exp(out[t]) - 1.0, parentSimple, 1e-12) << seed << " " << t;
            for (int j = 0; j < 3; ++j) total += w[j] * (1.0 + r[j]);
            for (int j = 0; j < 3; ++j) {
                w[j] = w[j] * (1.0 + r[j]) / total;
                EXPECT_NEAR(trace.weights(t, j), w[j], 1e-12);
            }
            if (trace.wallLoss[t] != 0.0) ++wallDays;
        }
        EXPECT_GT(wallDays, 0.0);  // the wall did act on these paths
    }
}

TEST(Bifurcation, WithoutAWallTheParentIsUntouched) {
    const BifurcationSpec s = [] {
        BifurcationSpec x = twoSleeves();
        x.sleeves[1].wallExposure = 0.0;
        return x;
    }();
    const int n = 500;
    const Bifurcation b(s, test::calendarDays(d(2026, 1, 2), n));
    const Vector parent = randomParent(n, 3);
    Matrix sleeves(n, 2);
    Vector out(n);
    Xoshiro256 rng(3, 0);
    b.split(Vector::Constant(n, 3.6), parent, sleeves, out, rng);
    double gap = 0.0;
    for (Index t = 1; t < n; ++t) {
        EXPECT_NEAR(out[t], parent[t], 1e-12);
        gap += std::abs(sleeves(t, 0) - sleeves(t, 1));
    }
    EXPECT_GT(gap, 0.0);  // and the sleeves do differ
}

TEST(Bifurcation, DatedDivergenceWindowScalesTheDriftGap) {
    // No shocks, no factor: the sleeves' simple returns are parent + d with
    // d_j = scale drift_j / 252 - sum_k w_k scale drift_k / 252.
    BifurcationSpec s;
    s.parent = "IWM";
    s.sleeves = {{"Q", 0.6, 0.02, 0.0, 0.0, 0.0, {}}, {"S", 0.4, -0.06, 0.0, 0.0, 0.0, {}}};
    s.factorMean = s.factorVol = 0.0;
    RegimeSwitchSpec r;
    r.windows = {{d(2026, 1, 3), d(2026, 1, 3)}};
    r.driftScale = 3.0;
    s.regime = r;
    const auto dates = test::calendarDays(d(2026, 1, 2), 3);  // Jan 2, 3 (in the window), 4
    const Bifurcation b(s, dates);
    Matrix sleeves(3, 2);
    Vector out(3);
    Xoshiro256 rng(0, 0);
    BifurcationTrace trace;
    b.split(Vector::Constant(3, 3.6), Vector::Zero(3), sleeves, out, rng, &trace);
    EXPECT_EQ(trace.regime, (std::vector<int>{0, 1, 0}));
    // Day 1 (divergence, x3): drifts 0.06 and -0.18 a year; weighted mean 0.036 - 0.072 =
    // -0.036; gaps (0.06 + 0.036) / 252 = 0.096/252 and (-0.18 + 0.036) / 252 = -0.144/252.
    EXPECT_NEAR(trace.sleeveSimple(1, 0), 0.096 / 252.0, 1e-16);
    EXPECT_NEAR(trace.sleeveSimple(1, 1), -0.144 / 252.0, 1e-16);
    EXPECT_NEAR(out[1], 0.0, 1e-17);  // 0.6 x 0.096 - 0.4 x 0.144 = 0
    // Day 2 (normal) with the drifted weights w = 0.6 (1 + 0.096/252) / (1 + 0) since the
    // parent's return was 0, i.e. w_Q = 0.6 + 0.6 x 0.096/252.
    const double wq = 0.6 * (1.0 + 0.096 / 252.0);
    const double wsl = 0.4 * (1.0 - 0.144 / 252.0);
    const double mean = (wq * 0.02 + wsl * -0.06) / 252.0;
    EXPECT_NEAR(trace.sleeveSimple(2, 0), 0.02 / 252.0 - mean, 1e-16);
    EXPECT_NEAR(trace.sleeveSimple(2, 1), -0.06 / 252.0 - mean, 1e-16);
}

TEST(Bifurcation, MarkovSwitchFrequenciesMatchTransitionProbabilities) {
    BifurcationSpec s = twoSleeves();
    s.sleeves[1].wallExposure = 0.0;
    const double p = 0.05, q = 0.20;  // enter, exit per day
    s.regime = RegimeSwitchSpec{p, q, 0, {}, 2.0, 2.0};
    const int n = 20000;
    const Bifurcation b(s, test::calendarDays(d(2000, 1, 3), n));
    Matrix sleeves(n, 2);
    Vector out(n);
    double from0 = 0, enter = 0, from1 = 0, exit = 0, in1 = 0;
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
        Xoshiro256 rng(seed, 0);
        BifurcationTrace trace;
        b.split(Vector::Constant(n, 3.0), Vector::Zero(n), sleeves, out, rng, &trace);
        for (std::size_t t = 1; t < trace.regime.size(); ++t) {
            const int a = trace.regime[t - 1], c = trace.regime[t];
            if (a == 0) {
                ++from0;
                enter += c == 1;
            } else {
                ++from1;
                exit += c == 0;
            }
            in1 += c;
        }
    }
    // Binomial standard errors: sqrt(p (1 - p) / trials); 5 of them.
    EXPECT_NEAR(enter / from0, p, 5.0 * std::sqrt(p * (1 - p) / from0));
    EXPECT_NEAR(exit / from1, q, 5.0 * std::sqrt(q * (1 - q) / from1));
    // Stationary share p / (p + q) = 0.2; the chain's lag-1 autocorrelation 1 - p - q = 0.75
    // inflates the variance of the mean by (1 + 0.75) / (1 - 0.75) = 7.
    const double m = static_cast<double>(n - 1) * 10.0;
    EXPECT_NEAR(in1 / m, 0.2, 5.0 * std::sqrt(0.2 * 0.8 * 7.0 / m));
}

TEST(Bifurcation, OverlayWritesSleevesAndRecombinedParentOnly) {
    BifurcationSpec s = twoSleeves();
    s.sleeves[1].wallExposure = 0.0;
    const Universe u{{"SPY", "IWM_S", "IWM", "IWM_Q"}};
    const int n = 100;
    const auto dates = test::calendarDays(d(2026, 1, 2), n);
    const auto overlay = makeBifurcation(s, u, dates);
    EXPECT_EQ(overlay->name(), "bifurcation");
    Matrix lr(n, 4);
    lr.col(0) = randomParent(n, 10);
    lr.col(1).setConstant(0.5);  // garbage the overlay must overwrite
    lr.col(2) = randomParent(n, 11);
    lr.col(3).setConstant(0.5);
    const Matrix before = lr;
    Xoshiro256 rng(4, 4), mirror(4, 4);
    overlay->apply(Vector::Constant(n, 3.6), lr, rng);
    Matrix sleeves(n, 2);
    Vector out(n);
    Bifurcation(s, dates).split(Vector::Constant(n, 3.6), before.col(2), sleeves, out, mirror);
    EXPECT_EQ(lr.col(0), before.col(0));
    EXPECT_EQ(lr.col(3), sleeves.col(0));
    EXPECT_EQ(lr.col(1), sleeves.col(1));
    EXPECT_EQ(lr.col(2), out);
}

TEST(Bifurcation, ProfitabilityFactorDefaultsMatchTheFrenchData) {
    // Recompute RMW's annual mean and volatility from the shipped daily file (percent units).
    std::ifstream in(std::string(ROTOR_SOURCE_DIR) + "/data/french/ff5_factors_daily.csv");
    ASSERT_TRUE(in.good());
    std::string line;
    std::getline(in, line);
    ASSERT_EQ(line.substr(0, 40), "date,mkt_rf_pct,smb_pct,hml_pct,rmw_pct,");
    double sum = 0.0, sumSq = 0.0;
    long n = 0;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string field;
        for (int i = 0; i < 5; ++i) std::getline(ss, field, ',');
        const double x = std::stod(field) / 100.0;
        sum += x;
        sumSq += x * x;
        ++n;
    }
    const double mean = sum / static_cast<double>(n);
    const double sd = std::sqrt(sumSq / static_cast<double>(n) - mean * mean);
    const BifurcationSpec dflt;
    EXPECT_NEAR(dflt.factorMean, mean * 252.0, 5e-4);
    EXPECT_NEAR(dflt.factorVol, sd * std::sqrt(252.0), 5e-4);
}

using Loc = test::TextLocation;
using test::locate;

const char* kSleeves =
    "  sleeves:\n"
    "    - {name: IWM_Q, weight: 0.6, drift: 0.02, vol: 0.05, rmw_loading: 0.3}\n"
    "    - {name: IWM_S, weight: 0.4, drift: -0.03, vol: 0.09, rmw_loading: -0.45, "
    "wall_exposure: 1}\n";

TEST(Bifurcation, ParsesTheBlock) {
    const std::string text = std::string("bifurcation:\n  parent: IWM\n") + kSleeves +
                             "  regime: {enter_probability: 0.01, exit_probability: 0.05, "
                             "drift_scale: 3, vol_scale: 1.5}\n"
                             "  refinancing_wall: {speculative_share: 1.0, spread_bp: 500}\n";
    const auto s = parseBifurcation(loadYamlString(text, "b.yaml").at("bifurcation"));
    EXPECT_EQ(s.parent, "IWM");
    ASSERT_EQ(s.sleeves.size(), 2u);
    EXPECT_EQ(s.sleeves[1].name, "IWM_S");
    EXPECT_EQ(s.sleeves[1].rmwLoading, -0.45);
    EXPECT_EQ(s.sleeves[1].wallExposure, 1.0);
    EXPECT_EQ(s.sleeves[0].wallExposure, 0.0);
    ASSERT_TRUE(s.regime);
    EXPECT_EQ(s.regime->enterProbability, 0.01);
    EXPECT_EQ(s.regime->volScale, 1.5);
    ASSERT_TRUE(s.wall);
    EXPECT_EQ(s.wall->spreadBp, 500.0);
    EXPECT_NEAR(s.factorMean, 0.0316, 1e-12);
}

void expectError(const std::string& text, const std::string& needle, const std::string& what) {
    try {
        parseBifurcation(loadYamlString(text, "b.yaml").at("bifurcation"));
        ADD_FAILURE() << "no error for " << text;
    } catch (const ConfigError& e) {
        const Loc l = locate(text, needle);
        EXPECT_EQ(e.line(), l.line) << e.what();
        EXPECT_EQ(e.column(), l.column) << e.what();
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(Bifurcation, YamlErrorsNameFileLineColumnAndKey) {
    const std::string head = "bifurcation:\n  parent: IWM\n";
    expectError(head + kSleeves + "  regim: {}\n", "regim", "unknown key 'regim'");
    // wall_exposure without a wall block.
    expectError(head + kSleeves, "1}", "refinancing_wall");
    expectError(head + "  sleeves:\n    - {name: A, weight: 0.6}\n    - {name: B, weight: 0.3}\n",
                "- {name: A", "sum to 0.9");
    expectError(head + "  sleeves:\n    - {name: IWM, weight: 0.6}\n    - {name: B, weight: 0.4}\n",
                "IWM, weight", "already the parent");
    expectError(head +
                    "  sleeves:\n    - {name: A, weight: 0.6}\n    - {name: B, weight: 0.4}\n"
                    "  regime: {windows: [], enter_probability: 0.1, exit_probability: 0.1}\n",
                "windows", "not both");
    expectError(head +
                    "  sleeves:\n    - {name: A, weight: 0.6}\n    - {name: B, weight: 0.4}\n"
                    "  regime: {enter_probability: 0.1, exit_probability: 0.1, initial: odd}\n",
                "odd", "'normal' or 'divergence'");

    // A sleeve missing from the universe is reported at its name.
    const std::string text =
        head + "  sleeves:\n    - {name: A, weight: 0.6}\n    - {name: B, weight: 0.4}\n";
    const auto spec = parseBifurcation(loadYamlString(text, "b.yaml").at("bifurcation"));
    try {
        makeBifurcation(spec, Universe{{"IWM", "A"}}, test::calendarDays(d(2026, 1, 2), 5));
        ADD_FAILURE() << "no error for B";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.line(), locate(text, "B, weight").line);
        EXPECT_EQ(e.column(), locate(text, "B, weight").column);
    }
}

}  // namespace bifurcation_test
}  // namespace
}  // namespace rotor
