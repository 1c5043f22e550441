// SPDX-License-Identifier: MIT
#include "engine/montecarlo/band_histogram.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numbers>
#include <tuple>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rotor {

BandHistogram::BandHistogram(Index days, Scale scale, double width, double lo, double hi)
    : scale_(scale), width_(width), lo_(lo), hi_(hi), binLo_(0), binHi_(0) {
    ROTOR_REQUIRE(days >= 0, "histogram with " << days << " days");
    ROTOR_REQUIRE(width > 0.0 && lo < hi && (scale == Scale::Linear || lo > 0.0),
                  "bad histogram grid: width " << width << ", range [" << lo << ", " << hi << "]");
    const double sLo = scale == Scale::Log ? std::log(lo) : lo;
    const double sHi = scale == Scale::Log ? std::log(hi) : hi;
    ROTOR_REQUIRE(std::abs(sLo / width) < 1e9 && std::abs(sHi / width) < 1e9,
                  "histogram grid too fine: " << (sHi - sLo) / width << " bins");
    binLo_ = static_cast<std::int32_t>(std::floor(sLo / width));
    binHi_ = static_cast<std::int32_t>(std::floor(sHi / width));
    windows_.resize(static_cast<std::size_t>(days));
    int exponent = 0;
    const bool powerOfTwo = std::frexp(width, &exponent) == 0.5;
    // The lookup's buckets: 2^(1 - exponent) per binade of [lo, hi] (about 42,000 for wealth).
    const auto binades = static_cast<std::int64_t>(std::ceil((sHi - sLo) / std::numbers::ln2)) + 1;
    if (scale == Scale::Log && powerOfTwo && exponent <= 0 && exponent > -20 &&
        binHi_ - binLo_ <= kMaxLookupBins && sLo > -64.0 && sHi < 64.0 &&
        (binades << (1 - exponent)) <= kMaxLookupBuckets)
        lookup_ = logLookup(*this);
    // Exact: the inverse of a power of two is one, and scaling by it rounds nowhere on a grid
    // whose bins fit 32 bits (checked above).
    if (scale == Scale::Linear && powerOfTwo && exponent > -1000 && exponent < 1000)
        linearInverse_ = 1.0 / width;
}

BandHistogram BandHistogram::wealth(Index days) {
    return BandHistogram(days, Scale::Log, 1.0 / 512.0, 1e-6, 1e6);
}

BandHistogram BandHistogram::rate(Index days) {
    return BandHistogram(days, Scale::Linear, 1.0 / 2048.0, -100.0, 100.0);
}

std::int32_t BandHistogram::exactBin(double x) const {
    ROTOR_REQUIRE(!std::isnan(x), "histogram value is NaN");
    const double c = std::clamp(x, lo_, hi_);
    const double s = scale_ == Scale::Log ? std::log(c) : c;
    // Clamping again guards the edges against rounding in ln.
    return std::clamp(static_cast<std::int32_t>(std::floor(s / width_)), binLo_, binHi_);
}

