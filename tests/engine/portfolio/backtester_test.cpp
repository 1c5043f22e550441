// SPDX-License-Identifier: MIT
// Portfolio accounting checked step by step against hand-derived closed forms.
#include "engine/portfolio/backtester.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>

namespace rotor {
namespace {
namespace backtester_test {

// Trades to fixed targets on chosen days; holds otherwise. With `sparse`, it tells the engine
// that it cannot rebalance on the days it has no entry for: the backtest then runs the days
// between entries as stretches (Backtester::stretch).
class ScriptedStrategy final : public Strategy {
public:
    explicit ScriptedStrategy(std::map<Index, std::vector<double>> script, bool sparse = false)
        : Strategy(sparse ? "sparse" : "scripted"), script_(std::move(script)), sparse_(sparse) {}
    void start(const std::vector<Date>&) override {}
    bool mayRebalance(Index t) const override { return !sparse_ || script_.contains(t); }
    std::unique_ptr<Strategy> clone() const override {
        return std::make_unique<ScriptedStrategy>(*this);
    }

protected:
    bool decide(const MarketView& view, const Vector&, Vector& target) override {
        auto it = script_.find(view.today());
        if (it == script_.end()) return false;
        for (Index i = 0; i < target.size(); ++i) target(i) = it->second[static_cast<size_t>(i)];
        return true;
    }

private:
    std::map<Index, std::vector<double>> script_;
    bool sparse_;
};

// Rebalances to fixed weights on day 0 and whenever a weight drifts more than `band` from them;
// with `declare`, it tells the engine so (Strategy::driftBand), which then checks the band itself.
// With `every` > 0 it is also due by the calendar on days that are multiples of `every`; with
// `evenOnly` it cannot rebalance on odd days (mayRebalance), band or not.
class BandStrategy final : public Strategy {
public:
    BandStrategy(std::vector<double> weights, double band, bool declare, Index every = 0,
                 bool evenOnly = false)
        : Strategy("band"),
          weights_(std::move(weights)),
          band_(band),
          declare_(declare),
          every_(every),
          evenOnly_(evenOnly) {}
    void start(const std::vector<Date>&) override {
        last_.setZero(static_cast<Index>(weights_.size()));
    }
    std::unique_ptr<Strategy> clone() const override {
        return std::make_unique<BandStrategy>(*this);
    }
    DriftBand driftBand() const override {
        return declare_ ? DriftBand{band_, &last_} : DriftBand{};
    }
    bool mayRebalance(Index t) const override { return !evenOnly_ || t % 2 == 0; }
    Index nextCalendarRebalance(Index t, Index days) const override {
        if (t == 0) return 0;
        return every_ > 0 ? std::min(days, (t + every_ - 1) / every_ * every_) : days;
    }
    int decisions = 0;  // calls of decide

protected:
    bool decide(const MarketView& view, const Vector& current, Vector& target) override {
        ++decisions;
        if (evenOnly_ && view.today() % 2 != 0) return false;
        bool due = view.today() == 0 || (every_ > 0 && view.today() % every_ == 0);
        for (Index i = 0; i < current.size(); ++i)
            if (std::abs(current(i) - last_(i)) > band_) due = true;
        if (!due) return false;
        for (Index i = 0; i < target.size(); ++i) target(i) = weights_[static_cast<size_t>(i)];
        last_ = target;
        return true;
    }

private:
    std::vector<double> weights_;
    double band_;
    bool declare_;
    Index every_;
    bool evenOnly_;
    Vector last_;
};

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// Mon 1, Tue 2, Wed 3, (Thu 4 Independence Day), Fri 5, Mon 8, Tue 9 July 2024.
Path threeAssetPath(double ratePercent) {
    Path p;
    p.dates = {d(2024, 7, 1), d(2024, 7, 2), d(2024, 7, 3),
               d(2024, 7, 5), d(2024, 7, 8), d(2024, 7, 9)};
    p.prices.resize(6, 3);
    p.prices << 100, 50, 20,  //
        102, 49, 20,          //
        101, 51, 21,          //
        103, 52, 22,          //
        104, 50, 21,          //
        100, 51, 23;
    p.cashRate = Vector::Constant(6, ratePercent);
    return p;
}

TEST(Backtester, AccountingWithCostsOnThreeAssetsSixDays) {
    const Path path = threeAssetPath(3.6);
    BacktestConfig cfg;
    cfg.initialCapital = 10000.0;
    cfg.costs.commissionBps = 10.0;
    cfg.costs.slippageBps = 5.0;
    Backtester bt(cfg);
    ScriptedStrategy s({{0, {0.5, 0.3, 0.0}}, {3, {0.0, 0.5, 0.5}}});
    BacktestResult r;
    bt.run(path, s, r);

    const double c = 0.0015;  // 10 + 5 bps of traded notional
    // Day 0: buy 0.5E' of A and 0.3E' of B from cash; E' = E - c(0.8E')  =>  E' = E/(1 + 0.8c).
    const double e0 = 10000.0 / (1.0 + c * 0.8);
    const double qA = 0.5 * e0 / 100.0, qB = 0.3 * e0 / 50.0;
    double cash = 0.2 * e0;
    EXPECT_NEAR(r.equity(0), e0, 1e-9);
    // Cash accrues ACT/360 at 3.6%: 1 day -> 1.0001, 2 days over the holiday -> 1.0002.
    cash *= 1.0001;
    EXPECT_NEAR(r.equity(1), cash + qA * 102 + qB * 49, 1e-9);
    cash *= 1.0001;
    EXPECT_NEAR(r.equity(2), cash + qA * 101 + qB * 51, 1e-9);
    cash *= 1.0002;
    // Day 3 (Fri): sell all A (hA), buy B up to 0.5E' (it is ~0.3 now), buy C 0.5E'. With the
    // trade signs fixed, |w E' - h| is linear: E' = (E + c(hB - hA)) / (1 + c(0.5 + 0.5)).
    const double hA = qA * 103, hB = qB * 52;
    const double e3pre = cash + hA + hB;
    const double e3 = (e3pre + c * (hB - hA)) / (1.0 + c);
    EXPECT_NEAR(r.equity(3), e3, 1e-9);
    const double qB2 = 0.5 * e3 / 52.0, qC2 = 0.5 * e3 / 22.0;
    EXPECT_NEAR(r.equity(4), qB2 * 50 + qC2 * 21, 1e-8);  // cash ~0 (1e-12) after day 3
    EXPECT_NEAR(r.equity(5), qB2 * 51 + qC2 * 23, 1e-8);

    const double traded = 0.8 * e0 + hA + (0.5 * e3 - hB) + 0.5 * e3;
    EXPECT_NEAR(r.commission, 0.0010 * traded, 1e-9);
    EXPECT_NEAR(r.slippage, 0.0005 * traded, 1e-9);
    EXPECT_EQ(r.rebalances, 2);
    ASSERT_EQ(r.trades.size(), 5u);
    // Sells before buys on day 3: A is sold first.
    EXPECT_EQ(r.trades[2].asset, 0);
    EXPECT_LT(r.trades[2].quantity, 0.0);
    EXPECT_NEAR(r.trades[2].quantity, -qA, 1e-12);
    // Turnover counts cash as an asset: day 0 moves 0.8 of equity out of cash -> 0.8 * E'/E.
    EXPECT_NEAR(r.turnover(0), 0.8 * e0 / 10000.0, 1e-12);
    EXPECT_NEAR(r.cashReturn(3), 0.0002, 1e-15);
    EXPECT_NEAR(r.cashReturn(4), 0.0003, 1e-15);

    // Weights rebuilt from the snapshots: day 1 holds the day-0 quantities.
    const PriceMatrix w = dailyWeights(path, r);
    EXPECT_NEAR(w(1, 0), qA * 102 / r.equity(1), 1e-12);
    EXPECT_NEAR(w(1, 1), qB * 49 / r.equity(1), 1e-12);
    EXPECT_NEAR(w(4, 2), qC2 * 21 / r.equity(4), 1e-9);
}

TEST(Backtester, NextCloseExecutionTradesAtTheFollowingClose) {
    const Path path = threeAssetPath(3.6);
    BacktestConfig cfg;
    cfg.initialCapital = 10000.0;
    cfg.execution = Execution::NextClose;
    Backtester bt(cfg);
    ScriptedStrategy s({{0, {1.0, 0.0, 0.0}}});
    BacktestResult r;
    bt.run(path, s, r);
    EXPECT_DOUBLE_EQ(r.equity(0), 10000.0);  // nothing traded on the signal day
    const double e1 = 10000.0 * 1.0001;      // cash accrues one day, then buys A at 102
    EXPECT_NEAR(r.equity(1), e1, 1e-9);
    EXPECT_NEAR(r.equity(2), e1 / 102.0 * 101.0, 1e-9);
    ASSERT_EQ(r.trades.size(), 1u);
    EXPECT_EQ(r.trades[0].day, 1);
    EXPECT_DOUBLE_EQ(r.trades[0].price, 102.0);
}

TEST(Backtester, CashAccruesActualDaysOverWeekendAndHolidayAtPrevailingRate) {
    Path p;
    // Wed 3 July 2024 -> Fri 5 July (Thu 4 is a holiday: 2 days) -> Mon 8 July (3 days).
    p.dates = {d(2024, 7, 3), d(2024, 7, 5), d(2024, 7, 8)};
    p.prices = PriceMatrix::Constant(3, 1, 10.0);
    p.cashRate.resize(3);
    p.cashRate << 5.0, 4.0, 9.9;  // the last rate would only apply after the last day
    BacktestConfig cfg;
    cfg.initialCapital = 1000.0;
    Backtester bt(cfg);
    ScriptedStrategy s({{Index{0}, std::vector<double>{0.0}}});
    BacktestResult r;
    bt.run(p, s, r);
    const double e1 = 1000.0 * (1.0 + 0.05 * 2 / 360.0);
    const double e2 = e1 * (1.0 + 0.04 * 3 / 360.0);
    EXPECT_NEAR(r.equity(1), e1, 1e-10);
    EXPECT_NEAR(r.equity(2), e2, 1e-10);
    EXPECT_EQ(r.rebalances, 0);
}

TEST(Backtester, NegativeCashPaysRatePlusBorrowSpread) {
    Path p;
    p.dates = {d(2024, 7, 1), d(2024, 7, 2)};
    p.prices.resize(2, 1);
    p.prices << 100, 110;
    p.cashRate = Vector::Constant(2, 3.6);
    BacktestConfig cfg;
    cfg.initialCapital = 1000.0;
    cfg.costs.borrowSpreadBps = 100.0;
    Backtester bt(cfg);
    ScriptedStrategy s({{Index{0}, std::vector<double>{1.5}}});  // 150% long: borrow 500
    BacktestResult r;
    bt.run(p, s, r);
    // 15 units of A; cash -500 grows at (3.6% + 1.0%) for one day.
    const double cash1 = -500.0 * (1.0 + 0.046 / 360.0);
    EXPECT_NEAR(r.equity(1), 15.0 * 110 + cash1, 1e-9);
}

TEST(Backtester, MinimumCommissionPerTrade) {
    Path p;
    p.dates = {d(2024, 7, 1), d(2024, 7, 2)};
    p.prices.resize(2, 2);
    p.prices << 10, 20, 10, 20;
    p.cashRate = Vector::Constant(2, 0.0);
    BacktestConfig cfg;
    cfg.initialCapital = 1000.0;
    cfg.costs.commissionBps = 1.0;
    cfg.costs.minCommission = 2.0;
    Backtester bt(cfg);
    ScriptedStrategy s({{0, {0.5, 0.25}}});
    BacktestResult r;
    bt.run(p, s, r);
    // 1 bp of ~500 and ~250 is 0.05 and 0.025, below the 2.0 minimum: each trade pays 2.
    EXPECT_DOUBLE_EQ(r.commission, 4.0);
    EXPECT_NEAR(r.equity(0), 996.0, 1e-9);
    EXPECT_NEAR(r.equity(1), 996.0, 1e-9);
    // Targets apply to post-cost equity: 0.5 * 996 of the first asset.
    EXPECT_NEAR(r.trades[0].notional, 498.0, 1e-9);
}

// 1e6 of capital, 1 bp commission, 2 bps slippage, the given minimum commission and 100 bps of
// borrowing spread: every cost the backtest charges.
BacktestConfig everyCost(Execution execution, double minCommission) {
    BacktestConfig cfg;
    cfg.initialCapital = 1e6;
    cfg.costs.commissionBps = 1.0;
    cfg.costs.slippageBps = 2.0;
    cfg.costs.minCommission = minCommission;
    cfg.costs.borrowSpreadBps = 100.0;
    cfg.execution = execution;
    return cfg;
}

// A path of T days from 2024-01-02 (a weekend-sized gap one day in five), each asset moving by
// up to ±moveWidth/2 a day from `start`, and cash rates uniform in [cashLow, cashLow +
// cashWidth]: one 64-bit LCG (Knuth MMIX, top 53 bits) seeded with `seed` draws everything.
Path randomWalkPath(Index T, std::uint64_t seed, const std::vector<double>& start, double moveWidth,
                    double cashLow, double cashWidth) {
    const auto N = static_cast<Index>(start.size());
    Path path;
    path.prices.resize(T, N);
    path.cashRate.resize(T);
    Date day = d(2024, 1, 2);
    std::uint64_t state = seed;
    auto uniform = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / 9007199254740992.0;
    };
    for (Index t = 0; t < T; ++t) {
        path.dates.push_back(day);
        day = day + (uniform() < 0.2 ? 3 : 1);
        for (Index i = 0; i < N; ++i)
            path.prices(t, i) = t == 0
                                    ? start[static_cast<std::size_t>(i)]
                                    : path.prices(t - 1, i) * (1.0 + moveWidth * (uniform() - 0.5));
        path.cashRate(t) = cashLow + cashWidth * uniform();
    }
    return path;
}

// The same values to the bit (and the same length).
bool same(const Vector& x, const Vector& y) {
    return x.size() == y.size() &&
           std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) ==
               0;
}

// Skipping the days a strategy cannot rebalance changes nothing: equity, cash returns, turnover,
// costs and trades are the same bits as with a strategy that may rebalance every day, with
// borrowing (targets above 100%), next-close execution, a minimum commission, and cash growth
// from the path's accrual cache or computed per day.
TEST(Backtester, DaysThatCannotRebalanceGiveTheSameBits) {
    const Index T = 300;
    Path path = randomWalkPath(T, 42, {100.0, 100.0, 100.0}, 0.02, 2.0, 3.0);
    std::map<Index, std::vector<double>> script{{0, {0.5, 0.3, 0.0}},    {21, {0.0, 0.8, 0.5}},
                                                {22, {0.0, 0.8, 0.5}},   {100, {1.0, 0.0, 0.0}},
                                                {180, {0.0, 0.0, 0.0}},  {250, {0.7, 0.7, 0.1}},
                                                {T - 1, {0.2, 0.2, 0.2}}};
    for (const bool cached : {false, true}) {
        if (cached) fillCashAccrual(path);
        for (const Execution execution : {Execution::Close, Execution::NextClose}) {
            const BacktestConfig cfg = everyCost(execution, 5.0);
            Backtester a(cfg), b(cfg);
            ScriptedStrategy every(script);
            ScriptedStrategy sparse(script, true);
            BacktestResult ra, rb;
            a.run(path, every, ra);
            b.run(path, sparse, rb);
            EXPECT_TRUE(same(ra.equity, rb.equity)) << cached;
            EXPECT_TRUE(same(ra.cashReturn, rb.cashReturn)) << cached;
            EXPECT_TRUE(same(ra.turnover, rb.turnover)) << cached;
            EXPECT_EQ(ra.commission, rb.commission);
            EXPECT_EQ(ra.slippage, rb.slippage);
            EXPECT_EQ(ra.rebalances, rb.rebalances);
            ASSERT_EQ(ra.trades.size(), rb.trades.size());
            for (std::size_t k = 0; k < ra.trades.size(); ++k) {
                EXPECT_EQ(ra.trades[k].day, rb.trades[k].day);
                EXPECT_EQ(ra.trades[k].quantity, rb.trades[k].quantity);
            }
            EXPECT_GE(ra.rebalances, 5);
        }
    }
}

// A strategy that declares its drift band gets the same bits as one that does not (and is
// asked every day): the engine's own check only skips days clearly inside the band. Weights
// with and without borrowing, bands crossed often and rarely, both executions.
TEST(Backtester, DeclaredDriftBandGivesTheSameBits) {
    const Index T = 400;
    Path path = randomWalkPath(T, 7, {50.0, 100.0, 150.0}, 0.04, 1.0, 4.0);
    fillCashAccrual(path);
    const std::vector<std::vector<double>> mixes{{0.4, 0.2, 0.4}, {0.9, 0.4, 0.0}, {0.0, 0.0, 1.0}};
    for (const auto& mix : mixes)
        for (const double band : {0.01, 0.05, 0.2})
            for (const Execution execution : {Execution::Close, Execution::NextClose}) {
                const BacktestConfig cfg = everyCost(execution, 0.0);
                Backtester a(cfg), b(cfg);
                BandStrategy asked(mix, band, false), declared(mix, band, true);
                BacktestResult ra, rb;
                a.run(path, asked, ra);
                b.run(path, declared, rb);
                EXPECT_TRUE(same(ra.equity, rb.equity)) << band;
                EXPECT_TRUE(same(ra.turnover, rb.turnover)) << band;
                EXPECT_EQ(ra.commission, rb.commission);
                EXPECT_EQ(ra.rebalances, rb.rebalances);
                EXPECT_EQ(asked.decisions, T);
                if (mix[2] < 1.0 && band < 0.1) {  // a one-asset mix never drifts
                    EXPECT_GT(ra.rebalances, 1) << band;
                }
                // Declared, the strategy is asked only near or beyond its band.
                EXPECT_LT(declared.decisions, T / 2) << band;
                EXPECT_GE(declared.decisions, static_cast<int>(rb.rebalances));
            }
}

// The days between a band strategy's calendar days run as stretches that stop at the first day
// the band may be crossed, which then runs in full: the same bits as the strategy asked every
// day, with calendar days every 20 days, crossings on any day (the first after a calendar day,
// the last before one, the path's last day), a strategy that cannot rebalance on odd days (a
// crossing day handed back to a plain stretch), borrowing, both executions, and cash growth
// from the accrual cache or per day.
TEST(Backtester, BandStretchesGiveTheSameBits) {
    const Index T = 240;
    Path path = randomWalkPath(T, 11, {80.0, 120.0, 40.0}, 0.05, -0.5, 5.0);
    const std::vector<std::vector<double>> mixes{{0.4, 0.2, 0.4}, {0.9, 0.5, 0.0}, {0.3, 0.0, 0.0}};
    for (const bool cached : {false, true}) {
        if (cached) fillCashAccrual(path);
        for (const auto& mix : mixes)
            for (const double band : {0.005, 0.03, 0.1})
                for (const bool evenOnly : {false, true})
                    for (const Execution execution : {Execution::Close, Execution::NextClose}) {
                        const BacktestConfig cfg = everyCost(execution, 2.0);
                        Backtester a(cfg), b(cfg);
                        BandStrategy asked(mix, band, false, 20, evenOnly);
                        BandStrategy declared(mix, band, true, 20, evenOnly);
                        BacktestResult ra, rb;
                        a.run(path, asked, ra);
                        b.run(path, declared, rb);
                        const std::string where = std::to_string(band) + " " +
                                                  std::to_string(mix[0]) + " " +
                                                  std::to_string(evenOnly) + " " +
                                                  std::to_string(cached);
                        EXPECT_TRUE(same(ra.equity, rb.equity)) << where;
                        EXPECT_TRUE(same(ra.cashReturn, rb.cashReturn)) << where;
                        EXPECT_TRUE(same(ra.turnover, rb.turnover)) << where;
                        EXPECT_EQ(ra.commission, rb.commission) << where;
                        EXPECT_EQ(ra.slippage, rb.slippage) << where;
                        EXPECT_EQ(ra.rebalances, rb.rebalances) << where;
                        ASSERT_EQ(ra.trades.size(), rb.trades.size()) << where;
                        for (std::size_t k = 0; k < ra.trades.size(); ++k) {
                            EXPECT_EQ(ra.trades[k].day, rb.trades[k].day) << where;
                            EXPECT_EQ(ra.trades[k].quantity, rb.trades[k].quantity) << where;
                        }
                        // The calendar alone gives 12 rebalances; a narrow band many more.
                        EXPECT_GE(ra.rebalances, 12) << where;
                        if (band < 0.01) {
                            EXPECT_GT(ra.rebalances, 30) << where;
                        }
                        EXPECT_LT(declared.decisions, asked.decisions) << where;
                    }
    }
}

TEST(Backtester, DailyReturnsOfAnEquityCurve) {
    Vector e(3);
    e << 100, 110, 99;
    const Vector r = dailyReturns(e);
    EXPECT_DOUBLE_EQ(r(0), 0.0);
    EXPECT_NEAR(r(1), 0.10, 1e-15);
    EXPECT_NEAR(r(2), -0.10, 1e-15);
}

}  // namespace backtester_test
}  // namespace
}  // namespace rotor
