// SPDX-License-Identifier: MIT
// Everything one `rotor run` produces, in memory, before a sink (HDF5, JSON, table) writes it.
#pragma once

#include "engine/config/compose.hpp"
#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/data_files.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/portfolio/backtester.hpp"
#include "engine/scenario/path_generator.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

struct Provenance {
    std::string rotorVersion;
    std::string gitCommit;
    std::string createdUtc;  // ISO 8601, e.g. 2026-11-24T13:45:00Z
    std::string commandLine;
    std::string scenarioFile;
    std::string scenarioYaml;  // the file as given, verbatim
    std::string resolvedYaml;  // every default filled in, paths resolved
    std::vector<DataFileRecord> dataFiles;
    unsigned long long seed = 0;
};

struct StrategyRun {
    std::string name;  // YAML `name`
    std::string type;  // YAML `type`
    bool ok = true;
    std::string error;    // set when !ok; the other fields are then empty
    Vector equity;        // T
    Vector returns;       // T, daily simple returns (0 on day 0)
    PriceMatrix weights;  // T x N, end-of-day weights
    std::vector<Trade> trades;
    Metrics metrics;
};

struct ScenarioRun {
    std::string name;
    std::string description;
    std::string mode;                 // "historical"
    std::vector<std::string> assets;  // N, column order of weights
    std::vector<Date> dates;          // T
    Vector cashRate;                  // T, annual percent
    std::string benchmark;            // name of the benchmark strategy ("" for none)
    double initialCapital = 0.0;
    std::vector<SweepValue> sweep;  // the sweep values that made this cell; empty outside a sweep
    std::vector<StrategyRun> strategies;
};

// ---- Walk-forward ---------------------------------------------------------------------------

// One re-optimisation of a walk-forward (docs/walk-forward.md): every cell's run over the
// in-sample window, the best one's run over the out-of-sample window. A window is named by its
// first close, where its run invests, and its last close; its returns begin the day after.
struct WalkForwardStep {
    Index inSampleFirst = 0;  // day indices of the scenario's dates
    Index inSampleLast = 0;   // = outOfSampleFirst: the close the choice is made and traded at
    Index outOfSampleLast = 0;
    Index stitchedLast = 0;  // the last day this choice trades in the stitched curve
    std::size_t cell = 0;    // the chosen cell (index into WalkForwardRun::cells)
    double inSampleMetric = 0.0;
    double outOfSampleMetric = 0.0;  // over the whole out-of-sample window
};

struct WalkForwardRun {
    std::string name;      // the scenario's name before the sweep's suffixes
    std::string strategy;  // whose metric chooses
    std::string metric;
    bool maximise = true;
    long inSample = 0, outOfSample = 0, step = 0;
    bool anchored = false;           // in-sample windows from the first day (docs/walk-forward.md)
    std::vector<std::string> cells;  // C cell names, in sweep order
    std::vector<std::vector<SweepValue>> sweeps;  // C: the values that made each cell
    std::vector<Date> dates;                      // the scenario's T trading days
    double initialCapital = 0.0;
    std::vector<WalkForwardStep> steps;  // S
    Matrix inSampleMetrics;              // S x C: every cell's in-sample metric
    // The stitched out-of-sample curve over days [steps[0].inSampleLast, T-1]: wealth carried
    // from one window's last close into the next window's run.
    Vector equity;
    Metrics stitched;                       // of `equity`
    double stitchedMetric = Metrics::kNaN;  // the chosen metric of `equity`
    Vector fullPeriodMetric;                // C: each cell over the whole period (its ordinary run)
    std::size_t best = 0;                   // the cell best over the whole period: hindsight
    // The hindsight-best cell run over the stitched curve's days alone (same first close).
    double bestOnStitchedDays = Metrics::kNaN;
};

// ---- Monte Carlo ----------------------------------------------------------------------------

// One value per path, in path order (P entries each).
struct PathMetrics {
    Vector terminalWealth;  // final equity / initial capital (1.10 = +10%)
    Vector cagr;
    Vector volatility;  // annualised
    Vector sharpe;
    Vector maxDrawdown;  // positive fraction
    Vector turnover;     // annualised one-way
    // Wealth on McScenarioRun::checkpointDay (empty when there is none): what a realised
    // outcome on that day is ranked against.
    Vector checkpointWealth;

private:
    template <class Self>
    static auto columnsOf(Self& m, bool checkpoint) {
        std::vector<decltype(&m.cagr)> v{&m.terminalWealth, &m.cagr,        &m.volatility,
                                         &m.sharpe,         &m.maxDrawdown, &m.turnover};
        if (checkpoint) v.push_back(&m.checkpointWealth);
        return v;
    }

public:
    // The stored names of the columns, in the order columns() lists them.
    static constexpr std::array<const char*, 7> kNames = {"terminal_wealth",  "cagr",
                                                          "volatility",       "sharpe",
                                                          "max_drawdown",     "turnover",
                                                          "checkpoint_wealth"};
    // Every per-path vector, checkpoint wealth last and only when recorded: the one list that
    // the simulator, the part codec and the writers walk, so none can leave a column out.
    std::vector<Vector*> columns(bool checkpoint) { return columnsOf(*this, checkpoint); }
    std::vector<const Vector*> columns(bool checkpoint) const {
        return columnsOf(*this, checkpoint);
    }
};