std::shared_ptr<const BandHistogram::LogLookup> BandHistogram::logLookup(
    const BandHistogram& grid) {
    static std::mutex mutex;
    static std::map<std::tuple<double, double, double>, std::shared_ptr<const LogLookup>> cache;
    std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_tuple(grid.width_, grid.lo_, grid.hi_);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
    constexpr double inf = std::numeric_limits<double>::infinity();
    constexpr double margin = 2.0 * kEdgeMargin;
    const std::int32_t lo = grid.binLo_;
    const std::int64_t n = grid.binHi_ - lo;  // the last bin, 0-based
    // Bin k's lower edge (k = 0..n), -inf under the first bin and +inf over the last.
    const auto edge = [&grid, lo, n](std::int64_t k) {
        return k <= 0 ? -inf : k > n ? inf : std::exp(static_cast<double>(lo + k) * grid.width_);
    };
    auto g = std::make_shared<LogLookup>();
    int exponent = 0;
    std::frexp(grid.width_, &exponent);  // width = 2^(exponent - 1)
    const int mantissaBits = 2 - exponent;
    g->shift = 52 - mantissaBits;
    g->base = std::bit_cast<std::uint64_t>(grid.lo_) >> g->shift;
    const std::uint64_t last = std::bit_cast<std::uint64_t>(grid.hi_) >> g->shift;
    const std::int64_t grain = std::int64_t{1} << (g->shift - kGrainBits);
    g->records.resize(static_cast<std::size_t>(last - g->base) + 1);
    for (std::uint64_t i = g->base; i <= last; ++i) {
        const std::uint64_t start = i << g->shift;
        const double smallest = std::bit_cast<double>(start);
        const double largest = std::bit_cast<double>(((i + 1) << g->shift) - 1);
        const std::int64_t first = grid.exactBin(smallest) - lo;
        // The edge lies above the bucket's first bin, or (at most the margin) under its
        // smallest value: bins k and k + 1 around it, k the first bin or the one before.
        bool built = false;
        for (const std::int64_t k : {first, first - 1}) {
            if (k < 0 || k > n || !(edge(k) * (1.0 + margin) <= smallest) ||
                !(largest < edge(k + 2) * (1.0 - margin)))
                continue;
            // The thresholds as offsets in the bucket (positive doubles order as their bits).
            const auto offset = [start](double x) {
                return static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(x) - start);
            };
            const double e = edge(k + 1);
            const std::int64_t under = e == inf ? std::int64_t{kGrains} * grain
                                                : offset(e * (1.0 - margin));
            const std::int64_t q = std::clamp<std::int64_t>(
                under >= 0 ? under / grain : -((-under + grain - 1) / grain), -1, kGrains);
            // Grains [q + 2, ...) must lie over e (1 + margin): the thresholds are ~4e-13 e
            // apart, a few thousand ulps, and a grain is 2^27 ulps on the wealth grid.
            if (q < kGrains && (q + 2) * grain < offset(e * (1.0 + margin))) continue;
            g->records[static_cast<std::size_t>(i - g->base)] =
                (static_cast<std::uint32_t>(k) << 16) + static_cast<std::uint32_t>(0xfffe - q);
            built = true;
            break;
        }
        if (!built) return cache[key] = nullptr;  // every bin exactBin's
    }
    return cache[key] = std::move(g);
}

void BandHistogram::bins(const double* x, std::size_t n, std::int32_t* out) const {
    const double inverse = linearInverse_;
    const double lo = lo_;
    const double hi = hi_;
    const std::int32_t binLo = binLo_;
    const std::int32_t binHi = binHi_;
    // bin()'s first case without a call in the loop, so that the locals stay in registers:
    // values outside it (none on a rate path, unless NaN or clamped) are taken afterwards, as
    // is everything on a grid without a linear inverse.
    const auto inside = [&](double v) { return inverse > 0.0 && v >= lo && v <= hi; };
    bool rest = !(inverse > 0.0);
    std::size_t i = 0;
#if defined(__SSE2__)
    // Two values a step: floor(y) as truncation (CVTTPD2DQ, exact for |y| < 2^31) less one
    // where the truncation lies above y, then the clamp as selects; the same integers as
    // bin()'s scalar floor and clamp.
    constexpr double kExact = 2147483520.0;  // under 2^31
    if (!rest && std::abs(lo * inverse) < kExact && std::abs(hi * inverse) < kExact) {
        const __m128d vInverse = _mm_set1_pd(inverse);
        const __m128d vLo = _mm_set1_pd(lo);
        const __m128d vHi = _mm_set1_pd(hi);
        const __m128i vBinLo = _mm_set1_epi32(binLo);
        const __m128i vBinHi = _mm_set1_epi32(binHi);
        __m128d all = _mm_castsi128_pd(_mm_set1_epi32(-1));
        for (; i + 2 <= n; i += 2) {
            const __m128d v = _mm_loadu_pd(x + i);
            const __m128d in = _mm_and_pd(_mm_cmpge_pd(v, vLo), _mm_cmple_pd(v, vHi));
            all = _mm_and_pd(all, in);
            const __m128d y = _mm_mul_pd(_mm_and_pd(v, in), vInverse);  // 0 outside
            __m128i b = _mm_cvttpd_epi32(y);
            const __m128d above = _mm_cmpgt_pd(_mm_cvtepi32_pd(b), y);
            // The two lanes' masks (64 bits each) into the low two 32-bit lanes.
            b = _mm_add_epi32(b, _mm_shuffle_epi32(_mm_castpd_si128(above), 0x08));
            const __m128i low = _mm_cmplt_epi32(b, vBinLo);
            b = _mm_or_si128(_mm_and_si128(low, vBinLo), _mm_andnot_si128(low, b));
            const __m128i high = _mm_cmpgt_epi32(b, vBinHi);
            b = _mm_or_si128(_mm_and_si128(high, vBinHi), _mm_andnot_si128(high, b));
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i), b);
        }
        rest = _mm_movemask_pd(all) != 3;
    }
