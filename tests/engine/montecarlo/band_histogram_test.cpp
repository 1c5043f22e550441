// SPDX-License-Identifier: MIT
// Histogram bands against exact sorted percentiles of the same values (a second method in the
// test), within the stated bin precision; order independence; clamping at the grid's edges.
#include "engine/montecarlo/band_histogram.hpp"

#include "engine/core/error.hpp"
#include "engine/core/rng.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace rotor {
namespace {
namespace band_histogram_test {

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
    for (Index t = 0; t < 3; ++t) {
        const auto& c = b.windowCounts(t);
        shipped.addCounts(t, b.windowBase(t), c.data(), c.size());
    }
    a.merge(shipped);
    for (Index t = 0; t < 3; ++t) {
        EXPECT_EQ(a.count(t), 500u);
        std::map<std::int32_t, std::uint64_t> got;
        const auto& c = a.windowCounts(t);
        for (std::size_t i = 0; i < c.size(); ++i)
            if (c[i] != 0) got[a.windowBase(t) + static_cast<std::int32_t>(i)] = c[i];
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

}  // namespace band_histogram_test
}  // namespace
}  // namespace rotor
