// SPDX-License-Identifier: MIT
// Two passes over the days: returns, sums, downside sum, drawdown and turnover, then the squared
// deviations from the means (the two-pass algorithm: no cancellation when the mean is large
// against the spread, and no division per day as in Welford's running update).
#include "engine/metrics/metrics.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rotor {

namespace {

constexpr double kNaN = Metrics::kNaN;

// Mean and sum of squared deviations of a series, from the two passes.
struct Moments {
    double mean = 0.0;
    double m2 = 0.0;

    // Sample (n-1) standard deviation; NaN for fewer than 2 values, 0 for rounding noise.
    double stdev(Index count) const {
        if (count < 2) return kNaN;
        const double s = std::sqrt(m2 / static_cast<double>(count - 1));
        return s <= kZeroDailyStdev ? 0.0 : s;
    }
};

// num / den, or NaN when den is 0 (an undefined ratio, never reported as 0) or NaN.
double ratio(double num, double den) { return den > 0.0 ? num / den : kNaN; }

// computePathFigures' figures from its two passes: the means and squared deviations of the
// returns and excess returns, the drawdown's depth and the turnover's sum.
PathFigures finishFigures(const MetricsInput& in, const Moments& ret, const Moments& excess,
                          double depth, double sumTurnover) {
    const double* e = in.equity->data();
    const Index days = in.equity->size();
    const Index n = days - 1;
    const double nd = static_cast<double>(n);
    const double sqrtYear = std::sqrt(kTradingDaysPerYear);
    const double start = in.initialCapital > 0.0 ? in.initialCapital : e[0];
    PathFigures f;
    f.cagr = std::expm1(std::log(e[days - 1] / start) * kTradingDaysPerYear / nd);
    f.volatility = ret.stdev(n) * sqrtYear;
    f.sharpe = ratio(excess.mean, excess.stdev(n)) * sqrtYear;
    f.maxDrawdown = depth;
    f.turnover = sumTurnover * kTradingDaysPerYear / nd;
    return f;
}

class DrawdownTracker {
public:
    explicit DrawdownTracker(double e0) : high_(e0) { dd_.depth = 0.0; }

    void add(Index t, double e) {
        if (pending_ && e >= ddPeakEquity_) {
            dd_.recovery = t;
            pending_ = false;
        }
        if (e >= high_) {
            // >= so that the peak is the last day at the high before a fall.
            high_ = e;
            highDay_ = t;
            return;
        }
        const double depth = 1.0 - e / high_;
        if (depth > dd_.depth) {  // strict: the first of equally deep drawdowns is kept
            dd_.depth = depth;
            dd_.peak = highDay_;
            dd_.trough = t;
            dd_.recovery = -1;
            ddPeakEquity_ = high_;
            pending_ = true;
        }
    }

