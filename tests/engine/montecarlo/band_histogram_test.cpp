// SPDX-License-Identifier: MIT
// Histogram bands against exact sorted percentiles of the same values (a second method in the
// test), within the stated bin precision; order independence; clamping at the grid's edges.
#include "engine/montecarlo/band_histogram.hpp"

#include "engine/core/error.hpp"
#include "engine/core/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace band_histogram_test {

// floor(ln(clamp(a / d)) * 512) clamped to the wealth grid, written out (the definition).
int wealthBinDefinition(double x) {
    const int lo = static_cast<int>(std::floor(std::log(1e-6) * 512.0));
    const int hi = static_cast<int>(std::floor(std::log(1e6) * 512.0));
    const double c = std::min(std::max(x, 1e-6), 1e6);
    return std::min(std::max(static_cast<int>(std::floor(std::log(c) * 512.0)), lo), hi);
}

// Exact percentile with linear interpolation between order statistics (h = (n - 1) q / 100).
double exactPercentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double h = static_cast<double>(v.size() - 1) * q / 100.0;
    const auto k = static_cast<std::size_t>(std::floor(h));
    if (k + 1 >= v.size()) return v[k];
    return v[k] + (h - std::floor(h)) * (v[k + 1] - v[k]);
}

const std::vector<double> kLevels = {0, 1, 5, 25, 50, 75, 95, 99, 100};

TEST(BandHistogram, WealthBinsAreWidth1Over512InLog) {
    const BandHistogram h = BandHistogram::wealth(1);
    EXPECT_EQ(h.bin(1.0), 0);                             // ln 1 = 0
    EXPECT_EQ(h.bin(std::exp(1.0 / 512.0) * 1.0001), 1);  // just above the first edge
    EXPECT_EQ(h.bin(0.999), -1);                          // ln 0.999 = -0.0010005 > -1/512
    EXPECT_EQ(h.bin(2.0), 354);                           // ln 2 * 512 = 354.89
    EXPECT_NEAR(h.binValue(0), std::exp(0.5 / 512.0), 1e-15);
}

// bin() finds the wealth bin without a logarithm where it can; it must agree everywhere with
// the definition, floor(ln(clamp(x)) * 512) clamped to the grid, written out here: at every
// edge of the grid and 1 to 4 ulps either side of it, on log-uniform values over and beyond
// the grid, at the clamped ends and on infinities. NaN has no bin.
TEST(BandHistogram, WealthBinIsFloorOfLogTimes512Everywhere) {
    const BandHistogram h = BandHistogram::wealth(1);
    const int lo = static_cast<int>(std::floor(std::log(1e-6) * 512.0));
    const int hi = static_cast<int>(std::floor(std::log(1e6) * 512.0));
    const auto definition = [lo, hi](double x) {
        const double c = std::min(std::max(x, 1e-6), 1e6);
        return std::min(std::max(static_cast<int>(std::floor(std::log(c) * 512.0)), lo), hi);
    };
    long checked = 0;
    for (int b = lo - 2; b <= hi + 2; ++b) {
        const double edge = std::exp(b / 512.0);
        double up = edge, down = edge;
        for (int k = 0; k <= 4; ++k) {
            ASSERT_EQ(h.bin(up), definition(up)) << b << " +" << k;
            ASSERT_EQ(h.bin(down), definition(down)) << b << " -" << k;
            up = std::nextafter(up, HUGE_VAL);
            down = std::nextafter(down, 0.0);
            checked += 2;
        }
    }
    Xoshiro256 rng(3, 0);
    for (int i = 0; i < 1000000; ++i) {
        const double x = std::exp(36.0 * (rng.uniform() - 0.5));  // e^-18 .. e^18
        ASSERT_EQ(h.bin(x), definition(x)) << x;
    }
    EXPECT_GT(checked, 140000);
    for (const double x : {0.0, 1e-300, 1e-6, 1e6, 1e300, HUGE_VAL, -1.0, -HUGE_VAL})
        EXPECT_EQ(h.bin(x), definition(x)) << x;
    EXPECT_EQ(h.bin(HUGE_VAL), hi);
    EXPECT_EQ(h.bin(0.0), lo);
    EXPECT_THROW(static_cast<void>(h.bin(std::nan(""))), Error);
    EXPECT_THROW(static_cast<void>(BandHistogram::rate(1).bin(std::nan(""))), Error);
    BandHistogram counted = BandHistogram::wealth(1);
    EXPECT_THROW(counted.add(0, std::nan("")), Error);
    EXPECT_EQ(counted.count(0), 0U);
}

