// SPDX-License-Identifier: MIT
// RunResults -> HDF5: the historical part of the layout (per-scenario and per-strategy groups,
// /metrics), the provenance, and ResultsWriter, which writes a file piece by piece.
#include "engine/io/hdf5_writer.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <utility>

namespace rotor {

namespace layout {

std::vector<std::string> isoDates(const std::vector<Date>& dates) {
    std::vector<std::string> out;
    out.reserve(dates.size());
    for (Date d : dates) out.push_back(d.iso());
    return out;
}

void writeSweep(h5::Group& scenario, const std::vector<SweepValue>& sweep) {
    if (sweep.empty()) return;
    scenario.setAttribute("sweep_keys", column(sweep, &SweepValue::key));
    scenario.setAttribute("sweep_labels", column(sweep, &SweepValue::label));
    scenario.setAttribute("sweep_values", column(sweep, &SweepValue::value));
}

}  // namespace layout

namespace {

using layout::kDateWidth;
using layout::toSize;

constexpr std::size_t kSha256Width = 64;

std::string statusOf(const StrategyRun& run) { return run.ok ? "ok" : "failed"; }

// ISO date of day index `day` ("" for -1, meaning "never", e.g. a drawdown not recovered); the
// index was checked by validateStrategy.
std::string dateAt(const ScenarioRun& s, Index day) {
    return day == -1 ? "" : s.dates[toSize(day)].iso();
}

// A historical scenario's own fields: its name and a cash rate for every date.
void validateScenario(const ScenarioRun& s) {
    ROTOR_REQUIRE(!s.name.empty(), "results: a scenario has an empty name");
    ROTOR_REQUIRE(toSize(s.cashRate.size()) == s.dates.size(),
                  "scenario '" << s.name << "': cash_rate has " << s.cashRate.size()
                               << " values for " << s.dates.size() << " dates");
}

// One strategy of `s`: a name and, when it ran, series and trades on the scenario's grid.
void validateStrategy(const ScenarioRun& s, const StrategyRun& r) {
    ROTOR_REQUIRE(!r.name.empty(), "scenario '" << s.name << "': a strategy has no name");
    if (!r.ok) return;
    const std::size_t t = s.dates.size();
    const std::size_t n = s.assets.size();
    const std::string who = "scenario '" + s.name + "', strategy '" + r.name + "': ";
    ROTOR_REQUIRE(toSize(r.equity.size()) == t,
                  who << "equity has " << r.equity.size() << " values for " << t << " dates");
    ROTOR_REQUIRE(toSize(r.returns.size()) == t,
                  who << "returns has " << r.returns.size() << " values for " << t << " dates");
    ROTOR_REQUIRE(toSize(r.weights.rows()) == t && toSize(r.weights.cols()) == n,
                  who << "weights is " << r.weights.rows() << " x " << r.weights.cols()
                      << ", expected " << t << " x " << n);
    for (const Trade& tr : r.trades)
        ROTOR_REQUIRE(tr.day >= 0 && toSize(tr.day) < t && tr.asset >= 0 && toSize(tr.asset) < n,
                      who << "trade at day " << tr.day << ", asset " << tr.asset << " outside the "
                          << t << " x " << n << " grid");
    if (t == 0) return;
    const Drawdown& dd = r.metrics.maxDrawdown;
    for (const auto& [day, what] : {std::pair<Index, const char*>{dd.peak, "drawdown peak"},
                                    {dd.trough, "drawdown trough"},
                                    {dd.recovery, "drawdown recovery"}})
        ROTOR_REQUIRE(day == -1 || (day >= 0 && toSize(day) < t),
                      who << what << " day " << day << " outside 0.." << t);
}

void requireNewName(std::set<std::string>& names, const std::string& name, const std::string& where,
                    const char* kind) {
    ROTOR_REQUIRE(names.insert(name).second,
                  where << "duplicate " << kind << " name '" << name << "'");
}

// Every inconsistency is found before the file is touched, so the error names the culprit.
void validate(const RunResults& results) {
    std::set<std::string> scenarioNames;
    std::vector<const McScenarioRun*> mc;
    for (const McScenarioRun& s : results.monteCarlo) {
        ROTOR_REQUIRE(!s.name.empty(), "results: a Monte Carlo scenario has an empty name");
        requireNewName(scenarioNames, s.name, "results: ", "scenario");
        layout::validateMonteCarlo(s);
        mc.push_back(&s);
    }
    layout::percentileLevels(mc);
    for (const ScenarioRun& s : results.scenarios) {
        validateScenario(s);
        requireNewName(scenarioNames, s.name, "results: ", "scenario");
        std::set<std::string> strategyNames;
        for (const StrategyRun& r : s.strategies) {
            validateStrategy(s, r);
            requireNewName(strategyNames, r.name, "scenario '" + s.name + "': ", "strategy");
        }
    }
}

// One row of /metrics (and of a strategy's own `metrics` dataset).
struct MetricsRow {
    std::string scenario, strategy, type, status;
    std::vector<double> values;  // in metricNames() order
    std::string peak, trough, recovery;
    std::string group;  // HDF5 path of the strategy's group
};

// The row of `r`, which passed validateStrategy.
MetricsRow metricsRow(const ScenarioRun& s, const StrategyRun& r, const std::string& group,
                      std::size_t metricCount) {
    MetricsRow row{s.name, r.name, r.type, statusOf(r), {}, "", "", "", group};
    if (!r.ok) {
        // A failed run has no metrics; NaN cannot be mistaken for a computed value.
        row.values.assign(metricCount, std::numeric_limits<double>::quiet_NaN());
        return row;
    }
    row.values = metricValues(r.metrics);
    ROTOR_REQUIRE(row.values.size() == metricCount, "metricValues returned "
                                                        << row.values.size() << " values for "
                                                        << metricCount << " metricNames");
    const Drawdown& dd = r.metrics.maxDrawdown;
    if (!s.dates.empty()) {
        row.peak = dateAt(s, dd.peak);
        row.trough = dateAt(s, dd.trough);
        row.recovery = dateAt(s, dd.recovery);
    }
    return row;
}

h5::Table metricsTable(const std::vector<MetricsRow>& rows, const std::vector<std::string>& names) {
    h5::Table table(rows.size());
    table.addString("scenario", layout::column(rows, &MetricsRow::scenario));
    table.addString("strategy", layout::column(rows, &MetricsRow::strategy));
    table.addString("type", layout::column(rows, &MetricsRow::type));
    table.addString("status", layout::column(rows, &MetricsRow::status));
    for (std::size_t m = 0; m < names.size(); ++m) {
        std::vector<double> v;
        for (const auto& r : rows) v.push_back(r.values[m]);
        table.addDouble(names[m], std::move(v));
    }
    table.addString("peak_date", layout::column(rows, &MetricsRow::peak), kDateWidth);
    table.addString("trough_date", layout::column(rows, &MetricsRow::trough), kDateWidth);
    table.addString("recovery_date", layout::column(rows, &MetricsRow::recovery), kDateWidth);
    table.addString("group", layout::column(rows, &MetricsRow::group));
    return table;
}

h5::Table tradesTable(const ScenarioRun& s, const StrategyRun& r) {
    const std::size_t n = r.trades.size();
    std::vector<std::string> date, asset;
    std::vector<double> quantity, price, notional, commission, slippage;
    for (const Trade& t : r.trades) {
        date.push_back(s.dates[toSize(t.day)].iso());
        asset.push_back(s.assets[toSize(t.asset)]);
        quantity.push_back(t.quantity);
        price.push_back(t.price);
        notional.push_back(t.notional);
        commission.push_back(t.commission);
        slippage.push_back(t.slippage);
    }
    std::size_t assetWidth = 1;
    for (const auto& a : s.assets) assetWidth = std::max(assetWidth, a.size());
    h5::Table table(n);
    table.addString("date", std::move(date), kDateWidth);
    table.addString("asset", std::move(asset), assetWidth);
    table.addDouble("quantity", std::move(quantity));
    table.addDouble("price", std::move(price));
    table.addDouble("notional", std::move(notional));
    table.addDouble("commission", std::move(commission));
    table.addDouble("slippage", std::move(slippage));
    return table;
}

void writeStrategy(h5::Group& strategies, const ScenarioRun& s, const StrategyRun& r,
                   const MetricsRow& row, const std::vector<std::string>& names) {
    h5::Group g = strategies.createGroup(hdf5GroupName(r.name));
    g.setAttribute("name", r.name);
    g.setAttribute("type", r.type);
    g.setAttribute("status", statusOf(r));
    g.setAttribute("error", r.ok ? std::string() : r.error);
    if (!r.ok) return;  // a failed run produced no series

    // Per-day history series are small and contiguous: gzip would cost more than the whole
    // backtest and save little (see docs/performance.md).
    const h5::Storage packed{false};
    g.writeDoubles("equity", r.equity.data(), toSize(r.equity.size()), packed);
    g.writeDoubles("returns", r.returns.data(), toSize(r.returns.size()), packed);
    h5::Dataset w = g.writeMatrix("weights", r.weights.data(), toSize(r.weights.rows()),
                                  toSize(r.weights.cols()), packed);
    w.setAttribute("columns", s.assets);
    g.writeTable("trades", tradesTable(s, r));
    g.writeTable("metrics", metricsTable({row}, names));
}

// The walk-forward's group: its settings, the stitched curve, the per-step and per-cell tables.
void writeWalkForward(h5::Group& parent, const WalkForwardRun& w,
                      const std::vector<std::string>& names) {
    const std::size_t steps = w.steps.size();
    const std::size_t cells = w.cells.size();
    ROTOR_REQUIRE(!w.name.empty() && steps > 0 && cells > 0 && w.best < cells,
                  "results: walk-forward '" << w.name << "' is empty");
    ROTOR_REQUIRE(toSize(w.inSampleMetrics.rows()) == steps &&
                      toSize(w.inSampleMetrics.cols()) == cells &&
                      toSize(w.fullPeriodMetric.size()) == cells && w.sweeps.size() == cells,
                  "results: walk-forward '" << w.name << "': shapes disagree");
    const auto origin = w.steps.front().inSampleLast;
    ROTOR_REQUIRE(toSize(origin + w.equity.size()) == w.dates.size(),
                  "results: walk-forward '" << w.name << "': equity has " << w.equity.size()
                                            << " values for " << w.dates.size() - toSize(origin)
                                            << " days");
    const auto dateAt = [&](Index day) {
        ROTOR_REQUIRE(day >= 0 && toSize(day) < w.dates.size(),
                      "results: walk-forward '" << w.name << "': day " << day << " out of range");
        return w.dates[toSize(day)].iso();
    };
    h5::Group g = parent.createGroup(hdf5GroupName(w.name));
    g.setAttribute("name", w.name);
    g.setAttribute("strategy", w.strategy);
    g.setAttribute("metric", w.metric);
    g.setAttribute("goal", w.maximise ? "maximise" : "minimise");
    g.setAttribute("in_sample", static_cast<std::int64_t>(w.inSample));
    g.setAttribute("out_of_sample", static_cast<std::int64_t>(w.outOfSample));
    g.setAttribute("step", static_cast<std::int64_t>(w.step));
    g.setAttribute("window", w.anchored ? "anchored" : "rolling");
    g.setAttribute("initial_capital", w.initialCapital);
    g.setAttribute("stitched_metric", w.stitchedMetric);
    g.setAttribute("best_cell", w.cells[w.best]);
    g.setAttribute("best_full_period_metric", w.fullPeriodMetric(static_cast<Index>(w.best)));
    g.setAttribute("best_on_stitched_days_metric", w.bestOnStitchedDays);

    std::vector<std::string> dates;
    for (std::size_t t = toSize(origin); t < w.dates.size(); ++t) dates.push_back(w.dates[t].iso());
    g.writeStrings("dates", dates, kDateWidth);
    g.writeDoubles("equity", w.equity.data(), toSize(w.equity.size()), h5::Storage{false});

    // The swept values of a cell, one column per sweep key (labels as in the cell names).
    const std::vector<SweepValue>& keys = w.sweeps.front();
    const auto sweepColumns = [&](h5::Table& table, const std::vector<std::size_t>& cellOf) {
        for (std::size_t d = 0; d < keys.size(); ++d) {
            std::vector<std::string> v;
            for (std::size_t c : cellOf) v.push_back(w.sweeps[c].at(d).value);
            table.addString("param_" + keys[d].label, std::move(v));
        }
    };

    h5::Table st(steps);
    std::vector<std::string> isStart, isEnd, oosEnd, stitchedEnd, cellName;
    std::vector<std::int64_t> cellIndex;
    std::vector<double> isMetric, oosMetric;
    std::vector<std::size_t> chosen;
    for (const WalkForwardStep& s : w.steps) {
        isStart.push_back(dateAt(s.inSampleFirst));
        isEnd.push_back(dateAt(s.inSampleLast));
        oosEnd.push_back(dateAt(s.outOfSampleLast));
        stitchedEnd.push_back(dateAt(s.stitchedLast));
        ROTOR_REQUIRE(s.cell < cells,
                      "results: walk-forward '" << w.name << "': cell out of range");
        chosen.push_back(s.cell);
        cellIndex.push_back(static_cast<std::int64_t>(s.cell));
        cellName.push_back(w.cells[s.cell]);
        isMetric.push_back(s.inSampleMetric);
        oosMetric.push_back(s.outOfSampleMetric);
    }
    std::vector<std::string> oosStart = isEnd;  // the choice trades from the in-sample's last close
    st.addString("in_sample_start", std::move(isStart), kDateWidth);
    st.addString("in_sample_end", std::move(isEnd), kDateWidth);
    st.addString("out_of_sample_start", std::move(oosStart), kDateWidth);
    st.addString("out_of_sample_end", std::move(oosEnd), kDateWidth);
    st.addString("stitched_end", std::move(stitchedEnd), kDateWidth);
    st.addInt64("cell", std::move(cellIndex));
    st.addString("cell_name", std::move(cellName));
    sweepColumns(st, chosen);
    st.addDouble("in_sample_metric", std::move(isMetric));
    st.addDouble("out_of_sample_metric", std::move(oosMetric));
    g.writeTable("steps", st);

    h5::Table ct(cells);
    std::vector<std::size_t> all(cells);
    for (std::size_t c = 0; c < cells; ++c) all[c] = c;
    ct.addString("name", w.cells);
    sweepColumns(ct, all);
    std::vector<double> full(w.fullPeriodMetric.data(), w.fullPeriodMetric.data() + cells);
    ct.addDouble("full_period_metric", std::move(full));
    g.writeTable("cells", ct);

    // Row-major S x C: one row per step.
    const PriceMatrix ism = w.inSampleMetrics;
    g.writeMatrix("in_sample_metrics", ism.data(), steps, cells, h5::Storage{false});

    MetricsRow row{w.name,
                   w.strategy,
                   "walk_forward",
                   "ok",
                   metricValues(w.stitched),
                   "",
                   "",
                   "",
                   "/walk_forward/" + hdf5GroupName(w.name)};
    const Drawdown& dd = w.stitched.maxDrawdown;
    const auto stitchedDate = [&](Index day) {
        return day < 0 ? std::string() : dateAt(origin + day);
    };
    row.peak = stitchedDate(dd.peak);
    row.trough = stitchedDate(dd.trough);
    row.recovery = stitchedDate(dd.recovery);
    g.writeTable("metrics", metricsTable({row}, names));
}

std::string strategyGroupPath(const ScenarioRun& s, const StrategyRun& r) {
    return "/scenarios/" + hdf5GroupName(s.name) + "/strategies/" + hdf5GroupName(r.name);
}

}  // namespace

void writeProvenance(h5::File& file, const Provenance& p, const char* format,
                     std::int64_t formatVersion) {
    file.setAttribute("format", format);
    file.setAttribute("format_version", formatVersion);
    file.setAttribute("rotor_version", p.rotorVersion);
    file.setAttribute("git_commit", p.gitCommit);
    file.setAttribute("created_utc", p.createdUtc);
    file.setAttribute("command_line", p.commandLine);
    file.setAttribute("scenario_file", p.scenarioFile);
    file.setAttribute("seed", static_cast<std::uint64_t>(p.seed));

    h5::Group g = file.createGroup("provenance");
    g.writeString("scenario_yaml", p.scenarioYaml);
    g.writeString("resolved_yaml", p.resolvedYaml);
    h5::Table files(p.dataFiles.size());
    std::vector<std::string> paths, sums;
    for (const auto& f : p.dataFiles) {
        paths.push_back(f.path);
        sums.push_back(f.sha256);
    }
    files.addString("path", std::move(paths));
    files.addString("sha256", std::move(sums), kSha256Width);
    g.writeTable("data_files", files);
}

std::string percentileFieldName(double level) {
    ROTOR_REQUIRE(std::isfinite(level) && level >= 0.0,
                  "percentile level " << level << " cannot name a field");
    char buf[64];
    if (level == std::floor(level) && level < 1e15) {
        std::snprintf(buf, sizeof buf, "p%02lld", static_cast<long long>(level));
        return buf;
    }
    std::snprintf(buf, sizeof buf, "p%.15g", level);
    std::string name = buf;
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

std::string hdf5GroupName(const std::string& name) {
    if (name == ".") return "%2E";
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (c == '%')
            out += "%25";
        else if (c == '/')
            out += "%2F";
        else
            out += c;
    }
    return out;
}

// ---- ResultsWriter ---------------------------------------------------------------------------

struct ResultsWriter::State {
    struct Historical {
        const ScenarioRun* run;
        h5::Group strategies;
        std::vector<std::optional<MetricsRow>> rows;  // by strategy index, set once written
        std::set<std::string> strategyNames;
    };

