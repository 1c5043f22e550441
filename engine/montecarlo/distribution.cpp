// SPDX-License-Identifier: MIT
#include "engine/montecarlo/distribution.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rotor {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

namespace {

// Every rank that percentileOfSorted(sorted, q) reads for each q, and `extra`, ascending.
std::vector<std::size_t> ranksOf(std::size_t n, const std::vector<double>& qs,
                                 const std::vector<std::size_t>& extra = {}) {
    std::vector<std::size_t> ranks = extra;
    for (double q : qs) {
        const PercentilePoint p = percentilePoint(n, q);
        ranks.push_back(static_cast<std::size_t>(p.k));
        if (p.between) ranks.push_back(static_cast<std::size_t>(p.k) + 1);
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    return ranks;
}

// The values of `v` that are not NaN, with the ranks percentileOfSorted reads for each of `qs`
// in place (the rest in no particular order).
std::vector<double> selectedValues(const Vector& v, const std::vector<double>& qs) {
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(v.size()));
    for (Index i = 0; i < v.size(); ++i)
        if (!std::isnan(v(i))) out.push_back(v(i));
    if (!out.empty()) selectRanks(out.data(), out.size(), ranksOf(out.size(), qs));
    return out;
}

}  // namespace

std::vector<double> sortedValues(const Vector& v) {
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(v.size()));
    for (Index i = 0; i < v.size(); ++i)
        if (!std::isnan(v(i))) out.push_back(v(i));
    std::sort(out.begin(), out.end());
    return out;
}

PercentilePoint percentilePoint(std::uint64_t n, double q) {
    ROTOR_REQUIRE(n >= 1, "percentile of no values");
    ROTOR_REQUIRE(q >= 0.0 && q <= 100.0, "percentile " << q << " outside [0, 100]");
    const double h = static_cast<double>(n - 1) * q / 100.0;
    const double fk = std::floor(h);
    PercentilePoint p;
    p.k = static_cast<std::uint64_t>(fk);
    p.f = h - fk;
    p.between = !(p.f == 0.0 || p.k + 1 >= n);
    return p;
}

namespace {
double interpolate(const PercentilePoint& p, double lower, double upper) {
    return p.between ? lower + p.f * (upper - lower) : lower;
}
}  // namespace

double percentileOfSorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return kNaN;
    const PercentilePoint p = percentilePoint(sorted.size(), q);
    const auto k = static_cast<std::size_t>(p.k);
    return interpolate(p, sorted[k], p.between ? sorted[k + 1] : sorted[k]);
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

    // The order statistics the figures read, as the sorted vector's (all finite): the CVaR's
    // m = floor(0.05 n) worst paths ascending, and the percentiles' and VaR's ranks.
    const double tail = 0.05 * count;  // cvarOfSorted's
    const auto m = static_cast<std::size_t>(std::floor(tail));
    std::vector<double> levels = percentiles;
    levels.push_back(5.0);
    std::vector<std::size_t> ranks = ranksOf(n, levels, {m});
    ranks.erase(std::remove_if(ranks.begin(), ranks.end(),
                               [m, n](std::size_t k) { return k < m || k >= n; }),
                ranks.end());
    selectRanks(wealth.data(), wealth.size(), ranks);  // [0, m) now holds the m least values
    std::sort(wealth.begin(), wealth.begin() + static_cast<std::ptrdiff_t>(m));
    for (double q : percentiles) s.percentiles.push_back(percentileOfSorted(wealth, q));
    s.probLoss = static_cast<double>(losses) / count;
    s.probBeatBenchmark = beats != nullptr ? static_cast<double>(*beats) / count : kNaN;
    s.var95 = 1.0 - percentileOfSorted(wealth, 5.0);
    s.cvar95 = cvarOfSorted(wealth, 0.05);
    return s;
}

PathMetricsSummary summarizePathMetrics(const PathMetrics& paths) {
    PathMetricsSummary s;
    const std::vector<double> cagr = selectedValues(paths.cagr, {50.0, 5.0, 95.0});
    s.medianCagr = percentileOfSorted(cagr, 50.0);
    s.p05Cagr = percentileOfSorted(cagr, 5.0);
    s.p95Cagr = percentileOfSorted(cagr, 95.0);
    s.medianMaxDrawdown = percentileOfSorted(selectedValues(paths.maxDrawdown, {50.0}), 50.0);
    return s;
}

