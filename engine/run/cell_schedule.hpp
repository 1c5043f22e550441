// SPDX-License-Identifier: MIT
// Which MPI rank computes each cell of a scenario file (docs/cluster.md, "How a run is shared").
// A forward cell splits its paths over every rank when each rank gets at least one of them;
// every other cell (every historical cell, a forward cell of fewer paths than ranks in a pack or
// a sweep) goes whole to one rank. Rank 0 writes
// the cells in file order: it runs its own in place, and takes each other rank's as soon as that
// rank has computed it (engine/run/shared_cells.hpp). Cells are given in file order, each to the
// rank that, by the estimated costs, has it written soonest. The plan follows from the cells
// alone: every rank computes the same one.
#pragma once

#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace rotor {

inline constexpr unsigned kEveryRank = std::numeric_limits<unsigned>::max();

// Estimates in paths of the same cell, from one process on bench/small_cells_sweep.yaml: a
// forward cell's own work besides its paths (the model's calibration, the realised replay, the
// summaries) costs about as much as 500 of its paths; rank 0 does that work again for a cell
// another rank computed, and writes and summarises its paths at a twentieth of their cost. A
// history another rank ran costs rank 0 a third of running it (its data, the file).
inline constexpr double kCellPaths = 500;
inline constexpr double kWritePerPath = 0.05;
inline constexpr double kWriteHistory = 0.3;

// The estimated cost of computing a cell: strategies x trading days x (paths + kCellPaths; one
// path for a history).
double cellCost(const ScenarioSpec& cell);

// Per cell: the rank that computes it whole, or kEveryRank (its paths split over all ranks).
// With one rank, every cell is kEveryRank (run in place, as always).
// What writing the cell costs rank 0 when another rank computed it.
double writeCost(const ScenarioSpec& cell);

std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks);

}  // namespace rotor
