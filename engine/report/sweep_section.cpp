// SPDX-License-Identifier: MIT
// The report of a sweep (summary table, heatmaps over two swept parameters) and of a walk-forward.
#include "engine/report/html_page.hpp"
#include "engine/report/report_sections.hpp"
#include "engine/report/svg_chart.hpp"
#include "engine/report/tearsheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace rotor::report::sections {

namespace {

using html::esc;

// A sweep cell's name, `<base>__<label>=<value>__...` (docs/composition.md), split up; `params`
// is empty for a name of any other form.
struct CellName {
    std::string base;
    std::vector<std::pair<std::string, std::string>> params;
};

CellName parseCellName(const std::string& name) {
    CellName c;
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (true) {
        const std::size_t at = name.find("__", from);
        parts.push_back(name.substr(from, at == std::string::npos ? std::string::npos : at - from));
        if (at == std::string::npos) break;
        from = at + 2;
    }
    if (parts.size() < 2 || parts.front().empty()) return c;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t eq = parts[i].find('=');
        if (eq == std::string::npos || eq == 0) return {};
        c.params.push_back({parts[i].substr(0, eq), parts[i].substr(eq + 1)});
    }
    c.base = parts.front();
    return c;
}

std::vector<std::string> distinct(const Sweep& sw, std::size_t label) {
    std::vector<std::string> v;
    for (const auto& cell : sw.values)
        if (std::find(v.begin(), v.end(), cell[label]) == v.end()) v.push_back(cell[label]);
    return v;
}

const CompareRow* findCompareRow(const CompareTable& t, const std::string& scenario,
                                 const std::string& strategy) {
    for (const auto& r : t.rows)
        if (r.scenario == scenario && r.strategy == strategy) return &r;
    return nullptr;
}

}  // namespace

std::vector<Sweep> findSweeps(const ResultsData& d) {
    std::vector<Sweep> out;
    for (std::size_t i = 0; i < d.scenarios.size(); ++i) {
        const CellName c = parseCellName(d.scenarios[i].name);
        if (c.params.empty()) continue;
        std::vector<std::string> labels, values;
        for (const auto& [l, v] : c.params) {
            labels.push_back(l);
            values.push_back(v);
        }
        auto it = std::find_if(out.begin(), out.end(), [&](const Sweep& s) {
            return s.base == c.base && s.labels == labels;
        });
        if (it == out.end()) {
            out.push_back({c.base, labels, {}, {}});
            it = out.end() - 1;
        }
        it->scenarios.push_back(i);
        it->values.push_back(values);
    }
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Sweep& s) { return s.scenarios.size() < 2; }),
              out.end());
    return out;
}

std::size_t fullCell(const ResultsData& d, const Sweep& sw, const CompareTable& table,
                     const std::string& requested) {
    for (std::size_t i : sw.scenarios)
        if (d.scenarios[i].name == requested) return i;
    std::size_t best = sw.scenarios.front();
    double bestValue = kNaN;
    bool higher = true;
    for (std::size_t i : sw.scenarios)
        for (const auto& r : table.rows) {
            if (r.scenario != d.scenarios[i].name || r.rank == 0) continue;
            const MetricColumn* c = findColumn(r.rankedBy);
            higher = !c || c->higherIsBetter;
            const double v = r.value(r.rankedBy);
            if (std::isnan(bestValue) || (higher ? v > bestValue : v < bestValue)) {
                bestValue = v;
                best = i;
            }
        }
    return best;
}

