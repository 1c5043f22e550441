// SPDX-License-Identifier: MIT
// Builds every CSV in memory, checks all targets, then writes each one atomically.
#include "engine/report/export_csv.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/report/compare.hpp"

#include <filesystem>
#include <set>
#include <sstream>

namespace rotor::report {

namespace {

std::string safeName(const std::string& name) {
    std::string out;
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        out += ok ? c : '_';
    }
    if (out.empty() || out == "." || out == "..") out = "_" + out;
    return out;
}

std::string field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

struct CsvFile {
    std::string relative;
    std::string text;
};

class Csv {
public:
    void header(const std::vector<std::string>& names) { row(names); }
    void row(const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) os_ << (i ? "," : "") << field(cells[i]);
        os_ << '\n';
    }
    std::string str() const { return os_.str(); }

private:
    std::ostringstream os_;
};

std::string tableCsv(const RecordTable& t) {
    Csv c;
    c.header(t.fields);
    for (std::size_t r = 0; r < t.rows; ++r) {
        std::vector<std::string> cells;
        for (const auto& f : t.fields)
            cells.push_back(t.hasNumber(f) ? formatRaw(t.number(f, r)) : t.text(f, r));
        c.row(cells);
    }
    return c.str();
}

std::string at(const std::vector<double>& v, std::size_t i) {
    return i < v.size() ? formatRaw(v[i]) : "";
}

std::vector<std::string> levelNames(const std::vector<double>& pct) {
    std::vector<std::string> out;
    for (double p : pct) {
        std::ostringstream os;
        os << 'p' << p;
        out.push_back(os.str());
    }
    return out;
}

std::string gridCsv(const Grid& g, const std::vector<std::string>& dates,
                    const std::vector<std::string>& columns) {
    Csv c;
    std::vector<std::string> h = {"date"};
    h.insert(h.end(), columns.begin(), columns.end());
    c.header(h);
    for (std::size_t t = 0; t < g.rows; ++t) {
        std::vector<std::string> row = {t < dates.size() ? dates[t] : ""};
        for (std::size_t j = 0; j < g.cols; ++j) row.push_back(formatRaw(g.at(t, j)));
        c.row(row);
    }
    return c.str();
}

void scenarioFiles(const ScenarioData& s, std::vector<CsvFile>& files) {
    const std::string dir = safeName(s.name) + "/";
    if (!s.monteCarlo()) {
        Csv rate;
        rate.header({"date", "cash_rate"});
        for (std::size_t t = 0; t < s.dates.size(); ++t) rate.row({s.dates[t], at(s.cashRate, t)});
        files.push_back({dir + "cash_rate.csv", rate.str()});
        for (const auto& st : s.history) {
            if (!st.ok()) continue;
            Csv eq;
            eq.header({"date", "equity", "return", "wealth"});
            for (std::size_t t = 0; t < st.equity.size(); ++t)
                eq.row({t < s.dates.size() ? s.dates[t] : "", formatRaw(st.equity[t]),
                        at(st.returns, t), formatRaw(st.equity[t] / s.initialCapital)});
            files.push_back({dir + safeName(st.name) + "_equity.csv", eq.str()});
            files.push_back(
                {dir + safeName(st.name) + "_weights.csv", gridCsv(st.weights, s.dates, s.assets)});
            files.push_back({dir + safeName(st.name) + "_trades.csv", tableCsv(st.trades)});
        }
        return;
    }
    const auto levels = levelNames(s.percentiles);
    files.push_back({dir + "rate_bands.csv", gridCsv(s.rateBands, s.dates, levels)});
    for (const auto& m : s.mc) {
        if (!m.ok()) continue;
        files.push_back(
            {dir + safeName(m.name) + "_bands.csv", gridCsv(m.equityBands, s.dates, levels)});
        if (m.paths.empty()) continue;
        Csv p;
        std::vector<std::string> h = {"path"};
        std::size_t n = 0;
        for (const auto& [name, v] : m.paths) {
            h.push_back(name);
            n = std::max(n, v.size());
        }
        p.header(h);
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<std::string> row = {std::to_string(i)};
            for (const auto& [name, v] : m.paths) row.push_back(at(v, i));
            p.row(row);
        }
        files.push_back({dir + safeName(m.name) + "_paths.csv", p.str()});
    }
    if (s.realised) {
        Csv r;
        std::vector<std::string> h = {"date", "cash_rate"};
        for (const auto& st : s.realised->strategies) h.push_back(st.name);
        r.header(h);
        for (std::size_t t = 0; t < s.realised->dates.size(); ++t) {
            std::vector<std::string> row = {s.realised->dates[t], at(s.realised->cashRate, t)};
            for (const auto& st : s.realised->strategies) row.push_back(at(st.wealth, t));
            r.row(row);
        }
        files.push_back({dir + "realised.csv", r.str()});
    }
}

}  // namespace

namespace {
// What an export writes, so what replacing an earlier export may remove.
bool isExportFile(const std::string& name) {
    return name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
}
}  // namespace

void checkExportFolder(const std::string& dir, bool force) {
    checkDirectoryOutput(dir, force, &isExportFile);
}

std::vector<std::string> exportCsv(const ResultsData& data, const std::string& dir, bool force) {
    if (dir.empty()) throw InputError("export: --csv needs a directory");
    checkExportFolder(dir, force);

    std::vector<CsvFile> files;
    if (data.metrics) files.push_back({"metrics.csv", tableCsv(*data.metrics)});
    if (data.mcSummary) files.push_back({"mc_summary.csv", tableCsv(*data.mcSummary)});
    for (const auto& s : data.scenarios) scenarioFiles(s, files);

    std::set<std::string> seen;
    std::vector<std::string> paths;
    for (const auto& f : files) {
        paths.push_back((std::filesystem::path(dir) / f.relative).string());
        if (!seen.insert(f.relative).second)
            throw InputError("export: two outputs map to the same file '" + paths.back() +
                             "' (names differ only in characters replaced by '_')");
    }
    // Every file into a temporary folder, then the folder into place: all of them or none.
    AtomicDirectory out(dir, force, &isExportFile);
    for (const auto& f : files) out.writeFile(f.relative, f.text);
    out.commit();
    return paths;
}

}  // namespace rotor::report
