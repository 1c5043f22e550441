// SPDX-License-Identifier: MIT
#include "engine/montecarlo/column_selection.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <limits>
#include <utility>

namespace rotor {

namespace {

// Buckets of one histogram pass (512 KiB of counts).
constexpr std::uint64_t kBuckets = std::uint64_t{1} << 16;
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

// An unsigned key in the order of the doubles (NaN excepted): buckets over a range of keys are
// linear in the value within a binary exponent and logarithmic across them, which suits values
// spread over a few orders of magnitude. -0 and +0 compare equal, so they share the key of +0.
std::uint64_t keyOf(double x) {
    const auto bits = std::bit_cast<std::uint64_t>(x + 0.0);  // -0 + 0 = +0
    return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

double valueOf(std::uint64_t key) {
    return std::bit_cast<double>((key & kSignBit) != 0 ? key & ~kSignBit : ~key);
}

// The ranks of `ranks` (ascending, disjoint) within [begin, end).
std::vector<RankRange> clip(const std::vector<RankRange>& ranks, std::uint64_t begin,
                            std::uint64_t end) {
    std::vector<RankRange> out;
    for (const RankRange& r : ranks) {
        const std::uint64_t b = std::max(r.begin, begin);
        const std::uint64_t e = std::min(r.end, end);
        if (b < e) out.push_back({b, e});
    }
    return out;
}

}  // namespace

// Keys [lo, hi] (inclusive) hold `count` values, and `below` values lie below lo.
struct ColumnSelection::Span {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::uint64_t below = 0;
    std::uint64_t count = 0;
};

ColumnSelection::ColumnSelection(ColumnReader read, std::size_t budget)
    : read_(std::move(read)), budget_(budget) {
    ROTOR_REQUIRE(budget_ >= 1, "column selection: budget of no values");
    minKey_ = std::numeric_limits<std::uint64_t>::max();
    read_([this](const double* v, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(v[i])) continue;
            const std::uint64_t k = keyOf(v[i]);
            minKey_ = std::min(minKey_, k);
            maxKey_ = std::max(maxKey_, k);
            ++count_;
        }
    });
    ++passes_;
}

void ColumnSelection::visit(std::vector<RankRange> ranks,
                            const std::function<void(std::uint64_t, double)>& visit) {
    std::sort(ranks.begin(), ranks.end(),
              [](const RankRange& a, const RankRange& b) { return a.begin < b.begin; });
    std::vector<RankRange> merged;
    for (const RankRange& r : clip(ranks, 0, count_)) {
        if (!merged.empty() && r.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, r.end);
        else
            merged.push_back(r);
    }
    if (merged.empty()) return;
    select({minKey_, maxKey_, 0, count_}, merged, visit);
}

void ColumnSelection::select(const Span& span, const std::vector<RankRange>& ranks,
                             const std::function<void(std::uint64_t, double)>& visit) {
    if (span.lo == span.hi) {  // every value here is the same
        for (const RankRange& r : ranks)
            for (std::uint64_t k = r.begin; k < r.end; ++k) visit(k, valueOf(span.lo));
        return;
    }
    if (span.count <= budget_) {
        collect({span}, ranks, visit);
        return;
    }
    // Histogram the span's keys into at most kBuckets buckets of 2^shift keys each.
    int shift = 0;
    while (((span.hi - span.lo) >> shift) >= kBuckets) ++shift;
    const std::uint64_t buckets = ((span.hi - span.lo) >> shift) + 1;
    const std::uint64_t width = (std::uint64_t{1} << shift) - 1;  // keys per bucket, less one
    std::vector<std::uint64_t> counts(buckets, 0);
    read_([&](const double* v, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(v[i])) continue;
            const std::uint64_t k = keyOf(v[i]);
            if (k >= span.lo && k <= span.hi) ++counts[(k - span.lo) >> shift];
        }
    });
    ++passes_;

    // Buckets holding wanted ranks, in ascending order: those that fit the budget together are
    // collected in one pass; one too large for it is split again on its own.
    std::vector<Span> group;
    std::uint64_t held = 0;
    const auto flush = [&] {
        if (!group.empty()) collect(group, ranks, visit);
        group.clear();
        held = 0;
    };
    std::uint64_t below = span.below;
    for (std::uint64_t b = 0; b < buckets; ++b) {
        const std::uint64_t c = counts[b];
        if (c != 0 && !clip(ranks, below, below + c).empty()) {
            const std::uint64_t lo = span.lo + (b << shift);
            const Span bucket{lo, span.hi - lo > width ? lo + width : span.hi, below, c};
            if (c > budget_) {
                flush();
                select(bucket, clip(ranks, below, below + c), visit);
            } else {
                if (held + c > budget_) flush();
                group.push_back(bucket);
                held += c;
            }
        }
        below += c;
    }
    flush();
}