// One table over every cell and strategy, then, per strategy, a heatmap of the ranking metric
// over two swept parameters (one heatmap per combination of any further parameters).
void sweepSection(std::ostringstream& h, const ResultsData& d, const Sweep& sw,
                  const CompareTable& table, const ReportOptions& opt, std::size_t index) {
    const ScenarioData& first = d.scenarios[sw.scenarios.front()];
    const std::vector<std::string> strategies = first.strategyNames();
    h << "<section class=\"sweep\" id=\"sweep" << index + 1 << "\"><h2>Sweep " << esc(sw.base)
      << ": " << sw.scenarios.size() << " cells</h2>";
    // Summary columns: those of the mode that the cells have.
    std::vector<std::string> keys =
        first.monteCarlo()
            ? std::vector<std::string>{"median", "p05", "p95", "prob_loss", "median_max_drawdown"}
            : std::vector<std::string>{"cagr",    "volatility",   "sharpe",
                                       "sortino", "max_drawdown", "calmar"};
    h << "<h3>Summary</h3><div class=\"scroll\"><table class=\"sweep-summary\"><tr>";
    for (const auto& l : sw.labels) h << "<th>" << esc(l) << "</th>";
    h << "<th>strategy</th>";
    for (const auto& k : keys) {
        const MetricColumn* c = findColumn(k);
        h << "<th>" << esc(c ? c->label : k) << "</th>";
    }
    h << "</tr>";
    for (std::size_t c = 0; c < sw.scenarios.size(); ++c)
        for (const auto& st : strategies) {
            const CompareRow* r = findCompareRow(table, d.scenarios[sw.scenarios[c]].name, st);
            h << "<tr>";
            for (const auto& v : sw.values[c]) h << "<td>" << esc(v) << "</td>";
            h << "<td>" << esc(st) << "</td>";
            for (const auto& k : keys) {
                const MetricColumn* col = findColumn(k);
                const double v = r ? r->value(k) : kNaN;
                h << "<td class=\"n\">"
                  << (k == "max_drawdown" || k == "median_max_drawdown"
                          ? lossText(v)
                          : formatValue(v, col ? col->unit : Unit::Ratio))
                  << "</td>";
            }
            h << "</tr>";
        }
    h << "</table></div>";

    if (sw.labels.size() < 2) {
        h << "</section>";
        return;
    }
    // The two axes: as asked (--axes), else the first two swept parameters.
    std::size_t ax = 0, ay = 1;
    const auto labelIndex = [&](const std::string& l) {
        return static_cast<std::size_t>(std::find(sw.labels.begin(), sw.labels.end(), l) -
                                        sw.labels.begin());
    };
    if (!opt.axisX.empty()) {
        if (labelIndex(opt.axisX) >= sw.labels.size() ||
            labelIndex(opt.axisY) >= sw.labels.size() || opt.axisX == opt.axisY) {
            std::string known;
            for (const auto& l : sw.labels) known += (known.empty() ? "" : ", ") + l;
            throw InputError("report: --axes " + opt.axisX + "," + opt.axisY + ": sweep " +
                             sw.base + " needs two different parameters of: " + known);
        }
        ax = labelIndex(opt.axisX);
        ay = labelIndex(opt.axisY);
    }
    const auto xs = distinct(sw, ax), ys = distinct(sw, ay);
    // The remaining parameters' combinations, each a separate heatmap.
    std::vector<std::string> others;
    for (const auto& cell : sw.values) {
        std::string o;
        for (std::size_t l = 0; l < sw.labels.size(); ++l)
            if (l != ax && l != ay) o += (o.empty() ? "" : ", ") + sw.labels[l] + "=" + cell[l];
        if (std::find(others.begin(), others.end(), o) == others.end()) others.push_back(o);
    }
    std::string metric;
    for (const auto& st : strategies) {
        for (const auto& o : others) {
            std::vector<std::vector<double>> grid(ys.size(), std::vector<double>(xs.size(), kNaN));
            const MetricColumn* col = nullptr;
            for (std::size_t c = 0; c < sw.scenarios.size(); ++c) {
                std::string co;
                for (std::size_t l = 0; l < sw.labels.size(); ++l)
                    if (l != ax && l != ay)
                        co += (co.empty() ? "" : ", ") + sw.labels[l] + "=" + sw.values[c][l];
                if (co != o) continue;
                const CompareRow* r = findCompareRow(table, d.scenarios[sw.scenarios[c]].name, st);
                if (!r) continue;
                metric = r->rankedBy;
                col = findColumn(metric);
                const auto xi = static_cast<std::size_t>(
                    std::find(xs.begin(), xs.end(), sw.values[c][ax]) - xs.begin());
                const auto yi = static_cast<std::size_t>(
                    std::find(ys.begin(), ys.end(), sw.values[c][ay]) - ys.begin());
                grid[yi][xi] = r->value(metric);
            }
            double lo = INFINITY, hi = -INFINITY;
            for (const auto& row : grid)
                for (double v : row)
                    if (std::isfinite(v)) {
                        lo = std::min(lo, v);
                        hi = std::max(hi, v);
                    }
            const bool higherBetter = col ? col->higherIsBetter : true;
            // A grid whose values all read the same gets no colours: shading differences that
            // the shown digits hide would only mislead.
            const Unit unit = col ? col->unit : Unit::Ratio;
            const bool flat = !(hi > lo) || formatValue(lo, unit) == formatValue(hi, unit);
            h << "<h3>" << esc(st) << ": " << esc(metric) << " by " << esc(sw.labels[ay])
              << " (rows) and " << esc(sw.labels[ax]) << " (columns)"
              << (o.empty() ? "" : "; " + esc(o)) << "</h3>"
              << "<div class=\"scroll\"><table class=\"heatmap\" data-metric=\"" << esc(metric)
              << "\"><tr><th>" << esc(sw.labels[ay]) << " \\ " << esc(sw.labels[ax]) << "</th>";
            for (const auto& x : xs) h << "<th>" << esc(x) << "</th>";
            h << "</tr>";
            for (std::size_t yi = 0; yi < ys.size(); ++yi) {
                h << "<tr><th>" << esc(ys[yi]) << "</th>";
                for (std::size_t xi = 0; xi < xs.size(); ++xi) {
                    const double v = grid[yi][xi];
                    // Green is better, red worse, relative to the grid's middle.
                    const double mid = (lo + hi) / 2, half = (hi - lo) / 2;
                    const double score = std::isfinite(v) && half > 0 && !flat
                                             ? (higherBetter ? v - mid : mid - v) / half
                                             : kNaN;
                    h << "<td style=\"background:" << heatColor(score, 1.0) << "\">"
                      << formatValue(v, col ? col->unit : Unit::Ratio) << "</td>";
                }
                h << "</tr>";
            }
            h << "</table></div>";
        }
    }
    h << "<p class=\"note\">Heatmaps show " << esc(metric)
      << " (choose with <code>rotor report --metric</code>, axes with <code>--axes X,Y</code>); "
         "green is better. Each cell's full section follows, collapsed.</p></section>";
}

