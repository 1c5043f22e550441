// SPDX-License-Identifier: MIT
#include "engine/spec/forward_model.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "engine/data/price_source.hpp"
#include "engine/spec/historical_path.hpp"
#include "engine/spec/model_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rotor {

namespace {

// Bifurcation sleeve -> its parent: sleeves have no data of their own (see forward_model.hpp).
std::map<std::string, std::string> sleeveParents(const ScenarioSpec& spec) {
    std::map<std::string, std::string> out;
    if (!spec.bifurcation) return out;
    for (const auto& sleeve : spec.bifurcation->sleeves)
        out[sleeve.name] = spec.bifurcation->parent;
    return out;
}

// Index of the last close on or before `day`, or -1 when there is none.
long lastCloseOnOrBefore(const TimeSeries& s, Date day) {
    const auto it = std::upper_bound(s.dates.begin(), s.dates.end(), day);
    return static_cast<long>(it - s.dates.begin()) - 1;
}

bool anyWithoutData(const std::vector<TimeSeries>& series) {
    return std::any_of(series.begin(), series.end(), [](const TimeSeries& s) { return s.empty(); });
}

// Hands every path the same real history before day 0 (see Path::history).
class HistoryPrefixed final : public PathGenerator {
public:
    HistoryPrefixed(std::unique_ptr<PathGenerator> inner, std::shared_ptr<const Path> history)
        : inner_(std::move(inner)), history_(std::move(history)) {}
    const Universe& universe() const override { return inner_->universe(); }
    const std::vector<Date>& dates() const override { return inner_->dates(); }
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const override {
        const PathInfo info = inner_->generate(p, out, scratch);
        out.history = history_;
        return info;
    }
    std::vector<std::string> regimeNames() const override { return inner_->regimeNames(); }
    std::string describe() const override { return inner_->describe(); }
    std::vector<std::string> attributionNames() const override {
        return inner_->attributionNames();
    }
    std::vector<std::string> overlayReportNames() const override {
        return inner_->overlayReportNames();
    }
    std::vector<AssetExpectation> expectations() const override { return inner_->expectations(); }
    std::vector<std::string> warnings() const override { return inner_->warnings(); }
    std::optional<double> drawOnly(std::uint64_t p, Xoshiro256* end) const override {
        return inner_->drawOnly(p, end);
    }

private:
    std::unique_ptr<PathGenerator> inner_;
    std::shared_ptr<const Path> history_;
};

}  // namespace

std::vector<TimeSeries> universeSeries(const ScenarioSpec& spec, DataStore& data) {
    const UniverseSpec& u = spec.universe;
    const auto sleeves = sleeveParents(spec);
    std::vector<TimeSeries> out(u.assets.size());
    std::map<std::string, std::size_t> at;
    std::vector<std::string> read;
    for (std::size_t j = 0; j < u.assets.size(); ++j) {
        const std::string& a = u.assets[j];
        at[a] = j;
        out[j].name = a;
        if (sleeves.contains(a)) continue;
        if (u.prices.table.empty() && spec.startPrices.contains(a)) continue;  // given start price
        read.push_back(a);
    }
    if (!read.empty()) {
        std::vector<TimeSeries> series = readPrices(data, u.prices, read);
        for (std::size_t k = 0; k < read.size(); ++k) out[at.at(read[k])] = std::move(series[k]);
    }
    for (const auto& [sleeve, parent] : sleeves) {
        const auto sj = at.find(sleeve), pj = at.find(parent);
        if (sj == at.end() || pj == at.end()) continue;  // the overlay reports it, located
        const TimeSeries& p = out[pj->second];
        TimeSeries& s = out[sj->second];
        if (p.empty()) continue;  // the parent has no data: neither has the sleeve
        s.file = p.file;
        s.dates = p.dates;
        s.values = p.values;
        if (const auto g = spec.startPrices.find(sleeve); g != spec.startPrices.end()) {
            const long k = lastCloseOnOrBefore(p, spec.simulation->start);
            if (k < 0) continue;  // startPrices() reports the parent
            const double scale = g->second / p.values[static_cast<std::size_t>(k)];
            for (double& v : s.values) v *= scale;
        }
    }
    return out;
}