    // A curve that never falls has depth 0, peak = trough = recovery = 0 (never under water).
    Drawdown result() const {
        Drawdown d = dd_;
        if (d.depth == 0.0) d.recovery = 0;
        return d;
    }

private:
    Drawdown dd_;
    double high_;
    Index highDay_ = 0;
    double ddPeakEquity_ = 0.0;
    bool pending_ = false;
};

void requireEquity(double e, Index t, const char* what) {
    ROTOR_REQUIRE(std::isfinite(e) && e > 0.0,
                  what << " must be finite and > 0, got " << e << " on day " << t);
}

Metrics compute(const SeriesView& equity, const SeriesView& cash, const SeriesView* turnover,
                const SeriesView* bench, double totalCosts, long rebalances,
                double initialCapital = 0.0) {
    const Index days = equity.size();
    ROTOR_REQUIRE(days >= 2, "metrics need at least 2 days of equity, got " << days);
    ROTOR_REQUIRE(cash.size() == days,
                  "cash returns have " << cash.size() << " days, equity has " << days);
    if (turnover)
        ROTOR_REQUIRE(turnover->size() == days,
                      "turnover has " << turnover->size() << " days, equity has " << days);
    if (bench)
        ROTOR_REQUIRE(bench->size() == days,
                      "benchmark equity has " << bench->size() << " days, equity has " << days);

    const double e0 = equity[0];
    requireEquity(e0, 0, "equity");
    double prevBench = 0.0;
    if (bench) {
        prevBench = (*bench)[0];
        requireEquity(prevBench, 0, "benchmark equity");
    }

    // Pass 1: daily returns r, excess x = r - rf, benchmark returns rb, their sums, the
    // downside sum of min(x, 0)^2 and the drawdown. The series are kept for pass 2.
    const auto count = static_cast<std::size_t>(days - 1);
    thread_local std::vector<double> rs, xs, rbs;
    rs.resize(count);
    xs.resize(count);
    rbs.resize(bench ? count : 0);
    double sumR = 0.0, sumX = 0.0, sumRb = 0.0;
    double downside2 = 0.0;
    double benchExcessSum = 0.0;  // sum of rb - rf
    double prev = e0;
    DrawdownTracker dd(e0);
    for (Index t = 1; t < days; ++t) {
        const double e = equity[t];
        const double rf = cash[t];
        requireEquity(e, t, "equity");
        ROTOR_REQUIRE(std::isfinite(rf), "cash return is " << rf << " on day " << t);
        const auto k = static_cast<std::size_t>(t - 1);
        const double r = e / prev - 1.0;
        prev = e;
        const double x = r - rf;
        rs[k] = r;
        xs[k] = x;
        sumR += r;
        sumX += x;
        if (x < 0.0) downside2 += x * x;
        dd.add(t, e);
        if (bench) {
            const double b = (*bench)[t];
            requireEquity(b, t, "benchmark equity");
            const double rbt = b / prevBench - 1.0;
            prevBench = b;
            rbs[k] = rbt;
            sumRb += rbt;
            benchExcessSum += rbt - rf;
        }
    }

    // Pass 2: squared deviations from the means, the co-moment with the benchmark and the
    // moments of the active return r - rb.
    const Index n = days - 1;
    const double nd = static_cast<double>(n);
    Moments ret{sumR / nd, 0.0};
    Moments excess{sumX / nd, 0.0};
    Moments benchRet{sumRb / nd, 0.0};
    Moments active{(sumR - sumRb) / nd, 0.0};
    double cxy = 0.0;
    for (std::size_t k = 0; k < count; ++k) {
        const double dr = rs[k] - ret.mean;
        const double dx = xs[k] - excess.mean;
        ret.m2 += dr * dr;
        excess.m2 += dx * dx;
    }
    if (bench) {
        for (std::size_t k = 0; k < count; ++k) {
            const double dr = rs[k] - ret.mean;
            const double db = rbs[k] - benchRet.mean;
            const double da = (rs[k] - rbs[k]) - active.mean;
            benchRet.m2 += db * db;
            cxy += dr * db;
            active.m2 += da * da;
        }
    }

    const double sqrtYear = std::sqrt(kTradingDaysPerYear);
    Metrics m;
    // Total return and CAGR count from the capital before day 0's trades, so entry costs show.
    const double start = initialCapital > 0.0 ? initialCapital : e0;
    const double growth = equity[days - 1] / start;
    m.totalReturn = growth - 1.0;
    m.cagr = std::expm1(std::log(growth) * kTradingDaysPerYear / nd);
    const double sdR = ret.stdev(n);
    m.volatility = sdR * sqrtYear;
    m.sharpe = ratio(excess.mean, excess.stdev(n)) * sqrtYear;
    double downsideDev = std::sqrt(downside2 / nd);
    if (downsideDev <= kZeroDailyStdev) downsideDev = 0.0;
    m.sortino = ratio(excess.mean * kTradingDaysPerYear, downsideDev * sqrtYear);
    m.maxDrawdown = dd.result();
    m.calmar = ratio(m.cagr, m.maxDrawdown.depth);
    if (turnover) m.turnover = turnover->sum() * kTradingDaysPerYear / nd;
    m.totalCosts = totalCosts;
    m.rebalances = rebalances;
    if (bench) {
        const double sdB = benchRet.stdev(n);
        // cov / var with both sample (n-1) normalisations, which cancel.
        m.beta = ratio(cxy, sdB > 0.0 ? benchRet.m2 : 0.0);
        m.alpha = (excess.mean - m.beta * benchExcessSum / nd) * kTradingDaysPerYear;
        const double sdActive = active.stdev(n);
        m.trackingError = sdActive * sqrtYear;
        m.informationRatio = ratio(active.mean * kTradingDaysPerYear, m.trackingError);
    }
    return m;
}

// One table for names and values, so the two can never fall out of step.
struct MetricColumn {
    const char* name;
    double (*value)(const Metrics&);
};

const std::array<MetricColumn, kMetricCount>& metricColumns() {
    static constexpr std::array<MetricColumn, kMetricCount> columns = {{
        {"total_return", [](const Metrics& m) { return m.totalReturn; }},
        {"cagr", [](const Metrics& m) { return m.cagr; }},
        {"volatility", [](const Metrics& m) { return m.volatility; }},
        {"sharpe", [](const Metrics& m) { return m.sharpe; }},
        {"sortino", [](const Metrics& m) { return m.sortino; }},
        {"max_drawdown", [](const Metrics& m) { return m.maxDrawdown.depth; }},
        {"drawdown_peak", [](const Metrics& m) { return static_cast<double>(m.maxDrawdown.peak); }},
        {"drawdown_trough",
         [](const Metrics& m) { return static_cast<double>(m.maxDrawdown.trough); }},
        {"drawdown_recovery",
         [](const Metrics& m) { return static_cast<double>(m.maxDrawdown.recovery); }},
        {"calmar", [](const Metrics& m) { return m.calmar; }},
        {"turnover", [](const Metrics& m) { return m.turnover; }},
        {"total_costs", [](const Metrics& m) { return m.totalCosts; }},
        {"rebalances", [](const Metrics& m) { return static_cast<double>(m.rebalances); }},
        {"beta", [](const Metrics& m) { return m.beta; }},
        {"alpha", [](const Metrics& m) { return m.alpha; }},
        {"tracking_error", [](const Metrics& m) { return m.trackingError; }},
        {"information_ratio", [](const Metrics& m) { return m.informationRatio; }},
    }};
    return columns;
}

}  // namespace

