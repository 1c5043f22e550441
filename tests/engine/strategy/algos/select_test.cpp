// SPDX-License-Identifier: MIT
// Select steps on a hand-made four-asset path; scores and cash growth worked out by hand.
#include "engine/strategy/algos/select.hpp"

#include "engine/core/error.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

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

// The trend test decides from a sum in eight chains unless it is close, where it sums in day
// order: its choices must be those of price > (day-order sum) / n, written out here, on random
// paths through a history, for windows of 2 to 200 days, and 1 ulp at a time across a tie.
TEST(FilterTrend, DecidesAsTheDayOrderAverage) {
    const Path whole = test::randomPath(400, 3, 11);
    const Index h = 150;
    Path p;
    p.dates.assign(whole.dates.begin() + h, whole.dates.end());
    p.prices = whole.prices.bottomRows(whole.days() - h);
    p.cashRate = whole.cashRate.tail(whole.days() - h);
    auto history = std::make_shared<Path>();
    history->dates.assign(whole.dates.begin(), whole.dates.begin() + h);
    history->prices = whole.prices.topRows(h);
    history->cashRate = whole.cashRate.head(h);
    p.history = history;
    const auto above = [&](Index t, long n, Index a) {
        double sum = 0.0;
        for (Index d = t - n + 1; d <= t; ++d) sum += whole.prices(d + h, a);
        return whole.prices(t + h, a) > sum / static_cast<double>(n);
    };
    long kept = 0, dropped = 0;
    for (const long n : {2L, 3L, 5L, 50L, 149L, 200L})
        for (Index t = n - 1 - h; t < p.days(); t += 7)
            for (Index a = 0; a < 3; ++a) {
                const bool keep = above(t, n, a);
                ASSERT_EQ(run(FilterTrend(n, kCash), p, t, {a}), (Slots{keep ? a : kCash}))
                    << n << " " << t << " " << a;
                ++(keep ? kept : dropped);
            }
    EXPECT_GT(kept, 100);
    EXPECT_GT(dropped, 100);

    // Ties: the last close set to the day-order mean of the window, and 1 ulp either side.
    for (const long n : {3L, 7L, 200L}) {
        Path q = test::randomPath(static_cast<int>(n), 1, 5);
        double sum = 0.0;
        for (Index d = 0; d + 1 < n; ++d) sum += q.prices(d, 0);
        // The close x with x > (sum + x) / n exactly at the boundary: solve, then scan ulps.
        double x = sum / static_cast<double>(n - 1);
        for (int k = 0; k < 8; ++k) x = std::nextafter(x, 0.0);
        int keeps = 0;
        for (int k = 0; k < 16; ++k, x = std::nextafter(x, HUGE_VAL)) {
            q.prices(n - 1, 0) = x;
            const bool keep = x > (sum + x) / static_cast<double>(n);
            keeps += keep ? 1 : 0;
            ASSERT_EQ(run(FilterTrend(n, kCash), q, n - 1, {0}), (Slots{keep ? 0 : kCash}))
                << n << " " << k;
        }
        EXPECT_GT(keeps, 0) << n;  // the scan crosses the boundary
        EXPECT_LT(keeps, 16) << n;
    }
}