#endif
    for (; i < n; ++i) {
        const bool ok = inside(x[i]);
        const double v = ok ? x[i] : 0.0;
        out[i] = std::clamp(static_cast<std::int32_t>(std::floor(v * inverse)), binLo, binHi);
        rest |= !ok;
    }
    if (rest)
        for (std::size_t k = 0; k < n; ++k)
            if (!inside(x[k])) out[k] = bin(x[k]);
}

void BandHistogram::binsOfQuotient(const double* a, std::size_t n, double d, double inv,
                                   std::int32_t* out) const {
    if (!lookup_) {
        for (std::size_t i = 0; i < n; ++i) out[i] = bin(a[i] / d);
        return;
    }
    // binOfQuotient's lookup written out, with the table in locals, which the stores to `out`
    // could otherwise alias, and without a branch on the value (which side of its bucket's
    // edge it lies on is a coin toss). Undecided values are marked, and taken after the loop
    // so that the loop makes no call.
    constexpr std::int32_t kUndecided = std::numeric_limits<std::int32_t>::min();  // no bin
    const LogLookup& g = *lookup_;
    const std::uint32_t* records = g.records.data();
    const std::size_t buckets = g.records.size();
    const std::uint64_t base = g.base;
    const std::int32_t binLo = binLo_;
    std::int32_t undecided = 0;
    // The shifts as constants on the wealth grid's buckets (a shift by a register costs more).
    const auto series = [&](auto shift) {
        const int grainShift = shift - kGrainBits;
        for (std::size_t i = 0; i < n; ++i) {
            const auto bits = std::bit_cast<std::uint64_t>(a[i] * inv);
            const std::uint64_t bucket = (bits >> shift) - base;
            std::int32_t b = -1;
            if (bucket < buckets) b = LogLookup::binOf(bits, records[bucket], grainShift);
            out[i] = b < 0 ? kUndecided : binLo + b;
            undecided |= b < 0 ? 1 : 0;
        }
    };
    if (g.shift == kWealthShift)
        series(std::integral_constant<int, kWealthShift>{});
    else
        series(g.shift);
    if (undecided != 0)
        for (std::size_t i = 0; i < n; ++i)
            if (out[i] == kUndecided) out[i] = bin(a[i] / d);
}

double BandHistogram::binValue(std::int32_t b) const {
    const double mid = (static_cast<double>(b) + 0.5) * width_;
    return scale_ == Scale::Log ? std::exp(mid) : mid;
}

std::int32_t BandHistogram::newPage() {
    if (static_cast<std::size_t>(pagesUsed_) * kPageBins == lows_.size())
        lows_.resize(lows_.size() + static_cast<std::size_t>(kBlockPages) * kPageBins, Low{0});
    highOf_.push_back(kNoPage);
    return pagesUsed_++;
}

std::uint32_t* BandHistogram::highPage(std::int32_t number, bool allocate) {
    std::int32_t& h = highOf_[static_cast<std::size_t>(number)];
    if (h == kNoPage) {
        if (!allocate) return nullptr;
        if (highUsed_ == static_cast<std::int32_t>(highBlocks_.size()) * kBlockPages)
            highBlocks_.emplace_back(static_cast<std::size_t>(kBlockPages) * kPageBins, 0u);
        h = highUsed_++;
    }
    return highBlocks_[static_cast<std::size_t>(h >> kBlockShift)].data() + slot(h);
}

