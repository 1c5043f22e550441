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
#include <set>

namespace rotor::report {

const std::vector<MetricColumn>& compareColumns() {
    static const std::vector<MetricColumn> columns = {
        {"total_return", "total return", Unit::Fraction, true, false},
        {"cagr", "CAGR", Unit::Fraction, true, false},
        {"volatility", "vol", Unit::Fraction, false, false},
        {"sharpe", "Sharpe", Unit::Ratio, true, false},
        {"max_drawdown", "max DD", Unit::Fraction, false, false},
        {"calmar", "Calmar", Unit::Ratio, true, false},
        {"turnover", "turnover", Unit::Ratio, false, false},
        {"total_costs", "costs", Unit::Currency, false, false},
        {"median", "median W", Unit::Wealth, true, true},
        {"p05", "p5 W", Unit::Wealth, true, true},
        {"p95", "p95 W", Unit::Wealth, true, true},
        {"median_cagr", "median CAGR", Unit::Fraction, true, true},
        {"p05_cagr", "p5 CAGR", Unit::Fraction, true, true},
        {"p95_cagr", "p95 CAGR", Unit::Fraction, true, true},
        {"prob_loss", "P(loss)", Unit::Fraction, false, true},
        {"prob_beat_benchmark", "P(beat bm)", Unit::Fraction, true, true},
        {"cvar95", "CVaR95", Unit::Fraction, false, true},
        {"median_max_drawdown", "median max DD", Unit::Fraction, false, true},
        {"realised_return", "realised", Unit::Fraction, true, true},
        {"realised_rank", "realised pct rank", Unit::Percent, true, true},
    };
    return columns;
}

const MetricColumn* findColumn(const std::string& key) {
    for (const auto& c : compareColumns())
        if (c.key == key) return &c;
    return nullptr;
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
        case Unit::Fraction: std::snprintf(buf, sizeof buf, "%.2f%%", v * 100.0); break;
        case Unit::Percent: std::snprintf(buf, sizeof buf, "%.1f%%", v); break;
        case Unit::Ratio: std::snprintf(buf, sizeof buf, "%.2f", v); break;
        case Unit::Wealth: std::snprintf(buf, sizeof buf, "%.3fx", v); break;
        case Unit::Currency: std::snprintf(buf, sizeof buf, "%.2f", v); break;
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
    if (c && c->monteCarlo == monteCarlo) return requested;
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
                rows.push_back(std::move(row));
            }
            continue;
        }
        static const std::map<std::string, std::string> fromSummary = {
            {"median", "p50"},
            {"p05", "p05"},
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
        throw InputError("compare: unknown metric '" + metric + "' (known: " + known + ")");
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

TextGrid mainGrid(const CompareTable& t, CompareFormat format) {
    TextGrid g;
    // Humans get the narrow table (ranked_by goes in a footer); CSV keeps every field.
    const bool full = machine(format);
    const bool files = t.files.size() > 1;
    if (files) g.header.push_back("file");
    g.header.push_back("scenario");
    g.header.push_back("strategy");
    if (full) g.header.push_back("type");
    g.header.push_back("status");
    g.header.push_back("rank");
    if (full) g.header.push_back("ranked_by");
    const std::size_t fixed = g.header.size();
    for (const auto& c : t.columns) g.header.push_back(full ? c.key : c.label);
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
        for (const auto& c : t.columns) {
            const auto it = r.values.find(c.key);
            if (it == r.values.end())
                row.emplace_back();
            else
                row.push_back(full ? formatRaw(it->second) : formatValue(it->second, c.unit));
        }
        g.cells.push_back(std::move(row));
    }
    return g;
}

struct Difference {
    std::string scenario, strategy;
    const MetricColumn* column;
    double a, b;
};

// Rows matched by (scenario, strategy) across the two files, in the table's display order.
std::vector<Difference> differences(const CompareTable& t) {
    std::vector<Difference> out;
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& r : t.rows) {
        if (!seen.insert({r.scenario, r.strategy}).second) continue;
        const CompareRow* side[2] = {nullptr, nullptr};
        for (const auto& o : t.rows)
            if (o.scenario == r.scenario && o.strategy == r.strategy && o.file < 2 && !side[o.file])
                side[o.file] = &o;
        for (const auto& c : t.columns) {
            const bool any = (side[0] && side[0]->values.contains(c.key)) ||
                             (side[1] && side[1]->values.contains(c.key));
            if (!any) continue;
            out.push_back({r.scenario, r.strategy, &c, side[0] ? side[0]->value(c.key) : kNaN,
                           side[1] ? side[1]->value(c.key) : kNaN});
        }
    }
    return out;
}

TextGrid differenceGrid(const CompareTable& t, CompareFormat format) {
    TextGrid g;
    g.header = {"scenario", "strategy", "metric", t.files[0], t.files[1], "difference"};
    g.numeric = {false, false, false, true, true, true};
    for (const Difference& d : differences(t)) {
        const double diff = d.b - d.a;
        if (machine(format))
            g.cells.push_back({d.scenario, d.strategy, d.column->key, formatRaw(d.a),
                               formatRaw(d.b), formatRaw(diff)});
        else {
            std::string shown = formatValue(diff, d.column->unit);
            // A difference of fractions reads in percentage points.
            if (d.column->unit == Unit::Fraction && !std::isnan(diff)) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%+.2f pp", diff * 100.0);
                shown = buf;
            } else if (!std::isnan(diff) && diff >= 0) {
                shown = "+" + shown;
            }
            g.cells.push_back({d.scenario, d.strategy, d.column->label,
                               formatValue(d.a, d.column->unit), formatValue(d.b, d.column->unit),
                               shown});
        }
    }
    return g;
}

}  // namespace

void writeComparison(const CompareTable& t, CompareFormat format, std::ostream& out) {
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
            out << "}}";
        }
        out << ']';
        if (t.files.size() == 2) {
            out << ",\"differences\":[";
            bool first = true;
            for (const Difference& d : differences(t)) {
                out << (first ? "" : ",") << "{\"scenario\":" << jsonString(d.scenario)
                    << ",\"strategy\":" << jsonString(d.strategy)
                    << ",\"metric\":" << jsonString(d.column->key) << ",\"a\":" << jsonNumber(d.a)
                    << ",\"b\":" << jsonNumber(d.b) << ",\"difference\":" << jsonNumber(d.b - d.a)
                    << '}';
                first = false;
            }
            out << ']';
        }
        out << "}\n";
        return;
    }
    if (t.files.size() == 2) {
        differenceGrid(t, format).write(format, out);
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
