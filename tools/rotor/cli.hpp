// SPDX-License-Identifier: MIT
// The subcommand table of `rotor`: each subcommand parses its own options (Boost.PO) in its own
// cmd_<name>.cpp and calls the library; main.cpp maps exceptions to exit codes.
#pragma once

#include "engine/run/process_group.hpp"
#include "engine/run/progress.hpp"
#include "engine/strategy/registry.hpp"

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace rotor::cli {

struct Context {
    const StrategyRegistry& registry;
    std::string commandLine;  // the whole command line, for provenance
    bool stderrIsTerminal = false;
    ProcessGroup& group;  // the MPI ranks under mpirun, else this process alone
};

struct Subcommand {
    const char* name;
    const char* synopsis;  // one or two lines for `rotor --help`
    int (*run)(const std::vector<std::string>& args, const Context& ctx);
    bool takesLimits = true;  // accepts --max-memory / --max-yaml-size / --max-data-size
};

// Every subcommand, in the order `rotor --help` lists them (defined in main.cpp).
const std::vector<Subcommand>& subcommands();

// Parses `args` (the words after the subcommand) against `opts`, with `positional` naming the
// option that takes the positional words ("" for none). Throws InputError on any bad option.
boost::program_options::variables_map parseArgs(
    const std::vector<std::string>& args, const boost::program_options::options_description& opts,
    const std::string& positional, const std::string& command);

// --max-memory, --max-yaml-size and --max-data-size (docs/cli.md, "Limits"), for the commands
// that read scenarios and data; applyLimitOptions sets the process-wide InputLimits from them.
void addLimitOptions(boost::program_options::options_description& opts);
void applyLimitOptions(const boost::program_options::variables_map& vm);

// The options of the commands that run forward paths and write a results file (run,
// backtest-model): -o, --force, --quiet, --json, --progress, --paths, --seed, --threads.
void addRunOptions(boost::program_options::options_description& opts);
// --progress as a mode; an InputError naming `command` for anything but auto, always, never.
ProgressMode progressOption(const boost::program_options::variables_map& vm,
                            const std::string& command);

int runMerge(const std::vector<std::string>& args, const Context& ctx);
int runRun(const std::vector<std::string>& args, const Context& ctx);
int runValidate(const std::vector<std::string>& args, const Context& ctx);
int runCalibrate(const std::vector<std::string>& args, const Context& ctx);
int runBacktestModel(const std::vector<std::string>& args, const Context& ctx);
int runListStrategies(const std::vector<std::string>& args, const Context& ctx);
int runCompare(const std::vector<std::string>& args, const Context& ctx);
int runReport(const std::vector<std::string>& args, const Context& ctx);
int runExport(const std::vector<std::string>& args, const Context& ctx);

}  // namespace rotor::cli
