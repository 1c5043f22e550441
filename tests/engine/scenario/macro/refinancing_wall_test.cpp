// SPDX-License-Identifier: MIT
// Refinancing wall: the interest, coverage and hazard path against hand arithmetic, the jumps
// against an independent Poisson inversion on the same draws, monotonicity in the rate path
// with common random numbers, the overlay's share scaling, and YAML errors with locations.
#include "engine/scenario/macro/refinancing_wall.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace refinancing_wall_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

using Loc = test::TextLocation;
using test::locate;

// The hand case: one maturity bucket (40 % of debt in 2026), a 100 bp hike on day 1.
RefinancingWallSpec handSpec() {
    RefinancingWallSpec s;
    s.floatingShare = 0.3;
    s.maturities = {{2026, 0.4}};
    s.spreadBp = 400.0;
    s.oldCoupon = 7.0;
    s.debtToEquity = 0.5;
    s.interestCoverage = 1.4;
    s.defaultHazard.points = {{1.0, 0.10}, {2.0, 0.02}};
    s.dilutionHazard.points = {{1.0, 0.05}};  // one point: flat 5 % a year
    s.eventSize = 0.01;
    s.lossGivenDefault = 0.5;
    s.dilutionLoss = 0.2;
    s.compensate = false;
    s.multiple = 0.0;  // the valuation channel has its own hand case below
    return s;
}
const std::vector<Date> kHandDates = {d(2026, 7, 1), d(2026, 10, 1), d(2027, 1, 1), d(2027, 7, 1)};

TEST(RefinancingWall, DeterministicPathMatchesHandArithmetic) {
    Vector rate(4);
    rate << 4.0, 5.0, 5.0, 5.0;
    const auto p = computeRefinancingWall(handSpec(), kHandDates, rate);

    // Matured share of debt: 2026 bucket (0.4) over 365 days; 2026-07-01 -> 10-01 is
    // 31 + 31 + 30 = 92 days, -> 2027-01-01 adds 31 + 30 + 31 = 184; after that nothing more.
    const double m1 = 0.4 * 92.0 / 365.0;   // 0.100821917808
    const double m2 = 0.4 * 184.0 / 365.0;  // 0.201643835616
    EXPECT_DOUBLE_EQ(p.matured[0], 0.0);
    EXPECT_NEAR(p.matured[1], m1, 1e-15);
    EXPECT_NEAR(p.matured[2], m2, 1e-15);
    EXPECT_NEAR(p.matured[3], m2, 1e-15);

    // dI = phi (r - r0) + (1 - phi) M (r + s - c0): floating 0.3 x 1 pp, plus the matured fixed
    // debt repriced from 7 % to 5 % + 4 % = 9 %, i.e. +2 pp.
    const double di1 = 0.3 * 0.01 + 0.7 * m1 * 0.02;  // 0.003 + 0.0014115068 = 0.0044115068
    const double di2 = 0.3 * 0.01 + 0.7 * m2 * 0.02;  // 0.003 + 0.0028230137 = 0.0058230137
    EXPECT_NEAR(p.extraInterest[0], 0.0, 1e-15);
    EXPECT_NEAR(p.extraInterest[1], di1, 1e-15);
    EXPECT_NEAR(p.extraInterest[2], di2, 1e-15);
    EXPECT_NEAR(p.extraInterest[1], 0.00441150684932, 1e-13);  // the hand-rounded value
    EXPECT_NEAR(p.interestCost[1], 0.07 + di1, 1e-15);

    // Coverage C = C0 c0 / I with EBIT/debt = 1.4 x 7 % = 9.8 %: 1.4, 0.098/0.0744115 = 1.31700.
    EXPECT_NEAR(p.coverage[0], 1.4, 1e-13);
    EXPECT_NEAR(p.coverage[1], 0.098 / (0.07 + di1), 1e-13);
    EXPECT_NEAR(p.coverage[1], 1.31700, 1e-5);
    EXPECT_NEAR(p.coverage[2], 0.098 / (0.07 + di2), 1e-13);

    // Hazard on the line through (1, 10 %) and (2, 2 %): 0.10 - 0.08 (C - 1).
    EXPECT_NEAR(p.defaultHazard[0], 0.10 - 0.08 * 0.4, 1e-13);  // 0.068
    EXPECT_NEAR(p.defaultHazard[1], 0.10 - 0.08 * (0.098 / (0.07 + di1) - 1.0), 1e-13);
    EXPECT_NEAR(p.defaultHazard[1], 0.07464, 1e-5);
    EXPECT_NEAR(p.dilutionHazard[2], 0.05, 1e-15);

    // Drag on equity: D/E x dI per year, over 252 days.
    EXPECT_NEAR(p.drag[1], 0.5 * di1 / 252.0, 1e-16);
    EXPECT_NEAR(p.drag[3], 0.5 * di2 / 252.0, 1e-16);
}

