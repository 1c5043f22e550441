// SPDX-License-Identifier: MIT
// The Monte Carlo part of the results layout: a scenario's bands, per-path metrics, realised
// outcome and the /mc_summary rows.
#include "engine/core/error.hpp"
#include "engine/io/hdf5_layout.hpp"
#include "engine/io/hdf5_writer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

namespace rotor::layout {

namespace {

void requireSize(std::size_t have, std::size_t want, const std::string& who, const char* what) {
    ROTOR_REQUIRE(have == want, who << what << " has " << have << " values, expected " << want);
}

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Per-path arrays (metrics, attribution, overlay figures): contiguous and uncompressed. Simulated
// doubles shrink only about 1.25x under shuffle + gzip, which cost about 9% of a Monte Carlo
// run's CPU (docs/performance.md); a streamed row block goes straight to its place in the file.
const h5::Storage kPerPath{false};
const h5::Storage kStoredPaths{true};  // stored_prices, stored_rates: chunked, shuffle + gzip

h5::Dataset writeBands(h5::Group& g, const std::string& name, const Matrix& m) {
    const RowMajorMatrix rm = m;
    return g.writeMatrix(name, rm.data(), toSize(rm.rows()), toSize(rm.cols()), h5::Storage{true});
}

// The /mc_summary row of one (scenario, strategy); `levels` are the union of every Monte Carlo
// scenario's percentile levels, so the table has one column set (NaN where a scenario lacks one).
struct McRow {
    std::string scenario, strategy, type, status;
    std::int64_t paths = 0;
    std::vector<double> values;  // in mcValueNames() order
    std::string group;
};

std::vector<std::string> mcValueNames(const std::vector<double>& levels) {
    std::vector<std::string> names = {"mean", "stdev"};
    for (double q : levels) names.push_back(percentileFieldName(q));
    for (const char* n : {"prob_loss", "prob_beat_benchmark", "var95", "cvar95", "median_cagr",
                          "p05_cagr", "p95_cagr", "median_max_drawdown"})
        names.push_back(n);
    return names;
}

McRow mcRow(const McScenarioRun& s, const McStrategyRun& r, const std::vector<double>& levels) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    McRow row{s.name,
              r.name,
              r.type,
              r.ok ? "ok" : "failed",
              static_cast<std::int64_t>(s.paths),
              {},
              "/scenarios/" + hdf5GroupName(s.name) + "/strategies/" + hdf5GroupName(r.name)};
    const std::size_t count = mcValueNames(levels).size();
    if (!r.ok) {
        row.values.assign(count, nan);
        return row;
    }
    const DistributionSummary& d = r.terminal;
    row.values = {d.mean, d.stdev};
    for (double q : levels) {
        const auto it = std::find(s.percentiles.begin(), s.percentiles.end(), q);
        row.values.push_back(
            it == s.percentiles.end() ? nan : d.percentiles[toSize(it - s.percentiles.begin())]);
    }
    const PathMetricsSummary& m = r.pathSummary;
    row.values.insert(row.values.end(), {d.probLoss, d.probBeatBenchmark, d.var95, d.cvar95,
                                         m.medianCagr, m.p05Cagr, m.p95Cagr, m.medianMaxDrawdown});
    return row;
}

h5::Table mcTable(const std::vector<McRow>& rows, const std::vector<double>& levels) {
    h5::Table table(rows.size());
    table.addString("scenario", layout::column(rows, &McRow::scenario));
    table.addString("strategy", layout::column(rows, &McRow::strategy));
    table.addString("type", layout::column(rows, &McRow::type));
    table.addString("status", layout::column(rows, &McRow::status));
    table.addInt64("paths", layout::column(rows, &McRow::paths));
    const std::vector<std::string> names = mcValueNames(levels);
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::vector<double> v;
        for (const auto& r : rows) v.push_back(r.values[i]);
        table.addDouble(names[i], std::move(v));
    }
    table.addString("group", layout::column(rows, &McRow::group));
    return table;
}

