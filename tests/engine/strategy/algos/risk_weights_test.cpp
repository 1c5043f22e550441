// SPDX-License-Identifier: MIT
// The risk weighers and the volatility target against closed forms, hand computations and the
// NumPy reference of risk_weights_reference.py (fixture files checked by Scripts.risk_weights).
#include "engine/core/error.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "tests/strategies/strategy_test_support.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace risk_weights_test {

Matrix twoAssets(double a, double b, double rho) {
    Matrix c(2, 2);
    c << a * a, rho * a * b, rho * a * b, b * b;
    return c;
}

TEST(RiskWeights, TwoAssetClosedForms) {
    for (const double rho : {-0.5, 0.0, 0.3, 0.8}) {
        const double a = 0.2;
        const double b = 0.1;
        const Matrix c = twoAssets(a, b, rho);
        // With two assets equal risk contribution is inverse volatility, whatever the
        // correlation: w1 sigma1 (C w)_1 = w2 sigma2 (C w)_2 holds at w1 = b / (a + b).
        EXPECT_NEAR(inverseVolatilityWeights(c)(0), b / (a + b), 1e-15) << rho;
        EXPECT_NEAR(riskParityWeights(c)(0), b / (a + b), 1e-12) << rho;
        EXPECT_NEAR(riskParityWeights(c)(1), a / (a + b), 1e-12) << rho;
        // Minimum variance: w1 = (b^2 - rho a b) / (a^2 + b^2 - 2 rho a b), clipped to [0, 1]
        // long-only; at rho = 0.8 it is -1/3 (short the riskier asset), so the corner w1 = 0.
        const double mv = std::clamp((b * b - rho * a * b) / (a * a + b * b - 2 * rho * a * b), 0.0,
                                     1.0);
        if (rho == 0.8) {
            EXPECT_EQ(mv, 0.0);
        }
        EXPECT_NEAR(minimumVarianceWeights(c)(0), mv, 1e-12) << rho;
        EXPECT_NEAR(minimumVarianceWeights(c)(1), 1.0 - mv, 1e-12) << rho;
    }
    // a = 0.1, b = 0.3, rho = 0.9: the unconstrained optimum is w1 = (0.09 - 0.027) / (0.01 +
    // 0.09 - 0.054) = 1.37 (short the second asset); long-only it is the corner (1, 0).
    const Vector corner = minimumVarianceWeights(twoAssets(0.1, 0.3, 0.9));
    EXPECT_NEAR(corner(0), 1.0, 1e-15);
    EXPECT_NEAR(corner(1), 0.0, 1e-15);
}

TEST(RiskWeights, RejectsZeroVolatilityAndSingularCovariance) {
    EXPECT_THROW(inverseVolatilityWeights(twoAssets(0.1, 0.0, 0.0)), Error);
    EXPECT_THROW(riskParityWeights(twoAssets(0.1, 0.0, 0.0)), Error);
    EXPECT_THROW(minimumVarianceWeights(Matrix::Zero(2, 2)), Error);
}

// A path from a fixture file of closes (one row per day, comma-separated).
Path readPrices(const std::string& file) {
    std::ifstream in(file);
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<double> row;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) row.push_back(std::stod(cell));
        rows.push_back(row);
    }
    EXPECT_FALSE(rows.empty()) << file;
    Path p;
    p.dates = test::weekdays(Date::fromYmd(2024, 1, 8), static_cast<int>(rows.size()));
    p.prices.resize(static_cast<Index>(rows.size()), static_cast<Index>(rows[0].size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j)
            p.prices(static_cast<Index>(i), static_cast<Index>(j)) = rows[i][j];
    p.cashRate = Vector::Zero(static_cast<Index>(rows.size()));
    return p;
}

