// SPDX-License-Identifier: MIT
// A tiny Monte Carlo results file in the documented layout, written straight with the HDF5
// wrapper so the report code is tested against the layout rather than against a writer.
#pragma once

#include <cstdint>
#include <string>

namespace rotor::test {

// Scenario "fwd" (mode monte_carlo, benchmark "hold"): 4 days, percentiles {5, 50, 95}, 4 paths;
// strategies "mom" and "hold" (ok) and "broken" (failed, no datasets); realised/ covers the first
// 2 days. Realised "mom" ends at wealth 1.03 against checkpoint wealth {0.95, 1.00, 1.03, 1.10}:
// 2 paths below and 1 tie counted half, so its percentile rank is 2.5 / 4 = 62.5 %.
// "hold" ends at 0.98 against {0.97, 0.99, 1.01, 1.02}: 1 below, rank 1 / 4 = 25 %.
// /mc_summary medians (p50): mom 1.12, hold 1.04; prob_loss: mom 0.25, hold 0.5.
// `formatVersion` is written as the root's format_version; with `sweep`, the scenario is the cell
// of a sweep: sweep_keys {"simulation.seed", "strategies[name=mom].lookback"}, sweep_labels
// {"seed", "lookback"}, sweep_values {"42", "126"}. A non-empty `realisedCoverage` or
// `rateLastObservation` is written as the realised group's attribute of that meaning.
void writeMcFixture(const std::string& path, std::int64_t formatVersion = 1, bool sweep = false,
                    const std::string& realisedCoverage = {},
                    const std::string& rateLastObservation = {});

// An HDF5 file with no rotor attributes.
void writeForeignHdf5(const std::string& path);

}  // namespace rotor::test
