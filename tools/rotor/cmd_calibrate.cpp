// SPDX-License-Identifier: MIT
// `rotor calibrate SCENARIO.yaml`: estimates the factor model of a forward scenario from its
// `model.calibrate` block and prints the resolved `model:` block (with standard errors and R²),
// ready to paste back as explicit parameters.
#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/run/commands.hpp"
#include "engine/scenario/factor/factor_generator.hpp"
#include "tools/rotor/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

int runCalibrate(const std::vector<std::string>& args, const Context& ctx) {
    (void)ctx;
    po::options_description opts("calibrate options");
    opts.add_options()("file", po::value<std::vector<std::string>>(), "");
    const auto vm = parseArgs(args, opts, "file", "calibrate");
    const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{};
    if (files.size() != 1) throw InputError("calibrate: give exactly one scenario file");

    const ConfigNode root = loadYamlFile(files.front());
    const ConfigNode model = root.at("model");
    if (model.getString("type", "factor") != "factor")
        model.at("type").fail("rotor calibrate handles models of type 'factor' only");
    if (!model.has("calibrate")) model.fail("missing required key 'calibrate' (nothing to calibrate)");

    std::vector<std::string> read;
    GeneratorContext gc;
    gc.universe.assets = root.at("universe").at("assets").asStringList();
    // The scenario must not see its own future: data up to the simulation start only.
    gc.dataCutoff = root.at("simulation").at("start").asDate();
    gc.dataFiles = &read;
    const FactorModelSpec spec = parseFactorModel(model, gc);

    const CalibrationResult& c = *spec.calibration;
    std::cout << "# rotor calibrate " << files.front() << "\n# " << c.observations
              << " daily returns from " << c.first.iso() << " to " << c.last.iso()
              << " (data cut-off " << gc.dataCutoff.iso() << ")\n# files:";
    for (const auto& f : read) std::cout << ' ' << f;
    std::cout << "\n# annual values; betas per unit daily factor return; rate_beta: log return "
                 "per percentage point of rate change\n"
              << calibrationYaml(spec);
    return kExitOk;
}

}  // namespace rotor::cli
