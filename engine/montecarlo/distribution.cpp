// SPDX-License-Identifier: MIT
#include "engine/montecarlo/distribution.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rotor {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> sortedValues(const Vector& v) {
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(v.size()));
    for (Index i = 0; i < v.size(); ++i)
        if (!std::isnan(v(i))) out.push_back(v(i));
    std::sort(out.begin(), out.end());
    return out;
}

void sortValues(std::vector<double>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    std::sort(v.begin(), v.end());
}

double percentileOfSorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return kNaN;
    ROTOR_REQUIRE(q >= 0.0 && q <= 100.0, "percentile " << q << " outside [0, 100]");
    const double h = static_cast<double>(sorted.size() - 1) * q / 100.0;
    const double fk = std::floor(h);
    const auto k = static_cast<std::size_t>(fk);
    const double f = h - fk;
    if (f == 0.0 || k + 1 >= sorted.size()) return sorted[k];
    return sorted[k] + f * (sorted[k + 1] - sorted[k]);
}

double percentileOf(const Vector& v, double q) { return percentileOfSorted(sortedValues(v), q); }

double cvarOfSorted(const std::vector<double>& sortedWealth, double alpha) {
    ROTOR_REQUIRE(!sortedWealth.empty(), "CVaR of no paths");
    ROTOR_REQUIRE(alpha > 0.0 && alpha <= 1.0, "CVaR level " << alpha << " outside (0, 1]");
    const double tail = alpha * static_cast<double>(sortedWealth.size());
    const auto m = static_cast<std::size_t>(std::floor(tail));
    double sum = 0.0;
    for (std::size_t i = 0; i < m; ++i) sum += 1.0 - sortedWealth[i];
    const double frac = tail - static_cast<double>(m);
    if (frac > 0.0) sum += frac * (1.0 - sortedWealth[m]);
    return sum / tail;
}

DistributionSummary summarizeWealth(const Vector& wealth, const Vector* benchmark,
                                    const std::vector<double>& percentiles) {
    ROTOR_REQUIRE(benchmark == nullptr || benchmark->size() == wealth.size(),
                  "benchmark has " << (benchmark ? benchmark->size() : 0) << " paths, expected "
                                   << wealth.size());
    std::uint64_t beats = 0;
    if (benchmark != nullptr)
        for (Index i = 0; i < wealth.size(); ++i)
            if (wealth(i) > (*benchmark)(i)) ++beats;
    return summarizeWealthValues(std::vector<double>(wealth.data(), wealth.data() + wealth.size()),
                                 benchmark != nullptr ? &beats : nullptr, percentiles);
}

DistributionSummary summarizeWealthValues(std::vector<double> wealth, const std::uint64_t* beats,
                                          const std::vector<double>& percentiles) {
    const std::size_t n = wealth.size();
    ROTOR_REQUIRE(n >= 1, "summary of no paths");
    for (std::size_t i = 0; i < n; ++i)
        ROTOR_REQUIRE(std::isfinite(wealth[i]),
                      "terminal wealth of path " << i << " is " << wealth[i]);
    DistributionSummary s;
    const double count = static_cast<double>(n);
    // Sums in path order, before sorting: the figures do not depend on how paths were stored.
    double sum = 0.0;
    for (double w : wealth) sum += w;
    s.mean = sum / count;
    // Two passes: the deviations are small next to the mean, so this keeps full precision.
    double ss = 0.0;
    for (double w : wealth) ss += (w - s.mean) * (w - s.mean);
    s.stdev = n >= 2 ? std::sqrt(ss / (count - 1.0)) : kNaN;
    std::size_t losses = 0;
    for (double w : wealth)
        if (w < 1.0) ++losses;

    std::sort(wealth.begin(), wealth.end());  // all finite
    for (double q : percentiles) s.percentiles.push_back(percentileOfSorted(wealth, q));
    s.probLoss = static_cast<double>(losses) / count;
    s.probBeatBenchmark = beats != nullptr ? static_cast<double>(*beats) / count : kNaN;
    s.var95 = 1.0 - percentileOfSorted(wealth, 5.0);
    s.cvar95 = cvarOfSorted(wealth, 0.05);
    return s;
}

void summarizeCagr(std::vector<double> cagr, PathMetricsSummary& out) {
    sortValues(cagr);
    out.medianCagr = percentileOfSorted(cagr, 50.0);
    out.p05Cagr = percentileOfSorted(cagr, 5.0);
    out.p95Cagr = percentileOfSorted(cagr, 95.0);
}

PathMetricsSummary summarizePathMetrics(const PathMetrics& paths) {
    PathMetricsSummary s;
    const std::vector<double> cagr = sortedValues(paths.cagr);
    s.medianCagr = percentileOfSorted(cagr, 50.0);
    s.p05Cagr = percentileOfSorted(cagr, 5.0);
    s.p95Cagr = percentileOfSorted(cagr, 95.0);
    s.medianMaxDrawdown = percentileOf(paths.maxDrawdown, 50.0);
    return s;
}

double percentileRank(const Vector& values, double x) {
    if (values.size() == 0) return kNaN;
    double below = 0.0;
    for (Index i = 0; i < values.size(); ++i) {
        if (values(i) < x)
            below += 1.0;
        else if (values(i) == x)
            below += 0.5;
    }
    return 100.0 * below / static_cast<double>(values.size());
}

double percentileRank(const std::vector<double>& values, double x) {
    if (values.empty()) return kNaN;
    double below = 0.0;
    for (double v : values) {
        if (v < x)
            below += 1.0;
        else if (v == x)
            below += 0.5;
    }
    return 100.0 * below / static_cast<double>(values.size());
}

}  // namespace rotor
