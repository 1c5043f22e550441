// SPDX-License-Identifier: MIT
// Percentile bands over time from integer histograms on a fixed grid of bins. Counts are sums of
// integers, so the bands do not depend on the order in which paths were added: any thread count
// and chunk size give bit-identical bands. Precision is stated per grid (docs/results-format.md).
#pragma once

#include "engine/core/types.hpp"
#include "engine/scenario/path_generator.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace rotor {

class BandHistogram {
public:
    enum class Scale {
        Log,     // bins of equal width in ln(x): equal relative precision (wealth)
        Linear,  // bins of equal width in x (rates, which may be zero or negative)
    };

    // Counts are kept in pages of kPageBins consecutive bins, allocated only where a bin is
    // touched: a day's storage follows the bins its values fall in, not the span between its
    // extremes (heavy tails put single paths far out, and that span grows with the path count).
    // A page holds the counts' low bytes, one cache line; a byte that wraps carries into the
    // page's high part (a uint32 per bin, allocated on the page's first carry). Adding a batch
    // of paths touches a quarter of the memory 32-bit counters would.
    static constexpr int kPageShift = 6;
    static constexpr std::int32_t kPageBins = 1 << kPageShift;

    // `days` histograms; bin b holds s(x) in [b * width, (b + 1) * width) where s is ln or the
    // identity. Values outside [lo, hi] are clamped to them (and so counted in the edge bins).
    BandHistogram(Index days, Scale scale, double width, double lo, double hi);

    // Wealth (equity / initial capital): ln-bins of width 1/512 over [1e-6, 1e6]. A band is
    // reported from bin midpoints, so its relative error is at most exp(1/1024) - 1 < 0.0977%.
    static BandHistogram wealth(Index days);
    // Cash rates (annual percent): bins of 1/2048 percentage point over [-100, 100]. Absolute
    // error at most 1/4096 percentage point (0.025 bp).
    static BandHistogram rate(Index days);

    // The bin of x (clamped): floor(s(x) / width) as computed with std::log. Pure, so workers
    // compute bins outside any lock. Throws rotor::Error on NaN (no bin holds it).
    std::int32_t bin(double x) const {
        // A logarithm per value was a tenth of a Monte Carlo path (8 strategies x 251 days). On a
        // log grid with a lookup (see LogLookup) the bucket of x's top bits holds at most one
        // edge of the grid, and x is taken as the bin under or over it only when it lies more
        // than twice kEdgeMargin (relative) inside that bin's edges: there std::log's error
        // (under 1 ulp, at most 64 * 2^-52 on these grids) and the edges' (1 ulp of exp) cannot
        // move it across, and s / width is exact for a power-of-two width, so the bin is
        // exactBin's. Anything else (near an edge, outside the grid, NaN) takes exactBin.
        // A linear grid of power-of-two width: x / width is x times its exact inverse.
        if (linearInverse_ > 0.0 && x >= lo_ && x <= hi_)
            return std::clamp(static_cast<std::int32_t>(std::floor(x * linearInverse_)), binLo_,
                              binHi_);
        if (lookup_)
            if (const std::optional<std::int32_t> b = lookupBin(x)) return *b;
        return exactBin(x);
    }
    // out[i] = bin(x[i]) for i < n: the linear grid's bounds and inverse held in locals, which
    // stores to `out` could otherwise alias (binLo_ and binHi_ are int32 too). A rate path's
    // 251 bins.
    void bins(const double* x, std::size_t n, std::int32_t* out) const;
    // bin(a / d) for d > 0, given inv == 1.0 / d with both normal (the caller checks that
    // once): a * inv is within 3 ulps of the quotient a / d, so where it lies more than twice
    // kEdgeMargin inside a bin, a / d lies more than kEdgeMargin inside it and bin(a / d) is
    // that bin. Elsewhere it divides and takes bin(a / d). A wealth path's 251 bins without a
    // division each.
    std::int32_t binOfQuotient(double a, double d, double inv) const {
        if (lookup_)
            if (const std::optional<std::int32_t> b = lookupBin(a * inv)) return *b;
        return bin(a / d);
    }
    // out[i] = binOfQuotient(a[i], d, inv) for i < n: the lookup's tables held in locals, which
    // stores to `out` could otherwise alias.
    void binsOfQuotient(const double* a, std::size_t n, double d, double inv,
                        std::int32_t* out) const;
    // The value reported for bin b: its midpoint (in s-space, mapped back through exp for Log).
    double binValue(std::int32_t b) const;

    // Adds one path: bins[t] is the bin of day t's value, for all `days` days. Not thread-safe:
    // callers serialise access. Allocates only when a bin falls in a page not yet touched.
    void add(const std::int32_t* bins);
    // Adds `paths` paths at once: bins[k * days + t] is path k's bin on day t. Day-major updates
    // keep each day's pages hot in cache, which matters once there are many days and strategies.
    void add(const std::int32_t* bins, std::size_t paths);
    // Adds one value on one day (tests and small callers).
    void add(Index day, double x);