// Poisson(mean) by a second method: the closed-form CDF compared against u term by term.
long poissonByCdf(double mean, double u) {
    double cdf = 0.0;
    for (long k = 0; k < 50; ++k) {
        cdf += std::exp(-mean) * std::pow(mean, static_cast<double>(k)) /
               std::tgamma(static_cast<double>(k) + 1.0);
        if (u < cdf) return k;
    }
    return 50;
}

TEST(RefinancingWall, PoissonInversionAgainstCdf) {
    // mean 1: F(0) = e^-1 = 0.3679, F(1) = 0.7358, F(2) = 0.9197, F(3) = 0.9810.
    EXPECT_EQ(poissonInverse(1.0, 0.0), 0);
    EXPECT_EQ(poissonInverse(1.0, 0.36), 0);
    EXPECT_EQ(poissonInverse(1.0, 0.5), 1);
    EXPECT_EQ(poissonInverse(1.0, 0.8), 2);
    EXPECT_EQ(poissonInverse(1.0, 0.95), 3);
    for (double mean : {0.01, 0.3, 2.5}) {
        for (double u = 0.0005; u < 1.0; u += 0.001)
            EXPECT_EQ(poissonInverse(mean, u), poissonByCdf(mean, u)) << mean << " " << u;
    }
}

TEST(RefinancingWall, JumpsAndDragOnTheHandCase) {
    const RefinancingWallSpec spec = handSpec();
    Vector rate(4);
    rate << 4.0, 5.0, 5.0, 5.0;
    const RefinancingWall wall(spec, kHandDates);
    const double aD = -std::log(1.0 - 0.01 * 0.5);  // one default event: 0.5 % of the value
    const double aU = -std::log(1.0 - 0.01 * 0.2);  // one dilution event: 0.2 %
    const double m1 = 0.4 * 92.0 / 365.0;
    const double m2 = 0.4 * 184.0 / 365.0;
    // State of day t - 1 drives the return into day t: (dI, default hazard) for t = 1, 2, 3.
    const double di[3] = {0.0, 0.3 * 0.01 + 0.7 * m1 * 0.02, 0.3 * 0.01 + 0.7 * m2 * 0.02};
    long events = 0;
    for (std::uint64_t seed = 0; seed < 400; ++seed) {
        Xoshiro256 rng(seed, 3), mirror(seed, 3);
        Vector x(4);
        wall.firmLogLosses(rate, x, rng);
        EXPECT_EQ(x[0], 0.0);
        for (int t = 1; t < 4; ++t) {
            const double lambdaD = 0.10 - 0.08 * (0.098 / (0.07 + di[t - 1]) - 1.0);
            const long nD = poissonByCdf(lambdaD / 0.01 / 252.0, mirror.uniform());
            const long nU = poissonByCdf(0.05 / 0.01 / 252.0, mirror.uniform());
            events += nD + nU;
            const double expected = 0.5 * di[t - 1] / 252.0 + static_cast<double>(nD) * aD +
                                    static_cast<double>(nU) * aU;
            EXPECT_NEAR(x[t], expected, 1e-15) << seed << " " << t;
        }
    }
    // The draws do produce events (about 1200 days x 0.047 = 56), so the jumps were exercised.
    EXPECT_GT(events, 20);
}

TEST(RefinancingWall, CompensationRemovesTheExpectedJumpLossAtTodaysCoverage) {
    RefinancingWallSpec spec = handSpec();
    spec.compensate = true;
    spec.maturities.clear();
    const auto dates = test::calendarDays(d(2026, 1, 2), 2000);
    const Vector rate = Vector::Constant(2000, 4.0);  // unchanged rate: no drag, coverage 1.4
    const RefinancingWall wall(spec, dates);
    // Expected daily log loss at C = 1.4: (0.068 x a_D + 0.05 x a_U) / 0.01 / 252.
    const double aD = -std::log(1.0 - 0.005);
    const double aU = -std::log(1.0 - 0.002);
    const double comp = (0.068 * aD + 0.05 * aU) / 0.01 / 252.0;
    double sum = 0.0, sumSq = 0.0;
    long n = 0;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        Xoshiro256 rng(seed, 0);
        Vector x(2000);
        wall.firmLogLosses(rate, x, rng);
        for (Index t = 1; t < x.size(); ++t) {
            sum += x[t];
            sumSq += x[t] * x[t];
            ++n;
            // Every day is a whole number of jumps minus the compensation.
            const double jumps = x[t] + comp;
            bool whole = false;
            for (int i = 0; i < 6 && !whole; ++i)
                for (int j = 0; j < 6 && !whole; ++j)
                    whole = std::abs(jumps - i * aD - j * aU) < 1e-14;
            EXPECT_TRUE(whole) << x[t];
        }
    }
    // Mean zero within 5 standard errors.
    const double mean = sum / static_cast<double>(n);
    const double sd = std::sqrt(sumSq / static_cast<double>(n) - mean * mean);
    EXPECT_NEAR(mean, 0.0, 5.0 * sd / std::sqrt(static_cast<double>(n)));
}