// binOfQuotient(a, d, 1 / d) multiplies where bin(a / d) would divide: it must give the bin of
// the quotient as divided, floor(ln(a / d) * 512), for equities whose quotient by the capital
// lies exactly on, or 1 to 4 ulps either side of, every edge of the grid, for capitals that are
// not powers of two (1 / d inexact), on log-uniform values and at the clamped ends; NaN throws.
TEST(BandHistogram, WealthBinOfQuotientIsTheBinOfTheDividedValue) {
    const BandHistogram h = BandHistogram::wealth(1);
    long checked = 0;
    for (const double d : {1e6, 3.0, 1234567.891, 0.7, 1.0}) {
        const double inv = 1.0 / d;
        std::vector<double> all;  // every value below, for the batch form
        const int lo = wealthBinDefinition(0.0);
        const int hi = wealthBinDefinition(HUGE_VAL);
        for (int b = lo - 2; b <= hi + 2; b += d == 1e6 ? 1 : 7) {
            // The equity whose quotient is nearest the edge, then its neighbours in ulps: their
            // quotients land on and across the edge.
            const double edgeEquity = std::exp(b / 512.0) * d;
            double up = edgeEquity, down = edgeEquity;
            for (int k = 0; k <= 4; ++k) {
                all.push_back(up);
                all.push_back(down);
                ASSERT_EQ(h.binOfQuotient(up, d, inv), wealthBinDefinition(up / d))
                    << d << " " << b << " +" << k;
                ASSERT_EQ(h.binOfQuotient(down, d, inv), wealthBinDefinition(down / d))
                    << d << " " << b << " -" << k;
                up = std::nextafter(up, HUGE_VAL);
                down = std::nextafter(down, 0.0);
                checked += 2;
            }
        }
        Xoshiro256 rng(5, static_cast<std::uint64_t>(d * 1000.0));
        for (int i = 0; i < 200000; ++i) {
            const double a = d * std::exp(36.0 * (rng.uniform() - 0.5));
            all.push_back(a);
            ASSERT_EQ(h.binOfQuotient(a, d, inv), wealthBinDefinition(a / d)) << a << " / " << d;
            ++checked;
        }
        for (const double a : {0.0, 1e-300, d * 1e-6, d * 1e6, 1e300, HUGE_VAL, -1.0}) {
            all.push_back(a);
            EXPECT_EQ(h.binOfQuotient(a, d, inv), wealthBinDefinition(a / d)) << a;
        }
        EXPECT_THROW(static_cast<void>(h.binOfQuotient(std::nan(""), d, inv)), Error);
        std::vector<std::int32_t> bins(all.size());
        h.binsOfQuotient(all.data(), all.size(), d, inv, bins.data());
        for (std::size_t k = 0; k < all.size(); ++k)
            ASSERT_EQ(bins[k], wealthBinDefinition(all[k] / d)) << all[k] << " / " << d;
        all.push_back(std::nan(""));
        bins.resize(all.size());
        EXPECT_THROW(h.binsOfQuotient(all.data(), all.size(), d, inv, bins.data()), Error);
    }
    EXPECT_GT(checked, 1000000);
}

