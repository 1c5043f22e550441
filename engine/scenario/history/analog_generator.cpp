// SPDX-License-Identifier: MIT
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/history/analog_generator.hpp"

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

std::unique_ptr<PathGenerator> buildAnalogGenerator(const ConfigNode& model,
                                                    const GeneratorContext& ctx,
                                                    std::vector<std::shared_ptr<const ReturnOverlay>> overlays) {
    if (model.isMap() && model.getString("type") != "analog")
        model.at("type").fail("expected 'analog'");
    const auto need = static_cast<Index>(ctx.dates.size());
    HistoryWindow w = loadHistoryWindow(model, ctx, std::max<Index>(need, 2), {});
    return std::make_unique<AnalogGenerator>(std::move(w), ctx, std::move(overlays));
}

}  // namespace rotor