// A walk-forward: the stitched out-of-sample curve beside the hindsight-best cell over the same
// days, the overfitting gap, and the choice made at every step.
void walkForwardSection(std::ostringstream& h, const WalkForwardData& w, const ResultsData& d,
                        std::size_t index) {
    const auto fmt = [&](double v) {
        char buf[32];
        if (!std::isfinite(v)) return std::string("-");
        const bool ratio = w.metric == "sharpe" || w.metric == "sortino" || w.metric == "calmar" ||
                           w.metric == "turnover";
        std::snprintf(buf, sizeof buf, ratio ? "%.2f" : "%.2f%%", ratio ? v : 100.0 * v);
        return std::string(buf);
    };
    h << "<section id=\"wf" << index + 1 << "\"><h2>walk-forward " << esc(w.name) << "</h2>";
    const bool anchored = w.window == "anchored";
    h << "<p>" << esc(w.strategy) << " chosen by " << esc(w.metric) << " (" << esc(w.goal)
      << ") on "
      << (anchored ? "every trading day up to the choice (anchored; first choice after " : "")
      << w.inSample << " in-sample trading days" << (anchored ? ")" : "") << ", traded "
      << w.outOfSample << " out of sample, every " << w.step
      << " trading days (docs/walk-forward.md).</p>";
    h << "<table><tr><th></th><th>" << esc(w.metric) << "</th></tr>";
    h << "<tr><td>stitched out-of-sample " << esc(w.dates.empty() ? "" : w.dates.front()) << " .. "
      << esc(w.dates.empty() ? "" : w.dates.back()) << "</td><td>" << fmt(w.stitchedMetric)
      << "</td></tr>";
    h << "<tr><td>in-sample best over the whole period (" << esc(w.bestCell) << ")</td><td>"
      << fmt(w.bestFullPeriodMetric) << "</td></tr>";
    h << "<tr><td>the same cell on the stitched days</td><td>" << fmt(w.bestOnStitchedDaysMetric)
      << "</td></tr>";
    h << "<tr><td>gap (whole-period best − stitched)</td><td>"
      << fmt(w.bestFullPeriodMetric - w.stitchedMetric) << "</td></tr></table>";

    // Wealth from the stitched curve's first day: it and the hindsight-best cell's equity.
    std::vector<LineSeries> lines;
    if (!w.equity.empty() && w.equity.front() > 0)
        lines.push_back({"stitched out-of-sample", divide(w.equity, w.equity.front()), "#1f77b4"});
    for (const ScenarioData& s : d.scenarios) {
        if (s.name != w.bestCell || w.dates.empty()) continue;
        const auto first = std::find(s.dates.begin(), s.dates.end(), w.dates.front());
        for (const HistoryStrategy& st : s.history) {
            if (st.name != w.strategy || first == s.dates.end()) continue;
            const auto at = static_cast<std::size_t>(first - s.dates.begin());
            if (st.equity.size() != s.dates.size() || !(st.equity[at] > 0)) continue;
            const std::vector<double> tail(st.equity.begin() + static_cast<std::ptrdiff_t>(at),
                                           st.equity.end());
            lines.push_back(
                {"hindsight best: " + w.bestCell, divide(tail, tail.front()), "#d62728", true});
        }
    }
    ChartFrame frame{"equity", "Wealth from the first out-of-sample day", w.dates, Unit::Wealth};
    h << lineChart(frame, {}, lines);

    h << "<table><tr><th>step</th><th>in-sample</th><th>out-of-sample</th><th>chosen</th><th>IS "
      << esc(w.metric) << "</th><th>OOS " << esc(w.metric) << "</th></tr>";
    for (std::size_t k = 0; k < w.steps.rows; ++k) {
        std::string chosen;
        for (const std::string& f : w.steps.fields)
            if (f.rfind("param_", 0) == 0)
                chosen += (chosen.empty() ? "" : " ") + f.substr(6) + "=" + w.steps.text(f, k);
        if (chosen.empty()) chosen = w.steps.text("cell_name", k);
        h << "<tr><td>" << k + 1 << "</td><td>" << esc(w.steps.text("in_sample_start", k)) << " .. "
          << esc(w.steps.text("in_sample_end", k)) << "</td><td>"
          << esc(w.steps.text("out_of_sample_start", k)) << " .. "
          << esc(w.steps.text("out_of_sample_end", k)) << "</td><td>" << esc(chosen) << "</td><td>"
          << fmt(w.steps.number("in_sample_metric", k)) << "</td><td>"
          << fmt(w.steps.number("out_of_sample_metric", k)) << "</td></tr>";
    }
    h << "</table></section>";
}

}  // namespace rotor::report::sections
