// SPDX-License-Identifier: MIT
// Select steps on a hand-made four-asset path; scores and cash growth worked out by hand.
#include "engine/strategy/algos/select.hpp"

#include "engine/core/error.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace select_test {

using Slots = std::vector<Index>;

// Mon 2024-01-08, Tue, Wed; cash at 36% ACT/360 grows by 1 + 0.36/360 = 1.001 per weekday.
// Lookback-2 returns on Wed (t = 2): a0 103/100-1 = .03, a1 .05, a2 100.1/100-1 = .001, a3 .05.
Path fourAssets() {
    return test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 3),
                          {{100, 100, 100, 100}, {100, 100, 100, 100}, {103, 105, 100.1, 105}},
                          {36, 36, 36});
}

// Runs `algo` on day t starting from `initial` slots.
Slots run(const SelectAlgo& algo, const Path& path, Index t, Slots initial) {
    const MarketView view(path, t);
    RebalanceContext ctx;
    ctx.view = &view;
    ctx.selected = std::move(initial);
    ctx.weights = Vector::Zero(path.assets());
    algo.select(ctx);
    return ctx.selected;
}

TEST(SelectAssets, ReplacesTheSelectionWithItsList) {
    EXPECT_EQ(run(SelectAssets({2, 0}), fourAssets(), 0, {1, 3}), (Slots{2, 0}));
}

TEST(MomentumScore, IsTheSkippedLookbackReturn) {
    const Path p = fourAssets();
    const MarketView view(p, 2);
    EXPECT_NEAR(momentumScore(view, 0, 2, 0), 0.03, 1e-15);   // 103 / 100 - 1
    EXPECT_NEAR(momentumScore(view, 2, 1, 0), 0.001, 1e-15);  // 100.1 / 100 - 1
    EXPECT_EQ(momentumScore(view, 1, 1, 1), 0.0);             // 100 / 100 - 1 (days 0 -> 1)
    EXPECT_TRUE(momentumFilled(view, 2, 0));
    EXPECT_FALSE(momentumFilled(view, 2, 1));
}

// A forward path carries days before day 0: with 2 days of history, the 2-day lookback is
// already filled on day 0, and the score reads across the join: day 0 against day -2.
TEST(MomentumScore, ReadsThroughAPathsHistory) {
    Path p = fourAssets();  // day 0 prices 100 for every asset
    auto h = std::make_shared<Path>();
    h->dates = {p.dates.front() + (-4), p.dates.front() + (-3)};
    h->prices = PriceMatrix::Constant(2, p.assets(), 80.0);
    h->prices(1, 0) = 90.0;
    h->cashRate = Vector::Constant(2, 3.6);
    p.history = h;
    const MarketView view(p, 0);
    EXPECT_EQ(view.firstDay(), -2);
    EXPECT_TRUE(momentumFilled(view, 2, 0));
    EXPECT_FALSE(momentumFilled(view, 2, 1));
    EXPECT_NEAR(momentumScore(view, 0, 2, 0), 100.0 / 80.0 - 1.0, 1e-15);
    EXPECT_NEAR(momentumScore(view, 0, 1, 0), 100.0 / 90.0 - 1.0, 1e-15);
    EXPECT_EQ(view.date(-1), p.dates.front() + (-3));
    EXPECT_THROW(view.price(-3, 0), Error);  // before the history
    EXPECT_THROW(view.price(1, 0), Error);   // still no look-ahead
    // Cash from day -2 to day 0: 3.6% for 1 day, then for the days from -1 to 0.
    const int gap = p.dates.front() - h->dates[1];
    EXPECT_NEAR(view.cashGrowth(-2, 0), (1.0 + 0.0001) * (1.0 + 0.0001 * gap), 1e-15);
}

TEST(SelectTopMomentum, BestFirstWithTiesToTheEarlierSlot) {
    const Path p = fourAssets();
    // Scores .03 .05 .001 .05: a1 and a3 tie; listed a0..a3, a1 comes first.
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 3, kCash), p, 2, {0, 1, 2, 3}), (Slots{1, 3, 0}));
    // Listed in reverse, a3 comes first.
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 2, kCash), p, 2, {3, 2, 1, 0}), (Slots{3, 1}));
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 1, kCash), p, 2, {2, 0}), (Slots{0}));
    // k above the number of candidates: all of them, ranked.
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 4, kCash), p, 2, {2, 0, 1}), (Slots{1, 0, 2}));
    // Lookback 1 skip 1 on day 2 compares days 0 -> 1: every score is 0, so list order wins.
    EXPECT_EQ(run(SelectTopMomentum(1, 1, 2, kCash), p, 2, {2, 3, 0}), (Slots{2, 3}));
}

