// SPDX-License-Identifier: MIT
// `rotor backtest-model`: runs a forward scenario's regime model at many past start dates, each
// calibrated on the data known at its start only, and scores the realised H-month outcome of
// each asset and spread against the simulated ones (PIT, band coverage, CRPS, a KS test of the
// PITs). The spec file, the method and the results layout are in docs/backtest-model.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/data_files.hpp"
#include "engine/data/price_source.hpp"
#include "engine/montecarlo/forecast_scores.hpp"
#include "engine/run/progress.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "engine/strategy/registry.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

struct BacktestSpread {
    std::string name;  // "IWM-SPY"
    std::string longAsset, shortAsset;
};

struct BacktestModelSpec {
    std::string file;  // the spec file as given
    std::string name;
    std::string text;          // the file's bytes as parsed (provenance)
    ScenarioSpec scenario;     // the forward scenario whose `model:` is tested
    std::vector<Date> starts;  // ascending; each one's data cut-off
    ConfigLocation startsWhere;
    int horizonMonths = 12;
    ConfigLocation horizonWhere;
    std::uint64_t paths = 1000;
    std::uint64_t seed = 0;
    int threads = 0;  // 0: every hardware thread
    // "unconditional", "realised_regime", "realised_rates" (the realised class and policy rate
    // path), or an episode class every path keeps throughout.
    std::vector<std::string> conditioning;
    std::vector<std::string> assets;  // scored, and the model's universe
    std::vector<ConfigLocation> assetWhere;
    std::vector<BacktestSpread> spreads;
    PriceSource prices;                            // the scenario's universe prices unless given
    std::map<std::string, BackfillSpec> backfill;  // returns proxies before an asset's data
    std::string output;                            // resolved, or "" when the file names none
    bool storeOutcomes = true;                     // the simulated outcomes, starts x paths
};

// Parses and validates the spec (and the scenario it names); ConfigError located at the key.
BacktestModelSpec loadBacktestModel(const std::string& file, const StrategyRegistry& registry);

// The scores of one conditioning on one target (an asset or a spread), per start.
struct BacktestScores {
    std::string conditioning;
    std::string target;
    std::vector<double> realised;  // log total return over the horizon
    std::vector<double> pit;
    std::vector<double> crps;
    std::vector<double> mean, q05, q25, q50, q75, q95;  // of the simulated outcomes
    std::vector<std::int64_t> in50, in90;               // 0/1
    Matrix outcomes;                                    // starts x paths, when the spec stores them
    double coverage50 = 0.0, coverage90 = 0.0, meanCrps = 0.0;
    KsTest ks;                    // on the non-overlapping starts
    std::vector<long> histogram;  // of every start's PIT, 10 bins
};

struct BacktestModelResult {
    std::vector<Date> starts;             // day 0 of each start (last NYSE day on or before it)
    std::vector<Date> ends;               // the horizon's last day
    std::vector<std::string> startClass;  // the class realised on the first day after it
    // With realised_rates, per start: the forward trading days and the policy rate the paths
    // follow on each (day 0: the start's rate; then DFF as the data shows it).
    std::vector<std::vector<Date>> horizonDays;
    std::vector<std::vector<double>> realisedRate;
    std::vector<std::size_t> independent;  // starts whose horizons do not overlap (KS test)
    std::vector<std::string> targets;      // assets, then spreads
    std::vector<BacktestScores> scores;    // conditioning-major, then target
    std::vector<DataFileRecord> files;     // every data file read, with checksums
};

using StartProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Runs every start; `threads` 0 takes the spec's. Results do not depend on the thread count.
// Bad data (a start without enough data before it, a horizon past the data) is InputError,
// located at the spec's key, before any simulation.
BacktestModelResult runBacktestModel(const BacktestModelSpec& spec, DataStore& data,
                                     int threads = 0, const StartProgressFn& progress = {});

// The result file (format "rotor-backtest-model"), written to a temporary and renamed.
void writeBacktestModel(const BacktestModelSpec& spec, const BacktestModelResult& result,
                        const std::string& commandLine, const std::string& path, bool force);

// The summary: one row per conditioning and target.
void printBacktestSummary(const BacktestModelSpec& spec, const BacktestModelResult& result,
                          std::ostream& out);
void printBacktestJson(const BacktestModelSpec& spec, const BacktestModelResult& result,
                       const std::string& output, std::ostream& out);

struct BacktestModelCommand {
    std::string file;
    std::optional<std::string> output;
    bool force = false, quiet = false, json = false;
    // Progress on stderr, as `rotor run` shows it (engine/run/progress.hpp): never with --quiet.
    ProgressMode progress = ProgressMode::Never;
    bool terminal = false;  // stderr is a terminal: a live line
    std::optional<long long> threads, paths, seed;
    std::string commandLine;
};

// The whole command: parse, check the output, run, write, print. Returns the exit code.
int backtestModelCommand(const BacktestModelCommand& cmd, const StrategyRegistry& registry,
                         std::ostream& out, std::ostream& err);

}  // namespace rotor