std::vector<double> percentilesOfColumn(ColumnSelection& column, const std::vector<double>& qs) {
    const std::uint64_t n = column.count();
    if (n == 0) return std::vector<double>(qs.size(), kNaN);
    std::vector<PercentilePoint> points;
    std::vector<RankRange> ranks;
    for (double q : qs) {
        points.push_back(percentilePoint(n, q));
        ranks.push_back({points.back().k, points.back().k + (points.back().between ? 2 : 1)});
    }
    std::map<std::uint64_t, double> at;
    column.visit(ranks, [&](std::uint64_t k, double v) { at[k] = v; });
    std::vector<double> out;
    for (const PercentilePoint& p : points)
        out.push_back(interpolate(p, at.at(p.k), p.between ? at.at(p.k + 1) : 0.0));
    return out;
}

DistributionSummary summarizeWealthColumn(const ColumnReader& wealth, const std::uint64_t* beats,
                                          const std::vector<double>& percentiles,
                                          std::size_t budget) {
    // The passes of summarizeWealthValues: sums in path order, then the order statistics.
    std::uint64_t n = 0;
    double sum = 0.0;
    std::size_t losses = 0;
    wealth([&](const double* v, std::size_t m) {
        for (std::size_t i = 0; i < m; ++i, ++n) {
            ROTOR_REQUIRE(std::isfinite(v[i]), "terminal wealth of path " << n << " is " << v[i]);
            sum += v[i];
            if (v[i] < 1.0) ++losses;
        }
    });
    ROTOR_REQUIRE(n >= 1, "summary of no paths");
    DistributionSummary s;
    const double count = static_cast<double>(n);
    s.mean = sum / count;
    double ss = 0.0;
    wealth([&](const double* v, std::size_t m) {
        for (std::size_t i = 0; i < m; ++i) ss += (v[i] - s.mean) * (v[i] - s.mean);
    });
    s.stdev = n >= 2 ? std::sqrt(ss / (count - 1.0)) : kNaN;

    ColumnSelection column(wealth, budget);
    ROTOR_REQUIRE(column.count() == n, "terminal wealth: the column changed between passes");
    // CVaR as cvarOfSorted: the m worst paths' losses summed in ascending order of wealth, then
    // the boundary path's fraction; selected together with the percentiles.
    const double tail = 0.05 * count;
    const auto m = static_cast<std::uint64_t>(std::floor(tail));
    const double frac = tail - static_cast<double>(m);
    std::vector<double> qs = percentiles;
    qs.push_back(5.0);  // VaR
    std::vector<PercentilePoint> points;
    std::vector<RankRange> ranks{{0, m + (frac > 0.0 ? 1 : 0)}};
    for (double q : qs) {
        points.push_back(percentilePoint(n, q));
        ranks.push_back({points.back().k, points.back().k + (points.back().between ? 2 : 1)});
    }
    std::map<std::uint64_t, double> at;
    double tailSum = 0.0;
    double boundary = 0.0;
    column.visit(ranks, [&](std::uint64_t k, double v) {
        if (k < m)
            tailSum += 1.0 - v;
        else if (k == m)
            boundary = v;
        for (const PercentilePoint& p : points)
            if (k == p.k || (p.between && k == p.k + 1)) at[k] = v;
    });
    for (std::size_t i = 0; i < percentiles.size(); ++i) {
        const PercentilePoint& p = points[i];
        s.percentiles.push_back(interpolate(p, at.at(p.k), p.between ? at.at(p.k + 1) : 0.0));
    }
    s.probLoss = static_cast<double>(losses) / count;
    s.probBeatBenchmark = beats != nullptr ? static_cast<double>(*beats) / count : kNaN;
    const PercentilePoint& var = points.back();
    s.var95 = 1.0 - interpolate(var, at.at(var.k), var.between ? at.at(var.k + 1) : 0.0);
    if (frac > 0.0) tailSum += frac * (1.0 - boundary);
    s.cvar95 = tailSum / tail;
    return s;
}

void summarizeCagrColumn(const ColumnReader& cagr, PathMetricsSummary& out, std::size_t budget) {
    ColumnSelection column(cagr, budget);
    const std::vector<double> p = percentilesOfColumn(column, {50.0, 5.0, 95.0});
    out.medianCagr = p[0];
    out.p05Cagr = p[1];
    out.p95Cagr = p[2];
}

double percentileRankOfColumn(const ColumnReader& values, double x) {
    std::uint64_t n = 0;
    double below = 0.0;
    values([&](const double* v, std::size_t m) {
        for (std::size_t i = 0; i < m; ++i) {
            if (v[i] < x)
                below += 1.0;
            else if (v[i] == x)
                below += 0.5;
        }
        n += m;
    });
    if (n == 0) return kNaN;
    return 100.0 * below / static_cast<double>(n);
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
