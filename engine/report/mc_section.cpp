// SPDX-License-Identifier: MIT
// The report of a Monte Carlo scenario: wealth fans, terminal histograms, drawdowns, rate bands.
#include "engine/montecarlo/distribution.hpp"
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
using html::fmt;

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

}  // namespace

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

    // The sampling error of the headline numbers: what another seed could move them by.
    {
        std::ostringstream t;
        std::size_t shown = 0;
        t << "<h3>Sampling error</h3><div class=\"scroll\"><table class=\"standard-errors\"><tr>"
             "<th>strategy</th><th>mean ret</th><th>median ret</th><th>P(loss)</th>"
             "<th>median CAGR</th></tr>";
        // Returns and probabilities as percentages, as in the comparison table; the error in
        // percentage points (a return W - 1 has the standard error of W).
        const auto pm = [](const Estimate& e, double shift = 0.0) {
            if (std::isnan(e.value)) return std::string("-");
            return formatValue(e.value - shift, Unit::Fraction) + " ± " +
                   fmt(e.stdError * 100.0, "%.2f") + " pp";
        };
        for (const auto& m : s.mc) {
            const std::vector<double>* tw = m.path("terminal_wealth");
            if (!m.ok() || !tw || tw->empty()) continue;
            const std::vector<double>* cagr = m.path("cagr");
            ++shown;
            t << "<tr><td>" << esc(m.name) << "</td><td class=\"n\">" << pm(meanEstimate(*tw), 1.0)
              << "</td><td class=\"n\">" << pm(medianEstimate(*tw), 1.0) << "</td><td class=\"n\">"
              << pm(shareBelowEstimate(*tw, 1.0)) << "</td><td class=\"n\">"
              << (cagr && !cagr->empty() ? pm(medianEstimate(*cagr)) : std::string("-"))
              << "</td></tr>";
        }
        t << "</table></div><p class=\"note\">Returns are terminal wealth − 1. Value ± one "
             "standard error, in percentage points (pp), over the "
          << s.paths
          << " paths: sd/√P for the mean, √(p(1−p)/P) for P(loss), and for medians half the "
             "span of the order statistics that bracket the median with 95% coverage, over "
             "2 × 1.96.</p>";
        if (shown) h << t.str();
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
        // Stored as positive depths; drawn as losses below 0 like every other drawdown.
        std::vector<double> v;
        for (double x : *dd)
            if (std::isfinite(x)) v.push_back(-x);
        std::sort(v.begin(), v.end());
        boxes.push_back({m.name, percentileOfSorted(v, 5), percentileOfSorted(v, 25),
                         percentileOfSorted(v, 50), percentileOfSorted(v, 75),
                         percentileOfSorted(v, 95)});
    }
    if (!boxes.empty())
        h << "<h3>Drawdowns</h3>"
          << boxPlotChart({"drawdown",
                           "Maximum drawdown per path (a loss, below 0): p5, p25–p75 box, median, "
                           "p95",
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
    ChartFrame rateFrame{"rate", "Cash rate by percentile (annual %)", s.dates, Unit::Percent, 920,
                         240};
    // Where the realised rate's data ends: past it the last observation is carried (within the
    // staleness limit), so the flat stretch is not an observed rate.
    if (s.realised && !s.realised->rateLastObservation.empty() && !s.dates.empty() &&
        s.dates.front() <= s.realised->rateLastObservation) {
        const std::size_t last = static_cast<std::size_t>(
            std::upper_bound(s.dates.begin(), s.dates.end(), s.realised->rateLastObservation) -
            s.dates.begin() - 1);
        if (last < s.realised->dates.size())
            rateFrame.markers.push_back({last, "rate data end " + s.realised->rateLastObservation});
    }
    h << "<h3>Rate path</h3>"
      << lineChart(rateFrame, fanBands(s.rateBands, s.percentiles, paletteColor(0)), rateLines);
    if (!rateFrame.markers.empty())
        h << "<p class=\"note\">The realised cash rate is observed to "
          << esc(s.realised->rateLastObservation)
          << " (dashed line); after it, the last observation is carried within the staleness "
             "limit.</p>";

    if (!s.model.empty())
        h << "<details><summary>Resolved model (YAML)</summary><pre>" << esc(s.model)
          << "</pre></details>";
}

void monteCarloCellSummary(std::ostringstream& h, const ScenarioData& s,
                           const CompareTable& table) {
    h << "<h3>Comparison</h3>";
    compareTableHtml(h, table, s.name);
    std::vector<LineSeries> medians;
    std::size_t color = 0;
    for (const auto& m : s.mc) {
        const std::string& c = paletteColor(color++);
        if (m.ok() && m.equityBands.rows)
            medians.push_back({m.name, medianColumn(m.equityBands, s.percentiles), c, false, 1.5});
    }
    ChartFrame frame{"fan", "Median wealth (equity / initial capital)", s.dates, Unit::Wealth};
    frame.maxPoints = kCellChartPoints;
    h << lineChart(frame, {}, medians);
}

}  // namespace rotor::report::sections
