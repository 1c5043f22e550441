// SPDX-License-Identifier: MIT
// `rotor run`, `rotor validate` and `rotor list-strategies`: scenario files in, results out.
#include "engine/core/error.hpp"
#include "engine/run/commands.hpp"
#include "tools/rotor/cli.hpp"

#include <filesystem>
#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

namespace {

// "A:B" with 0 <= A < B, both integers.
PathRange parsePathRange(const std::string& text) {
    const auto colon = text.find(':');
    const auto number = [&](const std::string& part) -> std::uint64_t {
        if (part.empty() || part.size() > 19 ||
            part.find_first_not_of("0123456789") != std::string::npos)
            throw InputError("run: --path-range expects A:B (paths A to B-1), found '" + text +
                             "'");
        return std::stoull(part);
    };
    if (colon == std::string::npos)
        throw InputError("run: --path-range expects A:B (paths A to B-1), found '" + text + "'");
    return {number(text.substr(0, colon)), number(text.substr(colon + 1))};
}

}  // namespace

int runRun(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("run options");
    addRunOptions(opts);
    opts.add_options()("files", po::value<std::vector<std::string>>(),
                       "")("path-range", po::value<std::string>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "run");
    applyLimitOptions(vm);
    RunCommand cmd;
    if (vm.count("files"))
        for (const auto& f : vm["files"].as<std::vector<std::string>>())
            cmd.scenarios.push_back({f, std::nullopt});
    if (vm.count("output")) cmd.output = vm["output"].as<std::string>();
    // Installed as PREFIX/bin/rotor: the bundled scenarios are in PREFIX/<datadir>/rotor.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec && exe.parent_path().filename() == ROTOR_INSTALL_BINDIR)
        cmd.sharedScenarioDirs.push_back(
            (exe.parent_path().parent_path() / ROTOR_INSTALL_DATADIR / "rotor").string());
    cmd.force = vm.count("force") != 0;
    cmd.quiet = vm.count("quiet") != 0;
    cmd.json = vm.count("json") != 0;
    cmd.progress = progressOption(vm, "run");
    cmd.terminal = ctx.stderrIsTerminal;
    cmd.commandLine = ctx.commandLine;
    cmd.group = &ctx.group;
    // Range checks happen with the YAML's own bounds, before any scenario is read.
    if (vm.count("paths")) cmd.overrides.paths = vm["paths"].as<long long>();
    if (vm.count("seed")) cmd.overrides.seed = vm["seed"].as<long long>();
    if (vm.count("threads")) cmd.overrides.threads = vm["threads"].as<long long>();
    if (vm.count("path-range")) cmd.pathRange = parsePathRange(vm["path-range"].as<std::string>());
    return runCommand(cmd, ctx.registry, std::cout, std::cerr);
}

int runMerge(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("merge options");
    opts.add_options()("files", po::value<std::vector<std::string>>(), "")("force", "")(
        "quiet,q", "")("json", "")("progress", po::value<std::string>()->default_value("auto"), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "merge");
    applyLimitOptions(vm);
    const auto files = vm.count("files") ? vm["files"].as<std::vector<std::string>>()
                                         : std::vector<std::string>{};
    if (files.size() < 2) throw InputError("merge: expected OUT.h5 SHARD.h5 [SHARD.h5 ...]");
    MergeCommand cmd;
    cmd.output = files.front();
    cmd.shards.assign(files.begin() + 1, files.end());
    cmd.force = vm.count("force") != 0;
    cmd.quiet = vm.count("quiet") != 0;
    cmd.json = vm.count("json") != 0;
    cmd.progress = progressOption(vm, "merge");
    cmd.terminal = ctx.stderrIsTerminal;
    cmd.commandLine = ctx.commandLine;
    return mergeCommand(cmd, ctx.registry, std::cout, std::cerr);
}

int runValidate(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("validate options");
    opts.add_options()("files", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "files", "validate");
    applyLimitOptions(vm);
    const auto files = vm.count("files") ? vm["files"].as<std::vector<std::string>>()
                                         : std::vector<std::string>{};
    return validateCommand(files, ctx.registry, std::cout);
}

int runListStrategies(const std::vector<std::string>& args, const Context& ctx) {
    if (!args.empty())
        throw InputError("list-strategies takes no arguments, not '" + args.front() + "'");
    listStrategies(ctx.registry, std::cout);
    return kExitOk;
}

}  // namespace rotor::cli
