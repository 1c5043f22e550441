// SPDX-License-Identifier: MIT
// HDF5 C API reads behind readResults(); every layout problem becomes one InputError line.
#include "engine/report/results_reader.hpp"

#include "engine/core/date.hpp"
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/report/hdf5_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace rotor::report {

const std::vector<double>* McStrategy::path(const std::string& field) const {
    const auto it = paths.find(field);
    return it == paths.end() ? nullptr : &it->second;
}

const RealisedSeries* Realised::find(const std::string& strategy) const {
    for (const auto& s : strategies)
        if (s.name == strategy) return &s;
    return nullptr;
}

std::vector<std::string> ScenarioData::strategyNames() const {
    std::vector<std::string> out;
    for (const auto& s : history) out.push_back(s.name);
    for (const auto& s : mc) out.push_back(s.name);
    return out;
}

namespace {

using h5::Handle;

void readInfo(const Hdf5Reader& r, hid_t g, const std::string& where, StrategyInfo& s) {
    s.group = where;
    s.name = r.attrText(g, "name");
    s.type = r.attrText(g, "type");
    s.status = r.attrText(g, "status");
    s.error = r.attrText(g, "error");
    if (s.status.empty()) r.bad("strategy group " + where + " has no status attribute");
}

// Every group under <scenario>/strategies, in name order, appended to `out`: its attributes,
// then `readRun(group, where, strategy)` when the run succeeded (a failed one has no series).
template <class Strategy, class ReadRun>
void readStrategies(const Hdf5Reader& r, hid_t sg, const std::string& scenarioGroup,
                    std::vector<Strategy>& out, ReadRun readRun) {
    const std::string parent = scenarioGroup + "/strategies";
    Handle strategies = r.group(sg, "strategies", parent);
    for (const std::string& link : r.children(strategies.get(), parent)) {
        const std::string where = parent + "/" + link;
        Handle g = r.group(strategies.get(), link, where);
        Strategy st;
        readInfo(r, g.get(), where, st);
        if (st.ok()) readRun(g.get(), where, st);
        out.push_back(std::move(st));
    }
}

void readHistory(const Hdf5Reader& r, hid_t sg, ScenarioData& s) {
    s.cashRate = r.doubles(sg, "cash_rate", s.group + "/cash_rate");
    readStrategies(r, sg, s.group, s.history,
                   [&](hid_t g, const std::string& where, HistoryStrategy& h) {
                       h.equity = r.doubles(g, "equity", where + "/equity");
                       h.returns = r.doubles(g, "returns", where + "/returns");
                       h.weights = r.grid(g, "weights", where + "/weights");
                       if (r.exists(g, "trades"))
                           h.trades = r.table(g, "trades", where + "/trades");
                       if (h.equity.size() != s.dates.size() || h.weights.rows != s.dates.size())
                           r.bad(where + ": series length differs from the " +
                                 std::to_string(s.dates.size()) + " dates");
                   });
}

// A dates dataset: every value an ISO date (YYYY-MM-DD), as the writer stores them; the report
// computes periods from them.
std::vector<std::string> isoDates(const Hdf5Reader& r, hid_t g, const std::string& where) {
    std::vector<std::string> dates = r.strings(g, "dates", where);
    for (const std::string& d : dates)
        if (d.size() != 10 || !Date::parseIso(d)) r.bad(where + ": '" + d + "' is not an ISO date");
    return dates;
}

void readMonteCarlo(const Hdf5Reader& r, hid_t sg, ScenarioData& s) {
    s.paths = r.attrInt<std::uint64_t>(sg, "paths", 0, H5T_NATIVE_UINT64);
    s.seed = r.attrInt<std::uint64_t>(sg, "seed", 0, H5T_NATIVE_UINT64);
    s.checkpointDay = r.attrInt<std::int64_t>(sg, "checkpoint_day", -1, H5T_NATIVE_INT64);
    s.percentiles = r.doubles(sg, "percentiles", s.group + "/percentiles");
    s.rateBands = r.grid(sg, "rate_bands", s.group + "/rate_bands");
    if (r.exists(sg, "regime_names"))
        s.regimeNames = r.strings(sg, "regime_names", s.group + "/regime_names");
    if (r.exists(sg, "regime_of_path"))
        s.regimeOfPath = r.doubles(sg, "regime_of_path", s.group + "/regime_of_path");
    if (r.exists(sg, "model")) s.model = r.string(sg, "model", s.group + "/model");

    readStrategies(r, sg, s.group, s.mc, [&](hid_t g, const std::string& where, McStrategy& m) {
        m.equityBands = r.grid(g, "equity_bands", where + "/equity_bands");
        if (m.equityBands.cols != s.percentiles.size())
            r.bad(where + "/equity_bands has " + std::to_string(m.equityBands.cols) +
                  " columns for " + std::to_string(s.percentiles.size()) + " percentiles");
        if (r.exists(g, "paths")) {
            Handle p = r.group(g, "paths", where + "/paths");
            for (const std::string& name : r.children(p.get(), where + "/paths"))
                m.paths[name] = r.doubles(p.get(), name, where + "/paths/" + name);
        }
    });

    if (r.exists(sg, "realised")) {
        const std::string where = s.group + "/realised";
        Handle g = r.group(sg, "realised", where);
        Realised real;
        real.dates = isoDates(r, g.get(), where + "/dates");
        if (r.exists(g.get(), "cash_rate"))
            real.cashRate = r.doubles(g.get(), "cash_rate", where + "/cash_rate");
        std::istringstream coverage(r.attrText(g.get(), "coverage"));
        for (std::string line; std::getline(coverage, line);)
            if (!line.empty()) real.coverage.push_back(line);
        if (r.hasAttribute(g.get(), "cash_rate_last_observation"))
            real.rateLastObservation = r.attrText(g.get(), "cash_rate_last_observation");
        else  // files written before the attribute: the coverage line "cash rate (FILE,
              // COLUMN): last observation YYYY-MM-DD, usable to ..."
            for (const std::string& line : real.coverage) {
                const std::string key = ": last observation ";
                const std::size_t at = line.find(key);
                if (line.rfind("cash rate (", 0) == 0 && at != std::string::npos &&
                    line.size() >= at + key.size() + 10)
                    real.rateLastObservation = line.substr(at + key.size(), 10);
            }
        real.endedBy = r.attrText(g.get(), "ended_by");
        if (r.exists(g.get(), "strategies")) {
            Handle sts = r.group(g.get(), "strategies", where + "/strategies");
            for (const std::string& link : r.children(sts.get(), where + "/strategies")) {
                const std::string sw = where + "/strategies/" + link;
                Handle st = r.group(sts.get(), link, sw);
                Handle ds = r.dataset(st.get(), "wealth", sw + "/wealth");
                RealisedSeries rs;
                const std::string name = r.attrText(st.get(), "name");
                rs.name = name.empty() ? link : name;
                rs.wealth = r.doubles(st.get(), "wealth", sw + "/wealth");
                rs.percentileRank = r.attrDouble(ds.get(), "percentile_rank");
                real.strategies.push_back(std::move(rs));
            }
        }
        s.realised = std::move(real);
    }
}

// Position of `name` in `order`, or order.size() when absent (so unknown names sort last).
std::size_t rankIn(const std::vector<std::string>& order, const std::string& name) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), name) - order.begin());
}

