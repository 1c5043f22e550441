// SPDX-License-Identifier: MIT
// Writes a run's results to one HDF5 file; the layout is specified in docs/results-format.md.
#pragma once

#include "engine/io/hdf5_file.hpp"
#include "engine/results/result_sink.hpp"
#include "engine/results/results.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

inline constexpr const char* kResultsFormat = "rotor-results";
inline constexpr std::int64_t kResultsFormatVersion = 1;
// `rotor backtest-model` files (docs/backtest-model.md) share the root and /provenance layout.
inline constexpr const char* kBacktestModelFormat = "rotor-backtest-model";
inline constexpr std::int64_t kBacktestModelFormatVersion = 1;

// Writes one results file piece by piece, so that a run can write each strategy while the next
// one computes: a historical scenario's own datasets (dates, assets, cash rate) as soon as its
// path exists, each strategy once it has run, and at finish() the Monte Carlo scenarios, the
// provenance and the /metrics and /mc_summary tables. Each piece is validated before it is
// written, so an error names the culprit. One thread at a time; the objects passed in must stay
// alive and in place until finish() (the writer keeps pointers to them).
class ResultsWriter {
public:
    explicit ResultsWriter(const std::string& path);  // creates or truncates `path`
    // Writes into memory instead (`name` for messages); the file's bytes come from takeImage().
    struct InMemory {
        std::string name;
    };
    explicit ResultsWriter(const InMemory& memory);
    ~ResultsWriter();
    ResultsWriter(const ResultsWriter&) = delete;
    ResultsWriter& operator=(const ResultsWriter&) = delete;

    // Scenario `s`'s attributes, dates, assets and cash rate. Only s.strategies.size() is read
    // of its strategies, which may still be running.
    void beginScenario(const ScenarioRun& s);
    // Strategy `index` of a scenario begun before; each once, in any order.
    void addStrategy(const ScenarioRun& s, std::size_t index);
    // A Monte Carlo scenario, written at finish(): its summaries share the file's percentile
    // levels, which are known only then.
    void addMonteCarlo(const McScenarioRun& s);
    // A Monte Carlo scenario whose per-path values arrive while it runs (McPathSink): its
    // per-path datasets are made now and filled block by block, in path order; addMonteCarlo of
    // the finished run (pathsStreamed) then adds the rest. One such scenario at a time.
    void beginMonteCarloPaths(const McScenarioRun& shape);
    void writeMonteCarloPaths(std::uint64_t first, const McScenarioRun& block);
    // A column of the scenario begun last, as written, a chunk of the dataset at a time.
    void readMonteCarloPaths(std::size_t strategy, McPathSink::Column column,
                             const McPathSink::Block& block);
    // A walk-forward's group under /walk_forward (its cells are scenarios of their own).
    void addWalkForward(const WalkForwardRun& w);
    // Checks every strategy was added, writes the rest and closes the file.
    void finish(const Provenance& provenance);
    // In memory, after finish(): the complete file's bytes (once; empty afterwards).
    std::vector<char> takeImage();

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Writes `results` to `path`, creating or truncating it; the caller makes that atomic with
// AtomicOutput. Historical and Monte Carlo scenarios share /scenarios (names must differ across
// both). Failed strategy runs are written too (status "failed", NaN metrics). Throws
// rotor::Error if the results are inconsistent (series lengths, indices out of range, duplicate
// or empty names; all checked before the file is created) or HDF5 fails.
void writeResultsHdf5(const RunResults& results, const std::string& path);

// The root attributes (format, versions, command line, seed) and the /provenance group
// (scenario text, resolved YAML, data files with checksums) of a results file; files of
// another layout (`rotor backtest-model`) name their own format.
void writeProvenance(h5::File& file, const Provenance& p, const char* format = kResultsFormat,
                     std::int64_t formatVersion = kResultsFormatVersion);

// The HDF5 link name used for a scenario or strategy group. HDF5 reserves '/' (path separator)
// and "." (the group itself), so names are percent-escaped: '%' -> "%25", '/' -> "%2F", and a
// name that is exactly "." -> "%2E". Every other name is used unchanged. The original name is
// kept in the group's `name` attribute and in /metrics.
std::string hdf5GroupName(const std::string& name);

// The /mc_summary field of a percentile level: "p%02d" for whole levels (5 -> "p05", 50 -> "p50",
// 100 -> "p100"), otherwise the shortest decimal with '.' -> '_' (2.5 -> "p2_5").
std::string percentileFieldName(double level);

}  // namespace rotor
