// SPDX-License-Identifier: MIT
#include "engine/metrics/metrics.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace metrics_test {

const double kSqrt252 = std::sqrt(252.0);

// Equity starting at e0 and compounding the given daily returns (T = returns + 1).
Vector compound(double e0, const std::vector<double>& returns) {
    Vector e(static_cast<Index>(returns.size()) + 1);
    e[0] = e0;
    for (Index t = 1; t < e.size(); ++t)
        e[t] = e[t - 1] * (1.0 + returns[static_cast<std::size_t>(t - 1)]);
    return e;
}

// 64-bit LCG (Knuth MMIX): uniform draws in [0, 1) from its top 53 bits.
struct Uniform {
    std::uint64_t state;
    double operator()() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / 9007199254740992.0;
    }
};

Vector values(std::initializer_list<double> v) {
    Vector out(static_cast<Index>(v.size()));
    Index i = 0;
    for (double x : v) out[i++] = x;
    return out;
}

Vector zeros(Index n) { return Vector::Zero(n); }

// ---------------------------------------------------------------- return and risk of one curve

TEST(Metrics, ConstantGrowthHasZeroVolatilityAndUndefinedRatios) {
    // E_t = 1.001^t for t = 0..10: every return is g = 0.001, so n = 10 and the stdev is 0.
    const double g = 0.001;
    Vector e(11);
    for (Index t = 0; t < e.size(); ++t) e[t] = std::pow(1.0 + g, static_cast<double>(t));
    const Vector rf = Vector::Constant(11, 0.0002);  // x = g - rf = 0.0008 every day
    const Metrics m = computeMetrics(e, rf, zeros(11), 0.0, 0);

    EXPECT_NEAR(m.totalReturn, std::pow(1.001, 10) - 1.0, 1e-14);
    // (E_10/E_0)^(252/10) = (1.001^10)^25.2 = 1.001^252.
    EXPECT_NEAR(m.cagr, std::pow(1.001, 252) - 1.0, 1e-12);
    EXPECT_EQ(m.volatility, 0.0);        // rounding noise in E_t/E_{t-1} is snapped to 0
    EXPECT_TRUE(std::isnan(m.sharpe));   // stdev of x is 0
    EXPECT_TRUE(std::isnan(m.sortino));  // no day below the cash return: downside deviation 0
    EXPECT_EQ(m.maxDrawdown.depth, 0.0);
    EXPECT_TRUE(std::isnan(m.calmar));
}

TEST(Metrics, FiveDaySeriesByHand) {
    // E = 100, 110, 99, 108.9, 119.79: r = +10%, -10%, +10%, +10% (n = 4).
    const Vector e = values({100.0, 110.0, 99.0, 108.9, 119.79});
    // rf[0] = 0.5 is unused: were it used, every excess return below would be off.
    const Vector rf = values({0.5, 0.01, 0.02, 0.00, 0.01});
    const Metrics m = computeMetrics(e, rf, zeros(5), 12.5, 3);

    EXPECT_NEAR(m.totalReturn, 0.1979, 1e-14);  // 119.79 / 100 - 1
    // 252/n = 63: CAGR = 1.1979^63 - 1 (about 8.8e4, hence the relative tolerance).
    EXPECT_NEAR(m.cagr / (std::pow(1.1979, 63.0) - 1.0), 1.0, 1e-12);
    // mean r = 0.2/4 = 0.05; deviations 0.05, -0.15, 0.05, 0.05; squares sum to
    // 0.0025*3 + 0.0225 = 0.03; sample variance 0.03/3 = 0.01; stdev 0.1.
    EXPECT_NEAR(m.volatility, 0.1 * kSqrt252, 1e-12);
    // x = r - rf = 0.09, -0.12, 0.10, 0.09; mean 0.16/4 = 0.04; deviations 0.05, -0.16, 0.06, 0.05;
    // squares 0.0025 + 0.0256 + 0.0036 + 0.0025 = 0.0342; sample variance 0.0342/3 = 0.0114.
    EXPECT_NEAR(m.sharpe, 0.04 / std::sqrt(0.0114) * kSqrt252, 1e-11);
    // Downside: min(x, 0) = 0, -0.12, 0, 0; mean square over all 4 days = 0.0144/4 = 0.0036;
    // deviation 0.06. Sortino = 0.04 * 252 / (0.06 * sqrt 252) = (2/3) sqrt 252.
    EXPECT_NEAR(m.sortino, 2.0 / 3.0 * kSqrt252, 1e-11);
    // Drawdown: high 110 on day 1, low 99 on day 2: 1 - 99/110 = 0.1; 108.9 < 110 on day 3,
    // 119.79 >= 110 on day 4.
    EXPECT_NEAR(m.maxDrawdown.depth, 0.1, 1e-14);
    EXPECT_EQ(m.maxDrawdown.peak, 1);
    EXPECT_EQ(m.maxDrawdown.trough, 2);
    EXPECT_EQ(m.maxDrawdown.recovery, 4);
    EXPECT_NEAR(m.calmar / ((std::pow(1.1979, 63.0) - 1.0) / 0.1), 1.0, 1e-12);
    EXPECT_EQ(m.totalCosts, 12.5);
    EXPECT_EQ(m.rebalances, 3);
}

