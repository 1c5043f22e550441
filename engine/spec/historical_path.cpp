// SPDX-License-Identifier: MIT
#include "engine/spec/historical_path.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/core/error.hpp"
#include "engine/data/price_source.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

namespace rotor {
namespace {

// Puts the backfilled days (collected newest first) in front of `s`.
void prependReversed(TimeSeries& s, std::vector<Date> dates, std::vector<double> values) {
    std::reverse(dates.begin(), dates.end());
    std::reverse(values.begin(), values.end());
    dates.insert(dates.end(), s.dates.begin(), s.dates.end());
    values.insert(values.end(), s.values.begin(), s.values.end());
    s.dates = std::move(dates);
    s.values = std::move(values);
}

// Extends `s` backwards on `grid`'s dates before its first date by discounting at the cash
// rate, ACT/360: P(prev) = P(next) / (1 + rate(prev)/100 * days/360).
void backfillFromCash(TimeSeries& s, const std::vector<Date>& grid, const Vector& rateOnGrid,
                      Date start) {
    const Date first = s.firstDate();
    std::vector<Date> dates;
    std::vector<double> values;
    double p = s.values.front();
    Date next = first;
    // Rate prevailing on the last grid day before `first` drives the first discount step.
    for (std::size_t k = grid.size(); k > 0; --k) {
        const Date d = grid[k - 1];
        if (d >= first) continue;
        if (d < start) break;
        const double days = static_cast<double>(next.serial() - d.serial());
        p /= 1.0 + rateOnGrid[static_cast<Index>(k - 1)] / 100.0 * days / 360.0;
        dates.push_back(d);
        values.push_back(p);
        next = d;
    }
    prependReversed(s, std::move(dates), std::move(values));
}

// The first call has the earliest days (the backfill's grid starts at or before the path), so
// the window it parses covers the later calls too: `first` keeps that window.
Vector cashRateOn(const ScenarioSpec& spec, const std::vector<Date>& days, DataStore& data,
                  std::optional<Date>& first) {
    if (!days.empty() && (!first || days.front() < *first)) first = days.front();
    return cashRateOn(spec.cashRate, days, data, spec.cashRate.maxStaleDays, first);
}

// The window runs past the cash rate's data (its last observation + max_stale_days): an error
// at the key that set the window's end, with the two ways out. Returns when that is not the
// cause of the reader's error.
void explainStaleRate(const ScenarioSpec& spec, const std::vector<Date>& days, DataStore& data,
                      std::optional<Date> from) {
    if (spec.cashRate.constant || days.empty()) return;
    ReadWindow window;
    window.from = from;
    window.keepPrevailing = from.has_value();
    window.missing = spec.cashRate.missing;
    const TimeSeries& rate = data.series(spec.cashRate.file, spec.cashRate.column, window);
    if (rate.dates.empty()) return;
    const Date last = rate.dates.back();
    const int limit = spec.cashRate.maxStaleDays;
    if (days.back() - last <= limit) return;
    const auto covered = std::upper_bound(days.begin(), days.end(), last + limit);
    const std::string setBy = spec.end ? "window.end " + spec.end->iso()
                                       : "the prices' last common date " + days.back().iso() +
                                             " (window.end is not set)";
    std::string fix = "set window.end to ";
    fix += covered != days.begin() ? "the last trading day it covers, " + (covered - 1)->iso()
                                   : "a date it covers";
    fix += ", or raise cash_rate.max_stale_days to " + std::to_string(days.back() - last) +
           " to carry its last value on";
    spec.endWhere.fail("the cash rate " + spec.cashRate.file + " ends " + last.iso() +
                       ", usable to " + (last + limit).iso() + " with cash_rate.max_stale_days " +
                       std::to_string(limit) + ", but the window ends " + setBy + ": " + fix);
}

}  // namespace

Vector valuationOn(const ValuationSourceSpec& v, const std::string& asset,
                   const std::vector<Date>& days, DataStore& data, bool staleIsMissing) {
    const TimeSeries& s = data.series(v.file, v.column, ReadWindow{});
    // The log multiple at each observation: ln(level), or ln of the compounded return index
    // (base 1 the day before the file's first return).
    std::vector<double> logValue(s.size());
    double index = 0.0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        if (v.kind == ValuationSourceSpec::Kind::Multiple) {
            if (!(s.values[k] > 0.0))
                v.where.fail("valuation for " + asset + ": " + v.file + " has the multiple " +
                             std::to_string(s.values[k]) + " on " + s.dates[k].iso() +
                             " (expected > 0)");
            logValue[k] = std::log(s.values[k]);
        } else {
            const double growth = 1.0 + s.values[k] * v.scale;
            if (!(growth > 0.0))
                v.where.fail("valuation for " + asset + ": the return on " + s.dates[k].iso() +
                             " in " + v.file + " is -100% or worse");
            index += std::log(growth);
            logValue[k] = index;
        }
    }
    // Day d sees the last observation dated on or before d - lag_days.
    Vector out(static_cast<Index>(days.size()));
    std::size_t k = 0;
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date known = days[i] + (-v.lagDays);
        while (k < s.size() && s.dates[k] <= known) ++k;
        if (k == 0) {
            out[static_cast<Index>(i)] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        if (known - s.dates[k - 1] > v.maxStaleDays) {
            if (staleIsMissing) {
                out[static_cast<Index>(i)] = std::numeric_limits<double>::quiet_NaN();
                continue;
            }
            v.where.fail("valuation for " + asset + ": on " + days[i].iso() +
                         " the newest observation of " + v.file + " known (lag_days " +
                         std::to_string(v.lagDays) + ") is from " + s.dates[k - 1].iso() +
                         ", older than max_stale_days " + std::to_string(v.maxStaleDays) +
                         ": end the window earlier or raise max_stale_days");
        }
        out[static_cast<Index>(i)] = logValue[k - 1];
    }
    return out;
}