    // Adds every count of `other`, which must have the same grid and days: the histogram of
    // the union of both sets of paths, whatever the order (integer sums).
    void merge(const BandHistogram& other);

    // Day `day`'s counts as stored, as runs of consecutive bins in ascending order: f(base,
    // counts, n) for bins [base, base + n). Bins outside every run hold 0. Lets a histogram be
    // shipped between processes and rebuilt with addCounts.
    template <class F>
    void forEachRun(Index day, F&& f) const;
    // Adds counts[i] to bin base + i of day `day`; throws rotor::Error outside the grid.
    void addCounts(Index day, std::int32_t base, const std::uint32_t* counts, std::size_t n);
    // The count of bin b on day `day` (0 where nothing was added).
    std::uint32_t binCount(Index day, std::int32_t b) const;

    Index days() const { return static_cast<Index>(windows_.size()); }
    std::uint64_t count(Index day) const;
    // Bytes held by the counts and the page tables (for memory measurements).
    std::size_t storageBytes() const;

    // days x Q: for each day, the percentile at each level (percent, 0..100) of the values added,
    // with linear interpolation between order statistics (h = (n - 1) q / 100), each order
    // statistic taken at its bin's value. NaN on a day with no values.
    Matrix bands(const std::vector<double>& percentiles) const;

private:
    static constexpr double kEdgeMargin = 1e-13;  // relative; see bin()
    // The lookup's bin of x (a grid with a lookup) when x lies more than 2 kEdgeMargin
    // (relative) inside its edges; else none, and the caller takes the exact way.
    std::optional<std::int32_t> lookupBin(double x) const;
    static constexpr std::int32_t kNoPage = -1;
    // Low bytes: page n is lows_[n * kPageBins, (n + 1) * kPageBins), one array shared by all
    // days, grown kBlockPages pages at a time; so a counter's address is one shift and add
    // from its page number (adding a path is bound by such arithmetic, ~20 instructions a
    // count). High parts: pages carved out of blocks of kBlockPages pages, which never move. A
    // page is named by its number so that the histogram copies and moves as values.
    static constexpr int kBlockShift = 8;
    static constexpr std::int32_t kBlockPages = 1 << kBlockShift;
    // A count's low byte. char8_t, not unsigned char: a store through it cannot alias the page
    // tables, so adding keeps them in registers.
    using Low = char8_t;

    // One day: pages[i] is the number of the page holding bins [(firstPage + i) * kPageBins,
    // (firstPage + i + 1) * kPageBins), or kNoPage where no bin of it was touched.
    struct Window {
        std::int32_t firstPage = 0;
        std::vector<std::int32_t> pages;
        std::uint64_t total = 0;
    };
    static std::int32_t pageOf(std::int32_t b) { return b >> kPageShift; }  // floor division
    static std::size_t slot(std::int32_t number) {
        return static_cast<std::size_t>(number & (kBlockPages - 1)) * kPageBins;
    }
    Low* page(std::int32_t number) {
        return lows_.data() + (static_cast<std::size_t>(number) << kPageShift);
    }
    const Low* page(std::int32_t number) const {
        return lows_.data() + (static_cast<std::size_t>(number) << kPageShift);
    }
    // Page `number`'s high parts, or null before its first carry.
    const std::uint32_t* highPage(std::int32_t number) const {
        const std::int32_t h = highOf_[static_cast<std::size_t>(number)];
        return h == kNoPage
                   ? nullptr
                   : highBlocks_[static_cast<std::size_t>(h >> kBlockShift)].data() + slot(h);
    }
    std::uint32_t* highPage(std::int32_t number, bool allocate);
    // The count of bin j of page `number`.
    std::uint64_t countAt(std::int32_t number, std::int32_t j) const {
        const std::uint32_t* high = highPage(number);
        return (high != nullptr ? std::uint64_t{high[j]} << 8 : 0) +
               static_cast<std::uint64_t>(page(number)[j]);
    }
    // Bin j of page `number` wrapped its low byte to 0: one more in its high part.
    void carry(std::int32_t number, std::int32_t j) { ++highPage(number, true)[j]; }
    // Adds one to bin j of page `number`.
    void increment(std::int32_t number, std::int32_t j) {
        if (++page(number)[j] == Low{0}) carry(number, j);
    }
    // The page of bin b of window w, allocated if needed.
    std::int32_t pageFor(Window& w, std::int32_t b);
    std::int32_t newPage();
    // The bin holding the k-th (0-based) smallest value of window w.
    std::int32_t orderStatisticBin(const Window& w, std::uint64_t k) const;

    // floor(s(x) / width), clamped; bin() takes it where its shortcut could err.
    std::int32_t exactBin(double x) const;