// `streamed`: the strategy's group, already holding its per-path values (in `paths`).
void writeMcStrategy(h5::Group& strategies, const McScenarioRun& s, const McStrategyRun& r,
                     const McRow& row, const std::vector<double>& levels,
                     h5::Group* streamed = nullptr, h5::Group* paths = nullptr) {
    std::optional<h5::Group> made;
    if (streamed == nullptr) made.emplace(strategies.createGroup(hdf5GroupName(r.name)));
    h5::Group& g = streamed != nullptr ? *streamed : *made;
    g.setAttribute("name", r.name);
    g.setAttribute("type", r.type);
    g.setAttribute("status", row.status);
    g.setAttribute("error", r.ok ? std::string() : r.error);
    if (!r.ok) {  // a failed strategy has no distribution
        if (streamed != nullptr) g.removeLink("paths");
        return;
    }

    writeBands(g, "equity_bands", r.equityBands);
    if (paths == nullptr) {
        h5::Group p = g.createGroup("paths");
        auto put = [&](const char* name, const Vector& v) {
            p.writeDoubles(name, v.data(), toSize(v.size()), kPerPath);
        };
        const auto cols = r.paths.columns(s.checkpointDay >= 0);
        for (std::size_t c = 0; c < cols.size(); ++c) put(PathMetrics::kNames[c], *cols[c]);
    }
    g.writeTable("summary", mcTable({row}, levels));
}

void writeRealised(h5::Group& scenario, const RealisedOutcome& o) {
    h5::Group g = scenario.createGroup("realised");
    g.writeStrings("dates", isoDates(o.dates), kDateWidth);
    g.writeDoubles("cash_rate", o.cashRate.data(), toSize(o.cashRate.size()), h5::Storage{true});
    std::string coverage;  // one line per series
    for (const auto& c : o.coverage) coverage += (coverage.empty() ? "" : "\n") + c;
    g.setAttribute("coverage", coverage);
    g.setAttribute("ended_by", o.endedBy);
    if (o.rateLastObservation)
        g.setAttribute("cash_rate_last_observation", o.rateLastObservation->iso());
    h5::Group strategies = g.createGroup("strategies");
    for (const RealisedStrategy& r : o.strategies) {
        h5::Group sg = strategies.createGroup(hdf5GroupName(r.name));
        sg.setAttribute("name", r.name);
        h5::Dataset w = sg.writeDoubles("wealth", r.wealth.data(), toSize(r.wealth.size()),
                                        h5::Storage{true});
        w.setAttribute("percentile_rank", r.percentileRank);
    }
}