TEST(SelectTopMomentum, FallbackUntilTheLookbackFills) {
    const Path p = fourAssets();
    // Day 1 with lookback 2 would need day -1.
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 2, 3), p, 1, {0, 1, 2}), (Slots{3}));
    EXPECT_EQ(run(SelectTopMomentum(2, 0, 2, kCash), p, 1, {0, 1, 2}), (Slots{kCash}));
    // Day 2 with lookback 2 and skip 1 would need day -1 too.
    EXPECT_EQ(run(SelectTopMomentum(2, 1, 1, 3), p, 2, {0, 1}), (Slots{3}));
}

TEST(FilterAbsoluteMomentum, ReplacesAssetsThatTrailCash) {
    const Path p = fourAssets();
    // Cash over Mon -> Wed: 1.001 * 1.001 - 1 = .002001. a2 returned .001 < .002001: replaced;
    // a0 (.03) stays; a cash slot stays cash.
    EXPECT_EQ(run(FilterAbsoluteMomentum(2, 0, 3), p, 2, {2, kCash, 0}), (Slots{3, kCash, 0}));
    EXPECT_EQ(run(FilterAbsoluteMomentum(2, 0, kCash), p, 2, {2, 0}), (Slots{kCash, 0}));
    // Lookback 1 on Wed: cash made .001 over Tue -> Wed, a1 made 105/100 - 1 = .05: kept.
    EXPECT_EQ(run(FilterAbsoluteMomentum(1, 0, 3), p, 2, {1}), (Slots{1}));
    // Not filled: every asset slot goes to the fallback.
    EXPECT_EQ(run(FilterAbsoluteMomentum(2, 0, 3), p, 1, {0, kCash, 1}), (Slots{3, kCash, 3}));
}

TEST(FilterAbsoluteMomentum, UsesTheCashRatesOfTheSameWindow) {
    // Rates 0, 0, 360%, 0: only the day 2 -> 3 accrual earns (1 + 3.6 * 1/360 = 1.01).
    // a0 rises .001 each day: 100, 100.1, 100.2001, 100.3003001.
    const Path p = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 4),
                                  {{100}, {100.1}, {100.2001}, {100.3003001}}, {0, 0, 360, 0});
    // Day 3, lookback 1, skip 1: window days 1 -> 2, cash return 0 < .001: kept.
    EXPECT_EQ(run(FilterAbsoluteMomentum(1, 1, kCash), p, 3, {0}), (Slots{0}));
    // Day 3, lookback 1, skip 0: window days 2 -> 3, cash return .01 > .001: to cash.
    EXPECT_EQ(run(FilterAbsoluteMomentum(1, 0, kCash), p, 3, {0}), (Slots{kCash}));
}

TEST(FilterTrend, KeepsAssetsStrictlyAboveTheirAverage) {
    // Window 3 on day 3 (closes of days 1..3):
    //   a0 11 12 12 -> SMA 35/3 = 11.67 < 12: kept
    //   a1  9  9  9 -> SMA 9, and 9 is not above 9: to the fallback a3
    //   a2  9 10  8 -> SMA 27/3 = 9 > 8: to the fallback a3
    const Path p = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 4),
                                  {{10, 9, 8, 5}, {11, 9, 9, 5}, {12, 9, 10, 5}, {12, 9, 8, 5}},
                                  {0, 0, 0, 0});
    EXPECT_EQ(run(FilterTrend(3, 3), p, 3, {0, 1, 2, kCash}), (Slots{0, 3, 3, kCash}));
    EXPECT_EQ(run(FilterTrend(3, kCash), p, 3, {1, 0}), (Slots{kCash, 0}));
    // Day 1 has only two closes for a 3-day window: everything to the fallback.
    EXPECT_EQ(run(FilterTrend(3, 3), p, 1, {0, 1}), (Slots{3, 3}));
    // window 4 on day 3 (all four closes): a0 SMA (10+11+12+12)/4 = 11.25 < 12: kept.
    EXPECT_EQ(run(FilterTrend(4, kCash), p, 3, {0}), (Slots{0}));
}

TEST(SelectSteps, RejectBadParameters) {
    EXPECT_THROW(SelectTopMomentum(0, 0, 1, kCash), Error);
    EXPECT_THROW(SelectTopMomentum(1, -1, 1, kCash), Error);
    EXPECT_THROW(SelectTopMomentum(1, 0, 0, kCash), Error);
    EXPECT_THROW(FilterAbsoluteMomentum(0, 0, kCash), Error);
    EXPECT_THROW(FilterTrend(1, kCash), Error);
}

}  // namespace select_test
}  // namespace
}  // namespace rotor