TEST(Metrics, SharpeOnConstantCashRateMatchesHand) {
    // Same curve, rf = 0.01 every day: x = 0.09, -0.11, 0.09, 0.09 = r - 0.01, so the stdev is
    // still 0.1 and the mean 0.04: Sharpe = 0.4 sqrt 252. Downside 0.11^2 / 4 = 0.003025,
    // deviation 0.055: Sortino = 0.04 / 0.055 sqrt 252 = (8/11) sqrt 252.
    const Vector e = values({100.0, 110.0, 99.0, 108.9, 119.79});
    const Metrics m = computeMetrics(e, Vector::Constant(5, 0.01), zeros(5), 0.0, 0);
    EXPECT_NEAR(m.sharpe, 0.4 * kSqrt252, 1e-11);
    EXPECT_NEAR(m.sortino, 8.0 / 11.0 * kSqrt252, 1e-11);
}

TEST(Metrics, CagrCountsTradingDays) {
    // 126 returns (half a 252-day year) growing by 21%: CAGR = 1.21^2 - 1 = 0.4641.
    Vector e(127);
    for (Index t = 0; t < e.size(); ++t) e[t] = 1.0 + 0.21 * static_cast<double>(t) / 126.0;
    EXPECT_NEAR(computeMetrics(e, zeros(127), zeros(127), 0.0, 0).cagr, 0.4641, 1e-12);
    // Exactly 252 returns: the CAGR is the total return.
    Vector y(253);
    for (Index t = 0; t < y.size(); ++t) y[t] = 1.0 + 0.1 * static_cast<double>(t) / 252.0;
    const Metrics m = computeMetrics(y, zeros(253), zeros(253), 0.0, 0);
    EXPECT_NEAR(m.totalReturn, 0.1, 1e-14);
    EXPECT_NEAR(m.cagr, 0.1, 1e-13);
    // A loss: 0.81 over 126 returns: CAGR = 0.81^2 - 1 = -0.3439.
    e[126] = 0.81;
    EXPECT_NEAR(computeMetrics(e, zeros(127), zeros(127), 0.0, 0).cagr, -0.3439, 1e-12);
}

TEST(Metrics, OneReturnLeavesSampleStatisticsUndefined) {
    // T = 2, n = 1: a sample stdev needs two returns. r = -0.5, x = -0.5: downside deviation 0.5.
    const Metrics m = computeMetrics(values({2.0, 1.0}), zeros(2), zeros(2), 0.0, 0);
    EXPECT_NEAR(m.totalReturn, -0.5, 1e-15);
    EXPECT_TRUE(std::isnan(m.volatility));
    EXPECT_TRUE(std::isnan(m.sharpe));
    EXPECT_NEAR(m.sortino, -0.5 * 252.0 / (0.5 * kSqrt252), 1e-12);  // -sqrt 252
    EXPECT_NEAR(m.maxDrawdown.depth, 0.5, 1e-15);
}

