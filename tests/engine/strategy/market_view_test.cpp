// SPDX-License-Identifier: MIT
// MarketView's fast sums and products over a history shared by many paths, against their eight
// chains written out term by term.
#include "engine/strategy/market_view.hpp"

#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace rotor {
namespace {
namespace market_view_test {

constexpr int kHistoryDays = 40;

// A history of `days` days of a random walk whose dates end 16 calendar days before `first`.
std::shared_ptr<const Path> makeHistory(Date first, int days, unsigned seed) {
    auto h = std::make_shared<Path>(test::randomPath(days, 3, seed));
    for (std::size_t k = 0; k < h->dates.size(); ++k)
        h->dates[k] = first + (static_cast<int>(k) - days - 15);
    fillCashAccrual(*h);
    return h;
}

// A forward path of `days` days (its own random walk) after `history`.
Path forwardPath(const std::shared_ptr<const Path>& history, int days, unsigned seed) {
    Path p = test::randomPath(days, 3, seed);
    p.history = history;
    fillCashAccrual(p);
    return p;
}

double priceAt(const Path& p, Index day, Index asset) {
    return day >= 0 ? p.prices(day, asset) : p.history->prices(day + kHistoryDays, asset);
}

// Day d's cash factor from the rates and the calendar: the history's, the join, the path's.
double cashFactor(const Path& p, Index d) {
    const Path& h = *p.history;
    const double rate = d - 1 >= 0 ? p.cashRate(d - 1) : h.cashRate(d - 1 + kHistoryDays);
    const Date prev = d - 1 >= 0 ? p.dates[static_cast<std::size_t>(d - 1)]
                                 : h.dates[static_cast<std::size_t>(d - 1 + kHistoryDays)];
    const Date now = d >= 0 ? p.dates[static_cast<std::size_t>(d)]
                            : h.dates[static_cast<std::size_t>(d + kHistoryDays)];
    return 1.0 + rate / 100.0 * (now - prev) / 360.0;
}

// priceSumFast written out: the history's days into chains 0, 1, ... in day order, then the
// path's days into chains 0, 1, ... again.
double eightChainSum(const Path& p, Index from, Index to, Index asset) {
    double s[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    for (Index d = from; d <= to; ++d) {
        const Index k = d < 0 ? d - from : d - std::max<Index>(from, 0);
        s[k % 8] += priceAt(p, d, asset);
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// cashGrowthFast written out: day from + 1 + k into chain k % 8.
double eightChainGrowth(const Path& p, Index from, Index to) {
    double g[8] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    for (Index d = from + 1; d <= to; ++d) g[(d - from - 1) % 8] *= cashFactor(p, d);
    return ((g[0] * g[1]) * (g[2] * g[3])) * ((g[4] * g[5]) * (g[6] * g[7]));
}

// Every window of days t = 0, 1, 7, 8, 9 and the last of each path, through the history, its
// first and last day, day 0 and the path, on paths that differ after day 0: the history's chains
// kept from one call (or path) to the next give the bits of the chains computed afresh.
void expectEveryWindow(const Path& p) {
    for (const Index t : {Index{0}, Index{1}, Index{7}, Index{8}, Index{9}, p.days() - 1}) {
        const MarketView view(p, t);
        for (Index from = -kHistoryDays; from <= t; ++from)
            for (Index to = from; to <= t; ++to) {
                for (Index a = 0; a < 3; ++a)
                    ASSERT_EQ(view.priceSumFast(from, to, a), eightChainSum(p, from, to, a))
                        << t << " " << from << " " << to << " " << a;
                ASSERT_EQ(view.cashGrowthFast(from, to), eightChainGrowth(p, from, to))
                    << t << " " << from << " " << to;
            }
    }
}

TEST(MarketView, HistoryChainsKeptAcrossPathsAreTheSameBits) {
    const Date first = test::randomPath(1, 1, 1).dates.front();
    auto history = makeHistory(first, kHistoryDays, 4);
    for (const unsigned seed : {5U, 6U, 7U}) expectEveryWindow(forwardPath(history, 30, seed));
    // The same windows again, in the reverse order of paths: every chain now comes from the
    // kept ones.
    for (const unsigned seed : {7U, 6U, 5U}) expectEveryWindow(forwardPath(history, 30, seed));

    // Another history (the first one released, so its address may be reused): none of the first
    // one's chains may serve it.
    history.reset();
    auto other = makeHistory(first, kHistoryDays, 9);
    expectEveryWindow(forwardPath(other, 30, 5));
    // A copy of it is another history too, with the same chains.
    auto copy = std::make_shared<const Path>(*other);
    expectEveryWindow(forwardPath(copy, 30, 6));
    expectEveryWindow(forwardPath(other, 30, 6));
}

}  // namespace market_view_test
}  // namespace
}  // namespace rotor