TEST(RefinancingWall, HigherRatePathLosesMoreOnTheSameDraws) {
    RefinancingWallSpec spec;  // the documented defaults
    spec.assets = {"IWM"};
    const int n = 504;
    const auto dates = test::calendarDays(d(2026, 1, 5), n);
    Vector low = Vector::Constant(n, 3.0), high = Vector::Constant(n, 5.5);
    low[0] = high[0] = 3.625;
    const RefinancingWall wall(spec, dates);
    double totalLow = 0.0, totalHigh = 0.0;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        Xoshiro256 a(seed, 7), b(seed, 7);
        Vector xl(n), xh(n);
        wall.firmLogLosses(low, xl, a);
        wall.firmLogLosses(high, xh, b);
        for (Index t = 0; t < n; ++t) EXPECT_GE(xh[t], xl[t]) << seed << " " << t;
        totalLow += xl.sum();
        totalHigh += xh.sum();
    }
    EXPECT_GT(totalHigh, totalLow);
    // The deterministic pieces move the same way: more interest, lower coverage, more hazard.
    const auto pl = computeRefinancingWall(spec, dates, low);
    const auto ph = computeRefinancingWall(spec, dates, high);
    EXPECT_GT(ph.extraInterest[n - 1], pl.extraInterest[n - 1]);
    EXPECT_LT(ph.coverage[n - 1], pl.coverage[n - 1]);
    EXPECT_GT(ph.defaultHazard[n - 1], pl.defaultHazard[n - 1]);
    EXPECT_GT(ph.dilutionHazard[n - 1], pl.dilutionHazard[n - 1]);
}

// The hand computation of docs/scenarios.md ("Valuation and flow"): default inputs, the policy
// rate held at 3.625 % on every weekday of 2026. Only the 2026 bucket (25 %) matures; the
// floating debt does not reprice (r = r0).
TEST(RefinancingWall, HoldPathValuationAndFlowMatchTheHandComputation) {
    RefinancingWallSpec spec;  // documented defaults: multiple 15, tax 21 %, D/E 0.5, phi 0.33
    spec.assets = {"IWM_SPEC"};
    spec.speculativeShare = 1.0;
    std::vector<Date> dates;
    for (Date x = d(2026, 1, 2); x <= d(2026, 12, 31); x = x + 1)
        if (x.weekday() != 0 && x.weekday() != 6) dates.push_back(x);
    const auto n = static_cast<Index>(dates.size());
    ASSERT_EQ(n, 260);
    const Vector rate = Vector::Constant(n, 3.625);

    // dI_t = (1 - 0.33) x 0.25 (days since start / 365) x (3.625 % + 4.5 % - 7.1 %).
    auto di = [&](Index t) {
        return 0.67 * 0.25 * static_cast<double>(dates[static_cast<std::size_t>(t)] - dates[0]) /
               365.0 * 0.01025;
    };
    double flow = 0.0;
    for (Index t = 1; t < n; ++t) flow += 0.5 * di(t - 1) / 252.0;
    // On 2026-12-31, 363 days in: dI = 0.67 x 0.25 x 363/365 x 1.025 % = 0.17075 %, and the
    // capitalised loss L = 15 x (1 - 0.21) x 0.5 x dI = 1.0117 % of the sleeve's value.
    const double capitalised = 15.0 * 0.79 * 0.5 * di(n - 1);
    EXPECT_NEAR(di(n - 1), 0.0017075, 1e-7);
    EXPECT_NEAR(capitalised, 0.010117, 1e-6);
    EXPECT_NEAR(flow, 0.000438, 1e-6);  // 0.044 %: the valuation loss is 23 times the flow

    const auto path = computeRefinancingWall(spec, dates, rate);
    EXPECT_NEAR(path.capitalised[n - 1], capitalised, 1e-15);

    const RefinancingWall wall(spec, dates);
    const auto overlay = makeRefinancingWall(spec, Universe{{"IWM_SPEC"}}, dates);
    ASSERT_EQ(overlay->reportNames(), (std::vector<std::string>{"flow", "valuation", "jumps"}));
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        Xoshiro256 rng(seed, 1), again(seed, 1);
        Vector x(n);
        RefinancingWallParts parts;
        wall.firmLogLosses(rate, x, rng, &parts);
        EXPECT_NEAR(parts.flow, flow, 1e-15);
        EXPECT_NEAR(parts.valuation, -std::log(1.0 - capitalised), 1e-14);
        EXPECT_NEAR(parts.flow + parts.valuation + parts.jumps, x.sum(), 1e-13);

        // The overlay on a sleeve made only of these firms: its log return over the year falls by
        // exactly the three parts, which it reports.
        Matrix lr = Matrix::Zero(n, 1);
        Vector report(3);
        overlay->applyAndReport(rate, lr, again, report);
        EXPECT_NEAR(lr.col(0).sum(), -x.sum(), 1e-13);
        EXPECT_NEAR(report[0], parts.flow, 1e-15);
        EXPECT_NEAR(report[1], parts.valuation, 1e-15);
        EXPECT_NEAR(report[2], parts.jumps, 1e-15);
    }
}

