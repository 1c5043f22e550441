// SPDX-License-Identifier: MIT
// Which report a file gets: `rotor report` reads rotor results files and backtest-model files,
// told apart by the root attribute `format` every rotor file carries.
#pragma once

#include <string>

namespace rotor::report {

enum class ReportKind { Results, BacktestModel };

// Throws rotor::InputError (exit code 2) for a missing file, a file that is not HDF5 (the
// messages of readResults), or one whose `format` is neither "rotor-results" nor
// "rotor-backtest-model" ("not a rotor results file, nor a backtest-model file", naming both).
ReportKind reportKindOf(const std::string& path);

}  // namespace rotor::report
