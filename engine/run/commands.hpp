// SPDX-License-Identifier: MIT
// The work behind each `rotor` subcommand, kept in the library so it is testable without a
// process; tools/rotor/main.cpp only parses options and maps exceptions to exit codes.
#pragma once

#include "engine/spec/scenario_spec.hpp"
#include "engine/strategy/registry.hpp"

#include <cstdint>
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

struct RunCommand {
    std::vector<std::string> files;
    std::string output;     // -o; only with a single scenario file
    bool force = false;     // overwrite existing outputs
    bool quiet = false;     // no table, no progress
    bool json = false;      // JSON summary on stdout instead of the table
    bool progress = false;  // progress lines on stderr (the CLI sets it when stderr is a terminal)
    std::string commandLine;
    // Overrides of every forward scenario's `simulation:` block (checked with the YAML's
    // bounds when each cell is parsed).
    SimulationOverrides overrides;
};

// Runs each scenario file (a scenario, a sweep or a pack: every cell) and writes one HDF5 file
// per scenario file, through the result sinks (HDF5, summary table or JSON). Inputs and output
// paths are all validated before any computation; each data file is read once per scenario
// file. Returns kExitOk, or kExitRuntimeFailure when a strategy failed (its results are still
// written, marked failed).
int runCommand(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
               std::ostream& err);

// Parses and validates each file (including its strategies' parameters) without running.
int validateCommand(const std::vector<std::string>& files, const StrategyRegistry& registry,
                    std::ostream& out);

// Each strategy type with its summary, then one indented line per parameter.
void listStrategies(const StrategyRegistry& registry, std::ostream& out);

// "2026-11-24T13:45:00Z"
std::string utcNowIso();

}  // namespace rotor
