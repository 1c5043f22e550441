// SPDX-License-Identifier: MIT
#include "engine/run/summary_sinks.hpp"

#include "engine/run/report_text.hpp"

namespace rotor {

void SummaryTableSink::beginFile(const std::string&, const std::string& output) {
    output_ = output;
    scenarios_.clear();
    monteCarlo_.clear();
    walkForward_.clear();
}

void SummaryTableSink::walkForwardDone(const WalkForwardRun& run) { walkForward_.push_back(&run); }

void SummaryTableSink::scenarioStarted(const ScenarioRun& scenario) {
    scenarios_.push_back(&scenario);
}

void SummaryTableSink::monteCarloDone(const McScenarioRun& scenario) {
    monteCarlo_.push_back(&scenario);
}

void SummaryTableSink::endFile(const Provenance&) {
    for (const ScenarioRun* s : scenarios_) {
        printSummaryTable(*s, out_);
        out_ << '\n';
    }
    for (const WalkForwardRun* w : walkForward_) {
        printWalkForwardTable(*w, out_);
        out_ << '\n';
    }
    for (const McScenarioRun* s : monteCarlo_) {
        printMcSummaryTable(*s, out_);
        out_ << '\n';
        if (!s->expectations.empty()) {
            printExpectations(*s, out_);
            out_ << '\n';
        }
    }
    out_ << "wrote " << output_ << "\n\n";
}

void JsonSummarySink::beginFile(const std::string&, const std::string& output) {
    output_ = output;
    pending_.clear();
}

void JsonSummarySink::scenarioStarted(const ScenarioRun& scenario) {
    pending_.push_back(&scenario);
}

void JsonSummarySink::monteCarloDone(const McScenarioRun& scenario) {
    monteCarlo_.push_back(jsonMonteCarlo(scenario, output_));
}

void JsonSummarySink::walkForwardDone(const WalkForwardRun& run) {
    walkForward_.push_back(jsonWalkForward(run, output_));
}

void JsonSummarySink::endFile(const Provenance&) {
    for (const ScenarioRun* s : pending_) scenarios_.push_back(jsonScenario(*s, output_));
    pending_.clear();
}

void JsonSummarySink::endRun() {
    out_ << summaryJson(version_, scenarios_, monteCarlo_, walkForward_);
}

}  // namespace rotor
