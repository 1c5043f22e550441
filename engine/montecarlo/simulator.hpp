// SPDX-License-Identifier: MIT
// The Monte Carlo driver: generates paths in chunks on worker threads, runs every strategy of a
// scenario over each path and keeps only per-path scalars and mergeable histograms, so memory is
// bounded whatever the number of paths and results are bit-identical for any thread count and
// chunk size (path p's outputs depend on p alone and land at index p).
#pragma once

#include "engine/montecarlo/band_histogram.hpp"
#include "engine/portfolio/backtester.hpp"
#include "engine/results/result_sink.hpp"
#include "engine/results/results.hpp"
#include "engine/scenario/path_generator.hpp"
#include "engine/strategy/strategy_spec.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Called on the calling thread (never on a worker) with the number of paths finished so far and
// the total; the last call reports total / total.
using McProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct SimulationInput {
    // Copied to the result as they are.
    std::string name;
    std::string description;
    std::uint64_t seed = 0;

    std::vector<StrategySpec> strategies;  // each worker runs its own clone of each prototype
    // Trades and positions are never recorded in Monte Carlo, whatever this says.
    BacktestConfig backtest;
    std::string benchmark;                               // a strategy name, or "" for none
    std::uint64_t paths = 0;                             // P >= 1
    unsigned threads = 0;                                // 0: std::thread::hardware_concurrency()
    std::uint64_t chunkSize = 256;                       // paths per work unit (>= 1)
    std::vector<double> percentiles{5, 25, 50, 75, 95};  // strictly ascending, in [0, 100]
    bool storePaths = false;  // keep every path's prices and rates (float32)
    std::optional<Index> checkpointDay;
    McProgressFn progress;
    // Where per-path values (stored paths included) go while the run computes, or nullptr: they
    // stay in the result. With a sink, memory holds a window of kWindowChunks chunks per worker
    // thread instead of every path, and simulate reads the summaries' columns back from it.
    McPathSink* pathSink = nullptr;
};

// Chunks per worker thread that may be computed ahead of the oldest one not yet written out.
inline constexpr std::uint64_t kWindowChunks = 4;

// Worker threads per hardware thread at most: more only adds stacks and scratch memory.
inline constexpr unsigned kMaxThreadsPerCore = 4;

// The worker threads a simulation of `chunks` work units starts for `requested` threads (0: one
// per hardware thread): at least 1, at most the chunks and kMaxThreadsPerCore x the hardware.
unsigned effectiveThreads(std::uint64_t requested, std::uint64_t chunks);

// A half-open range [begin, end) of path indices.
struct PathRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::uint64_t size() const { return end - begin; }
    std::string text() const { return std::to_string(begin) + ":" + std::to_string(end); }  // A:B
};

// Part `part` (0-based) of `parts` contiguous ranges that split `paths` as evenly as possible
// (the first paths % parts ranges one path longer). A part may be empty when parts > paths.
PathRange shareOfPaths(std::uint64_t paths, std::uint64_t part, std::uint64_t parts);

// A simulation of one path range before its summaries: `run` has every shared field final
// (names, dates, model, ...) but its per-path arrays hold only the range's paths (path p at
// p - range.begin), and its bands and summaries are empty. The integer histograms the bands
// come from are kept, so parts over disjoint ranges combine exactly (combineParts).
struct McPart {
    PathRange range;
    McScenarioRun run;
    std::vector<BandHistogram> equity;  // per strategy, wealth
    BandHistogram rate{BandHistogram::rate(0)};
    // Per strategy: the lowest path of the range on which it threw (kNoPathFailure: none) and
    // that failure's message.
    std::vector<std::uint64_t> firstFailure;
    std::vector<std::string> errors;
    // Streamed (SimulationInput::pathSink) only: per strategy, the paths on which its terminal
    // wealth beat the benchmark's.
    std::vector<std::uint64_t> beats;
    std::vector<std::uint64_t> regimePaths;  // per regime, its paths
    Matrix attributionSums;                  // per regime, attribution summed in path order
};
inline constexpr std::uint64_t kNoPathFailure = ~std::uint64_t{0};

// Simulates the paths of `range` (within [0, in.paths)) exactly as simulate does: path p's
// outputs depend on (seed, p) alone. Progress counts the range's paths.
McPart simulatePart(const PathGenerator& gen, const SimulationInput& in, PathRange range);

// Joins parts whose ranges tile [0, in.paths) (in any order): per-path arrays concatenated,
// histograms added, failures reduced to the lowest failing path, then the bands and summaries
// computed as simulate computes them. The shared fields come from the first part. Throws
// InputError when the ranges overlap, leave a gap or disagree in shape.
McScenarioRun combineParts(std::vector<McPart> parts, const SimulationInput& in);

// The InputError of ranges that cannot be combined ("Monte Carlo: cannot combine path ranges: "
// and `what`), shared by combineParts and StreamedCombine.
[[noreturn]] void cannotCombine(const std::string& what);

// Streamed parts (SimulationInput::pathSink): tallies paths written to the sink, in path order,
// into `part`: per strategy the paths on which it beat strategy `benchmark` (when given), the
// paths per regime and the attribution summed in path order.
void tallyStreamedPaths(McPart& part, std::optional<std::size_t> benchmark,
                        const McScenarioRun& block);

// combineParts for one part of every path whose per-path values went to in.pathSink, in path
// order and tallied (tallyStreamedPaths): the summaries read the sink's columns back.
McScenarioRun finishStreamed(McPart part, const SimulationInput& in);

// Runs the simulation. Bad parameters (no paths, unknown benchmark, checkpoint outside the
// horizon, ...) throw InputError; a generator failure throws rotor::Error. A strategy that throws
// on a path fails that strategy only (ok = false, error names the lowest failing path).
McScenarioRun simulate(const PathGenerator& gen, const SimulationInput& in);

}  // namespace rotor
