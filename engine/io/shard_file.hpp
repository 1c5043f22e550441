// SPDX-License-Identifier: MIT
// A shard: what `rotor run FILE --path-range A:B` writes and `rotor merge` combines
// (docs/cluster.md, layout in docs/results-format.md). It holds, per forward cell, the paths
// [A, B) as the bytes the MPI ranks exchange (engine/montecarlo/part_codec, behind a fingerprint
// of the data and model), plus what a merge needs to redo the rest of the run: the scenario
// file as given, its path and the command-line overrides. Not a results file: report, compare
// and export refuse it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rotor {

inline constexpr const char* kShardFormat = "rotor-shard";

struct ShardCell {
    std::string name;         // the cell's scenario name
    std::vector<char> share;  // fingerprint and the part's totals (engine/run/forward.cpp)
    // The part's per-path values in `pieceCount` pieces (part_codec's encodePaths), in path
    // order: writeShardFile takes each from `nextPiece` in turn and writes it before taking the
    // next. readShardFile leaves `nextPiece` empty: merge reads them with readShardPiece.
    std::uint64_t pieceCount = 0;
    std::function<std::vector<char>()> nextPiece;
};

struct ShardContents {
    std::string rotorVersion;
    std::string gitCommit;
    std::string createdUtc;
    std::string commandLine;
    std::string scenarioFile;  // as given on the command line
    std::string scenarioYaml;  // its bytes as the run parsed them
    // --paths, --seed and --threads as given (-1: not given).
    std::int64_t pathsOverride = -1;
    std::int64_t seedOverride = -1;
    std::int64_t threadsOverride = -1;
    std::uint64_t pathBegin = 0;
    std::uint64_t pathEnd = 0;
    std::vector<ShardCell> cells;  // the file's forward cells, in order
};

// Writes through a temporary renamed into place (no overwrite without `force`).
void writeShardFile(const ShardContents& shard, const std::string& path, bool force);

// Throws rotor::InputError (exit 2) for a missing, damaged or non-shard file.
ShardContents readShardFile(const std::string& path);

// Piece `piece` of cell `cell` of a shard readShardFile read (InputError as readShardFile).
std::vector<char> readShardPiece(const std::string& path, std::size_t cell, std::uint64_t piece);

}  // namespace rotor
