// SPDX-License-Identifier: MIT
// A forward scenario's `model:` block as typed data: parsed once from YAML (each model type in
// its own *_yaml.cpp, listed in the model table of engine/spec), built into a path generator
// once the forward days, start prices and data are known.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/data/data_store.hpp"
#include "engine/data/price_source.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/path_generator.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

using ReturnOverlays = std::vector<std::shared_ptr<const ReturnOverlay>>;

// What a model's parser knows besides its own block.
struct ModelParseContext {
    Universe universe;
    Date dataCutoff;                       // the simulation start: no data after it may be used
    PriceSource scenarioPrices;            // the scenario universe's price source (may be empty)
    std::vector<std::string> rateRegimes;  // the rate path's regime names, in order
    std::map<std::string, std::string> sleeveParent;  // bifurcation sleeve -> its parent
};

class ModelSpec {
public:
    virtual ~ModelSpec() = default;
    virtual std::string type() const = 0;
    // Reads what the model needs from `data` (calibration, history windows) and builds the
    // generator; data problems are errors located at the key that asked for the data.
    virtual std::unique_ptr<PathGenerator> build(const GeneratorContext& ctx, DataStore& data,
                                                 ReturnOverlays overlays) const = 0;
    // The block as written (defaults filled in, paths resolved): a map value.
    virtual void emit(YamlWriter& out) const = 0;
    // The multiple (P/E-like level, > 0) of `asset` on day 0 when the model simulates its log
    // multiple per path and day (Path::valuation, for the assets of GeneratorContext::universe's
    // `valued`); none when it does not: only the regime model does, for equities with
    // valuation inputs.
    virtual std::optional<double> startMultiple(const std::string& /*asset*/) const {
        return std::nullopt;
    }
};

using ModelParser = std::shared_ptr<const ModelSpec> (*)(const ConfigNode& model,
                                                         const ModelParseContext& ctx);

}  // namespace rotor
