// SPDX-License-Identifier: MIT
// `rotor calibrate SCENARIO.yaml`: estimates the factor model of a forward scenario from its
// `model.calibrate` block and prints the resolved `model:` block (with standard errors and R²),
// ready to paste back as explicit parameters.
#include "engine/core/error.hpp"
#include "engine/run/calibrate.hpp"
#include "tools/rotor/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

int runCalibrate(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("calibrate options");
    opts.add_options()("file", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "file", "calibrate");
    applyLimitOptions(vm);
    const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{};
    if (files.size() != 1) throw InputError("calibrate: give exactly one scenario file");
    std::cout << calibrationReport({files.front(), std::nullopt}, ctx.registry);
    return kExitOk;
}

}  // namespace rotor::cli
