// SPDX-License-Identifier: MIT
#include "engine/scenario/history/bootstrap_generator.hpp"

#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/history/history_generator.hpp"

#include <limits>

namespace rotor {
namespace {

class BootstrapGenerator final : public HistoryGenerator {
public:
    BootstrapGenerator(HistoryWindow w, const GeneratorContext& ctx, ReturnOverlays overlays,
                       double meanBlock)
        : HistoryGenerator(std::move(w), ctx, std::move(overlays)),
          meanBlock_(meanBlock),
          jump_(1.0 / meanBlock),
          days_(window().returns()) {}

protected:
    Index nextDay(Xoshiro256& rng, Index t, Index prev) const override {
        if (t > 1 && rng.uniform() >= jump_) return prev + 1 == days_ ? 0 : prev + 1;
        return uniformDay(rng);
    }
    void emitOwn(YamlWriter& out) const override {
        out << yaml::Key << "mean_block" << yaml::Value << meanBlock_;
    }

private:
    // floor(u K) with u uniform on [0, 1) and 53 random bits: the bias is below K / 2^53.
    Index uniformDay(Xoshiro256& rng) const {
        const auto k = static_cast<Index>(rng.uniform() * static_cast<double>(days_));
        return k < days_ ? k : days_ - 1;
    }

    double meanBlock_;
    double jump_;  // 1 / mean_block: the probability that a block ends after each day
    Index days_;   // K, the window's daily returns
};

}  // namespace

std::shared_ptr<const ModelSpec> parseBootstrapModel(const ConfigNode& model,
                                                     const ModelParseContext& ctx) {
    if (model.isMap() && model.getString("type") != "bootstrap")
        model.at("type").fail("expected 'bootstrap'");
    auto config = std::make_shared<HistoryModelConfig>();
    config->window = parseHistoryWindow(model, ctx, {"mean_block"});
    config->meanBlock = model.at("mean_block").asDoubleIn(1.0, std::numeric_limits<double>::max());
    return config;
}

std::unique_ptr<PathGenerator> buildBootstrapGenerator(const HistoryModelConfig& model,
                                                       const GeneratorContext& ctx, DataStore& data,
                                                       ReturnOverlays overlays) {
    HistoryWindow w = loadHistoryWindow(model.window, ctx, data, std::nullopt);
    return std::make_unique<BootstrapGenerator>(std::move(w), ctx, std::move(overlays),
                                                model.meanBlock);
}

}  // namespace rotor