TEST(RiskWeights, MatchTheNumPyReference) {
    std::ifstream in(ROTOR_TEST_INPUT("expected.csv"));
    int checked = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::stringstream ss(line);
        std::string name;
        std::string rule;
        std::getline(ss, name, ',');
        std::getline(ss, rule, ',');
        std::vector<double> expected;
        for (std::string cell; std::getline(ss, cell, ',');) expected.push_back(std::stod(cell));
        const Path path = readPrices(ROTOR_TEST_INPUT(name + ".csv"));
        const Index last = path.prices.rows() - 1;
        const MarketView view(path, last);
        RiskWeights::Rule r = RiskWeights::Rule::InverseVolatility;
        if (rule == "risk_parity") r = RiskWeights::Rule::RiskParity;
        if (rule == "min_variance") r = RiskWeights::Rule::MinimumVariance;
        // Every asset selected once: the whole equity is split by the rule, over all the
        // fixture's returns (lookback = days - 1).
        RebalanceContext ctx;
        ctx.view = &view;
        ctx.weights = Vector::Constant(path.prices.cols(), 9.0);
        for (Index j = 0; j < path.prices.cols(); ++j) ctx.selected.push_back(j);
        RiskWeights(r, static_cast<long>(last)).weigh(ctx);
        ASSERT_EQ(ctx.weights.size(), static_cast<Index>(expected.size())) << line;
        for (std::size_t j = 0; j < expected.size(); ++j)
            EXPECT_NEAR(ctx.weights(static_cast<Index>(j)), expected[j], 1e-8)
                << name << ' ' << rule << " asset " << j;
        ++checked;
    }
    EXPECT_EQ(checked, 6);
}

