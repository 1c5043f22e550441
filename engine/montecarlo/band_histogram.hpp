// SPDX-License-Identifier: MIT
// Percentile bands over time from integer histograms on a fixed grid of bins. Counts are sums of
// integers, so the bands do not depend on the order in which paths were added: any thread count
// and chunk size give bit-identical bands. Precision is stated per grid (docs/results-format.md).
#pragma once

#include "engine/core/types.hpp"
#include "engine/scenario/path_generator.hpp"

#include <cstdint>
#include <vector>

namespace rotor {

class BandHistogram {
public:
    enum class Scale {
        Log,     // bins of equal width in ln(x): equal relative precision (wealth)
        Linear,  // bins of equal width in x (rates, which may be zero or negative)
    };

    // `days` histograms; bin b holds s(x) in [b * width, (b + 1) * width) where s is ln or the
    // identity. Values outside [lo, hi] are clamped to them (and so counted in the edge bins).
    BandHistogram(Index days, Scale scale, double width, double lo, double hi);

    // Wealth (equity / initial capital): ln-bins of width 1/512 over [1e-6, 1e6]. A band is
    // reported from bin midpoints, so its relative error is at most exp(1/1024) - 1 < 0.0977%.
    static BandHistogram wealth(Index days);
    // Cash rates (annual percent): bins of 1/2048 percentage point over [-100, 100]. Absolute
    // error at most 1/4096 percentage point (0.025 bp).
    static BandHistogram rate(Index days);

    // The bin of x (clamped). Pure, so workers compute bins outside any lock. Requires x not NaN.
    std::int32_t bin(double x) const;
    // The value reported for bin b: its midpoint (in s-space, mapped back through exp for Log).
    double binValue(std::int32_t b) const;

    // Adds one path: bins[t] is the bin of day t's value, for all `days` days. Not thread-safe:
    // callers serialise access. Allocates only when a bin falls outside a day's current window.
    void add(const std::int32_t* bins);
    // Adds `paths` paths at once: bins[k * days + t] is path k's bin on day t. Day-major updates
    // keep each day's window hot in cache, which matters once there are many days and strategies.
    void add(const std::int32_t* bins, std::size_t paths);
    // Adds one value on one day (tests and small callers).
    void add(Index day, double x);

    // Adds every count of `other`, which must have the same grid and days: the histogram of
    // the union of both sets of paths, whatever the order (integer sums).
    void merge(const BandHistogram& other);

    // Day `day`'s counts as stored: bins [windowBase(day), windowBase(day) + size) (so that a
    // histogram can be shipped between processes and rebuilt with addCounts).
    std::int32_t windowBase(Index day) const;
    const std::vector<std::uint32_t>& windowCounts(Index day) const;
    // Adds counts[i] to bin base + i of day `day`; throws rotor::Error outside the grid.
    void addCounts(Index day, std::int32_t base, const std::uint32_t* counts, std::size_t n);

    Index days() const { return static_cast<Index>(windows_.size()); }
    std::uint64_t count(Index day) const;

    // days x Q: for each day, the percentile at each level (percent, 0..100) of the values added,
    // with linear interpolation between order statistics (h = (n - 1) q / 100), each order
    // statistic taken at its bin's value. NaN on a day with no values.
    Matrix bands(const std::vector<double>& percentiles) const;

private:
    // Counts of the bins [base, base + counts.size()) of one day; grows on demand.
    struct Window {
        std::int32_t base = 0;
        std::vector<std::uint32_t> counts;
        std::uint64_t total = 0;
    };
    void ensure(Window& w, std::int32_t b);
    // The bin holding the k-th (0-based) smallest value of window w.
    static std::int32_t orderStatisticBin(const Window& w, std::uint64_t k);

    Scale scale_;
    double width_;
    double lo_, hi_;
    std::int32_t binLo_, binHi_;  // bins of lo and hi
    std::vector<Window> windows_;
};

}  // namespace rotor
