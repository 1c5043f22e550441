// SPDX-License-Identifier: MIT
// Where a run's results go while it computes: the HDF5 file, the summary table, the JSON
// summary, a test's memory. The run calls every sink in this order for each results file:
//   beginFile, then per cell cellStarting and either scenarioStarted + strategyDone (each
//   strategy once) or monteCarloDone, walkForwardDone after a walk-forward's cells, then endFile
//   (or abortFile when the run stops early); after the last file, endRun.
// Objects passed in stay alive and in place until endFile. Adding an output format is one new
// ResultSink.
#pragma once

#include "engine/results/results.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

// Where a Monte Carlo run's per-path values go while it runs, so that they need not stay in
// memory: blocks of consecutive paths, in path order, then read back column by column, in
// blocks and as often as needed, for the exact summaries. A run calls beginPaths once,
// writePaths for every path, readPaths after the last, all from one thread; the McScenarioRun it
// gives monteCarloDone then has pathsStreamed set and empty per-path arrays.
class McPathSink {
public:
    virtual ~McPathSink() = default;
    // `shape` has every shared field (name, dates, assets, strategies named, per-path widths in
    // attributionNames and overlayReportNames, checkpointDay, pathsStored); its per-path arrays
    // are empty.
    virtual void beginPaths(const McScenarioRun& shape) = 0;
    // Paths [first, first + n): `block`'s per-path arrays hold exactly them (n rows each; with
    // shape.pathsStored, n x T x N stored prices and n x T stored rates).
    virtual void writePaths(std::uint64_t first, const McScenarioRun& block) = 0;
    enum class Column { TerminalWealth, Cagr, MaxDrawdown, CheckpointWealth };
    // Every path's value of one column of strategy `strategy`, in path order, as written: calls
    // `block` with consecutive blocks of them (in the calling thread or the sink's own, while
    // the caller waits). An exception from `block` stops the read and reaches the caller.
    using Block = std::function<void(const double* values, std::size_t n)>;
    virtual void readPaths(std::size_t strategy, Column column, const Block& block) = 0;
};

class ResultSink {
public:
    virtual ~ResultSink() = default;

    // A scenario file (one scenario, a sweep or a pack) begins; its results go to `output`.
    virtual void beginFile(const std::string& scenarioFile, const std::string& output) {
        (void)scenarioFile;
        (void)output;
    }
    // A cell is about to compute; `monteCarlo` says it is a long simulation.
    virtual void cellStarting(const std::string& name, bool monteCarlo) {
        (void)name;
        (void)monteCarlo;
    }
    // A historical scenario's own fields are final and its strategies vector is sized.
    virtual void scenarioStarted(const ScenarioRun& scenario) { (void)scenario; }
    // Strategy `index` of a historical scenario is final.
    virtual void strategyDone(const ScenarioRun& scenario, std::size_t index) {
        (void)scenario;
        (void)index;
    }
    // A Monte Carlo scenario is final.
    virtual void monteCarloDone(const McScenarioRun& scenario) { (void)scenario; }
    // A walk-forward is final (after the cells of its sweep).
    virtual void walkForwardDone(const WalkForwardRun& run) { (void)run; }
    // Every cell of the file ran; `provenance` is complete (data files and their checksums).
    virtual void endFile(const Provenance& provenance) { (void)provenance; }
    // The run stops before endFile (an exception, e.g. a cancelled run): drop the file's partial
    // output. Called before the results it was given go away, so a sink that works in the
    // background must stop touching them here.
    virtual void abortFile() {}
    // Every file ran.
    virtual void endRun() {}
    // Where the next Monte Carlo cell (after cellStarting) may stream its per-path values, or
    // nullptr: it keeps them in memory.
    virtual McPathSink* pathSink() { return nullptr; }
};

// Calls every sink in turn, in the order given.
class SinkList final : public ResultSink {
public:
    void add(ResultSink* sink) { sinks_.push_back(sink); }

    void beginFile(const std::string& scenarioFile, const std::string& output) override {
        for (auto* s : sinks_) s->beginFile(scenarioFile, output);
    }
    void cellStarting(const std::string& name, bool monteCarlo) override {
        for (auto* s : sinks_) s->cellStarting(name, monteCarlo);
    }
    void scenarioStarted(const ScenarioRun& scenario) override {
        for (auto* s : sinks_) s->scenarioStarted(scenario);
    }
    void strategyDone(const ScenarioRun& scenario, std::size_t index) override {
        for (auto* s : sinks_) s->strategyDone(scenario, index);
    }
    void monteCarloDone(const McScenarioRun& scenario) override {
        for (auto* s : sinks_) s->monteCarloDone(scenario);
    }
    void walkForwardDone(const WalkForwardRun& run) override {
        for (auto* s : sinks_) s->walkForwardDone(run);
    }
    void endFile(const Provenance& provenance) override {
        for (auto* s : sinks_) s->endFile(provenance);
    }
    void abortFile() override {
        for (auto* s : sinks_) s->abortFile();
    }
    void endRun() override {
        for (auto* s : sinks_) s->endRun();
    }
    // The first sink's that takes per-path values (one file holds them).
    McPathSink* pathSink() override {
        for (auto* s : sinks_)
            if (McPathSink* p = s->pathSink()) return p;
        return nullptr;
    }

private:
    std::vector<ResultSink*> sinks_;
};

}  // namespace rotor
