// SPDX-License-Identifier: MIT
// Pieces of the results layout (docs/results-format.md) shared by the historical part
// (hdf5_writer.cpp) and the Monte Carlo part (hdf5_writer_mc.cpp). Internal to engine/io.
#pragma once

#include "engine/core/types.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/results/results.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace rotor::layout {

inline constexpr std::size_t kDateWidth = 10;  // "YYYY-MM-DD"

inline std::size_t toSize(Index i) { return static_cast<std::size_t>(i); }

std::vector<std::string> isoDates(const std::vector<Date>& dates);

// The sweep values of a cell as three parallel string-array attributes of its scenario group
// (sweep_keys, sweep_labels, sweep_values); nothing outside a sweep.
void writeSweep(h5::Group& scenario, const std::vector<SweepValue>& sweep);

// One field of every row, in row order: a column of a results table.
template <class Row, class T>
std::vector<T> column(const std::vector<Row>& rows, T Row::*field) {
    std::vector<T> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(r.*field);
    return out;
}

// Throws rotor::Error naming the first inconsistency of `s` (series lengths, indices, names).
void validateMonteCarlo(const McScenarioRun& s);

// The union of the scenarios' percentile levels, ascending; throws if two levels would share
// an /mc_summary field name.
std::vector<double> percentileLevels(const std::vector<const McScenarioRun*>& runs);

// Writes each scenario's group under `scenarios` and returns the /mc_summary table (a row per
// scenario and strategy, columns for every level of `percentileLevels(runs)`).
h5::Table writeMonteCarlo(h5::Group& scenarios, const std::vector<const McScenarioRun*>& runs);

}  // namespace rotor::layout
