// SPDX-License-Identifier: MIT
// A forward path carries real history before day 0 so that lookback signals are live from the
// start. Second method: the same strategy on the concatenated path (history + path) must take
// the same daily decisions from the join on.
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace history_prefix_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

Path rows(const Path& p, Index from, Index count) {
    Path out;
    out.dates.assign(p.dates.begin() + from, p.dates.begin() + from + count);
    out.prices = p.prices.middleRows(from, count);
    out.cashRate = p.cashRate.segment(from, count);
    return out;
}

void expectSameDecisionsAfterTheJoin(const std::string& yaml) {
    const Path whole = test::randomPath(40, 4, 7);
    const Index h = 12;
    Path forward = rows(whole, h, whole.days() - h);
    forward.history = std::make_shared<Path>(rows(whole, 0, h));

    auto a = test::strategyFromYaml(yaml, kUniverse);
    auto b = test::strategyFromYaml(yaml, kUniverse);
    const auto onWhole = test::runDecisions(*a, whole);
    const auto onForward = test::runDecisions(*b, forward);
    ASSERT_EQ(onForward.size() + static_cast<std::size_t>(h), onWhole.size());
    for (std::size_t t = 0; t < onForward.size(); ++t) {
        const auto& whole_t = onWhole[t + static_cast<std::size_t>(h)];
        if (t > 0) {
            ASSERT_EQ(onForward[t].traded, whole_t.traded) << yaml << " day " << t;
        }
        if (!onForward[t].traded || !whole_t.traded) continue;
        const Vector& w = whole_t.target;
        for (Index i = 0; i < w.size(); ++i)
            EXPECT_NEAR(onForward[t].target[i], w[i], 1e-12) << yaml << " day " << t;
    }
    EXPECT_GE(test::distinctTargets(onForward), 2) << yaml << ": the test must see choices";
}

TEST(HistoryPrefix, RelativeMomentumSeesThroughTheJoin) {
    expectSameDecisionsAfterTheJoin(
        "name: m\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 8\nskip: 2\n"
        "safe_asset: SHY\nrebalance: daily\n");
}

TEST(HistoryPrefix, DualMomentumAbsoluteFilterUsesHistoryCash) {
    expectSameDecisionsAfterTheJoin(
        "name: d\ntype: dual_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 10\nskip: 1\n"
        "safe_asset: SHY\nrebalance: daily\n");
}

TEST(HistoryPrefix, TrendFilterAverageSpansTheJoin) {
    expectSameDecisionsAfterTheJoin(
        "name: t\ntype: trend_filter\nassets: [SPY, QQQ]\nwindow: 9\nsafe_asset: SHY\n"
        "rebalance: daily\n");
}

TEST(HistoryPrefix, RateRegimeComparesWithTheHistoryRate) {
    expectSameDecisionsAfterTheJoin(
        "name: r\ntype: rate_regime\neasing_assets: [IWM]\nother_assets: [SPY]\nlookback: 10\n"
        "rebalance: daily\n");
}

TEST(HistoryPrefix, WithoutHistoryTheLookbackWaits) {
    const Path whole = test::randomPath(40, 4, 7);
    Path forward = rows(whole, 12, 28);
    auto s = test::strategyFromYaml(
        "name: m\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 8\n"
        "safe_asset: SHY\nrebalance: daily\n",
        kUniverse);
    const auto d = test::runDecisions(*s, forward);
    test::expectWeights(d[0].target, {0, 0, 0, 1}, "day 0 without history: safe asset");
    forward.history = std::make_shared<Path>(rows(whole, 0, 12));
    auto s2 = test::strategyFromYaml(
        "name: m\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 8\n"
        "safe_asset: SHY\nrebalance: daily\n",
        kUniverse);
    const auto d2 = test::runDecisions(*s2, forward);
    EXPECT_EQ(d2[0].target[3], 0.0) << "day 0 with history: a momentum pick, not SHY";
}

}  // namespace history_prefix_test
}  // namespace
}  // namespace rotor
