// SPDX-License-Identifier: MIT
// The cells of a scenario file that one MPI rank computes whole (engine/run/cell_schedule.hpp):
// every rank computes its own first, all at once, and keeps them (histories in memory, the
// forward cells' per-path values in temporary files); rank 0 then writes every cell in file
// order, taking each whole cell from the rank that computed it (docs/cluster.md).
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/run/forward.hpp"
#include "engine/run/history_codec.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <vector>

namespace rotor {

struct OwnCells {
    std::map<std::size_t, HistoryCell> histories;
    std::map<std::size_t, ShareBytes> forward;  // every path of the cell
};

// Reports `done` of `total` units of cell `index` while it runs.
using CellProgressFn =
    std::function<void(std::size_t index, std::uint64_t done, std::uint64_t total)>;

// Collective: each rank computes the cells `owner` gives it, in file order, through `data` (a
// store of its own: rank 0 reads every cell's data again, in file order, as it writes them, so
// that the results file lists the data files as one process does). `check(i)` runs on every
// rank before cell i (checks of the input that one process makes there). When any rank fails,
// every rank throws the failure of the earliest cell (InputError for bad input, else Error,
// naming the rank when not 0), with the group's failureAgreed set.
OwnCells runOwnCells(const std::vector<ScenarioSpec>& cells, const std::vector<unsigned>& owner,
                     ProcessGroup& group, DataStore& data,
                     const std::function<void(std::size_t)>& check, const CellProgressFn& progress);

// Not rank 0: sends rank 0 the cell `index` this rank computed (rank 0 takes it in file order).
void sendOwnCell(OwnCells& own, std::size_t index, ProcessGroup& group);

// Rank 0: the historical cell `index`, from `owner` (kept, or received).
HistoryCell takeHistory(OwnCells& own, std::size_t index, unsigned owner, ProcessGroup& group);

// Rank 0: the paths of forward cell `index` as one share runForward combines, from `owner`
// (its pieces read when their turn comes: from this rank's temporary file, or received).
std::vector<StoredShare> takeForward(OwnCells& own, std::size_t index, unsigned owner,
                                     ProcessGroup& group);

}  // namespace rotor
