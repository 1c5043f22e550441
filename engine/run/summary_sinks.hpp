// SPDX-License-Identifier: MIT
// The terminal's result sinks: the aligned summary table of each results file, and the JSON
// summary of the whole run (`--json`), both rendered by engine/run/report_text.
#pragma once

#include "engine/results/result_sink.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace rotor {

// At the end of each file: a table per scenario, then "wrote <output>".
class SummaryTableSink final : public ResultSink {
public:
    explicit SummaryTableSink(std::ostream& out) : out_(out) {}
    void beginFile(const std::string& scenarioFile, const std::string& output) override;
    void scenarioStarted(const ScenarioRun& scenario) override;
    void monteCarloDone(const McScenarioRun& scenario) override;
    void walkForwardDone(const WalkForwardRun& run) override;
    void endFile(const Provenance& provenance) override;

private:
    std::ostream& out_;
    std::string output_;
    std::vector<const ScenarioRun*> scenarios_;
    std::vector<const WalkForwardRun*> walkForward_;
    std::vector<const McScenarioRun*> monteCarlo_;
};

// One JSON document for the run, printed at endRun (every file's scenarios in order).
class JsonSummarySink final : public ResultSink {
public:
    JsonSummarySink(std::ostream& out, std::string rotorVersion)
        : out_(out), version_(std::move(rotorVersion)) {}
    void beginFile(const std::string& scenarioFile, const std::string& output) override;
    void scenarioStarted(const ScenarioRun& scenario) override;
    void monteCarloDone(const McScenarioRun& scenario) override;
    void walkForwardDone(const WalkForwardRun& run) override;
    void endFile(const Provenance& provenance) override;
    void endRun() override;

private:
    std::ostream& out_;
    std::string version_;
    std::string output_;
    std::vector<const ScenarioRun*> pending_;  // rendered at endFile, once their strategies ran
    std::vector<std::string> scenarios_;
    std::vector<std::string> monteCarlo_;
    std::vector<std::string> walkForward_;
};

}  // namespace rotor
