// SPDX-License-Identifier: MIT
// Alignment of price series onto their common trading days, and forward-filling of rates.
#include "engine/calendar/alignment.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rotor {

namespace {

// "IWM (data/adj_etf/IWM.csv)": who is being refused, and where it came from.
std::string label(const TimeSeries& s) {
    std::string out = s.name.empty() ? std::string("series") : s.name;
    if (!s.file.empty()) out += " (" + s.file + ")";
    return out;
}

void requireWellFormed(const TimeSeries& s) {
    ROTOR_REQUIRE(s.dates.size() == s.values.size(), label(s) << " has " << s.dates.size()
                                                              << " dates but " << s.values.size()
                                                              << " values");
    const auto bad = std::adjacent_find(s.dates.begin(), s.dates.end(),
                                        [](Date a, Date b) { return !(a < b); });
    ROTOR_REQUIRE(bad == s.dates.end(),
                  label(s) << " dates do not ascend strictly at " << (bad + 1)->iso());
}

}  // namespace

AlignedPrices alignPrices(const std::vector<TimeSeries>& assets, Date start,
                          std::optional<Date> end) {
    if (assets.empty()) throw InputError("no assets to align");
    if (end && *end < start)
        throw InputError("window start " + start.iso() + " is after its end " + end->iso());
    const std::size_t n = assets.size();
    for (std::size_t i = 0; i < n; ++i) {
        const TimeSeries& s = assets[i];
        requireWellFormed(s);
        for (std::size_t k = 0; k < i; ++k)
            if (assets[k].name == s.name)
                throw InputError("asset '" + s.name + "' is listed twice");
        if (s.empty()) throw InputError(label(s) + " has no data");
        // Refuse rather than start late: a shorter window than asked would change every result.
        if (s.firstDate() > start)
            throw InputError(label(s) + " has no data before " + s.firstDate().iso() +
                             " (window starts " + start.iso() + ")");
        if (end && *end > s.lastDate())
            throw InputError(label(s) + " has no data after " + s.lastDate().iso() +
                             " (window ends " + end->iso() + ")");
    }

    Date last = end ? *end : assets.front().lastDate();
    if (!end) {
        const TimeSeries* shortest = &assets.front();
        for (const auto& s : assets)
            if (s.lastDate() < shortest->lastDate()) shortest = &s;
        last = shortest->lastDate();
        if (last < start)
            throw InputError(label(*shortest) + " has no data after " + last.iso() +
                             " (window starts " + start.iso() + ")");
    }

    // Walk all series at once: the candidate day is the largest current date; every series
    // steps up to it, and the day is kept only if all of them have it.
    std::vector<std::size_t> pos(n);
    for (std::size_t i = 0; i < n; ++i)
        pos[i] = static_cast<std::size_t>(
            std::lower_bound(assets[i].dates.begin(), assets[i].dates.end(), start) -
            assets[i].dates.begin());
    AlignedPrices out;
    std::vector<double> values;
    bool more = true;
    while (more) {
        Date candidate = start;
        for (std::size_t i = 0; i < n && more; ++i) {
            if (pos[i] == assets[i].size())
                more = false;
            else
                candidate = std::max(candidate, assets[i].dates[pos[i]]);
        }
        if (!more || candidate > last) break;
        bool all = true;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& dates = assets[i].dates;
            while (pos[i] < dates.size() && dates[pos[i]] < candidate) ++pos[i];
            if (pos[i] == dates.size() || dates[pos[i]] != candidate) all = false;
        }
        if (!all) continue;
        out.dates.push_back(candidate);
        for (std::size_t i = 0; i < n; ++i) values.push_back(assets[i].values[pos[i]++]);
    }

    const auto t = static_cast<Index>(out.dates.size());
    std::string names;
    for (const auto& s : assets) names += (names.empty() ? "" : ", ") + s.name;
    if (t < 2)
        throw InputError("only " + std::to_string(t) + " common trading day(s) between " +
                         start.iso() + " and " + last.iso() + " for " + names +
                         " (need at least 2)");

    out.prices = Eigen::Map<const PriceMatrix>(values.data(), t, static_cast<Index>(n));
    for (const auto& s : assets) {
        out.assets.push_back(s.name);
        const auto lo = std::lower_bound(s.dates.begin(), s.dates.end(), start);
        const auto hi = std::upper_bound(lo, s.dates.end(), last);
        out.droppedDays.push_back(static_cast<long>(hi - lo) - static_cast<long>(t));
    }
    return out;
}

