// SPDX-License-Identifier: MIT
// Pieces of the results layout (docs/results-format.md) shared by the historical part
// (hdf5_writer.cpp) and the Monte Carlo part (hdf5_writer_mc.cpp). Internal to engine/io.
#pragma once

#include "engine/core/types.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/results/result_sink.hpp"
#include "engine/results/results.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rotor::layout {

inline constexpr std::size_t kDateWidth = 10;  // "YYYY-MM-DD"
// Values per chunk of the per-path arrays (hdf5_writer_mc.cpp), the block of a column read back.
inline constexpr std::size_t kPerPathChunk = 8192;

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

// A Monte Carlo scenario whose per-path datasets are filled while it runs (McPathSink): its
// group and every per-path dataset are created before the first path, with the layout of the
// whole-array writes; the rest of the scenario is written with the others at the end.
struct StreamedMc {
    std::string name;
    std::uint64_t paths = 0;
    std::uint64_t written = 0;  // paths written so far
    h5::Group group;
    std::optional<h5::Group> strategies;
    std::vector<h5::Group> strategyGroups;
    std::vector<h5::Group> pathGroups;
    // Open while paths arrive: per strategy its columns in PathMetrics order (terminal_wealth,
    // cagr, volatility, sharpe, max_drawdown, turnover[, checkpoint_wealth]), the regimes, the
    // attribution, each overlay figure and, with `store: paths`, the stored prices and rates.
    std::vector<std::vector<h5::Dataset>> columns;
    std::optional<h5::Dataset> regimes, attribution, storedPrices, storedRates;
    std::size_t days = 0, assets = 0;  // T and N of a stored path
    std::vector<h5::Dataset> overlay;
};

// Creates `shape`'s scenario group under `scenarios` and its empty per-path datasets.
StreamedMc beginStreamedMc(h5::Group& scenarios, const McScenarioRun& shape);
// Writes paths [first, first + n) from `block` (n rows in each per-path array).
void writeStreamedMc(StreamedMc& st, std::uint64_t first, const McScenarioRun& block);

// Writes each scenario's group under `scenarios` (or completes it, for those in `streamed`) and
// returns the /mc_summary table (a row per scenario and strategy, columns for every level of
// `percentileLevels(runs)`).
h5::Table writeMonteCarlo(h5::Group& scenarios, const std::vector<const McScenarioRun*>& runs,
                          std::vector<StreamedMc>& streamed);

}  // namespace rotor::layout
