// SPDX-License-Identifier: MIT
// Writes a run's results to one HDF5 file; the layout is specified in docs/results-format.md.
#pragma once

#include "engine/run/results.hpp"

#include <cstdint>
#include <string>

namespace rotor {

inline constexpr const char* kResultsFormat = "rotor-results";
inline constexpr std::int64_t kResultsFormatVersion = 1;

// Writes `results` to `path`, creating or truncating it; the caller makes that atomic with
// AtomicOutput. Historical and Monte Carlo scenarios share /scenarios (names must differ across
// both). Failed strategy runs are written too (status "failed", NaN metrics). Throws
// rotor::Error if the results are inconsistent (series lengths, indices out of range, duplicate
// or empty names) or HDF5 fails.
void writeResultsHdf5(const RunResults& results, const std::string& path);

// The HDF5 link name used for a scenario or strategy group. HDF5 reserves '/' (path separator)
// and "." (the group itself), so names are percent-escaped: '%' -> "%25", '/' -> "%2F", and a
// name that is exactly "." -> "%2E". Every other name is used unchanged. The original name is
// kept in the group's `name` attribute and in /metrics.
std::string hdf5GroupName(const std::string& name);

// The /mc_summary field of a percentile level: "p%02d" for whole levels (5 -> "p05", 50 -> "p50",
// 100 -> "p100"), otherwise the shortest decimal with '.' -> '_' (2.5 -> "p2_5").
std::string percentileFieldName(double level);

}  // namespace rotor
