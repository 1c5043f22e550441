// SPDX-License-Identifier: MIT
// Builds the one path of a historical scenario from data/: loads prices (with optional
// backfills), aligns them on the common trading days of the window and forward-fills the cash rate.
#pragma once

#include "engine/config/scenario_config.hpp"
#include "engine/scenario/path.hpp"

#include <string>
#include <vector>

namespace rotor {

struct HistoricalData {
    Universe universe;
    Path path;
    std::vector<std::string> files;  // every data file read, for provenance checksums
};

// Throws InputError/DataError for missing or inconsistent data (exit code 2).
HistoricalData loadHistorical(const ScenarioSpec& spec);

}  // namespace rotor
