// SPDX-License-Identifier: MIT
// Assembles the backtest-model report from the reader's data and pit_calibration's bands.
#include "engine/report/backtest_report.hpp"

#include "engine/io/atomic_file.hpp"
#include "engine/report/html_page.hpp"
#include "engine/report/pit_calibration.hpp"
#include "engine/report/svg_chart.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace rotor::report {

namespace {

using html::esc;
using html::fmt;

// The sampling bands' probability (docs/backtest-model.md, "The report").
constexpr double kBandLevel = 0.9;
const char* const kBandColor = "#7f7f7f";
const char* const kLevelColor = "#D55E00";

std::string pct(double v) { return fmt(100.0 * v, "%.1f%%"); }

std::string countText(double v) {
    // Scaled bands are not whole counts.
    return fmt(v, v == static_cast<double>(static_cast<long>(v)) ? "%.0f" : "%.1f");
}

std::string bandText(const CountBand& b) { return countText(b.lo) + "–" + countText(b.hi); }

std::string shareBandText(const CountBand& b, long n) {
    return n ? pct(b.lo / static_cast<double>(n)) + "–" + pct(b.hi / static_cast<double>(n)) : "-";
}

std::string binLabel(int k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f–%.1f", static_cast<double>(k) / kPitBins,
                  static_cast<double>(k + 1) / kPitBins);
    return buf;
}

// "360 (1995-01-31 to 2024-12-31)"; the reader refuses a file without starts.
std::string startsText(const std::vector<std::string>& starts) {
    if (starts.empty()) return "0";
    return std::to_string(starts.size()) + " (" + starts.front() + " to " + starts.back() + ")";
}

// A target's anchor.
std::string targetAnchor(std::size_t i) { return "t" + std::to_string(i + 1); }

void summarySection(std::ostringstream& h, const BacktestData& d) {
    h << "<section class=\"backtest-summary\" id=\"summary\"><h2>Backtest of the scenario "
         "generator: "
      << esc(d.name) << "</h2>";
    const std::size_t m = d.ksStartIndex.size();
    html::keyValueTable(h,
                        {{"model (forward scenario)", d.scenario},
                         {"starts", startsText(d.starts)},
                         {"non-overlapping starts (KS test)", std::to_string(m) + ": " + d.ksRule},
                         {"horizon", std::to_string(d.horizonMonths) + " months"},
                         {"paths per start", std::to_string(d.paths)},
                         {"seed", d.attribute("seed")},
                         {"conditioning",
                          [&] {
                              std::string s;
                              for (const auto& c : d.conditioning) s += (s.empty() ? "" : ", ") + c;
                              return s;
                          }()},
                         {"outcome", d.outcome},
                         {"PIT", d.pitRule},
                         {"rotor version", d.attribute("rotor_version")}},
                        "params");
    h << "<div class=\"scroll\"><table class=\"backtest-summary\"><tr><th>target</th>"
         "<th>conditioning</th><th>50% band</th><th>90% band</th><th>mean CRPS</th>"
         "<th>KS D</th><th>KS p</th><th>KS starts</th></tr>";
    for (const auto& t : d.targets)
        for (const auto& c : d.conditioning) {
            const BacktestSeries* s = d.find(c, t);
            if (!s) continue;
            h << "<tr><td>" << esc(t) << "</td><td>" << esc(c) << "</td><td class=\"n\">"
              << pct(s->coverage50) << "</td><td class=\"n\">" << pct(s->coverage90)
              << "</td><td class=\"n\">" << fmt(s->meanCrps, "%.4f") << "</td><td class=\"n\">"
              << fmt(s->ksStatistic, "%.3f") << "</td><td class=\"n\">" << fmt(s->ksPValue, "%.3f")
              << "</td><td class=\"n\">" << s->ksStarts << "</td></tr>";
        }
    h << "</table></div><p class=\"note\">Coverage: the share of starts whose realised outcome "
         "lies in the central band of the simulated outcomes (0.25 ≤ PIT ≤ 0.75, 0.05 ≤ PIT ≤ "
         "0.95). CRPS in the outcome's units (log return), lower is better. KS: "
         "Kolmogorov-Smirnov test of uniform PITs on the non-overlapping starts only (overlapping "
         "horizons make consecutive PITs dependent).</p></section>";
}