TEST(RefinancingWall, MaturedFractionCountsLeapYearsAndSkipsPastBuckets) {
    // 2025 matured before the start (already in today's coupon); 2028 has 366 days.
    const std::vector<MaturityBucket> b = {{2025, 0.3}, {2028, 0.2}};
    const std::vector<Date> dates = {d(2026, 3, 2), d(2028, 1, 1), d(2028, 3, 1), d(2030, 1, 1)};
    const Vector m = maturedFraction(b, dates);
    EXPECT_DOUBLE_EQ(m[0], 0.0);
    EXPECT_DOUBLE_EQ(m[1], 0.0);
    EXPECT_NEAR(m[2], 0.2 * (31.0 + 29.0) / 366.0, 1e-15);  // Jan + Feb of a leap year
    EXPECT_NEAR(m[3], 0.2, 1e-15);
}

TEST(RefinancingWall, LogisticHazardAtKnownPoints) {
    HazardCurve h;
    h.lo = 0.01;
    h.hi = 0.21;
    h.midpoint = 1.0;
    h.width = 0.5;
    EXPECT_NEAR(h(1.0), 0.11, 1e-15);  // the midpoint: halfway between lo and hi
    EXPECT_NEAR(h(1.5), 0.01 + 0.2 / (1.0 + std::exp(1.0)), 1e-15);
    EXPECT_NEAR(h(0.5), 0.01 + 0.2 / (1.0 + std::exp(-1.0)), 1e-15);
}

TEST(RefinancingWall, OverlayScalesBySpeculativeShareOnTargetsOnly) {
    RefinancingWallSpec spec = handSpec();
    spec.assets = {"IWM"};
    spec.speculativeShare = 0.4;
    const Universe u{{"SPY", "IWM"}};
    Vector rate(4);
    rate << 4.0, 5.0, 5.0, 5.0;
    const auto overlay = makeRefinancingWall(spec, u, kHandDates);
    EXPECT_EQ(overlay->name(), "refinancing_wall");
    Matrix lr = Matrix::Constant(4, 2, 0.001);
    lr.row(0).setZero();
    Xoshiro256 rng(11, 2), mirror(11, 2);
    overlay->apply(rate, lr, rng);
    Vector x(4);
    RefinancingWall(spec, kHandDates).firmLogLosses(rate, x, mirror);
    for (Index t = 1; t < 4; ++t) {
        EXPECT_EQ(lr(t, 0), 0.001);
        // 40 % of the value loses 1 - e^-X: the asset's gross return scales by 1 - 0.4 (1 - e^-X).
        EXPECT_NEAR(lr(t, 1), 0.001 + std::log(1.0 - 0.4 * (1.0 - std::exp(-x[t]))), 1e-15);
    }
}

