// SPDX-License-Identifier: MIT
#include "engine/run/backtest_model.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/core/json.hpp"
#include "engine/core/version.hpp"
#include "engine/data/data_store.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/run/commands.hpp"
#include "engine/scenario/regime/policy_episodes.hpp"
#include "engine/scenario/regime/regime_generator.hpp"
#include "engine/spec/forward_model.hpp"
#include "engine/spec/historical_path.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

namespace rotor {

namespace {

constexpr const char* kUnconditional = "unconditional";
constexpr const char* kRealised = "realised_regime";
// The realised class as realised_regime, and the policy rate path realised over the horizon.
constexpr const char* kRealisedRates = "realised_rates";
// The regime calibration needs 300 days of an asset's prices in its window.
constexpr long kMinAssetDays = 301;

const RegimeModelConfig& regimeConfig(const BacktestModelSpec& spec) {
    return dynamic_cast<const RegimeModelConfig&>(*spec.scenario.model);
}

// "1995-01" or "1995-01-31": the month.
Ymd parseMonth(const ConfigNode& n) {
    const std::string s = n.asString();
    int y = 0, m = 0;
    char dash = 0;
    std::istringstream in(s.substr(0, 7));
    if (s.size() != 7 && s.size() != 10) n.fail("expected a month YYYY-MM, found '" + s + "'");
    if (!(in >> y >> dash >> m) || dash != '-' || m < 1 || m > 12 || y < 1900 || y > 2200)
        n.fail("expected a month YYYY-MM, found '" + s + "'");
    if (s.size() == 10) (void)n.asDate();  // a whole date must be a valid one
    return Ymd{y, m, 1};
}

Date monthEnd(int year, int month) { return Date::fromYmd(year, month, daysInMonth(year, month)); }

// `d` moved `months` later: a month-end stays a month-end, another day is clamped to the month.
Date addMonths(Date d, int months) {
    const Ymd ymd = toYmd(d);
    const int index = ymd.year * 12 + (ymd.month - 1) + months;
    const int y = index / 12, m = index % 12 + 1;
    if (ymd.day == daysInMonth(ymd.year, ymd.month)) return monthEnd(y, m);
    return Date::fromYmd(y, m, std::min(ymd.day, daysInMonth(y, m)));
}

long lastOnOrBefore(const std::vector<Date>& dates, Date d) {
    return static_cast<long>(std::upper_bound(dates.begin(), dates.end(), d) - dates.begin()) - 1;
}

// The close on `day`, or the last one within 10 calendar days before it; nullopt otherwise.
std::optional<double> closeOn(const TimeSeries& s, Date day) {
    const long k = lastOnOrBefore(s.dates, day);
    if (k < 0 || day - s.dates[static_cast<std::size_t>(k)] > 10) return std::nullopt;
    return s.values[static_cast<std::size_t>(k)];
}

std::vector<std::string> startKeys() {
    return {"name",    "scenario",     "starts",         "horizon_months", "paths",  "seed",
            "threads", "conditioning", "assets",         "spreads",        "prices", "column",
            "table",   "backfill",     "store_outcomes", "output"};
}

bool isClassName(const std::string& s) {
    const auto& names = regimeClassNames();
    return std::find(names.begin(), names.end(), s) != names.end();
}

int classIndexOf(const std::string& s) {
    const auto& names = regimeClassNames();
    return static_cast<int>(std::find(names.begin(), names.end(), s) - names.begin());
}

// `starts: {first_cuts: {since: DATE, classes: [...]}}`: the detected first cut of every easing
// cycle since the date (firstCuts in policy_episodes.hpp, the rule of docs/regimes.md, the
// analogs' source too), found over the whole policy and recession history of the model's
// calibration files: the starts are chosen with hindsight, as a list of dates would be.
std::vector<Date> firstCutStarts(const ConfigNode& node, const RegimeCalibrationSpec& cal) {
    if (!node.isMap()) node.fail("expected a map {since: YYYY-MM-DD, classes: [...]}");
    node.allowOnly({"since", "classes"});
    const Date since = node.at("since").asDate();
    std::vector<std::string> classes = {"soft_landing", "recession"};
    if (auto c = node.find("classes")) {
        classes = c->asStringList();
        for (const auto& name : classes)
            if (name != "soft_landing" && name != "recession")
                c->fail("unknown class '" + name + "' (first cuts are soft_landing or recession)");
        if (classes.empty()) c->fail("expected at least one class");
    }
    std::vector<Date> out;
    try {
        DataStore data;
        const EpisodeHistory history = policyEpisodes(data.series(cal.policyFile, cal.policyColumn),
                                                      data.series(cal.recessionFile,
                                                                  cal.recessionColumn));
        for (const auto& e : firstCuts(history, since))
            if (std::find(classes.begin(), classes.end(), episodeClassName(episodeClass(e))) !=
                classes.end())
                out.push_back(e.start);
    } catch (const ConfigError&) {
        throw;
    } catch (const Error& e) {
        node.fail(e.what());
    }
    if (out.empty()) node.fail("no first cut since " + since.iso() + " in " + cal.policyFile);
    return out;
}

}  // namespace

BacktestModelSpec loadBacktestModel(const std::string& file, const StrategyRegistry& registry) {
    const FileBytes bytes = readRegularFile(file, inputLimits().maxYamlBytes, "--max-yaml-size");
    const ConfigNode root = loadYamlString(bytes.bytes, file);
    if (!root.isMap()) root.fail("expected a map of backtest-model keys");
    root.allowOnly(startKeys());
    BacktestModelSpec s;
    s.file = file;
    s.text = bytes.bytes;
    s.name = root.getString("name");
    const ConfigNode scenarioNode = root.at("scenario");
    const auto cells = expandScenario(resolvePath(scenarioNode)).cells;
    if (cells.size() != 1)
        scenarioNode.fail("holds " + std::to_string(cells.size()) +
                          " scenarios (a sweep or a pack); name one forward scenario");
    s.scenario = parseScenario(cells.front().root, registry);
    if (!s.scenario.monteCarlo() || !s.scenario.model)
        scenarioNode.fail("the scenario is not a forward one (mode: monte_carlo with a model)");
    if (s.scenario.model->type() != "regime")
        scenarioNode.fail("the scenario's model is of type '" + s.scenario.model->type() +
                          "'; backtest-model tests regime models (model: {type: regime})");
    const RegimeModelConfig& model = regimeConfig(s);

    // Starts: month-ends in a range, or a list of dates.
    const ConfigNode starts = root.at("starts");
    s.startsWhere = starts.location();
    if (starts.isMap() && starts.has("first_cuts")) {
        starts.allowOnly({"first_cuts"});
        s.starts = firstCutStarts(starts.at("first_cuts"), model.calibrate);
    } else if (starts.isMap()) {
        starts.allowOnly({"from", "to"});
        const Ymd from = parseMonth(starts.at("from")), to = parseMonth(starts.at("to"));
        if (to.year * 12 + to.month < from.year * 12 + from.month)
            starts.at("to").fail("the range ends before it starts");
        for (int i = from.year * 12 + from.month - 1; i <= to.year * 12 + to.month - 1; ++i)
            s.starts.push_back(monthEnd(i / 12, i % 12 + 1));
    } else if (starts.isSequence()) {
        for (const auto& item : starts.items()) {
            const Date d = item.asDate();
            if (!s.starts.empty() && !(s.starts.back() < d))
                item.fail("start dates must be strictly ascending");
            s.starts.push_back(d);
        }
        if (s.starts.empty()) starts.fail("list at least one start date");
    } else {
        starts.fail("expected {from: YYYY-MM, to: YYYY-MM} (month-ends) or a list of dates");
    }
    if (s.starts.size() > 100000) starts.fail("more than 100000 starts");
    // Every start needs data before it: the calibration window's own start is the earliest.
    if (!(model.calibrate.start < s.starts.front()))
        starts.fail("the first start " + s.starts.front().iso() +
                    " is not after the calibration window's start " + model.calibrate.start.iso() +
                    " (" + s.scenario.file + "): no data before it to calibrate on");

    const ConfigNode horizon = root.at("horizon_months");
    s.horizonWhere = horizon.location();
    s.horizonMonths = static_cast<int>(horizon.asIntIn(1, 120));
    if (auto p = root.find("paths"))
        s.paths = static_cast<std::uint64_t>(p->asIntIn(2, 10'000'000));
    if (auto p = root.find("seed"))
        s.seed = static_cast<std::uint64_t>(p->asIntIn(0, SimulationLimits::kMaxSeed));
    if (auto p = root.find("threads"))
        s.threads = static_cast<int>(p->asIntIn(0, SimulationLimits::kMaxThreads));
    if (auto p = root.find("store_outcomes")) s.storeOutcomes = p->asBool();

    const ConfigNode cond = root.at("conditioning");
    std::set<std::string> seenCond;
    for (const auto& item : cond.isSequence() ? cond.items() : std::vector<ConfigNode>{cond}) {
        const std::string c = item.asString();
        if (c != kUnconditional && c != kRealised && c != kRealisedRates && !isClassName(c)) {
            std::string known = std::string(kUnconditional) + ", " + kRealised + ", " +
                                kRealisedRates;
            for (const auto& n : regimeClassNames()) known += ", " + n;
            item.fail("unknown regime '" + c + "' (known: " + known + ")");
        }
        if (!seenCond.insert(c).second) item.fail("'" + c + "' is listed twice");
        s.conditioning.push_back(c);
    }
    if (s.conditioning.empty()) cond.fail("list at least one conditioning");

    // Prices: the scenario's universe unless given here.
    s.prices = s.scenario.universe.prices;
    if (root.has("prices") && root.has("table"))
        root.failKey("table", "give 'prices' or 'table', not both");
    if (auto p = root.find("prices")) {
        s.prices = PriceSource{};
        s.prices.pattern = resolvePath(*p);
        s.prices.column = root.getString("column", "");
    } else if (auto t = root.find("table")) {
        s.prices = PriceSource{};
        s.prices.table = resolvePath(*t);
    }
    if (s.prices.empty()) root.fail("no asset prices: give 'prices' or 'table'");

    std::map<std::string, std::string> sleeves;
    if (s.scenario.bifurcation)
        for (const auto& sl : s.scenario.bifurcation->sleeves)
            sleeves[sl.name] = s.scenario.bifurcation->parent;
    const ConfigNode assets = root.at("assets");
    for (const auto& item :
         assets.isSequence() ? assets.items() : std::vector<ConfigNode>{assets}) {
        const std::string a = item.asString();
        if (std::find(s.assets.begin(), s.assets.end(), a) != s.assets.end())
            item.fail("'" + a + "' is listed twice");
        if (sleeves.contains(a))
            item.fail("'" + a + "' is a bifurcation sleeve of " + sleeves[a] +
                      ": a sleeve has no price data to score");
        bool bond = false;
        for (const auto& in : model.assets)
            if (in.name == a && in.kind == AssetKind::Bond) bond = true;
        if (bond) item.fail("'" + a + "' is a bond of the model: backtest-model scores equities");
        s.assets.push_back(a);
        s.assetWhere.push_back(item.location());
    }
    if (s.assets.empty()) assets.fail("list at least one asset");
    if (auto sp = root.find("spreads")) {
        for (const auto& item : sp->items()) {
            item.allowOnly({"name", "long", "short"});
            BacktestSpread d;
            d.longAsset = item.getString("long");
            d.shortAsset = item.getString("short");
            d.name = item.getString("name", d.longAsset + "-" + d.shortAsset);
            for (const auto& [key, a] : {std::pair{"long", d.longAsset}, {"short", d.shortAsset}})
                if (std::find(s.assets.begin(), s.assets.end(), a) == s.assets.end())
                    item.at(key).fail("'" + a + "' is not one of the scored assets");
            if (d.longAsset == d.shortAsset) item.at("short").fail("the two legs are the same");
            if (std::find(s.assets.begin(), s.assets.end(), d.name) != s.assets.end())
                item.at("name").fail("'" + d.name + "' is also an asset's name");
            s.spreads.push_back(d);
        }
    }
    if (auto b = root.find("backfill")) {
        for (const auto& asset : b->keys()) {
            if (std::find(s.assets.begin(), s.assets.end(), asset) == s.assets.end())
                b->failKey(asset, "backfill for '" + asset + "', which is not a scored asset");
            const ConfigNode entry = b->at(asset);
            entry.allowOnly({"returns", "column", "scale"});
            BackfillSpec f;
            f.kind = BackfillSpec::Kind::Returns;
            f.file = resolvePath(entry.at("returns"));
            f.column = entry.getString("column", "");
            if (auto sc = entry.find("scale")) f.scale = sc->asDoubleIn(1e-6, 1e6);
            s.backfill[asset] = f;
        }
    }
    if (auto o = root.find("output")) {
        if (!o->isNull()) s.output = resolvePath(*o);
    }
    return s;
}

namespace {

// Everything a start's simulation reads besides the calibration's files: known before the
// workers start, shared read-only.
struct Prepared {
    std::vector<Date> day0, end;
    std::vector<std::vector<Date>> dates;           // per start, the forward trading days
    std::vector<std::vector<int>> realised;         // per start, the realised class per day
    std::vector<std::vector<double>> realisedRate;  // per start, the policy rate per day
    std::vector<double> startRate;                  // the policy rate on the start
    std::vector<Vector> startPrices;                // per start, N
    std::map<std::string, std::shared_ptr<const TimeSeries>> series;  // asset -> prices
};

std::vector<double> targetOutcomes(const BacktestModelSpec& spec, const Vector& logReturn) {
    std::vector<double> out(logReturn.data(), logReturn.data() + logReturn.size());
    for (const auto& d : spec.spreads) {
        const auto at = [&](const std::string& a) {
            return static_cast<std::size_t>(std::find(spec.assets.begin(), spec.assets.end(), a) -
                                            spec.assets.begin());
        };
        out.push_back(out[at(d.longAsset)] - out[at(d.shortAsset)]);
    }
    return out;
}

// The simulated outcomes of start `s` under every conditioning: [conditioning][target][path].
std::vector<std::vector<std::vector<double>>> simulateStart(const BacktestModelSpec& spec,
                                                            const Prepared& prep, std::size_t s,
                                                            DataStore& data) {
    const RegimeModelConfig& base = regimeConfig(spec);
    const Date cutoff = spec.starts[s];
    RegimeModelConfig cfg = base;
    // Calibrated on the data known at the start only; asset loadings on all of an asset's
    // days in the window (the scenario's assets_from is usually after the early starts).
    cfg.calibrate.end = cutoff;
    cfg.calibrate.assetStart.reset();
    cfg.calibrate.prices = spec.prices;
    cfg.calibrate.priceOverride = prep.series;
    cfg.views.clear();  // views belong to the scenario's own date
    cfg.assets.clear();
    for (const auto& a : spec.assets) {
        RegimeAssetInput in;
        in.name = a;
        for (const auto& given : base.assets)
            if (given.name == a) in = given;
        cfg.assets.push_back(in);
    }
    RegimeModelSpec model;
    try {
        model = cfg.resolve(cutoff, data);
    } catch (const InputError& e) {
        throw InputError("start " + cutoff.iso() + ": " + e.what());
    }
    const auto& classNames = regimeClassNames();
    const std::vector<Date>& dates = prep.dates[s];
    GeneratorContext ctx;
    ctx.universe = Universe{spec.assets};
    ctx.dates = dates;
    ctx.startPrices = prep.startPrices[s];
    // One stream per start, the same for every conditioning (common random numbers).
    constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;
    ctx.seed = spec.seed ^ (kGolden * static_cast<std::uint64_t>(prep.day0[s].serial() + 1000000));
    ctx.dataCutoff = cutoff;

    std::vector<std::vector<std::vector<double>>> out;
    const std::size_t targets = spec.assets.size() + spec.spreads.size();
    for (const auto& c : spec.conditioning) {
        RatePathSpec rate;
        rate.start = prep.startRate[s];
        std::vector<int> schedule;
        RegimeModelConfig cc = cfg;
        cc.rateRegimes.clear();
        cc.regimeClass.clear();
        if (c == kUnconditional) {
            // The class is drawn per path with its share of the calibration window's days.
            double total = 0.0;
            for (const auto& k : model.classes) total += static_cast<double>(k.days);
            for (std::size_t k = 0; k < classNames.size(); ++k) {
                RateRegime r;
                r.name = classNames[k];
                r.probability = static_cast<double>(model.classes[k].days) / total;
                rate.regimes.push_back(r);
            }
            rate.drawsRegime = true;
        } else {
            if (c == kRealised || c == kRealisedRates) {
                schedule = prep.realised[s];
            } else {
                schedule.assign(dates.size(), classIndexOf(c));
            }
            RateRegime r;
            r.name = classNames[static_cast<std::size_t>(schedule[1])];
            // The cash drift and the 2-year yield's expected path follow the realised rate.
            if (c == kRealisedRates) r.levels = prep.realisedRate[s];
            rate.regimes.push_back(r);
        }
        for (const auto& r : rate.regimes) {
            cc.rateRegimes.push_back(r.name);
            cc.regimeClass.push_back(r.name);
        }
        ctx.rate = std::make_shared<const RatePathModel>(rate, dates);
        RegimePathGenerator gen(model, cc, ctx);
        if (!schedule.empty()) gen.setClassSchedule(schedule);
        std::vector<std::vector<double>> outcomes(targets, std::vector<double>(spec.paths));
        Path path;
        GeneratorScratch scratch;
        const auto last = static_cast<Index>(dates.size()) - 1;
        Vector logReturn(static_cast<Index>(spec.assets.size()));
        for (std::uint64_t p = 0; p < spec.paths; ++p) {
            (void)gen.generate(p, path, scratch);
            for (Index i = 0; i < logReturn.size(); ++i)
                logReturn[i] = std::log(path.prices(last, i) / path.prices(0, i));
            const std::vector<double> t = targetOutcomes(spec, logReturn);
            for (std::size_t j = 0; j < targets; ++j) outcomes[j][p] = t[j];
        }
        out.push_back(std::move(outcomes));
    }
    return out;
}

}  // namespace

BacktestModelResult runBacktestModel(const BacktestModelSpec& spec, DataStore& data, int threads,
                                     const StartProgressFn& progress) {
    const RegimeModelConfig& model = regimeConfig(spec);
    const RegimeCalibrationSpec& cal = model.calibrate;
    const std::size_t starts = spec.starts.size();
    BacktestModelResult res;
    Prepared prep;

    // Asset prices, extended back by their proxies from the calibration window's start.
    const std::vector<TimeSeries> raw = readPrices(data, spec.prices, spec.assets);
    for (std::size_t i = 0; i < spec.assets.size(); ++i) {
        TimeSeries series = raw[i];
        if (series.empty())
            spec.assetWhere[i].fail(spec.assets[i] + " has no price data in " +
                                    spec.prices.fileOf(spec.assets[i]));
        if (auto b = spec.backfill.find(spec.assets[i]); b != spec.backfill.end())
            backfillFromReturns(series, b->second, cal.start, data);
        // The calibration needs 300 days of prices in its window before the first start.
        const Date first = spec.starts.front();
        const auto inWindow = std::count_if(series.dates.begin(), series.dates.end(),
                                            [&](Date d) { return d >= cal.start && d <= first; });
        if (inWindow < kMinAssetDays)
            spec.assetWhere[i].fail(
                spec.assets[i] + " has " + std::to_string(inWindow) +
                " closes from the calibration window's start " + cal.start.iso() +
                " to the first start " + first.iso() + " (its data begins " +
                series.firstDate().iso() + "); the regime model needs " +
                std::to_string(kMinAssetDays) +
                ": start later or give a backfill (a returns proxy before its data)");
        prep.series[spec.assets[i]] = std::make_shared<const TimeSeries>(std::move(series));
    }
    const TimeSeries& dff = data.series(cal.policyFile, cal.policyColumn);
    const TimeSeries& usrec = data.series(cal.recessionFile, cal.recessionColumn);
    const auto conditions = [&](const char* c) {
        return std::find(spec.conditioning.begin(), spec.conditioning.end(), c) !=
               spec.conditioning.end();
    };
    const bool rates = conditions(kRealisedRates);
    const bool realised = rates || conditions(kRealised);

    for (std::size_t s = 0; s < starts; ++s) {
        const Date start = spec.starts[s];
        const Date end = addMonths(start, spec.horizonMonths);
        SimulationSpec sim;
        sim.start = start;
        sim.end = end;
        prep.dates.push_back(forwardDates(sim));
        prep.day0.push_back(prep.dates.back().front());
        prep.end.push_back(prep.dates.back().back());
        // The realised outcome needs a close on (or just before) the horizon's last day.
        Vector p0(static_cast<Index>(spec.assets.size()));
        for (std::size_t i = 0; i < spec.assets.size(); ++i) {
            const TimeSeries& ser = *prep.series.at(spec.assets[i]);
            const auto a = closeOn(ser, prep.day0.back());
            if (!a)
                spec.startsWhere.fail(spec.assets[i] +
                                      " has no close within 10 days before the start " +
                                      start.iso());
            if (!closeOn(ser, prep.end.back()) || ser.dates.back() < prep.end.back())
                spec.horizonWhere.fail("the start " + start.iso() + " plus " +
                                       std::to_string(spec.horizonMonths) + " months ends " +
                                       prep.end.back().iso() + ", after " + spec.assets[i] +
                                       "'s last close " + ser.dates.back().iso() + " (" + ser.file +
                                       "): shorten the horizon or end the starts earlier");
            p0[static_cast<Index>(i)] = *a;
        }
        prep.startPrices.push_back(p0);
    }
    // Then the policy rate on each start and, for the realised conditionings, the classes after
    // it (labelled once over every day of every horizon: the episodes are found once) and, for
    // realised_rates, the rate on each day.
    std::vector<Date> allDays;
    std::vector<int> allLabels;
    if (realised) {
        for (const auto& d : prep.dates) allDays.insert(allDays.end(), d.begin(), d.end());
        std::sort(allDays.begin(), allDays.end());
        allDays.erase(std::unique(allDays.begin(), allDays.end()), allDays.end());
    }
    for (std::size_t s = 0; s < starts; ++s) {
        const Date start = spec.starts[s];
        const long r = lastOnOrBefore(dff.dates, start);
        if (r < 0 || start - dff.dates[static_cast<std::size_t>(r)] > 10)
            spec.startsWhere.fail("no policy rate (" + cal.policyFile +
                                  ") within 10 days before the start " + start.iso());
        prep.startRate.push_back(dff.values[static_cast<std::size_t>(r)]);
        if (realised) {
            // Ex post: the episodes as the whole history dates them (later cuts, NBER tags).
            if (dff.dates.back() < prep.end[s] ||
                usrec.dates.back() < Date::fromYmd(prep.end[s].year(), prep.end[s].month(), 1))
                spec.horizonWhere.fail(
                    "the start " + start.iso() + " plus " + std::to_string(spec.horizonMonths) +
                    " months ends " + prep.end[s].iso() + ", after the policy or recession data (" +
                    cal.policyFile + " to " + dff.dates.back().iso() + ", " + cal.recessionFile +
                    " to " + usrec.dates.back().iso() + ") that " +
                    (rates ? kRealisedRates : kRealised) + " conditions on");
        }
        std::vector<double> path;
        if (rates) {
            // Day 0 is the start's rate (every conditioning's); then the rate of each trading
            // day as the data shows it, carried at most kDefaultMaxStaleDays: never past it.
            const std::vector<Date> later(prep.dates[s].begin() + 1, prep.dates[s].end());
            Vector v;
            try {
                v = forwardFill(dff, later, kDefaultMaxStaleDays);
            } catch (const InputError& e) {
                spec.horizonWhere.fail("the start " + start.iso() + " plus " +
                                       std::to_string(spec.horizonMonths) +
                                       " months: " + kRealisedRates +
                                       " needs the policy rate on every day: " + e.what());
            }
            path.push_back(prep.startRate[s]);
            path.insert(path.end(), v.data(), v.data() + v.size());
        }
        prep.realisedRate.push_back(std::move(path));
    }
    if (realised) allLabels = labelRegimeClasses(dff, usrec, allDays, cal.easingDays);
    for (std::size_t s = 0; s < starts; ++s) {
        std::vector<int> labels;
        if (realised)
            for (Date d : prep.dates[s])
                labels.push_back(allLabels[static_cast<std::size_t>(
                    std::lower_bound(allDays.begin(), allDays.end(), d) - allDays.begin())]);
        prep.realised.push_back(std::move(labels));
    }
    res.starts = prep.day0;
    res.ends = prep.end;
    if (rates) {
        res.horizonDays = prep.dates;
        res.realisedRate = prep.realisedRate;
    }
    for (std::size_t s = 0; s < starts; ++s)
        res.startClass.push_back(
            realised ? regimeClassNames()[static_cast<std::size_t>(prep.realised[s][1])]
                     : std::string());
    // Non-overlapping starts: greedily, each one on or after the previous one's horizon end.
    for (std::size_t s = 0; s < starts; ++s)
        if (res.independent.empty() || prep.day0[s] >= prep.end[res.independent.back()])
            res.independent.push_back(s);
    res.targets = spec.assets;
    for (const auto& d : spec.spreads) res.targets.push_back(d.name);
    const std::size_t targets = res.targets.size();

    // Realised outcomes.
    std::vector<std::vector<double>> realisedOutcome(starts);
    for (std::size_t s = 0; s < starts; ++s) {
        Vector lr(static_cast<Index>(spec.assets.size()));
        for (std::size_t i = 0; i < spec.assets.size(); ++i)
            lr[static_cast<Index>(i)] = std::log(
                *closeOn(*prep.series.at(spec.assets[i]), prep.end[s]) /
                prep.startPrices[s][static_cast<Index>(i)]);
        realisedOutcome[s] = targetOutcomes(spec, lr);
    }

    for (const auto& c : spec.conditioning)
        for (const auto& t : res.targets) {
            BacktestScores b;
            b.conditioning = c;
            b.target = t;
            for (auto* v :
                 {&b.realised, &b.pit, &b.crps, &b.mean, &b.q05, &b.q25, &b.q50, &b.q75, &b.q95})
                v->assign(starts, 0.0);
            b.in50.assign(starts, 0);
            b.in90.assign(starts, 0);
            if (spec.storeOutcomes)
                b.outcomes.resize(static_cast<Index>(starts), static_cast<Index>(spec.paths));
            res.scores.push_back(std::move(b));
        }

    // Starts in parallel, each with its own data store: a start's numbers depend on nothing
    // but the start, so any thread count gives the same file.
    unsigned workers = static_cast<unsigned>(threads > 0 ? threads : spec.threads);
    if (workers == 0) workers = std::max(1U, std::thread::hardware_concurrency());
    workers = std::min<unsigned>(workers, static_cast<unsigned>(starts));
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex lock;
    std::exception_ptr failure;
    std::atomic<bool> stop{false};
    const auto work = [&](DataStore& store) {
        for (;;) {
            const std::size_t s = next.fetch_add(1);
            if (s >= starts || stop) return;
            try {
                auto sims = simulateStart(spec, prep, s, store);
                for (std::size_t c = 0; c < sims.size(); ++c)
                    for (std::size_t j = 0; j < targets; ++j) {
                        BacktestScores& b = res.scores[c * targets + j];
                        std::vector<double>& x = sims[c][j];
                        if (spec.storeOutcomes)
                            for (std::size_t p = 0; p < x.size(); ++p)
                                b.outcomes(static_cast<Index>(s), static_cast<Index>(p)) = x[p];
                        std::sort(x.begin(), x.end());
                        const double y = realisedOutcome[s][j];
                        b.realised[s] = y;
                        b.pit[s] = pitMidRank(x, y);
                        b.crps[s] = crpsSorted(x, y);
                        b.in50[s] = inCentralBand(b.pit[s], 0.5) ? 1 : 0;
                        b.in90[s] = inCentralBand(b.pit[s], 0.9) ? 1 : 0;
                        double sum = 0.0;
                        for (double v : x) sum += v;
                        b.mean[s] = sum / static_cast<double>(x.size());
                        b.q05[s] = sampleQuantile(x, 0.05);
                        b.q25[s] = sampleQuantile(x, 0.25);
                        b.q50[s] = sampleQuantile(x, 0.50);
                        b.q75[s] = sampleQuantile(x, 0.75);
                        b.q95[s] = sampleQuantile(x, 0.95);
                    }
            } catch (...) {
                const std::lock_guard<std::mutex> g(lock);
                if (!failure) failure = std::current_exception();
                stop = true;
                return;
            }
            const std::size_t d = ++done;
            if (progress) {
                const std::lock_guard<std::mutex> g(lock);
                progress(d, starts);
            }
        }
    };
    if (workers <= 1) {
        work(data);
    } else {
        std::vector<std::thread> pool;
        std::vector<std::unique_ptr<DataStore>> stores;
        for (unsigned w = 0; w < workers; ++w) stores.push_back(std::make_unique<DataStore>());
        for (unsigned w = 0; w < workers; ++w)
            pool.emplace_back([&work, &stores, w] { work(*stores[w]); });
        for (auto& t : pool) t.join();
        // The calibration's files, read by the workers, are read here once for the record.
        if (!failure) {
            try {
                (void)simulateStart(spec, prep, 0, data);
            } catch (...) {
                failure = std::current_exception();
            }
        }
    }
    if (failure) std::rethrow_exception(failure);

    for (auto& b : res.scores) {
        const auto n = static_cast<double>(starts);
        double c50 = 0.0, c90 = 0.0, crps = 0.0;
        for (std::size_t s = 0; s < starts; ++s) {
            c50 += static_cast<double>(b.in50[s]);
            c90 += static_cast<double>(b.in90[s]);
            crps += b.crps[s];
        }
        b.coverage50 = c50 / n;
        b.coverage90 = c90 / n;
        b.meanCrps = crps / n;
        std::vector<double> u;
        for (std::size_t s : res.independent) u.push_back(b.pit[s]);
        b.ks = ksUniform(u);
        b.histogram = pitHistogram(b.pit, 10);
    }
    res.files = data.records();
    return res;
}

void writeBacktestModel(const BacktestModelSpec& spec, const BacktestModelResult& result,
                        const std::string& commandLine, const std::string& path, bool force) {
    AtomicOutput out(path, force);
    {
        h5::File file(out.tempPath());
        try {
            Provenance p;
            p.rotorVersion = version();
            p.gitCommit = gitCommit();
            p.createdUtc = utcNowIso();
            p.commandLine = commandLine;
            p.scenarioFile = spec.file;
            p.scenarioYaml = spec.text;
            p.resolvedYaml = resolvedYaml(spec.scenario);
            p.dataFiles = result.files;
            p.seed = spec.seed;
            writeProvenance(file, p, kBacktestModelFormat, kBacktestModelFormatVersion);
            h5::Group g = file.createGroup("backtest");
            g.setAttribute("name", spec.name);
            g.setAttribute("scenario", spec.scenario.file);
            g.setAttribute("horizon_months", static_cast<std::int64_t>(spec.horizonMonths));
            g.setAttribute("paths", static_cast<std::uint64_t>(spec.paths));
            g.setAttribute("outcome", "log total return over the horizon (adjusted closes)");
            g.setAttribute("pit_rule", "(#{x < y} + #{x == y} / 2) / N");
            g.setAttribute("ks_starts", "non-overlapping: each on or after the previous one's end");
            g.setAttribute("conditioning", spec.conditioning);
            g.setAttribute("targets", result.targets);
            std::vector<std::string> starts, ends;
            for (std::size_t s = 0; s < result.starts.size(); ++s) {
                starts.push_back(result.starts[s].iso());
                ends.push_back(result.ends[s].iso());
            }
            g.writeStrings("starts", starts);
            g.writeStrings("ends", ends);
            std::vector<std::int64_t> independent(result.independent.begin(),
                                                  result.independent.end());
            g.writeInt64s("ks_start_index", independent);
            if (!result.startClass.front().empty())
                g.writeStrings("realised_start_class", result.startClass);
            h5::Table summary(result.scores.size());
            std::vector<std::string> cond, target;
            std::vector<double> c50, c90, crps, ksd, ksp;
            std::vector<std::int64_t> ksn;
            for (const auto& b : result.scores) {
                cond.push_back(b.conditioning);
                target.push_back(b.target);
                c50.push_back(b.coverage50);
                c90.push_back(b.coverage90);
                crps.push_back(b.meanCrps);
                ksd.push_back(b.ks.statistic);
                ksp.push_back(b.ks.pValue);
                ksn.push_back(static_cast<std::int64_t>(b.ks.n));
            }
            summary.addString("conditioning", std::move(cond));
            summary.addString("target", std::move(target));
            summary.addDouble("coverage50", std::move(c50));
            summary.addDouble("coverage90", std::move(c90));
            summary.addDouble("mean_crps", std::move(crps));
            summary.addDouble("ks_statistic", std::move(ksd));
            summary.addDouble("ks_pvalue", std::move(ksp));
            summary.addInt64("ks_starts", std::move(ksn));
            g.writeTable("summary", summary);
            for (const auto& c : spec.conditioning) {
                h5::Group cg = g.createGroup(c);
                for (const auto& b : result.scores) {
                    if (b.conditioning != c) continue;
                    h5::Group tg = cg.createGroup(hdf5GroupName(b.target));
                    tg.setAttribute("target", b.target);
                    h5::Table t(b.pit.size());
                    t.addString("start", starts);
                    t.addString("end", ends);
                    t.addDouble("realised", b.realised);
                    t.addDouble("pit", b.pit);
                    t.addInt64("in50", b.in50);
                    t.addInt64("in90", b.in90);
                    t.addDouble("crps", b.crps);
                    t.addDouble("mean", b.mean);
                    t.addDouble("q05", b.q05);
                    t.addDouble("q25", b.q25);
                    t.addDouble("q50", b.q50);
                    t.addDouble("q75", b.q75);
                    t.addDouble("q95", b.q95);
                    tg.writeTable("scores", t);
                    std::vector<std::int64_t> hist(b.histogram.begin(), b.histogram.end());
                    tg.writeInt64s("pit_histogram", hist);
                    if (spec.storeOutcomes) {
                        // Row-major starts x paths.
                        std::vector<double> rows(static_cast<std::size_t>(b.outcomes.size()));
                        for (Index i = 0; i < b.outcomes.rows(); ++i)
                            for (Index j = 0; j < b.outcomes.cols(); ++j)
                                rows[static_cast<std::size_t>(i * b.outcomes.cols() + j)] =
                                    b.outcomes(i, j);
                        tg.writeMatrix("outcomes", rows.data(),
                                       static_cast<std::size_t>(b.outcomes.rows()),
                                       static_cast<std::size_t>(b.outcomes.cols()),
                                       h5::Storage{true});
                    }
                }
            }
        } catch (...) {
            file.discardOnClose();
            throw;
        }
        file.close();
    }
    out.commit();
}

void printBacktestSummary(const BacktestModelSpec& spec, const BacktestModelResult& result,
                          std::ostream& out) {
    out << "backtest-model " << spec.name << ": " << result.starts.size() << " starts "
        << result.starts.front().iso() << " .. " << result.starts.back().iso() << ", "
        << spec.horizonMonths << " months, " << spec.paths << " paths; outcome: log total return\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-16s %-10s %8s %8s %10s %8s %8s %5s\n", "conditioning",
                  "target", "cov50", "cov90", "mean_crps", "ks_D", "ks_p", "ks_n");
    out << line;
    for (const auto& b : result.scores) {
        std::snprintf(line, sizeof line, "%-16s %-10s %7.1f%% %7.1f%% %10.5f %8.4f %8.4f %5zu\n",
                      b.conditioning.c_str(), b.target.c_str(), 100.0 * b.coverage50,
                      100.0 * b.coverage90, b.meanCrps, b.ks.statistic, b.ks.pValue, b.ks.n);
        out << line;
    }
    out << "bands: central 50% and 90% by PIT; KS on the " << result.independent.size()
        << " non-overlapping starts\n";
}