// The model's stated expectations (a row per asset and regime), its warnings and the per-path
// attribution of log returns.
void writeExpectations(h5::Group& g, const McScenarioRun& s, bool streamed) {
    const auto& e = s.expectations;
    h5::Table t(e.size());
    t.addString("asset", layout::column(e, &AssetExpectation::asset));
    t.addString("regime", layout::column(e, &AssetExpectation::regime));
    t.addString("source", layout::column(e, &AssetExpectation::source));
    t.addDouble("probability", layout::column(e, &AssetExpectation::probability));
    t.addDouble("expected_return", layout::column(e, &AssetExpectation::expectedReturn));
    t.addDouble("cash", layout::column(e, &AssetExpectation::cash));
    t.addDouble("premium", layout::column(e, &AssetExpectation::premium));
    t.addDouble("valuation", layout::column(e, &AssetExpectation::valuation));
    t.addDouble("volatility", layout::column(e, &AssetExpectation::volatility));
    t.addDouble("sharpe", layout::column(e, &AssetExpectation::sharpe));
    g.writeTable("expectations", t);
    std::string warnings;  // one per line; empty when there is none
    for (const auto& w : s.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
    g.setAttribute("warnings", warnings);
    if (!s.attributionNames.empty() && !streamed) {
        const RowMajorMatrix rm = s.attribution;
        h5::Dataset d = g.writeMatrix("attribution", rm.data(), toSize(rm.rows()),
                                      toSize(rm.cols()), kPerPath);
        d.setAttribute("columns", s.attributionNames);
    }
}

// Each overlay's per-path figures: /scenarios/<name>/<overlay>/<figure>, f8[P]. Names come as
// "<overlay>/<figure>", grouped by overlay in their order.
void writeOverlayReport(h5::Group& g, const McScenarioRun& s) {
    std::string current;
    std::optional<h5::Group> group;
    for (std::size_t k = 0; k < s.overlayReportNames.size(); ++k) {
        const std::string& name = s.overlayReportNames[k];
        const auto slash = name.find('/');
        ROTOR_REQUIRE(slash != std::string::npos && slash > 0 && slash + 1 < name.size(),
                      "overlay figure '" << name << "' is not named <overlay>/<figure>");
        const std::string overlay = name.substr(0, slash);
        if (!group || overlay != current) {
            group.emplace(g.createGroup(overlay));
            current = overlay;
        }
        const Vector v = s.overlayReport.col(static_cast<Index>(k));
        group->writeDoubles(name.substr(slash + 1), v.data(), toSize(v.size()), kPerPath);
    }
}

void writeMcScenario(h5::Group& scenarios, const McScenarioRun& s, const std::vector<McRow>& rows,
                     const std::vector<double>& levels, StreamedMc* st) {
    std::optional<h5::Group> made;
    if (st == nullptr) made.emplace(scenarios.createGroup(hdf5GroupName(s.name)));
    h5::Group& g = st != nullptr ? st->group : *made;
    g.setAttribute("name", s.name);
    g.setAttribute("description", s.description);
    g.setAttribute("mode", "monte_carlo");
    g.setAttribute("benchmark", s.benchmark);
    g.setAttribute("initial_capital", s.initialCapital);
    g.setAttribute("paths", static_cast<std::uint64_t>(s.paths));
    g.setAttribute("seed", static_cast<std::uint64_t>(s.seed));
    g.setAttribute("checkpoint_day", static_cast<std::int64_t>(s.checkpointDay));
    layout::writeSweep(g, s.sweep);

    g.writeStrings("dates", isoDates(s.dates), kDateWidth);
    g.writeStrings("assets", s.assets);
    g.writeDoubles("percentiles", s.percentiles.data(), s.percentiles.size());
    writeBands(g, "rate_bands", s.rateBands);
    g.writeStrings("regime_names", s.regimeNames);
    if (st == nullptr)
        g.writeInt32s("regime_of_path",
                      std::vector<std::int32_t>(s.regimeOfPath.begin(), s.regimeOfPath.end()));
    g.writeString("model", s.model);
    if (!s.storedPrices.empty()) {
        const std::size_t p = toSize(static_cast<Index>(s.paths));
        g.writeFloats("stored_prices", s.storedPrices.data(), {p, s.dates.size(), s.assets.size()},
                      kStoredPaths);
        g.writeFloats("stored_rates", s.storedRates.data(), {p, s.dates.size()}, kStoredPaths);
    }
    if (st != nullptr) {
        for (std::size_t i = 0; i < s.strategies.size(); ++i)
            writeMcStrategy(*st->strategies, s, s.strategies[i], rows[i], levels,
                            &st->strategyGroups[i], &st->pathGroups[i]);
    } else {
        h5::Group strategies = g.createGroup("strategies");
        for (std::size_t i = 0; i < s.strategies.size(); ++i)
            writeMcStrategy(strategies, s, s.strategies[i], rows[i], levels);
    }
    if (s.realised) writeRealised(g, *s.realised);
    if (!s.expectations.empty()) writeExpectations(g, s, st != nullptr);
    if (!s.overlayReportNames.empty() && st == nullptr) writeOverlayReport(g, s);
}

}  // namespace

