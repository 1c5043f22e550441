// SPDX-License-Identifier: MIT
// Builds the comparison rows from results files and renders them as text, CSV, Markdown or JSON.
#include "engine/report/compare.hpp"

#include "engine/core/error.hpp"
#include "engine/core/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>

namespace rotor::report {

const std::vector<MetricColumn>& compareColumns() {
    static const std::vector<MetricColumn> columns = {
        {"total_return", "total return", Unit::Fraction, true, false, true},
        {"cagr", "CAGR", Unit::Fraction, true, false, true},
        {"volatility", "vol", Unit::Fraction, false, false, true},
        {"sharpe", "Sharpe", Unit::Ratio, true, false, true},
        {"sortino", "Sortino", Unit::Ratio, true, false, false},
        {"max_drawdown", "max DD", Unit::Loss, false, false, true},
        {"calmar", "Calmar", Unit::Ratio, true, false, true},
        {"turnover", "turnover", Unit::Ratio, false, false, true},
        {"total_costs", "costs", Unit::Currency, false, false, true},
        {"rebalances", "rebalances", Unit::Ratio, false, false, false},
        {"beta", "beta", Unit::Ratio, false, false, false},
        {"alpha", "alpha", Unit::Fraction, true, false, false},
        {"tracking_error", "TE", Unit::Fraction, false, false, false},
        {"information_ratio", "IR", Unit::Ratio, true, false, false},
        {"mean", "mean ret", Unit::WealthReturn, true, true, false},
        {"stdev", "sd W", Unit::Ratio, false, true, false},
        {"median", "median ret", Unit::WealthReturn, true, true, true},
        {"p05", "p5 ret", Unit::WealthReturn, true, true, true},
        {"p25", "p25 ret", Unit::WealthReturn, true, true, false},
        {"p75", "p75 ret", Unit::WealthReturn, true, true, false},
        {"p95", "p95 ret", Unit::WealthReturn, true, true, true},
        {"median_cagr", "median CAGR", Unit::Fraction, true, true, true},
        {"p05_cagr", "p5 CAGR", Unit::Fraction, true, true, true},
        {"p95_cagr", "p95 CAGR", Unit::Fraction, true, true, true},
        {"prob_loss", "P(loss)", Unit::Fraction, false, true, true},
        {"prob_beat_benchmark", "P(beat bm)", Unit::Fraction, true, true, true},
        {"var95", "VaR95", Unit::Loss, false, true, false},
        {"cvar95", "CVaR95", Unit::Loss, false, true, true},
        {"median_max_drawdown", "median max DD", Unit::Loss, false, true, true},
        {"realised_return", "realised", Unit::Fraction, true, true, true},
        {"realised_rank", "realised pct rank", Unit::Percent, true, true, true},
    };
    return columns;
}

bool isPercentileField(const std::string& key) {
    // p%02d, or the decimal level with '.' as '_' (results-format.md, /mc_summary).
    static const std::regex re("p[0-9]+(_[0-9]+)?");
    return std::regex_match(key, re);
}

const MetricColumn* findColumn(const std::string& key) {
    for (const auto& c : compareColumns())
        if (c.key == key) return &c;
    if (key == "p50") return findColumn("median");  // the stored name of the median
    if (!isPercentileField(key)) return nullptr;
    // Any other stored percentile level of terminal wealth: a column made on first use (a map
    // keeps the pointers stable).
    static std::mutex mutex;
    static std::map<std::string, MetricColumn> levels;
    const std::lock_guard<std::mutex> lock(mutex);
    auto it = levels.find(key);
    if (it == levels.end())
        it = levels
                 .emplace(key,
                          MetricColumn{key, key + " ret", Unit::WealthReturn, true, true, false})
                 .first;
    return &it->second;
}

double CompareRow::value(const std::string& key) const {
    const auto it = values.find(key);
    return it == values.end() ? kNaN : it->second;
}

std::string formatRaw(double v) {
    if (!std::isfinite(v)) return std::isnan(v) ? "" : (v > 0 ? "inf" : "-inf");
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string formatValue(double v, Unit unit) {
    if (std::isnan(v)) return "-";
    char buf[48];
    switch (unit) {
        case Unit::Fraction: std::snprintf(buf, sizeof buf, "%.2f%%", v * 100.0 + 0.0); break;
        case Unit::Percent: std::snprintf(buf, sizeof buf, "%.1f%%", v); break;
        case Unit::Ratio: std::snprintf(buf, sizeof buf, "%.2f", v); break;
        case Unit::Wealth: std::snprintf(buf, sizeof buf, "%.3fx", v); break;
        case Unit::Currency: std::snprintf(buf, sizeof buf, "%.2f", v); break;
        case Unit::Loss: std::snprintf(buf, sizeof buf, "%.2f%%", v == 0 ? 0.0 : -v * 100.0); break;
        case Unit::WealthReturn: std::snprintf(buf, sizeof buf, "%.2f%%", (v - 1.0) * 100.0); break;
    }
    return buf;
}

namespace {

// The summary row of (scenario, strategy) in a table, or rows when absent.
std::size_t findRow(const std::optional<RecordTable>& t, const std::string& scenario,
                    const std::string& strategy) {
    if (!t) return 0;
    for (std::size_t i = 0; i < t->rows; ++i)
        if (t->text("scenario", i) == scenario && t->text("strategy", i) == strategy) return i;
    return t->rows;
}

std::string defaultMetric(bool monteCarlo) { return monteCarlo ? "median" : "sharpe"; }

// The column a scenario of the given mode is ranked by when `requested` was asked for.
std::string effectiveMetric(const std::string& requested, bool monteCarlo) {
    if (requested.empty()) return defaultMetric(monteCarlo);
    const MetricColumn* c = findColumn(requested);
    if (c && c->monteCarlo == monteCarlo) return c->key;  // p50 -> median
    static const std::map<std::string, std::string> counterpart = {
        {"cagr", "median_cagr"},
        {"median_cagr", "cagr"},
        {"max_drawdown", "median_max_drawdown"},
        {"median_max_drawdown", "max_drawdown"},
        {"total_return", "median"},
        {"median", "total_return"},
    };
    const auto it = counterpart.find(requested);
    return it != counterpart.end() ? it->second : defaultMetric(monteCarlo);
}

std::string fileLabel(const std::string& path, const std::vector<const ResultsData*>& files) {
    const std::string name = std::filesystem::path(path).filename().string();
    int same = 0;
    for (const auto* f : files)
        if (std::filesystem::path(f->path).filename().string() == name) ++same;
    return same > 1 ? path : name;
}

void addRows(const ResultsData& d, std::size_t fileIndex, std::vector<CompareRow>& rows) {
    for (const ScenarioData& s : d.scenarios) {
        const bool mc = s.monteCarlo();
        auto base = [&](const StrategyInfo& info) {
            CompareRow row;
            row.file = fileIndex;
            row.scenario = s.name;
            row.strategy = info.name;
            row.type = info.type;
            row.status = info.status;
            row.mode = mc ? "monte_carlo" : (s.mode.empty() ? "historical" : s.mode);
            row.benchmark = !s.benchmark.empty() && s.benchmark == info.name;
            return row;
        };
        if (!mc) {
            for (const HistoryStrategy& h : s.history) {
                CompareRow row = base(h);
                const std::size_t i = findRow(d.metrics, s.name, h.name);
                for (const auto& c : compareColumns())
                    if (!c.monteCarlo && d.metrics && d.metrics->hasNumber(c.key))
                        row.values[c.key] = d.metrics->number(c.key, i);
                if (d.metrics) {
                    row.peakDate = d.metrics->text("peak_date", i);
                    row.troughDate = d.metrics->text("trough_date", i);
                    row.recoveryDate = d.metrics->text("recovery_date", i);
                }
                rows.push_back(std::move(row));
            }
            continue;
        }
        static const std::map<std::string, std::string> fromSummary = {
            {"mean", "mean"},
            {"stdev", "stdev"},
            {"var95", "var95"},
            {"median", "p50"},
            {"p05", "p05"},
            {"p25", "p25"},
            {"p75", "p75"},
            {"p95", "p95"},
            {"median_cagr", "median_cagr"},
            {"p05_cagr", "p05_cagr"},
            {"p95_cagr", "p95_cagr"},
            {"prob_loss", "prob_loss"},
            {"prob_beat_benchmark", "prob_beat_benchmark"},
            {"cvar95", "cvar95"},
            {"median_max_drawdown", "median_max_drawdown"},
        };
        for (const McStrategy& m : s.mc) {
            CompareRow row = base(m);
            const std::size_t i = findRow(d.mcSummary, s.name, m.name);
            for (const auto& [key, field] : fromSummary)
                if (d.mcSummary && d.mcSummary->hasNumber(field))
                    row.values[key] = d.mcSummary->number(field, i);
            // Percentile levels beyond the usual five, as the file names them.
            if (d.mcSummary)
                for (const auto& field : d.mcSummary->fields)
                    if (isPercentileField(field) && field != "p50" && d.mcSummary->hasNumber(field))
                        row.values.emplace(field, d.mcSummary->number(field, i));
            if (s.realised) {
                if (const RealisedSeries* r = s.realised->find(m.name); r && !r->wealth.empty()) {
                    // Wealth is equity over the initial capital, so the return is W - 1.
                    row.values["realised_return"] = r->wealth.back() - 1.0;
                    row.values["realised_rank"] = r->percentileRank;
                }
            }
            rows.push_back(std::move(row));
        }
    }
}

// Ranks rows of one (file, scenario) by their metric: best first, NaN and failed unranked.
void rank(std::vector<CompareRow*>& group, const std::string& requested) {
    if (group.empty()) return;
    const std::string key = effectiveMetric(requested, group.front()->mode == "monte_carlo");
    const MetricColumn* c = findColumn(key);
    std::vector<CompareRow*> ranked;
    for (CompareRow* r : group) {
        r->rankedBy = key;
        r->rank = 0;
        if (r->status == "ok" && !std::isnan(r->value(key))) ranked.push_back(r);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](const CompareRow* a, const CompareRow* b) {
        return c->higherIsBetter ? a->value(key) > b->value(key) : a->value(key) < b->value(key);
    });
    for (std::size_t i = 0; i < ranked.size(); ++i) ranked[i]->rank = static_cast<int>(i) + 1;
}

std::size_t indexOf(std::vector<std::string>& order, const std::string& v) {
    const auto it = std::find(order.begin(), order.end(), v);
    if (it != order.end()) return static_cast<std::size_t>(it - order.begin());
    order.push_back(v);
    return order.size() - 1;
}

}  // namespace

CompareTable buildComparison(const std::vector<ResultsData>& files, const std::string& metric,
                             CompareBy by) {
    std::vector<const ResultsData*> ptrs;
    for (const auto& f : files) ptrs.push_back(&f);
    return buildComparison(ptrs, metric, by);
}

CompareTable buildComparison(const std::vector<const ResultsData*>& files,
                             const std::string& metric, CompareBy by) {
    if (!metric.empty() && !findColumn(metric)) {
        std::string known;
        for (const auto& c : compareColumns()) known += (known.empty() ? "" : ", ") + c.key;
        throw InputError("compare: unknown metric '" + metric + "' (known: " + known +
                         ", p50 and any stored percentile level pNN)");
    }
    CompareTable t;
    t.metric = metric;
    std::vector<CompareRow> rows;
    for (std::size_t f = 0; f < files.size(); ++f) {
        t.files.push_back(fileLabel(files[f]->path, files));
        addRows(*files[f], f, rows);
    }

    // Rank within each (file, scenario), then order the rows for display.
    std::map<std::pair<std::size_t, std::string>, std::vector<CompareRow*>> groups;
    for (auto& r : rows) groups[{r.file, r.scenario}].push_back(&r);
    for (auto& [k, g] : groups) rank(g, metric);

    std::vector<std::string> scenarioOrder, strategyOrder;
    std::vector<std::size_t> scenarioIdx, strategyIdx;
    for (const auto& r : rows) {
        scenarioIdx.push_back(indexOf(scenarioOrder, r.scenario));
        strategyIdx.push_back(indexOf(strategyOrder, r.strategy));
    }
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto rankKey = [&](std::size_t i) { return rows[i].rank == 0 ? 1 << 30 : rows[i].rank; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (by == CompareBy::Scenario) {
            if (scenarioIdx[a] != scenarioIdx[b]) return scenarioIdx[a] < scenarioIdx[b];
            if (rows[a].file != rows[b].file) return rows[a].file < rows[b].file;
            return rankKey(a) < rankKey(b);
        }
        if (strategyIdx[a] != strategyIdx[b]) return strategyIdx[a] < strategyIdx[b];
        if (scenarioIdx[a] != scenarioIdx[b]) return scenarioIdx[a] < scenarioIdx[b];
        return rows[a].file < rows[b].file;
    });
    for (std::size_t i : order) t.rows.push_back(rows[i]);