// A second method: two-pass mean/variance on a 300-day pseudo-random path, against the one-pass
// Welford code, for every return statistic and every benchmark statistic.
TEST(Metrics, MatchesNaiveTwoPassOnLongSeries) {
    const Index days = 300;
    Uniform uniform{12345};
    std::vector<double> rs, rbs;
    Vector rf(days);
    rf[0] = 0.0;
    for (Index t = 1; t < days; ++t) {
        rbs.push_back(0.02 * (uniform() - 0.5) + 0.0003);
        rs.push_back(0.8 * rbs.back() + 0.01 * (uniform() - 0.5) + 0.0001);
        rf[t] = 0.0001 * uniform();
    }
    // A large level, so a naive sum of squares would lose digits; Welford must not.
    const Vector e = compound(1e6, rs);
    const Vector b = compound(50.0, rbs);
    Vector turnover(days);
    for (Index t = 0; t < days; ++t) turnover[t] = 0.05 * uniform();
    const Metrics m = computeMetrics(e, rf, turnover, b, 7.0, 11);

    const double n = static_cast<double>(days - 1);
    std::vector<double> r, rb, x, xb, d;
    for (Index t = 1; t < days; ++t) {
        r.push_back(e[t] / e[t - 1] - 1.0);
        rb.push_back(b[t] / b[t - 1] - 1.0);
        x.push_back(r.back() - rf[t]);
        xb.push_back(rb.back() - rf[t]);
        d.push_back(r.back() - rb.back());
    }
    auto mean = [n](const std::vector<double>& v) {
        double s = 0.0;
        for (double a : v) s += a;
        return s / n;
    };
    auto cov = [&](const std::vector<double>& u, const std::vector<double>& v) {
        const double mu = mean(u), mv = mean(v);
        double s = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i) s += (u[i] - mu) * (v[i] - mv);
        return s / (n - 1.0);
    };
    double down = 0.0;
    for (double a : x) down += a < 0.0 ? a * a : 0.0;
    double turnSum = 0.0;
    for (Index t = 0; t < days; ++t) turnSum += turnover[t];
    double peak = e[0], worst = 0.0;
    for (Index t = 0; t < days; ++t) {
        peak = std::max(peak, e[t]);
        worst = std::max(worst, 1.0 - e[t] / peak);
    }

    const double vol = std::sqrt(cov(r, r)) * kSqrt252;
    const double cagr = std::pow(e[days - 1] / e[0], 252.0 / n) - 1.0;
    const double beta = cov(r, rb) / cov(rb, rb);
    const double te = std::sqrt(cov(d, d)) * kSqrt252;
    EXPECT_NEAR(m.volatility / vol, 1.0, 1e-10);
    EXPECT_NEAR(m.cagr / cagr, 1.0, 1e-10);
    EXPECT_NEAR(m.sharpe / (mean(x) / std::sqrt(cov(x, x)) * kSqrt252), 1.0, 1e-10);
    EXPECT_NEAR(m.sortino / (mean(x) * 252.0 / (std::sqrt(down / n) * kSqrt252)), 1.0, 1e-10);
    EXPECT_NEAR(m.maxDrawdown.depth / worst, 1.0, 1e-12);
    EXPECT_NEAR(m.calmar / (cagr / worst), 1.0, 1e-10);
    EXPECT_NEAR(m.turnover / (turnSum * 252.0 / n), 1.0, 1e-12);
    EXPECT_NEAR(m.beta / beta, 1.0, 1e-10);
    EXPECT_NEAR(m.alpha / ((mean(x) - beta * mean(xb)) * 252.0), 1.0, 1e-9);
    EXPECT_NEAR(m.trackingError / te, 1.0, 1e-10);
    EXPECT_NEAR(m.informationRatio / (mean(d) * 252.0 / te), 1.0, 1e-9);
    EXPECT_EQ(m.totalCosts, 7.0);
    EXPECT_EQ(m.rebalances, 11);
}

// ---------------------------------------------------------------- drawdown

TEST(Drawdown, NeverRecovers) {
    // High 120 on day 1, low 60 on day 3: 1 - 60/120 = 0.5; 100 and 80 stay below 120.
    const Drawdown d = computeDrawdown(values({100.0, 120.0, 90.0, 60.0, 100.0, 80.0}));
    EXPECT_DOUBLE_EQ(d.depth, 0.5);
    EXPECT_EQ(d.peak, 1);
    EXPECT_EQ(d.trough, 3);
    EXPECT_EQ(d.recovery, -1);
}

TEST(Drawdown, PeakIsTheLastDayAtTheHighAndRecoveryMayEqualIt) {
    // 120 on days 1 and 2: the peak is day 2. Low 90 on day 3: 1 - 90/120 = 0.25.
    // Day 4 is back at exactly 120, which counts as recovered.
    const Drawdown d = computeDrawdown(values({100.0, 120.0, 120.0, 90.0, 120.0, 130.0}));
    EXPECT_DOUBLE_EQ(d.depth, 0.25);
    EXPECT_EQ(d.peak, 2);
    EXPECT_EQ(d.trough, 3);
    EXPECT_EQ(d.recovery, 4);
}

TEST(Drawdown, ASmallerLaterFallKeepsTheFirstRecovery) {
    // 100 -> 80 (0.2, recovered on day 2 at 100), then 100 -> 95 (0.05): the first stands.
    const Drawdown d = computeDrawdown(values({100.0, 80.0, 100.0, 95.0, 105.0}));
    EXPECT_DOUBLE_EQ(d.depth, 0.2);
    EXPECT_EQ(d.peak, 0);
    EXPECT_EQ(d.trough, 1);
    EXPECT_EQ(d.recovery, 2);
}

TEST(Drawdown, ADeeperLaterFallReplacesTheRecoveredOne) {
    // 100 -> 90 (0.1, recovered day 2), then 100 (day 2) -> 70 on day 3 (0.3), never recovered.
    const Drawdown d = computeDrawdown(values({100.0, 90.0, 100.0, 70.0, 80.0}));
    EXPECT_DOUBLE_EQ(d.depth, 0.3);
    EXPECT_EQ(d.peak, 2);
    EXPECT_EQ(d.trough, 3);
    EXPECT_EQ(d.recovery, -1);
}

TEST(Drawdown, EqualDepthsKeepTheFirst) {
    // 100 -> 90 twice (0.1 each time): the first one, recovered on day 2, is reported.
    const Drawdown d = computeDrawdown(values({100.0, 90.0, 100.0, 90.0, 95.0}));
    EXPECT_EQ(d.peak, 0);
    EXPECT_EQ(d.trough, 1);
    EXPECT_EQ(d.recovery, 2);
}

