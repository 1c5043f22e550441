// SPDX-License-Identifier: MIT
// `rotor backtest-model FILE.yaml`: a forward model run at past start dates, each calibrated on
// the data before it, and scored against what happened (docs/backtest-model.md).
#include "engine/core/error.hpp"
#include "engine/run/backtest_model.hpp"
#include "tools/rotor/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

int runBacktestModel(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("backtest-model options");
    addRunOptions(opts);
    opts.add_options()("file", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "file", "backtest-model");
    applyLimitOptions(vm);
    const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{};
    if (files.size() != 1) throw InputError("backtest-model: give exactly one spec file");
    BacktestModelCommand cmd;
    cmd.file = files.front();
    if (vm.count("output")) cmd.output = vm["output"].as<std::string>();
    cmd.force = vm.count("force") != 0;
    cmd.quiet = vm.count("quiet") != 0;
    cmd.json = vm.count("json") != 0;
    cmd.progress = progressOption(vm, "backtest-model");
    cmd.terminal = ctx.stderrIsTerminal;
    cmd.commandLine = ctx.commandLine;
    if (vm.count("paths")) cmd.paths = vm["paths"].as<long long>();
    if (vm.count("seed")) cmd.seed = vm["seed"].as<long long>();
    if (vm.count("threads")) cmd.threads = vm["threads"].as<long long>();
    return backtestModelCommand(cmd, ctx.registry, std::cout, std::cerr);
}

}  // namespace rotor::cli
