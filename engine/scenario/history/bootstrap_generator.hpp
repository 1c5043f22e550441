// SPDX-License-Identifier: MIT
// Stationary block bootstrap (Politis and Romano 1994) of a history window: paths are made of
// blocks of consecutive window days, of geometric length with mean `mean_block`, drawn jointly
// for every asset and the rate change.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <vector>

namespace rotor {

class HistoryModelConfig;

// `model` is the analog's block with `type: bootstrap` and `mean_block` (>= 1 day).
std::shared_ptr<const ModelSpec> parseBootstrapModel(const ConfigNode& model,
                                                     const ModelParseContext& ctx);

// The window
// keeps every common trading day of [start, end] (end defaults to the last day of data on or
// before the cut-off). Draw order per path: the rate path (when `rate: path`), then per day
// t >= 1 one uniform for "jump" (t >= 2) and one uniform for a new start when jumping (always
// at t = 1); indices wrap circularly. Overlays change the log returns before they compound.
std::unique_ptr<PathGenerator> buildBootstrapGenerator(const HistoryModelConfig& model,
                                                       const GeneratorContext& ctx, DataStore& data,
                                                       ReturnOverlays overlays = {});

}  // namespace rotor
