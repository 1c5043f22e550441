// SPDX-License-Identifier: MIT
// Risk-adjusted ranking, score-proportional weights, the turnover cap and the rate regime with
// hysteresis, on hand-made paths with the numbers worked out by hand.
#include "engine/core/error.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rotor {
namespace {
namespace score_steps_test {

using Slots = std::vector<Index>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Four days, five assets; lookback 3 on day 3 reads returns of days 1..3:
//  a0 100 110  99 108.9   returns +.1 -.1 +.1: mean 1/30, deviations 1/15 -2/15 1/15, sample
//                         variance (6/225)/2 = 1/75, annualised 252/75 = 3.36; return .089
//  a1 100 100 100 100     flat: return 0, volatility 0 -> score 0
//  a2 100 200 400 800     returns exactly 1, 1, 1: volatility 0, return 7 -> +infinity
//  a3 100  90  99  89.1   returns -.1 +.1 -.1: variance 3.36 again; return -.109
//  a4 100 101 102 103     return .03 with a tiny volatility: the best finite risk-adjusted score
Path fiveAssets() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 4),
                          {{100, 100, 100, 100, 100},
                           {110, 100, 200, 90, 101},
                           {99, 100, 400, 99, 102},
                           {108.9, 100, 800, 89.1, 103}},
                          {3, 3, 3, 3});
}

RebalanceContext contextAt(const MarketView& view, Slots initial) {
    RebalanceContext ctx;
    ctx.view = &view;
    ctx.selected = std::move(initial);
    ctx.weights = Vector::Zero(view.assets());
    return ctx;
}

TEST(RiskAdjustedScore, IsTheReturnOverTheAnnualisedVolatility) {
    const Path p = fiveAssets();
    const MarketView view(p, 3);
    EXPECT_NEAR(riskAdjustedScore(view, 0, 3, 0), 0.089 / std::sqrt(3.36), 1e-12);
    EXPECT_NEAR(riskAdjustedScore(view, 3, 3, 0), -0.109 / std::sqrt(3.36), 1e-12);
    EXPECT_EQ(riskAdjustedScore(view, 1, 3, 0), 0.0);
    EXPECT_EQ(riskAdjustedScore(view, 2, 3, 0), kInf);
    // skip 1: days 0..2, a0 returns +.1 -.1 (mean 0, variance .02), return 99/100 - 1 = -.01.
    EXPECT_NEAR(riskAdjustedScore(view, 0, 2, 1), -0.01 / std::sqrt(252 * 0.02), 1e-12);
}

TEST(SelectTopMomentum, RiskAdjustedRanksByReturnPerUnitOfVolatility) {
    const Path p = fiveAssets();
    const MarketView view(p, 3);
    // By return a0 (.089) beats a4 (.03); per unit of volatility a4 wins by far.
    auto ctx = contextAt(view, {0, 1, 3, 4});
    SelectTopMomentum(3, 0, 1, kCash).select(ctx);
    EXPECT_EQ(ctx.selected, (Slots{0}));
    EXPECT_NEAR(ctx.scores(0), 0.089, 1e-15);
    ctx = contextAt(view, {0, 1, 3, 4});
    SelectTopMomentum(3, 0, 2, kCash, RankScore::RiskAdjusted).select(ctx);
    EXPECT_EQ(ctx.selected, (Slots{4, 0}));
    // The scores of the kept assets are recorded; the others are NaN.
    EXPECT_NEAR(ctx.scores(0), 0.089 / std::sqrt(3.36), 1e-12);
    EXPECT_GT(ctx.scores(4), 10.0);
    EXPECT_TRUE(std::isnan(ctx.scores(1)) && std::isnan(ctx.scores(3)) &&
                std::isnan(ctx.scores(2)));
    // The bottom ranking records negated scores (lower return, higher preference).
    ctx = contextAt(view, {0, 1, 3});
    SelectBottomMomentum(3, 0, 1, kCash, RankScore::RiskAdjusted).select(ctx);
    EXPECT_EQ(ctx.selected, (Slots{3}));
    EXPECT_NEAR(ctx.scores(3), 0.109 / std::sqrt(3.36), 1e-12);
    // Unfilled (day 2 < lookback 3): the fallback, and no scores.
    const MarketView early(p, 2);
    ctx = contextAt(early, {0, 1});
    SelectTopMomentum(3, 0, 1, 1, RankScore::RiskAdjusted).select(ctx);
    EXPECT_EQ(ctx.selected, (Slots{1}));
    EXPECT_TRUE(std::isnan(ctx.scores(0)) && std::isnan(ctx.scores(1)));
    EXPECT_THROW(SelectTopMomentum(1, 0, 1, kCash, RankScore::RiskAdjusted), Error);
}

struct WeighFixture {
    Path path = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 1), {{1, 1, 1}}, {0});
    MarketView view{path, 0};
    RebalanceContext ctx;
    WeighFixture() {
        ctx.view = &view;
        ctx.weights = Vector::Constant(3, 9.0);  // garbage the step must overwrite
        ctx.scores = Vector::Constant(3, kNaN);
    }
};

