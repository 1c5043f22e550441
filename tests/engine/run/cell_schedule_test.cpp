// SPDX-License-Identifier: MIT
// Which MPI rank computes each cell: the costs and the blocks, worked out by hand.
#include "engine/run/cell_schedule.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace cell_schedule_test {

ScenarioSpec forward(std::uint64_t paths, std::size_t strategies = 2, long horizon = 252) {
    ScenarioSpec s;
    s.mode = "monte_carlo";
    s.strategies.resize(strategies);
    s.simulation.emplace();
    s.simulation->paths = paths;
    s.simulation->horizonDays = horizon;
    return s;
}

// 365 calendar days: 252 trading days.
ScenarioSpec history(std::size_t strategies = 3) {
    ScenarioSpec s;
    s.mode = "historical";
    s.strategies.resize(strategies);
    s.start = Date(10000);
    s.end = Date(10365);
    return s;
}

const unsigned all = kEveryRank;

TEST(CellSchedule, CostsAreStrategiesTimesDaysTimesPaths) {
    EXPECT_DOUBLE_EQ(cellCost(forward(1000)), 2.0 * 252 * (1000 + kCellPaths));
    EXPECT_DOUBLE_EQ(cellCost(history()), 3.0 * 252);
    ScenarioSpec ended = forward(100, 1);
    ended.simulation->start = Date(20000);
    ended.simulation->end = Date(20365);  // a year by its end date: 252 trading days
    EXPECT_DOUBLE_EQ(cellCost(ended), 252.0 * (100 + kCellPaths));
}

TEST(CellSchedule, OneRankRunsEveryCellInPlace) {
    EXPECT_EQ(scheduleCells({history(), forward(10), forward(10)}, 1),
              (std::vector<unsigned>{all, all, all}));
}

TEST(CellSchedule, EqualCellsGoInConsecutiveBlocksRankZeroFirst) {
    const std::vector<ScenarioSpec> four{forward(1000), forward(1000), forward(1000),
                                         forward(1000)};
    // Each cell a quarter: its middle at 1/8, 3/8, 5/8, 7/8 of the work.
    EXPECT_EQ(scheduleCells(four, 2), (std::vector<unsigned>{0, 0, 1, 1}));
    // Thirds: 3/8 and 5/8 fall in rank 1's third.
    EXPECT_EQ(scheduleCells(four, 3), (std::vector<unsigned>{0, 1, 1, 2}));
    // Eight ranks: each cell is worth two ranks' shares, so each splits.
    EXPECT_EQ(scheduleCells(four, 8), (std::vector<unsigned>{all, all, all, all}));
    // Five ranks, a small forward cell among histories. Costs: 4,000 x 252 = 1,008,000 each
    // history, 2 x 252 x 1,000 = 504,000 the forward cell (a seventh of the 3,528,000, less than
    // a rank's fifth: whole). Middles at 504,000 (14.3%), 1,512,000 (42.9%), 2,268,000 (64.3%)
    // and 3,024,000 (85.7%) of the work: fifths 0, 2, 3 and 4, rank 1 gets none.
    const std::vector<ScenarioSpec> mixed{history(4000), history(4000), forward(500),
                                          history(4000)};
    EXPECT_EQ(scheduleCells(mixed, 5), (std::vector<unsigned>{0, 2, 3, 4}));
}

TEST(CellSchedule, ABigForwardCellSplitsAndCutsTheBlocks) {
    // Costs: histories 756 each; the big cell 2 x 252 x 10500 = 5,292,000, more than half of
    // the total; the small ones 2 x 252 x 1500 = 756,000 each.
    const std::vector<ScenarioSpec> cells{history(), forward(1000), forward(10000), history(),
                                          forward(1000)};
    // Before the big cell: 756 + 756,000, the history's middle in the first half, the small
    // cell's in the second; after it: likewise.
    EXPECT_EQ(scheduleCells(cells, 2), (std::vector<unsigned>{0, 1, all, 0, 1}));
}

TEST(CellSchedule, AForwardCellAloneSplitsWhateverItsPaths) {
    // Fewer paths than ranks still split, so that the run fails as it always did.
    EXPECT_EQ(scheduleCells({forward(2)}, 3), (std::vector<unsigned>{all}));
    // Two equal cells are each exactly one rank's share: whole, one per rank.
    EXPECT_EQ(scheduleCells({forward(2), forward(2)}, 2), (std::vector<unsigned>{0, 1}));
    // A history alone, or first after a split cell: rank 0.
    EXPECT_EQ(scheduleCells({history()}, 4), (std::vector<unsigned>{0}));
    EXPECT_EQ(scheduleCells({forward(10000), history(), history()}, 4),
              (std::vector<unsigned>{all, 0, 2}));
}

}  // namespace cell_schedule_test
}  // namespace
}  // namespace rotor
