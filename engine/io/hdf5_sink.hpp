// SPDX-License-Identifier: MIT
// The HDF5 results file as a ResultSink: each scenario file's results are written while the run
// computes (on a background thread, each strategy while the next one runs) to a temporary file
// that is renamed into place at endFile, so an interrupted run leaves earlier results intact.
// In memory, the same file is built with HDF5's core driver and its bytes are kept instead.
#pragma once

#include "engine/results/result_sink.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

// Also the McPathSink of a Monte Carlo cell: its per-path values go into the file block by block
// while it runs (each block written before the next is taken, so no more than one waits).
class Hdf5Sink final : public ResultSink, private McPathSink {
public:
    enum class Target { Files, Memory };
    // Files: each results file at its output path (overwriting only with `force`). Memory:
    // nothing touches the disk; each file's bytes are kept (images()).
    explicit Hdf5Sink(bool force, Target target = Target::Files);
    ~Hdf5Sink() override;
    Hdf5Sink(const Hdf5Sink&) = delete;
    Hdf5Sink& operator=(const Hdf5Sink&) = delete;

    void beginFile(const std::string& scenarioFile, const std::string& output) override;
    // Before a Monte Carlo cell: a results file that cannot be written stops the run now,
    // not after the simulation.
    void cellStarting(const std::string& name, bool monteCarlo) override;
    void scenarioStarted(const ScenarioRun& scenario) override;
    void strategyDone(const ScenarioRun& scenario, std::size_t k) override;
    void monteCarloDone(const McScenarioRun& scenario) override;
    void walkForwardDone(const WalkForwardRun& w) override;
    // Writes provenance and the summary tables, then commits the file.
    void endFile(const Provenance& provenance) override;
    // Stops the background writer and removes the temporary file.
    void abortFile() override;

    McPathSink* pathSink() override;

    // Target::Memory: one complete HDF5 file per endFile, in order.
    std::vector<std::vector<char>>& images() { return images_; }

private:
    void beginPaths(const McScenarioRun& shape) override;
    void writePaths(std::uint64_t first, const McScenarioRun& block) override;
    void readPaths(std::size_t strategy, Column column, const Block& block) override;

    struct File;
    bool force_;
    Target target_;
    std::unique_ptr<File> file_;
    std::vector<std::vector<char>> images_;
};

}  // namespace rotor