TEST(Drawdown, TroughIsTheLowestPointOfTheFall) {
    // 100 -> 95 -> 85 -> 90 -> 80 -> 101: deepest on day 4 (0.2), recovered day 5.
    const Drawdown d = computeDrawdown(values({100.0, 95.0, 85.0, 90.0, 80.0, 101.0}));
    EXPECT_DOUBLE_EQ(d.depth, 0.2);
    EXPECT_EQ(d.peak, 0);
    EXPECT_EQ(d.trough, 4);
    EXPECT_EQ(d.recovery, 5);
}

TEST(Drawdown, ACurveThatNeverFallsHasNone) {
    const Drawdown d = computeDrawdown(values({1.0, 1.0, 2.0, 2.0, 3.0}));
    EXPECT_EQ(d.depth, 0.0);
    EXPECT_EQ(d.peak, 0);
    EXPECT_EQ(d.trough, 0);
    EXPECT_EQ(d.recovery, 0);  // never under water, so not "never recovered" (-1)
    const Drawdown one = computeDrawdown(values({5.0}));
    EXPECT_EQ(one.depth, 0.0);
    EXPECT_EQ(one.recovery, 0);
}

TEST(Drawdown, SameInsideComputeMetrics) {
    const Vector e = values({100.0, 120.0, 90.0, 60.0, 100.0, 80.0});
    const Metrics m = computeMetrics(e, zeros(6), zeros(6), 0.0, 0);
    EXPECT_DOUBLE_EQ(m.maxDrawdown.depth, 0.5);
    EXPECT_EQ(m.maxDrawdown.peak, 1);
    EXPECT_EQ(m.maxDrawdown.trough, 3);
    EXPECT_EQ(m.maxDrawdown.recovery, -1);
    // Calmar = CAGR / 0.5 with CAGR = 0.8^(252/5) - 1.
    EXPECT_NEAR(m.calmar, (std::pow(0.8, 252.0 / 5.0) - 1.0) / 0.5, 1e-12);
}

// ---------------------------------------------------------------- relative to a benchmark

TEST(MetricsVsBenchmark, TwiceTheBenchmarkExcessGivesBetaTwoAndNoAlpha) {
    // rb = 1%, -2%, 3%, 0%; rf = 0.1% every day; r - rf = 2 (rb - rf), i.e. r = 2 rb - rf
    // = 1.9%, -4.1%, 5.9%, -0.1%. cov(r, rb) = 2 var(rb) since rf is constant: beta = 2, and
    // alpha = mean(r - rf) - 2 mean(rb - rf) = 0.
    const Vector rf = Vector::Constant(5, 0.001);
    const Vector b = compound(100.0, {0.01, -0.02, 0.03, 0.0});
    const Vector e = compound(100.0, {0.019, -0.041, 0.059, -0.001});
    const Metrics m = computeMetrics(e, rf, zeros(5), b, 0.0, 0);
    EXPECT_NEAR(m.beta, 2.0, 1e-12);
    EXPECT_NEAR(m.alpha, 0.0, 1e-12);
    // r - rb = rb - rf = 0.9%, -2.1%, 2.9%, -0.1%: mean 0.016/4 = 0.004; deviations 0.005,
    // -0.025, 0.025, -0.005; squares 2 * 0.000025 + 2 * 0.000625 = 0.0013; variance 0.0013/3.
    const double te = std::sqrt(0.0013 / 3.0) * kSqrt252;
    EXPECT_NEAR(m.trackingError, te, 1e-12);
    EXPECT_NEAR(m.informationRatio, 0.004 * 252.0 / te, 1e-10);
}

TEST(MetricsVsBenchmark, ConstantOutperformanceIsAlphaWithoutTrackingError) {
    // r = rb + 0.001 every day: beta = cov(rb + c, rb) / var(rb) = 1, alpha = 0.001 * 252 = 0.252;
    // r - rb is constant, so the tracking error is 0 and the information ratio undefined.
    const std::vector<double> rb = {0.01, -0.02, 0.03, 0.0, 0.005};
    std::vector<double> r;
    for (double a : rb) r.push_back(a + 0.001);
    const Vector rf = values({0.0, 0.0001, 0.0002, 0.0001, 0.0, 0.0003});
    const Metrics m = computeMetrics(compound(1.0, r), rf, zeros(6), compound(1.0, rb), 0.0, 0);
    EXPECT_NEAR(m.beta, 1.0, 1e-12);
    EXPECT_NEAR(m.alpha, 0.252, 1e-12);
    EXPECT_EQ(m.trackingError, 0.0);
    EXPECT_TRUE(std::isnan(m.informationRatio));
}