namespace {

// selectRanks within [lo, hi), for the named ranks [rb, re) (all inside it). A rank at either
// end of its range is that range's least or greatest value.
void selectRanksWithin(double* v, std::size_t lo, std::size_t hi, const std::size_t* rb,
                       const std::size_t* re) {
    while (rb != re) {
        if (*rb == lo) {
            std::iter_swap(v + lo, std::min_element(v + lo, v + hi));
            ++lo;
            ++rb;
            continue;
        }
        if (*(re - 1) == hi - 1) {
            std::iter_swap(v + hi - 1, std::max_element(v + lo, v + hi));
            --hi;
            --re;
            continue;
        }
        const std::size_t* mid = rb + (re - rb) / 2;
        std::nth_element(v + lo, v + *mid, v + hi);
        selectRanksWithin(v, lo, *mid, rb, mid);
        lo = *mid + 1;
        rb = mid + 1;
    }
}

}  // namespace

void selectRanks(double* v, std::size_t n, const std::vector<std::size_t>& ranks) {
    selectRanksWithin(v, 0, n, ranks.data(), ranks.data() + ranks.size());
}

// One pass gathering the values whose keys fall in `spans` (ascending, disjoint); sorted, they
// are the spans' values one span after the other, so each wanted rank is found by its offset.
void ColumnSelection::collect(const std::vector<Span>& spans, const std::vector<RankRange>& ranks,
                              const std::function<void(std::uint64_t, double)>& visit) {
    std::uint64_t total = 0;
    for (const Span& s : spans) total += s.count;
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(total));
    read_([&](const double* v, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(v[i])) continue;
            const std::uint64_t k = keyOf(v[i]);
            const auto it = std::upper_bound(spans.begin(), spans.end(), k,
                                             [](std::uint64_t x, const Span& s) {
                                                 return x < s.lo;
                                             });
            if (it != spans.begin() && k <= std::prev(it)->hi) values.push_back(v[i]);
        }
    });
    ++passes_;
    ROTOR_REQUIRE(values.size() == total, "column selection: the column changed between passes ("
                                              << values.size() << " values where " << total
                                              << " were counted)");
    mostHeld_ = std::max(mostHeld_, values.size());
    // Sorted, the values are the spans' one span after the other: the wanted ranks are runs of
    // offsets. Only the runs' ends are selected (the values between two selected offsets are
    // those a sort puts there), then each run's inside is sorted: a few percentiles and a
    // CVaR's tail out of 100,000 values cost far less than sorting them all.
    std::vector<std::pair<std::size_t, std::size_t>> runs;  // offsets [first, last]
    std::uint64_t offset = 0;
    for (const Span& s : spans) {
        for (const RankRange& r : clip(ranks, s.below, s.below + s.count)) {
            const auto first = static_cast<std::size_t>(offset + (r.begin - s.below));
            const auto last = static_cast<std::size_t>(offset + (r.end - 1 - s.below));
            if (!runs.empty() && runs.back().second + 1 >= first)
                runs.back().second = std::max(runs.back().second, last);
            else
                runs.emplace_back(first, last);
        }
        offset += s.count;
    }
    std::vector<std::size_t> ends;
    for (const auto& [first, last] : runs) {
        ends.push_back(first);
        if (last != first) ends.push_back(last);
    }
    selectRanks(values.data(), values.size(), ends);
    for (const auto& [first, last] : runs)
        if (last > first + 1)
            std::sort(values.begin() + static_cast<std::ptrdiff_t>(first + 1),
                      values.begin() + static_cast<std::ptrdiff_t>(last));
    offset = 0;
    for (const Span& s : spans) {
        for (const RankRange& r : clip(ranks, s.below, s.below + s.count))
            for (std::uint64_t k = r.begin; k < r.end; ++k)
                visit(k, values[static_cast<std::size_t>(offset + (k - s.below))]);
        offset += s.count;
    }
}

}  // namespace rotor