TEST(ScoreProportional, WeightsFollowThePositiveScores) {
    WeighFixture f;
    // .3 and .1 share all of equity 3:1; the negative score gets nothing.
    f.ctx.selected = {0, 1, 2};
    f.ctx.scores << 0.3, 0.1, -0.2;
    ScoreProportional(kCash).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.75, 0.25, 0.0}, "3:1:0");
    // Three slots: a2 unscored (a filter's safe asset) keeps 1/3, cash 1/3, a0 the scored 1/3.
    f.ctx.selected = {0, 2, kCash};
    f.ctx.scores << 0.2, kNaN, kNaN;
    ScoreProportional(kCash).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {1.0 / 3, 0.0, 1.0 / 3}, "thirds");
    // No positive score: the scored share goes to the fallback, or stays in cash.
    f.ctx.selected = {0, 1};
    f.ctx.scores << -0.1, 0.0, kNaN;
    ScoreProportional(2).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.0, 0.0, 1.0}, "to the safe asset");
    ScoreProportional(kCash).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.0, 0.0, 0.0}, "to cash");
    // Infinite scores (positive return, zero volatility) share the scored part equally.
    f.ctx.selected = {0, 1, 2};
    f.ctx.scores << kInf, 5.0, kInf;
    ScoreProportional(kCash).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.5, 0.0, 0.5}, "infinite");
}

TEST(MaxTurnover, MovesPartOfTheWayToTheTarget) {
    WeighFixture f;
    Vector current(3);
    current << 0.5, 0.5, 0.0;
    f.ctx.current = &current;
    // d = (-.5, 0, .5): sells .5, buys .5, turnover .5; a cap of .2 moves 2/5 of the way.
    f.ctx.weights << 0.0, 0.5, 0.5;
    MaxTurnover(0.2).constrain(f.ctx);
    test::expectWeights(f.ctx.weights, {0.3, 0.5, 0.2}, "two fifths");
    // Under the cap: unchanged.
    f.ctx.weights << 0.0, 0.5, 0.5;
    MaxTurnover(0.5).constrain(f.ctx);
    test::expectWeights(f.ctx.weights, {0.0, 0.5, 0.5}, "at the cap");
    // From all cash to (.6, .4, 0): buys 1, sells 0 (of cash), turnover (1 + 1) / 2 = 1.
    current << 0.0, 0.0, 0.0;
    f.ctx.weights << 0.6, 0.4, 0.0;
    MaxTurnover(0.25).constrain(f.ctx);
    test::expectWeights(f.ctx.weights, {0.15, 0.1, 0.0}, "a quarter of the way");
    EXPECT_THROW(MaxTurnover(0.0), Error);
}

// Rates by day and the fall over 2 days, f(d) = r(d-2) - r(d), with enter 20bp, exit 5bp:
//  day    0     1     2     3     4     5     6     7
//  rate 5.00  4.75  4.75  4.70  4.80  4.90  4.60  4.60
//  f      -     -    .25   .05  -.05  -.20   .20   .30
//  regime (fallback) on    on    off   off   on    on
// Day 3's fall 4.75 - 4.70 is .04999999999999982 in doubles: at the exit threshold, so it stays
// on (within the 1e-9 tolerance); without hysteresis (exit 20bp) it is off.
Path ratePath() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 8),
                          {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
                          {5.0, 4.75, 4.75, 4.70, 4.80, 4.90, 4.60, 4.60});
}

Slots regimeOn(const SelectRateRegimeBand& step, const Path& p, Index t,
               std::vector<double>& memory) {
    const MarketView view(p, t);
    RebalanceContext ctx = contextAt(view, {});
    ctx.memory.swap(memory);
    step.select(ctx);
    ctx.memory.swap(memory);
    return ctx.selected;
}

TEST(SelectRateRegimeBand, HysteresisHoldsTheRegimeBetweenThresholds) {
    const Path p = ratePath();
    const SelectRateRegimeBand band({0}, {1}, 2, 20.0, 5.0, kCash, 0);
    const SelectRateRegimeBand plain({0}, {1}, 2, 20.0, 20.0, kCash, 0);
    const std::vector<Slots> expected{{kCash}, {kCash}, {0}, {0}, {1}, {1}, {0}, {0}};
    std::vector<double> memory(2, kNaN);
    for (Index t = 0; t < 8; ++t)
        EXPECT_EQ(regimeOn(band, p, t, memory), expected[static_cast<std::size_t>(t)]) << t;
    memory.assign(2, kNaN);
    for (Index t = 2; t < 8; ++t)
        EXPECT_EQ(regimeOn(plain, p, t, memory), t == 2 || t >= 6 ? Slots{0} : Slots{1}) << t;
    // The regime does not depend on which days the step ran: days it skipped are caught up.
    for (Index t = 2; t < 8; ++t) {
        memory.assign(2, kNaN);
        EXPECT_EQ(regimeOn(band, p, t, memory), expected[static_cast<std::size_t>(t)]) << t;
    }
    memory.assign(2, kNaN);
    EXPECT_EQ(regimeOn(band, p, 3, memory), (Slots{0}));
    EXPECT_EQ(regimeOn(band, p, 7, memory), (Slots{0}));
    // No other assets: the fallback outside easing.
    const SelectRateRegimeBand onlyEasing({0}, {}, 2, 20.0, 5.0, 1, 0);
    memory.assign(2, kNaN);
    EXPECT_EQ(regimeOn(onlyEasing, p, 5, memory), (Slots{1}));
    EXPECT_THROW(SelectRateRegimeBand({0}, {1}, 2, 20.0, 25.0, kCash, 0), Error);
}

}  // namespace score_steps_test
}  // namespace
}  // namespace rotor
