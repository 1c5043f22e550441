// SPDX-License-Identifier: MIT
// Assembles the HTML report: page shell, navigation, per-scenario sections (report_sections.hpp),
// provenance.
#include "engine/report/html_report.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/report/html_page.hpp"
#include "engine/report/report_sections.hpp"
#include "engine/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace rotor::report {

namespace sections {

using html::esc;

std::string anchor(std::size_t i) { return "s" + std::to_string(i + 1); }

void compareTableHtml(std::ostringstream& h, const CompareTable& t, const std::string& scenario) {
    std::vector<const CompareRow*> rows;
    for (const auto& r : t.rows)
        if (r.scenario == scenario) rows.push_back(&r);
    std::vector<const MetricColumn*> cols;
    for (const auto& c : t.columns)
        for (const auto* r : rows)
            if (r->values.contains(c.key)) {
                cols.push_back(&c);
                break;
            }
    const std::string rankedBy = rows.empty() ? "" : rows.front()->rankedBy;
    h << "<div class=\"scroll\"><table "
         "class=\"compare\"><tr><th>rank</th><th>strategy</th><th>type</th>";
    for (const auto* c : cols) h << "<th>" << esc(c->label) << "</th>";
    h << "</tr>";
    for (const auto* r : rows) {
        const char* cls = r->status != "ok" ? " class=\"failed\""
                          : r->benchmark    ? " class=\"bm\""
                                            : "";
        h << "<tr" << cls << "><td class=\"n\">" << (r->rank ? std::to_string(r->rank) : r->status)
          << "</td><td>" << esc(r->strategy) << (r->benchmark ? " (benchmark)" : "") << "</td><td>"
          << esc(r->type) << "</td>";
        for (const auto* c : cols)
            h << "<td class=\"n\">" << esc(formatValue(r->value(c->key), c->unit)) << "</td>";
        h << "</tr>";
    }
    h << "</table></div><p class=\"note\">Ranked by " << esc(rankedBy)
      << "; the benchmark row is in bold.</p>";
}

std::vector<double> divide(const std::vector<double>& v, double by) {
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] / by;
    return out;
}

std::vector<double> drawdown(const std::vector<double>& equity) {
    std::vector<double> out(equity.size());
    double high = -INFINITY;
    for (std::size_t i = 0; i < equity.size(); ++i) {
        high = std::max(high, equity[i]);
        out[i] = equity[i] / high - 1.0;  // <= 0: the fall from the running high
    }
    return out;
}

// Background of a heatmap cell: red for losses, green for gains, paler towards 0; `scale` is
// the magnitude that gets the strongest colour.
std::string heatColor(double v, double scale) {
    if (!std::isfinite(v) || !(scale > 0)) return "#ffffff";
    const double t = std::min(std::fabs(v) / scale, 1.0);
    const auto mix = [&](int from, int to) {
        return static_cast<int>(std::lround(from + (to - from) * t * 0.85));
    };
    char buf[16];
    if (v >= 0)
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(255, 26), mix(255, 152), mix(255, 80));
    else
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(255, 214), mix(255, 48), mix(255, 39));
    return buf;
}

// A drawdown or any loss shown to people: a negative percentage (stored as a positive depth).
std::string lossText(double depth) {
    return formatValue(std::isnan(depth) ? depth : -depth, Unit::Fraction);
}

std::string dateAt(const std::vector<std::string>& dates, double index) {
    if (!(index >= 0) || index >= static_cast<double>(dates.size())) return "";
    return dates[static_cast<std::size_t>(index)];
}

}  // namespace sections

namespace {

using namespace sections;
using html::esc;
using html::fmt;
using html::keyValueTable;

// Trade rows per strategy in a sweep's full cell (the results file holds them all).
constexpr std::size_t kSweepTradeRows = 20;

void scenarioSection(std::ostringstream& h, const ScenarioData& s, std::size_t index,
                     const CompareTable& table, const ResultsData& d,
                     std::size_t maxTrades = 5000) {
    h << "<section class=\"scenario\" id=\"" << anchor(index) << "\" data-mode=\""
      << esc(s.monteCarlo() ? "monte_carlo" : "historical") << "\"><h2>" << esc(s.name) << "</h2>";
    if (!s.description.empty()) h << "<p>" << esc(s.description) << "</p>";
    std::vector<std::pair<std::string, std::string>> kv = {
        {"mode", s.mode},
        {"period", s.dates.empty() ? ""
                                   : s.dates.front() + " to " + s.dates.back() + " (" +
                                         std::to_string(s.dates.size()) + " trading days)"},
        {"assets",
         [&] {
             std::string a;
             for (const auto& x : s.assets) a += (a.empty() ? "" : ", ") + x;
             return a;
         }()},
        {"benchmark", s.benchmark.empty() ? "(none)" : s.benchmark},
        {"initial capital", fmt(s.initialCapital, "%.2f")},
    };
    if (s.monteCarlo()) {
        kv.push_back({"paths", std::to_string(s.paths)});
        kv.push_back({"seed", std::to_string(s.seed)});
        std::string pct;
        for (double p : s.percentiles) pct += (pct.empty() ? "" : ", ") + fmt(p, "%g");
        kv.push_back({"percentiles", pct});
        if (s.checkpointDay >= 0) {
            const auto day = static_cast<std::size_t>(s.checkpointDay);
            kv.push_back(
                {"checkpoint day", std::to_string(s.checkpointDay) +
                                       (day < s.dates.size() ? " (" + s.dates[day] + ")" : "")});
        }
        if (!s.regimeNames.empty()) {
            std::vector<std::size_t> counts(s.regimeNames.size(), 0);
            for (double r : s.regimeOfPath)
                if (r >= 0 && static_cast<std::size_t>(r) < counts.size())
                    ++counts[static_cast<std::size_t>(r)];
            std::string regimes;
            for (std::size_t i = 0; i < counts.size(); ++i)
                regimes += (regimes.empty() ? "" : ", ") + s.regimeNames[i] + " (" +
                           std::to_string(counts[i]) + " paths)";
            kv.push_back({"regimes", regimes});
        }
    }
    keyValueTable(h, kv, "params");
    h << "<h3>Comparison</h3>";
    compareTableHtml(h, table, s.name);
    for (const auto* info : [&] {
             std::vector<const StrategyInfo*> v;
             for (const auto& x : s.history) v.push_back(&x);
             for (const auto& x : s.mc) v.push_back(&x);
             return v;
         }())
        if (!info->ok())
            h << "<p class=\"note\">" << esc(info->name) << " failed: " << esc(info->error)
              << "</p>";
    if (s.monteCarlo())
        monteCarloSection(h, s);
    else
        historySection(h, s, d, maxTrades);
    h << "</section>";
}

// A sweep cell other than the one shown in full: its headline numbers and one chart.
void compactCellSection(std::ostringstream& h, const ScenarioData& s, std::size_t index,
                        const CompareTable& table, const ResultsData& d) {
    h << "<section class=\"cell-summary\" id=\"" << anchor(index) << "\" data-mode=\""
      << esc(s.monteCarlo() ? "monte_carlo" : "historical") << "\"><h2>" << esc(s.name) << "</h2>";
    if (s.monteCarlo())
        monteCarloCellSummary(h, s, table);
    else
        historyCellSummary(h, s, d);
    h << "</section>";
}

}  // namespace