// Two assets whose daily returns alternate +1%, -1% and +2%, -2% (in step): over 4 returns the
// means are 0 and the sample standard deviations sqrt(4 x 0.01^2 / 3) and twice that.
Path alternating() {
    std::vector<std::vector<double>> rows{{100.0, 100.0}};
    for (int d = 1; d <= 4; ++d) {
        const double s = d % 2 == 1 ? 1.0 : -1.0;
        rows.push_back({rows.back()[0] * (1.0 + 0.01 * s), rows.back()[1] * (1.0 + 0.02 * s)});
    }
    Path p;
    p.dates = test::weekdays(Date::fromYmd(2024, 1, 8), 5);
    p.prices.resize(5, 2);
    for (Index i = 0; i < 5; ++i)
        for (Index j = 0; j < 2; ++j)
            p.prices(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    p.cashRate = Vector::Zero(5);
    return p;
}

TEST(RiskWeights, InverseVolatilityByHandWithACashSlot) {
    const Path path = alternating();
    const MarketView view(path, 4);
    RebalanceContext ctx;
    ctx.view = &view;
    ctx.weights = Vector::Zero(2);
    // sigma2 = 2 sigma1: weights 2/3 and 1/3 of the asset slots' share.
    ctx.selected = {0, 1};
    RiskWeights(RiskWeights::Rule::InverseVolatility, 4).weigh(ctx);
    test::expectWeights(ctx.weights, {2.0 / 3.0, 1.0 / 3.0}, "two assets");
    // Two asset slots of three (one cash): they share 2/3 of equity, 4/9 and 2/9.
    ctx.selected = {0, kCash, 1};
    RiskWeights(RiskWeights::Rule::InverseVolatility, 4).weigh(ctx);
    test::expectWeights(ctx.weights, {4.0 / 9.0, 2.0 / 9.0}, "a cash slot");
    // Not enough closes for a lookback of 5 returns: equal weights.
    RiskWeights(RiskWeights::Rule::InverseVolatility, 5).weigh(ctx);
    test::expectWeights(ctx.weights, {1.0 / 3.0, 1.0 / 3.0}, "lookback not filled");
}

TEST(TargetVolatility, ScalesToTheTargetByHand) {
    const Path path = alternating();
    const MarketView view(path, 4);
    RebalanceContext ctx;
    ctx.view = &view;
    // All in asset 1: daily sd sqrt(4e-4 / 3) = 0.011547; annualised x sqrt(252) = 0.183303.
    const double sigma = std::sqrt(4e-4 / 3.0 * 252.0);
    ctx.weights = Vector::Zero(2);
    ctx.weights << 1.0, 0.0;
    TargetVolatility(0.10, 4, 2.0).constrain(ctx);
    test::expectWeights(ctx.weights, {0.10 / sigma, 0.0}, "scaled down to 10%");
    EXPECT_NEAR(0.10 / sigma, 0.545545, 1e-6);
    // A 40% target would need 2.18x; the cap of 1.5 binds.
    ctx.weights << 1.0, 0.0;
    TargetVolatility(0.40, 4, 1.5).constrain(ctx);
    test::expectWeights(ctx.weights, {1.5, 0.0}, "leverage cap");
    // Half in each: the returns move in step, so the portfolio's daily sd is 0.5 x 1% + 0.5 x
    // 2% = 1.5% scaled by sqrt(4/3), i.e. 1.5 sigma.
    ctx.weights << 0.5, 0.5;
    TargetVolatility(0.10, 4, 3.0).constrain(ctx);
    test::expectWeights(ctx.weights, {0.5 * 0.10 / (1.5 * sigma), 0.5 * 0.10 / (1.5 * sigma)},
                        "two assets in step");
    // Lookback not filled: only the cap applies.
    ctx.weights << 0.8, 0.4;
    TargetVolatility(0.10, 5, 1.0).constrain(ctx);
    test::expectWeights(ctx.weights, {0.8 / 1.2, 0.4 / 1.2}, "cap only");
}

TEST(WeightConstraints, CapsFloorsAndGrossByHand) {
    const Path path = alternating();
    const MarketView view(path, 4);
    RebalanceContext ctx;
    ctx.view = &view;
    ctx.weights = Vector::Zero(4);
    ctx.weights << 0.6, 0.2, 0.1, 0.1;
    MaxWeight(0.3).constrain(ctx);
    // Cap 0.3. Pass 1: 0.6 -> 0.3 frees 0.3 for the room 0.2 + 0.1 + 0.1 = 0.4, so those grow
    // x1.75 to 0.35, 0.175, 0.175. Pass 2: 0.35 -> 0.3 frees 0.05 for the room 0.35: x8/7 gives
    // 0.2, 0.2. The sum stays 1.
    test::expectWeights(ctx.weights, {0.3, 0.3, 0.2, 0.2}, "cap 0.3");
    // A cap nobody can absorb: the rest stays in cash.
    ctx.weights << 0.5, 0.5, 0.0, 0.0;
    MaxWeight(0.4).constrain(ctx);
    test::expectWeights(ctx.weights, {0.4, 0.4, 0.0, 0.0}, "excess to cash");
    // Floor 0.15: 0.05 goes first and the rest scale by 1/0.95, leaving 0.1/0.95 = 0.105 < 0.15,
    // which goes next: 0.6 and 0.25 end scaled by 1/0.85 (the sum stays 1).
    ctx.weights << 0.6, 0.25, 0.05, 0.1;
    MinWeight(0.15).constrain(ctx);
    test::expectWeights(ctx.weights, {0.6 / 0.85, 0.25 / 0.85, 0.0, 0.0}, "floor 0.15");
    ctx.weights << 0.6, 0.6, 0.3, 0.0;
    GrossLimit(1.0).constrain(ctx);
    test::expectWeights(ctx.weights, {0.4, 0.4, 0.2, 0.0}, "gross 1.5 -> 1");
    GrossLimit(0.9).constrain(ctx);  // a 10% cash buffer
    test::expectWeights(ctx.weights, {0.36, 0.36, 0.18, 0.0}, "cash buffer");
}

}  // namespace risk_weights_test
}  // namespace
}  // namespace rotor