TEST(MetricsVsBenchmark, IdenticalCurvesHaveZeroTrackingError) {
    const Vector e = compound(100.0, {0.01, -0.02, 0.03, 0.0});
    const Metrics m = computeMetrics(e, Vector::Constant(5, 0.0001), zeros(5), e, 0.0, 0);
    EXPECT_EQ(m.trackingError, 0.0);
    EXPECT_TRUE(std::isnan(m.informationRatio));
    EXPECT_NEAR(m.beta, 1.0, 1e-14);
    EXPECT_NEAR(m.alpha, 0.0, 1e-14);
}

TEST(MetricsVsBenchmark, NoBenchmarkOrFlatBenchmarkGivesNaN) {
    const Vector e = compound(100.0, {0.01, -0.02, 0.03, 0.0});
    const Metrics none = computeMetrics(e, zeros(5), zeros(5), 0.0, 0);
    EXPECT_TRUE(std::isnan(none.beta));
    EXPECT_TRUE(std::isnan(none.alpha));
    EXPECT_TRUE(std::isnan(none.trackingError));
    EXPECT_TRUE(std::isnan(none.informationRatio));
    // A benchmark growing at a constant rate has var(rb) = 0: beta and alpha are undefined, but
    // tracking error is not (r - rb varies).
    const Vector flat = compound(100.0, {0.001, 0.001, 0.001, 0.001});
    const Metrics m = computeMetrics(e, zeros(5), zeros(5), flat, 0.0, 0);
    EXPECT_TRUE(std::isnan(m.beta));
    EXPECT_TRUE(std::isnan(m.alpha));
    // r - rb = 0.009, -0.021, 0.029, -0.001: the same spread as in the first benchmark test.
    EXPECT_NEAR(m.trackingError, std::sqrt(0.0013 / 3.0) * kSqrt252, 1e-12);
}

// ---------------------------------------------------------------- turnover

TEST(Metrics, TurnoverIsAnnualisedOverTheReturnDays) {
    // T = 5, n = 4: (1.0 + 0 + 0.5 + 0 + 0.25) * 252 / 4 = 1.75 * 63 = 110.25. Day 0 counts.
    const Vector e = values({1.0, 1.0, 1.0, 1.0, 1.0});
    const Metrics m = computeMetrics(e, zeros(5), values({1.0, 0.0, 0.5, 0.0, 0.25}), 0.0, 0);
    EXPECT_NEAR(m.turnover, 110.25, 1e-12);
    // A year of 252 returns with the initial investment and 12 monthly switches of 10%:
    // 1 + 12 * 0.1 = 2.2 per year.
    Vector t = zeros(253);
    t[0] = 1.0;
    for (Index k = 1; k <= 12; ++k) t[21 * k] = 0.1;
    EXPECT_NEAR(computeMetrics(Vector::Ones(253), zeros(253), t, 0.0, 0).turnover, 2.2, 1e-12);
}

// ---------------------------------------------------------------- inputs and views

TEST(Metrics, MetricsInputMatchesTheViewOverloads) {
    const Vector e = compound(100.0, {0.01, -0.02, 0.03, 0.0});
    const Vector b = compound(100.0, {0.02, -0.01, 0.01, 0.01});
    const Vector rf = Vector::Constant(5, 0.0001);
    const Vector turnover = values({1.0, 0.0, 0.2, 0.0, 0.0});
    MetricsInput in;
    in.equity = &e;
    in.cashReturn = &rf;
    in.turnover = &turnover;
    in.benchmarkEquity = &b;
    in.totalCosts = 3.0;
    in.rebalances = 2;
    const auto viaInput = rotor::metricValues(computeMetrics(in));
    const auto viaViews = rotor::metricValues(computeMetrics(e, rf, turnover, b, 3.0, 2));
    ASSERT_EQ(viaInput.size(), viaViews.size());
    for (std::size_t i = 0; i < viaInput.size(); ++i) EXPECT_EQ(viaInput[i], viaViews[i]) << i;

    // Without turnover the turnover metric is unknown (NaN), not 0.
    in.turnover = nullptr;
    in.benchmarkEquity = nullptr;
    const Metrics m = computeMetrics(in);
    EXPECT_TRUE(std::isnan(m.turnover));
    EXPECT_TRUE(std::isnan(m.beta));
    EXPECT_EQ(m.sharpe, computeMetrics(e, rf, turnover, 3.0, 2).sharpe);
}

