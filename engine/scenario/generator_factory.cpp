// SPDX-License-Identifier: MIT
#include "engine/scenario/generator_factory.hpp"

#include "engine/scenario/factor/factor_generator.hpp"
#include "engine/scenario/history/analog_generator.hpp"
#include "engine/scenario/history/bootstrap_generator.hpp"
#include "engine/scenario/macro/bifurcation.hpp"
#include "engine/scenario/macro/refinancing_wall.hpp"

namespace rotor {

std::unique_ptr<PathGenerator> buildGenerator(const ScenarioSpec& spec, const GeneratorContext& ctx) {
    // Overlays act on log returns in this order: the bifurcation first splits the index into
    // its sleeves, then the refinancing wall hits the speculative ones.
    std::vector<std::shared_ptr<const ReturnOverlay>> overlays;
    if (spec.bifurcation)
        overlays.push_back(makeBifurcation(parseBifurcation(*spec.bifurcation), ctx.universe, ctx.dates));
    if (spec.refinancingWall)
        overlays.push_back(
            makeRefinancingWall(parseRefinancingWall(*spec.refinancingWall), ctx.universe, ctx.dates));

    const ConfigNode& model = *spec.model;
    const std::string type = model.getString("type", "factor");
    if (type == "factor") return buildFactorGenerator(model, ctx, overlays);
    if (type == "analog") return buildAnalogGenerator(model, ctx, overlays);
    if (type == "bootstrap") return buildBootstrapGenerator(model, ctx, overlays);
    model.at("type").fail("unknown model type '" + type + "' (known: factor, analog, bootstrap)");
}

}  // namespace rotor
