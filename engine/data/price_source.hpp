// SPDX-License-Identifier: MIT
// Where a set of assets' prices live: one file per asset (a pattern with "{asset}") or one wide
// date,A,B,... table. Shared by the scenario universe, calibration and history windows.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/data/time_series.hpp"

#include <string>
#include <vector>

namespace rotor {

struct PriceSource {
    std::string pattern;  // per-asset files with "{asset}" (resolved path), or ""
    std::string column;   // price column in per-asset files ("" = the only one)
    std::string table;    // a wide date,A,B,... table (resolved path), or ""
    MissingPolicy missing = MissingPolicy::Error;  // `universe.missing`

    bool empty() const { return pattern.empty() && table.empty(); }
    // The file holding `asset`'s prices.
    std::string fileOf(const std::string& asset) const;
};

// A per-asset file pattern with every "{asset}" replaced by `asset`.
std::string expandAssetPattern(const std::string& pattern, const std::string& asset);

// Every asset's full price series (through `data`, so each file is read once per run), in the
// order of `assets`; a table's columns become series of their own.
std::vector<TimeSeries> readPrices(DataStore& data, const PriceSource& source,
                                   const std::vector<std::string>& assets);

}  // namespace rotor
