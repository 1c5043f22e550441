// SPDX-License-Identifier: MIT
#include "engine/data/data_files.hpp"
#include "engine/run/forward.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/data/sha256.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/generator_factory.hpp"
#include "engine/scenario/macro/bifurcation.hpp"

#include <algorithm>
#include <map>

namespace rotor {

namespace {

// Bifurcation sleeve -> its parent: sleeves have no data of their own (see forward.hpp).
std::map<std::string, std::string> sleeveParents(const ScenarioSpec& spec) {
    std::map<std::string, std::string> out;
    if (!spec.bifurcation) return out;
    const BifurcationSpec b = parseBifurcation(*spec.bifurcation);
    for (const auto& sleeve : b.sleeves) out[sleeve.name] = b.parent;
    return out;
}

// Index of the last close on or before `day`, or -1 when there is none.
long lastCloseOnOrBefore(const TimeSeries& s, Date day) {
    const auto it = std::upper_bound(s.dates.begin(), s.dates.end(), day);
    return static_cast<long>(it - s.dates.begin()) - 1;
}

// Every asset's full price series from its file (or the wide table), in universe order. An
// asset with a given start price has an empty series (no data); a bifurcation sleeve has its
// parent's series, scaled to its given start price when it has one.
std::vector<TimeSeries> readUniverse(const ScenarioSpec& spec, std::vector<std::string>& files) {
    const UniverseSpec& u = spec.universe;
    const auto sleeves = sleeveParents(spec);
    std::vector<TimeSeries> out(u.assets.size());
    std::map<std::string, std::size_t> at;
    std::vector<std::string> fromTable;
    for (std::size_t j = 0; j < u.assets.size(); ++j) {
        const std::string& a = u.assets[j];
        at[a] = j;
        out[j].name = a;
        if (sleeves.count(a)) continue;
        if (u.table.empty()) {
            if (spec.startPrices.count(a)) continue;  // no data needed: given start price
            const std::string f = expandAssetPattern(u.pricePattern, a);
            recordDataFile(files, f);
            out[j] = readPriceSeries(f, a, u.column);
        } else {
            fromTable.push_back(a);
        }
    }
    if (!fromTable.empty()) {
        recordDataFile(files, u.table);
        PriceTableOptions opt;
        opt.columns = fromTable;
        const PriceTable t = readPriceTable(u.table, opt);
        for (Index j = 0; j < static_cast<Index>(t.assets.size()); ++j) {
            TimeSeries& s = out[at.at(t.assets[static_cast<std::size_t>(j)])];
            s.file = u.table;
            s.dates = t.dates;
            s.values.resize(t.dates.size());
            for (Index i = 0; i < static_cast<Index>(t.dates.size()); ++i)
                s.values[static_cast<std::size_t>(i)] = t.prices(i, j);
        }
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

private:
    std::unique_ptr<PathGenerator> inner_;
    std::shared_ptr<const Path> history_;
};

Vector cashRateOn(const ScenarioSpec& spec, const std::vector<Date>& days, int maxStale,
                  std::vector<std::string>& files) {
    if (spec.cashRate.constant) return constantRate(*spec.cashRate.constant, static_cast<Index>(days.size()));
    recordDataFile(files, spec.cashRate.file);
    return forwardFill(readSeries(spec.cashRate.file, spec.cashRate.column), days, maxStale);
}

}  // namespace

std::shared_ptr<const Path> historyPrefix(const ScenarioSpec& spec, Date day0,
                                          std::vector<std::string>& files) {
    const long h = spec.simulation->historyDays;
    if (h <= 0) return nullptr;
    std::vector<std::string> read;
    std::vector<TimeSeries> series = readUniverse(spec, read);
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
        out->cashRate = cashRateOn(spec, days, spec.cashRate.maxStaleDays, read);
    } else {
        out->cashRate = constantRate(parseRatePath(*spec.ratePath).start, static_cast<Index>(days.size()));
    }
    for (const auto& f : read) recordDataFile(files, f);
    return out;
}

std::vector<Date> forwardDates(const SimulationSpec& sim) {
    Date day0 = sim.start;
    while (!isNyseTradingDay(day0)) day0 = day0 + (-1);
    if (sim.end) return nyseTradingDays(day0, *sim.end);
    return nyseTradingDaysFrom(day0, static_cast<std::size_t>(sim.horizonDays) + 1);
}

Vector startPrices(const ScenarioSpec& spec, const std::vector<Date>& dates,
                   std::vector<std::string>& files) {
    const auto series = readUniverse(spec, files);
    Vector p(static_cast<Index>(series.size()));
    const Date start = spec.simulation->start;
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        if (auto g = spec.startPrices.find(s.name); g != spec.startPrices.end()) {
            p[static_cast<Index>(i)] = g->second;
            continue;
        }
        if (s.empty())  // a sleeve of a parent with a given start price
            throw InputError(s.name + ": a bifurcation sleeve needs a start price when its parent "
                             "has no price data");
        const long last = lastCloseOnOrBefore(s, start);
        if (last < 0)
            throw InputError(s.file + ": " + s.name + " has no price on or before the start " +
                             start.iso() + " (first date " + s.firstDate().iso() + ")");
        const auto k = static_cast<std::size_t>(last);
        if (start - s.dates[k] > 10)
            throw InputError(s.file + ": " + s.name + "'s last price before the start " +
                             start.iso() + " is from " + s.dates[k].iso() + ", too old to start from");
        p[static_cast<Index>(i)] = s.values[k];
    }
    (void)dates;
    return p;
}