TEST(RefinancingWall, ParsesTheBlockWithDefaults) {
    const std::string text =
        "refinancing_wall:\n"
        "  assets: [IWM_SPEC]\n"
        "  speculative_share: 1.0\n"
        "  maturities: [{year: 2026, fraction: 0.442}, {year: 2027, fraction: 0.41}]\n"
        "  default_hazard: {min: 0.02, width: 0.5}\n"
        "  dilution_hazard: {points: [[0.5, 0.3], [2.0, 0.02]]}\n"
        "  compensate: false\n";
    const auto s = parseRefinancingWall(loadYamlString(text, "t.yaml").at("refinancing_wall"));
    ASSERT_EQ(s.assets.size(), 1u);
    EXPECT_EQ(s.assets[0], "IWM_SPEC");
    EXPECT_EQ(s.speculativeShare, 1.0);
    EXPECT_EQ(s.floatingShare, 0.33);
    ASSERT_EQ(s.maturities.size(), 2u);
    EXPECT_EQ(s.maturities[1].year, 2027);
    EXPECT_EQ(s.maturities[1].fraction, 0.41);
    EXPECT_EQ(s.defaultHazard.lo, 0.02);
    EXPECT_EQ(s.defaultHazard.hi, 0.20);  // default kept
    EXPECT_EQ(s.defaultHazard.width, 0.5);
    EXPECT_NEAR(s.dilutionHazard(1.25), 0.3 - 0.28 * 0.5, 1e-15);  // halfway along the line
    EXPECT_FALSE(s.compensate);

    // The documented default schedule: 75 % of the debt due by the end of 2029.
    double sum = 0.0;
    for (const auto& b : defaultMaturities()) sum += b.fraction;
    EXPECT_NEAR(sum, 0.75, 1e-12);
    // A default-constructed spec holds the documented curves: at the midpoint C = 1 the default
    // hazard is halfway between 1 % and 20 %, 0.105; dilution at C = 1.2 halfway between 2 %
    // and 30 %, 0.16.
    const RefinancingWallSpec dflt;
    EXPECT_NEAR(dflt.defaultHazard(1.0), 0.105, 1e-15);
    EXPECT_NEAR(dflt.dilutionHazard(1.2), 0.16, 1e-15);
    EXPECT_EQ(dflt.maturities.size(), 4u);
}

void expectError(const std::string& text, const std::string& needle, const std::string& what,
                 bool standalone = true) {
    try {
        parseRefinancingWall(loadYamlString(text, "t.yaml").at("refinancing_wall"), standalone);
        ADD_FAILURE() << "no error for " << text;
    } catch (const ConfigError& e) {
        const Loc l = locate(text, needle);
        EXPECT_EQ(e.file(), "t.yaml");
        EXPECT_EQ(e.line(), l.line) << e.what();
        EXPECT_EQ(e.column(), l.column) << e.what();
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(RefinancingWall, YamlErrorsNameFileLineColumnAndKey) {
    expectError("refinancing_wall:\n  assets: [IWM]\n  floting_share: 0.3\n", "floting_share",
                "unknown key 'floting_share'");
    expectError("refinancing_wall:\n  assets: [IWM]\n  floating_share: 1.3\n", "1.3", "1.3");
    expectError(
        "refinancing_wall:\n  assets: [IWM]\n"
        "  maturities: [{year: 2026, fraction: 0.6}, {year: 2027, fraction: 0.5}]\n",
        "[{year", "sum to 1.1");
    expectError(
        "refinancing_wall:\n  assets: [IWM]\n"
        "  maturities: [{year: 2027, fraction: 0.1}, {year: 2026, fraction: 0.1}]\n",
        "2026", "ascending");
    expectError(
        "refinancing_wall:\n  assets: [IWM]\n"
        "  default_hazard: {points: [[1.0, 0.1], [0.5, 0.2]]}\n",
        "0.5, 0.2", "strictly ascending");
    expectError("refinancing_wall:\n  floating_share: 0.3\n", "floating_share", "assets");
    expectError("refinancing_wall:\n  assets: [IWM]\n", "assets", "unknown key 'assets'",
                /*standalone=*/false);

    // An asset outside the universe is reported at `assets`.
    const std::string text = "refinancing_wall:\n  assets: [IWM, XYZ]\n";
    const auto spec = parseRefinancingWall(loadYamlString(text, "t.yaml").at("refinancing_wall"));
    try {
        makeRefinancingWall(spec, Universe{{"IWM"}}, kHandDates);
        ADD_FAILURE() << "no error for XYZ";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.line(), locate(text, "[IWM").line);
        EXPECT_EQ(e.column(), locate(text, "[IWM").column);
        EXPECT_NE(std::string(e.what()).find("'XYZ'"), std::string::npos) << e.what();
    }
}

}  // namespace refinancing_wall_test
}  // namespace
}  // namespace rotor