void validateMonteCarlo(const McScenarioRun& s) {
    const std::string who = "Monte Carlo scenario '" + s.name + "': ";
    const std::size_t t = s.dates.size();
    const std::size_t n = s.assets.size();
    const std::size_t q = s.percentiles.size();
    ROTOR_REQUIRE(s.paths <= std::numeric_limits<std::uint32_t>::max(),
                  who << s.paths << " paths is more than the format allows");
    // Streamed: the per-path arrays are in the file already, and empty here.
    const auto p = s.pathsStreamed ? std::size_t{0} : static_cast<std::size_t>(s.paths);
    ROTOR_REQUIRE(toSize(s.rateBands.rows()) == t && toSize(s.rateBands.cols()) == q,
                  who << "rate_bands is " << s.rateBands.rows() << " x " << s.rateBands.cols()
                      << ", expected " << t << " x " << q);
    requireSize(s.regimeOfPath.size(), p, who, "regime_of_path");
    for (int r : s.regimeOfPath)
        ROTOR_REQUIRE(r >= 0 && static_cast<std::size_t>(r) < s.regimeNames.size(),
                      who << "regime " << r << " outside 0.." << s.regimeNames.size());
    ROTOR_REQUIRE(s.storedPrices.empty() == s.storedRates.empty(),
                  who << "stored prices and rates must be both present or both absent");
    if (!s.storedPrices.empty()) {
        requireSize(s.storedPrices.size(), p * t * n, who, "stored_prices");
        requireSize(s.storedRates.size(), p * t, who, "stored_rates");
    }
    ROTOR_REQUIRE(s.checkpointDay >= -1 && s.checkpointDay < static_cast<Index>(t),
                  who << "checkpoint day " << s.checkpointDay << " outside -1.." << t);
    const std::size_t cp = s.checkpointDay >= 0 ? p : 0;
    std::set<std::string> names;
    for (const McStrategyRun& r : s.strategies) {
        ROTOR_REQUIRE(!r.name.empty(), who << "a strategy has no name");
        ROTOR_REQUIRE(names.insert(r.name).second,
                      who << "duplicate strategy name '" << r.name << "'");
        if (!r.ok) continue;
        const std::string w = who + "strategy '" + r.name + "': ";
        const auto cols = r.paths.columns(true);
        for (std::size_t c = 0; c < cols.size(); ++c)
            requireSize(toSize(cols[c]->size()), c + 1 < cols.size() ? p : cp, w,
                        PathMetrics::kNames[c]);
        ROTOR_REQUIRE(toSize(r.equityBands.rows()) == t && toSize(r.equityBands.cols()) == q,
                      w << "equity_bands is " << r.equityBands.rows() << " x "
                        << r.equityBands.cols() << ", expected " << t << " x " << q);
        requireSize(r.terminal.percentiles.size(), q, w, "summary percentiles");
    }
    if (!s.attributionNames.empty())
        ROTOR_REQUIRE(toSize(s.attribution.rows()) == p &&
                          toSize(s.attribution.cols()) == s.attributionNames.size(),
                      who << "attribution is " << s.attribution.rows() << " x "
                          << s.attribution.cols() << ", expected " << p << " x "
                          << s.attributionNames.size());
    if (!s.overlayReportNames.empty())
        ROTOR_REQUIRE(toSize(s.overlayReport.rows()) == p &&
                          toSize(s.overlayReport.cols()) == s.overlayReportNames.size(),
                      who << "overlay report is " << s.overlayReport.rows() << " x "
                          << s.overlayReport.cols() << ", expected " << p << " x "
                          << s.overlayReportNames.size());
    if (s.realised) {
        const RealisedOutcome& o = *s.realised;
        ROTOR_REQUIRE(o.dates.size() <= t, who << "realised outcome has " << o.dates.size()
                                               << " dates, more than the " << t << " simulated");
        requireSize(toSize(o.cashRate.size()), o.dates.size(), who, "realised cash_rate");
        std::set<std::string> seen;
        for (const RealisedStrategy& r : o.strategies) {
            ROTOR_REQUIRE(!r.name.empty(), who << "a realised strategy has no name");
            ROTOR_REQUIRE(seen.insert(r.name).second,
                          who << "duplicate realised strategy '" << r.name << "'");
            requireSize(toSize(r.wealth.size()), o.dates.size(), who + "realised '" + r.name + "' ",
                        "wealth");
        }
    }
}

