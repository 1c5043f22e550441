// SPDX-License-Identifier: MIT
// Which MPI rank computes each cell of a scenario file (docs/cluster.md, "How a run is shared").
// A forward cell worth more than one rank's fair share of the file's work splits its paths over
// every rank; every other cell (every historical cell, the small forward cells of a pack or a
// sweep) goes whole to one rank, so that it costs no synchronisation of all ranks. Whole cells
// go to the least loaded rank, largest first. The plan follows from the cells alone: every rank
// computes the same one.
#pragma once

#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace rotor {

inline constexpr unsigned kEveryRank = std::numeric_limits<unsigned>::max();

// The estimated cost of a cell: strategies x trading days x paths (1 for a history).
double cellCost(const ScenarioSpec& cell);

// Per cell: the rank that computes it whole, or kEveryRank (its paths split over all ranks).
// With one rank, every cell is kEveryRank (run in place, as always).
std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks);

}  // namespace rotor