std::shared_ptr<const Path> historyPrefix(const ScenarioSpec& spec,
                                          const std::vector<TimeSeries>& universe, Date day0,
                                          DataStore& data) {
    const long h = spec.simulation->historyDays;
    if (h <= 0) return nullptr;
    std::vector<TimeSeries> series = universe;
    if (anyWithoutData(series)) return nullptr;
    for (auto& s : series) {
        // Nothing from day 0 on: the history is what was known before the first simulated day.
        const auto cut = std::lower_bound(s.dates.begin(), s.dates.end(), day0);
        s.values.resize(static_cast<std::size_t>(cut - s.dates.begin()));
        s.dates.erase(cut, s.dates.end());
        if (s.dates.empty()) return nullptr;
    }
    // Common days, newest first, until h of them.
    std::vector<Date> days;
    std::vector<std::size_t> pos(series.size());
    for (std::size_t j = 0; j < series.size(); ++j) pos[j] = series[j].dates.size();
    while (static_cast<long>(days.size()) < h) {
        Date latest = series[0].dates[pos[0] - 1];
        for (std::size_t j = 1; j < series.size(); ++j)
            latest = std::min(latest, series[j].dates[pos[j] - 1]);
        bool all = true, exhausted = false;
        for (std::size_t j = 0; j < series.size(); ++j) {
            while (pos[j] > 0 && series[j].dates[pos[j] - 1] > latest) --pos[j];
            all = all && pos[j] > 0 && series[j].dates[pos[j] - 1] == latest;
        }
        if (all) days.push_back(latest);
        for (std::size_t j = 0; j < series.size(); ++j) {
            if (pos[j] > 0 && series[j].dates[pos[j] - 1] == latest) --pos[j];
            exhausted = exhausted || pos[j] == 0;
        }
        if (exhausted) break;
    }
    if (days.empty()) return nullptr;
    std::reverse(days.begin(), days.end());
    auto out = std::make_shared<Path>();
    out->dates = days;
    out->prices.resize(static_cast<Index>(days.size()), static_cast<Index>(series.size()));
    for (std::size_t j = 0; j < series.size(); ++j) {
        const auto& s = series[j];
        for (std::size_t t = 0; t < days.size(); ++t) {
            const auto it = std::lower_bound(s.dates.begin(), s.dates.end(), days[t]);
            out->prices(static_cast<Index>(t), static_cast<Index>(j)) =
                s.values[static_cast<std::size_t>(it - s.dates.begin())];
        }
    }
    if (spec.hasCashRate) {
        out->cashRate = cashRateOn(spec.cashRate, days, data, spec.cashRate.maxStaleDays);
    } else {
        out->cashRate = constantRate(spec.ratePath->start, static_cast<Index>(days.size()));
    }
    if (!spec.universe.valuation.empty())
        out->valuation = anchoredValuation(spec, days.back(), days, data, false);
    fillCashAccrual(*out);  // read by every path's cash-relative signals
    return out;
}

Matrix anchoredValuation(const ScenarioSpec& spec, Date eve, const std::vector<Date>& days,
                         DataStore& data, bool staleIsMissing) {
    const auto& assets = spec.universe.assets;
    Matrix out = Matrix::Constant(static_cast<Index>(days.size()),
                                  static_cast<Index>(assets.size()),
                                  std::numeric_limits<double>::quiet_NaN());
    for (const auto& [asset, v] : spec.universe.valuation) {
        if (!v.hasFile()) continue;
        const std::optional<double> pe = spec.model->startMultiple(asset);
        ROTOR_REQUIRE(pe, "no model multiple for " << asset);  // refused at parse time
        const double known = valuationOn(v, asset, {eve}, data)[0];
        if (std::isnan(known)) continue;
        const auto j = static_cast<Index>(std::find(assets.begin(), assets.end(), asset) -
                                          assets.begin());
        out.col(j) = valuationOn(v, asset, days, data, staleIsMissing).array() +
                     (std::log(*pe) - known);
    }
    return out;
}

std::vector<Date> forwardDates(const SimulationSpec& sim) {
    Date day0 = sim.start;
    while (!isNyseTradingDay(day0)) day0 = day0 + (-1);
    if (sim.end) return nyseTradingDays(day0, *sim.end);
    return nyseTradingDaysFrom(day0, static_cast<std::size_t>(sim.horizonDays) + 1);
}

Vector startPrices(const ScenarioSpec& spec, const std::vector<TimeSeries>& series) {
    Vector p(static_cast<Index>(series.size()));
    const Date start = spec.simulation->start;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        if (auto g = spec.startPrices.find(s.name); g != spec.startPrices.end()) {
            p[static_cast<Index>(i)] = g->second;
            continue;
        }
        if (s.empty())  // a sleeve of a parent with a given start price
            throw InputError(s.name +
                             ": a bifurcation sleeve needs a start price when its parent "
                             "has no price data");
        const long last = lastCloseOnOrBefore(s, start);
        if (last < 0)
            throw InputError(s.file + ": " + s.name + " has no price on or before the start " +
                             start.iso() + " (first date " + s.firstDate().iso() + ")");
        const auto k = static_cast<std::size_t>(last);
        if (start - s.dates[k] > 10)
            throw InputError(s.file + ": " + s.name + "'s last price before the start " +
                             start.iso() + " is from " + s.dates[k].iso() +
                             ", too old to start from");
        p[static_cast<Index>(i)] = s.values[k];
    }
    return p;
}

