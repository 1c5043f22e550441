// SPDX-License-Identifier: MIT
// Reads a rotor results file (docs/results-format.md, historical and Monte Carlo) into memory.
// HDF5 stays a private dependency: this header does not include <hdf5.h>.
#pragma once

#include "engine/config/compose.hpp"
#include "engine/report/file_provenance.hpp"
#include "engine/report/record_table.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rotor::report {

struct StrategyInfo {
    std::string name;
    std::string type;
    std::string status;  // "ok" or "failed"
    std::string error;
    std::string group;  // HDF5 path of the strategy's group
    bool ok() const { return status == "ok"; }
};

// A historical strategy: its daily series (empty for a failed run).
struct HistoryStrategy : StrategyInfo {
    std::vector<double> equity;   // T, currency
    std::vector<double> returns;  // T
    Grid weights;                 // T x N
    RecordTable trades;           // date, asset, quantity, price, notional, commission, slippage
};

// A Monte Carlo strategy: percentile bands of wealth and one value per path.
struct McStrategy : StrategyInfo {
    Grid equityBands;  // T x Q, wealth = equity / initial capital
    // terminal_wealth, cagr, volatility, sharpe, max_drawdown, turnover, checkpoint_wealth: P each.
    std::map<std::string, std::vector<double>> paths;
    const std::vector<double>* path(const std::string& field) const;
};

struct RealisedSeries {
    std::string name;
    std::vector<double> wealth;    // T', equity / initial capital
    double percentileRank = kNaN;  // percent, as stored by the writer
};

// The part of a forward horizon that data already covers, replayed (forecast vs outcome).
struct Realised {
    std::vector<std::string> dates;  // T'
    std::vector<double> cashRate;    // T', annual percent
    std::vector<RealisedSeries> strategies;
    std::vector<std::string> coverage;  // where each series ends (empty in older files)
    std::string endedBy;                // the series that ended the replay
    std::string rateLastObservation;    // ISO date of the cash rate file's last row ("" if none)
    const RealisedSeries* find(const std::string& strategy) const;
};

struct ScenarioData {
    std::string group;  // HDF5 path, e.g. /scenarios/base
    std::string name;
    std::string description;
    std::string mode;  // "historical", "monte_carlo", ...
    std::string benchmark;
    double initialCapital = kNaN;
    std::vector<std::string> dates;   // T, ISO
    std::vector<std::string> assets;  // N
    std::vector<SweepValue> sweep;    // the sweep values that made this cell (may be empty)

    bool monteCarlo() const { return mode == "monte_carlo"; }

    // Historical only.
    std::vector<double> cashRate;  // T, annual percent
    std::vector<HistoryStrategy> history;

    // Monte Carlo only.
    std::uint64_t paths = 0;
    std::uint64_t seed = 0;
    std::int64_t checkpointDay = -1;
    std::vector<double> percentiles;  // Q levels in percent
    Grid rateBands;                   // T x Q, annual percent
    std::vector<std::string> regimeNames;
    std::vector<double> regimeOfPath;  // P
    std::string model;                 // resolved model, YAML
    std::vector<McStrategy> mc;
    std::optional<Realised> realised;

    std::vector<std::string> strategyNames() const;
};

// A walk-forward group (/walk_forward/<name>, docs/results-format.md).
struct WalkForwardData {
    std::string group;  // HDF5 path
    std::string name, strategy, metric, goal, bestCell;
    std::string window = "rolling";  // or "anchored" (files without the attribute: rolling)
    std::int64_t inSample = 0, outOfSample = 0, step = 0;
    double stitchedMetric = kNaN;
    double bestFullPeriodMetric = kNaN;
    double bestOnStitchedDaysMetric = kNaN;
    std::vector<std::string> dates;  // the stitched curve's days, ISO
    std::vector<double> equity;      // the stitched curve, currency
    RecordTable steps;               // one row per step
    RecordTable cells;               // one row per cell
};

// The path, root attributes and provenance, then the results.
struct ResultsData : FileProvenance {
    std::optional<RecordTable> metrics;        // /metrics (historical scenarios)
    std::optional<RecordTable> mcSummary;      // /mc_summary (Monte Carlo scenarios)
    std::vector<ScenarioData> scenarios;       // in the order of the summary tables
    std::vector<WalkForwardData> walkForward;  // by group name
};

// Reads the whole file except stored raw paths. Throws rotor::InputError (exit code 2) when the
// file does not exist, is not HDF5, is not a rotor results file (root attribute format !=
// "rotor-results"), was written in a newer format version than this rotor writes, or lacks a
// dataset the layout requires.
ResultsData readResults(const std::string& path);

// The same for a results file held in memory (e.g. from Hdf5Sink's in-memory target); `name`
// stands in for the path in messages and in ResultsData::path.
ResultsData readResultsImage(const std::vector<char>& image, const std::string& name);

}  // namespace rotor::report