AlignedPrices alignPriceTable(const PriceTable& table, Date start, std::optional<Date> end) {
    const auto rows = static_cast<std::size_t>(table.prices.rows());
    ROTOR_REQUIRE(rows == table.dates.size() &&
                      static_cast<std::size_t>(table.prices.cols()) == table.assets.size(),
                  "price table " << table.file << " is " << table.prices.rows() << "x"
                                 << table.prices.cols() << " for " << table.dates.size()
                                 << " dates and " << table.assets.size() << " assets");
    // The assets share the table's dates, so alignment is a cut of rows [lo, hi): the same
    // checks and messages as alignPrices on one series per column (whose first asset is the
    // one every date problem is reported against), without copying the table N times.
    if (table.assets.empty()) throw InputError("no assets to align");
    if (end && *end < start)
        throw InputError("window start " + start.iso() + " is after its end " + end->iso());
    TimeSeries first;  // the first column's identity, for messages; no data copied
    first.name = table.assets.front();
    first.file = table.file;
    const std::string who = label(first);
    const auto bad = std::adjacent_find(table.dates.begin(), table.dates.end(),
                                        [](Date a, Date b) { return !(a < b); });
    ROTOR_REQUIRE(bad == table.dates.end(),
                  who << " dates do not ascend strictly at " << (bad + 1)->iso());
    if (table.dates.empty()) throw InputError(who + " has no data");
    if (table.dates.front() > start)
        throw InputError(who + " has no data before " + table.dates.front().iso() +
                         " (window starts " + start.iso() + ")");
    if (end && *end > table.dates.back())
        throw InputError(who + " has no data after " + table.dates.back().iso() + " (window ends " +
                         end->iso() + ")");
    for (std::size_t i = 1; i < table.assets.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (table.assets[k] == table.assets[i])
                throw InputError("asset '" + table.assets[i] + "' is listed twice");
    const Date last = end ? *end : table.dates.back();
    if (last < start)
        throw InputError(who + " has no data after " + last.iso() + " (window starts " +
                         start.iso() + ")");

    const auto lo = std::lower_bound(table.dates.begin(), table.dates.end(), start);
    const auto hi = std::upper_bound(lo, table.dates.end(), last);
    const auto t = static_cast<Index>(hi - lo);
    if (t < 2) {
        std::string names;
        for (const auto& a : table.assets) names += (names.empty() ? "" : ", ") + a;
        throw InputError("only " + std::to_string(t) + " common trading day(s) between " +
                         start.iso() + " and " + last.iso() + " for " + names +
                         " (need at least 2)");
    }
    AlignedPrices out;
    out.dates.assign(lo, hi);
    out.assets = table.assets;
    out.prices = table.prices.middleRows(static_cast<Index>(lo - table.dates.begin()), t);
    out.droppedDays.assign(table.assets.size(), 0);
    return out;
}

Vector forwardFill(const TimeSeries& rate, const std::vector<Date>& days, int maxStaleDays) {
    ROTOR_REQUIRE(maxStaleDays >= 0, "maxStaleDays is " << maxStaleDays << ", expected >= 0");
    requireWellFormed(rate);
    const auto bad = std::adjacent_find(days.begin(), days.end(),
                                        [](Date a, Date b) { return !(a < b); });
    ROTOR_REQUIRE(bad == days.end(), "trading days do not ascend strictly at " << (bad + 1)->iso());

    Vector out(static_cast<Index>(days.size()));
    if (days.empty()) return out;
    if (rate.empty() || rate.firstDate() > days.front())
        throw InputError(label(rate) + ": no observation on or before " + days.front().iso() +
                         ", the first trading day" +
                         (rate.empty() ? std::string(" (the series is empty)")
                                       : " (series starts " + rate.firstDate().iso() + ")"));

    const std::vector<Date>& obs = rate.dates;
    // Latest observation on or before the first day; then only ever step forward.
    auto j = static_cast<std::size_t>(std::upper_bound(obs.begin(), obs.end(), days.front()) -
                                      obs.begin() - 1);
    for (std::size_t t = 0; t < days.size(); ++t) {
        const Date day = days[t];
        while (j + 1 < obs.size() && obs[j + 1] <= day) ++j;
        const int age = day - obs[j];
        if (age > maxStaleDays)
            throw InputError(label(rate) + ": latest observation on or before " + day.iso() +
                             " is " + obs[j].iso() + " (" + std::to_string(age) +
                             " calendar days old, limit " + std::to_string(maxStaleDays) + ")" +
                             (j + 1 == obs.size() ? "; the series ends " + obs[j].iso() : ""));
        out[static_cast<Index>(t)] = rate.values[j];
    }
    return out;
}

Vector constantRate(double annualPercent, Index days) {
    ROTOR_REQUIRE(std::isfinite(annualPercent), "constant rate is " << annualPercent);
    ROTOR_REQUIRE(days >= 0, "constant rate over " << days << " days");
    return Vector::Constant(days, annualPercent);
}

}  // namespace rotor
