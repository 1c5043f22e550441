// SPDX-License-Identifier: MIT
// Builds the one path of a historical scenario from its data: prices (with optional
// backfills), aligned on the common trading days of the window, and the cash rate
// forward-filled onto them.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/scenario/path.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <optional>
#include <vector>

namespace rotor {

struct HistoricalData {
    Universe universe;
    Path path;
};

// The cash rate on `days` (annual percent), forward-filled at most `maxStaleDays` calendar
// days. With `from` (on or before days.front()), only the rows from the one prevailing on
// `from` onwards are parsed.
Vector cashRateOn(const CashRateSpec& rate, const std::vector<Date>& days, DataStore& data,
                  int maxStaleDays, std::optional<Date> from = std::nullopt);

// Reads through `data` (each file once per run). Throws InputError/DataError for missing or
// inconsistent data (exit code 2).
HistoricalData loadHistorical(const ScenarioSpec& spec, DataStore& data);

}  // namespace rotor