TEST(Metrics, ViewsOfMatrixColumnsAreNotCopied) {
    // Three equity curves as columns of a row-major (strided) and a column-major matrix.
    rotor::PriceMatrix rowMajor(5, 3);
    Eigen::MatrixXd colMajor(5, 3);
    const Vector e = compound(100.0, {0.01, -0.02, 0.03, 0.0});
    for (Index j = 0; j < 3; ++j) {
        rowMajor.col(j) = e * static_cast<double>(j + 1);
        colMajor.col(j) = e * static_cast<double>(j + 1);
    }
    const rotor::SeriesView strided(rowMajor.col(1));
    const rotor::SeriesView contiguous(colMajor.col(1));
    const rotor::SeriesView segment(colMajor.col(2).segment(1, 4));
    EXPECT_EQ(strided.data(), rowMajor.data() + 1);  // a view, not a copy
    EXPECT_EQ(strided.innerStride(), 3);
    EXPECT_EQ(contiguous.data(), colMajor.data() + 5);
    EXPECT_EQ(segment.data(), colMajor.data() + 11);
    // Scaling a curve changes no metric.
    const Vector rf = zeros(5);
    const Metrics a = computeMetrics(e, rf, rf, 0.0, 0);
    const Metrics b = computeMetrics(strided, rf, rf, 0.0, 0);
    EXPECT_NEAR(a.sharpe, b.sharpe, 1e-12);
    EXPECT_NEAR(a.maxDrawdown.depth, b.maxDrawdown.depth, 1e-15);
    // Raw memory through Eigen::Map.
    const double raw[] = {2.0, 1.0, 3.0};
    const double zero[] = {0.0, 0.0, 0.0};
    const Metrics r = computeMetrics(Eigen::Map<const Vector>(raw, 3),
                                     Eigen::Map<const Vector>(zero, 3),
                                     Eigen::Map<const Vector>(zero, 3), 0.0, 0);
    EXPECT_NEAR(r.totalReturn, 0.5, 1e-15);        // 3/2 - 1
    EXPECT_NEAR(r.maxDrawdown.depth, 0.5, 1e-15);  // 2 -> 1
    EXPECT_EQ(r.maxDrawdown.recovery, 2);
}