void printBacktestJson(const BacktestModelSpec& spec, const BacktestModelResult& result,
                       const std::string& output, std::ostream& out) {
    out << "{\"name\":" << jsonString(spec.name) << ",\"output\":" << jsonString(output)
        << ",\"starts\":" << result.starts.size() << ",\"horizon_months\":" << spec.horizonMonths
        << ",\"paths\":" << spec.paths << ",\"outcome\":\"log total return\",\"scores\":[";
    for (std::size_t i = 0; i < result.scores.size(); ++i) {
        const auto& b = result.scores[i];
        if (i) out << ',';
        out << "{\"conditioning\":" << jsonString(b.conditioning)
            << ",\"target\":" << jsonString(b.target)
            << ",\"coverage50\":" << jsonNumber(b.coverage50)
            << ",\"coverage90\":" << jsonNumber(b.coverage90)
            << ",\"mean_crps\":" << jsonNumber(b.meanCrps)
            << ",\"ks_statistic\":" << jsonNumber(b.ks.statistic)
            << ",\"ks_pvalue\":" << jsonNumber(b.ks.pValue) << ",\"ks_starts\":" << b.ks.n
            << ",\"pit_histogram\":[";
        for (std::size_t k = 0; k < b.histogram.size(); ++k)
            out << (k ? "," : "") << b.histogram[k];
        out << "]}";
    }
    out << "]}\n";
}