// The wealth lookup splits values by their exponent and top 10 mantissa bits (a bucket, less
// than a bin wide) and each bucket's remaining 42 bits into grains of 2^27 ulps, deciding a
// value from its grain where that grain lies wholly under or over the edge the bucket holds
// (with the margin). So the bins must be the definition's at every bucket's first and last
// value and 1 ulp inside, and at the grains' boundaries (0 and 1 ulp either side) up to 4
// grains from every edge of the grid (exp(0) = 1 among them, an edge on a bucket's start);
// bin() and binsOfQuotient() with capitals 1 (the value itself) and 3 (inexact inverse).
TEST(BandHistogram, WealthBinIsTheDefinitionAtBucketsAndGrains) {
    const BandHistogram h = BandHistogram::wealth(1);
    const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
    const auto value = [](std::uint64_t b) { return std::bit_cast<double>(b); };
    std::vector<double> xs;
    for (std::uint64_t k = bits(0.5e-6) >> 42; k <= (bits(2e6) >> 42); ++k) {
        const std::uint64_t start = k << 42;
        const std::uint64_t end = ((k + 1) << 42) - 1;
        for (const std::uint64_t b : {start, start + 1, end - 1, end}) xs.push_back(value(b));
    }
    const int lo = wealthBinDefinition(0.0);
    const int hi = wealthBinDefinition(HUGE_VAL);
    constexpr std::int64_t grain = std::int64_t{1} << 27;
    for (int b = lo - 1; b <= hi + 1; ++b) {
        const std::int64_t edge = static_cast<std::int64_t>(bits(std::exp(b / 512.0)));
        const std::int64_t firstGrain = edge & ~(grain - 1);
        for (std::int64_t j = -4; j <= 4; ++j)
            for (std::int64_t u = -1; u <= 1; ++u)
                xs.push_back(value(static_cast<std::uint64_t>(firstGrain + j * grain + u)));
    }
    EXPECT_GT(xs.size(), 400000U);
    for (const double x : xs) ASSERT_EQ(h.bin(x), wealthBinDefinition(x)) << x;
    for (const double d : {1.0, 3.0}) {
        std::vector<double> a;
        for (const double x : xs) a.push_back(x * d);
        std::vector<std::int32_t> bins(a.size());
        h.binsOfQuotient(a.data(), a.size(), d, 1.0 / d, bins.data());
        for (std::size_t k = 0; k < a.size(); ++k) {
            ASSERT_EQ(bins[k], wealthBinDefinition(a[k] / d)) << a[k] << " / " << d;
            ASSERT_EQ(h.binOfQuotient(a[k], d, 1.0 / d), bins[k]) << a[k] << " / " << d;
        }
    }
}

TEST(BandHistogram, WealthBandsWithinStatedPrecisionOfExactPercentiles) {
    // Log-normal wealth over 4 days with growing spread, 1001 values per day.
    const Index days = 4;
    BandHistogram h = BandHistogram::wealth(days);
    std::vector<std::vector<double>> values(days);
    Xoshiro256 rng(42, 0);
    const NormalZiggurat& z = NormalZiggurat::instance();
    for (int p = 0; p < 1001; ++p)
        for (Index t = 0; t < days; ++t) {
            const double x = std::exp(0.3 * std::sqrt(static_cast<double>(t) + 0.01) * z(rng));
            values[static_cast<std::size_t>(t)].push_back(x);
            h.add(t, x);
        }
    const Matrix bands = h.bands(kLevels);
    const double tolerance = std::exp(1.0 / 1024.0) - 1.0;  // the documented bound, 0.0977%
    EXPECT_LT(tolerance, 0.001);
    for (Index t = 0; t < days; ++t) {
        EXPECT_EQ(h.count(t), 1001u);
        for (std::size_t j = 0; j < kLevels.size(); ++j) {
            const double exact = exactPercentile(values[static_cast<std::size_t>(t)], kLevels[j]);
            EXPECT_LE(std::abs(bands(t, static_cast<Index>(j)) / exact - 1.0), tolerance + 1e-14)
                << "day " << t << " level " << kLevels[j];
        }
    }
}

// Rate bins are floor(x * 2048) clamped to [-100, 100]'s bins (written out here): at every
// 1/2048 edge of [-1, 1] and 1 to 3 ulps either side, at zero of either sign, on uniform
// values over and beyond the grid, at its ends and on infinities; NaN has no bin.
TEST(BandHistogram, RateBinIsFloorOfRateTimes2048) {
    const BandHistogram h = BandHistogram::rate(1);
    const auto definition = [](double x) {
        const double c = std::min(std::max(x, -100.0), 100.0);
        return static_cast<int>(std::floor(c * 2048.0));
    };
    for (int b = -2048; b <= 2048; ++b) {
        double up = b / 2048.0, down = up;
        for (int k = 0; k <= 3; ++k) {
            ASSERT_EQ(h.bin(up), definition(up)) << b << " +" << k;
            ASSERT_EQ(h.bin(down), definition(down)) << b << " -" << k;
            up = std::nextafter(up, HUGE_VAL);
            down = std::nextafter(down, -HUGE_VAL);
        }
    }
    EXPECT_EQ(h.bin(0.0), 0);
    EXPECT_EQ(h.bin(-0.0), 0);
    EXPECT_EQ(h.bin(-std::numeric_limits<double>::denorm_min()), -1);
    Xoshiro256 rng(11, 0);
    for (int i = 0; i < 200000; ++i) {
        const double x = 240.0 * (rng.uniform() - 0.5);  // -120 .. 120
        ASSERT_EQ(h.bin(x), definition(x)) << x;
    }
    for (const double x : {-100.0, 100.0, -1e300, 1e300, -HUGE_VAL, HUGE_VAL})
        EXPECT_EQ(h.bin(x), definition(x)) << x;
    EXPECT_EQ(h.bin(100.0), 204800);
    EXPECT_EQ(h.bin(-HUGE_VAL), -204800);
    EXPECT_THROW(static_cast<void>(h.bin(std::nan(""))), Error);
}

