// SPDX-License-Identifier: MIT
#include "engine/montecarlo/forecast_scores.hpp"

#include <algorithm>
#include <cmath>

namespace rotor {

double pitMidRank(const std::vector<double>& sorted, double y) {
    const auto lo = std::lower_bound(sorted.begin(), sorted.end(), y);
    const auto hi = std::upper_bound(lo, sorted.end(), y);
    const auto below = static_cast<double>(lo - sorted.begin());
    const auto equal = static_cast<double>(hi - lo);
    return (below + 0.5 * equal) / static_cast<double>(sorted.size());
}

bool inCentralBand(double pit, double level) {
    return pit >= (1.0 - level) / 2.0 && pit <= (1.0 + level) / 2.0;
}

double sampleQuantile(const std::vector<double>& sorted, double q) {
    const double h = q * static_cast<double>(sorted.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(h));
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] + (h - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

double crpsSorted(const std::vector<double>& sorted, double y) {
    const auto n = static_cast<double>(sorted.size());
    double toY = 0.0, spread = 0.0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        toY += std::abs(sorted[i] - y);
        spread += (2.0 * static_cast<double>(i + 1) - n - 1.0) * sorted[i];
    }
    // 1/2 * (1/N^2) * 2 * spread
    return toY / n - spread / (n * n);
}

double kolmogorovTail(double lambda) {
    if (lambda < 1e-3) return 1.0;
    double sum = 0.0;
    for (int k = 1; k <= 100; ++k) {
        const double term = std::exp(-2.0 * k * k * lambda * lambda);
        sum += (k % 2 == 1 ? term : -term);
        if (term < 1e-16) break;
    }
    return std::clamp(2.0 * sum, 0.0, 1.0);
}

KsTest ksUniform(std::vector<double> u) {
    KsTest t;
    t.n = u.size();
    if (u.empty()) return t;
    std::sort(u.begin(), u.end());
    const auto n = static_cast<double>(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) {
        const double above = static_cast<double>(i + 1) / n - u[i];
        const double below = u[i] - static_cast<double>(i) / n;
        t.statistic = std::max({t.statistic, above, below});
    }
    const double s = std::sqrt(n);
    t.pValue = kolmogorovTail((s + 0.12 + 0.11 / s) * t.statistic);
    return t;
}

std::vector<long> pitHistogram(const std::vector<double>& u, int bins) {
    std::vector<long> out(static_cast<std::size_t>(bins), 0);
    for (double x : u) {
        const int b = std::clamp(static_cast<int>(std::floor(x * bins)), 0, bins - 1);
        ++out[static_cast<std::size_t>(b)];
    }
    return out;
}

}  // namespace rotor