std::string histogramChart(const std::string& target, const BacktestSeries& s,
                           const PitHistogramData& hist, std::size_t nonOverlapping) {
    ChartFrame frame;
    frame.kind = "pit-histogram";
    frame.title = target + ", " + s.conditioning + ": PIT histogram (" +
                  std::to_string(hist.starts) + " starts)";
    frame.yUnit = Unit::Ratio;
    frame.height = 280;
    std::vector<std::string> categories;
    for (int k = 0; k < kPitBins; ++k) categories.push_back(binLabel(k));
    std::vector<double> counts(hist.counts.begin(), hist.counts.end());
    const std::vector<double> lo(kPitBins, hist.bands.independent.lo);
    const std::vector<double> hi(kPitBins, hist.bands.independent.hi);
    std::vector<BarRange> ranges;
    if (nonOverlapping > 0 && static_cast<long>(nonOverlapping) < hist.starts)
        ranges.push_back(
            {"90% band, as " + std::to_string(nonOverlapping) + " non-overlapping starts",
             std::vector<double>(kPitBins, hist.bands.overlapping.lo),
             std::vector<double>(kPitBins, hist.bands.overlapping.hi), kBandColor, 0.14});
    ranges.push_back({"90% band, independent starts", lo, hi, kBandColor, 0.34});
    return barChart(frame, categories, {{"starts per bin", counts, paletteColor(0)}}, ranges,
                    {{"uniform: " + countText(hist.expected) + " per bin", hist.expected,
                      kLevelColor, true}});
}

// Bins as columns; a count outside a band is flagged.
void countsTable(std::ostringstream& h, const BacktestData& d, const std::string& target,
                 const std::vector<PitHistogramData>& hists) {
    h << "<div class=\"scroll\"><table class=\"pit-counts\"><tr><th>PIT bin</th>";
    for (int k = 0; k < kPitBins; ++k) h << "<th>" << binLabel(k) << "</th>";
    h << "<th>starts</th><th>expected per bin</th><th>90% band, independent</th><th>90% band, "
         "non-overlapping</th></tr>";
    for (std::size_t i = 0; i < d.conditioning.size(); ++i) {
        if (!d.find(d.conditioning[i], target)) continue;
        const PitHistogramData& hist = hists[i];
        h << "<tr><th>" << esc(d.conditioning[i]) << "</th>";
        for (long c : hist.counts) {
            const auto cd = static_cast<double>(c);
            const bool out = !hist.bands.independent.holds(cd);
            h << "<td class=\"n" << (out ? " flag" : "") << "\""
              << (out ? " title=\"outside the independent-starts band\"" : "") << ">" << c
              << (hist.bands.overlapping.holds(cd) ? "" : "*") << "</td>";
        }
        h << "<td class=\"n\">" << hist.starts << "</td><td class=\"n\">"
          << countText(hist.expected) << "</td><td class=\"n\">" << bandText(hist.bands.independent)
          << "</td><td class=\"n\">" << bandText(hist.bands.overlapping) << "</td></tr>";
    }
    h << "</table></div><p class=\"note\">Red: outside the 90% band for independent starts; *: "
         "also outside the band for the non-overlapping starts' information.</p>";
}

void coverageTable(std::ostringstream& h, const BacktestData& d, const std::string& target) {
    const std::size_t m = d.ksStartIndex.size();
    h << "<div class=\"scroll\"><table class=\"coverage\"><tr><th>conditioning</th><th>band</th>"
         "<th>nominal</th><th>realised</th><th>inside / starts</th><th>90% range, "
         "independent</th><th>90% range, non-overlapping</th></tr>";
    for (const auto& c : d.conditioning) {
        const BacktestSeries* s = d.find(c, target);
        if (!s) continue;
        for (const auto& cov : {coverageData(s->in50, 0.5, m, kBandLevel),
                                coverageData(s->in90, 0.9, m, kBandLevel)}) {
            const bool out = !cov.bands.independent.holds(static_cast<double>(cov.inside));
            h << "<tr><td>" << esc(c) << "</td><td>" << fmt(100.0 * cov.nominal, "%.0f%%")
              << "</td><td class=\"n\">" << pct(cov.nominal) << "</td><td class=\"n"
              << (out ? " flag" : "") << "\">" << pct(cov.realised) << "</td><td class=\"n\">"
              << cov.inside << " / " << cov.starts << "</td><td class=\"n\">"
              << shareBandText(cov.bands.independent, cov.starts) << "</td><td class=\"n\">"
              << shareBandText(cov.bands.overlapping, cov.starts) << "</td></tr>";
        }
    }
    h << "</table></div>";
}

