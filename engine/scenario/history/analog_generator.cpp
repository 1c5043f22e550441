// SPDX-License-Identifier: MIT
#include "engine/scenario/history/analog_generator.hpp"

#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/history/history_generator.hpp"

namespace rotor {
namespace {

class AnalogGenerator final : public HistoryGenerator {
public:
    using HistoryGenerator::HistoryGenerator;

protected:
    // Simulated day t replays the window's return from day t - 1 to day t: no draw.
    Index nextDay(Xoshiro256&, Index t, Index) const override { return t - 1; }
    void emitOwn(YamlWriter&) const override {}
};

}  // namespace

std::shared_ptr<const ModelSpec> parseAnalogModel(const ConfigNode& model,
                                                  const ModelParseContext& ctx) {
    if (model.isMap() && model.getString("type") != "analog")
        model.at("type").fail("expected 'analog'");
    auto config = std::make_shared<HistoryModelConfig>();
    config->window = parseHistoryWindow(model, ctx, {});
    return config;
}

std::unique_ptr<PathGenerator> buildAnalogGenerator(const HistoryModelConfig& model,
                                                    const GeneratorContext& ctx, DataStore& data,
                                                    ReturnOverlays overlays) {
    const auto need = static_cast<Index>(ctx.dates.size());
    HistoryWindow w = loadHistoryWindow(model.window, ctx, data, std::max<Index>(need, 2));
    return std::make_unique<AnalogGenerator>(std::move(w), ctx, std::move(overlays));
}

}  // namespace rotor
