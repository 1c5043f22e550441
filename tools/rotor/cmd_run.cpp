// SPDX-License-Identifier: MIT
// `rotor run`, `rotor validate` and `rotor list-strategies`: scenario files in, results out.
#include "engine/core/error.hpp"
#include "engine/run/commands.hpp"
#include "tools/rotor/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

int runRun(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("run options");
    opts.add_options()("output,o", po::value<std::string>(), "")("force", "")("quiet,q", "")(
        "json", "")("paths", po::value<long long>(), "")("seed", po::value<long long>(), "")(
        "threads", po::value<int>(), "")("files", po::value<std::vector<std::string>>(), "");
    const auto vm = parseArgs(args, opts, "files", "run");
    RunCommand cmd;
    if (vm.count("files")) cmd.files = vm["files"].as<std::vector<std::string>>();
    if (vm.count("output")) cmd.output = vm["output"].as<std::string>();
    cmd.force = vm.count("force") != 0;
    cmd.quiet = vm.count("quiet") != 0;
    cmd.json = vm.count("json") != 0;
    cmd.progress = ctx.stderrIsTerminal && !cmd.quiet;
    cmd.commandLine = ctx.commandLine;
    if (vm.count("paths")) {
        const long long n = vm["paths"].as<long long>();
        if (n < 1) throw InputError("run: --paths must be at least 1");
        cmd.paths = static_cast<std::uint64_t>(n);
    }
    if (vm.count("seed")) {
        const long long n = vm["seed"].as<long long>();
        if (n < 0) throw InputError("run: --seed must be >= 0");
        cmd.seed = static_cast<std::uint64_t>(n);
    }
    if (vm.count("threads")) {
        const int n = vm["threads"].as<int>();
        if (n < 0) throw InputError("run: --threads must be >= 0 (0: all hardware threads)");
        cmd.threads = n;
    }
    return runCommand(cmd, ctx.registry, std::cout, std::cerr);
}

int runValidate(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("validate options");
    opts.add_options()("files", po::value<std::vector<std::string>>(), "");
    const auto vm = parseArgs(args, opts, "files", "validate");
    const auto files = vm.count("files") ? vm["files"].as<std::vector<std::string>>()
                                         : std::vector<std::string>{};
    return validateCommand(files, ctx.registry, std::cout);
}

int runListStrategies(const std::vector<std::string>& args, const Context& ctx) {
    if (!args.empty()) throw InputError("list-strategies takes no arguments");
    listStrategies(ctx.registry, std::cout);
    return kExitOk;
}

}  // namespace rotor::cli
