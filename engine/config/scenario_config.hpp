// SPDX-License-Identifier: MIT
// A scenario file parsed into typed, validated data (ORE's fromXML -> builder split): this
// stage reads YAML only; engine/scenario builds paths and the registry builds strategies.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/date.hpp"
#include "engine/portfolio/backtester.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

class StrategyRegistry;

// Extends an asset's history backwards before its first date (e.g. IWM before 2000-05-26 from
// the French small-cap portfolio, SHY before 2002-07-30 from the cash rate).
struct BackfillSpec {
    enum class Kind { Cash, Returns };
    Kind kind = Kind::Cash;
    std::string file;       // Returns: a date,value file of daily returns
    std::string column;     // Returns: the column to read ("" = the only one)
    double scale = 1.0;     // Returns: multiplier to a fraction (0.01 for *_pct columns)
};

struct UniverseSpec {
    std::vector<std::string> assets;
    std::string pricePattern;  // per-asset file with "{asset}" (resolved path), or ""
    std::string column;        // price column in per-asset files ("" = the only one)
    std::string table;         // a wide date,A,B,... table (resolved path), or ""
    std::map<std::string, BackfillSpec> backfill;
};

struct CashRateSpec {
    std::optional<double> constant;  // annual percent
    std::string file;                // resolved path when not constant
    std::string column;
    int maxStaleDays = 10;
};

struct StrategySpec {
    std::string name;
    std::string type;
    ConfigNode node;  // the whole YAML entry, handed to the registry's factory
};

// The `simulation:` block of a forward (`mode: monte_carlo`) scenario.
struct SimulationSpec {
    Date start;                        // day 0; prices are the last close on or before it
    long horizonDays = 252;            // trading days after day 0 (T = horizon + 1)
    std::optional<Date> end;           // alternative to horizon: the last day, inclusive
    std::uint64_t paths = 10000;
    std::uint64_t seed = 0;
    std::uint64_t chunk = 256;         // paths per work unit (results do not depend on it)
    int threads = 0;                   // 0: every hardware thread
    std::vector<double> percentiles{5, 25, 50, 75, 95};
    bool storePaths = false;           // `store: paths` keeps every path (float32) in the file
    // Trading days of real history before day 0 that every path carries, so that lookback
    // signals are live from day 0 (0: none; then strategies wait for their lookback).
    long historyDays = 300;
};

struct ScenarioSpec {
    std::string file;          // the scenario file as given
    std::string name;
    std::string description;
    std::string mode;          // "historical" or "monte_carlo"
    UniverseSpec universe;
    std::optional<Date> start;
    std::optional<Date> end;
    CashRateSpec cashRate;
    BacktestConfig backtest;
    std::string benchmark;     // a strategy name, or ""
    std::vector<StrategySpec> strategies;
    std::string output;        // resolved path, or "" when the file names none

    // Forward scenarios only (mode monte_carlo).
    std::optional<SimulationSpec> simulation;
    std::map<std::string, double> startPrices;  // given start prices (others from the data)
    std::optional<ConfigNode> ratePath;         // `rate_path:` (validated by parseRatePath)
    std::optional<ConfigNode> model;            // `model:`, built by the generator factory
    std::optional<ConfigNode> refinancingWall;  // overlays, built by engine/scenario/macro
    std::optional<ConfigNode> bifurcation;
    bool hasCashRate = true;   // forward: `cash_rate` is optional (the realised comparison)

    bool monteCarlo() const { return simulation.has_value(); }
};

// Parses and validates a scenario. Every strategy is built once against the universe so that
// parameter errors surface here, with their file:line:column, before any computation.
ScenarioSpec parseScenario(const ConfigNode& root, const StrategyRegistry& registry);
ScenarioSpec loadScenario(const std::string& file, const StrategyRegistry& registry);

// The scenario with every default filled in and every path resolved, as YAML (provenance).
std::string resolvedYaml(const ScenarioSpec& spec);

}  // namespace rotor
