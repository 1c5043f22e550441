// SPDX-License-Identifier: MIT
// A share's per-path values on their way to the process that combines them (MPI ranks other
// than 0, `rotor run --path-range`): the path sink of its simulation turns the blocks of paths
// into pieces (part_codec's encodePaths) of `piecePaths` paths, the last one shorter, and keeps
// them in an anonymous temporary file instead of memory; they are then taken back one at a time,
// in path order, to be sent or stored.
#pragma once

#include "engine/montecarlo/simulator.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

namespace rotor {

class PieceSpool final : public McPathSink {
public:
    explicit PieceSpool(std::uint64_t piecePaths);
    ~PieceSpool() override;
    PieceSpool(const PieceSpool&) = delete;
    PieceSpool& operator=(const PieceSpool&) = delete;

    void beginPaths(const McScenarioRun& shape) override;
    void writePaths(std::uint64_t first, const McScenarioRun& block) override;
    // The combining process summarises the share; its columns are not read back here
    // (rotor::Error).
    void readPaths(std::size_t strategy, Column column, const Block& block) override;

    // After the last writePaths: the number of pieces, then each in turn.
    std::uint64_t pieces();
    std::vector<char> nextPiece();

private:
    void flush();

    std::uint64_t piecePaths_;
    Index checkpointDay_ = -1;
    std::optional<McPart> pending_;  // the paths of the piece being gathered
    std::FILE* file_ = nullptr;
    std::uint64_t count_ = 0;
    bool reading_ = false;
};

}  // namespace rotor