Metrics computeMetrics(SeriesView equity, SeriesView cashReturn, SeriesView turnover,
                       double totalCosts, long rebalances) {
    return compute(equity, cashReturn, &turnover, nullptr, totalCosts, rebalances);
}

Metrics computeMetrics(SeriesView equity, SeriesView cashReturn, SeriesView turnover,
                       SeriesView benchmarkEquity, double totalCosts, long rebalances) {
    return compute(equity, cashReturn, &turnover, &benchmarkEquity, totalCosts, rebalances);
}

Metrics computeMetrics(const MetricsInput& in) {
    ROTOR_REQUIRE(in.equity && in.cashReturn, "metrics need the equity and cash-return series");
    std::optional<SeriesView> turnover;
    std::optional<SeriesView> bench;
    if (in.turnover) turnover.emplace(*in.turnover);
    if (in.benchmarkEquity) bench.emplace(*in.benchmarkEquity);
    return compute(SeriesView(*in.equity), SeriesView(*in.cashReturn),
                   turnover ? &*turnover : nullptr, bench ? &*bench : nullptr, in.totalCosts,
                   in.rebalances, in.initialCapital);
}

PathFigures computePathFigures(const MetricsInput& in) {
    ROTOR_REQUIRE(in.equity && in.cashReturn && in.turnover,
                  "path figures need the equity, cash-return and turnover series");
    const Vector& equity = *in.equity;
    const Index days = equity.size();
    const double* e = equity.data();
    const double* rf = in.cashReturn->data();
    const auto count = static_cast<std::size_t>(std::max<Index>(days - 1, 0));
    // One pass for compute()'s first: r = e / prev - 1, x = r - rf, their sums in day order,
    // the drawdown and the turnover's sum (Eigen's order: from element 0 on). The sums are chains
    // of dependent additions; running them side by side lets one hide another's latency. The
    // validity checks are folded into one flag.
    thread_local std::vector<double> rs, xs;
    rs.resize(count);
    xs.resize(count);
    const double* turnover = in.turnover->data();
    bool ok = days >= 2 && in.cashReturn->size() == days && in.turnover->size() == days &&
              e[0] > 0.0 && e[0] <= std::numeric_limits<double>::max();
    double sumR = 0.0, sumX = 0.0, sumTurnover = ok ? turnover[0] : 0.0;
    // DrawdownTracker's depth, branch-free: the high is kept with >=, and on a day at a new
    // high 1 - e / e = 0 cannot exceed the depth, as the tracker's skipping it cannot.
    double high = ok ? e[0] : 0.0, depth = 0.0;
    for (std::size_t k = 0; ok && k < count; ++k) {
        const double now = e[k + 1];
        const double r = now / e[k] - 1.0;
        const double x = r - rf[k + 1];
        rs[k] = r;
        xs[k] = x;
        sumR += r;
        sumX += x;
        sumTurnover += turnover[k + 1];
        high = now >= high ? now : high;
        const double d = 1.0 - now / high;
        depth = d > depth ? d : depth;
        ok = now > 0.0 && now <= std::numeric_limits<double>::max() &&
             std::abs(rf[k + 1]) <= std::numeric_limits<double>::max();
    }
    if (!ok) {
        // compute() names the first bad value (and throws; a valid input never gets here).
        const Metrics m = computeMetrics(in);
        return {m.cagr, m.volatility, m.sharpe, m.maxDrawdown.depth, m.turnover};
    }
    const Index n = days - 1;
    const double nd = static_cast<double>(n);
    Moments ret{sumR / nd, 0.0};
    Moments excess{sumX / nd, 0.0};
    for (std::size_t k = 0; k < count; ++k) {
        const double dr = rs[k] - ret.mean;
        const double dx = xs[k] - excess.mean;
        ret.m2 += dr * dr;
        excess.m2 += dx * dx;
    }

    return finishFigures(in, ret, excess, depth, sumTurnover);
}

