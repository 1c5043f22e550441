// SPDX-License-Identifier: MIT
#include "engine/portfolio/backtester.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <cstddef>
#include <sstream>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rotor {

namespace {
// Trades smaller than this fraction of equity are dust from floating point, not decisions.
constexpr double kDustFraction = 1e-10;
}  // namespace

void Backtester::run(const Path& path, Strategy& strategy, BacktestResult& out) {
    const Index T = path.days();
    const Index N = path.assets();
    ROTOR_REQUIRE(T >= 1 && path.prices.rows() == T && path.cashRate.size() == T,
                  "malformed path: " << T << " dates, " << path.prices.rows() << " price rows, "
                                     << path.cashRate.size() << " rates");
    out.equity.resize(T);
    out.cashReturn.resize(T);
    out.turnover.resize(T);
    out.commission = out.slippage = 0.0;
    out.rebalances = 0;
    out.trades.clear();
    out.snapshots.clear();
    out.snapshotQuantities.clear();

    qty_.setZero(N);
    weights_.setZero(N);
    held_.clear();
    held_.reserve(static_cast<std::size_t>(N));
    target_.resize(N);
    pending_.resize(N);
    delta_.resize(N);
    cash_ = config_.initialCapital;
    bool hasPending = false;
    const double borrowSpread = config_.costs.borrowSpreadBps / 100.0;  // bps -> percent

    strategy.start(path.dates);
    const bool cached = path.accrual.size() == T;  // Path::accrual: the same factors, once per path
    // Days before `next` cannot rebalance: with no trade pending they run as a stretch.
    Index next = strategy.nextMayRebalance(0, T);
    // Between the calendar's days a strategy with a drift band can only be due by the band.
    const Strategy::DriftBand band = strategy.driftBand();
    Index calendarNext = band.width > 0.0 ? strategy.nextCalendarRebalance(0, T) : 0;
    Index mayCrossDay = -1;  // the day the last band stretch stopped at
    for (Index t = 0; t < T; ++t) {
        if (t > next) next = strategy.nextMayRebalance(t, T);
        if (band.width > 0.0 && t > calendarNext)
            calendarNext = strategy.nextCalendarRebalance(t, T);
        if (t < next && !hasPending) {
            t = stretch(path, t, next, borrowSpread, out) - 1;
            continue;
        }
        // Before the band's next calendar day, the days on which the band is clearly not crossed
        // run as a stretch too; the first day it may be crossed is handed back and run in full.
        if (band.width > 0.0 && !hasPending && t < calendarNext && t != mayCrossDay) {
            mayCrossDay = bandStretch(path, t, calendarNext, borrowSpread, band, out);
            t = mayCrossDay - 1;
            continue;
        }
        const double* p = path.prices.row(t).data();
        out.cashReturn(t) = 0.0;
        out.turnover(t) = 0.0;
        if (t > 0) {
            // ACT/360 at the rate prevailing on the previous trading day, over the calendar days
            // up to today (weekends and holidays included).
            const auto k = static_cast<std::size_t>(t);
            const int days = path.dates[k] - path.dates[k - 1];
            const double rate = path.cashRate(t - 1);
            const double growth = cached ? path.accrual(t) : cashAccrual(rate, days);
            out.cashReturn(t) = growth - 1.0;
            cash_ *= cash_ >= 0.0 ? growth : cashAccrual(rate + borrowSpread, days);
        }
        if (hasPending) {
            out.turnover(t) += trade(t, p, pending_, out);
            hasPending = false;
        }

        double invested = markToMarket(p);
        const double equity = cash_ + invested;
        if (!(equity > 0.0)) equityFell(path, t, equity);
        // Weights only for a strategy that may read them today (see Strategy::mayRebalance),
        // and only of held assets: the others' stay exactly 0 (see held_).
        if (t == next && (band.width <= 0.0 || t >= calendarNext || mayCross(band, p, equity))) {
            for (const Index i : held_) weights_(i) = qty_(i) * p[i] / equity;
            target_.setZero();
            if (strategy.rebalance(path, t, weights_, target_)) {
                if (config_.execution == Execution::Close) {
                    out.turnover(t) += trade(t, p, target_, out);
                    invested = markToMarket(p);
                } else if (t + 1 < T) {
                    pending_ = target_;
                    hasPending = true;
                }
            }
        }
        out.equity(t) = cash_ + invested;
    }
}

