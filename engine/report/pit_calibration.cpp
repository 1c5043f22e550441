// SPDX-License-Identifier: MIT
// Binomial sampling bands for PIT histograms and band coverage.
#include "engine/report/pit_calibration.hpp"

#include "engine/montecarlo/forecast_scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rotor::report {

CountBand binomialBand(long n, double p, double level) {
    if (n <= 0) return {};
    if (!(p > 0.0)) return {0.0, 0.0};
    const auto nd = static_cast<double>(n);
    if (!(p < 1.0)) return {nd, nd};
    const double qLo = (1.0 - level) / 2.0, qHi = (1.0 + level) / 2.0;
    const double mean = nd * p, sd = std::sqrt(nd * p * (1.0 - p));
    const long from = std::max(0L, static_cast<long>(std::floor(mean - 40.0 * sd)));
    const double logP = std::log(p), logQ = std::log1p(-p), logNFact = std::lgamma(nd + 1.0);
    const double none = std::numeric_limits<double>::quiet_NaN();
    CountBand band{none, none};
    double cdf = 0.0;
    for (long k = from; k <= n; ++k) {
        const auto kd = static_cast<double>(k);
        cdf += std::exp(logNFact - std::lgamma(kd + 1.0) - std::lgamma(nd - kd + 1.0) + kd * logP +
                        (nd - kd) * logQ);
        if (std::isnan(band.lo) && cdf >= qLo) band.lo = kd;
        if (cdf >= qHi) {
            band.hi = kd;
            break;
        }
    }
    // Rounding can leave the summed mass a hair under qHi at k = n.
    if (std::isnan(band.lo)) band.lo = nd;
    if (std::isnan(band.hi)) band.hi = nd;
    return band;
}

SamplingBands samplingBands(long n, std::size_t nonOverlapping, double p, double level) {
    SamplingBands b;
    b.independent = binomialBand(n, p, level);
    const auto m = static_cast<long>(nonOverlapping);
    if (m <= 0 || m >= n) {
        b.overlapping = b.independent;
        return b;
    }
    const CountBand few = binomialBand(m, p, level);
    const double scale = static_cast<double>(n) / static_cast<double>(m);
    b.overlapping = {few.lo * scale, few.hi * scale};
    return b;
}

PitHistogramData pitHistogramData(const std::vector<double>& pit, int bins,
                                  std::size_t nonOverlapping, double level) {
    PitHistogramData h;
    h.counts = pitHistogram(pit, bins);
    h.starts = static_cast<long>(pit.size());
    h.expected = static_cast<double>(h.starts) / bins;
    h.bands = samplingBands(h.starts, nonOverlapping, 1.0 / bins, level);
    for (long c : h.counts) {
        const auto cd = static_cast<double>(c);
        if (!h.bands.independent.holds(cd)) ++h.outsideIndependent;
        if (!h.bands.overlapping.holds(cd)) ++h.outsideOverlapping;
    }
    return h;
}

CoverageData coverageData(const std::vector<double>& flags, double nominal,
                          std::size_t nonOverlapping, double level) {
    CoverageData c;
    c.nominal = nominal;
    c.starts = static_cast<long>(flags.size());
    c.inside = static_cast<long>(
        std::count_if(flags.begin(), flags.end(), [](double f) { return f != 0.0; }));
    c.realised = c.starts ? static_cast<double>(c.inside) / static_cast<double>(c.starts)
                          : std::numeric_limits<double>::quiet_NaN();
    c.bands = samplingBands(c.starts, nonOverlapping, nominal, level);
    return c;
}

}  // namespace rotor::report