// The series form (two values a step) against the definition value by value: every bin edge of
// [-1, 1] and 3 ulps either side, signed zeros, the grid's ends and 1 ulp beyond, values far
// outside and infinite (clamped), random values; at every length up to 9 and at both
// alignments, and the whole series at once (odd and even lengths). A NaN anywhere throws.
TEST(BandHistogram, RateBinsOfASeriesAreEachValuesBin) {
    const BandHistogram h = BandHistogram::rate(1);
    const auto definition = [](double x) {
        const double c = std::min(std::max(x, -100.0), 100.0);
        return static_cast<std::int32_t>(std::floor(c * 2048.0));
    };
    std::vector<double> x;
    for (int b = -2048; b <= 2048; b += 7) {
        double up = b / 2048.0, down = up;
        for (int k = 0; k <= 3; ++k) {
            x.push_back(up);
            x.push_back(down);
            up = std::nextafter(up, HUGE_VAL);
            down = std::nextafter(down, -HUGE_VAL);
        }
    }
    for (const double v : {0.0, -0.0, -std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::denorm_min(), -100.0, 100.0,
                           std::nextafter(-100.0, -HUGE_VAL), std::nextafter(100.0, HUGE_VAL),
                           std::nextafter(100.0, 0.0), -1e300, 1e300, -HUGE_VAL, HUGE_VAL})
        x.push_back(v);
    Xoshiro256 rng(12, 0);
    for (int i = 0; i < 20001; ++i) x.push_back(240.0 * (rng.uniform() - 0.5));  // -120 .. 120
    std::vector<std::int32_t> out;
    for (const std::size_t n : {x.size(), x.size() - 1}) {
        out.assign(x.size() + 1, 7);
        h.bins(x.data(), n, out.data());
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], definition(x[i])) << x[i];
        EXPECT_EQ(out[n], 7);  // nothing written past the series
    }
    // Short series, so that the out-of-grid values come first, last or alone in a pair.
    for (std::size_t first = 0; first + 9 <= x.size(); first += 3)
        for (std::size_t n = 0; n <= 9; ++n) {
            out.assign(10, 7);
            h.bins(x.data() + first, n, out.data());
            for (std::size_t i = 0; i < n; ++i)
                ASSERT_EQ(out[i], definition(x[first + i])) << first << " " << n << " " << i;
            ASSERT_EQ(out[n], 7);
        }
    for (const std::size_t at : {std::size_t{0}, std::size_t{4}, std::size_t{5}, std::size_t{8}}) {
        std::vector<double> y(x.begin(), x.begin() + 9);
        y[at] = std::nan("");
        EXPECT_THROW(h.bins(y.data(), y.size(), out.data()), Error) << at;
    }
    // A grid without a linear inverse (the wealth grid) gives bin() of each value.
    const BandHistogram w = BandHistogram::wealth(1);
    std::vector<double> wealth;
    for (int i = 0; i < 1001; ++i) wealth.push_back(std::exp(30.0 * (rng.uniform() - 0.5)));
    wealth.push_back(0.0);
    wealth.push_back(HUGE_VAL);
    out.assign(wealth.size(), 7);
    w.bins(wealth.data(), wealth.size(), out.data());
    for (std::size_t i = 0; i < wealth.size(); ++i) ASSERT_EQ(out[i], w.bin(wealth[i])) << i;
}

TEST(BandHistogram, RateBandsWithinAbsolutePrecision) {
    BandHistogram h = BandHistogram::rate(2);
    std::vector<std::vector<double>> values(2);
    Xoshiro256 rng(7, 3);
    for (int p = 0; p < 500; ++p)
        for (Index t = 0; t < 2; ++t) {
            const double x = -1.0 + 6.0 * rng.uniform();  // rates between -1% and 5%
            values[static_cast<std::size_t>(t)].push_back(x);
            h.add(t, x);
        }
    const Matrix bands = h.bands(kLevels);
    for (Index t = 0; t < 2; ++t)
        for (std::size_t j = 0; j < kLevels.size(); ++j)
            EXPECT_LE(std::abs(bands(t, static_cast<Index>(j)) -
                               exactPercentile(values[static_cast<std::size_t>(t)], kLevels[j])),
                      1.0 / 4096.0 + 1e-12);
}