Index Backtester::stretch(const Path& path, Index from, Index to, double borrowSpread,
                          BacktestResult& out) {
    // The day loop above without a decision or a trade: the same operations in the same order,
    // on locals (nothing the loop stores can alias them), so most days of a rotation cost an
    // accrual, a few products and the stores.
    const Index T = path.days();
    const bool cached = path.accrual.size() == T;
    const double* accrual = path.accrual.data();
    const double* rates = path.cashRate.data();
    const Index* held = held_.data();
    const std::size_t nHeld = held_.size();
    const double* qty = qty_.data();
    double* equityOut = out.equity.data();
    double* cashReturn = out.cashReturn.data();
    double* turnover = out.turnover.data();
    double cash = cash_;
    const auto days = [&path](Index t) {
        const auto k = static_cast<std::size_t>(t);
        return path.dates[k] - path.dates[k - 1];
    };
    // Marks day t to market and stores its equity (cash already accrued).
    const auto close = [&](Index t, double accrued) {
        const double* p = path.prices.row(t).data();
        turnover[t] = 0.0;
        double invested = 0.0;
        for (std::size_t j = 0; j < nHeld; ++j) invested += qty[held[j]] * p[held[j]];
        const double equity = accrued + invested;
        if (!(equity > 0.0)) {
            cash_ = accrued;
            equityFell(path, t, equity);
        }
        equityOut[t] = equity;
    };
    Index t = from;
    if (t == 0) {
        cashReturn[0] = 0.0;
        close(0, cash);
        ++t;
    }
    if (cached) {
        for (; t < to; ++t) {
            const double growth = accrual[t];
            cashReturn[t] = growth - 1.0;
            cash *= cash >= 0.0 ? growth : cashAccrual(rates[t - 1] + borrowSpread, days(t));
            close(t, cash);
        }
    } else {
        for (; t < to; ++t) {
            const double growth = cashAccrual(rates[t - 1], days(t));
            cashReturn[t] = growth - 1.0;
            cash *= cash >= 0.0 ? growth : cashAccrual(rates[t - 1] + borrowSpread, days(t));
            close(t, cash);
        }
    }
    cash_ = cash;
    return to;
}

Index Backtester::bandStretch(const Path& path, Index from, Index to, double borrowSpread,
                              const Strategy::DriftBand& band, BacktestResult& out) {
    // stretch() with the band's check at each close (mayCross).
    const Index T = path.days();
    const bool cached = path.accrual.size() == T;
    const double* accrual = path.accrual.data();
    const double* rates = path.cashRate.data();
    const Index* held = held_.data();
    const std::size_t nHeld = held_.size();
    const double* qty = qty_.data();
    double* equityOut = out.equity.data();
    double* cashReturn = out.cashReturn.data();
    double* turnover = out.turnover.data();
    double cash = cash_;
    const auto days = [&path](Index t) {
        const auto k = static_cast<std::size_t>(t);
        return path.dates[k] - path.dates[k - 1];
    };
    // Marks day t to market and stores its equity (cash already accrued). True when the band may be
    // crossed at this close: the day is then left to the caller.
    const auto close = [&](Index t, double accrued) {
        const double* p = path.prices.row(t).data();
        turnover[t] = 0.0;
        double invested = 0.0;
        for (std::size_t j = 0; j < nHeld; ++j) invested += qty[held[j]] * p[held[j]];
        const double equity = accrued + invested;
        if (!(equity > 0.0)) {
            cash_ = accrued;
            equityFell(path, t, equity);
        }
        equityOut[t] = equity;
        return mayCross(band, p, equity);
    };
    Index t = from;
    if (t == 0) {
        cashReturn[0] = 0.0;
        if (close(0, cash)) return 0;
        ++t;
    }
    // The caller runs a day handed back from its start: cash as before the day's accrual.
    if (cached) {
        for (; t < to; ++t) {
            const double growth = accrual[t];
            const double before = cash;
            cashReturn[t] = growth - 1.0;
            cash *= cash >= 0.0 ? growth : cashAccrual(rates[t - 1] + borrowSpread, days(t));
            if (close(t, cash)) {
                cash_ = before;
                return t;
            }
        }
    } else {
        for (; t < to; ++t) {
            const double growth = cashAccrual(rates[t - 1], days(t));
            const double before = cash;
            cashReturn[t] = growth - 1.0;
            cash *= cash >= 0.0 ? growth : cashAccrual(rates[t - 1] + borrowSpread, days(t));
            if (close(t, cash)) {
                cash_ = before;
                return t;
            }
        }
    }
    cash_ = cash;
    return to;
}