// Summary tables list scenarios and strategies in run order; group iteration is by name.
void orderLikeTables(ResultsData& d) {
    std::vector<std::string> scenarioOrder;
    std::map<std::string, std::vector<std::string>> strategyOrder;
    for (const auto* t :
         {d.metrics ? &*d.metrics : nullptr, d.mcSummary ? &*d.mcSummary : nullptr}) {
        if (!t) continue;
        for (std::size_t i = 0; i < t->rows; ++i) {
            const std::string s = t->text("scenario", i);
            if (rankIn(scenarioOrder, s) == scenarioOrder.size()) scenarioOrder.push_back(s);
            auto& st = strategyOrder[s];
            const std::string name = t->text("strategy", i);
            if (rankIn(st, name) == st.size()) st.push_back(name);
        }
    }
    std::stable_sort(d.scenarios.begin(), d.scenarios.end(),
                     [&](const ScenarioData& a, const ScenarioData& b) {
                         return rankIn(scenarioOrder, a.name) < rankIn(scenarioOrder, b.name);
                     });
    for (auto& s : d.scenarios) {
        const auto& order = strategyOrder[s.name];
        auto byOrder = [&](const StrategyInfo& a, const StrategyInfo& b) {
            return rankIn(order, a.name) < rankIn(order, b.name);
        };
        std::stable_sort(s.history.begin(), s.history.end(), byOrder);
        std::stable_sort(s.mc.begin(), s.mc.end(), byOrder);
        if (s.realised)
            std::stable_sort(s.realised->strategies.begin(), s.realised->strategies.end(),
                             [&](const RealisedSeries& a, const RealisedSeries& b) {
                                 return rankIn(order, a.name) < rankIn(order, b.name);
                             });
    }
}