TEST(BandHistogram, OrderOfAdditionDoesNotMatter) {
    const Index days = 3;
    std::vector<std::vector<std::int32_t>> paths;
    BandHistogram forward = BandHistogram::wealth(days);
    BandHistogram backward = BandHistogram::wealth(days);
    Xoshiro256 rng(1, 1);
    for (int p = 0; p < 300; ++p) {
        std::vector<std::int32_t> bins;
        for (Index t = 0; t < days; ++t)
            bins.push_back(forward.bin(std::exp(rng.uniform() * 3 - 1)));
        paths.push_back(bins);
    }
    for (const auto& b : paths) forward.add(b.data());
    for (auto it = paths.rbegin(); it != paths.rend(); ++it) backward.add(it->data());
    const Matrix a = forward.bands(kLevels);
    const Matrix b = backward.bands(kLevels);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_TRUE(std::equal(a.data(), a.data() + a.size(), b.data()));
}

TEST(BandHistogram, OutliersAreClampedToTheEdgeBins) {
    BandHistogram h = BandHistogram::wealth(2);
    h.add(0, 1e-30);
    h.add(0, 1e-7);
    h.add(1, 1e30);
    h.add(1, std::numeric_limits<double>::infinity());
    const Matrix b = h.bands({50});
    // Both day-0 values sit in the bin of 1e-6: its midpoint is within e^(1/512) of 1e-6.
    EXPECT_NEAR(std::log(b(0, 0) / 1e-6), 0.0, 1.0 / 512.0);
    EXPECT_NEAR(std::log(b(1, 0) / 1e6), 0.0, 1.0 / 512.0);
}

TEST(BandHistogram, EmptyDayIsNaNAndOneValueIsItsBin) {
    BandHistogram h = BandHistogram::wealth(2);
    h.add(1, 1.5);
    const Matrix b = h.bands({5, 95});
    EXPECT_TRUE(std::isnan(b(0, 0)));
    EXPECT_EQ(b(1, 0), b(1, 1));
    EXPECT_LE(std::abs(b(1, 0) / 1.5 - 1.0), std::exp(1.0 / 1024.0) - 1.0);
}

// Two histograms over disjoint sets of values, merged (or rebuilt from shipped windows), hold
// the counts of one histogram of all the values: checked bin by bin against counts made here.
TEST(BandHistogram, MergedOrShippedHalvesCountEveryBinOfTheWhole) {
    Xoshiro256 rng(11, 0);
    const NormalZiggurat& z = NormalZiggurat::instance();
    BandHistogram all = BandHistogram::wealth(3);
    BandHistogram a = BandHistogram::wealth(3);
    BandHistogram b = BandHistogram::wealth(3);
    std::vector<std::map<std::int32_t, std::uint64_t>> expected(3);
    for (int k = 0; k < 500; ++k)
        for (Index t = 0; t < 3; ++t) {
            const double x = std::exp(0.1 * static_cast<double>(t + 1) * z(rng));
            all.add(t, x);
            (k < 200 ? a : b).add(t, x);
            ++expected[static_cast<std::size_t>(t)][all.bin(x)];
        }
    BandHistogram shipped = BandHistogram::wealth(3);
    for (Index t = 0; t < 3; ++t)
        b.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            shipped.addCounts(t, base, c, n);
        });
    a.merge(shipped);
    for (Index t = 0; t < 3; ++t) {
        EXPECT_EQ(a.count(t), 500u);
        std::map<std::int32_t, std::uint64_t> got;
        a.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i)
                if (c[i] != 0) got[base + static_cast<std::int32_t>(i)] = c[i];
        });
        EXPECT_EQ(got, expected[static_cast<std::size_t>(t)]);
    }
    const std::vector<double> q{1, 5, 50, 95, 99};
    const Matrix x = a.bands(q);
    const Matrix y = all.bands(q);
    for (Index t = 0; t < 3; ++t)
        for (Index j = 0; j < 5; ++j) EXPECT_EQ(x(t, j), y(t, j));
    // Counts outside the grid's bins and histograms of another grid are refused.
    const std::uint32_t one = 1;
    EXPECT_THROW(a.addCounts(0, 1 << 30, &one, 1), Error);
    EXPECT_THROW(a.merge(BandHistogram::rate(3)), Error);
    EXPECT_THROW(a.merge(BandHistogram::wealth(4)), Error);
}