bool Backtester::mayCross(const Strategy::DriftBand& band, const double* p, double equity) const {
    // |q p / E - L| <= width as |q p - L E| <= width E, in products only: the roundings of
    // both sides and of the strategy's own quotient q p / E are a few ulps of the terms, far
    // inside the margin of 1e-12 (relative to E, |q p| and |L| E), so a weight more than the
    // margin inside the band is inside it as the strategy computes it too. Only a weight near
    // the band's edge, or outside it, takes the exact weights and the strategy's check.
    // Every asset's test, without a branch: an asset not held has a quantity of exactly 0 (see
    // held_), so its value q p is +-0, which gives the same |value - target| and |value| as 0.
    const Vector& last = *band.lastTarget;
    const Index N = qty_.size();
    if (last.size() != N) return true;
    const double* q = qty_.data();
    const double* l = last.data();
    const double edge = band.width * equity;
    bool cross = false;
    Index i = 0;
#if defined(__SSE2__)
    // Two assets at a time, each lane making the scalar loop's operations; !(a <= b) is NLE
    // (true for NaN too).
    const __m128d e = _mm_set1_pd(equity);
    const __m128d absMask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
    const __m128d edges = _mm_set1_pd(edge);
    const __m128d tiny = _mm_set1_pd(1e-12);
    __m128d out = _mm_setzero_pd();
    for (; i + 2 <= N; i += 2) {
        const __m128d value = _mm_mul_pd(_mm_loadu_pd(q + i), _mm_loadu_pd(p + i));
        const __m128d target = _mm_mul_pd(_mm_loadu_pd(l + i), e);
        const __m128d margin = _mm_mul_pd(tiny,
                                          _mm_add_pd(_mm_add_pd(e, _mm_and_pd(value, absMask)),
                                                     _mm_and_pd(target, absMask)));
        out = _mm_or_pd(out, _mm_cmpnle_pd(_mm_and_pd(_mm_sub_pd(value, target), absMask),
                                           _mm_sub_pd(edges, margin)));
    }
    cross = _mm_movemask_pd(out) != 0;
#endif
    for (; i < N; ++i) {
        const double value = q[i] * p[i];
        const double target = l[i] * equity;
        const double margin = 1e-12 * (equity + std::abs(value) + std::abs(target));
        cross |= !(std::abs(value - target) <= edge - margin);
    }
    return cross;
}

void Backtester::equityFell(const Path& path, Index t, double equity) {
    std::ostringstream os;
    os << "portfolio equity fell to " << equity << " on "
       << path.dates[static_cast<std::size_t>(t)].iso();
    detail::throwError(os.str(), __FILE__, __LINE__);
}

double Backtester::markToMarket(const double* p) const {
    // Ascending asset order as a full sum would take: the skipped terms are 0 * p = +0.0, and
    // adding +0.0 never changes a sum that cannot be -0.0, so the result is bit-identical.
    double invested = 0.0;
    for (const Index i : held_) invested += qty_(i) * p[i];
    return invested;
}