ForwardModel buildForwardModel(const ScenarioSpec& spec, std::vector<std::string>& files) {
    ROTOR_REQUIRE(spec.monteCarlo(), "buildForwardModel needs a monte_carlo scenario");
    ForwardModel m;
    GeneratorContext& ctx = m.context;
    ctx.universe.assets = spec.universe.assets;
    ctx.dates = forwardDates(*spec.simulation);
    if (ctx.dates.size() < 2) throw InputError(spec.file + ": the horizon has fewer than 2 trading days");
    ctx.startPrices = startPrices(spec, ctx.dates, files);
    ctx.seed = spec.simulation->seed;
    ctx.rate = std::make_shared<const RatePathModel>(parseRatePath(*spec.ratePath), ctx.dates);
    ctx.dataCutoff = spec.simulation->start;
    ctx.dataFiles = &files;
    m.generator = buildGenerator(spec, ctx);
    m.history = historyPrefix(spec, ctx.dates.front(), files);
    if (m.history) m.generator = std::make_unique<HistoryPrefixed>(std::move(m.generator), m.history);
    return m;
}

std::optional<Path> realisedPath(const ScenarioSpec& spec, const std::vector<Date>& dates,
                                 const Vector& start, std::vector<std::string>& files) {
    if (!spec.hasCashRate) return std::nullopt;
    std::vector<std::string> read;
    const auto series = readUniverse(spec, read);
    if (anyWithoutData(series)) return std::nullopt;
    // The realised days: the simulated days (after day 0) on which every asset has a close.
    std::size_t covered = 1;
    for (; covered < dates.size(); ++covered) {
        const Date d = dates[covered];
        bool all = true;
        for (const auto& s : series)
            all = all && std::binary_search(s.dates.begin(), s.dates.end(), d);
        if (!all) break;
    }
    if (covered < 2) return std::nullopt;
    for (const auto& f : read) recordDataFile(files, f);
    Path p;
    p.dates.assign(dates.begin(), dates.begin() + static_cast<std::ptrdiff_t>(covered));
    p.prices.resize(static_cast<Index>(covered), static_cast<Index>(series.size()));
    for (std::size_t j = 0; j < series.size(); ++j) {
        const auto& s = series[j];
        p.prices(0, static_cast<Index>(j)) = start[static_cast<Index>(j)];
        for (std::size_t t = 1; t < covered; ++t) {
            const auto it = std::lower_bound(s.dates.begin(), s.dates.end(), p.dates[t]);
            p.prices(static_cast<Index>(t), static_cast<Index>(j)) = s.values[static_cast<std::size_t>(it - s.dates.begin())];
        }
    }
    // The realised cash rate may end before the prices do (DFF ends 2026-03-26 in data/,
    // prices run to 2026-07-31): its last value is carried to the end of the realised days.
    const int span = p.dates.back() - p.dates.front() + 1;
    p.cashRate = cashRateOn(spec, p.dates, std::max(spec.cashRate.maxStaleDays, span), files);
    return p;
}

McScenarioRun runForward(const ScenarioSpec& spec, const StrategyRegistry& registry,
                         std::vector<DataFileRecord>& dataFiles, const PathProgressFn& progress) {
    std::vector<std::string> files;
    ForwardModel model = buildForwardModel(spec, files);
    const SimulationSpec& sim = *spec.simulation;

    // Which days data already covers decides only where per-path wealth is recorded; the
    // simulation itself never sees those prices (they are read after it, below).
    std::vector<std::string> realisedFiles;
    std::optional<Path> realised =
        realisedPath(spec, model.context.dates, model.context.startPrices, realisedFiles);

    SimulationInput in(registry);
    in.name = spec.name;
    in.description = spec.description;
    in.seed = sim.seed;
    in.strategies = spec.strategies;
    in.backtest = spec.backtest;
    in.benchmark = spec.benchmark;
    in.paths = sim.paths;
    in.threads = static_cast<unsigned>(sim.threads);
    in.chunkSize = sim.chunk;
    in.percentiles = sim.percentiles;
    in.storePaths = sim.storePaths;
    if (realised) in.checkpointDay = realised->days() - 1;
    in.progress = progress;
    McScenarioRun run = simulate(*model.generator, in);
    run.model = model.generator->describe();
    run.regimeNames = model.generator->regimeNames();

    if (realised) {
        for (const auto& f : realisedFiles) recordDataFile(files, f);
        realised->history = model.history;  // the strategies knew the same past
        const ScenarioRun replay = runOnPath(spec, model.context.universe, *realised, registry);
        RealisedOutcome out;
        out.dates = realised->dates;
        out.cashRate = realised->cashRate;
        for (std::size_t i = 0; i < replay.strategies.size(); ++i) {
            const StrategyRun& r = replay.strategies[i];
            if (!r.ok || !run.strategies[i].ok) continue;
            RealisedStrategy s;
            s.name = r.name;
            s.wealth = r.equity / spec.backtest.initialCapital;
            s.percentileRank = percentileRank(run.strategies[i].paths.checkpointWealth,
                                              s.wealth[s.wealth.size() - 1]);
            out.strategies.push_back(std::move(s));
        }
        run.realised = std::move(out);
    }
    for (const auto& f : files) {
        if (!hasDataFile(dataFiles, f)) dataFiles.push_back({f, sha256File(f)});
    }
    return run;
}

}  // namespace rotor