// Reads the file `r` has open.
ResultsData readOpen(const Hdf5Reader& r) {
    ResultsData d;
    const hid_t root = r.root();
    readRotorRoot(r, kResultsFormat, kResultsFormatVersion, "results", d);
    if (r.exists(root, "metrics")) d.metrics = r.table(root, "metrics", "/metrics");
    if (r.exists(root, "mc_summary")) d.mcSummary = r.table(root, "mc_summary", "/mc_summary");
    if (!d.metrics && !d.mcSummary) r.bad("neither /metrics nor /mc_summary present");

    Handle scenarios = r.group(root, "scenarios", "/scenarios");
    for (const std::string& link : r.children(scenarios.get(), "/scenarios")) {
        ScenarioData s;
        s.group = "/scenarios/" + link;
        Handle g = r.group(scenarios.get(), link, s.group);
        s.name = r.attrText(g.get(), "name");
        if (s.name.empty()) s.name = link;
        s.description = r.attrText(g.get(), "description");
        s.mode = r.attrText(g.get(), "mode");
        s.benchmark = r.attrText(g.get(), "benchmark");
        s.initialCapital = r.attrDouble(g.get(), "initial_capital");
        const auto keys = r.attrStrings(g.get(), "sweep_keys");
        const auto labels = r.attrStrings(g.get(), "sweep_labels");
        const auto values = r.attrStrings(g.get(), "sweep_values");
        if (labels.size() != keys.size() || values.size() != keys.size())
            r.bad(s.group + ": sweep_keys, sweep_labels and sweep_values differ in length");
        for (std::size_t i = 0; i < keys.size(); ++i)
            s.sweep.push_back({keys[i], labels[i], values[i]});
        s.dates = isoDates(r, g.get(), s.group + "/dates");
        s.assets = r.strings(g.get(), "assets", s.group + "/assets");
        if (s.monteCarlo())
            readMonteCarlo(r, g.get(), s);
        else
            readHistory(r, g.get(), s);
        d.scenarios.push_back(std::move(s));
    }
    orderLikeTables(d);
    if (r.exists(root, "walk_forward")) {
        Handle wfs = r.group(root, "walk_forward", "/walk_forward");
        for (const std::string& link : r.children(wfs.get(), "/walk_forward")) {
            WalkForwardData w;
            w.group = "/walk_forward/" + link;
            Handle g = r.group(wfs.get(), link, w.group);
            w.name = r.attrText(g.get(), "name");
            w.strategy = r.attrText(g.get(), "strategy");
            w.metric = r.attrText(g.get(), "metric");
            w.goal = r.attrText(g.get(), "goal");
            w.bestCell = r.attrText(g.get(), "best_cell");
            w.inSample = r.attrInt<std::int64_t>(g.get(), "in_sample", 0, H5T_NATIVE_INT64);
            w.outOfSample = r.attrInt<std::int64_t>(g.get(), "out_of_sample", 0, H5T_NATIVE_INT64);
            w.step = r.attrInt<std::int64_t>(g.get(), "step", 0, H5T_NATIVE_INT64);
            if (r.hasAttribute(g.get(), "window")) w.window = r.attrText(g.get(), "window");
            w.stitchedMetric = r.attrDouble(g.get(), "stitched_metric");
            w.bestFullPeriodMetric = r.attrDouble(g.get(), "best_full_period_metric");
            w.bestOnStitchedDaysMetric = r.attrDouble(g.get(), "best_on_stitched_days_metric");
            w.dates = isoDates(r, g.get(), w.group + "/dates");
            w.equity = r.doubles(g.get(), "equity", w.group + "/equity");
            if (w.equity.size() != w.dates.size())
                r.bad(w.group + ": equity and dates differ in length");
            w.steps = r.table(g.get(), "steps", w.group + "/steps");
            w.cells = r.table(g.get(), "cells", w.group + "/cells");
            d.walkForward.push_back(std::move(w));
        }
    }
    return d;
}

}  // namespace

ResultsData readResults(const std::string& path) {
    h5::QuietErrors quiet;
    Hdf5Reader r(path, "rotor results file");
    r.open();
    return readOpen(r);
}

ResultsData readResultsImage(const std::vector<char>& image, const std::string& name) {
    h5::QuietErrors quiet;
    Hdf5Reader r(name, "rotor results file");
    r.openImage(image);
    return readOpen(r);
}

}  // namespace rotor::report
