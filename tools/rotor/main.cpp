// SPDX-License-Identifier: MIT
// The `rotor` command: pick the subcommand, let it parse its options, map exceptions to exit codes.
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/core/version.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/run/commands.hpp"
#include "strategies/register_builtin.hpp"
#include "tools/rotor/cli.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace rotor::cli {

const std::vector<Subcommand>& subcommands() {
    static const std::vector<Subcommand> table = {
        {"run",
         "run FILE.yaml [FILE.yaml ...] [-o OUT.h5] [--force] [--quiet] [--json]\n"
         "      [--progress auto|always|never] [--paths N] [--seed S] [--threads T]\n"
         "      [--path-range A:B] [LIMITS]\n"
         "      run scenarios (history or Monte Carlo; sweeps and packs: every cell);\n"
         "      one HDF5 result file per scenario file; --path-range: only paths A..B-1 of\n"
         "      every forward cell, into the shard -o names (combine with merge);\n"
         "      under mpirun -np N the paths are shared by the N processes",
         runRun},
        {"merge",
         "merge OUT.h5 SHARD.h5 [SHARD.h5 ...] [--force] [--quiet] [--json]\n"
         "      [--progress auto|always|never] [LIMITS]\n"
         "      the shards of one scenario file (run --path-range A:B) into the results\n"
         "      file a run over all paths writes",
         runMerge},
        {"validate",
         "validate FILE.yaml [...] [LIMITS]\n"
         "      check scenario files (syntax, keys, strategy parameters)",
         runValidate},
        {"calibrate",
         "calibrate SCENARIO.yaml [LIMITS]\n"
         "      estimate the factor model of a forward scenario (OLS); print its YAML\n"
         "      block with standard errors and R^2",
         runCalibrate},
        {"backtest-model",
         "backtest-model SPEC.yaml [-o OUT.h5] [--force] [--quiet] [--json]\n"
         "      [--progress auto|always|never] [--paths N] [--seed S] [--threads T] [LIMITS]\n"
         "      run a forward scenario's regime model at past starts, each calibrated on\n"
         "      the data before it; score the realised outcomes (PIT, bands, CRPS, KS)",
         runBacktestModel},
        {"list-strategies",
         "list-strategies\n      the strategy types a scenario may use, with their parameters\n"
         "      (type, default, range)",
         runListStrategies, false},
        {"compare",
         "compare RESULTS.h5 [MORE.h5 ...] [--metric M] [--by scenario|strategy]\n"
         "      [--format table|csv|markdown|json] [--layout side|stacked] [--all]\n"
         "      strategies x scenarios, ranked; two files side by side (pairs in both\n"
         "      unless --all); --metric takes any stored metric",
         runCompare},
        {"report",
         "report RESULTS.h5|BACKTEST.h5 [-o REPORT.html] [--force] [--metric M] [--axes X,Y]\n"
         "      [--cell NAME]\n"
         "      one self-contained HTML tear sheet (default output: RESULTS.html);\n"
         "      --metric ranks and fills sweep heatmaps over the swept parameters X,Y;\n"
         "      a sweep shows one cell in full (--cell, default: the best ranked), the\n"
         "      others compact;\n"
         "      a backtest-model file gets PIT histograms, coverage, CRPS and KS tests",
         runReport},
        {"export",
         "export RESULTS.h5 --csv DIR [--force]\n"
         "      results as CSV files for spreadsheets",
         runExport},
    };
    return table;
}

po::variables_map parseArgs(const std::vector<std::string>& args,
                            const po::options_description& opts, const std::string& positional,
                            const std::string& command) {
    po::positional_options_description pos;
    if (!positional.empty()) pos.add(positional.c_str(), -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw InputError(command + ": " + e.what() + " (see rotor --help)");
    }
    return vm;
}

void addLimitOptions(po::options_description& opts) {
    opts.add_options()("max-memory", po::value<std::string>(),
                       "")("max-yaml-size", po::value<std::string>(),
                           "")("max-data-size", po::value<std::string>(), "");
}

void addRunOptions(po::options_description& opts) {
    opts.add_options()("output,o", po::value<std::string>(), "")("force", "")("quiet,q", "")(
        "json", "")("progress", po::value<std::string>()->default_value("auto"),
                    "")("paths", po::value<long long>(), "")("seed", po::value<long long>(), "")(
        "threads", po::value<long long>(), "");
}

ProgressMode progressOption(const po::variables_map& vm, const std::string& command) {
    const std::string progress = vm["progress"].as<std::string>();
    const auto mode = parseProgressMode(progress);
    if (!mode)
        throw InputError(command + ": --progress must be auto, always or never, not '" + progress +
                         "'");
    return *mode;
}

void applyLimitOptions(const po::variables_map& vm) {
    InputLimits limits = inputLimits();
    const auto size = [&](const char* flag, std::uint64_t& into) {
        if (!vm.count(flag)) return;
        const std::string text = vm[flag].as<std::string>();
        const auto v = parseByteSize(text);
        if (!v || *v == 0)
            throw InputError(std::string("--") + flag +
                             ": expected a size such as 512M or 2G, found '" + text + "'");
        into = *v;
    };
    size("max-memory", limits.maxMemoryBytes);
    size("max-yaml-size", limits.maxYamlBytes);
    size("max-data-size", limits.maxDataBytes);
    setInputLimits(limits);
}

}  // namespace rotor::cli