// A dense reference: one count per bin of the whole grid, per day, and the bands computed from
// it by expanding the order statistics directly (a second method for the paged storage).
struct Dense {
    Dense(const BandHistogram& like, std::int32_t first, std::int32_t last)
        : lo(first),
          counts(static_cast<std::size_t>(like.days()),
                 std::vector<std::uint64_t>(static_cast<std::size_t>(last - first + 1), 0)) {}
    void add(Index t, std::int32_t b) { ++counts[static_cast<std::size_t>(t)][idx(b)]; }
    std::size_t idx(std::int32_t b) const { return static_cast<std::size_t>(b - lo); }
    // The bin of the k-th smallest value of day t.
    std::int32_t nth(Index t, std::uint64_t k) const {
        const auto& c = counts[static_cast<std::size_t>(t)];
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (k < c[i]) return lo + static_cast<std::int32_t>(i);
            k -= c[i];
        }
        return std::numeric_limits<std::int32_t>::min();
    }
    std::uint64_t total(Index t) const {
        const auto& c = counts[static_cast<std::size_t>(t)];
        return std::accumulate(c.begin(), c.end(), std::uint64_t{0});
    }
    double band(const BandHistogram& grid, Index t, double q) const {
        const std::uint64_t n = total(t);
        const double h = static_cast<double>(n - 1) * q / 100.0;
        const auto k = static_cast<std::uint64_t>(std::floor(h));
        const double a = grid.binValue(nth(t, k));
        if (h == std::floor(h) || k + 1 >= n) return a;
        return a + (h - std::floor(h)) * (grid.binValue(nth(t, k + 1)) - a);
    }
    std::int32_t lo;
    std::vector<std::vector<std::uint64_t>> counts;
};

// Every bin of every day of h against the reference, the runs inside the grid and ascending,
// and the bands equal to the reference's bit for bit.
void expectSame(const BandHistogram& h, const Dense& d, std::int32_t lo, std::int32_t hi) {
    const std::vector<double> q{0, 0.1, 1, 5, 25, 50, 75, 95, 99, 99.9, 100};
    const Matrix bands = h.bands(q);
    for (Index t = 0; t < h.days(); ++t) {
        ASSERT_EQ(h.count(t), d.total(t));
        std::uint64_t inRuns = 0;
        std::int64_t previousEnd = std::numeric_limits<std::int64_t>::min();
        h.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            EXPECT_GE(base, lo);
            EXPECT_LE(static_cast<std::int64_t>(base) + static_cast<std::int64_t>(n) - 1, hi);
            EXPECT_GE(base, previousEnd);
            previousEnd = static_cast<std::int64_t>(base) + static_cast<std::int64_t>(n);
            for (std::size_t i = 0; i < n; ++i) {
                EXPECT_EQ(c[i], d.counts[static_cast<std::size_t>(t)]
                                        [d.idx(base + static_cast<std::int32_t>(i))]);
                inRuns += c[i];
            }
        });
        EXPECT_EQ(inRuns, d.total(t));
        for (std::int32_t b = lo; b <= hi; ++b)
            if (h.binCount(t, b) != d.counts[static_cast<std::size_t>(t)][d.idx(b)]) {
                ADD_FAILURE() << "day " << t << " bin " << b;
                break;
            }
        for (std::size_t j = 0; j < q.size(); ++j) {
            if (d.total(t) == 0) {
                EXPECT_TRUE(std::isnan(bands(t, static_cast<Index>(j))));
                continue;
            }
            EXPECT_EQ(bands(t, static_cast<Index>(j)), d.band(h, t, q[j]))
                << "day " << t << " level " << q[j];
        }
    }
}

// The wealth grid's bins, from ln(1e-6) * 512 and ln(1e6) * 512, by hand: -7073.6 and 7073.6.
constexpr std::int32_t kWealthLo = -7074;
constexpr std::int32_t kWealthHi = 7073;

