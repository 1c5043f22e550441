// SPDX-License-Identifier: MIT
// Assembles the HTML report: page shell, per-scenario sections with tables and charts, provenance.
#include "engine/report/html_report.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/report/compare.hpp"
#include "engine/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace rotor::report {

namespace {

// A history's wealth chart is drawn on a log scale once its lines span this factor or more.
constexpr double kLogScaleRatio = 4.0;

const char* kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;
max-width:960px;color:#222;padding:0 12px}
h1{font-size:22px}h2{font-size:19px;border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:40px}
h3{font-size:15px;margin:22px 0 6px}
table{border-collapse:collapse;margin:8px 0;font-size:12.5px}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f5f8}
tr.bm td{font-weight:600}tr.failed td{color:#a00}
pre{background:#f6f8fa;border:1px solid #ddd;padding:8px;overflow:auto;font-size:12px;max-height:420px}
svg.chart{display:block;margin:6px 0 14px;max-width:100%;height:auto;background:#fff}
svg .ct{font-size:13px;font-weight:600;fill:#222}svg .lg,svg .tk{font-size:11px;fill:#444}
svg .grid{stroke:#e5e5e5;stroke-width:1}svg .axis{stroke:#888;stroke-width:1}
.note{color:#666;font-size:12px}nav a{margin-right:12px}
)";

std::string esc(const std::string& s) { return xmlEscape(s); }

std::string fmt(double v, const char* f) {
    if (std::isnan(v)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string anchor(std::size_t i) { return "s" + std::to_string(i + 1); }

void keyValueTable(std::ostringstream& h,
                   const std::vector<std::pair<std::string, std::string>>& kv, const char* cls) {
    h << "<table class=\"" << cls << "\">";
    for (const auto& [k, v] : kv)
        h << "<tr><th>" << esc(k) << "</th><td>" << esc(v) << "</td></tr>";
    h << "</table>";
}

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
    h << "<table class=\"compare\"><tr><th>rank</th><th>strategy</th><th>type</th>";
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
    h << "</table><p class=\"note\">Ranked by " << esc(rankedBy)
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

void historySection(std::ostringstream& h, const ScenarioData& s) {
    const double capital = s.initialCapital > 0 ? s.initialCapital : 1.0;
    std::vector<LineSeries> equity, dd;
    std::size_t color = 0;
    for (const auto& st : s.history) {
        if (!st.ok() || st.equity.empty()) {
            ++color;
            continue;
        }
        const bool bm = st.name == s.benchmark;
        const std::string c = bm ? std::string("#000000") : paletteColor(color);
        const std::string label = bm ? st.name + " (benchmark)" : st.name;
        equity.push_back({label, divide(st.equity, capital), c, bm, bm ? 2.0 : 1.5});
        dd.push_back({label, drawdown(st.equity), c, bm, bm ? 2.0 : 1.2});
        ++color;
    }
    // Decades of compounding read better on a log scale: there, equal heights are equal
    // returns, and the early years are not flattened against the axis.
    double lo = INFINITY, hi = 0.0;
    for (const auto& l : equity)
        for (double v : l.y)
            if (std::isfinite(v) && v > 0) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    ChartFrame wealth{"equity", "Wealth (equity / initial capital)", s.dates, Unit::Wealth};
    if (hi >= kLogScaleRatio * lo) {
        wealth.logY = true;
        wealth.title += ", log scale";
    }
    h << "<h3>Equity</h3>" << lineChart(wealth, {}, equity);
    h << "<h3>Drawdowns</h3>"
      << lineChart({"drawdown", "Drawdown from the running high", s.dates, Unit::Fraction}, {}, dd);
    h << "<h3>Weights over time</h3>";
    for (const auto& st : s.history) {
        if (!st.ok() || st.weights.rows == 0) continue;
        std::vector<LineSeries> layers;
        for (std::size_t a = 0; a < st.weights.cols; ++a) {
            std::vector<double> w(st.weights.rows);
            for (std::size_t t = 0; t < st.weights.rows; ++t) w[t] = st.weights.at(t, a);
            layers.push_back({a < s.assets.size() ? s.assets[a] : "asset " + std::to_string(a),
                              std::move(w), paletteColor(a), false, 1.0});
        }
        h << stackedAreaChart({"weights",
                               st.name + ": end-of-day weights (cash is the gap to 100%)", s.dates,
                               Unit::Fraction, 920, 240},
                              layers);
    }
    h << "<h3>Cash rate</h3>"
      << lineChart({"rate", "Cash rate (annual %)", s.dates, Unit::Percent, 920, 220}, {},
                   {{"cash rate", s.cashRate, paletteColor(0), false, 1.5}});
}

// Bands from the outermost percentile pair inwards, darker towards the median.
std::vector<BandSeries> fanBands(const Grid& g, const std::vector<double>& pct,
                                 const std::string& color) {
    std::vector<BandSeries> bands;
    const std::size_t q = g.cols;
    for (std::size_t i = 0; i < q / 2; ++i) {
        BandSeries b;
        b.label = "p" + fmt(pct[i], "%g") + "–p" + fmt(pct[q - 1 - i], "%g");
        b.color = color;
        b.opacity = 0.15 + 0.15 * static_cast<double>(i);
        b.lo.resize(g.rows);
        b.hi.resize(g.rows);
        for (std::size_t t = 0; t < g.rows; ++t) {
            b.lo[t] = g.at(t, i);
            b.hi[t] = g.at(t, q - 1 - i);
        }
        bands.push_back(std::move(b));
    }
    return bands;
}

// The column of the median (the level closest to 50).
std::vector<double> medianColumn(const Grid& g, const std::vector<double>& pct) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < pct.size(); ++i)
        if (std::fabs(pct[i] - 50) < std::fabs(pct[best] - 50)) best = i;
    std::vector<double> out(g.rows);
    for (std::size_t t = 0; t < g.rows && best < g.cols; ++t) out[t] = g.at(t, best);
    return out;
}

void monteCarloSection(std::ostringstream& h, const ScenarioData& s) {
    const McStrategy* bench = nullptr;
    for (const auto& m : s.mc)
        if (m.name == s.benchmark && m.ok() && m.equityBands.rows) bench = &m;

    if (s.realised) {
        h << "<h3>Forecast against outcome</h3><p class=\"note\">The first "
          << s.realised->dates.size() << " simulated days are already covered by data ("
          << esc(s.realised->dates.empty() ? "" : s.realised->dates.front()) << " to "
          << esc(s.realised->dates.empty() ? "" : s.realised->dates.back())
          << "); the strategies were replayed on them. The percentile rank is the share of "
             "simulated paths that ended that day below the realised wealth.";
        if (!s.realised->endedBy.empty()) {
            h << " The replay ends where the first series runs out: " << esc(s.realised->endedBy)
              << ".";
        }
        h << "</p>";
        if (!s.realised->coverage.empty()) {
            h << "<ul class=\"note\">";
            for (const auto& c : s.realised->coverage) h << "<li>" << esc(c) << "</li>";
            h << "</ul>";
        }
        h << "<table class=\"realised\"><tr><th>strategy</th><th>realised wealth</th>"
             "<th>realised return</th><th>percentile rank</th></tr>";
        for (const auto& r : s.realised->strategies) {
            const double w = r.wealth.empty() ? kNaN : r.wealth.back();
            h << "<tr><td>" << esc(r.name) << "</td><td class=\"n\">"
              << formatValue(w, Unit::Wealth) << "</td><td class=\"n\">"
              << formatValue(w - 1.0, Unit::Fraction) << "</td><td class=\"n\">"
              << formatValue(r.percentileRank, Unit::Percent) << "</td></tr>";
        }
        h << "</table>";
    }

    h << "<h3>Wealth percentiles</h3>";
    std::size_t color = 0;
    for (const auto& m : s.mc) {
        const std::string& c = paletteColor(color++);
        if (!m.ok() || m.equityBands.rows == 0) continue;
        std::vector<LineSeries> lines = {
            {m.name + " median", medianColumn(m.equityBands, s.percentiles), c, false, 2.0}};
        if (bench && bench != &m)
            lines.push_back({bench->name + " median (benchmark)",
                             medianColumn(bench->equityBands, s.percentiles), "#000000", true,
                             1.5});
        if (s.realised)
            if (const RealisedSeries* r = s.realised->find(m.name))
                lines.push_back({m.name + " realised", r->wealth, "#D55E00", false, 2.2});
        h << lineChart({"fan", m.name + ": wealth (equity / initial capital) by percentile",
                        s.dates, Unit::Wealth},
                       fanBands(m.equityBands, s.percentiles, c), lines);
    }

    h << "<h3>Distribution of terminal wealth</h3>";
    for (const auto& m : s.mc) {
        const std::vector<double>* tw = m.path("terminal_wealth");
        if (!m.ok() || !tw || tw->empty()) continue;
        std::vector<double> sorted(*tw);
        std::sort(sorted.begin(), sorted.end());
        h << histogramChart({"histogram",
                             m.name + ": terminal wealth over " + std::to_string(tw->size()) +
                                 " paths (share of paths per bin; p1–p99 shown)",
                             {},
                             Unit::Wealth,
                             920,
                             240},
                            *tw, 40,
                            {{1.0, "break-even"}, {percentileOfSorted(sorted, 50), "median"}});
    }

    std::vector<BoxRow> boxes;
    for (const auto& m : s.mc) {
        const std::vector<double>* dd = m.path("max_drawdown");
        if (!m.ok() || !dd || dd->empty()) continue;
        std::vector<double> v;
        for (double x : *dd)
            if (std::isfinite(x)) v.push_back(x);
        std::sort(v.begin(), v.end());
        boxes.push_back({m.name, percentileOfSorted(v, 5), percentileOfSorted(v, 25),
                         percentileOfSorted(v, 50), percentileOfSorted(v, 75),
                         percentileOfSorted(v, 95)});
    }
    if (!boxes.empty())
        h << "<h3>Drawdowns</h3>"
          << boxPlotChart({"drawdown",
                           "Maximum drawdown per path: p5, p25–p75 box, median, p95",
                           {},
                           Unit::Fraction,
                           920,
                           120},
                          boxes);

    std::vector<LineSeries> realisedRate;
    if (s.realised && !s.realised->cashRate.empty())
        realisedRate.push_back({"realised cash rate", s.realised->cashRate, "#D55E00", false, 2.0});
    std::vector<LineSeries> rateLines = {
        {"median rate", medianColumn(s.rateBands, s.percentiles), paletteColor(0), false, 1.8}};
    rateLines.insert(rateLines.end(), realisedRate.begin(), realisedRate.end());
    h << "<h3>Rate path</h3>"
      << lineChart({"rate", "Cash rate by percentile (annual %)", s.dates, Unit::Percent, 920, 240},
                   fanBands(s.rateBands, s.percentiles, paletteColor(0)), rateLines);

    if (!s.model.empty())
        h << "<details><summary>Resolved model (YAML)</summary><pre>" << esc(s.model)
          << "</pre></details>";
}

void scenarioSection(std::ostringstream& h, const ScenarioData& s, std::size_t index,
                     const CompareTable& table) {
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
            const auto d = static_cast<std::size_t>(s.checkpointDay);
            kv.push_back(
                {"checkpoint day", std::to_string(s.checkpointDay) +
                                       (d < s.dates.size() ? " (" + s.dates[d] + ")" : "")});
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
        historySection(h, s);
    h << "</section>";
}

void provenanceSection(std::ostringstream& h, const ResultsData& d) {
    h << "<section class=\"provenance\" id=\"provenance\"><h2>Provenance</h2>";
    keyValueTable(h, d.attributes, "attributes");
    if (d.dataFiles.rows) {
        h << "<h3>Data files</h3><table class=\"data-files\"><tr><th>path</th><th>sha256</th></tr>";
        for (std::size_t i = 0; i < d.dataFiles.rows; ++i)
            h << "<tr><td>" << esc(d.dataFiles.text("path", i)) << "</td><td><code>"
              << esc(d.dataFiles.text("sha256", i)) << "</code></td></tr>";
        h << "</table>";
    }
    if (!d.scenarioYaml.empty())
        h << "<h3>Scenario file (as given)</h3><pre class=\"yaml\">" << esc(d.scenarioYaml)
          << "</pre>";
    if (!d.resolvedYaml.empty())
        h << "<h3>Resolved configuration</h3><pre class=\"yaml\">" << esc(d.resolvedYaml)
          << "</pre>";
    h << "</section>";
}

}  // namespace

std::string renderReport(const ResultsData& data) {
    const CompareTable table = buildComparison({&data}, "", CompareBy::Scenario);
    std::ostringstream h;
    const std::string title = "rotor report: " + data.path;
    h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<meta name=\"generator\" content=\"rotor " << esc(data.attribute("rotor_version"))
      << "\"><title>" << esc(title) << "</title><style>" << kStyle << "</style></head><body>"
      << "<h1>" << esc(title) << "</h1><p class=\"note\">Written by rotor "
      << esc(data.attribute("rotor_version")) << " (" << esc(data.attribute("git_commit"))
      << "), run created " << esc(data.attribute("created_utc"))
      << ". Scenario file: " << esc(data.attribute("scenario_file")) << ".</p><nav>";
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        h << "<a href=\"#" << anchor(i) << "\">" << esc(data.scenarios[i].name) << "</a>";
    h << "<a href=\"#provenance\">provenance</a></nav>";
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        scenarioSection(h, data.scenarios[i], i, table);
    provenanceSection(h, data);
    h << "</body></html>\n";
    return h.str();
}

void writeReport(const ResultsData& data, const std::string& path, bool force) {
    checkOutputWritable(path, force);
    const std::string html = renderReport(data);
    AtomicOutput out(path, force);
    writeWholeFile(out.tempPath(), html, false);
    out.commit();
}

}  // namespace rotor::report