std::string renderReport(const ResultsData& data, const ReportOptions& options) {
    const CompareTable table = buildComparison({&data}, options.metric, CompareBy::Scenario);
    const std::vector<Sweep> sweeps = findSweeps(data);
    std::vector<int> sweepOf(data.scenarios.size(), -1);
    for (std::size_t k = 0; k < sweeps.size(); ++k)
        for (std::size_t i : sweeps[k].scenarios) sweepOf[i] = static_cast<int>(k);
    std::ostringstream h;
    const std::string title = "rotor report: " + data.path;
    html::pageStart(h, title, data);
    h << "<nav>";
    for (std::size_t k = 0; k < data.walkForward.size(); ++k)
        h << "<a href=\"#wf" << k + 1 << "\">walk-forward " << esc(data.walkForward[k].name)
          << "</a>";
    for (std::size_t k = 0; k < sweeps.size(); ++k)
        h << "<a href=\"#sweep" << k + 1 << "\">sweep " << esc(sweeps[k].base) << "</a>";
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        if (sweepOf[i] < 0)
            h << "<a href=\"#" << anchor(i) << "\">" << esc(data.scenarios[i].name) << "</a>";
    h << "<a href=\"#provenance\">provenance</a></nav>";
    // --cell must name a sweep cell of the file.
    if (!options.cell.empty() && std::none_of(sweeps.begin(), sweeps.end(), [&](const Sweep& sw) {
            return std::any_of(sw.scenarios.begin(), sw.scenarios.end(), [&](std::size_t i) {
                return data.scenarios[i].name == options.cell;
            });
        })) {
        std::string known;
        for (const auto& sw : sweeps)
            for (std::size_t i : sw.scenarios)
                known += (known.empty() ? "" : ", ") + data.scenarios[i].name;
        throw InputError(
            "report: --cell " + options.cell + " is not a sweep cell of " + data.path +
            (known.empty() ? std::string(" (it has no sweep)") : " (cells: " + known + ")"));
    }
    for (std::size_t k = 0; k < data.walkForward.size(); ++k)
        walkForwardSection(h, data.walkForward[k], data, k);
    for (std::size_t k = 0; k < sweeps.size(); ++k) {
        sweepSection(h, data, sweeps[k], table, options, k);
        // One cell in full (its whole tear sheet), the others compact: six full sheets of a
        // 25-year history made a 9 MB page.
        const std::size_t full = fullCell(data, sweeps[k], table, options.cell);
        h << "<p class=\"note\">The full tear sheet is shown for " << esc(data.scenarios[full].name)
          << (options.cell.empty() ? " (the cell of the best row by the ranking metric)" : "")
          << "; the other cells show their headline numbers and equity. <code>rotor report "
             "--cell NAME</code> shows another cell in full.</p>";
        for (std::size_t i : sweeps[k].scenarios) {
            if (i == full) {
                h << "<details class=\"cell\" open><summary>" << esc(data.scenarios[i].name)
                  << " (full tear sheet)</summary>";
                scenarioSection(h, data.scenarios[i], i, table, data, kSweepTradeRows);
            } else {
                h << "<details class=\"cell\" open><summary>" << esc(data.scenarios[i].name)
                  << "</summary>";
                compactCellSection(h, data.scenarios[i], i, table, data);
            }
            h << "</details>";
        }
    }
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        if (sweepOf[i] < 0) scenarioSection(h, data.scenarios[i], i, table, data);
    // A seed draws nothing in a file without a Monte Carlo scenario: showing it would suggest
    // the history depends on it.
    html::provenanceSection(h, data,
                            std::any_of(data.scenarios.begin(), data.scenarios.end(),
                                        [](const ScenarioData& s) { return s.monteCarlo(); }));
    h << "</body></html>\n";
    return h.str();
}

void writeReport(const ResultsData& data, const std::string& path, bool force,
                 const ReportOptions& options) {
    checkOutputWritable(path, force);
    html::writePage(renderReport(data, options), path, force);
}

}  // namespace rotor::report
