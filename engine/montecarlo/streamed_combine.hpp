// SPDX-License-Identifier: MIT
// Path ranges combined into a path sink (SimulationInput::pathSink) in path order: MPI rank 0
// and `rotor merge` write each range's per-path values to the results file a piece at a time
// (part_codec's encodePaths), so that memory holds one piece and not every path, and compute the
// summaries by passes over the file, as a one-process streamed run does, bit for bit.
#pragma once

#include "engine/montecarlo/simulator.hpp"

#include <optional>

namespace rotor {

class StreamedCombine {
public:
    // `head`: the paths [0, b) already streamed to in.pathSink by simulatePart (b may be 0).
    StreamedCombine(McPart head, const SimulationInput& in);

    // The totals of a further range (decodeTotals): its histograms are added and its failures
    // kept (the lowest failing path wins), in any order of ranges; they are taken from `totals`.
    void addTotals(McPart& totals);
    // The next paths (decodePaths), beginning where the paths so far end, within a range whose
    // totals were added: written to the sink and tallied.
    void addPaths(const McPart& piece);
    // Every path is in: the run, as simulate's streamed run. InputError when the ranges do not
    // tile the paths.
    McScenarioRun finish();

private:
    McPart part_;
    const SimulationInput& in_;
    std::optional<std::size_t> benchmark_;
    std::uint64_t next_ = 0;         // paths [0, next_) are written
    std::vector<PathRange> ranges_;  // the ranges whose totals were added
};

// Appends the paths of `piece` (decodePaths) to `part`'s per-path arrays: a part assembled in
// memory from its totals and its pieces in order, for combineParts (no path sink).
void appendPaths(McPart& part, const McPart& piece);

}  // namespace rotor
