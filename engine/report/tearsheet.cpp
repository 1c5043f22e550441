// SPDX-License-Identifier: MIT
// Tear-sheet statistics from stored daily series (docs/report.md).
#include "engine/report/tearsheet.hpp"

#include "engine/core/date.hpp"
#include "engine/core/error.hpp"
#include "engine/montecarlo/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rotor::report {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kDaysPerYear = 252.0;

int yearOf(const std::string& iso) { return std::stoi(iso.substr(0, 4)); }
int monthOf(const std::string& iso) { return std::stoi(iso.substr(5, 2)); }

Date parse(const std::string& iso) {
    const auto d = Date::parseIso(iso);
    if (!d) throw Error("report: not an ISO date: '" + iso + "'");
    return *d;
}

// Period returns where `key` maps a date to its period; periods end on their last trading day.
template <class Key>
std::vector<PeriodReturn> periodReturns(const std::vector<std::string>& dates,
                                        const std::vector<double>& equity, double capital,
                                        Key key) {
    std::vector<PeriodReturn> out;
    const std::size_t n = std::min(dates.size(), equity.size());
    double base = capital;
    for (std::size_t t = 0; t < n; ++t) {
        const bool last = t + 1 == n || key(dates[t + 1]) != key(dates[t]);
        if (!last) continue;
        out.push_back({yearOf(dates[t]), key(dates[t]) % 100, equity[t] / base - 1.0});
        base = equity[t];
    }
    return out;
}

double mean(const double* x, std::size_t n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += x[i];
    return s / static_cast<double>(n);
}

// Sample covariance of x and y over n values with means mx, my.
double cov(const double* x, const double* y, std::size_t n, double mx, double my) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (x[i] - mx) * (y[i] - my);
    return s / static_cast<double>(n - 1);
}

}  // namespace

std::vector<double> dailyReturns(const std::vector<double>& equity) {
    std::vector<double> r;
    for (std::size_t t = 1; t < equity.size(); ++t) r.push_back(equity[t] / equity[t - 1] - 1.0);
    return r;
}

std::vector<double> cashReturns(const std::vector<std::string>& dates,
                                const std::vector<double>& ratePct) {
    std::vector<double> rf;
    const std::size_t n = std::min(dates.size(), ratePct.size());
    for (std::size_t t = 1; t < n; ++t) {
        const int days = parse(dates[t]) - parse(dates[t - 1]);
        rf.push_back(ratePct[t - 1] / 100.0 * days / 360.0);
    }
    return rf;
}

std::vector<PeriodReturn> monthlyReturns(const std::vector<std::string>& dates,
                                         const std::vector<double>& equity, double capital) {
    // The key is yyyymm; `% 100` in periodReturns recovers the month.
    return periodReturns(dates, equity, capital,
                         [](const std::string& d) { return yearOf(d) * 100 + monthOf(d); });
}

std::vector<PeriodReturn> yearlyReturns(const std::vector<std::string>& dates,
                                        const std::vector<double>& equity, double capital) {
    // The key is yyyy00, so the month comes out as 0.
    return periodReturns(dates, equity, capital,
                         [](const std::string& d) { return yearOf(d) * 100; });
}

RollingStats rollingStats(const std::vector<double>& returns, const std::vector<double>& cash,
                          const std::vector<double>* benchmark, std::size_t window) {
    const std::size_t n = returns.size();
    RollingStats s;
    s.volatility.assign(n + 1, kNan);
    s.sharpe.assign(n + 1, kNan);
    s.beta.assign(n + 1, kNan);
    if (window < 2 || n < window) return s;
    std::vector<double> excess(n);
    for (std::size_t i = 0; i < n; ++i) excess[i] = returns[i] - (i < cash.size() ? cash[i] : 0.0);
    const double annual = std::sqrt(kDaysPerYear);
    for (std::size_t end = window; end <= n; ++end) {
        const std::size_t from = end - window;  // returns[from..end) end on day `end`
        const double* r = returns.data() + from;
        const double mr = mean(r, window);
        const double sdR = std::sqrt(cov(r, r, window, mr, mr));
        s.volatility[end] = sdR * annual;
        const double* x = excess.data() + from;
        const double mx = mean(x, window);
        const double sdX = std::sqrt(cov(x, x, window, mx, mx));
        s.sharpe[end] = sdX > 0 ? mx / sdX * annual : kNan;
        if (benchmark && benchmark->size() == n) {
            const double* b = benchmark->data() + from;
            const double mb = mean(b, window);
            const double vb = cov(b, b, window, mb, mb);
            s.beta[end] = vb > 0 ? cov(r, b, window, mr, mb) / vb : kNan;
        }
    }
    return s;
}