ForwardModel buildForwardModel(const ScenarioSpec& spec, DataStore& data) {
    ROTOR_REQUIRE(spec.monteCarlo(), "buildForwardModel needs a monte_carlo scenario");
    ForwardModel m;
    GeneratorContext& ctx = m.context;
    ctx.universe.assets = spec.universe.assets;
    for (const auto& [asset, v] : spec.universe.valuation) ctx.universe.valued.push_back(asset);
    ctx.dates = forwardDates(*spec.simulation);
    if (ctx.dates.size() < 2)
        throw InputError(spec.file + ": the horizon has fewer than 2 trading days");
    m.series = universeSeries(spec, data);
    ctx.startPrices = startPrices(spec, m.series);
    ctx.seed = spec.simulation->seed;
    ctx.rate = std::make_shared<const RatePathModel>(*spec.ratePath, ctx.dates);
    ctx.dataCutoff = spec.simulation->start;
    m.generator = buildGenerator(spec, ctx, data);
    m.history = historyPrefix(spec, m.series, ctx.dates.front(), data);
    if (m.history)
        m.generator = std::make_unique<HistoryPrefixed>(std::move(m.generator), m.history);
    return m;
}

std::optional<Path> realisedPath(const ScenarioSpec& spec, const std::vector<TimeSeries>& series,
                                 const std::vector<Date>& dates, const Vector& start,
                                 DataStore& data, RealisedCoverage* coverage) {
    if (!spec.hasCashRate) return std::nullopt;
    if (anyWithoutData(series)) return std::nullopt;
    // The replay stops at the first series to run out: an asset without a close on a simulated
    // day, or the cash rate past its staleness limit (its last observation + max_stale_days).
    std::optional<Date> rateUsableTo;
    std::string rateName;
    if (!spec.cashRate.constant) {
        const TimeSeries& rate = data.series(spec.cashRate.file, spec.cashRate.column,
                                             ReadWindow{{}, false, spec.cashRate.missing});
        if (rate.dates.empty()) return std::nullopt;
        rateUsableTo = rate.dates.back() + spec.cashRate.maxStaleDays;
        rateName = "cash rate (" + spec.cashRate.file + ", " + spec.cashRate.column + ")";
        if (coverage) {
            coverage->rateLastObservation = rate.dates.back();
            coverage->lines.push_back(rateName + ": last observation " + rate.dates.back().iso() +
                                      ", usable to " + rateUsableTo->iso() + " (" +
                                      std::to_string(spec.cashRate.maxStaleDays) +
                                      "-day staleness limit)");
        }
    }
    if (coverage)
        for (const auto& s : series)
            coverage->lines.push_back(s.name + ": closes to " + s.dates.back().iso());
    std::size_t covered = 1;
    for (; covered < dates.size(); ++covered) {
        const Date d = dates[covered];
        if (rateUsableTo && d > *rateUsableTo) {
            if (coverage)
                coverage->endedBy = rateName + ": last observation " +
                                    (*rateUsableTo + -spec.cashRate.maxStaleDays).iso() + " + " +
                                    std::to_string(spec.cashRate.maxStaleDays) +
                                    "-day staleness limit";
            break;
        }
        const TimeSeries* missing = nullptr;
        for (const auto& s : series)
            if (!std::binary_search(s.dates.begin(), s.dates.end(), d)) {
                missing = &s;
                break;
            }
        if (missing) {
            if (coverage) coverage->endedBy = missing->name + " (no close on " + d.iso() + ")";
            break;
        }
    }
    if (coverage && covered == dates.size()) coverage->endedBy = "the horizon's end";
    if (covered < 2) return std::nullopt;
    Path p;
    p.dates.assign(dates.begin(), dates.begin() + static_cast<std::ptrdiff_t>(covered));
    p.prices.resize(static_cast<Index>(covered), static_cast<Index>(series.size()));
    for (std::size_t j = 0; j < series.size(); ++j) {
        const auto& s = series[j];
        p.prices(0, static_cast<Index>(j)) = start[static_cast<Index>(j)];
        for (std::size_t t = 1; t < covered; ++t) {
            const auto it = std::lower_bound(s.dates.begin(), s.dates.end(), p.dates[t]);
            p.prices(static_cast<Index>(t), static_cast<Index>(j)) =
                s.values[static_cast<std::size_t>(it - s.dates.begin())];
        }
    }
    p.cashRate = cashRateOn(spec.cashRate, p.dates, data, spec.cashRate.maxStaleDays);
    return p;
}

}  // namespace rotor