int backtestModelCommand(const BacktestModelCommand& cmd, const StrategyRegistry& registry,
                         std::ostream& out, std::ostream& err) {
    BacktestModelSpec spec = loadBacktestModel(cmd.file, registry);
    if (cmd.paths) {
        if (*cmd.paths < 2 || *cmd.paths > 10'000'000)
            throw InputError("--paths: expected 2 to 10000000, found " +
                             std::to_string(*cmd.paths));
        spec.paths = static_cast<std::uint64_t>(*cmd.paths);
    }
    if (cmd.seed) {
        if (*cmd.seed < 0 || *cmd.seed > SimulationLimits::kMaxSeed)
            throw InputError("--seed: out of range");
        spec.seed = static_cast<std::uint64_t>(*cmd.seed);
    }
    int threads = spec.threads;
    if (cmd.threads) {
        if (*cmd.threads < 0 || *cmd.threads > SimulationLimits::kMaxThreads)
            throw InputError("--threads: out of range");
        threads = static_cast<int>(*cmd.threads);
    }
    const std::string output = cmd.output ? *cmd.output : spec.output;
    if (output.empty())
        throw InputError(cmd.file + ": no output: give 'output' in the file or -o OUT.h5");
    checkOutputWritable(output, cmd.force);
    DataStore data;
    std::vector<FileRef> refuse;
    if (auto id = fileIdOf(output)) refuse.push_back({output, *id});
    data.refuseOutputs(refuse);
    ProgressMeter meter(err, cmd.quiet ? ProgressMode::Never : cmd.progress, cmd.terminal);
    meter.start(spec.name, "starts", spec.starts.size());
    const StartProgressFn progress = [&meter](std::size_t done, std::size_t) {
        meter.update(done);
    };
    const BacktestModelResult result = runBacktestModel(spec, data, threads, progress);
    writeBacktestModel(spec, result, cmd.commandLine, output, cmd.force);
    if (cmd.json) {
        printBacktestJson(spec, result, output, out);
    } else if (!cmd.quiet) {
        printBacktestSummary(spec, result, out);
        out << "wrote " << output << '\n';
    }
    return kExitOk;
}

}  // namespace rotor
