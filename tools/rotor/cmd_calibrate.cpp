// SPDX-License-Identifier: MIT
// `rotor calibrate SCENARIO.yaml`: estimates the factor model of a forward scenario from its
// `model.calibrate` block and prints the resolved `model:` block (with standard errors and R²),
// ready to paste back as explicit parameters.
#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/run/commands.hpp"
#include "engine/scenario/factor/factor_model.hpp"
#include "engine/spec/forward_model.hpp"
#include "engine/spec/model_table.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "tools/rotor/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace rotor::cli {

namespace {

// A calibrated bifurcation's sleeves (weights, loadings, vols, the factor), after the model.
void printSleeves(const ScenarioSpec& spec, DataStore& data) {
    if (!spec.bifurcation || !spec.bifurcation->calibrate) return;
    GeneratorContext ctx;
    ctx.universe = Universe{spec.universe.assets};
    ctx.dataCutoff = spec.simulation->start;
    YamlWriter out;
    out << yaml::BeginMap << yaml::Key << "bifurcation_calibrated" << yaml::Value;
    emitCalibratedSleeves(out, calibratedBifurcation(spec, ctx, data));
    out << yaml::EndMap;
    std::cout << "# sleeves of " << spec.bifurcation->parent
              << ": value weights by style analysis (weekly), loadings and residual vols "
                 "(annual) on daily returns relative to the weighted composite\n"
              << out.str() << "\n";
}

}  // namespace

int runCalibrate(const std::vector<std::string>& args, const Context& ctx) {
    po::options_description opts("calibrate options");
    opts.add_options()("file", po::value<std::vector<std::string>>(), "");
    addLimitOptions(opts);
    const auto vm = parseArgs(args, opts, "file", "calibrate");
    applyLimitOptions(vm);
    const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>()
                                        : std::vector<std::string>{};
    if (files.size() != 1) throw InputError("calibrate: give exactly one scenario file");

    // The scenario as composed (extends included): its universe and its model block.
    const auto cells = expandScenarioFile(files.front());
    if (cells.size() != 1)
        throw InputError("calibrate: " + files.front() + " holds " + std::to_string(cells.size()) +
                         " scenarios (a sweep or a pack); calibrate one scenario file");
    const ConfigNode& root = cells.front().root;
    const ScenarioSpec spec = parseScenario(root, ctx.registry);
    if (!spec.monteCarlo())
        root.at("mode").fail("rotor calibrate needs a forward scenario (mode: monte_carlo)");
    if (spec.model->type() == "regime") {
        // The whole forward model, built as a run builds it: its calibrated description.
        DataStore data;
        const ForwardModel model = buildForwardModel(spec, data);
        std::cout << "# rotor calibrate " << files.front() << " (data cut-off "
                  << spec.simulation->start.iso() << ")\n# files:";
        for (const auto& r : data.records()) std::cout << ' ' << r.path;
        std::cout << "\n# classes: annual factor means and vols; assets: class loadings, premia "
                     "(annual), idiosyncratic vols (annual)\n"
                  << model.generator->describe();
        printSleeves(spec, data);
        return kExitOk;
    }
    const auto* factor = dynamic_cast<const FactorModelConfig*>(spec.model.get());
    if (!factor)
        root.at("model").at("type").fail(
            "rotor calibrate handles models of type 'factor' and 'regime'");
    if (!factor->calibrate)
        root.at("model").fail("missing required key 'calibrate' (nothing to calibrate)");

    DataStore data;
    const FactorModelSpec model = factor->resolve(Universe{spec.universe.assets}, data);
    const CalibrationResult& c = *model.calibration;
    std::cout << "# rotor calibrate " << files.front() << "\n# " << c.observations
              << " daily returns from " << c.first.iso() << " to " << c.last.iso()
              << " (data cut-off " << spec.simulation->start.iso() << ")\n# files:";
    for (const auto& f : c.files) std::cout << ' ' << f;
    std::cout << "\n# annual values; betas per unit daily factor return; rate_beta: log return "
                 "per percentage point of rate change\n"
              << calibrationYaml(model);
    return kExitOk;
}

}  // namespace rotor::cli