std::int32_t BandHistogram::pageFor(Window& w, std::int32_t b) {
    const std::int32_t p = pageOf(b);
    const auto size = static_cast<std::int32_t>(w.pages.size());
    if (size == 0 || p < w.firstPage || p >= w.firstPage + size) {
        // Widen the page table (4 bytes per page) with slack so that it settles quickly.
        const std::int32_t slack = std::max<std::int32_t>(4, size / 2);
        const std::int32_t oldLo = size > 0 ? w.firstPage : p;
        const std::int32_t oldHi = size > 0 ? w.firstPage + size : p + 1;
        const std::int32_t lo = std::max(pageOf(binLo_), std::min(oldLo, p) - slack);
        const std::int32_t hi = std::min(pageOf(binHi_) + 1, std::max(oldHi, p + 1) + slack);
        std::vector<std::int32_t> grown(static_cast<std::size_t>(hi - lo), kNoPage);
        std::copy(w.pages.begin(), w.pages.end(),
                  grown.begin() + static_cast<std::ptrdiff_t>(oldLo - lo));
        w.pages.swap(grown);
        w.firstPage = lo;
    }
    std::int32_t& number = w.pages[static_cast<std::size_t>(p - w.firstPage)];
    if (number == kNoPage) number = newPage();
    return number;
}

void BandHistogram::add(const std::int32_t* bins) {
    for (std::size_t t = 0; t < windows_.size(); ++t) {
        Window& w = windows_[t];
        const std::int32_t number = pageFor(w, bins[t]);
        const std::int32_t j = bins[t] & (kPageBins - 1);
        ROTOR_REQUIRE(countAt(number, j) < std::numeric_limits<std::uint32_t>::max(),
                      "histogram bin overflow");
        increment(number, j);
        ++w.total;
    }
}

void BandHistogram::add(const std::int32_t* bins, std::size_t paths) {
    const std::size_t days = windows_.size();
    for (std::size_t t = 0; t < days; ++t) {
        Window& w = windows_[t];
        // No bin holds more than the day's total: while that stays within 32 bits no counter
        // can overflow, and the check per value is skipped.
        const bool roomy = w.total + paths <= std::numeric_limits<std::uint32_t>::max();
        // The window's table and the low bytes as locals, reloaded only after pageFor(), which
        // may grow either (a carry touches neither).
        const std::int32_t* pages = w.pages.data();
        std::size_t size = roomy ? w.pages.size() : 0;  // 0: every value takes pageFor()
        std::int64_t first = w.firstPage;
        Low* lows = lows_.data();
        for (std::size_t k = 0; k < paths; ++k) {
            const std::int32_t b = bins[k * days + t];
            const std::int32_t j = b & (kPageBins - 1);
            // The common case inline: the bin's page is in the table and allocated.
            const auto i = static_cast<std::size_t>(static_cast<std::int64_t>(pageOf(b)) - first);
            if (i < size) {
                const std::int32_t number = pages[i];
                if (number != kNoPage) {
                    Low& c = lows[(static_cast<std::size_t>(number) << kPageShift) +
                                  static_cast<std::size_t>(j)];
                    if (++c == Low{0}) carry(number, j);
                    continue;
                }
            }
            const std::int32_t number = pageFor(w, b);
            ROTOR_REQUIRE(countAt(number, j) < std::numeric_limits<std::uint32_t>::max(),
                          "histogram bin overflow");
            increment(number, j);
            pages = w.pages.data();
            size = roomy ? w.pages.size() : 0;
            first = w.firstPage;
            lows = lows_.data();
        }
        w.total += paths;
    }
}

void BandHistogram::add(Index day, double x) {
    ROTOR_REQUIRE(day >= 0 && day < days(), "histogram day " << day << " outside 0.." << days());
    Window& w = windows_[static_cast<std::size_t>(day)];
    const std::int32_t b = bin(x);
    const std::int32_t number = pageFor(w, b);
    ROTOR_REQUIRE(countAt(number, b & (kPageBins - 1)) < std::numeric_limits<std::uint32_t>::max(),
                  "histogram bin overflow");
    increment(number, b & (kPageBins - 1));
    ++w.total;
}