    explicit State(const std::string& path)
        : file(path), scenarios(file.createGroup("scenarios")) {}
    explicit State(const h5::File::InMemory& memory)
        : file(memory), scenarios(file.createGroup("scenarios")), inMemory(true) {}

    Historical& historicalOf(const ScenarioRun& s) {
        for (auto& h : historical)
            if (h.run == &s) return h;
        throw Error("results: strategy of scenario '" + s.name + "' added before beginScenario");
    }

    h5::File file;
    std::optional<h5::Group> scenarios;  // reset before the file closes
    std::set<std::string> scenarioNames;
    std::vector<Historical> historical;
    std::vector<const McScenarioRun*> monteCarlo;
    std::optional<h5::Group> walkForward;      // made with the first walk-forward
    std::vector<layout::StreamedMc> streamed;  // the last one may still be receiving paths
    const std::vector<std::string> names = metricNames();
    bool finished = false;
    bool inMemory = false;
    std::vector<char> image;  // in memory: the file's bytes once finished
};

ResultsWriter::ResultsWriter(const std::string& path) : state_(std::make_unique<State>(path)) {}

ResultsWriter::ResultsWriter(const InMemory& memory)
    : state_(std::make_unique<State>(h5::File::InMemory{memory.name})) {}

std::vector<char> ResultsWriter::takeImage() {
    ROTOR_REQUIRE(state_->finished && state_->inMemory,
                  "results: takeImage needs a finished in-memory writer");
    return std::move(state_->image);
}

ResultsWriter::~ResultsWriter() {
    // Unfinished: an error stopped the run, and the file is a temporary about to be removed.
    if (state_ && !state_->finished) state_->file.discardOnClose();
}

void ResultsWriter::beginScenario(const ScenarioRun& s) {
    ROTOR_REQUIRE(!state_->finished, "results: beginScenario after finish");
    validateScenario(s);
    requireNewName(state_->scenarioNames, s.name, "results: ", "scenario");
    h5::Group g = state_->scenarios->createGroup(hdf5GroupName(s.name));
    g.setAttribute("name", s.name);
    g.setAttribute("description", s.description);
    g.setAttribute("mode", s.mode);
    g.setAttribute("benchmark", s.benchmark);
    g.setAttribute("initial_capital", s.initialCapital);
    layout::writeSweep(g, s.sweep);
    g.writeStrings("dates", layout::isoDates(s.dates), kDateWidth);
    g.writeStrings("assets", s.assets);
    g.writeDoubles("cash_rate", s.cashRate.data(), toSize(s.cashRate.size()), h5::Storage{false});
    state_->historical.push_back({&s, g.createGroup("strategies"), {}, {}});
    state_->historical.back().rows.resize(s.strategies.size());
}

void ResultsWriter::addStrategy(const ScenarioRun& s, std::size_t index) {
    ROTOR_REQUIRE(!state_->finished, "results: addStrategy after finish");
    State::Historical& h = state_->historicalOf(s);
    ROTOR_REQUIRE(index < h.rows.size() && !h.rows[index],
                  "results: scenario '" << s.name << "': strategy " << index
                                        << " is out of range or written twice");
    const StrategyRun& r = s.strategies[index];
    validateStrategy(s, r);
    requireNewName(h.strategyNames, r.name, "scenario '" + s.name + "': ", "strategy");
    MetricsRow row = metricsRow(s, r, strategyGroupPath(s, r), state_->names.size());
    writeStrategy(h.strategies, s, r, row, state_->names);
    h.rows[index] = std::move(row);
}

void ResultsWriter::addMonteCarlo(const McScenarioRun& s) {
    ROTOR_REQUIRE(!state_->finished, "results: addMonteCarlo after finish");
    ROTOR_REQUIRE(!s.name.empty(), "results: a Monte Carlo scenario has an empty name");
    if (s.pathsStreamed) {
        ROTOR_REQUIRE(!state_->streamed.empty() && state_->streamed.back().name == s.name,
                      "results: Monte Carlo scenario '" << s.name << "' streamed no paths here");
        layout::StreamedMc& st = state_->streamed.back();
        // Complete: the datasets close, writing their last chunks (and freeing their caches).
        st.columns.clear();
        st.regimes.reset();
        st.attribution.reset();
        st.overlay.clear();
    } else {
        requireNewName(state_->scenarioNames, s.name, "results: ", "scenario");
    }
    layout::validateMonteCarlo(s);
    state_->monteCarlo.push_back(&s);
}

void ResultsWriter::beginMonteCarloPaths(const McScenarioRun& shape) {
    ROTOR_REQUIRE(!state_->finished, "results: beginMonteCarloPaths after finish");
    ROTOR_REQUIRE(!shape.name.empty(), "results: a Monte Carlo scenario has an empty name");
    requireNewName(state_->scenarioNames, shape.name, "results: ", "scenario");
    state_->streamed.push_back(layout::beginStreamedMc(*state_->scenarios, shape));
}

void ResultsWriter::writeMonteCarloPaths(std::uint64_t first, const McScenarioRun& block) {
    ROTOR_REQUIRE(!state_->streamed.empty() && !state_->streamed.back().columns.empty(),
                  "results: Monte Carlo paths written before beginMonteCarloPaths");
    layout::writeStreamedMc(state_->streamed.back(), first, block);
}

void ResultsWriter::readMonteCarloPaths(std::size_t strategy, McPathSink::Column column,
                                        const McPathSink::Block& block) {
    ROTOR_REQUIRE(!state_->streamed.empty(), "results: no Monte Carlo paths to read");
    layout::StreamedMc& st = state_->streamed.back();
    const auto c = static_cast<std::size_t>(column == McPathSink::Column::TerminalWealth ? 0
                                            : column == McPathSink::Column::Cagr         ? 1
                                            : column == McPathSink::Column::MaxDrawdown  ? 4
                                                                                         : 6);
    ROTOR_REQUIRE(strategy < st.columns.size() && c < st.columns[strategy].size(),
                  "results: scenario '" << st.name << "' has no column " << c << " of strategy "
                                        << strategy);
    h5::Dataset& d = st.columns[strategy][c];
    std::vector<double> buffer(std::min<std::size_t>(layout::kPerPathChunk, st.paths));
    for (std::size_t first = 0; first < st.paths; first += buffer.size()) {
        const std::size_t n = std::min<std::size_t>(buffer.size(), st.paths - first);
        d.readRows(first, n, buffer.data());
        block(buffer.data(), n);
    }
}

void ResultsWriter::addWalkForward(const WalkForwardRun& w) {
    ROTOR_REQUIRE(!state_->finished, "results: addWalkForward after finish");
    if (!state_->walkForward) state_->walkForward = state_->file.createGroup("walk_forward");
    writeWalkForward(*state_->walkForward, w, state_->names);
}

void ResultsWriter::finish(const Provenance& p) {
    ROTOR_REQUIRE(!state_->finished, "results: finish called twice");
    State& st = *state_;
    std::vector<MetricsRow> allRows;
    for (const auto& h : st.historical)
        for (std::size_t i = 0; i < h.rows.size(); ++i) {
            ROTOR_REQUIRE(h.rows[i], "results: scenario '" << h.run->name << "': strategy " << i
                                                           << " was never written");
            allRows.push_back(*h.rows[i]);
        }
    std::optional<h5::Table> mcSummary;
    if (!st.monteCarlo.empty())
        mcSummary = layout::writeMonteCarlo(*st.scenarios, st.monteCarlo, st.streamed);
    writeProvenance(st.file, p);
    st.file.writeTable("metrics", metricsTable(allRows, st.names));
    if (mcSummary) st.file.writeTable("mc_summary", *mcSummary);
    st.finished = true;
    st.historical.clear();  // every group closes before the file
    st.streamed.clear();
    st.scenarios.reset();
    st.walkForward.reset();
    if (st.inMemory)
        st.image = st.file.closeToImage();
    else
        st.file.close();
}

void writeResultsHdf5(const RunResults& results, const std::string& path) {
    validate(results);
    ResultsWriter w(path);
    for (const ScenarioRun& s : results.scenarios) {
        w.beginScenario(s);
        for (std::size_t i = 0; i < s.strategies.size(); ++i) w.addStrategy(s, i);
    }
    for (const McScenarioRun& s : results.monteCarlo) w.addMonteCarlo(s);
    for (const WalkForwardRun& s : results.walkForward) w.addWalkForward(s);
    w.finish(results.provenance);
}

}  // namespace rotor
