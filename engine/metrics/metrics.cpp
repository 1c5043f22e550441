// SPDX-License-Identifier: MIT
// One pass over the days: running moments (Welford), downside sum, drawdown and turnover.
#include "engine/metrics/metrics.hpp"

#include "engine/core/error.hpp"

#include <array>
#include <cmath>
#include <optional>

namespace rotor {

namespace {

constexpr double kNaN = Metrics::kNaN;

// Running mean and sum of squared deviations (Welford): one pass, and no cancellation when the
// mean is large against the spread, as with daily returns of a steadily growing curve.
struct Moments {
    double mean = 0.0;
    double m2 = 0.0;

    void add(double x, double invCount) {
        const double dx = x - mean;
        mean += dx * invCount;
        m2 += dx * (x - mean);
    }
    // Sample (n-1) standard deviation; NaN for fewer than 2 values, 0 for rounding noise.
    double stdev(Index count) const {
        if (count < 2) return kNaN;
        const double s = std::sqrt(m2 / static_cast<double>(count - 1));
        return s <= kZeroDailyStdev ? 0.0 : s;
    }
};

// Running co-moment of x and y, with the moments of y.
struct CoMoments {
    double meanX = 0.0;
    Moments y;
    double cxy = 0.0;

    void add(double x, double yv, double invCount) {
        const double dx = x - meanX;
        meanX += dx * invCount;
        y.add(yv, invCount);
        cxy += dx * (yv - y.mean);
    }
};

// num / den, or NaN when den is 0 (an undefined ratio, never reported as 0) or NaN.
double ratio(double num, double den) { return den > 0.0 ? num / den : kNaN; }

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
    double prev = e0;
    double prevBench = 0.0;
    if (bench) {
        prevBench = (*bench)[0];
        requireEquity(prevBench, 0, "benchmark equity");
    }

    Moments ret;        // r
    Moments excess;     // x = r - rf
    double downside2 = 0.0;  // sum of min(x, 0)^2
    CoMoments rb;       // (r, rb): cov(r, rb) and var(rb)
    double benchExcessSum = 0.0;  // sum of rb - rf
    Moments active;     // r - rb
    DrawdownTracker dd(e0);
    for (Index t = 1; t < days; ++t) {
        const double e = equity[t];
        const double rf = cash[t];
        requireEquity(e, t, "equity");
        ROTOR_REQUIRE(std::isfinite(rf), "cash return is " << rf << " on day " << t);
        const double invCount = 1.0 / static_cast<double>(t);
        const double r = e / prev - 1.0;
        prev = e;
        ret.add(r, invCount);
        const double x = r - rf;
        excess.add(x, invCount);
        if (x < 0.0) downside2 += x * x;
        dd.add(t, e);
        if (bench) {
            const double b = (*bench)[t];
            requireEquity(b, t, "benchmark equity");
            const double rbt = b / prevBench - 1.0;
            prevBench = b;
            rb.add(r, rbt, invCount);
            benchExcessSum += rbt - rf;
            active.add(r - rbt, invCount);
        }
    }

    const Index n = days - 1;
    const double nd = static_cast<double>(n);
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
        const double sdB = rb.y.stdev(n);
        // cov / var with both sample (n-1) normalisations, which cancel.
        m.beta = ratio(rb.cxy, sdB > 0.0 ? rb.y.m2 : 0.0);
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
        {"drawdown_peak",
         [](const Metrics& m) { return static_cast<double>(m.maxDrawdown.peak); }},
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
