// SPDX-License-Identifier: MIT
// A scenario file parsed into typed, validated data (ORE's fromXML -> builder split). Each
// block is parsed by the module that owns it (rate path, model, overlays, strategies); this
// layer assembles them, and engine/spec builds paths, generators and runs from the result.
// Nothing here holds YAML: the spec is plain data, and resolvedYaml() writes it back.
#pragma once

#include "engine/config/compose.hpp"
#include "engine/core/date.hpp"
#include "engine/core/error.hpp"
#include "engine/data/price_source.hpp"
#include "engine/portfolio/backtester.hpp"
#include "engine/scenario/macro/bifurcation.hpp"
#include "engine/scenario/macro/refinancing_wall.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/rate_path.hpp"
#include "engine/strategy/registry.hpp"
#include "engine/strategy/strategy_spec.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

class ConfigNode;

// Extends an asset's history backwards before its first date (e.g. IWM before 2000-05-26 from
// the French small-cap portfolio, SHY before 2002-07-30 from the cash rate).
struct BackfillSpec {
    enum class Kind { Cash, Returns };
    Kind kind = Kind::Cash;
    std::string file;    // Returns: a date,value file of daily returns
    std::string column;  // Returns: the column to read ("" = the only one)
    double scale = 1.0;  // Returns: multiplier to a fraction (0.01 for *_pct columns)
};

// Where an asset's valuation series comes from (`universe.valuation`, docs/data.md "Valuation
// series"). In history: a column of multiples (`multiple:`, e.g. P/E, > 0; the path carries its
// log) or of daily returns (`returns:`, a proxy: the log of their compounded index, the
// multiple's path if fundamentals grew alike across the assets compared). An observation dated
// d is known from d + lag_days (publication); it is carried on at most max_stale_days. In a
// forward scenario (`model`): the model's simulated multiple on days 0..T-1; a file, when given
// too, is the history before day 0, shifted in log to meet the model's multiple on day 0.
struct ValuationSourceSpec {
    enum class Kind { Multiple, Returns };
    bool model = false;  // forward: the path's multiple comes from the model
    Kind kind = Kind::Returns;
    // The file (resolved), or "" for `model` without a history.
    std::string file;
    std::string column;
    double scale = 1.0;  // Returns: multiplier to a fraction (0.01 for *_pct columns)
    int lagDays = 30;
    int maxStaleDays = 45;
    ConfigLocation where;  // the asset's entry

    bool hasFile() const { return !file.empty(); }
};

struct UniverseSpec {
    std::vector<std::string> assets;
    PriceSource prices;
    std::map<std::string, BackfillSpec> backfill;
    std::map<std::string, ValuationSourceSpec> valuation;
};

struct CashRateSpec {
    std::optional<double> constant;  // annual percent
    std::string file;                // resolved path when not constant
    std::string column;
    int maxStaleDays = 10;
    MissingPolicy missing = MissingPolicy::Error;  // `cash_rate.missing`
    ConfigLocation where;                          // the `cash_rate` block
};

// Bounds of the `simulation:` keys, shared by the YAML and the command-line overrides.
struct SimulationLimits {
    static constexpr long kMaxPaths = 100'000'000;
    static constexpr long kMaxSeed = 1L << 62;
    static constexpr long kMaxThreads = 1024;
    static constexpr long kMaxChunk = 1 << 20;
};

// The `simulation:` block of a forward (`mode: monte_carlo`) scenario.
struct SimulationSpec {
    Date start;               // day 0; prices are the last close on or before it
    long horizonDays = 252;   // trading days after day 0 (T = horizon + 1)
    std::optional<Date> end;  // alternative to horizon: the last day, inclusive
    std::uint64_t paths = 10000;
    std::uint64_t seed = 0;
    std::uint64_t chunk = 256;  // paths per work unit (results do not depend on it)
    int threads = 0;            // 0: every hardware thread
    std::vector<double> percentiles{5, 25, 50, 75, 95};
    bool storePaths = false;  // `store: paths` keeps every path (float32) in the file
    // Trading days of real history before day 0 that every path carries, so that lookback
    // signals are live from day 0 (0: none; then strategies wait for their lookback).
    long historyDays = 300;
};

// Command-line values that replace the `simulation:` keys of every forward cell. They are
// checked against the same bounds as the YAML, before anything else is validated.
struct SimulationOverrides {
    std::optional<long long> paths;    // --paths
    std::optional<long long> seed;     // --seed
    std::optional<long long> threads;  // --threads
};

