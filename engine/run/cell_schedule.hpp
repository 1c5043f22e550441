// SPDX-License-Identifier: MIT
// Which MPI rank computes each cell of a scenario file (docs/cluster.md, "How a run is shared").
// A forward cell worth more than one rank's fair share of the file's work splits its paths over
// every rank; every other cell (every historical cell, the small forward cells of a pack or a
// sweep) goes whole to one rank, so that it costs no synchronisation of all ranks. The whole
// cells between two split ones are cut into consecutive blocks of about equal estimated cost,
// rank 0's first: rank 0 runs and writes its block while the others compute theirs, then writes
// theirs in file order (engine/run/shared_cells.hpp). The plan follows from the cells alone:
// every rank computes the same one.
#pragma once

#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace rotor {

inline constexpr unsigned kEveryRank = std::numeric_limits<unsigned>::max();

// A forward cell's own work besides its paths (the model's calibration, the realised replay,
// the summaries) costs about as much as this many of its paths (bench/small_cells_sweep.yaml).
inline constexpr double kCellPaths = 500;

// The estimated cost of a cell: strategies x trading days x (paths + a forward cell's own work;
// 1 path for a history).
double cellCost(const ScenarioSpec& cell);

// Per cell: the rank that computes it whole, or kEveryRank (its paths split over all ranks).
// With one rank, every cell is kEveryRank (run in place, as always).
std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks);

}  // namespace rotor