bool computePathFigures(const MetricsInput& a, const MetricsInput& b, PathFigures& fa,
                        PathFigures& fb) {
#if defined(__SSE2__)
    if (!(a.equity && a.cashReturn && a.turnover && b.equity && b.cashReturn && b.turnover))
        return false;
    const Index days = a.equity->size();
    if (days < 2 || b.equity->size() != days || a.cashReturn->size() != days ||
        b.cashReturn->size() != days || a.turnover->size() != days || b.turnover->size() != days)
        return false;
    const double* ea = a.equity->data();
    const double* eb = b.equity->data();
    const double* rfa = a.cashReturn->data();
    const double* rfb = b.cashReturn->data();
    const double* ta = a.turnover->data();
    const double* tb = b.turnover->data();
    constexpr double kMax = std::numeric_limits<double>::max();
    if (!(ea[0] > 0.0 && ea[0] <= kMax && eb[0] > 0.0 && eb[0] <= kMax)) return false;
    const auto count = static_cast<std::size_t>(days - 1);
    // computePathFigures' passes with curve a in the low lane and b in the high one: each lane
    // makes the same IEEE operations in the same order as the scalar loop (the selects are
    // written as its conditionals), and the two curves' chains hide each other's latency.
    thread_local std::vector<double> rsBuffer, xsBuffer;  // interleaved: a, b per day
    rsBuffer.resize(2 * count);
    xsBuffer.resize(2 * count);
    // Raw pointers in locals: the vector stores below may alias anything (intrinsics' types),
    // and would otherwise make the compiler reload the thread-local vectors' data every day.
    double* rs = rsBuffer.data();
    double* xs = xsBuffer.data();
    const __m128d one = _mm_set1_pd(1.0);
    const __m128d zero = _mm_setzero_pd();
    const __m128d max = _mm_set1_pd(kMax);
    const __m128d absMask = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
    __m128d prev = _mm_set_pd(eb[0], ea[0]);
    __m128d sumR = zero, sumX = zero, sumTurnover = _mm_set_pd(tb[0], ta[0]);
    __m128d high = prev, depth = zero;
    __m128d ok = _mm_cmpeq_pd(zero, zero);
    for (std::size_t k = 0; k < count; ++k) {
        const __m128d now = _mm_set_pd(eb[k + 1], ea[k + 1]);
        const __m128d rf = _mm_set_pd(rfb[k + 1], rfa[k + 1]);
        const __m128d r = _mm_sub_pd(_mm_div_pd(now, prev), one);
        const __m128d x = _mm_sub_pd(r, rf);
        _mm_storeu_pd(rs + 2 * k, r);
        _mm_storeu_pd(xs + 2 * k, x);
        sumR = _mm_add_pd(sumR, r);
        sumX = _mm_add_pd(sumX, x);
        sumTurnover = _mm_add_pd(sumTurnover, _mm_set_pd(tb[k + 1], ta[k + 1]));
        // MAXPD is (first > second ? first : second), a single instruction on the loop's two
        // carried chains: the depth's is its select exactly; the high's is now >= high ? now :
        // high but for a NaN close, which fails the check below anyway.
        high = _mm_max_pd(high, now);
        const __m128d d = _mm_sub_pd(one, _mm_div_pd(now, high));
        depth = _mm_max_pd(d, depth);
        ok = _mm_and_pd(ok, _mm_and_pd(_mm_and_pd(_mm_cmpgt_pd(now, zero), _mm_cmple_pd(now, max)),
                                       _mm_cmple_pd(_mm_and_pd(rf, absMask), max)));
        prev = now;
    }
    if (_mm_movemask_pd(ok) != 3) return false;
    const __m128d nd = _mm_set1_pd(static_cast<double>(days - 1));
    const __m128d meanR = _mm_div_pd(sumR, nd);
    const __m128d meanX = _mm_div_pd(sumX, nd);
    __m128d m2R = zero, m2X = zero;
    for (std::size_t k = 0; k < count; ++k) {
        const __m128d dr = _mm_sub_pd(_mm_loadu_pd(rs + 2 * k), meanR);
        const __m128d dx = _mm_sub_pd(_mm_loadu_pd(xs + 2 * k), meanX);
        m2R = _mm_add_pd(m2R, _mm_mul_pd(dr, dr));
        m2X = _mm_add_pd(m2X, _mm_mul_pd(dx, dx));
    }
    const auto lane = [](__m128d v, int i) {
        alignas(16) double out[2];
        _mm_store_pd(out, v);
        return out[i];
    };
    for (int i = 0; i < 2; ++i) {
        const Moments ret{lane(meanR, i), lane(m2R, i)};
        const Moments excess{lane(meanX, i), lane(m2X, i)};
        (i == 0 ? fa : fb) = finishFigures(i == 0 ? a : b, ret, excess, lane(depth, i),
                                           lane(sumTurnover, i));
    }
    return true;
#else
    (void)a, (void)b, (void)fa, (void)fb;
    return false;
#endif
}

Drawdown computeDrawdown(SeriesView equity) {
    ROTOR_REQUIRE(equity.size() >= 1, "drawdown needs at least 1 day of equity");
    requireEquity(equity[0], 0, "equity");
    DrawdownTracker dd(equity[0]);
    for (Index t = 1; t < equity.size(); ++t) {
        requireEquity(equity[t], t, "equity");
        dd.add(t, equity[t]);
    }
    return dd.result();
}

std::vector<std::string> metricNames() {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(kMetricCount));
    for (const auto& c : metricColumns()) names.emplace_back(c.name);
    return names;
}

std::vector<double> metricValues(const Metrics& m) {
    std::vector<double> values(static_cast<std::size_t>(kMetricCount));
    metricValues(m, values.data());
    return values;
}

void metricValues(const Metrics& m, double* out) {
    for (const auto& c : metricColumns()) *out++ = c.value(m);
}

}  // namespace rotor
