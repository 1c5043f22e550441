// SPDX-License-Identifier: MIT
// Exact order statistics of a column of per-path values that is not held in memory (a results
// file's dataset, read back in blocks): a pass histograms the values by their bit pattern, a
// second collects only the histogram buckets that hold the ranks asked for, puts those ranks in
// place (selectRanks) and hands them out in ascending order. The values are the column's own: a
// rank's value is the one a sort of the whole column puts there. Memory is a bounded number of
// values, whatever the column length; a bucket too large for it is histogrammed again within its
// own range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace rotor {

// One pass over a column: calls `block` with consecutive blocks of its values, in the same
// order on every pass.
using ColumnBlock = std::function<void(const double* values, std::size_t n)>;
using ColumnReader = std::function<void(const ColumnBlock& block)>;

// Ranks [begin, end) of the column's non-NaN values sorted ascending (rank 0 is the smallest).
struct RankRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

// Puts the order statistics named by `ranks` (ascending, distinct, below n) of v[0, n) in
// place: afterwards v[k] is the ascending sort's k-th value for every named k, and the values
// between two named ranks are those the sort puts between them, in no particular order. Each
// step partitions around the middle named rank, so r ranks cost O(n log r) comparisons instead
// of the sort's O(n log n).
void selectRanks(double* v, std::size_t n, const std::vector<std::size_t>& ranks);

class ColumnSelection {
public:
    // Values held at once by default: 4 MiB.
    static constexpr std::size_t kDefaultBudget = std::size_t{1} << 19;

    // Reads the column once (its count of non-NaN values and their range). `budget` >= 1.
    explicit ColumnSelection(ColumnReader read, std::size_t budget = kDefaultBudget);

    std::uint64_t count() const { return count_; }  // non-NaN values

    // Calls visit(rank, value) for every rank in `ranks` (any order, may overlap; clipped to
    // the count), once each, in ascending rank order.
    void visit(std::vector<RankRange> ranks,
               const std::function<void(std::uint64_t rank, double value)>& visit);

    // Passes over the column so far, and the most values held at once (for tests).
    std::uint64_t passes() const { return passes_; }
    std::size_t mostHeld() const { return mostHeld_; }

private:
    struct Span;
    void select(const Span& span, const std::vector<RankRange>& ranks,
                const std::function<void(std::uint64_t, double)>& visit);
    void collect(const std::vector<Span>& spans, const std::vector<RankRange>& ranks,
                 const std::function<void(std::uint64_t, double)>& visit);

    ColumnReader read_;
    std::size_t budget_;
    std::uint64_t count_ = 0;
    std::uint64_t minKey_ = 0;
    std::uint64_t maxKey_ = 0;
    std::uint64_t passes_ = 0;
    std::size_t mostHeld_ = 0;
};

}  // namespace rotor
