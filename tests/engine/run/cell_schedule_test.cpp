// SPDX-License-Identifier: MIT
// Which MPI rank computes each cell: the costs and the choices, worked out by hand from the rule
// of cell_schedule.hpp (c: a cell's cost, w: what writing it costs rank 0 when another rank
// computed it).
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
    EXPECT_DOUBLE_EQ(writeCost(forward(1000)), 2.0 * 252 * (kCellPaths + kWritePerPath * 1000));
    EXPECT_DOUBLE_EQ(cellCost(history()), 3.0 * 252);
    EXPECT_DOUBLE_EQ(writeCost(history()), kWriteHistory * 3.0 * 252);
    ScenarioSpec ended = forward(100, 1);
    ended.simulation->start = Date(20000);
    ended.simulation->end = Date(20365);  // a year by its end date: 252 trading days
    EXPECT_DOUBLE_EQ(cellCost(ended), 252.0 * (100 + kCellPaths));
}

TEST(CellSchedule, OneRankRunsEveryCellInPlace) {
    EXPECT_EQ(scheduleCells({history(), forward(10), forward(10)}, 1),
              (std::vector<unsigned>{all, all, all}));
}

TEST(CellSchedule, EqualCellsAlternateSoThatRankZeroWritesOneWhileTheNextIsComputed) {
    // Four histories (c each, w = 0.3c). Two ranks: A on 0, written at c; B on 1 at c + w
    // (< 2c); C on 0 at 2c + w (rank 1 would finish it at 2c + 2w); D on 1 at 2c + 2w.
    const std::vector<ScenarioSpec> four{history(), history(), history(), history()};
    EXPECT_EQ(scheduleCells(four, 2), (std::vector<unsigned>{0, 1, 0, 1}));
    // Three ranks: A on 0 (c), B on 1 (c + w; rank 2 ties, the lower wins), C on 2 (c + 2w,
    // rank 0 would take 2c + w), D on 0 (2c + 2w, a tie with rank 1, which is not better).
    EXPECT_EQ(scheduleCells(four, 3), (std::vector<unsigned>{0, 1, 2, 0}));
    // Eight ranks: A on 0 (c), then B, C, D each on a fresh rank (c + w, c + 2w, c + 3w).
    EXPECT_EQ(scheduleCells(four, 8), (std::vector<unsigned>{0, 1, 2, 3}));
}

TEST(CellSchedule, AForwardCellSplitsWhenEveryRankGetsAPath) {
    const std::vector<ScenarioSpec> four{forward(1000), forward(1000), forward(1000),
                                         forward(1000)};
    EXPECT_EQ(scheduleCells(four, 2), (std::vector<unsigned>{all, all, all, all}));
    EXPECT_EQ(scheduleCells(four, 8), (std::vector<unsigned>{all, all, all, all}));
    // Two paths: shared by two ranks, whole on one of three (A on 0 at f, B on 1 at f + w).
    EXPECT_EQ(scheduleCells({forward(2), forward(2)}, 2), (std::vector<unsigned>{all, all}));
    EXPECT_EQ(scheduleCells({forward(2), forward(2)}, 3), (std::vector<unsigned>{0, 1}));
}

TEST(CellSchedule, ASplitCellIsJoinedByEveryRank) {
    // A on 0, B on 1; after the big cell both ranks start again together at t: D on 0 (t + c,
    // rank 1 would take t + c + w), E on 1 (t + c + w, rank 0 t + 2c).
    const std::vector<ScenarioSpec> cells{history(), history(), forward(10000), history(),
                                          history()};
    EXPECT_EQ(scheduleCells(cells, 2), (std::vector<unsigned>{0, 1, all, 0, 1}));
}

TEST(CellSchedule, RanksThatCannotHelpGetNothing) {
    // One small cell: rank 0 runs it at c, sooner than another rank's c + w; a second goes to
    // rank 1 (c + 0.3c, not 2c), and ranks 2 and 3 get none.
    EXPECT_EQ(scheduleCells({history()}, 4), (std::vector<unsigned>{0}));
    EXPECT_EQ(scheduleCells({history(), history()}, 4), (std::vector<unsigned>{0, 1}));
    // After a split cell (t): the first history on 0 (t + c), the second on 1 (t + c + 0.3c).
    EXPECT_EQ(scheduleCells({forward(10000), history(), history()}, 4),
              (std::vector<unsigned>{all, 0, 1}));
    // Five ranks, a forward cell of 2 paths (fewer than ranks: whole) among histories:
    // h = 4,000 x 252 = 1,008,000 each history, f = 2 x 252 x 502 = 253,008 the forward cell,
    // w_f = 2 x 252 x 500.1 = 252,050.4. A on 0 (h), B on 1 (1.3h), C on 2 (1.3h + w_f, sooner
    // than 1.3h + f on rank 0), D on 3 (1.6h + w_f against rank 0's 2.3h + w_f): rank 4
    // gets none.
    const std::vector<ScenarioSpec> mixed{history(4000), history(4000), forward(2), history(4000)};
    EXPECT_EQ(scheduleCells(mixed, 5), (std::vector<unsigned>{0, 1, 2, 3}));
}

TEST(CellSchedule, AForwardCellAloneSplitsWhateverItsPaths) {
    // Fewer paths than ranks still split, so that the run fails as it always did.
    EXPECT_EQ(scheduleCells({forward(2)}, 3), (std::vector<unsigned>{all}));
}

}  // namespace cell_schedule_test
}  // namespace
}  // namespace rotor