std::vector<DrawdownEpisode> worstDrawdowns(const std::vector<double>& equity, std::size_t count) {
    std::vector<DrawdownEpisode> all;
    const std::size_t n = equity.size();
    std::size_t peak = 0;
    bool under = false;
    DrawdownEpisode cur;
    for (std::size_t t = 1; t < n; ++t) {
        if (!under) {
            if (equity[t] >= equity[peak]) {
                peak = t;  // a new high, or the high touched again, moves the peak forward
                continue;
            }
            under = true;
            cur = {peak, t, -1, 0.0, 0};
        }
        if (equity[t] < equity[cur.trough]) cur.trough = t;
        if (equity[t] >= equity[cur.peak]) {
            cur.recovery = static_cast<long>(t);
            cur.depth = 1.0 - equity[cur.trough] / equity[cur.peak];
            cur.length = t - cur.peak;
            all.push_back(cur);
            under = false;
            peak = t;
        }
    }
    if (under) {
        cur.depth = 1.0 - equity[cur.trough] / equity[cur.peak];
        cur.length = n - 1 - cur.peak;
        all.push_back(cur);
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const DrawdownEpisode& a, const DrawdownEpisode& b) {
                         return a.depth > b.depth;
                     });
    if (all.size() > count) all.resize(count);
    return all;
}

ReturnStats returnStats(const std::vector<double>& r) {
    ReturnStats s{kNan, kNan, kNan, kNan, kNan};
    const std::size_t n = r.size();
    if (n == 0) return s;
    s.bestDay = *std::max_element(r.begin(), r.end());
    s.worstDay = *std::min_element(r.begin(), r.end());
    s.hitRate = static_cast<double>(
                    std::count_if(r.begin(), r.end(), [](double v) { return v > 0; })) /
                static_cast<double>(n);
    const double m = mean(r.data(), n);
    double m2 = 0, m3 = 0, m4 = 0;
    for (double v : r) {
        const double d = v - m;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    const double N = static_cast<double>(n);
    m2 /= N;
    m3 /= N;
    m4 /= N;
    if (!(m2 > 0)) return s;
    if (n >= 3) s.skew = std::sqrt(N * (N - 1)) / (N - 2) * m3 / std::pow(m2, 1.5);
    if (n >= 4) {
        const double g2 = m4 / (m2 * m2) - 3.0;
        s.kurtosis = ((N + 1) * g2 + 6.0) * (N - 1) / ((N - 2) * (N - 3));
    }
    return s;
}

Estimate meanEstimate(const std::vector<double>& v) {
    const std::size_t n = v.size();
    if (n == 0) return {kNan, kNan};
    const double m = mean(v.data(), n);
    if (n < 2) return {m, kNan};
    return {m, std::sqrt(cov(v.data(), v.data(), n, m, m) / static_cast<double>(n))};
}

Estimate shareBelowEstimate(const std::vector<double>& v, double threshold) {
    const std::size_t n = v.size();
    if (n == 0) return {kNan, kNan};
    const double p = static_cast<double>(std::count_if(v.begin(), v.end(),
                                                       [&](double x) { return x < threshold; })) /
                     static_cast<double>(n);
    return {p, std::sqrt(p * (1 - p) / static_cast<double>(n))};
}

Estimate medianEstimate(std::vector<double> v) {
    const std::size_t n = v.size();
    if (n == 0) return {kNan, kNan};
    std::sort(v.begin(), v.end());
    const double N = static_cast<double>(n);
    // 1-based ranks of the order statistics bracketing the median with 95% coverage.
    const double half = 0.98 * std::sqrt(N);
    const auto lo = static_cast<std::size_t>(std::clamp(std::round(N / 2 - half), 1.0, N));
    const auto hi = static_cast<std::size_t>(std::clamp(std::round(1 + N / 2 + half), 1.0, N));
    return {percentileOfSorted(v, 50), (v[hi - 1] - v[lo - 1]) / (2 * 1.96)};
}

}  // namespace rotor::report
