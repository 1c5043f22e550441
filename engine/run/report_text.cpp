// SPDX-License-Identifier: MIT
#include "engine/run/report_text.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace rotor {

namespace {

std::string fmtPct(double v) {
    if (!std::isfinite(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v);
    return buf;
}

std::string fmtNum(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string jsonNumber(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

std::string jsonEscape(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 2);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    return out;
}

void printSummaryTable(const ScenarioRun& sc, std::ostream& out) {
    const std::vector<std::string> header = {"strategy", "total", "CAGR", "vol", "Sharpe",
                                             "max DD", "Calmar", "turnover", "costs", "alpha",
                                             "IR"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : sc.strategies) {
        std::string label = r.name + (r.name == sc.benchmark ? " *" : "");
        if (!r.ok) {
            rows.push_back({label, "FAILED: " + r.error});
            continue;
        }
        const Metrics& m = r.metrics;
        rows.push_back({label, fmtPct(m.totalReturn), fmtPct(m.cagr), fmtPct(m.volatility),
                        fmtNum(m.sharpe, 2), fmtPct(-m.maxDrawdown.depth), fmtNum(m.calmar, 2),
                        fmtNum(m.turnover, 2), fmtNum(m.totalCosts, 0), fmtPct(m.alpha),
                        fmtNum(m.informationRatio, 2)});
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& row : rows)
        if (row.size() == header.size())
            for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());

    out << sc.name;
    if (!sc.dates.empty())
        out << "  " << sc.dates.front().iso() << " .. " << sc.dates.back().iso() << "  ("
            << sc.dates.size() << " trading days)";
    out << '\n';
    auto line = [&](const std::vector<std::string>& row) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c == 0)
                out << std::left << std::setw(static_cast<int>(width[c])) << row[c];
            else
                out << "  " << std::right << std::setw(static_cast<int>(width[c])) << row[c];
        }
        out << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
    if (!sc.benchmark.empty()) out << "* benchmark; alpha and IR are against it\n";
}

std::string summaryJson(const RunResults& results, const std::vector<std::string>& outputs) {
    std::ostringstream os;
    os << "{\"rotor_version\":\"" << jsonEscape(results.provenance.rotorVersion)
       << "\",\"scenarios\":[";
    for (std::size_t i = 0; i < results.scenarios.size(); ++i) {
        const ScenarioRun& sc = results.scenarios[i];
        if (i) os << ',';
        os << "{\"name\":\"" << jsonEscape(sc.name) << "\",\"output\":\""
           << jsonEscape(i < outputs.size() ? outputs[i] : "") << "\",\"benchmark\":\""
           << jsonEscape(sc.benchmark) << "\",\"start\":\""
           << (sc.dates.empty() ? "" : sc.dates.front().iso()) << "\",\"end\":\""
           << (sc.dates.empty() ? "" : sc.dates.back().iso()) << "\",\"strategies\":[";
        for (std::size_t j = 0; j < sc.strategies.size(); ++j) {
            const StrategyRun& r = sc.strategies[j];
            if (j) os << ',';
            os << "{\"name\":\"" << jsonEscape(r.name) << "\",\"type\":\"" << jsonEscape(r.type)
               << "\",\"status\":\"" << (r.ok ? "ok" : "failed") << "\"";
            if (!r.ok) {
                os << ",\"error\":\"" << jsonEscape(r.error) << "\"}";
                continue;
            }
            os << ",\"metrics\":{";
            const auto names = metricNames();
            const auto values = metricValues(r.metrics);
            for (std::size_t k = 0; k < names.size(); ++k)
                os << (k ? "," : "") << '"' << names[k] << "\":" << jsonNumber(values[k]);
            os << "}}";
        }
        os << "]}";
    }
    os << "]}\n";
    return os.str();
}

}  // namespace rotor
