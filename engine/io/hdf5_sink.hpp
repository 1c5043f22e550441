// SPDX-License-Identifier: MIT
// The HDF5 results file as a ResultSink: each scenario file's results are written while the run
// computes (on a background thread, each strategy while the next one runs) to a temporary file
// that is renamed into place at endFile, so an interrupted run leaves earlier results intact.
#pragma once

#include "engine/results/result_sink.hpp"

#include <memory>
#include <string>

namespace rotor {

class Hdf5Sink final : public ResultSink {
public:
    explicit Hdf5Sink(bool force);
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
    // Writes provenance and the summary tables, then commits the file.
    void endFile(const Provenance& provenance) override;

private:
    struct File;
    bool force_;
    std::unique_ptr<File> file_;
};

}  // namespace rotor