void backfillFromReturns(TimeSeries& s, const BackfillSpec& b, Date start, DataStore& data) {
    // Only returns from `start` on are used: the reader parses the numbers of that window only.
    ReadWindow window;
    window.from = start;
    const TimeSeries& r = data.series(b.file, b.column, window);
    const Date first = s.firstDate();
    auto it = std::lower_bound(r.dates.begin(), r.dates.end(), first);
    if (it == r.dates.end() || *it != first)
        throw InputError("backfill for " + s.name + ": " + b.file + " has no return on " +
                         first.iso() + ", the asset's first date, to splice on");
    std::vector<Date> dates;
    std::vector<double> values;
    double p = s.values.front();
    for (auto k = static_cast<std::size_t>(it - r.dates.begin()); k > 0; --k) {
        if (r.dates[k - 1] < start) break;
        const double growth = 1.0 + r.values[k] * b.scale;
        if (!(growth > 0.0))
            throw InputError("backfill for " + s.name + ": return on " + r.dates[k].iso() + " in " +
                             b.file + " is -100% or worse");
        p /= growth;
        dates.push_back(r.dates[k - 1]);
        values.push_back(p);
    }
    prependReversed(s, std::move(dates), std::move(values));
}

Vector cashRateOn(const CashRateSpec& rate, const std::vector<Date>& days, DataStore& data,
                  int maxStaleDays, std::optional<Date> from) {
    if (rate.constant) return constantRate(*rate.constant, static_cast<Index>(days.size()));
    // With `from`: the rate prevailing on it and everything after it; the decades before are
    // validated by the reader but not parsed.
    ReadWindow window;
    window.missing = rate.missing;
    if (from) {
        window.from = *from;
        window.keepPrevailing = true;
    }
    return forwardFill(data.series(rate.file, rate.column, window), days, maxStaleDays);
}

HistoricalData loadHistorical(const ScenarioSpec& spec, DataStore& data) {
    HistoricalData out;
    const UniverseSpec& u = spec.universe;
    out.universe.assets = u.assets;
    AlignedPrices aligned;
    std::optional<Date> rateFrom;

    if (!u.prices.table.empty()) {
        PriceTableOptions opt;
        opt.columns = u.assets;
        opt.window.missing = u.prices.missing;
        const PriceTable& table = data.priceTable(u.prices.table, opt);
        const Date start = spec.start.value_or(table.dates.front());
        aligned = alignPriceTable(table, start, spec.end);
    } else {
        std::vector<TimeSeries> series = readPrices(data, u.prices, u.assets);
        Date start = series.front().firstDate();
        for (const auto& s : series) start = std::max(start, s.firstDate());
        if (spec.start) start = *spec.start;

        // Returns proxies first: a cash backfill uses another asset's (possibly extended) days.
        for (auto& s : series) {
            auto b = u.backfill.find(s.name);
            if (b == u.backfill.end() || b->second.kind != BackfillSpec::Kind::Returns) continue;
            if (start >= s.firstDate()) continue;
            backfillFromReturns(s, b->second, start, data);
        }
        const TimeSeries* grid = nullptr;
        for (const auto& s : series) {
            auto b = u.backfill.find(s.name);
            if (b == u.backfill.end() || b->second.kind != BackfillSpec::Kind::Cash) {
                grid = &s;
                break;
            }
        }
        for (auto& s : series) {
            auto b = u.backfill.find(s.name);
            if (b == u.backfill.end() || b->second.kind != BackfillSpec::Kind::Cash) continue;
            if (start >= s.firstDate()) continue;
            if (!grid)
                throw InputError("backfill for " + s.name +
                                 ": cash backfill needs another asset's trading days");
            // Only the grid days the backfill covers: the rate need not exist after them.
            const auto lo = std::lower_bound(grid->dates.begin(), grid->dates.end(), start);
            const auto hi = std::lower_bound(lo, grid->dates.end(), s.firstDate());
            const std::vector<Date> days(lo, hi);
            if (days.empty()) continue;
            const Vector rate = cashRateOn(spec, days, data, rateFrom);
            backfillFromCash(s, days, rate, start);
        }
        aligned = alignPrices(series, start, spec.end);
    }

    out.path.dates = std::move(aligned.dates);
    out.path.prices = std::move(aligned.prices);
    try {
        out.path.cashRate = cashRateOn(spec, out.path.dates, data, rateFrom);
    } catch (const InputError&) {
        explainStaleRate(spec, out.path.dates, data, rateFrom);
        throw;
    }
    if (!u.valuation.empty()) {
        const auto n = static_cast<Index>(u.assets.size());
        out.path.valuation = Matrix::Constant(out.path.days(), n,
                                              std::numeric_limits<double>::quiet_NaN());
        for (const auto& [asset, v] : u.valuation) {
            out.universe.valued.push_back(asset);
            out.path.valuation.col(out.universe.find(asset)) = valuationOn(v, asset, out.path.dates,
                                                                           data);
        }
    }
    validatePath(out.path, out.universe);
    return out;
}

}  // namespace rotor
