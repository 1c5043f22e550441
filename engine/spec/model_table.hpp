// SPDX-License-Identifier: MIT
// The table of forward models, keyed by their YAML `type` (factor, analog, bootstrap): parsing
// a `model:` block picks its parser here, and a forward scenario's path generator is the built
// model with the macro overlays (`bifurcation:`, then `refinancing_wall:`) applied in order.
// Adding a model is one parser function and one line in model_table.cpp.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/macro/bifurcation.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

struct ScenarioSpec;

// The registered model types, in table order.
std::vector<std::string> modelTypes();

// Parses a `model:` block by its `type` (default `factor`); an unknown type is a ConfigError at
// `type` naming the known ones.
std::shared_ptr<const ModelSpec> parseModel(const ConfigNode& model, const ModelParseContext& ctx);

// The scenario's overlays, in the order they act on log returns.
ReturnOverlays buildOverlays(const ScenarioSpec& spec, const GeneratorContext& ctx,
                             DataStore& data);
// The scenario's bifurcation (it must have one), calibrated from data before ctx.dataCutoff
// when it has a `calibrate:` block.
BifurcationSpec calibratedBifurcation(const ScenarioSpec& spec, const GeneratorContext& ctx,
                                      DataStore& data);

// The scenario's model built on `ctx` with its overlays; data comes through `data`.
std::unique_ptr<PathGenerator> buildGenerator(const ScenarioSpec& spec, const GeneratorContext& ctx,
                                              DataStore& data);

}  // namespace rotor
