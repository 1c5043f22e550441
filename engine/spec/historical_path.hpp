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

// Extends `s` backwards over the returns series' dates in [start, first date): the price the
// day before a return r is P / (1 + r * scale), so compounding the proxy reproduces the splice.
// InputError when the proxy has no return on the asset's first date or one of -100% or worse.
void backfillFromReturns(TimeSeries& s, const BackfillSpec& b, Date start, DataStore& data);

// The log valuation multiple of `asset` known on each of `days` (docs/data.md, "Valuation
// series"): NaN before its first observation is known; ConfigError at the asset's
// universe.valuation entry for a non-positive multiple, a return of -100% or worse, or a day
// whose newest known observation is older than max_stale_days (with `staleIsMissing`, such a
// day carries NaN instead: the realised replay of a forward scenario, which ends with its data).
Vector valuationOn(const ValuationSourceSpec& v, const std::string& asset,
                   const std::vector<Date>& days, DataStore& data, bool staleIsMissing = false);

// Reads through `data` (each file once per run). Throws InputError/DataError for missing or
// inconsistent data (exit code 2).
HistoricalData loadHistorical(const ScenarioSpec& spec, DataStore& data);

}  // namespace rotor
