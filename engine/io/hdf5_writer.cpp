// SPDX-License-Identifier: MIT
// RunResults -> HDF5: provenance, the /metrics and /mc_summary tables, and per-scenario and
// per-strategy groups for historical and Monte Carlo scenarios.
#include "engine/io/hdf5_writer.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/montecarlo/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <sstream>

namespace rotor {

namespace {

constexpr std::size_t kDateWidth = 10;  // "YYYY-MM-DD"
constexpr std::size_t kSha256Width = 64;

std::string statusOf(const StrategyRun& run) {
    return run.ok ? "ok" : "failed";
}

std::size_t toSize(Index i) {
    return static_cast<std::size_t>(i);
}

// ISO date of day index `day` ("" for -1, meaning "never", e.g. a drawdown not recovered).
std::string dateAt(const ScenarioRun& s, Index day, const char* what, const std::string& strat) {
    if (day == -1) return "";
    ROTOR_REQUIRE(day >= 0 && toSize(day) < s.dates.size(),
                  "scenario '" << s.name << "', strategy '" << strat << "': " << what << " day "
                               << day << " outside 0.." << s.dates.size());
    return s.dates[toSize(day)].iso();
}

void validateMonteCarlo(const McScenarioRun& s);

// Every inconsistency is found before the file is touched, so the error names the culprit.
void validate(const RunResults& results) {
    std::set<std::string> scenarioNames;
    for (const McScenarioRun& s : results.monteCarlo) {
        ROTOR_REQUIRE(!s.name.empty(), "results: a Monte Carlo scenario has an empty name");
        ROTOR_REQUIRE(scenarioNames.insert(s.name).second,
                      "results: duplicate scenario name '" << s.name << "'");
        validateMonteCarlo(s);
    }
    for (const ScenarioRun& s : results.scenarios) {
        ROTOR_REQUIRE(!s.name.empty(), "results: a scenario has an empty name");
        ROTOR_REQUIRE(scenarioNames.insert(s.name).second,
                      "results: duplicate scenario name '" << s.name << "'");
        const std::size_t t = s.dates.size();
        const std::size_t n = s.assets.size();
        ROTOR_REQUIRE(toSize(s.cashRate.size()) == t, "scenario '" << s.name << "': cash_rate has "
                                                                   << s.cashRate.size()
                                                                   << " values for " << t
                                                                   << " dates");
        std::set<std::string> strategyNames;
        for (const StrategyRun& r : s.strategies) {
            ROTOR_REQUIRE(!r.name.empty(), "scenario '" << s.name << "': a strategy has no name");
            ROTOR_REQUIRE(strategyNames.insert(r.name).second,
                          "scenario '" << s.name << "': duplicate strategy name '" << r.name
                                       << "'");
            if (!r.ok) continue;
            const std::string who = "scenario '" + s.name + "', strategy '" + r.name + "': ";
            ROTOR_REQUIRE(toSize(r.equity.size()) == t,
                          who << "equity has " << r.equity.size() << " values for " << t
                              << " dates");
            ROTOR_REQUIRE(toSize(r.returns.size()) == t,
                          who << "returns has " << r.returns.size() << " values for " << t
                              << " dates");
            ROTOR_REQUIRE(toSize(r.weights.rows()) == t && toSize(r.weights.cols()) == n,
                          who << "weights is " << r.weights.rows() << " x " << r.weights.cols()
                              << ", expected " << t << " x " << n);
            for (const Trade& tr : r.trades)
                ROTOR_REQUIRE(tr.day >= 0 && toSize(tr.day) < t && tr.asset >= 0 &&
                                  toSize(tr.asset) < n,
                              who << "trade at day " << tr.day << ", asset " << tr.asset
                                  << " outside the " << t << " x " << n << " grid");
        }
    }
}

// ---- Monte Carlo -------------------------------------------------------------------------------

void requireSize(std::size_t have, std::size_t want, const std::string& who, const char* what) {
    ROTOR_REQUIRE(have == want, who << what << " has " << have << " values, expected " << want);
}

void validateMonteCarlo(const McScenarioRun& s) {
    const std::string who = "Monte Carlo scenario '" + s.name + "': ";
    const std::size_t t = s.dates.size();
    const std::size_t n = s.assets.size();
    const std::size_t q = s.percentiles.size();
    ROTOR_REQUIRE(s.paths <= std::numeric_limits<std::uint32_t>::max(),
                  who << s.paths << " paths is more than the format allows");
    const auto p = static_cast<std::size_t>(s.paths);
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
        ROTOR_REQUIRE(names.insert(r.name).second, who << "duplicate strategy name '" << r.name
                                                       << "'");
        if (!r.ok) continue;
        const std::string w = who + "strategy '" + r.name + "': ";
        const PathMetrics& m = r.paths;
        requireSize(toSize(m.terminalWealth.size()), p, w, "terminal_wealth");
        requireSize(toSize(m.cagr.size()), p, w, "cagr");
        requireSize(toSize(m.volatility.size()), p, w, "volatility");
        requireSize(toSize(m.sharpe.size()), p, w, "sharpe");
        requireSize(toSize(m.maxDrawdown.size()), p, w, "max_drawdown");
        requireSize(toSize(m.turnover.size()), p, w, "turnover");
        requireSize(toSize(m.checkpointWealth.size()), cp, w, "checkpoint_wealth");
        ROTOR_REQUIRE(toSize(r.equityBands.rows()) == t && toSize(r.equityBands.cols()) == q,
                      w << "equity_bands is " << r.equityBands.rows() << " x "
                        << r.equityBands.cols() << ", expected " << t << " x " << q);
        requireSize(r.terminal.percentiles.size(), q, w, "summary percentiles");
    }
    if (s.realised) {
        const RealisedOutcome& o = *s.realised;
        ROTOR_REQUIRE(o.dates.size() <= t, who << "realised outcome has " << o.dates.size()
                                               << " dates, more than the " << t
                                               << " simulated");
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

// One row of /metrics (and of a strategy's own `metrics` dataset).
struct MetricsRow {
    std::string scenario, strategy, type, status;
    std::vector<double> values;  // in metricNames() order
    std::string peak, trough, recovery;
    std::string group;  // HDF5 path of the strategy's group
};

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
        row.peak = dateAt(s, dd.peak, "drawdown peak", r.name);
        row.trough = dateAt(s, dd.trough, "drawdown trough", r.name);
        row.recovery = dateAt(s, dd.recovery, "drawdown recovery", r.name);
    }
    return row;
}

h5::Table metricsTable(const std::vector<MetricsRow>& rows, const std::vector<std::string>& names) {
    h5::Table table(rows.size());
    auto strings = [&](std::string MetricsRow::*field) {
        std::vector<std::string> v;
        for (const auto& r : rows) v.push_back(r.*field);
        return v;
    };
    table.addString("scenario", strings(&MetricsRow::scenario));
    table.addString("strategy", strings(&MetricsRow::strategy));
    table.addString("type", strings(&MetricsRow::type));
    table.addString("status", strings(&MetricsRow::status));
    for (std::size_t m = 0; m < names.size(); ++m) {
        std::vector<double> v;
        for (const auto& r : rows) v.push_back(r.values[m]);
        table.addDouble(names[m], std::move(v));
    }
    table.addString("peak_date", strings(&MetricsRow::peak), kDateWidth);
    table.addString("trough_date", strings(&MetricsRow::trough), kDateWidth);
    table.addString("recovery_date", strings(&MetricsRow::recovery), kDateWidth);
    table.addString("group", strings(&MetricsRow::group));
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

void writeProvenance(h5::File& file, const Provenance& p) {
    file.setAttribute("format", kResultsFormat);
    file.setAttribute("format_version", kResultsFormatVersion);
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

void writeScenario(h5::Group& scenarios, const ScenarioRun& s, const std::vector<MetricsRow>& rows,
                   const std::vector<std::string>& names) {
    h5::Group g = scenarios.createGroup(hdf5GroupName(s.name));
    g.setAttribute("name", s.name);
    g.setAttribute("description", s.description);
    g.setAttribute("mode", s.mode);
    g.setAttribute("benchmark", s.benchmark);
    g.setAttribute("initial_capital", s.initialCapital);

    std::vector<std::string> dates;
    dates.reserve(s.dates.size());
    for (Date d : s.dates) dates.push_back(d.iso());
    g.writeStrings("dates", dates, kDateWidth);
    g.writeStrings("assets", s.assets);
    g.writeDoubles("cash_rate", s.cashRate.data(), toSize(s.cashRate.size()), h5::Storage{false});

    h5::Group strategies = g.createGroup("strategies");
    for (std::size_t i = 0; i < s.strategies.size(); ++i)
        writeStrategy(strategies, s, s.strategies[i], rows[i], names);
}

// ---- Monte Carlo output ----------------------------------------------------------------------

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

h5::Dataset writeBands(h5::Group& g, const std::string& name, const Matrix& m) {
    const RowMajorMatrix rm = m;
    return g.writeMatrix(name, rm.data(), toSize(rm.rows()), toSize(rm.cols()), h5::Storage{true});
}

std::vector<std::string> isoDates(const std::vector<Date>& dates) {
    std::vector<std::string> out;
    out.reserve(dates.size());
    for (Date d : dates) out.push_back(d.iso());
    return out;
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
    McRow row{s.name, r.name, r.type, r.ok ? "ok" : "failed", static_cast<std::int64_t>(s.paths),
              {}, "/scenarios/" + hdf5GroupName(s.name) + "/strategies/" + hdf5GroupName(r.name)};
    const std::size_t count = mcValueNames(levels).size();
    if (!r.ok) {
        row.values.assign(count, nan);
        return row;
    }
    const DistributionSummary& d = r.terminal;
    row.values = {d.mean, d.stdev};
    for (double q : levels) {
        const auto it = std::find(s.percentiles.begin(), s.percentiles.end(), q);
        row.values.push_back(it == s.percentiles.end()
                                 ? nan
                                 : d.percentiles[toSize(it - s.percentiles.begin())]);
    }
    const std::vector<double> cagr = sortedValues(r.paths.cagr);
    row.values.insert(row.values.end(),
                      {d.probLoss, d.probBeatBenchmark, d.var95, d.cvar95,
                       percentileOfSorted(cagr, 50.0), percentileOfSorted(cagr, 5.0),
                       percentileOfSorted(cagr, 95.0), percentileOf(r.paths.maxDrawdown, 50.0)});
    return row;
}

h5::Table mcTable(const std::vector<McRow>& rows, const std::vector<double>& levels) {
    h5::Table table(rows.size());
    auto strings = [&](std::string McRow::*field) {
        std::vector<std::string> v;
        for (const auto& r : rows) v.push_back(r.*field);
        return v;
    };
    table.addString("scenario", strings(&McRow::scenario));
    table.addString("strategy", strings(&McRow::strategy));
    table.addString("type", strings(&McRow::type));
    table.addString("status", strings(&McRow::status));
    std::vector<std::int64_t> paths;
    for (const auto& r : rows) paths.push_back(r.paths);
    table.addInt64("paths", std::move(paths));
    const std::vector<std::string> names = mcValueNames(levels);
    for (std::size_t i = 0; i < names.size(); ++i) {
        std::vector<double> v;
        for (const auto& r : rows) v.push_back(r.values[i]);
        table.addDouble(names[i], std::move(v));
    }
    table.addString("group", strings(&McRow::group));
    return table;
}

void writeMcStrategy(h5::Group& strategies, const McScenarioRun& s, const McStrategyRun& r,
                     const McRow& row, const std::vector<double>& levels) {
    h5::Group g = strategies.createGroup(hdf5GroupName(r.name));
    g.setAttribute("name", r.name);
    g.setAttribute("type", r.type);
    g.setAttribute("status", row.status);
    g.setAttribute("error", r.ok ? std::string() : r.error);
    if (!r.ok) return;  // a failed strategy has no distribution

    writeBands(g, "equity_bands", r.equityBands);
    {
        h5::Group p = g.createGroup("paths");
        const h5::Storage packed{true};
        auto put = [&](const char* name, const Vector& v) {
            p.writeDoubles(name, v.data(), toSize(v.size()), packed);
        };
        const PathMetrics& m = r.paths;
        put("terminal_wealth", m.terminalWealth);
        put("cagr", m.cagr);
        put("volatility", m.volatility);
        put("sharpe", m.sharpe);
        put("max_drawdown", m.maxDrawdown);
        put("turnover", m.turnover);
        if (s.checkpointDay >= 0) put("checkpoint_wealth", m.checkpointWealth);
    }
    g.writeTable("summary", mcTable({row}, levels));
}

void writeRealised(h5::Group& scenario, const RealisedOutcome& o) {
    h5::Group g = scenario.createGroup("realised");
    g.writeStrings("dates", isoDates(o.dates), kDateWidth);
    g.writeDoubles("cash_rate", o.cashRate.data(), toSize(o.cashRate.size()), h5::Storage{true});
    h5::Group strategies = g.createGroup("strategies");
    for (const RealisedStrategy& r : o.strategies) {
        h5::Group sg = strategies.createGroup(hdf5GroupName(r.name));
        sg.setAttribute("name", r.name);
        h5::Dataset w = sg.writeDoubles("wealth", r.wealth.data(), toSize(r.wealth.size()),
                                        h5::Storage{true});
        w.setAttribute("percentile_rank", r.percentileRank);
    }
}

void writeMcScenario(h5::Group& scenarios, const McScenarioRun& s, const std::vector<McRow>& rows,
                     const std::vector<double>& levels) {
    h5::Group g = scenarios.createGroup(hdf5GroupName(s.name));
    g.setAttribute("name", s.name);
    g.setAttribute("description", s.description);
    g.setAttribute("mode", "monte_carlo");
    g.setAttribute("benchmark", s.benchmark);
    g.setAttribute("initial_capital", s.initialCapital);
    g.setAttribute("paths", static_cast<std::uint64_t>(s.paths));
    g.setAttribute("seed", static_cast<std::uint64_t>(s.seed));
    g.setAttribute("checkpoint_day", static_cast<std::int64_t>(s.checkpointDay));

    g.writeStrings("dates", isoDates(s.dates), kDateWidth);
    g.writeStrings("assets", s.assets);
    g.writeDoubles("percentiles", s.percentiles.data(), s.percentiles.size());
    writeBands(g, "rate_bands", s.rateBands);
    g.writeStrings("regime_names", s.regimeNames);
    g.writeInt32s("regime_of_path",
                  std::vector<std::int32_t>(s.regimeOfPath.begin(), s.regimeOfPath.end()));
    g.writeString("model", s.model);
    if (!s.storedPrices.empty()) {
        const std::size_t p = toSize(static_cast<Index>(s.paths));
        g.writeFloats("stored_prices", s.storedPrices.data(), {p, s.dates.size(), s.assets.size()},
                      h5::Storage{true});
        g.writeFloats("stored_rates", s.storedRates.data(), {p, s.dates.size()}, h5::Storage{true});
    }
    {
        h5::Group strategies = g.createGroup("strategies");
        for (std::size_t i = 0; i < s.strategies.size(); ++i)
            writeMcStrategy(strategies, s, s.strategies[i], rows[i], levels);
    }
    if (s.realised) writeRealised(g, *s.realised);
}

std::string strategyGroupPath(const ScenarioRun& s, const StrategyRun& r) {
    return "/scenarios/" + hdf5GroupName(s.name) + "/strategies/" + hdf5GroupName(r.name);
}

}  // namespace

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

void writeResultsHdf5(const RunResults& results, const std::string& path) {
    validate(results);
    const std::vector<std::string> names = metricNames();

    // Rows first: every date lookup is checked before the file is created.
    std::vector<std::vector<MetricsRow>> rows;
    std::vector<MetricsRow> allRows;
    for (const ScenarioRun& s : results.scenarios) {
        rows.emplace_back();
        for (const StrategyRun& r : s.strategies) {
            rows.back().push_back(metricsRow(s, r, strategyGroupPath(s, r), names.size()));
            allRows.push_back(rows.back().back());
        }
    }

    std::set<double> levelSet;
    for (const McScenarioRun& s : results.monteCarlo)
        levelSet.insert(s.percentiles.begin(), s.percentiles.end());
    const std::vector<double> levels(levelSet.begin(), levelSet.end());
    std::set<std::string> fieldNames;
    for (double q : levels)
        ROTOR_REQUIRE(fieldNames.insert(percentileFieldName(q)).second,
                      "percentile levels collide in the field name " << percentileFieldName(q));
    std::vector<std::vector<McRow>> mcRows;
    std::vector<McRow> allMcRows;
    for (const McScenarioRun& s : results.monteCarlo) {
        mcRows.emplace_back();
        for (const McStrategyRun& r : s.strategies) {
            mcRows.back().push_back(mcRow(s, r, levels));
            allMcRows.push_back(mcRows.back().back());
        }
    }

    h5::File file(path);
    writeProvenance(file, results.provenance);
    file.writeTable("metrics", metricsTable(allRows, names));
    if (!results.monteCarlo.empty()) file.writeTable("mc_summary", mcTable(allMcRows, levels));
    {
        h5::Group scenarios = file.createGroup("scenarios");
        for (std::size_t i = 0; i < results.scenarios.size(); ++i)
            writeScenario(scenarios, results.scenarios[i], rows[i], names);
        for (std::size_t i = 0; i < results.monteCarlo.size(); ++i)
            writeMcScenario(scenarios, results.monteCarlo[i], mcRows[i], levels);
    }
    file.close();
}

}  // namespace rotor