double Backtester::trade(Index day, const double* p, const Vector& target, BacktestResult& out) {
    const Index N = qty_.size();
    const CostModel& c = config_.costs;
    const double commissionRate = c.commissionBps * 1e-4;
    const double slippageRate = c.slippageBps * 1e-4;

    double equity = cash_;
    for (const Index i : held_) equity += qty_(i) * p[i];
    const double dust = kDustFraction * std::abs(equity);

    // Costs are paid from the portfolio, so targets apply to post-cost equity E':
    // E' = E - costs(E'). Costs are a few bps of notional, so the fixed point contracts fast.
    auto costsAt = [&](double postEquity) {
        double total = 0.0;
        for (Index i = 0; i < N; ++i) {
            const double notional = std::abs(target(i) * postEquity - qty_(i) * p[i]);
            if (notional <= dust) continue;
            total += std::max(commissionRate * notional, c.minCommission) + slippageRate * notional;
        }
        return total;
    };
    double post = equity;
    for (int iter = 0; iter < 50; ++iter) {
        const double next = equity - costsAt(post);
        const bool done = std::abs(next - post) <= 1e-13 * std::abs(equity);
        post = next;
        if (done) break;
    }

    for (Index i = 0; i < N; ++i) {
        const double notional = target(i) * post - qty_(i) * p[i];
        delta_(i) = std::abs(notional) <= dust ? 0.0 : notional / p[i];
    }

    // Sells first, then buys: purchases are paid from the proceeds already in cash.
    double traded = 0.0;
    double netCash = 0.0;
    bool any = false;
    for (int pass = 0; pass < 2; ++pass) {
        for (Index i = 0; i < N; ++i) {
            const double dq = delta_(i);
            if (dq == 0.0 || (pass == 0) != (dq < 0.0)) continue;
            const double notional = std::abs(dq) * p[i];
            const double commission = std::max(commissionRate * notional, c.minCommission);
            const double slippage = slippageRate * notional;
            qty_(i) += dq;
            cash_ -= dq * p[i] + commission + slippage;
            netCash -= dq * p[i];
            out.commission += commission;
            out.slippage += slippage;
            traded += notional;
            any = true;
            if (config_.recordTrades)
                out.trades.push_back({day, i, dq, p[i], notional, commission, slippage});
        }
    }
    if (!any) return 0.0;
    // Re-list the held assets; an asset sold out keeps a weight of exactly 0 from now on.
    held_.clear();
    for (Index i = 0; i < N; ++i) {
        if (qty_(i) != 0.0)
            held_.push_back(i);
        else
            weights_(i) = 0.0;
    }
    ++out.rebalances;
    if (config_.recordPositions) {
        out.snapshots.push_back({day, cash_});
        out.snapshotQuantities.insert(out.snapshotQuantities.end(), qty_.data(), qty_.data() + N);
    }
    // One-way turnover with cash counted as an asset: half of all weight moved, so a full switch
    // from one asset to another, or from cash into assets, is 1.0.
    return (traded + std::abs(netCash)) / (2.0 * equity);
}

PriceMatrix dailyWeights(const Path& path, const BacktestResult& result) {
    const Index T = path.days();
    const Index N = path.assets();
    // Every element is written once (zero rows before the first snapshot): no separate
    // zeroing pass over a T x N matrix that is then overwritten.
    PriceMatrix w(T, N);
    std::size_t next = 0;
    const double* q = nullptr;
    for (Index t = 0; t < T; ++t) {
        while (next < result.snapshots.size() && result.snapshots[next].day <= t) {
            q = result.snapshotQuantities.data() + next * static_cast<std::size_t>(N);
            ++next;
        }
        double* row = w.row(t).data();
        if (q == nullptr) {
            for (Index i = 0; i < N; ++i) row[i] = 0.0;
            continue;
        }
        const double* p = path.prices.row(t).data();
        const double e = result.equity(t);
        for (Index i = 0; i < N; ++i) row[i] = q[i] * p[i] / e;
    }
    return w;
}

Vector dailyReturns(const Vector& equity) {
    Vector r = Vector::Zero(equity.size());
    for (Index t = 1; t < equity.size(); ++t) r(t) = equity(t) / equity(t - 1) - 1.0;
    return r;
}

}  // namespace rotor