TEST(BandHistogram, PagedCountsAtPageEdgesAndGridEdgesMatchDense) {
    BandHistogram h = BandHistogram::wealth(2);
    EXPECT_EQ(h.bin(1e-9), kWealthLo);  // clamped
    EXPECT_EQ(h.bin(1e9), kWealthHi);
    Dense d(h, kWealthLo, kWealthHi);
    // Bins on both sides of page boundaries (pages of 64 bins: -65|-64, -1|0, 63|64), the grid's
    // edges, and a second day holding only far-apart singletons.
    const std::vector<std::int32_t> day0{-65, -64, -64, -1, 0, 0, 0, 63, 64, kWealthLo, kWealthHi};
    const std::vector<std::int32_t> day1{kWealthLo, kWealthLo, 3000, -3000, kWealthHi};
    std::vector<std::int32_t> path(2);
    for (std::size_t k = 0; k < day0.size(); ++k) {
        path[0] = day0[k];
        path[1] = day1[k % day1.size()];
        h.add(path.data());
        d.add(0, path[0]);
        d.add(1, path[1]);
    }
    expectSame(h, d, kWealthLo, kWealthHi);
    EXPECT_EQ(h.binCount(0, 0), 3u);
    EXPECT_EQ(h.binCount(0, -64), 2u);
    EXPECT_EQ(h.binCount(0, 1), 0u);
    EXPECT_EQ(h.binCount(1, kWealthLo), 5u);  // paths 0, 1, 5, 6 and 10
    EXPECT_EQ(h.binCount(0, 1 << 20), 0u);    // far outside: nothing stored, nothing allocated
    // Day 1 is stored in 4 pages of 64 counts, not the 14,147 bins between its extremes.
    std::size_t runs = 0;
    h.forEachRun(1, [&](std::int32_t, const std::uint32_t*, std::size_t) { ++runs; });
    EXPECT_EQ(runs, 4u);  // pages of kWealthLo, -3000, 3000 and kWealthHi
}

// Heavy-tailed values (Student-t with 3 degrees of freedom, scaled so that some clamp at the
// grid's edges) on a few days: counts and bands of the paged histogram, of a merge of two
// halves, and of a copy rebuilt from its runs all equal the dense reference.
void randomRoundTrip(const BandHistogram& proto, bool logScale, std::int32_t lo, std::int32_t hi,
                     double scale, std::uint64_t seed) {
    const Index days = proto.days();
    BandHistogram whole = proto;
    BandHistogram a = proto;
    BandHistogram b = proto;
    Dense d(proto, lo, hi);
    Xoshiro256 rng(seed, 0);
    const NormalZiggurat& z = NormalZiggurat::instance();
    const std::size_t paths = 3000;
    std::vector<std::int32_t> bins(paths * static_cast<std::size_t>(days));
    for (std::size_t k = 0; k < paths; ++k)
        for (Index t = 0; t < days; ++t) {
            // Chi-square with 3 degrees of freedom: three draws, each squared (a product of
            // two separate draws could be negative).
            double chi2 = 0.0;
            for (int j = 0; j < 3; ++j) {
                const double g = z(rng);
                chi2 += g * g;
            }
            const double x = scale * static_cast<double>(t + 1) * z(rng) / std::sqrt(chi2 / 3.0);
            const std::int32_t bin = proto.bin(logScale ? std::exp(x) : x);
            bins[k * static_cast<std::size_t>(days) + static_cast<std::size_t>(t)] = bin;
            d.add(t, bin);
        }
    whole.add(bins.data(), paths);  // in one batch
    for (std::size_t k = 0; k < paths; ++k)
        (k % 3 == 0 ? a : b).add(bins.data() + k * static_cast<std::size_t>(days));
    expectSame(whole, d, lo, hi);
    a.merge(b);
    expectSame(a, d, lo, hi);
    BandHistogram shipped = proto;
    for (Index t = 0; t < days; ++t)
        whole.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            shipped.addCounts(t, base, c, n);
        });
    expectSame(shipped, d, lo, hi);
}

TEST(BandHistogram, PagedWealthWithHeavyTailsMatchesDense) {
    // Scale 3 on day 4: |x| > ln(1e6) = 13.8 (|t| > 4.6, probability ~2%) clamps dozens of
    // values at the grid's edges.
    randomRoundTrip(BandHistogram::wealth(4), true, kWealthLo, kWealthHi, 0.75, 5);
}

TEST(BandHistogram, PagedRatesWithHeavyTailsMatchDense) {
    // Rate bins: -100 * 2048 and 100 * 2048.
    randomRoundTrip(BandHistogram::rate(3), false, -204800, 204800, 20.0, 9);
}

