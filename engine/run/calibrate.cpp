// SPDX-License-Identifier: MIT
#include "engine/run/calibrate.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/factor/factor_model.hpp"
#include "engine/spec/forward_model.hpp"
#include "engine/spec/model_table.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <sstream>

namespace rotor {

namespace {

// A calibrated bifurcation's sleeves (weights, loadings, vols, the factor), after the model.
void printSleeves(const ScenarioSpec& spec, DataStore& data, std::ostream& os) {
    if (!spec.bifurcation || !spec.bifurcation->calibrate) return;
    GeneratorContext ctx;
    ctx.universe = Universe{spec.universe.assets};
    ctx.dataCutoff = spec.simulation->start;
    YamlWriter out;
    out << yaml::BeginMap << yaml::Key << "bifurcation_calibrated" << yaml::Value;
    emitCalibratedSleeves(out, calibratedBifurcation(spec, ctx, data));
    out << yaml::EndMap;
    os << "# sleeves of " << spec.bifurcation->parent
       << ": value weights by style analysis (weekly), loadings and residual vols "
          "(annual) on daily returns relative to the weighted composite\n"
       << out.str() << "\n";
}

}  // namespace

std::string calibrationReport(const ScenarioInput& source, const StrategyRegistry& registry) {
    const std::string& file = source.file;
    // The scenario as composed (extends included): its universe and its model block.
    const auto cells =
        (source.text ? expandScenarioText(*source.text, file) : expandScenario(file)).cells;
    if (cells.size() != 1)
        throw InputError("calibrate: " + file + " holds " + std::to_string(cells.size()) +
                         " scenarios (a sweep or a pack); calibrate one scenario file");
    const ConfigNode& root = cells.front().root;
    const ScenarioSpec spec = parseScenario(root, registry);
    if (!spec.monteCarlo())
        root.at("mode").fail("rotor calibrate needs a forward scenario (mode: monte_carlo)");
    std::ostringstream out;
    if (spec.model->type() == "regime") {
        // The whole forward model, built as a run builds it: its calibrated description.
        DataStore data;
        const ForwardModel model = buildForwardModel(spec, data);
        out << "# rotor calibrate " << file << " (data cut-off " << spec.simulation->start.iso()
            << ")\n# files:";
        for (const auto& r : data.records()) out << ' ' << r.path;
        out << "\n# classes: annual factor means and vols; assets: class loadings, premia "
               "(annual), idiosyncratic vols (annual)\n"
            << model.generator->describe();
        printSleeves(spec, data, out);
        return out.str();
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
    out << "# rotor calibrate " << file << "\n# " << c.observations << " daily returns from "
        << c.first.iso() << " to " << c.last.iso() << " (data cut-off "
        << spec.simulation->start.iso() << ")\n# files:";
    for (const auto& f : c.files) out << ' ' << f;
    out << "\n# annual values; betas per unit daily factor return; rate_beta: log return "
           "per percentage point of rate change\n"
        << calibrationYaml(model);
    return out.str();
}

}  // namespace rotor