// `walk_forward:` of a historical scenario whose `sweep:` is the grid (docs/walk-forward.md).
// Windows count trading days (rows of the path).
struct WalkForwardSpec {
    static constexpr long kMaxDays = 1'000'000;

    std::string strategy;  // the strategy whose metric chooses the cell
    std::string metric;    // a selectable metric name (walkForwardMetrics())
    bool maximise = true;  // `goal`: maximise or minimise (default per metric)
    long inSample = 0;
    long outOfSample = 0;
    long step = 0;  // default: outOfSample; at most outOfSample
    // `window: anchored`: every in-sample window starts at the first day (expanding); rolling
    // (the default): the inSample days before the choice.
    bool anchored = false;
    ConfigLocation where;  // the `walk_forward` block
    ConfigLocation inSampleWhere;
    ConfigLocation outOfSampleWhere;

    // The settings alone (not where they were written).
    bool sameSettings(const WalkForwardSpec& o) const {
        return strategy == o.strategy && metric == o.metric && maximise == o.maximise &&
               inSample == o.inSample && outOfSample == o.outOfSample && step == o.step &&
               anchored == o.anchored;
    }
};

// A metric a walk-forward may choose by, and whether larger is better unless `goal` says.
struct WalkForwardMetric {
    const char* name;
    bool maximise;
};
const std::vector<WalkForwardMetric>& walkForwardMetrics();

struct ScenarioSpec {
    std::string file;  // the scenario file as given
    std::string name;
    std::string description;
    std::string mode;  // "historical" or "monte_carlo"
    UniverseSpec universe;
    std::optional<Date> start;
    std::optional<Date> end;
    // `window.end`; without it, `window` or else the universe (the prices' last common date
    // ends the window): where an error about the window's end points.
    ConfigLocation endWhere;
    CashRateSpec cashRate;
    BacktestConfig backtest;
    std::string benchmark;  // a strategy name, or ""
    std::vector<StrategySpec> strategies;
    std::string output;  // resolved path, or "" when the file names none
    // The sweep values that made this cell (set from its ScenarioCell; empty outside a sweep).
    std::vector<SweepValue> sweep;
    // The cell's name before the sweep's suffixes (from its ScenarioCell; else the name).
    std::string baseName;
    // `walk_forward:` (historical only): this cell is one of the grid it chooses from.
    std::optional<WalkForwardSpec> walkForward;

    // Forward scenarios only (mode monte_carlo).
    std::optional<SimulationSpec> simulation;
    std::map<std::string, double> startPrices;  // given start prices (others from the data)
    std::optional<RatePathSpec> ratePath;       // `rate_path:`
    std::shared_ptr<const ModelSpec> model;     // `model:`, built by engine/spec/model_table
    ConfigLocation modelWhere;                  // the `model:` block, for runtime failures
    std::optional<RefinancingWallSpec> refinancingWall;  // overlays (engine/scenario/macro)
    std::optional<BifurcationSpec> bifurcation;
    bool hasCashRate = true;  // forward: `cash_rate` is optional (the realised comparison)

    bool monteCarlo() const { return simulation.has_value(); }
};

// Parses and validates a scenario. Every strategy is built here against the universe (its
// prototype), so parameter errors surface with their file:line:column before any computation.
ScenarioSpec parseScenario(const ConfigNode& root, const StrategyRegistry& registry,
                           const SimulationOverrides& overrides = {});
ScenarioSpec loadScenario(const std::string& file, const StrategyRegistry& registry,
                          const SimulationOverrides& overrides = {});

// One `strategies:` entry (a map with `name` and `type`) built against `universe`: the registry
// validates every parameter, located.
StrategySpec parseStrategy(const ConfigNode& item, const StrategyRegistry& registry,
                           const Universe& universe);

// The scenario with every default filled in and every path resolved, as YAML (provenance).
std::string resolvedYaml(const ScenarioSpec& spec);

// The data files the scenario names outside its model block (universe prices, backfill
// returns, the cash rate series), resolved: known before any data is read, so an output that
// would replace one is refused before any work. (The model's own files are guarded as they are
// read: DataStore::refuseOutputs.)
std::vector<std::string> scenarioDataFiles(const ScenarioSpec& spec);

// Checks the command-line overrides against the bounds of their YAML keys (InputError naming
// the flag), whether or not any scenario is a forward one.
void checkOverrides(const SimulationOverrides& overrides);

}  // namespace rotor