std::vector<double> percentileLevels(const std::vector<const McScenarioRun*>& runs) {
    std::set<double> levelSet;
    for (const McScenarioRun* s : runs)
        levelSet.insert(s->percentiles.begin(), s->percentiles.end());
    std::vector<double> levels(levelSet.begin(), levelSet.end());
    std::set<std::string> fieldNames;
    for (double q : levels)
        ROTOR_REQUIRE(fieldNames.insert(percentileFieldName(q)).second,
                      "percentile levels collide in the field name " << percentileFieldName(q));
    return levels;
}

StreamedMc beginStreamedMc(h5::Group& scenarios, const McScenarioRun& shape) {
    StreamedMc st{shape.name,
                  shape.paths,
                  0,
                  scenarios.createGroup(hdf5GroupName(shape.name)),
                  {},  // strategies
                  {},  // strategyGroups
                  {},  // pathGroups
                  {},  // columns
                  {},  // regimes
                  {},  // attribution
                  {},  // storedPrices
                  {},  // storedRates
                  shape.dates.size(),
                  shape.assets.size(),
                  {}};  // overlay
    const auto p = static_cast<std::size_t>(shape.paths);
    ROTOR_REQUIRE(p >= 1 && shape.paths <= std::numeric_limits<std::uint32_t>::max(),
                  "Monte Carlo scenario '" << shape.name << "': " << shape.paths
                                           << " paths cannot be written");
    using E = h5::Group::Element;
    const h5::Storage packed = kPerPath;
    // Storage as the whole-array writes: contiguous.
    st.regimes.emplace(st.group.createRows("regime_of_path", E::Int32, {p}));
    st.strategies.emplace(st.group.createGroup("strategies"));
    const bool checkpoint = shape.checkpointDay >= 0;
    for (const McStrategyRun& r : shape.strategies) {
        st.strategyGroups.push_back(st.strategies->createGroup(hdf5GroupName(r.name)));
        st.pathGroups.push_back(st.strategyGroups.back().createGroup("paths"));
        std::vector<h5::Dataset> cols;
        const std::size_t count = r.paths.columns(checkpoint).size();
        for (std::size_t c = 0; c < count; ++c)
            cols.push_back(
                st.pathGroups.back().createRows(PathMetrics::kNames[c], E::Float64, {p}, packed));
        st.columns.push_back(std::move(cols));
    }
    if (!shape.expectations.empty() && !shape.attributionNames.empty()) {
        st.attribution.emplace(st.group.createRows("attribution", E::Float64,
                                                   {p, shape.attributionNames.size()}, packed));
        st.attribution->setAttribute("columns", shape.attributionNames);
    }
    if (shape.pathsStored) {  // as writeMcScenario writes them whole
        st.storedPrices.emplace(st.group.createRows("stored_prices", E::Float32,
                                                    {p, st.days, st.assets}, kStoredPaths));
        st.storedRates.emplace(
            st.group.createRows("stored_rates", E::Float32, {p, st.days}, kStoredPaths));
    }
    // Overlay figures as writeOverlayReport names them.
    std::string current;
    std::optional<h5::Group> overlay;
    for (const std::string& name : shape.overlayReportNames) {
        const auto slash = name.find('/');
        ROTOR_REQUIRE(slash != std::string::npos && slash > 0 && slash + 1 < name.size(),
                      "overlay figure '" << name << "' is not named <overlay>/<figure>");
        if (!overlay || name.substr(0, slash) != current) {
            current = name.substr(0, slash);
            overlay.emplace(st.group.createGroup(current));
        }
        st.overlay.push_back(overlay->createRows(name.substr(slash + 1), E::Float64, {p}, packed));
    }
    return st;
}