// Path::accrual holds the factors cashGrowth and the backtest would compute: reading it gives
// the same bits, through a history and on every window.
TEST(MarketView, CashGrowthFromTheAccrualCacheIsTheSameBits) {
    Path plain = test::randomPath(120, 2, 3);
    for (Index t = 0; t < plain.days(); ++t)
        plain.cashRate(t) = 0.5 + 0.01 * static_cast<double>(t % 37);
    auto history = std::make_shared<Path>(test::randomPath(30, 2, 4));
    const Date first = plain.dates.front();
    for (std::size_t k = 0; k < history->dates.size(); ++k)
        history->dates[k] = first + (static_cast<int>(k) - 45);
    plain.history = history;
    Path cached = plain;
    fillCashAccrual(cached);
    auto cachedHistory = std::make_shared<Path>(*history);
    fillCashAccrual(*cachedHistory);
    cached.history = cachedHistory;
    ASSERT_EQ(cached.accrual.size(), cached.days());
    for (Index t = 0; t < plain.days(); t += 5) {
        const MarketView a(plain, t), b(cached, t);
        for (Index from = -30; from <= t; from += 3) {
            double g = 1.0;  // written out: day by day from the rates and calendar days
            for (Index d = from + 1; d <= t; ++d) {
                const double rate = d - 1 >= 0 ? plain.cashRate(d - 1)
                                               : history->cashRate(d - 1 + 30);
                const Date prev = d - 1 >= 0 ? plain.dates[static_cast<std::size_t>(d - 1)]
                                             : history->dates[static_cast<std::size_t>(d - 1 + 30)];
                const Date now = d >= 0 ? plain.dates[static_cast<std::size_t>(d)]
                                        : history->dates[static_cast<std::size_t>(d + 30)];
                g *= 1.0 + rate / 100.0 * (now - prev) / 360.0;
            }
            ASSERT_EQ(a.cashGrowth(from, t), g) << from << " " << t;
            ASSERT_EQ(b.cashGrowth(from, t), g) << from << " " << t;
            // cashGrowthFast: the same factors, day from + 1 + k into chain k % 8, written out.
            double chains[8] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
            for (Index d = from + 1; d <= t; ++d) {
                const double rate = d - 1 >= 0 ? plain.cashRate(d - 1)
                                               : history->cashRate(d - 1 + 30);
                const Date prev = d - 1 >= 0 ? plain.dates[static_cast<std::size_t>(d - 1)]
                                             : history->dates[static_cast<std::size_t>(d - 1 + 30)];
                const Date now = d >= 0 ? plain.dates[static_cast<std::size_t>(d)]
                                        : history->dates[static_cast<std::size_t>(d + 30)];
                chains[(d - from - 1) % 8] *= 1.0 + rate / 100.0 * (now - prev) / 360.0;
            }
            const double fast = ((chains[0] * chains[1]) * (chains[2] * chains[3])) *
                                ((chains[4] * chains[5]) * (chains[6] * chains[7]));
            ASSERT_EQ(b.cashGrowthFast(from, t), fast) << from << " " << t;
            ASSERT_EQ(a.cashGrowthFast(from, t), g) << from << " " << t;  // no cache: day order
        }
    }
}

// Absolute momentum compares with a fast product of the cash factors unless it is close: its
// choices must be those of score < (day-order product) - 1, written out here, on a path with
// its accrual cache, and 1 ulp at a time across a tie (a close that equals the growth of cash).
TEST(FilterAbsoluteMomentum, DecidesAsTheDayOrderCashReturn) {
    Path p = test::randomPath(300, 3, 21);
    for (Index t = 0; t < p.days(); ++t)
        p.cashRate(t) = 4.0 + 2.0 * std::sin(static_cast<double>(t) / 20.0);
    fillCashAccrual(p);
    const auto cash = [&p](Index from, Index to) {
        double g = 1.0;
        for (Index d = from + 1; d <= to; ++d)
            g *= 1.0 + p.cashRate(d - 1) / 100.0 *
                           (p.dates[static_cast<std::size_t>(d)] -
                            p.dates[static_cast<std::size_t>(d - 1)]) /
                           360.0;
        return g;
    };
    long kept = 0, dropped = 0;
    for (const long lookback : {1L, 5L, 63L, 252L})
        for (Index t = lookback + 2; t < p.days(); t += 5)
            for (Index a = 0; a < 3; ++a) {
                const Index end = t - 2;
                const double score = p.prices(end, a) / p.prices(end - lookback, a) - 1.0;
                const bool keep = !(score < cash(end - lookback, end) - 1.0);
                ASSERT_EQ(run(FilterAbsoluteMomentum(lookback, 2, kCash), p, t, {a}),
                          (Slots{keep ? a : kCash}))
                    << lookback << " " << t << " " << a;
                ++(keep ? kept : dropped);
            }
    EXPECT_GT(kept, 50);
    EXPECT_GT(dropped, 50);

    // Asset 0 from 1.0 on day 200 - 63 to x on day 200: its score is x - 1 exactly.
    const double growth = cash(200 - 63, 200);
    p.prices(200 - 63, 0) = 1.0;
    double x = growth;
    for (int k = 0; k < 8; ++k) x = std::nextafter(x, 0.0);
    int keeps = 0;
    for (int k = 0; k < 16; ++k, x = std::nextafter(x, HUGE_VAL)) {
        p.prices(200, 0) = x;
        const bool keep = !(x - 1.0 < growth - 1.0);
        keeps += keep ? 1 : 0;
        ASSERT_EQ(run(FilterAbsoluteMomentum(63, 0, kCash), p, 200, {0}), (Slots{keep ? 0 : kCash}))
            << k;
    }
    EXPECT_GT(keeps, 0);  // the scan crosses the tie
    EXPECT_LT(keeps, 16);
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