// The low bytes of all days are one array that grows (and moves) as pages are taken: batches
// of 64 paths whose bins spread over the whole grid take hundreds of pages in a batch, and a
// copy taken halfway goes on counting on its own; every count equals the dense one, the
// heavy centre bin (4,000 counts a day) included.
TEST(BandHistogram, CountsSurviveTheLowBytesGrowingAndCopies) {
    const Index days = 5;
    BandHistogram h = BandHistogram::wealth(days);
    BandHistogram copy = h;
    Dense d(h, kWealthLo, kWealthHi);
    Dense dCopy(h, kWealthLo, kWealthHi);
    Xoshiro256 rng(17, 2);
    const std::size_t batch = 64;
    std::vector<std::int32_t> bins(batch * static_cast<std::size_t>(days));
    for (int round = 0; round < 125; ++round) {
        for (std::size_t k = 0; k < batch; ++k)
            for (Index t = 0; t < days; ++t) {
                const std::int32_t b = k % 2 == 0 ? static_cast<std::int32_t>(t)
                                                  : kWealthLo + static_cast<std::int32_t>(
                                                                    rng.uniform() *
                                                                    (kWealthHi - kWealthLo + 1));
                bins[k * static_cast<std::size_t>(days) + static_cast<std::size_t>(t)] = b;
                d.add(t, b);
                if (round >= 60) dCopy.add(t, b);
            }
        h.add(bins.data(), batch);
        if (round == 59) {
            copy = h;
            dCopy = d;
        }
        if (round >= 60) copy.add(bins.data(), batch);
    }
    expectSame(h, d, kWealthLo, kWealthHi);
    expectSame(copy, dCopy, kWealthLo, kWealthHi);
    EXPECT_EQ(h.binCount(3, 3), 4000u);
    EXPECT_GT(h.storageBytes(), std::size_t{days} * 200 * 64);  // most of 222 pages a day
}

// A count is a low byte per bin plus a high part from the bin's first carry: counts on both
// sides of the byte's wraps (255, 256, 257, 511, 512, 513, 70,000), added one path at a time,
// in one batch and rebuilt from the runs, equal the dense count; a bin holding 2^32 - 1 takes
// no more.
TEST(BandHistogram, CountsCarryPastTheLowByteExactly) {
    BandHistogram single = BandHistogram::wealth(2);
    BandHistogram batch = BandHistogram::wealth(2);
    BandHistogram shipped = BandHistogram::wealth(2);
    Dense d(single, kWealthLo, kWealthHi);
    const std::vector<std::pair<std::int32_t, std::uint32_t>> want{
        {-1, 255}, {0, 256}, {1, 257}, {63, 511}, {64, 512}, {100, 513}, {-500, 70000}};
    std::vector<std::int32_t> bins;  // path-major, 2 days
    for (const auto& [b, n] : want)
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::int32_t path[2] = {b, -b - 1};
            single.add(path);
            bins.insert(bins.end(), path, path + 2);
            d.add(0, path[0]);
            d.add(1, path[1]);
        }
    batch.add(bins.data(), bins.size() / 2);
    expectSame(single, d, kWealthLo, kWealthHi);
    expectSame(batch, d, kWealthLo, kWealthHi);
    for (Index t = 0; t < 2; ++t)
        batch.forEachRun(t, [&](std::int32_t base, const std::uint32_t* c, std::size_t n) {
            shipped.addCounts(t, base, c, n);
        });
    expectSame(shipped, d, kWealthLo, kWealthHi);
    for (const auto& [b, n] : want) {
        EXPECT_EQ(single.binCount(0, b), n) << b;
        EXPECT_EQ(batch.binCount(1, -b - 1), n) << b;
    }

    BandHistogram full = BandHistogram::wealth(1);
    const std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
    const std::uint32_t one = 1;
    full.addCounts(0, 7, &one, 1);
    full.addCounts(0, 7, &one, 1);
    const std::uint32_t rest = max - 2;
    full.addCounts(0, 7, &rest, 1);
    EXPECT_EQ(full.binCount(0, 7), max);
    EXPECT_EQ(full.bin(std::exp(7.5 / 512.0)), 7);
    EXPECT_THROW(full.add(0, std::exp(7.5 / 512.0)), Error);
    EXPECT_THROW(full.addCounts(0, 7, &one, 1), Error);
    EXPECT_EQ(full.binCount(0, 7), max);
    EXPECT_EQ(full.binCount(0, 8), 0u);
}

}  // namespace band_histogram_test
}  // namespace
}  // namespace rotor
