// SPDX-License-Identifier: MIT
// The cells of a scenario file that one MPI rank computes whole (engine/run/cell_schedule.hpp):
// each rank other than 0 computes its block of consecutive cells and keeps them (histories in
// memory, the forward cells' per-path values in temporary files), then sends them to rank 0 one
// by one, in file order, as rank 0 writes them (the per-path values in pieces, as a share of
// split paths travels; docs/cluster.md, "How a run is shared").
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/run/forward.hpp"
#include "engine/run/history_codec.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <cstddef>
#include <map>
#include <vector>

namespace rotor {

// Cells computed and not yet sent.
struct OwnCells {
    std::map<std::size_t, HistoryCell> histories;
    std::map<std::size_t, ShareBytes> forward;  // every path of the cell
};

// Computes cell `index` (`spec`) whole through `data` into `own`: a history with the order its
// strategies finished in and the checksums of its data; a forward cell as one share of all its
// paths (simulateShare). Throws as running it in place would.
void computeOwnCell(OwnCells& own, std::size_t index, const ScenarioSpec& spec, DataStore& data,
                    const PathProgressFn& progress = {});

// Not rank 0: sends rank 0 the cell `index` this rank computed once rank 0 asks for it (in file
// order), sleeping until then.
void sendOwnCell(OwnCells& own, std::size_t index, ProcessGroup& group);

// Rank 0: asks rank `from` for cell `index` (sendOwnCell) and takes it, sleeping until it
// comes: a history, or the paths of a forward cell as one share runForward combines (its
// pieces received when their turn comes).
HistoryCell receiveHistory(std::size_t index, unsigned from, ProcessGroup& group);
std::vector<StoredShare> receiveForward(std::size_t index, unsigned from, ProcessGroup& group);

}  // namespace rotor