TEST(Metrics, RejectsBadInput) {
    const Vector ok = values({1.0, 1.1, 1.2});
    const Vector z3 = zeros(3);
    EXPECT_THROW(computeMetrics(values({1.0}), zeros(1), zeros(1), 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(ok, zeros(2), z3, 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(ok, z3, zeros(4), 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(ok, z3, z3, values({1.0, 2.0}), 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(values({1.0, 0.0, 1.0}), z3, z3, 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(values({1.0, -1.0, 1.0}), z3, z3, 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(values({1.0, NAN, 1.0}), z3, z3, 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(ok, values({0.0, INFINITY, 0.0}), z3, 0.0, 0), rotor::Error);
    EXPECT_THROW(computeMetrics(ok, z3, z3, values({1.0, 0.0, 1.0}), 0.0, 0), rotor::Error);
    MetricsInput in;
    EXPECT_THROW(computeMetrics(in), rotor::Error);
    EXPECT_THROW(computeDrawdown(Vector(0)), rotor::Error);
}

// ---------------------------------------------------------------- names and values

TEST(MetricNames, FixedOrderMatchingValues) {
    const std::vector<std::string> expected = {
        "total_return",      "cagr",         "volatility",    "sharpe",
        "sortino",           "max_drawdown", "drawdown_peak", "drawdown_trough",
        "drawdown_recovery", "calmar",       "turnover",      "total_costs",
        "rebalances",        "beta",         "alpha",         "tracking_error",
        "information_ratio"};
    EXPECT_EQ(rotor::metricNames(), expected);
    EXPECT_EQ(static_cast<Index>(expected.size()), rotor::kMetricCount);

    Metrics m;  // a distinct value in every field, in the expected order
    m.totalReturn = 1;
    m.cagr = 2;
    m.volatility = 3;
    m.sharpe = 4;
    m.sortino = 5;
    m.maxDrawdown = Drawdown{6, 7, 8, 9};
    m.calmar = 10;
    m.turnover = 11;
    m.totalCosts = 12;
    m.rebalances = 13;
    m.beta = 14;
    m.alpha = 15;
    m.trackingError = 16;
    m.informationRatio = 17;
    const std::vector<double> v = rotor::metricValues(m);
    ASSERT_EQ(v.size(), expected.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        EXPECT_EQ(v[i], static_cast<double>(i + 1)) << expected[i];
    std::vector<double> raw(expected.size(), -1.0);
    rotor::metricValues(m, raw.data());
    EXPECT_EQ(raw, v);
}

TEST(MetricNames, UncomputedMetricsAreNaN) {
    const Metrics m;
    const std::vector<double> v = rotor::metricValues(m);
    for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 9u, 10u, 11u, 13u, 14u, 15u, 16u})
        EXPECT_TRUE(std::isnan(v[i])) << rotor::metricNames()[i];
}

// Entry costs count: capital 100 buys at 0.5% cost, so equity[0] = 99.5; the asset then rises
// 10% over 126 days. Total return = 99.5 * 1.1 / 100 - 1 = 9.45%, CAGR = 1.0945^2 - 1.
TEST(Metrics, TotalReturnAndCagrCountFromInitialCapital) {
    Vector equity(127);
    for (Index t = 0; t < 127; ++t) equity[t] = 99.5 * (1.0 + 0.1 * static_cast<double>(t) / 126.0);
    const Vector cash = Vector::Zero(127);
    MetricsInput in;
    in.equity = &equity;
    in.cashReturn = &cash;
    in.initialCapital = 100.0;
    const Metrics m = computeMetrics(in);
    EXPECT_NEAR(m.totalReturn, 0.0945, 1e-14);
    EXPECT_NEAR(m.cagr, 1.0945 * 1.0945 - 1.0, 1e-12);
    in.initialCapital = 0.0;  // not given: from equity[0]
    EXPECT_NEAR(computeMetrics(in).totalReturn, 0.1, 1e-14);
}

// ---------------------------------------------------------------- Monte Carlo's lean pass

// The same bits, any NaN matching any NaN.
bool sameBits(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) ||
           std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// A pseudo-random equity curve of `days` days with its cash returns and turnover, and the
// metrics input over them. kind: 0 noisy (daily returns up to ±moveWidth/2), 1 flat, 2 flat
// stretches, 3 rises only.
struct Curve {
    Vector e, rf, turnover;
    MetricsInput in;
};
std::unique_ptr<Curve> randomCurve(Uniform& uniform, Index days, int kind, double capital,
                                   double moveWidth) {
    auto c = std::make_unique<Curve>();
    std::vector<double> rs;
    for (Index t = 1; t < days; ++t) {
        double r = moveWidth * (uniform() - 0.5);
        if (kind == 1 || (kind == 2 && uniform() < 0.5)) r = 0.0;
        if (kind == 3) r = std::abs(r);
        rs.push_back(r);
    }
    c->e = compound(1e6 * (0.5 + uniform()), rs);
    c->rf.resize(days);
    c->turnover.resize(days);
    for (Index t = 0; t < days; ++t) {
        c->rf[t] = kind == 1 ? 0.0001 : 0.0002 * uniform();
        c->turnover[t] = uniform() < 0.1 ? uniform() : 0.0;
    }
    c->in.equity = &c->e;
    c->in.cashReturn = &c->rf;
    c->in.turnover = &c->turnover;
    c->in.initialCapital = capital;
    return c;
}

// The five figures a path keeps are computeMetrics' bits.
void expectFiguresOf(const PathFigures& f, const Metrics& m, int trial) {
    EXPECT_PRED2(sameBits, f.cagr, m.cagr) << trial;
    EXPECT_PRED2(sameBits, f.volatility, m.volatility) << trial;
    EXPECT_PRED2(sameBits, f.sharpe, m.sharpe) << trial;
    EXPECT_PRED2(sameBits, f.maxDrawdown, m.maxDrawdown.depth) << trial;
    EXPECT_PRED2(sameBits, f.turnover, m.turnover) << trial;
}

// computePathFigures must give computeMetrics' bits for the five figures a path keeps: curves
// of 2 to 300 days with falls, flat stretches (zero volatility), new highs equal to the old and
// both initial-capital conventions. Its thrown messages are computeMetrics' own.
TEST(PathFigures, SameBitsAsComputeMetrics) {
    Uniform uniform{987654321};
    for (int trial = 0; trial < 400; ++trial) {
        const Index days = 2 + static_cast<Index>(uniform() * 299.0);
        const auto c = randomCurve(uniform, days, trial % 4, trial % 2 == 0 ? 1e6 : 0.0, 0.03);
        expectFiguresOf(computePathFigures(c->in), computeMetrics(c->in), trial);
    }

    Vector e = values({100.0, 101.0, 99.0, 102.0});
    Vector rf = zeros(4), turnover = zeros(4);
    MetricsInput in;
    in.equity = &e;
    in.cashReturn = &rf;
    in.turnover = &turnover;
    const auto message = [&in](auto f) {
        try {
            f(in);
        } catch (const Error& err) {
            return std::string(err.what());
        }
        return std::string("no error");
    };
    const auto lean = [](const MetricsInput& i) { computePathFigures(i); };
    const auto full = [](const MetricsInput& i) { computeMetrics(i); };
    for (const double bad : {0.0, -1.0, std::nan(""), HUGE_VAL}) {
        e[2] = bad;
        EXPECT_NE(message(lean), "no error") << bad;
        EXPECT_EQ(message(lean), message(full)) << bad;
    }
    e[2] = 99.0;
    rf[3] = std::nan("");
    EXPECT_NE(message(lean), "no error");
    EXPECT_EQ(message(lean), message(full));
}

// The two-curve form gives each curve computeMetrics' bits (pairs of one length, of different
// kinds and conventions), and false wherever either curve is bad or the lengths differ.
TEST(PathFigures, PairGivesEachCurveTheBitsOfComputeMetrics) {
    Uniform uniform{123456789};
    for (int trial = 0; trial < 300; ++trial) {
        const Index days = 2 + static_cast<Index>(uniform() * 299.0);
        const auto a = randomCurve(uniform, days, trial % 4, trial % 2 == 0 ? 1e6 : 0.0, 0.04);
        const auto b = randomCurve(uniform, days, (trial / 4) % 4, trial % 3 == 0 ? 1e6 : 0.0,
                                   0.04);
        PathFigures fa, fb;
        ASSERT_TRUE(computePathFigures(a->in, b->in, fa, fb)) << trial;
        for (const auto& [f, c] : {std::pair{fa, a.get()}, std::pair{fb, b.get()}}) {
            expectFiguresOf(f, computeMetrics(c->in), trial);
        }
    }

    const auto a = randomCurve(uniform, 50, 0, 1e6, 0.04);
    const auto b = randomCurve(uniform, 50, 0, 1e6, 0.04);
    PathFigures fa, fb;
    for (const double bad : {0.0, -1.0, std::nan(""), HUGE_VAL}) {
        for (Curve* c : {a.get(), b.get()}) {
            for (const Index day : {Index{0}, Index{17}, Index{49}}) {
                const double kept = c->e[day];
                c->e[day] = bad;
                EXPECT_FALSE(computePathFigures(a->in, b->in, fa, fb)) << bad << " " << day;
                c->e[day] = kept;
            }
            c->rf[30] = std::nan("");
            EXPECT_FALSE(computePathFigures(a->in, b->in, fa, fb));
            c->rf[30] = 0.0;
        }
    }
    EXPECT_TRUE(computePathFigures(a->in, b->in, fa, fb));
    const auto shorter = randomCurve(uniform, 49, 0, 1e6, 0.04);
    EXPECT_FALSE(computePathFigures(a->in, shorter->in, fa, fb));
    const auto one = randomCurve(uniform, 1, 0, 1e6, 0.04);
    EXPECT_FALSE(computePathFigures(one->in, one->in, fa, fb));
}

// The two-curve form's drawdown takes the high and the depth with MAXPD: the same depth as the
// day-by-day select, written out here, and as computeMetrics, on hand-made curves: the deepest
// day first or last, a new high equal to the old one (then a fall from it), two equally deep
// falls, a fall from day 0 that never recovers, a curve that never falls, and one close 1 ulp
// under its high; each paired with every other, in both lanes.
TEST(PathFigures, PairDrawdownIsTheDayByDayDepth) {
    const double below = std::nextafter(103.0, 0.0);
    const std::vector<std::vector<double>> curves{
        {100.0, 90.0, 95.0, 101.0, 102.0},           // deepest on day 1
        {100.0, 101.0, 102.0, 103.0, 80.0},          // deepest on the last day
        {100.0, 105.0, 105.0, 95.0, 105.0, 99.0},    // equal highs, then falls from them
        {100.0, 90.0, 100.0, 110.0, 99.0, 120.0},    // two equally deep falls (10%)
        {100.0, 99.0, 98.0, 97.0, 96.0, 95.0},       // from day 0, never recovers
        {100.0, 100.0, 101.0, 102.0, 102.0, 103.0},  // never falls
        {100.0, 103.0, below, 103.0, below, 103.0},  // 1 ulp under the high
    };
    const auto dayByDay = [](const Vector& e) {
        double high = e[0], depth = 0.0;
        for (Index t = 1; t < e.size(); ++t) {
            high = e[t] >= high ? e[t] : high;
            const double d = 1.0 - e[t] / high;
            depth = d > depth ? d : depth;
        }
        return depth;
    };
    for (const auto& x : curves)
        for (const auto& y : curves) {
            const Index days = static_cast<Index>(std::min(x.size(), y.size()));
            Vector ea(days), eb(days);
            for (Index t = 0; t < days; ++t) {
                ea[t] = x[static_cast<std::size_t>(t)];
                eb[t] = y[static_cast<std::size_t>(t)];
            }
            const Vector rf = zeros(days), turnover = zeros(days);
            MetricsInput a, b;
            a.equity = &ea;
            b.equity = &eb;
            a.cashReturn = b.cashReturn = &rf;
            a.turnover = b.turnover = &turnover;
            PathFigures fa, fb;
            ASSERT_TRUE(computePathFigures(a, b, fa, fb));
            EXPECT_PRED2(sameBits, fa.maxDrawdown, dayByDay(ea));
            EXPECT_PRED2(sameBits, fb.maxDrawdown, dayByDay(eb));
            expectFiguresOf(fa, computeMetrics(a), 0);
            expectFiguresOf(fb, computeMetrics(b), 0);
        }
    // The written-out depth by hand: 10% on day 1, 23/103 on the last day, none for a curve
    // that never falls.
    EXPECT_NEAR(dayByDay(values({100.0, 90.0, 95.0, 101.0, 102.0})), 0.1, 1e-15);
    EXPECT_NEAR(dayByDay(values({100.0, 101.0, 102.0, 103.0, 80.0})), 23.0 / 103.0, 1e-15);
    EXPECT_EQ(dayByDay(values({100.0, 100.0, 101.0, 102.0, 102.0, 103.0})), 0.0);
}

}  // namespace metrics_test
}  // namespace
}  // namespace rotor