void BandHistogram::addCounts(Index day, std::int32_t base, const std::uint32_t* counts,
                              std::size_t n) {
    ROTOR_REQUIRE(day >= 0 && day < days(), "histogram day " << day << " outside 0.." << days());
    if (n == 0) return;
    const auto last = static_cast<std::int64_t>(base) + static_cast<std::int64_t>(n) - 1;
    ROTOR_REQUIRE(base >= binLo_ && last <= binHi_, "histogram bins " << base << ".." << last
                                                                      << " outside " << binLo_
                                                                      << ".." << binHi_);
    Window& w = windows_[static_cast<std::size_t>(day)];
    for (std::size_t i = 0; i < n; ++i) {
        if (counts[i] == 0) continue;  // leaves untouched pages unallocated
        const std::int32_t b = base + static_cast<std::int32_t>(i);
        const std::int32_t number = pageFor(w, b);
        const std::int32_t j = b & (kPageBins - 1);
        const std::uint64_t c = countAt(number, j);
        ROTOR_REQUIRE(counts[i] <= std::numeric_limits<std::uint32_t>::max() - c,
                      "histogram bin overflow");
        const std::uint64_t sum = c + counts[i];
        page(number)[j] = static_cast<Low>(sum & 0xff);
        if (sum > 0xff) highPage(number, true)[j] = static_cast<std::uint32_t>(sum >> 8);
        w.total += counts[i];
    }
}

void BandHistogram::merge(const BandHistogram& other) {
    ROTOR_REQUIRE(other.scale_ == scale_ && other.width_ == width_ && other.lo_ == lo_ &&
                      other.hi_ == hi_ && other.days() == days(),
                  "merging histograms of different grids");
    for (Index t = 0; t < days(); ++t)
        other.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            addCounts(t, base, c, n);
        });
}

std::uint32_t BandHistogram::binCount(Index day, std::int32_t b) const {
    const Window& w = windows_.at(static_cast<std::size_t>(day));
    const std::int64_t i = static_cast<std::int64_t>(pageOf(b)) - w.firstPage;
    if (i < 0 || i >= static_cast<std::int64_t>(w.pages.size())) return 0;
    const std::int32_t number = w.pages[static_cast<std::size_t>(i)];
    return number == kNoPage ? 0 : static_cast<std::uint32_t>(countAt(number, b & (kPageBins - 1)));
}

std::uint64_t BandHistogram::count(Index day) const {
    return windows_[static_cast<std::size_t>(day)].total;
}

std::size_t BandHistogram::storageBytes() const {
    std::size_t bytes = lows_.capacity() * sizeof(Low) +
                        highBlocks_.size() * static_cast<std::size_t>(kBlockPages) * kPageBins *
                            sizeof(std::uint32_t) +
                        highOf_.capacity() * sizeof(std::int32_t);
    for (const Window& w : windows_) bytes += w.pages.capacity() * sizeof(std::int32_t);
    return bytes;
}

std::int32_t BandHistogram::orderStatisticBin(const Window& w, std::uint64_t k) const {
    std::uint64_t below = 0;
    std::int32_t lastBin = 0;
    for (std::size_t i = 0; i < w.pages.size(); ++i) {
        const std::int32_t number = w.pages[i];
        if (number == kNoPage) continue;
        const std::int32_t start = (w.firstPage + static_cast<std::int32_t>(i)) * kPageBins;
        for (std::int32_t j = 0; j < kPageBins; ++j) {
            below += countAt(number, j);
            if (below > k) return start + j;
        }
        lastBin = start + kPageBins - 1;
    }
    return lastBin;  // unreachable for k < total
}

Matrix BandHistogram::bands(const std::vector<double>& percentiles) const {
    const auto q = static_cast<Index>(percentiles.size());
    Matrix out(days(), q);
    for (Index t = 0; t < days(); ++t) {
        const Window& w = windows_[static_cast<std::size_t>(t)];
        for (Index j = 0; j < q; ++j) {
            if (w.total == 0) {
                out(t, j) = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            const double h = static_cast<double>(w.total - 1) *
                             percentiles[static_cast<std::size_t>(j)] / 100.0;
            const double fk = std::floor(h);
            const auto k = static_cast<std::uint64_t>(fk);
            const double f = h - fk;
            const double a = binValue(orderStatisticBin(w, k));
            if (f == 0.0 || k + 1 >= w.total) {
                out(t, j) = a;
                continue;
            }
            const double b = binValue(orderStatisticBin(w, k + 1));
            out(t, j) = a + f * (b - a);
        }
    }
    return out;
}

}  // namespace rotor
