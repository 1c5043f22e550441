// SPDX-License-Identifier: MIT
// Everything one `rotor run` produces, in memory, before a sink (HDF5, JSON, table) writes it.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/portfolio/backtester.hpp"

#include <string>
#include <vector>

namespace rotor {

struct DataFileRecord {
    std::string path;    // as resolved (relative to the working directory or absolute)
    std::string sha256;  // hex digest of the file's bytes
};

struct Provenance {
    std::string rotorVersion;
    std::string gitCommit;
    std::string createdUtc;      // ISO 8601, e.g. 2026-11-24T13:45:00Z
    std::string commandLine;
    std::string scenarioFile;
    std::string scenarioYaml;    // the file as given, verbatim
    std::string resolvedYaml;    // every default filled in, paths resolved
    std::vector<DataFileRecord> dataFiles;
    unsigned long long seed = 0;
};

struct StrategyRun {
    std::string name;             // YAML `name`
    std::string type;             // YAML `type`
    bool ok = true;
    std::string error;            // set when !ok; the other fields are then empty
    Vector equity;                // T
    Vector returns;               // T, daily simple returns (0 on day 0)
    PriceMatrix weights;          // T x N, end-of-day weights
    std::vector<Trade> trades;
    Metrics metrics;
};

struct ScenarioRun {
    std::string name;
    std::string description;
    std::string mode;             // "historical"
    std::vector<std::string> assets;  // N, column order of weights
    std::vector<Date> dates;      // T
    Vector cashRate;              // T, annual percent
    std::string benchmark;        // name of the benchmark strategy ("" for none)
    double initialCapital = 0.0;
    std::vector<StrategyRun> strategies;
};

struct RunResults {
    Provenance provenance;
    std::vector<ScenarioRun> scenarios;
};

}  // namespace rotor