    std::set<std::string> present;
    for (const auto& r : t.rows)
        for (const auto& [k, v] : r.values) present.insert(k);
    for (const auto& c : compareColumns())
        if (present.contains(c.key)) t.columns.push_back(c);
    // Further percentile levels after the fixed columns, by level.
    std::vector<std::pair<double, std::string>> extra;
    for (const auto& k : present)
        if (isPercentileField(k) &&
            !std::any_of(t.columns.begin(), t.columns.end(),
                         [&](const MetricColumn& c) { return c.key == k; })) {
            std::string level = k.substr(1);
            std::replace(level.begin(), level.end(), '_', '.');
            extra.emplace_back(std::stod(level), k);
        }
    std::sort(extra.begin(), extra.end());
    for (const auto& [level, k] : extra) t.columns.push_back(*findColumn(k));
    // A percentile level no file stores has nothing to rank by: refuse it rather than rank none.
    if (!metric.empty() && isPercentileField(metric) && metric != "p50" &&
        !present.contains(metric) && !files.empty()) {
        throw InputError("compare: metric '" + metric +
                         "': no Monte Carlo scenario of these files stores that percentile level");
    }
    return t;
}

namespace {

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string markdownCell(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

// Header + cells, rendered as aligned text, CSV or Markdown.
struct TextGrid {
    std::vector<std::string> header;
    std::vector<bool> numeric;  // right-aligned
    std::vector<std::vector<std::string>> cells;

    void write(CompareFormat format, std::ostream& out) const {
        if (format == CompareFormat::Csv) {
            for (std::size_t i = 0; i < header.size(); ++i)
                out << (i ? "," : "") << csvField(header[i]);
            out << '\n';
            for (const auto& row : cells) {
                for (std::size_t i = 0; i < row.size(); ++i)
                    out << (i ? "," : "") << csvField(row[i]);
                out << '\n';
            }
            return;
        }
        if (format == CompareFormat::Markdown) {
            out << '|';
            for (const auto& h : header) out << ' ' << markdownCell(h) << " |";
            out << "\n|";
            for (std::size_t i = 0; i < header.size(); ++i)
                out << (numeric[i] ? " ---: |" : " --- |");
            out << '\n';
            for (const auto& row : cells) {
                out << '|';
                for (const auto& c : row) out << ' ' << markdownCell(c) << " |";
                out << '\n';
            }
            return;
        }
        std::vector<std::size_t> width(header.size());
        for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
        for (const auto& row : cells)
            for (std::size_t i = 0; i < row.size(); ++i)
                width[i] = std::max(width[i], row[i].size());
        auto line = [&](const std::vector<std::string>& row) {
            std::string s;
            for (std::size_t i = 0; i < row.size(); ++i) {
                const std::string pad(width[i] - row[i].size(), ' ');
                s += (i ? "  " : "") + (numeric[i] ? pad + row[i] : row[i] + pad);
            }
            while (!s.empty() && s.back() == ' ') s.pop_back();
            out << s << '\n';
        };
        line(header);
        std::vector<std::string> rule;
        for (std::size_t w : width) rule.emplace_back(w, '-');
        line(rule);
        for (const auto& row : cells) line(row);
    }
};

bool machine(CompareFormat f) { return f == CompareFormat::Csv; }

// The columns a format shows: every one for CSV and JSON; for people the headline ones and those
// some row was ranked by.
std::vector<const MetricColumn*> shownColumns(const CompareTable& t, CompareFormat format) {
    std::set<std::string> rankedBy;
    for (const auto& r : t.rows) rankedBy.insert(r.rankedBy);
    std::vector<const MetricColumn*> out;
    for (const auto& c : t.columns)
        if (machine(format) || format == CompareFormat::Json || c.headline ||
            rankedBy.contains(c.key))
            out.push_back(&c);
    return out;
}

TextGrid mainGrid(const CompareTable& t, CompareFormat format) {
    TextGrid g;
    // Humans get the narrow table (ranked_by goes in a footer); CSV keeps every field.
    const bool full = machine(format);
    const bool files = t.files.size() > 1;
    const auto columns = shownColumns(t, format);
    if (files) g.header.push_back("file");
    g.header.push_back("scenario");
    g.header.push_back("strategy");
    if (full) g.header.push_back("type");
    g.header.push_back("status");
    g.header.push_back("rank");
    if (full) g.header.push_back("ranked_by");
    const std::size_t fixed = g.header.size();
    for (const auto* c : columns) g.header.push_back(full ? c->key : c->label);
    g.numeric.assign(g.header.size(), true);
    for (std::size_t i = 0; i < fixed; ++i) g.numeric[i] = g.header[i] == "rank";
    for (const auto& r : t.rows) {
        std::vector<std::string> row;
        if (files) row.push_back(t.files[r.file]);
        row.push_back(r.scenario);
        row.push_back(full || !r.benchmark ? r.strategy : r.strategy + " *");
        if (full) row.push_back(r.type);
        row.push_back(r.status);
        row.push_back(r.rank ? std::to_string(r.rank) : "");
        if (full) row.push_back(r.rankedBy);
        for (const auto* c : columns) {
            const auto it = r.values.find(c->key);
            if (it == r.values.end())
                row.emplace_back();
            else
                row.push_back(full ? formatRaw(it->second) : formatValue(it->second, c->unit));
        }
        g.cells.push_back(std::move(row));
    }
    return g;
}

struct SideRow {
    std::string scenario, strategy;
    const MetricColumn* column;
    std::vector<double> values;  // one per file (NaN where the file lacks the row)
};

// Rows matched by (scenario, strategy) across the files, in the table's display order: only
// pairs every file has, unless `all`.
std::vector<SideRow> sideRows(const CompareTable& t, const std::vector<const MetricColumn*>& cols,
                              bool all) {
    std::vector<SideRow> out;
    std::set<std::pair<std::string, std::string>> seen;
    const std::size_t n = t.files.size();
    for (const auto& r : t.rows) {
        if (!seen.insert({r.scenario, r.strategy}).second) continue;
        std::vector<const CompareRow*> side(n, nullptr);
        for (const auto& o : t.rows)
            if (o.scenario == r.scenario && o.strategy == r.strategy && !side[o.file])
                side[o.file] = &o;
        if (!all && std::find(side.begin(), side.end(), nullptr) != side.end()) continue;
        for (const auto* c : cols) {
            bool any = false;
            for (const auto* x : side) any = any || (x && x->values.contains(c->key));
            if (!any) continue;
            SideRow row{r.scenario, r.strategy, c, {}};
            for (const auto* x : side) row.values.push_back(x ? x->value(c->key) : kNaN);
            out.push_back(std::move(row));
        }
    }
    return out;
}

// A value as shown to people, as a number: the difference of two is taken on these.
double shownNumber(double v, Unit unit) {
    switch (unit) {
        case Unit::Loss: return -v;
        case Unit::WealthReturn: return v - 1.0;
        default: return v;
    }
}

TextGrid sideGrid(const CompareTable& t, CompareFormat format, bool all) {
    TextGrid g;
    const bool two = t.files.size() == 2;
    g.header = {"scenario", "strategy", "metric"};
    for (const auto& f : t.files) g.header.push_back(f);
    if (two) g.header.push_back("difference");
    g.numeric.assign(g.header.size(), true);
    g.numeric[0] = g.numeric[1] = g.numeric[2] = false;
    for (const SideRow& d : sideRows(t, shownColumns(t, format), all)) {
        std::vector<std::string> row = {d.scenario, d.strategy,
                                        machine(format) ? d.column->key : d.column->label};
        for (double v : d.values)
            row.push_back(machine(format) ? formatRaw(v) : formatValue(v, d.column->unit));
        if (two) {
            const Unit u = d.column->unit;
            if (machine(format)) {
                row.push_back(formatRaw(d.values[1] - d.values[0]));
            } else {
                const double diff = shownNumber(d.values[1], u) - shownNumber(d.values[0], u);
                std::string shown;
                char buf[32];
                if (std::isnan(diff)) {
                    shown = "-";
                } else if (u == Unit::Fraction || u == Unit::Loss || u == Unit::WealthReturn) {
                    // A difference of percentages reads in percentage points.
                    std::snprintf(buf, sizeof buf, "%+.2f pp", diff * 100.0);
                    shown = buf;
                } else {
                    shown = formatValue(diff, u);
                    if (diff >= 0) shown = "+" + shown;
                }
                row.push_back(shown);
            }
        }
        g.cells.push_back(std::move(row));
    }
    return g;
}

bool sideBySide(const CompareTable& t, CompareLayout layout) {
    if (layout == CompareLayout::Auto) return t.files.size() == 2;
    return layout == CompareLayout::Side && t.files.size() >= 2;
}

}  // namespace

std::size_t sharedPairs(const CompareTable& t) {
    std::map<std::pair<std::string, std::string>, std::set<std::size_t>> files;
    for (const auto& r : t.rows) files[{r.scenario, r.strategy}].insert(r.file);
    std::size_t n = 0;
    for (const auto& [k, f] : files)
        if (f.size() == t.files.size()) ++n;
    return n;
}

void writeComparison(const CompareTable& t, CompareFormat format, std::ostream& out,
                     CompareLayout layout, bool all) {
    if (format == CompareFormat::Json) {
        out << "{\"files\":[";
        for (std::size_t i = 0; i < t.files.size(); ++i)
            out << (i ? "," : "") << jsonString(t.files[i]);
        out << "],\"metric\":" << jsonString(t.metric) << ",\"rows\":[";
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const CompareRow& r = t.rows[i];
            out << (i ? "," : "") << "{\"file\":" << jsonString(t.files[r.file])
                << ",\"scenario\":" << jsonString(r.scenario)
                << ",\"strategy\":" << jsonString(r.strategy) << ",\"type\":" << jsonString(r.type)
                << ",\"status\":" << jsonString(r.status) << ",\"mode\":" << jsonString(r.mode)
                << ",\"benchmark\":" << (r.benchmark ? "true" : "false")
                << ",\"rank\":" << (r.rank ? std::to_string(r.rank) : "null")
                << ",\"ranked_by\":" << jsonString(r.rankedBy) << ",\"metrics\":{";
            bool first = true;
            for (const auto& c : t.columns) {
                const auto it = r.values.find(c.key);
                if (it == r.values.end()) continue;
                out << (first ? "" : ",") << jsonString(c.key) << ':' << jsonNumber(it->second);
                first = false;
            }
            out << '}';
            if (r.mode != "monte_carlo") {
                // The maximum drawdown's dates, ISO; null when it never recovered (or the
                // strategy failed), as `run --json` says it.
                const auto date = [](const std::string& d) {
                    return d.empty() ? std::string("null") : jsonString(d);
                };
                out << ",\"drawdown\":{\"peak\":" << date(r.peakDate)
                    << ",\"trough\":" << date(r.troughDate)
                    << ",\"recovery\":" << date(r.recoveryDate) << '}';
            }
            out << '}';
        }
        out << ']';
        if (t.files.size() == 2) {
            out << ",\"differences\":[";
            bool first = true;
            std::vector<const MetricColumn*> cols;
            for (const auto& c : t.columns) cols.push_back(&c);
            for (const SideRow& d : sideRows(t, cols, all)) {
                out << (first ? "" : ",") << "{\"scenario\":" << jsonString(d.scenario)
                    << ",\"strategy\":" << jsonString(d.strategy)
                    << ",\"metric\":" << jsonString(d.column->key)
                    << ",\"a\":" << jsonNumber(d.values[0]) << ",\"b\":" << jsonNumber(d.values[1])
                    << ",\"difference\":" << jsonNumber(d.values[1] - d.values[0]) << '}';
                first = false;
            }
            out << ']';
        }
        out << "}\n";
        return;
    }
    if (sideBySide(t, layout)) {
        sideGrid(t, format, all).write(format, out);
        return;
    }
    mainGrid(t, format).write(format, out);
    if (format != CompareFormat::Csv && !t.rows.empty()) {
        std::vector<std::string> rankedBy;
        bool anyBenchmark = false;
        for (const auto& r : t.rows) {
            anyBenchmark = anyBenchmark || r.benchmark;
            if (std::find(rankedBy.begin(), rankedBy.end(), r.rankedBy) == rankedBy.end())
                rankedBy.push_back(r.rankedBy);
        }
        out << (format == CompareFormat::Markdown ? "\n" : "") << "ranked by ";
        for (std::size_t i = 0; i < rankedBy.size(); ++i) out << (i ? ", " : "") << rankedBy[i];
        out << " within each scenario" << (anyBenchmark ? "; * benchmark" : "") << '\n';
    }
}

}  // namespace rotor::report
