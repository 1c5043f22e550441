// SPDX-License-Identifier: MIT
// `rotor compare`: one table of strategies x scenarios with headline metrics from results files,
// ranked by a chosen metric, and two files side by side with their differences.
#pragma once

#include "engine/report/results_reader.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace rotor::report {

// How a value is shown to humans (CSV and JSON always carry the raw stored number). The
// convention of every human view (docs/cli.md): fractions as percentages, losses (drawdowns,
// VaR, CVaR, stored as positive depths) as negative percentages, terminal wealth in tables as the
// return W - 1 (charts keep the multiple).
enum class Unit {
    Fraction,      // 0.1234 -> 12.34%
    Percent,       // already in percent: 62.5 -> 62.5%
    Ratio,         // 1.23
    Wealth,        // multiple of the initial capital: 1.234x
    Currency,      // 1234.56
    Loss,          // a positive depth or loss shown as a loss: 0.5519 -> -55.19%
    WealthReturn,  // a wealth multiple shown as its return: 1.234 -> 23.40%
};

struct MetricColumn {
    std::string key;    // the name --metric takes and CSV/JSON use
    std::string label;  // short header for humans
    Unit unit;
    bool higherIsBetter;
    bool monteCarlo;  // from /mc_summary or realised/ (else from /metrics)
    bool headline;    // shown in the human table (CSV and JSON have every column)
};

// Every column compare knows (every stored metric), historical first, in display order.
const std::vector<MetricColumn>& compareColumns();
// Also p50 (the median's stored name) and any percentile field name pNN of /mc_summary.
const MetricColumn* findColumn(const std::string& key);
// A /mc_summary terminal-wealth percentile field name: p05, p25, p2_5, ...
bool isPercentileField(const std::string& key);

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
    std::string peakDate, troughDate, recoveryDate;  // historical max drawdown, ISO ("" if none)
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

// Stacked: one table, all files' rows with a `file` column when there are several. Side: one row
// per (scenario, strategy, metric) with a value column per file (and, for two files, B - A),
// over the (scenario, strategy) pairs present in every file unless `all`. Auto is side for
// exactly two files, else stacked. JSON always has `rows`, plus `differences` for two files
// (side-by-side rows).
enum class CompareLayout { Auto, Side, Stacked };
void writeComparison(const CompareTable& table, CompareFormat format, std::ostream& out,
                     CompareLayout layout = CompareLayout::Auto, bool all = false);

// The number of (scenario, strategy) pairs that every file of the table has.
std::size_t sharedPairs(const CompareTable& table);

// Number formatting shared with the HTML report.
std::string formatValue(double v, Unit unit);
std::string formatRaw(double v);  // %.17g, "" for NaN

}  // namespace rotor::report
