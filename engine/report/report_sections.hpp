// SPDX-License-Identifier: MIT
// The sections of the HTML report (html_report.cpp assembles them): a history's tear sheets, a
// Monte Carlo scenario's fans and histograms, a sweep's summary and heatmaps, a walk-forward.
// Internal to engine/report.
#pragma once

#include "engine/report/compare.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/results_reader.hpp"

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

namespace rotor::report::sections {

// Points per line of a compact sweep cell's chart (a full chart has 600).
constexpr std::size_t kCellChartPoints = 240;

// Shared helpers (html_report.cpp).
std::string anchor(std::size_t i);  // a scenario section's id
std::vector<double> divide(const std::vector<double>& v, double by);
std::vector<double> drawdown(const std::vector<double>& equity);
std::string heatColor(double v, double scale);
std::string lossText(double depth);
std::string dateAt(const std::vector<std::string>& dates, double index);
void compareTableHtml(std::ostringstream& h, const CompareTable& t, const std::string& scenario);

// A historical scenario: overview charts, then a tear sheet per strategy (history_section.cpp).
void historySection(std::ostringstream& h, const ScenarioData& s, const ResultsData& d,
                    std::size_t maxTrades);
// A compact sweep cell of a history: headline table and wealth chart.
void historyCellSummary(std::ostringstream& h, const ScenarioData& s, const ResultsData& d);

// A Monte Carlo scenario: fans, histograms, drawdowns, rate bands (mc_section.cpp).
void monteCarloSection(std::ostringstream& h, const ScenarioData& s);
// A compact sweep cell of a Monte Carlo scenario: comparison table and median wealth.
void monteCarloCellSummary(std::ostringstream& h, const ScenarioData& s, const CompareTable& table);

// The scenarios of one sweep: cells with the same base name and the same parameter labels
// (sweep_section.cpp).
struct Sweep {
    std::string base;
    std::vector<std::string> labels;
    std::vector<std::size_t> scenarios;            // indices into ResultsData::scenarios
    std::vector<std::vector<std::string>> values;  // per cell, per label
};
std::vector<Sweep> findSweeps(const ResultsData& d);
// The sweep cell shown in full: `requested` when it is one of this sweep's cells, else the cell
// of the best ranked row (by the ranking metric's direction; the first cell on ties or when no
// row is ranked).
std::size_t fullCell(const ResultsData& d, const Sweep& sw, const CompareTable& table,
                     const std::string& requested);
void sweepSection(std::ostringstream& h, const ResultsData& d, const Sweep& sw,
                  const CompareTable& table, const ReportOptions& opt, std::size_t index);
void walkForwardSection(std::ostringstream& h, const WalkForwardData& w, const ResultsData& d,
                        std::size_t index);

}  // namespace rotor::report::sections
