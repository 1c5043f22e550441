// SPDX-License-Identifier: MIT
// Puts a universe's price series and its rate series onto one trading-day grid: the days every
// asset traded. Prices are never filled; rates are forward-filled within a staleness limit.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/data/time_series.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

struct AlignedPrices {
    std::vector<Date> dates;          // T >= 2 trading days, strictly ascending
    std::vector<std::string> assets;  // N, the order given
    PriceMatrix prices;               // T x N
    // Per asset: its dates inside the window that were dropped because another asset has no
    // price that day (worth reporting: a large number hints at a bad file).
    std::vector<long> droppedDays;
};

// The trading days are the dates present in every asset's series within [start, end]; `end`
// defaults to the last such date. Refuses (InputError, naming the asset and its date) a window
// starting before an asset's first date or ending after its last, so no asset is silently
// shortened; also refuses duplicate asset names and fewer than 2 common days.
// Each series' name is the asset name; dates must ascend strictly (as the CSV readers ensure).
AlignedPrices alignPrices(const std::vector<TimeSeries>& assets, Date start,
                          std::optional<Date> end = std::nullopt);

// Same rules for a wide table, whose assets share its dates: it only cuts the window.
AlignedPrices alignPriceTable(const PriceTable& table, Date start,
                              std::optional<Date> end = std::nullopt);

// Calendar days an observation may be carried forward: covers weekends and holiday runs (a
// Friday value used through a Monday holiday is 3 days old) but refuses a series that has ended.
constexpr int kDefaultMaxStaleDays = 10;

// The value on each trading day is the latest observation dated on or before that day (so
// weekend/holiday rows and business-day-only series both work, and day t never sees t+1).
// InputError naming the series and the dates when no observation is on or before days.front(),
// or when the latest one is more than `maxStaleDays` calendar days older than the day.
Vector forwardFill(const TimeSeries& rate, const std::vector<Date>& days,
                   int maxStaleDays = kDefaultMaxStaleDays);

// A constant rate (annual percent) on each of `days` days.
Vector constantRate(double annualPercent, Index days);

}  // namespace rotor
