// SPDX-License-Identifier: MIT
// Historical analog: every path replays one window's daily returns from the scenario's start
// prices (and, with `rate: replay`, the window's rate changes from the start level).
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

// `model` is the block `{type: analog, window: {start, end?}, assets?, prices?, scale?, rate?,
// rate_series?}` (docs/scenarios-history.md).
std::shared_ptr<const ModelSpec> parseAnalogModel(const ConfigNode& model,
                                                  const ModelParseContext& ctx);

// The window keeps its first T = ctx.dates.size() common trading days; a window with fewer
// days before its end (or the data cut-off) is a ConfigError located at `window`. Overlays
// change the log returns before they compound.
std::unique_ptr<PathGenerator> buildAnalogGenerator(const HistoryModelConfig& model,
                                                    const GeneratorContext& ctx, DataStore& data,
                                                    ReturnOverlays overlays = {});

}  // namespace rotor
