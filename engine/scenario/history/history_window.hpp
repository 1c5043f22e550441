// SPDX-License-Identifier: MIT
// The history behind the analog and bootstrap generators: a `model:` block's window and asset
// sources, read and aligned on common trading days into daily log returns and rate changes.
#pragma once

#include "engine/config/yaml_writer.hpp"
#include "engine/config/config_node.hpp"
#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/generator_context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Where a path's cash rate comes from: the scenario's rate path, or the window's own changes.
enum class HistoryRate { Path, Replay };

// Where one simulated asset's history comes from.
struct HistorySource {
    std::string asset;
    std::string file;        // resolved path
    std::string column;      // "" when the file has one value column
    bool isReturns = false;  // a file of daily returns instead of prices
    double unit = 1.0;       // returns file: raw value x unit = simple return (0.01 for percent)
    double scale = 1.0;      // multiplier of the daily log return (the block's `scale:`)
};

struct HistoryWindow {
    std::string type;                   // "analog" or "bootstrap"
    std::vector<HistorySource> sources;  // in universe order
    HistoryRate rate = HistoryRate::Path;
    std::string rateFile;    // replay only
    std::string rateColumn;
    std::vector<Date> days;  // K + 1 common trading days of the window, ascending
    // K x N: row k is the (scaled) log return of each asset from days[k] to days[k + 1].
    Matrix logReturns;
    // K (replay only): the rate change, percentage points, from days[k] to days[k + 1].
    Vector rateChanges;

    Index returns() const { return logReturns.rows(); }
};

// Reads `model` (whose `type` the caller has checked) against the context: the window must lie
// on or before ctx.dataCutoff. With `needDays` set (the analog), the window keeps exactly that
// many trading days from its start and refuses a shorter one; otherwise (the bootstrap) it
// keeps every common day in [start, end]. `extraKeys` are the caller's own keys in the block.
// Every YAML problem, and every window the data cannot fill, is a ConfigError located at the
// offending key; the files read are recorded in the context.
HistoryWindow loadHistoryWindow(const ConfigNode& model, const GeneratorContext& ctx,
                                std::optional<Index> needDays,
                                const std::vector<std::string>& extraKeys);

// The block's resolved form (files, window days actually used, scales) as YAML map entries,
// written into an emitter that is inside a map.
void emitHistoryWindow(YamlWriter& out, const HistoryWindow& w);

}  // namespace rotor
