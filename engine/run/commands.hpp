// SPDX-License-Identifier: MIT
// The work behind each `rotor` subcommand, kept in the library so it is testable without a
// process; tools/rotor/main.cpp only parses options and maps exceptions to exit codes.
#pragma once

#include "engine/run/forward.hpp"
#include "engine/run/process_group.hpp"
#include "engine/run/progress.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "engine/strategy/registry.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rotor {

// Documented exit codes (docs/cli.md).
enum ExitCode : int {
    kExitOk = 0,              // everything succeeded
    kExitRuntimeFailure = 1,  // a computation or an output write failed
    kExitBadInput = 2,        // bad YAML, CSV data, or command line; nothing was written
};

// A scenario file, or YAML text standing in for one (e.g. from Python).
struct ScenarioInput {
    // The file. With `text`: the name errors and provenance use, and the file whose folder
    // relative paths (data, `extends`, pack entries) resolve against; it need not exist.
    std::string file;
    std::optional<std::string> text;
};

// A run's progress: `done` of `total` units of the cell named `cell` ("strategies" of a
// historical cell, "paths" of a forward one). Reported with done = 0 as each cell starts, after
// each strategy, and as chunks of paths finish (on the thread that called the run).
struct RunProgress {
    const std::string& cell;
    const char* unit;
    std::uint64_t done;
    std::uint64_t total;
};
// May throw to stop the run: the exception leaves the run after the partial results file (its
// temporary, or the in-memory image) is dropped; earlier files stay written.
using RunObserver = std::function<void(const RunProgress&)>;

struct RunCommand {
    std::vector<ScenarioInput> scenarios;
    std::optional<std::string> output;  // -o (never empty); only with a single scenario file
    // Folders of installed, shared scenarios (the CLI's PREFIX/share/rotor): a scenario file
    // under one, like one whose output folder is not writable, writes its default output
    // (no -o) to results/<file name> under the working directory instead of beside itself.
    std::vector<std::string> sharedScenarioDirs;
    bool force = false;  // overwrite existing outputs
    bool quiet = false;  // no table, no progress
    bool json = false;   // JSON summary on stdout instead of the table
    // Progress on stderr (engine/run/progress.hpp): the CLI's --progress, never with --quiet;
    // `terminal` says whether stderr is one (a live line) or not (plain lines).
    ProgressMode progress = ProgressMode::Never;
    bool terminal = false;
    // Results files are built in memory (RunOutcome::images) and nothing is written to disk;
    // `output`, `force` and the scenarios' `output:` keys are then ignored.
    bool inMemory = false;
    std::string commandLine;
    // Overrides of every forward scenario's `simulation:` block (checked with the YAML's
    // bounds when each cell is parsed).
    SimulationOverrides overrides;
    RunObserver observer;  // optional
    // The processes the run is spread over (null: this one alone). Small cells go whole to one
    // rank, big forward cells share their paths across every rank (cell_schedule.hpp); rank 0
    // alone writes results, tables and progress (docs/cluster.md).
    ProcessGroup* group = nullptr;
    // rotor run --path-range A:B: only paths [A, B) of every forward cell, written to the shard
    // `output` (engine/io/shard_file.hpp) instead of a results file; historical cells are left
    // to the merge.
    std::optional<PathRange> pathRange;
    // rotor merge: each forward cell's paths come from these shares (by cell name) instead of
    // being simulated.
    std::map<std::string, std::vector<StoredShare>> storedShares;
};

struct RunOutcome {
    int exitCode = kExitOk;  // kExitOk, or kExitRuntimeFailure when a strategy failed
    // Per scenario file, in order: the results file written (in memory: the path it would have).
    std::vector<std::string> outputs;
    std::vector<std::vector<char>> images;  // in memory: each results file's bytes
    std::vector<std::string> warnings;      // "<cell>: <warning>", also printed on `err`
};

// Runs each scenario file (a scenario, a sweep or a pack: every cell) and writes one HDF5 file
// per scenario file, through the result sinks (HDF5, summary table or JSON). Before any
// computation: every input is validated; every output is checked (not empty, new or --force, a
// regular file, not a file the run reads: a scenario, parent, pack entry or data file, by
// device and inode); and each file's memory estimate is held to memoryLimitBytes(). Each data
// file is read once per scenario file, and no data file may be an output either. A strategy
// that fails is still written, marked failed (exit code 1). Throws InputError for bad input
// (nothing is computed), rotor::Error when an output cannot be written, and whatever the
// observer throws.
RunOutcome executeRun(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
                      std::ostream& err);

// rotor merge OUT SHARD...: the shards of one scenario file (rotor run --path-range) into the
// results file one run over all paths writes (bit-identical but for the run's own provenance):
// the scenario is planned again from the text the shards stored, its data read again and every
// cell run, with the forward cells' paths taken from the shards. Bad input (exit 2): shards of
// other scenarios, overrides or rotor builds, ranges that overlap or leave gaps, data changed
// since.
struct MergeCommand {
    std::string output;
    std::vector<std::string> shards;
    bool force = false;
    bool quiet = false;
    bool json = false;
    ProgressMode progress = ProgressMode::Never;
    bool terminal = false;
    std::string commandLine;
};
int mergeCommand(const MergeCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
                 std::ostream& err);

// executeRun's exit code.
int runCommand(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
               std::ostream& err);

// What validation found in one cell of a scenario file.
struct CellSummary {
    std::string file;  // the scenario file (or the name of its text)
    std::string name;  // the cell name
    std::string mode;  // "historical" or "monte_carlo"
    std::size_t assets = 0;
    std::size_t strategies = 0;
    std::vector<SweepValue> sweep;
};

// Parses and validates each source (including its strategies' parameters, its data and its
// forward model) without running; throws InputError at the first problem.
std::vector<CellSummary> validateScenarios(const std::vector<ScenarioInput>& sources,
                                           const StrategyRegistry& registry);
// validateScenarios on files, one "file: ok (...)" line per cell on `out`.
int validateCommand(const std::vector<std::string>& files, const StrategyRegistry& registry,
                    std::ostream& out);

// Each strategy type with its summary, then one indented line per parameter.
void listStrategies(const StrategyRegistry& registry, std::ostream& out);

// "2026-11-24T13:45:00Z"
std::string utcNowIso();

}  // namespace rotor