// Mean CRPS with one column per conditioning, and each one's change against the first.
void crpsTable(std::ostringstream& h, const BacktestData& d, const std::string& target) {
    std::vector<const BacktestSeries*> cols;
    for (const auto& c : d.conditioning)
        if (const BacktestSeries* s = d.find(c, target)) cols.push_back(s);
    if (cols.empty()) return;
    h << "<table class=\"crps\"><tr><th>mean CRPS</th>";
    for (const auto* s : cols) h << "<th>" << esc(s->conditioning) << "</th>";
    for (std::size_t i = 1; i < cols.size(); ++i)
        h << "<th>" << esc(cols[i]->conditioning) << " vs " << esc(cols[0]->conditioning)
          << "</th>";
    h << "</tr><tr><th>" << esc(target) << "</th>";
    for (const auto* s : cols) h << "<td class=\"n\">" << fmt(s->meanCrps, "%.4f") << "</td>";
    for (std::size_t i = 1; i < cols.size(); ++i)
        h << "<td class=\"n\">"
          << fmt(100.0 * (cols[i]->meanCrps / cols[0]->meanCrps - 1.0), "%+.1f%%") << "</td>";
    h << "</tr></table>";
}

void ksTable(std::ostringstream& h, const BacktestData& d, const std::string& target) {
    h << "<table class=\"ks\"><tr><th>conditioning</th><th>KS D</th><th>p-value</th>"
         "<th>non-overlapping starts</th></tr>";
    for (const auto& c : d.conditioning) {
        const BacktestSeries* s = d.find(c, target);
        if (!s) continue;
        h << "<tr><td>" << esc(c) << "</td><td class=\"n\">" << fmt(s->ksStatistic, "%.3f")
          << "</td><td class=\"n" << (s->ksPValue < 0.01 ? " flag" : "") << "\">"
          << fmt(s->ksPValue, "%.3f") << "</td><td class=\"n\">" << s->ksStarts << "</td></tr>";
    }
    h << "</table>";
}

void targetSection(std::ostringstream& h, const BacktestData& d, std::size_t index) {
    const std::string& target = d.targets[index];
    const std::size_t m = d.ksStartIndex.size();
    h << "<section class=\"target\" id=\"" << targetAnchor(index) << "\"><h2>" << esc(target)
      << "</h2><h3>PIT histograms</h3>";
    std::vector<PitHistogramData> hists(d.conditioning.size());
    for (std::size_t i = 0; i < d.conditioning.size(); ++i) {
        const BacktestSeries* s = d.find(d.conditioning[i], target);
        if (!s) continue;
        hists[i] = pitHistogramData(s->pit, kPitBins, m, kBandLevel);
        h << histogramChart(target, *s, hists[i], m);
        // The counts are recounted from the per-start PITs; the file's own histogram should agree.
        if (!std::equal(hists[i].counts.begin(), hists[i].counts.end(), s->storedHistogram.begin(),
                        s->storedHistogram.end()))
            h << "<p class=\"note flag\">The file's stored pit_histogram of "
              << esc(s->conditioning)
              << " differs from the counts of its per-start PITs shown here.</p>";
    }
    countsTable(h, d, target, hists);
    h << "<h3>Band coverage</h3>";
    coverageTable(h, d, target);
    h << "<h3>CRPS</h3>";
    crpsTable(h, d, target);
    h << "<h3>Kolmogorov-Smirnov test of uniform PITs</h3>";
    ksTable(h, d, target);
    h << "</section>";
}

}  // namespace

std::string renderBacktestReport(const BacktestData& data) {
    std::ostringstream h;
    html::pageStart(h, "rotor backtest-model report: " + data.path, data);
    h << "<nav><a href=\"#summary\">summary</a>";
    for (std::size_t i = 0; i < data.targets.size(); ++i)
        h << "<a href=\"#" << targetAnchor(i) << "\">" << esc(data.targets[i]) << "</a>";
    h << "<a href=\"#provenance\">provenance</a></nav>";
    summarySection(h, data);
    const std::size_t n = data.starts.size(), m = data.ksStartIndex.size();
    h << "<p class=\"note\">Each PIT histogram counts the " << n
      << " starts in 10 bins of width 0.1; a calibrated model expects n / 10 per bin. The darker "
         "band is the central 90% interval of a bin's count if the starts were independent: "
         "the 5% and 95% quantiles of Binomial(n, 0.1). Overlapping horizons make neighbouring "
         "starts' PITs dependent, so the count varies more than that; the lighter band treats "
         "the starts as carrying the information of the "
      << m
      << " non-overlapping ones (the quantiles of Binomial(m, 0.1), scaled by n / m). Coverage "
         "ranges are the same intervals for a band's count, with probability 0.5 or 0.9.</p>";
    for (std::size_t i = 0; i < data.targets.size(); ++i) targetSection(h, data, i);
    html::provenanceSection(h, data, true);
    h << "</body></html>\n";
    return h.str();
}

void writeBacktestReport(const BacktestData& data, const std::string& path, bool force) {
    checkOutputWritable(path, force);
    html::writePage(renderBacktestReport(data), path, force);
}

}  // namespace rotor::report
