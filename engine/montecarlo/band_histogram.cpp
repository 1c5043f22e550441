// SPDX-License-Identifier: MIT
#include "engine/montecarlo/band_histogram.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
}

BandHistogram BandHistogram::wealth(Index days) {
    return BandHistogram(days, Scale::Log, 1.0 / 512.0, 1e-6, 1e6);
}

BandHistogram BandHistogram::rate(Index days) {
    return BandHistogram(days, Scale::Linear, 1.0 / 2048.0, -100.0, 100.0);
}

std::int32_t BandHistogram::bin(double x) const {
    const double c = std::clamp(x, lo_, hi_);
    const double s = scale_ == Scale::Log ? std::log(c) : c;
    // Clamping again guards the edges against rounding in ln.
    return std::clamp(static_cast<std::int32_t>(std::floor(s / width_)), binLo_, binHi_);
}

double BandHistogram::binValue(std::int32_t b) const {
    const double mid = (static_cast<double>(b) + 0.5) * width_;
    return scale_ == Scale::Log ? std::exp(mid) : mid;
}

void BandHistogram::ensure(Window& w, std::int32_t b) {
    const auto size = static_cast<std::int32_t>(w.counts.size());
    if (size > 0 && b >= w.base && b < w.base + size) return;
    // Grow with slack on both sides so that a day's window settles after a few paths.
    const std::int32_t slack = std::max<std::int32_t>(32, size / 2);
    const std::int32_t oldLo = size > 0 ? w.base : b;
    const std::int32_t oldHi = size > 0 ? w.base + size : b + 1;
    const std::int32_t lo = std::max(binLo_, std::min(oldLo, b) - slack);
    const std::int32_t hi = std::min(binHi_ + 1, std::max(oldHi, b + 1) + slack);
    std::vector<std::uint32_t> grown(static_cast<std::size_t>(hi - lo), 0u);
    if (size > 0)
        std::copy(w.counts.begin(), w.counts.end(),
                  grown.begin() + static_cast<std::ptrdiff_t>(w.base - lo));
    w.counts.swap(grown);
    w.base = lo;
}

void BandHistogram::add(const std::int32_t* bins) {
    for (std::size_t t = 0; t < windows_.size(); ++t) {
        Window& w = windows_[t];
        ensure(w, bins[t]);
        std::uint32_t& c = w.counts[static_cast<std::size_t>(bins[t] - w.base)];
        ROTOR_REQUIRE(c < std::numeric_limits<std::uint32_t>::max(), "histogram bin overflow");
        ++c;
        ++w.total;
    }
}

void BandHistogram::add(const std::int32_t* bins, std::size_t paths) {
    const std::size_t days = windows_.size();
    for (std::size_t t = 0; t < days; ++t) {
        Window& w = windows_[t];
        for (std::size_t k = 0; k < paths; ++k) {
            const std::int32_t b = bins[k * days + t];
            ensure(w, b);
            std::uint32_t& c = w.counts[static_cast<std::size_t>(b - w.base)];
            ROTOR_REQUIRE(c < std::numeric_limits<std::uint32_t>::max(), "histogram bin overflow");
            ++c;
        }
        w.total += paths;
    }
}

void BandHistogram::add(Index day, double x) {
    ROTOR_REQUIRE(day >= 0 && day < days(), "histogram day " << day << " outside 0.." << days());
    Window& w = windows_[static_cast<std::size_t>(day)];
    const std::int32_t b = bin(x);
    ensure(w, b);
    ++w.counts[static_cast<std::size_t>(b - w.base)];
    ++w.total;
}

std::int32_t BandHistogram::windowBase(Index day) const {
    return windows_.at(static_cast<std::size_t>(day)).base;
}

const std::vector<std::uint32_t>& BandHistogram::windowCounts(Index day) const {
    return windows_.at(static_cast<std::size_t>(day)).counts;
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
    ensure(w, base);
    ensure(w, static_cast<std::int32_t>(last));
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t& c = w.counts[static_cast<std::size_t>(base - w.base) + i];
        ROTOR_REQUIRE(counts[i] <= std::numeric_limits<std::uint32_t>::max() - c,
                      "histogram bin overflow");
        c += counts[i];
        w.total += counts[i];
    }
}

void BandHistogram::merge(const BandHistogram& other) {
    ROTOR_REQUIRE(other.scale_ == scale_ && other.width_ == width_ && other.lo_ == lo_ &&
                      other.hi_ == hi_ && other.days() == days(),
                  "merging histograms of different grids");
    for (Index t = 0; t < days(); ++t) {
        const Window& o = other.windows_[static_cast<std::size_t>(t)];
        addCounts(t, o.base, o.counts.data(), o.counts.size());
    }
}

std::uint64_t BandHistogram::count(Index day) const {
    return windows_[static_cast<std::size_t>(day)].total;
}

std::int32_t BandHistogram::orderStatisticBin(const Window& w, std::uint64_t k) {
    std::uint64_t below = 0;
    for (std::size_t i = 0; i < w.counts.size(); ++i) {
        below += w.counts[i];
        if (below > k) return w.base + static_cast<std::int32_t>(i);
    }
    return w.base + static_cast<std::int32_t>(w.counts.size()) - 1;  // unreachable for k < total
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
