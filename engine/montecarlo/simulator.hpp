// SPDX-License-Identifier: MIT
// The Monte Carlo driver: generates paths in chunks on worker threads, runs every strategy of a
// scenario over each path and keeps only per-path scalars and mergeable histograms, so memory is
// bounded whatever the number of paths and results are bit-identical for any thread count and
// chunk size (path p's outputs depend on p alone and land at index p).
#pragma once

#include "engine/portfolio/backtester.hpp"
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
};

// Worker threads per hardware thread at most: more only adds stacks and scratch memory.
inline constexpr unsigned kMaxThreadsPerCore = 4;

// The worker threads a simulation of `chunks` work units starts for `requested` threads (0: one
// per hardware thread): at least 1, at most the chunks and kMaxThreadsPerCore x the hardware.
unsigned effectiveThreads(std::uint64_t requested, std::uint64_t chunks);

// Runs the simulation. Bad parameters (no paths, unknown benchmark, checkpoint outside the
// horizon, ...) throw InputError; a generator failure throws rotor::Error. A strategy that throws
// on a path fails that strategy only (ok = false, error names the lowest failing path).
McScenarioRun simulate(const PathGenerator& gen, const SimulationInput& in);

}  // namespace rotor
