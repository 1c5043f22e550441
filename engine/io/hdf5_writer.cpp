// SPDX-License-Identifier: MIT
// RunResults -> HDF5: provenance, one /metrics table, and per-scenario/per-strategy groups.
#include "engine/io/hdf5_writer.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_file.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

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

// Every inconsistency is found before the file is touched, so the error names the culprit.
void validate(const RunResults& results) {
    std::set<std::string> scenarioNames;
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

std::string strategyGroupPath(const ScenarioRun& s, const StrategyRun& r) {
    return "/scenarios/" + hdf5GroupName(s.name) + "/strategies/" + hdf5GroupName(r.name);
}

}  // namespace

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

    h5::File file(path);
    writeProvenance(file, results.provenance);
    file.writeTable("metrics", metricsTable(allRows, names));
    {
        h5::Group scenarios = file.createGroup("scenarios");
        for (std::size_t i = 0; i < results.scenarios.size(); ++i)
            writeScenario(scenarios, results.scenarios[i], rows[i], names);
    }
    file.close();
}

}  // namespace rotor
