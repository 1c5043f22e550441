// SPDX-License-Identifier: MIT
// The history behind the analog and bootstrap generators: a `model:` block's window and asset
// sources (parsed into a HistoryWindowSpec), read and aligned on common trading days into daily
// log returns and rate changes.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/model_spec.hpp"

#include <map>
#include <memory>
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
    ConfigLocation where;    // the asset's entry (or the `prices` pattern) that named the file
    // `before:` a proxy whose returns stand in on the days before this source's first date
    // (e.g. a French size portfolio before IWM's launch); null when none.
    std::shared_ptr<const HistorySource> before;
};

// A history model's block as typed data: nothing is read until loadHistoryWindow.
struct HistoryWindowSpec {
    std::string type;                         // "analog" or "bootstrap"
    std::vector<HistorySource> sources;       // in universe order
    std::map<std::string, bool> givenAssets;  // assets listed under `assets:` (for emission)
    std::string pattern;                      // the `prices:` pattern, or ""
    HistoryRate rate = HistoryRate::Path;
    std::string rateFile;  // replay only
    std::string rateColumn;
    ConfigLocation rateWhere;  // `rate_series`
    Date start;
    std::optional<Date> end;
    ConfigLocation windowWhere;  // `window`
};

struct HistoryWindow {
    std::string type;                    // "analog" or "bootstrap"
    std::vector<HistorySource> sources;  // in universe order
    HistoryRate rate = HistoryRate::Path;
    std::string rateFile;  // replay only
    std::string rateColumn;
    std::vector<Date> days;  // K + 1 common trading days of the window, ascending
    // K x N: row k is the (scaled) log return of each asset from days[k] to days[k + 1].
    Matrix logReturns;
    // K (replay only): the rate change, percentage points, from days[k] to days[k + 1].
    Vector rateChanges;

    Index returns() const { return logReturns.rows(); }
};

// Parses `model` (whose `type` the caller has checked) against the context: the window must lie
// on or before ctx.dataCutoff. `extraKeys` are the caller's own keys in the block. Every YAML
// problem is a ConfigError located at the offending key.
HistoryWindowSpec parseHistoryWindow(const ConfigNode& model, const ModelParseContext& ctx,
                                     const std::vector<std::string>& extraKeys);
// The block's entries as given (defaults filled in), written into a writer inside a map.
void emitHistoryWindowSpec(YamlWriter& out, const HistoryWindowSpec& w);

// Reads the window's data through `data`. With `needDays` set (the analog), the window keeps
// exactly that many trading days from its start and refuses a shorter one; otherwise (the
// bootstrap) it keeps every common day in [start, end]. A window the data cannot fill is a
// ConfigError located at the key that asked for it.
HistoryWindow loadHistoryWindow(const HistoryWindowSpec& spec, const GeneratorContext& ctx,
                                DataStore& data, std::optional<Index> needDays);

// The block's resolved form (files, window days actually used, scales) as YAML map entries,
// written into an emitter that is inside a map.
void emitHistoryWindow(YamlWriter& out, const HistoryWindow& w);

}  // namespace rotor
