// SPDX-License-Identifier: MIT
// `rotor export --csv`: results as plain CSV files for spreadsheets, one file per table/series.
#pragma once

#include "engine/report/results_reader.hpp"

#include <string>
#include <vector>

namespace rotor::report {

// Writes into `dir` (created if missing):
//   metrics.csv, mc_summary.csv              the summary tables, when present
//   <scenario>/cash_rate.csv                 historical: date, cash_rate
//   <scenario>/<strategy>_equity.csv         date, equity, return, wealth
//   <scenario>/<strategy>_weights.csv        date, one column per asset
//   <scenario>/<strategy>_trades.csv         every trade: the fields of its trades table
//   <scenario>/rate_bands.csv                Monte Carlo: date, p<level>...
//   <scenario>/<strategy>_bands.csv          date, p<level>... (wealth)
//   <scenario>/<strategy>_paths.csv          path, one column per per-path metric
//   <scenario>/realised.csv                  date, cash_rate, <strategy>... (realised wealth)
// Names are made file-system safe (characters other than A-Z a-z 0-9 . _ - become '_').
// The set is written as one: into a temporary folder next to `dir`, renamed into place when
// every file is complete, so a failure (a full disk) leaves nothing behind and an earlier
// export intact. `dir` may be new or empty; an existing non-empty folder is refused
// (InputError) unless `force`, and even then only when it holds nothing but CSV files at most
// one folder deep (an earlier export), since it is replaced whole. Numbers are %.17g; NaN is
// empty. Returns the paths written, in order.
std::vector<std::string> exportCsv(const ResultsData& data, const std::string& dir, bool force);

// The checks exportCsv makes on `dir` before writing, for callers that want them before
// reading the results (InputError).
void checkExportFolder(const std::string& dir, bool force);

}  // namespace rotor::report