    // For a log grid of a power-of-two width 2^-j, at most kMaxLookupBins bins, within e^+-64
    // (wealth). A bucket is a value's exponent and top j + 1 mantissa bits (its bits >> shift),
    // so it spans less than one bin in ln and holds at most one edge e = exp(b * width) of the
    // grid, or lies within the margin above one (as exp(0) = 1 starts a bucket). The bucket's
    // other bits, its offset, are split into kGrains grains of 2^(shift - kGrainBits) ulps.
    // Bins k and k + 1 (0-based from binLo_) lie under and over e, grains [0, q) under
    // e (1 - 2 kEdgeMargin) and grains [q + 2, kGrains) over e (1 + 2 kEdgeMargin) (those
    // thresholds are less than one grain apart). So a value in grain u is bin k for u < q, bin
    // k + 1 for u >= q + 2, and undecided otherwise (at most 2 / kGrains of such a bucket).
    // The record, 4 bytes, is r = k * 2^16 + 2^16 - 2 - q, so that t = r + u is
    // (k + 1) * 2^16 + (u - q - 2) : t / 2^16 is the bin, and the low half of t is 2^16 - 2 or
    // 2^16 - 1 exactly for an undecided value (q runs from -1 to kGrains, u below kGrains).
    // When building, every value of the bucket is checked to lie more than the margin above
    // bin k's lower edge and under bin k + 1's upper edge; a grid where that fails for any
    // bucket gets no lookup. Values of the first and the last bucket outside [lo, hi] are
    // clamped by exactBin to binLo_ and binHi_, which is what the record says for them. One
    // table per grid, built once.
    static constexpr int kGrainBits = 15;
    static constexpr std::int32_t kGrains = 1 << kGrainBits;
    struct LogLookup {
        std::vector<std::uint32_t> records;  // per bucket from base
        int shift = 0;                       // bucket = (bits of x >> shift) - base
        std::uint64_t base = 0;
        // The bin (0-based) of a value of `bits` from its bucket's record r, or -1: undecided.
        // grainShift = shift - kGrainBits.
        static std::int32_t binOf(std::uint64_t bits, std::uint32_t r, int grainShift) {
            const std::uint32_t t = r + static_cast<std::uint32_t>(
                                            (bits >> grainShift) &
                                            static_cast<std::uint64_t>(kGrains - 1));
            return (t & 0xffffU) >= 0xfffeU ? -1 : static_cast<std::int32_t>(t >> 16);
        }
    };
    static constexpr std::int32_t kMaxLookupBins = (1 << 16) - 1;  // k fits 16 bits
    static constexpr int kWealthShift = 42;  // the shift of wealth()'s grid, bins of 2^-9
    static constexpr std::int64_t kMaxLookupBuckets = 1 << 20;
    static std::shared_ptr<const LogLookup> logLookup(const BandHistogram& grid);

    Scale scale_;
    double width_;
    double lo_, hi_;
    std::int32_t binLo_, binHi_;  // bins of lo and hi
    std::vector<Window> windows_;
    std::vector<Low> lows_;  // pagesUsed_ * kPageBins low bytes
    std::int32_t pagesUsed_ = 0;
    std::vector<std::int32_t> highOf_;  // per page: its high page's number, or kNoPage
    std::vector<std::vector<std::uint32_t>> highBlocks_;  // each kBlockPages * kPageBins
    std::int32_t highUsed_ = 0;
    std::shared_ptr<const LogLookup> lookup_;  // null: every bin is exactBin's
    double linearInverse_ = 0.0;  // 1 / width for a linear grid of power-of-two width, else 0
};

inline std::optional<std::int32_t> BandHistogram::lookupBin(double x) const {
    const LogLookup& g = *lookup_;
    const auto bits = std::bit_cast<std::uint64_t>(x);
    const std::uint64_t bucket = (bits >> g.shift) - g.base;  // negative x, NaN: out of range
    if (bucket >= g.records.size()) return std::nullopt;
    const std::int32_t b = LogLookup::binOf(bits, g.records[bucket], g.shift - kGrainBits);
    if (b < 0) return std::nullopt;
    return binLo_ + b;
}

template <class F>
void BandHistogram::forEachRun(Index day, F&& f) const {
    const Window& w = windows_.at(static_cast<std::size_t>(day));
    std::uint32_t counts[kPageBins];
    for (std::size_t i = 0; i < w.pages.size(); ++i)
        if (w.pages[i] != kNoPage) {
            // Edge pages reach past the grid, where their counts are 0: runs stay inside it.
            const std::int32_t start = (w.firstPage + static_cast<std::int32_t>(i)) * kPageBins;
            const std::int32_t lo = std::max(start, binLo_);
            const std::int32_t hi = std::min(start + kPageBins, binHi_ + 1);
            for (std::int32_t j = 0; j < kPageBins; ++j)  // each fits 32 bits (see add)
                counts[j] = static_cast<std::uint32_t>(countAt(w.pages[i], j));
            f(lo, counts + (lo - start), static_cast<std::size_t>(hi - lo));
        }
}

}  // namespace rotor
