// SPDX-License-Identifier: MIT
#include "engine/spec/model_table.hpp"

#include "engine/scenario/factor/factor_model.hpp"
#include "engine/scenario/history/analog_generator.hpp"
#include "engine/scenario/history/bootstrap_generator.hpp"
#include "engine/scenario/history/episode_generator.hpp"
#include "engine/scenario/macro/bifurcation.hpp"
#include "engine/scenario/macro/refinancing_wall.hpp"
#include "engine/scenario/regime/regime_generator.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <utility>

namespace rotor {

namespace {

std::shared_ptr<const ModelSpec> parseFactor(const ConfigNode& model,
                                             const ModelParseContext& ctx) {
    return parseFactorModel(model, ctx);
}

struct ModelEntry {
    const char* type;
    ModelParser parse;
};

// The one list of forward models.
const ModelEntry kModels[] = {
    {"factor", &parseFactor},
    {"analog", &parseAnalogModel},
    {"bootstrap", &parseBootstrapModel},
    {"episodes", &parseEpisodeModel},
    {"regime", &parseRegimeModel},
};

}  // namespace

std::vector<std::string> modelTypes() {
    std::vector<std::string> out;
    for (const auto& m : kModels) out.emplace_back(m.type);
    return out;
}

std::shared_ptr<const ModelSpec> parseModel(const ConfigNode& model, const ModelParseContext& ctx) {
    const std::string type = model.getString("type", "factor");
    for (const auto& m : kModels)
        if (type == m.type) return m.parse(model, ctx);
    std::string known;
    for (const auto& m : kModels) known += (known.empty() ? "" : ", ") + std::string(m.type);
    model.at("type").fail("unknown model type '" + type + "' (known: " + known + ")");
}

BifurcationSpec calibratedBifurcation(const ScenarioSpec& spec, const GeneratorContext& ctx,
                                      DataStore& data) {
    const BifurcationSpec& b = *spec.bifurcation;
    if (!b.calibrate) return b;
    // The parent's own prices (its sleeves have none): the style analysis's dependent variable.
    const std::vector<TimeSeries> parent = readPrices(data, spec.universe.prices, {b.parent});
    if (parent.empty() || parent.front().empty())
        b.parentWhere.fail("the parent '" + b.parent + "' has no price data to calibrate on",
                           "bifurcation");
    return calibrateBifurcation(b, parent.front(), data, ctx.dataCutoff);
}

ReturnOverlays buildOverlays(const ScenarioSpec& spec, const GeneratorContext& ctx,
                             DataStore& data) {
    // Overlays act on log returns in this order: the bifurcation first splits the index into
    // its sleeves, then the refinancing wall hits the speculative ones.
    ReturnOverlays overlays;
    if (spec.bifurcation)
        overlays.push_back(
            makeBifurcation(calibratedBifurcation(spec, ctx, data), ctx.universe, ctx.dates));
    if (spec.refinancingWall)
        overlays.push_back(makeRefinancingWall(*spec.refinancingWall, ctx.universe, ctx.dates));
    return overlays;
}

std::unique_ptr<PathGenerator> buildGenerator(const ScenarioSpec& spec, const GeneratorContext& ctx,
                                              DataStore& data) {
    return spec.model->build(ctx, data, buildOverlays(spec, ctx, data));
}

}  // namespace rotor
