// SPDX-License-Identifier: MIT
// What the backtest-model report draws and tabulates from the stored per-start scores: the PIT
// histogram against the uniform expectation with a sampling band, and band coverage against its
// nominal level (docs/backtest-model.md, "The report").
#pragma once

#include <cstddef>
#include <vector>

namespace rotor::report {

// A range of counts.
struct CountBand {
    double lo = 0.0;
    double hi = 0.0;
    bool holds(double count) const { return count >= lo && count <= hi; }
};

// The central `level` interval of a Binomial(n, p) count: lo is its (1 - level) / 2 quantile and
// hi its (1 + level) / 2 quantile (the smallest k with P(X <= k) >= q, as scipy's binom.ppf), so
// P(lo <= X <= hi) >= level. Exact: the probabilities are summed in log space from 40 standard
// deviations below the mean (the mass below is under 1e-300). n = 0 gives {0, 0}.
CountBand binomialBand(long n, double p, double level);

// Where a count of n starts that should fall with probability p is expected to fall, twice:
// `independent` if the n starts were independent (binomialBand(n, p, level)), and `overlapping`
// if they carry only the information of the m non-overlapping ones (overlapping horizons:
// binomialBand(m, p, level) scaled by n / m; equal to `independent` when m = n or m = 0).
struct SamplingBands {
    CountBand independent;
    CountBand overlapping;
};
SamplingBands samplingBands(long n, std::size_t nonOverlapping, double p, double level);

// A PIT histogram: counts in `bins` equal bins of [0, 1] (1 falls in the last), as the writer
// counts them; under calibration each bin expects n / bins starts.
struct PitHistogramData {
    std::vector<long> counts;
    long starts = 0;  // n, the sum of the counts
    double expected = 0.0;
    SamplingBands bands;                 // of one bin's count, p = 1 / bins
    std::size_t outsideIndependent = 0;  // bins whose count is outside bands.independent
    std::size_t outsideOverlapping = 0;  // ... outside bands.overlapping
};
// `pit` must hold values in [0, 1] (the reader checks); `nonOverlapping` is the KS starts' count.
PitHistogramData pitHistogramData(const std::vector<double>& pit, int bins,
                                  std::size_t nonOverlapping, double level = 0.9);

// Coverage of a central band of nominal probability `nominal` from per-start flags (1: the band
// held the outcome, 0: it did not).
struct CoverageData {
    double nominal = 0.0;
    long inside = 0;
    long starts = 0;
    double realised = 0.0;  // inside / starts (NaN without starts)
    SamplingBands bands;    // of the count inside, p = nominal
};
CoverageData coverageData(const std::vector<double>& flags, double nominal,
                          std::size_t nonOverlapping, double level = 0.9);

}  // namespace rotor::report