namespace {

const char* kLimits =
    "limits (run, validate, calibrate, backtest-model; --max-memory also compare, report,\n"
    "        export):\n"
    "  --max-memory SIZE     refuse a run estimated to need more (default: half the\n"
    "                        machine's memory)\n"
    "  --max-yaml-size SIZE  largest scenario file read (default 1M)\n"
    "  --max-data-size SIZE  largest data file read (default 1G)\n\n";

const char* kExitCodes =
    "exit codes: 0 ok, 1 runtime failure, 2 bad input (YAML, data, command line)\n";

void printUsage() {
    std::cout << "usage: rotor <command> [options]\n\ncommands:\n";
    for (const auto& c : rotor::cli::subcommands()) std::cout << "  " << c.synopsis << '\n';
    std::cout << "\noptions:\n  -h, --help      this help (rotor COMMAND --help: that command's)\n"
                 "  --version       rotor version and git commit\n\n"
              << kLimits << kExitCodes;
}

int dispatch(int argc, char** argv, rotor::ProcessGroup& group) {
    std::string commandLine;
    for (int i = 0; i < argc; ++i) {
        if (i) commandLine += ' ';
        commandLine += argv[i];
    }
    if (argc < 2) throw rotor::InputError("no command given (see rotor --help)");
    const std::string first = argv[1];
    if (first == "-h" || first == "--help" || first == "help") {
        printUsage();
        return rotor::kExitOk;
    }
    if (first == "--version") {
        std::cout << "rotor " << rotor::version() << " (" << rotor::gitCommit() << ")\n";
        return rotor::kExitOk;
    }
    const std::vector<std::string> args(argv + 2, argv + argc);
    std::string known;
    for (const auto& c : rotor::cli::subcommands()) {
        if (first == c.name) {
            // `rotor CMD --help` (or -h anywhere among its words): that command's usage, exit 0.
            for (const auto& a : args)
                if (a == "--help" || a == "-h") {
                    std::cout << "usage: rotor " << c.synopsis << "\n\n"
                              << (c.takesLimits ? kLimits : "") << kExitCodes;
                    return rotor::kExitOk;
                }
            if (group.size() > 1 && first != "run") {
                group.failureAgreed = true;  // every rank sees the same command line
                throw rotor::InputError("rotor " + first +
                                        " does not run under MPI; only rotor run does");
            }
            const rotor::cli::Context ctx{rotor::strategies::builtinRegistry(), commandLine,
                                          isatty(STDERR_FILENO) != 0, group};
            return c.run(args, ctx);
        }
        if (!known.empty()) known += ", ";
        known += c.name;
    }
    throw rotor::InputError("unknown command '" + first + "' (known: " + known + ")");
}

// A run allocates and frees multi-megabyte buffers (file text, price matrices, per-strategy
// series): keeping freed memory in the heap instead of unmapping it lets later buffers reuse
// pages already faulted in (~1.3 ms of a 25-year history run).
void keepFreedMemory() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest; below it, blocks come from the heap
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}

// Under MPI with several ranks, a failure the ranks did not agree on ends them all (the others
// may be waiting for this one); otherwise MPI (even with one rank) is finalised before the
// process ends.
void leaveGroup(std::unique_ptr<rotor::ProcessGroup>& group, int rc) {
    if (!group) return;
    if (group->size() > 1 && rc != rotor::kExitOk && !group->failureAgreed) {
        std::cerr.flush();
        group->abortAll(rc);
    }
    group.reset();
}

// An error message, once per run: rank 0 prints those every rank agreed on, and a rank prints
// its own failure with its number; a failure found in another rank's share (`aboutOtherRank`)
// names that rank already, and only that one.
void printError(const rotor::ProcessGroup* group, const std::string& text,
                bool aboutOtherRank = false) {
    if (group == nullptr || group->size() == 1 || (group->root() && group->failureAgreed) ||
        (aboutOtherRank && !group->failureAgreed)) {
        std::cerr << "rotor: " << text << '\n';
    } else if (!group->failureAgreed) {
        std::cerr << "rotor: MPI rank " << group->rank() << ": " << text << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
    keepFreedMemory();
    rotor::removeTemporariesOnSignal();  // Ctrl-C leaves no half-written result file behind
    std::unique_ptr<rotor::ProcessGroup> group;
    int rc = rotor::kExitOk;
    try {
        group = rotor::joinProcessGroup(&argc, &argv);
        rc = dispatch(argc, argv, *group);
    } catch (const rotor::InputError& e) {
        printError(group.get(), e.what());
        leaveGroup(group, rotor::kExitBadInput);
        return rotor::kExitBadInput;
    } catch (const std::exception& e) {
        const bool aboutOtherRank = dynamic_cast<const rotor::RankError*>(&e) != nullptr;
        printError(group.get(), std::string("error: ") + e.what(), aboutOtherRank);
        leaveGroup(group, rotor::kExitRuntimeFailure);
        return rotor::kExitRuntimeFailure;
    }
    leaveGroup(group, rc);
    // Every result file is closed and renamed into place and the streams are flushed: skip the
    // teardown (freeing every buffer, HDF5's atexit clean-up), ~2 ms of a run.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(rc);
}