void writeStreamedMc(StreamedMc& st, std::uint64_t first, const McScenarioRun& block) {
    const std::size_t n = block.regimeOfPath.size();
    ROTOR_REQUIRE(first == st.written && first + n <= st.paths,
                  "Monte Carlo scenario '" << st.name << "': paths " << first << ".." << first + n
                                           << " written out of order (next " << st.written << " of "
                                           << st.paths << ")");
    ROTOR_REQUIRE(block.strategies.size() == st.columns.size(),
                  "Monte Carlo scenario '" << st.name << "': " << block.strategies.size()
                                           << " strategies in a block, expected "
                                           << st.columns.size());
    const std::vector<std::int32_t> regimes(block.regimeOfPath.begin(), block.regimeOfPath.end());
    st.regimes->writeRows(first, n, regimes.data());
    for (std::size_t s = 0; s < st.columns.size(); ++s) {
        const auto cols = block.strategies[s].paths.columns(st.columns[s].size() ==
                                                            PathMetrics::kNames.size());
        for (std::size_t c = 0; c < cols.size(); ++c) {
            requireSize(toSize(cols[c]->size()), n, st.name + ": ", PathMetrics::kNames[c]);
            st.columns[s][c].writeRows(first, n, cols[c]->data());
        }
    }
    if (st.attribution) {
        ROTOR_REQUIRE(toSize(block.attribution.rows()) == n,
                      st.name << ": attribution block of " << block.attribution.rows() << " rows");
        const RowMajorMatrix rm = block.attribution;
        st.attribution->writeRows(first, n, rm.data());
    }
    ROTOR_REQUIRE(toSize(block.overlayReport.cols()) == st.overlay.size() &&
                      (st.overlay.empty() || toSize(block.overlayReport.rows()) == n),
                  st.name << ": overlay block of " << block.overlayReport.rows() << " x "
                          << block.overlayReport.cols());
    for (std::size_t k = 0; k < st.overlay.size(); ++k) {
        const Vector v = block.overlayReport.col(static_cast<Index>(k));
        st.overlay[k].writeRows(first, n, v.data());
    }
    ROTOR_REQUIRE(block.storedPrices.empty() == !st.storedPrices &&
                      block.storedRates.empty() == !st.storedRates,
                  st.name << ": stored paths in a block of a scenario "
                          << (st.storedPrices ? "that stores them" : "that does not store them")
                          << " (" << block.storedPrices.size() << " prices)");
    if (st.storedPrices) {
        requireSize(block.storedRates.size(), n * st.days, st.name + ": ", "stored_rates");
        requireSize(block.storedPrices.size(), n * st.days * st.assets, st.name + ": ",
                    "stored_prices");
        st.storedPrices->writeRows(first, n, block.storedPrices.data());
        st.storedRates->writeRows(first, n, block.storedRates.data());
    }
    st.written += n;
}

h5::Table writeMonteCarlo(h5::Group& scenarios, const std::vector<const McScenarioRun*>& runs,
                          std::vector<StreamedMc>& streamed) {
    const std::vector<double> levels = percentileLevels(runs);
    std::vector<McRow> all;
    for (const McScenarioRun* s : runs) {
        std::vector<McRow> rows;
        for (const McStrategyRun& r : s->strategies) rows.push_back(mcRow(*s, r, levels));
        StreamedMc* st = nullptr;
        if (s->pathsStreamed) {
            for (StreamedMc& x : streamed)
                if (x.name == s->name) st = &x;
            ROTOR_REQUIRE(st != nullptr && st->written == st->paths,
                          "Monte Carlo scenario '" << s->name << "': per-path values incomplete");
        }
        writeMcScenario(scenarios, *s, rows, levels, st);
        all.insert(all.end(), rows.begin(), rows.end());
    }
    return mcTable(all, levels);
}

}  // namespace rotor::layout
