// SPDX-License-Identifier: MIT
// `rotor compare`: one table of strategies x scenarios with headline metrics from results files,
// ranked by a chosen metric, and two files side by side with their differences.
#pragma once

#include "engine/report/results_reader.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace rotor::report {

// How a value is shown to humans (CSV and JSON always carry the raw stored number).
enum class Unit {
    Fraction,  // 0.1234 -> 12.34%
    Percent,   // already in percent: 62.5 -> 62.5%
    Ratio,     // 1.23
    Wealth,    // multiple of the initial capital: 1.234x
    Currency,  // 1234.56
};

struct MetricColumn {
    std::string key;    // the name --metric takes and CSV/JSON use
    std::string label;  // short header for humans
    Unit unit;
    bool higherIsBetter;
    bool monteCarlo;  // from /mc_summary or realised/ (else from /metrics)
};

// Every column compare knows, historical first, in display order.
const std::vector<MetricColumn>& compareColumns();
const MetricColumn* findColumn(const std::string& key);

struct CompareRow {
    std::size_t file = 0;  // index into CompareTable::files
    std::string scenario;
    std::string strategy;
    std::string type;
    std::string status;  // ok / failed
    std::string mode;    // historical / monte_carlo
    bool benchmark = false;
    std::map<std::string, double> values;  // column key -> stored value (NaN: not available)
    std::string rankedBy;                  // the column this row was ranked by
    int rank = 0;  // 1 = best within (file, scenario); 0 = not ranked (failed / NaN)
    double value(const std::string& key) const;
};

enum class CompareBy { Scenario, Strategy };
enum class CompareFormat { Table, Csv, Markdown, Json };

struct CompareTable {
    std::vector<std::string> files;     // labels (file names)
    std::vector<MetricColumn> columns;  // only the columns some row has
    std::vector<CompareRow> rows;       // in display order
    std::string metric;                 // as requested ("" = defaults)
};

// Defaults when `metric` is empty: sharpe for historical scenarios, median terminal wealth for
// Monte Carlo ones. A metric that does not apply to a scenario's mode falls back to its
// counterpart (cagr <-> median_cagr, max_drawdown <-> median_max_drawdown, total_return <->
// median) or to the default. Throws InputError for an unknown metric (listing the known ones).
CompareTable buildComparison(const std::vector<const ResultsData*>& files,
                             const std::string& metric, CompareBy by);
CompareTable buildComparison(const std::vector<ResultsData>& files, const std::string& metric,
                             CompareBy by);

// One table (all files stacked with a `file` column when there are several); with exactly two
// files the table/markdown/csv output is the side-by-side view: one row per (scenario, strategy,
// metric) with the two values and B - A. JSON always has `rows`, plus `differences` for two.
void writeComparison(const CompareTable& table, CompareFormat format, std::ostream& out);

// Number formatting shared with the HTML report.
std::string formatValue(double v, Unit unit);
std::string formatRaw(double v);  // %.17g, "" for NaN

}  // namespace rotor::report
