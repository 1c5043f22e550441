// SPDX-License-Identifier: MIT
// Runs a forward (Monte Carlo) scenario: its model (engine/spec/forward_model) -> simulation of
// every strategy on every path -> the realised outcome ranked against the paths.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/results/results.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

using PathProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

// One share of a cell's paths as a shard stored it, and where it came from (for messages):
// `bytes` holds its fingerprint and totals, and `piece(k)` reads the k-th of its `pieces` pieces
// of per-path values, in path order (simulateShare).
struct StoredShare {
    std::string source;  // e.g. the shard file's path
    std::vector<char> bytes;
    std::uint64_t pieces = 0;
    std::function<std::vector<char>(std::uint64_t)> piece;
    // Simulated by a rank of this run (a whole cell given to one rank), not read from a shard:
    // shares that do not fit are then the run's failure (exit 1), not bad input.
    bool fromRank = false;
};

// A share of a cell's paths as bytes: fingerprint and totals, then the per-path values in
// `pieces` pieces, each call of `nextPiece` the next (read back from a temporary file).
struct ShareBytes {
    std::vector<char> head;
    std::uint64_t pieces = 0;
    std::function<std::vector<char>()> nextPiece;
};

// Reads every file through `data` (once per run, checksummed there).
McScenarioRun runForward(const ScenarioSpec& spec, DataStore& data,
                         const PathProgressFn& progress = {});

// The same spread over the processes of `group`: each rank simulates its share of the paths
// (shareOfPaths) and rank 0 combines the shares, bit-identical to one process. Returns the run
// on rank 0 and nothing elsewhere. A failure on any rank fails the cell on every rank (the
// group's failureAgreed is then set), with the lowest failing rank's message.
// With `stored` (rotor merge), the paths come from those shares instead of being simulated
// (InputError when they do not tile the paths or come from another model or data).
// With `paths`, the per-path values (and with `store: paths` the stored paths) stream to it, in
// path order, while the paths run (rank 0: its own share, then the other ranks' in pieces;
// merge: the shares' pieces) and the run returned has pathsStreamed set; otherwise they stay
// in it.
std::optional<McScenarioRun> runForward(const ScenarioSpec& spec, DataStore& data,
                                        const PathProgressFn& progress, ProcessGroup& group,
                                        const std::vector<StoredShare>* stored = nullptr,
                                        McPathSink* paths = nullptr);

// The paths `range` of a forward cell as the bytes a shard stores (rotor run --path-range):
// the model is built as runForward builds it, only those paths are simulated.
ShareBytes simulateShare(const ScenarioSpec& spec, DataStore& data, PathRange range,
                         const PathProgressFn& progress = {});

}  // namespace rotor
