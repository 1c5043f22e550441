// SPDX-License-Identifier: MIT
// Exact order statistics over a column read in blocks, against std::sort of the whole column:
// ties, NaN, signed zeros, infinities, buckets too large for the budget; and the column
// summaries against the in-memory (sort-based) ones, bit for bit.
#include "engine/montecarlo/column_selection.hpp"

#include "engine/montecarlo/distribution.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace rotor {
namespace {
namespace column_selection_test {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The column in blocks of `block` values (a results file's chunks), counting the passes.
ColumnReader reader(const std::vector<double>& v, std::size_t block, int* passes = nullptr) {
    return [&v, block, passes](const ColumnBlock& f) {
        if (passes != nullptr) ++*passes;
        for (std::size_t i = 0; i < v.size(); i += block)
            f(v.data() + i, std::min(block, v.size() - i));
    };
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// 300,007 values, lognormal-like around 1 with a third rounded to 2 decimals (ties), a run of
// one repeated value larger than any small budget, NaN, +-0, negatives and infinities.
std::vector<double> awkwardColumn() {
    std::mt19937_64 rng(20260102);
    std::normal_distribution<double> z(0.0, 0.2);
    std::vector<double> v;
    for (int i = 0; i < 300000; ++i) {
        double x = std::exp(z(rng));
        if (i % 3 == 0) x = std::round(x * 100.0) / 100.0;
        if (i % 10 == 1) x = 1.25;  // 30,000 ties
        if (i % 1000 == 7) x = kNaN;
        if (i % 5000 == 11) x = -x;
        v.push_back(x);
    }
    for (double x : {0.0, -0.0, 0.0, kInf, -kInf, 1e-300, -1e300}) v.push_back(x);
    return v;
}

std::vector<double> sortedNonNaN(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
    std::sort(v.begin(), v.end());
    return v;
}

// Every rank of `ranks` is visited once, ascending, with the sorted column's value (the same
// bits; +-0 compare equal and may come either way round, as in a sort).
void expectRanks(ColumnSelection& sel, const std::vector<double>& sorted,
                 const std::vector<RankRange>& ranks) {
    std::vector<std::uint64_t> want;
    for (const RankRange& r : ranks)
        for (std::uint64_t k = r.begin; k < std::min<std::uint64_t>(r.end, sorted.size()); ++k)
            want.push_back(k);
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    std::vector<std::uint64_t> got;
    sel.visit(ranks, [&](std::uint64_t k, double v) {
        got.push_back(k);
        ASSERT_LT(k, sorted.size());
        if (v == 0.0)
            EXPECT_EQ(sorted[k], 0.0) << "rank " << k;
        else
            EXPECT_TRUE(sameBits(v, sorted[k])) << "rank " << k << ": " << v << " vs " << sorted[k];
    });
    EXPECT_EQ(got, want);
}

TEST(ColumnSelection, RanksEqualTheSortedColumnWhateverTheBudget) {
    const std::vector<double> v = awkwardColumn();
    const std::vector<double> sorted = sortedNonNaN(v);
    ASSERT_EQ(sorted.size(), 300007u - 300u);
    const auto n = static_cast<std::uint64_t>(sorted.size());
    // Percentile neighbours, the 5% tail, both ends, the ties of 1.25 and beyond the end.
    const auto at = [&](double q) { return static_cast<std::uint64_t>(q * double(n - 1)); };
    const std::vector<RankRange> ranks = {{0, 3},
                                          {at(0.05), at(0.05) + 2},
                                          {at(0.5), at(0.5) + 2},
                                          {at(0.95), at(0.95) + 2},
                                          {n - 3, n + 10},
                                          {0, n / 200},
                                          {at(0.7) - 5, at(0.7) + 5}};
    for (std::size_t budget : {std::size_t{64}, std::size_t{1000}, std::size_t{40000},
                               ColumnSelection::kDefaultBudget}) {
        SCOPED_TRACE(budget);
        ColumnSelection sel(reader(v, 8192), budget);
        EXPECT_EQ(sel.count(), n);
        expectRanks(sel, sorted, ranks);
        EXPECT_LE(sel.mostHeld(), budget);
    }
    // A third of the column: one pass to count, one histogram, one collection.
    ColumnSelection sel(reader(v, 8192), 100000);
    expectRanks(sel, sorted, {{at(0.5), at(0.5) + 2}, {0, n / 20}});
    EXPECT_EQ(sel.passes(), 3u);
    // The 5% tail and a few buckets, not the column (the infinities and 1e300 stretch the key
    // range, so the buckets in the bulk are coarse here).
    EXPECT_LT(sel.mostHeld(), n / 4);
}

// selectRanks against a full sort: every named rank holds the sorted vector's value, and the
// values between two named ranks (and before the first, after the last) are the sort's values
// of those positions, as multisets. Few distinct values (many ties), runs of adjacent ranks,
// both ends, one value.
TEST(ColumnSelection, SelectedRanksAreTheSortsValues) {
    std::mt19937_64 rng(20261206);
    for (std::size_t n :
         {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{100}, std::size_t{5000}}) {
        for (int trial = 0; trial < 40; ++trial) {
            std::vector<double> v(n);
            const bool ties = trial % 2 == 0;
            for (double& x : v)
                x = ties ? static_cast<double>(rng() % 5) - 2.0
                         : std::ldexp(static_cast<double>(rng() >> 11), -53) - 0.5;
            std::vector<double> sorted = v;
            std::sort(sorted.begin(), sorted.end());
            std::vector<std::size_t> ranks;
            for (std::size_t k = 0; k < n; ++k)
                if (rng() % 7 == 0 || (trial % 5 == 0 && (k == 0 || k == n - 1)))
                    ranks.push_back(k);
            if (trial % 3 == 0 && n > 4)  // a run of adjacent ranks
                for (std::size_t k = n / 3; k < n / 3 + 4; ++k) ranks.push_back(k);
            std::sort(ranks.begin(), ranks.end());
            ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
            selectRanks(v.data(), n, ranks);
            std::size_t from = 0;
            for (std::size_t i = 0; i <= ranks.size(); ++i) {
                const std::size_t to = i < ranks.size() ? ranks[i] : n;
                std::vector<double> between(v.begin() + static_cast<std::ptrdiff_t>(from),
                                            v.begin() + static_cast<std::ptrdiff_t>(to));
                std::sort(between.begin(), between.end());
                for (std::size_t k = from; k < to; ++k) {
                    ASSERT_EQ(between[k - from], sorted[k]) << "n " << n << " position " << k;
                }
                if (i < ranks.size()) {
                    ASSERT_EQ(v[to], sorted[to]) << "n " << n << " rank " << to;
                }
                from = to + 1;
            }
        }
    }
}

TEST(ColumnSelection, OneRepeatedValueAndNoValues) {
    const std::vector<double> same(100000, 0.75);
    ColumnSelection sel(reader(same, 333), 10);
    EXPECT_EQ(sel.count(), 100000u);
    int visits = 0;
    sel.visit({{99998, 100005}}, [&](std::uint64_t, double v) {
        EXPECT_EQ(v, 0.75);
        ++visits;
    });
    EXPECT_EQ(visits, 2);

    const std::vector<double> nans(50, kNaN);
    ColumnSelection none(reader(nans, 7));
    EXPECT_EQ(none.count(), 0u);
    none.visit({{0, 5}}, [&](std::uint64_t, double) { ADD_FAILURE() << "no value to visit"; });
    EXPECT_TRUE(std::isnan(percentilesOfColumn(none, {50.0})[0]));
}

// The figures of a 300,001-path wealth column (P not a multiple of the block) equal the
// sort-based summarizeWealth's bit for bit, and the CAGR / drawdown medians those of
// summarizePathMetrics; the selection holds a fraction of the column.
TEST(ColumnSelection, ColumnSummariesEqualTheSortBasedOnes) {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> z(0.05, 0.18);
    const Index P = 300001;
    Vector wealth(P), bench(P);
    PathMetrics pm;
    pm.cagr.resize(P);
    pm.maxDrawdown.resize(P);
    for (Index i = 0; i < P; ++i) {
        wealth(i) = std::exp(z(rng));
        if (i % 4 == 0) wealth(i) = std::round(wealth(i) * 1000.0) / 1000.0;  // ties
        bench(i) = std::exp(z(rng));
        pm.cagr(i) = i % 997 == 5 ? kNaN : wealth(i) - 1.0;
        pm.maxDrawdown(i) = i % 997 == 5 ? kNaN : std::abs(z(rng)) / 2.0;
    }
    std::uint64_t beats = 0;
    for (Index i = 0; i < P; ++i)
        if (wealth(i) > bench(i)) ++beats;
    const std::vector<double> levels = {1, 5, 25, 50, 75, 95, 99.5};
    const DistributionSummary want = summarizeWealth(wealth, &bench, levels);
    const PathMetricsSummary wantPaths = summarizePathMetrics(pm);

    const auto column = [](const Vector& v) {
        return ColumnReader([&v](const ColumnBlock& f) {
            for (Index i = 0; i < v.size(); i += 8192)
                f(v.data() + i, static_cast<std::size_t>(std::min<Index>(8192, v.size() - i)));
        });
    };
    // A budget of 5,000 values: the 15,000-path tail takes several collections.
    const DistributionSummary got = summarizeWealthColumn(column(wealth), &beats, levels, 5000);
    EXPECT_TRUE(sameBits(got.mean, want.mean));
    EXPECT_TRUE(sameBits(got.stdev, want.stdev));
    ASSERT_EQ(got.percentiles.size(), levels.size());
    for (std::size_t k = 0; k < levels.size(); ++k)
        EXPECT_TRUE(sameBits(got.percentiles[k], want.percentiles[k])) << levels[k];
    EXPECT_TRUE(sameBits(got.probLoss, want.probLoss));
    EXPECT_TRUE(sameBits(got.probBeatBenchmark, want.probBeatBenchmark));
    EXPECT_TRUE(sameBits(got.var95, want.var95));
    EXPECT_TRUE(sameBits(got.cvar95, want.cvar95));
    // And against a direct sort here: the 5% tail mean of 1 - W (15,000.05 paths).
    std::vector<double> sorted(wealth.data(), wealth.data() + P);
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(got.cvar95, cvarOfSorted(sorted, 0.05));
    EXPECT_EQ(got.percentiles[3], percentileOfSorted(sorted, 50.0));

    PathMetricsSummary gotPaths;
    summarizeCagrColumn(column(pm.cagr), gotPaths, 5000);
    EXPECT_TRUE(sameBits(gotPaths.medianCagr, wantPaths.medianCagr));
    EXPECT_TRUE(sameBits(gotPaths.p05Cagr, wantPaths.p05Cagr));
    EXPECT_TRUE(sameBits(gotPaths.p95Cagr, wantPaths.p95Cagr));
    ColumnSelection dd(column(pm.maxDrawdown), 5000);
    EXPECT_TRUE(sameBits(percentilesOfColumn(dd, {50.0})[0], wantPaths.medianMaxDrawdown));

    for (double x : {0.9, 1.0, wealth(17), 5.0})
        EXPECT_TRUE(sameBits(percentileRankOfColumn(column(wealth), x), percentileRank(wealth, x)))
            << x;
}

TEST(ColumnSelection, NonFiniteWealthIsRejectedWithItsPath) {
    const std::vector<double> v = {1.0, 1.1, kInf, 0.9};
    EXPECT_THROW(summarizeWealthColumn(reader(v, 2), nullptr, {50}), std::exception);
}

}  // namespace column_selection_test
}  // namespace
}  // namespace rotor
