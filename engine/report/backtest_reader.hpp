// SPDX-License-Identifier: MIT
// Reads a `rotor backtest-model` file (format rotor-backtest-model, docs/backtest-model.md)
// into memory for the report. HDF5 stays a private dependency: this header does not include
// <hdf5.h>.
#pragma once

#include "engine/report/file_provenance.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rotor::report {

// The per-start scores of one conditioning on one target, and its stored summary row.
struct BacktestSeries {
    std::string conditioning;                 // "unconditional", "realised_regime", or a class name
    std::string target;                       // an asset or a spread ("IWM-SPY")
    std::vector<double> realised, pit, crps;  // one per start; PIT in [0, 1]
    std::vector<double> in50, in90;           // 0 or 1
    std::vector<std::int64_t> storedHistogram;  // /pit_histogram as written
    double coverage50 = 0.0, coverage90 = 0.0, meanCrps = 0.0;
    double ksStatistic = 0.0, ksPValue = 1.0;
    std::int64_t ksStarts = 0;
};

struct BacktestData : FileProvenance {
    std::string name;      // /backtest attributes
    std::string scenario;  // the forward scenario whose model was tested
    std::string outcome;
    std::string pitRule;
    std::string ksRule;
    std::int64_t horizonMonths = 0;
    std::uint64_t paths = 0;
    std::vector<std::string> conditioning, targets;
    std::vector<std::string> starts, ends;        // ISO dates, one per start
    std::vector<std::size_t> ksStartIndex;        // the non-overlapping starts (0-based)
    std::vector<std::string> realisedStartClass;  // with realised_regime; else empty
    std::vector<BacktestSeries> series;           // conditioning-major, then target

    const BacktestSeries* find(const std::string& cond, const std::string& target) const;
};

// Throws rotor::InputError (exit code 2) when the file does not exist, is not HDF5, is not a
// backtest-model file (root attribute format != "rotor-backtest-model"), was written in a newer
// format version, or breaks the layout: a missing group or dataset, per-start rows that do not
// match the starts, a PIT outside [0, 1], a band flag other than 0 or 1, a KS start index out
// of range. The simulated outcomes are not read.
BacktestData readBacktestModel(const std::string& path);
BacktestData readBacktestModelImage(const std::vector<char>& image, const std::string& name);

}  // namespace rotor::report
