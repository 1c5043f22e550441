// SPDX-License-Identifier: MIT
// A historical cell's run survives the trip between ranks bit for bit, and damaged bytes are
// refused.
#include "engine/run/history_codec.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace rotor {
namespace {
namespace history_codec_test {

HistoryCell sample() {
    HistoryCell c;
    c.digests = {"aa", "bbb"};
    ScenarioRun& s = c.run;
    s.name = "cell__lookback=63";
    s.description = "two strategies";
    s.mode = "historical";
    s.assets = {"SPY", "SHY"};
    s.dates = {Date(20000), Date(20001), Date(20004)};
    s.cashRate = Vector::LinSpaced(3, 5.0, 5.5);
    s.benchmark = "spy";
    s.initialCapital = 1e6;
    s.sweep = {{"strategies[name=m].lookback", "lookback", "63"}};
    StrategyRun a;
    a.name = "spy";
    a.type = "buy_and_hold";
    a.equity = Vector::LinSpaced(3, 1e6, 1.1e6);
    a.returns = Vector::Zero(3);
    a.weights = PriceMatrix::Constant(3, 2, 0.5);
    a.weights(2, 1) = -0.0;  // the sign of zero travels too
    a.trades = {{0, 0, 100.0, 10.0, 1000.0, 0.1, 0.2}, {2, 1, -3.5, 99.0, 346.5, 0.0, 0.05}};
    a.metrics.cagr = 0.1;
    a.metrics.maxDrawdown.peak = 1;
    a.metrics.maxDrawdown.recovery = -1;
    a.metrics.rebalances = 7;
    StrategyRun b;
    b.name = "m";
    b.type = "relative_momentum";
    b.ok = false;
    b.error = "lookback longer than the history";
    s.strategies = {a, b};
    c.order = {0, 1};
    return c;
}

bool sameBits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }

TEST(HistoryCodec, EveryFieldSurvivesBitForBit) {
    const HistoryCell c = sample();
    const HistoryCell d = decodeHistoryCell(encodeHistoryCell(c));
    EXPECT_EQ(d.digests, c.digests);
    EXPECT_EQ(d.order, c.order);
    const ScenarioRun& s = d.run;
    EXPECT_EQ(s.name, c.run.name);
    EXPECT_EQ(s.description, c.run.description);
    EXPECT_EQ(s.mode, "historical");
    EXPECT_EQ(s.assets, c.run.assets);
    ASSERT_EQ(s.dates.size(), 3u);
    EXPECT_EQ(s.dates[2].serial(), 20004);
    EXPECT_EQ(s.cashRate, c.run.cashRate);
    EXPECT_EQ(s.benchmark, "spy");
    EXPECT_EQ(s.initialCapital, 1e6);
    ASSERT_EQ(s.sweep.size(), 1u);
    EXPECT_EQ(s.sweep[0].key, "strategies[name=m].lookback");
    EXPECT_EQ(s.sweep[0].label, "lookback");
    EXPECT_EQ(s.sweep[0].value, "63");
    ASSERT_EQ(s.strategies.size(), 2u);
    const StrategyRun& a = s.strategies[0];
    EXPECT_EQ(a.type, "buy_and_hold");
    EXPECT_TRUE(a.ok);
    EXPECT_EQ(a.equity, c.run.strategies[0].equity);
    ASSERT_EQ(a.weights.rows(), 3);
    ASSERT_EQ(a.weights.cols(), 2);
    EXPECT_TRUE(std::signbit(a.weights(2, 1)));
    EXPECT_EQ(a.weights(1, 0), 0.5);
    ASSERT_EQ(a.trades.size(), 2u);
    EXPECT_EQ(a.trades[1].asset, 1);
    EXPECT_EQ(a.trades[1].quantity, -3.5);
    EXPECT_EQ(a.trades[1].slippage, 0.05);
    EXPECT_EQ(a.metrics.cagr, 0.1);
    EXPECT_TRUE(sameBits(a.metrics.sharpe, Metrics::kNaN));  // NaN stays NaN
    EXPECT_EQ(a.metrics.maxDrawdown.peak, 1);
    EXPECT_EQ(a.metrics.maxDrawdown.recovery, -1);
    EXPECT_EQ(a.metrics.rebalances, 7);
    const StrategyRun& b = s.strategies[1];
    EXPECT_FALSE(b.ok);
    EXPECT_EQ(b.error, "lookback longer than the history");
    EXPECT_EQ(b.equity.size(), 0);
    EXPECT_EQ(b.weights.size(), 0);
}

TEST(HistoryCodec, CutShortAnywhereOrWithBytesAfterIsRefused) {
    const std::vector<char> bytes = encodeHistoryCell(sample());
    for (std::size_t n = 0; n < bytes.size(); ++n)
        EXPECT_THROW(decodeHistoryCell({bytes.begin(), bytes.begin() + static_cast<long>(n)}),
                     InputError)
            << n << " of " << bytes.size() << " bytes";
    std::vector<char> longer = bytes;
    longer.push_back('x');
    EXPECT_THROW(decodeHistoryCell(longer), InputError);
    std::vector<char> other = bytes;
    other[5] = 'X';  // the magic
    EXPECT_THROW(decodeHistoryCell(other), InputError);
}

TEST(HistoryCodec, AnOrderNamingNoStrategyIsRefused) {
    HistoryCell c = sample();
    c.order = {0, 2};
    EXPECT_THROW(decodeHistoryCell(encodeHistoryCell(c)), InputError);
}

}  // namespace history_codec_test
}  // namespace
}  // namespace rotor