// The distribution of terminal wealth across paths (docs/metrics.md, "Monte Carlo").
struct DistributionSummary {
    double mean = 0.0;
    double stdev = 0.0;
    std::vector<double> percentiles;  // at McScenarioRun::percentiles
    double probLoss = 0.0;            // P(terminal wealth < 1)
    double probBeatBenchmark = 0.0;   // P(W > W_benchmark on the same path); NaN without one
    double var95 = 0.0;               // loss at the 5th percentile: 1 - W_(5%), as a fraction
    double cvar95 = 0.0;              // mean loss over the worst 5% of paths
};

// Medians and tails of the per-path metrics across paths (the /mc_summary columns after the
// terminal-wealth ones), computed with the distribution summary in engine/montecarlo.
struct PathMetricsSummary {
    double medianCagr = 0.0;
    double p05Cagr = 0.0;
    double p95Cagr = 0.0;
    double medianMaxDrawdown = 0.0;
};

struct McStrategyRun {
    std::string name;
    std::string type;
    bool ok = true;
    std::string error;
    PathMetrics paths;
    Matrix equityBands;  // T x Q: wealth (equity / capital) at each percentile
    DistributionSummary terminal;
    PathMetricsSummary pathSummary;
};

// The part of a forward horizon that data/ already covers, replayed through the same strategies
// after the simulation (which never reads it): forecast against outcome.
struct RealisedStrategy {
    std::string name;
    Vector wealth;              // T' values, equity / initial capital
    double percentileRank = 0;  // % of paths with checkpoint wealth below (ties count half)
};
struct RealisedOutcome {
    std::vector<Date> dates;  // T' <= T: the first T' simulated days
    Vector cashRate;          // T', annual percent
    std::vector<RealisedStrategy> strategies;
    // Where each series the replay reads ends, one line each ("SPY: closes to 2026-07-31"), and
    // which one ended the replay: it stops at the first series to run out, never extending one.
    std::vector<std::string> coverage;
    std::string endedBy;
    std::optional<Date> rateLastObservation;  // the cash rate file's last row (none if constant)
};

struct McScenarioRun {
    std::string name;
    std::string description;
    std::vector<std::string> assets;  // N
    std::vector<Date> dates;          // T
    std::uint64_t paths = 0;
    std::uint64_t seed = 0;
    std::vector<double> percentiles;  // Q levels in percent, e.g. 5 25 50 75 95
    Matrix rateBands;                 // T x Q, annual percent
    std::vector<std::string> regimeNames;
    std::vector<int> regimeOfPath;  // P
    std::string model;              // the resolved model as YAML
    std::string benchmark;
    double initialCapital = 0.0;
    std::vector<SweepValue> sweep;  // the sweep values that made this cell; empty outside a sweep
    // Only with `store: paths` (pathsStored): float32, path-major (P x T x N and P x T); empty
    // when the paths streamed to a McPathSink (pathsStreamed), which then wrote them.
    bool pathsStored = false;
    std::vector<float> storedPrices;
    std::vector<float> storedRates;
    std::vector<McStrategyRun> strategies;
    Index checkpointDay = -1;  // day index of PathMetrics::checkpointWealth, or -1
    std::optional<RealisedOutcome> realised;
    // What the model states (empty when it states nothing): every asset's expected return per
    // regime, warnings (e.g. an implied Sharpe ratio above 1), and each path's attribution of
    // its assets' log returns (P x K, columns named by attributionNames).
    std::vector<AssetExpectation> expectations;
    std::vector<std::string> warnings;
    std::vector<std::string> attributionNames;
    Matrix attribution;
    // Each path's overlay figures (P x K, columns "<overlay>/<figure>", e.g. the refinancing
    // wall's "refinancing_wall/flow" and "refinancing_wall/valuation").
    std::vector<std::string> overlayReportNames;
    Matrix overlayReport;
    // The per-path arrays (regimeOfPath, attribution, overlayReport, the stored paths, each
    // strategy's paths) went to a McPathSink while the run computed and are empty here; the
    // summaries are complete.
    bool pathsStreamed = false;
    // Streamed only: per regime (rows), each attribution column summed over the regime's paths
    // in path order, and the regime's path count (the text report's means).
    Matrix attributionSums;
    std::vector<std::uint64_t> pathsPerRegime;
};

struct RunResults {
    Provenance provenance;
    std::vector<ScenarioRun> scenarios;     // historical
    std::vector<McScenarioRun> monteCarlo;  // forward
    std::vector<WalkForwardRun> walkForward;
};

}  // namespace rotor
