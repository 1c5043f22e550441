// SPDX-License-Identifier: MIT
// Inline SVG charts for the HTML report: lines over percentile bands, stacked areas, histograms
// and box plots. Pure string output, no script; long daily series are decimated for size.
#pragma once

#include "engine/report/compare.hpp"

#include <string>
#include <utility>
#include <vector>

namespace rotor::report {

struct ChartFrame {
    std::string kind;  // CSS class after "chart ": equity, drawdown, weights, rate, fan, ...
    std::string title;
    std::vector<std::string> dates;  // x axis labels, one per day index (may be empty)
    Unit yUnit = Unit::Ratio;
    int width = 920;
    int height = 300;
    // Logarithmic y axis (ticks at 1-2-5 steps per decade): equal heights are equal ratios, as
    // decades of compounding need. Only positive values are drawn.
    bool logY = false;
    // Vertical dashed markers at day indices, labelled (line charts).
    std::vector<std::pair<std::size_t, std::string>> markers = {};
    // Points per line at most (min and max of each bucket kept): fewer for thumbnail charts.
    std::size_t maxPoints = 600;
};

struct LineSeries {
    std::string label;
    std::vector<double> y;  // day index i at x = i; may be shorter than the dates
    std::string color;
    bool dashed = false;
    double strokeWidth = 1.5;
};

struct BandSeries {
    std::string label;
    std::vector<double> lo, hi;
    std::string color;
    double opacity = 0.2;
};

// The palette the report cycles through (colour-blind friendly, Okabe-Ito order).
const std::string& paletteColor(std::size_t i);

// Lines over optional filled bands on a date axis.
std::string lineChart(const ChartFrame& frame, const std::vector<BandSeries>& bands,
                      const std::vector<LineSeries>& lines);

// Layers stacked from 0 (e.g. portfolio weights); layer values are clamped at 0.
std::string stackedAreaChart(const ChartFrame& frame, const std::vector<LineSeries>& layers);

// Histogram of `values` over [p1, p99] (values outside land in the edge bins), with labelled
// vertical markers (e.g. 1.0 = break-even, the median).
std::string histogramChart(const ChartFrame& frame, const std::vector<double>& values, int bins,
                           const std::vector<std::pair<double, std::string>>& markers);

// One horizontal box (p5, p25, p50, p75, p95) per labelled row.
struct BoxRow {
    std::string label;
    double p05, p25, p50, p75, p95;
};
std::string boxPlotChart(const ChartFrame& frame, const std::vector<BoxRow>& rows);

// Grouped vertical bars: one group per category, one bar per series (values in yUnit, from 0).
struct BarSeries {
    std::string label;
    std::vector<double> values;  // one per category; NaN: no bar
    std::string color;
};
// Reference marks on a bar chart: per category a range [lo, hi] shaded across the category
// behind the bars (e.g. a sampling band), and horizontal levels across the plot (e.g. an
// expectation). Both widen the y axis to fit; NaN bounds draw nothing.
struct BarRange {
    std::string label;
    std::vector<double> lo, hi;  // one per category
    std::string color;
    double opacity = 0.18;
};
struct BarLevel {
    std::string label;
    double value;
    std::string color;
    bool dashed = true;
};
std::string barChart(const ChartFrame& frame, const std::vector<std::string>& categories,
                     const std::vector<BarSeries>& series, const std::vector<BarRange>& ranges = {},
                     const std::vector<BarLevel>& levels = {});

// Date-axis ticks on calendar boundaries, as (day index, label): the first trading day of years
// ("YYYY", every 1, 2, 5, 10... years) when the dates cross three or more year boundaries, else of
// months ("YYYY-MM", every 1, 2, 3, 6, 12 months) when they cross two or more, else of weeks (ISO
// date). At most 8 ticks (weeks: about 8). Labels that are not all ISO dates: six evenly spaced.
std::vector<std::pair<std::size_t, std::string>> calendarTicks(
    const std::vector<std::string>& dates);

std::string xmlEscape(const std::string& s);

}  // namespace rotor::report
