// SPDX-License-Identifier: MIT
#include "engine/run/report_text.hpp"

#include "engine/core/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace rotor {

namespace {

std::string fmtPct(double v) {
    if (!std::isfinite(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v + 0.0);  // + 0.0: -0 shows as 0.00%
    return buf;
}

std::string fmtNum(double v, int decimals) {
    if (!std::isfinite(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

void printSummaryTable(const ScenarioRun& sc, std::ostream& out) {
    const std::vector<std::string> header = {"strategy", "total",  "CAGR",   "vol",
                                             "Sharpe",   "max DD", "Calmar", "turnover",
                                             "costs",    "alpha",  "IR"};
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
            for (std::size_t c = 0; c < row.size(); ++c)
                width[c] = std::max(width[c], row[c].size());

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

namespace {

// A metric as the tables show it: returns and drawdowns in percent, ratios with 2 decimals.
std::string fmtMetric(const std::string& metric, double v) {
    if (metric == "sharpe" || metric == "sortino" || metric == "calmar" || metric == "turnover")
        return fmtNum(v, 2);
    return fmtPct(v);
}

std::string chosenLabel(const WalkForwardRun& w, std::size_t cell) {
    std::string label;
    for (const SweepValue& v : w.sweeps[cell])
        label += (label.empty() ? "" : " ") + v.label + "=" + v.value;
    return label.empty() ? w.cells[cell] : label;
}

}  // namespace

void printWalkForwardTable(const WalkForwardRun& w, std::ostream& out) {
    out << "walk-forward " << w.name << ": " << w.strategy << " by " << w.metric << " ("
        << (w.maximise ? "maximise" : "minimise") << "), in-sample " << w.inSample
        << (w.anchored ? " (anchored)" : "") << ", out-of-sample " << w.outOfSample << ", step "
        << w.step << " trading days, " << w.cells.size() << " cells\n";
    const std::vector<std::string> header = {"step",   "in-sample",      "out-of-sample",
                                             "chosen", "IS " + w.metric, "OOS " + w.metric};
    std::vector<std::vector<std::string>> rows;
    for (std::size_t k = 0; k < w.steps.size(); ++k) {
        const WalkForwardStep& s = w.steps[k];
        const auto date = [&](Index d) { return w.dates[static_cast<std::size_t>(d)].iso(); };
        rows.push_back(
            {std::to_string(k + 1), date(s.inSampleFirst) + " .. " + date(s.inSampleLast),
             date(s.inSampleLast) + " .. " + date(s.outOfSampleLast), chosenLabel(w, s.cell),
             fmtMetric(w.metric, s.inSampleMetric), fmtMetric(w.metric, s.outOfSampleMetric)});
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    auto line = [&](const std::vector<std::string>& row) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const bool left = c >= 1 && c <= 3;
            if (c > 0) out << "  ";
            out << (left ? std::left : std::right) << std::setw(static_cast<int>(width[c]))
                << row[c];
        }
        out << '\n';
    };
    line(header);
    for (const auto& row : rows) line(row);
    const Index origin = w.steps.front().inSampleLast;
    const Metrics& m = w.stitched;
    out << "stitched out-of-sample " << w.dates[static_cast<std::size_t>(origin)].iso() << " .. "
        << w.dates.back().iso() << ": " << w.metric << " " << fmtMetric(w.metric, w.stitchedMetric)
        << "  (total " << fmtPct(m.totalReturn) << ", CAGR " << fmtPct(m.cagr) << ", max DD "
        << fmtPct(-m.maxDrawdown.depth) << ")\n";
    const double full = w.fullPeriodMetric(static_cast<Index>(w.best));
    out << "in-sample best over the whole period: " << chosenLabel(w, w.best) << ": " << w.metric
        << " " << fmtMetric(w.metric, full) << " (" << fmtMetric(w.metric, w.bestOnStitchedDays)
        << " on the stitched days); gap to out-of-sample "
        << fmtMetric(w.metric, full - w.stitchedMetric) << '\n';
}

namespace {
std::string fmtLevel(double level) {
    std::ostringstream os;
    os << level;
    return os.str();
}
}  // namespace

void printMcSummaryTable(const McScenarioRun& sc, std::ostream& out) {
    out << sc.name << "  " << (sc.dates.empty() ? "" : sc.dates.front().iso()) << " .. "
        << (sc.dates.empty() ? "" : sc.dates.back().iso()) << "  (" << sc.paths << " paths, "
        << sc.dates.size() << " trading days, seed " << sc.seed << ")\n";
    std::size_t width = 8;
    for (const auto& r : sc.strategies) width = std::max(width, r.name.size() + 2);
    const auto pct = [](double x) {
        if (!std::isfinite(x)) return std::string("-");
        std::ostringstream os;
        os << std::fixed << std::setprecision(1) << 100.0 * x + 0.0 << '%';
        return os.str();
    };
    // Terminal wealth as a return: W - 1.
    std::size_t lo = 0, mid = 0, hi = 0;
    for (std::size_t q = 0; q < sc.percentiles.size(); ++q) {
        if (std::abs(sc.percentiles[q] - 5.0) < 1e-9) lo = q;
        if (std::abs(sc.percentiles[q] - 50.0) < 1e-9) mid = q;
        if (std::abs(sc.percentiles[q] - 95.0) < 1e-9) hi = q;
    }
    out << std::left << std::setw(static_cast<int>(width)) << "strategy" << std::right
        << std::setw(9) << "mean" << std::setw(9)
        << ("p" + fmtLevel(sc.percentiles.empty() ? 0 : sc.percentiles[lo])) << std::setw(9)
        << ("p" + fmtLevel(sc.percentiles.empty() ? 0 : sc.percentiles[mid])) << std::setw(9)
        << ("p" + fmtLevel(sc.percentiles.empty() ? 0 : sc.percentiles[hi])) << std::setw(8)
        << "P(loss)" << std::setw(9) << "P(>bm)" << std::setw(8) << "VaR95" << std::setw(8)
        << "CVaR95" << std::setw(9) << "med DD";
    if (sc.realised) out << std::setw(10) << "realised" << std::setw(6) << "rank";
    out << '\n';
    for (const auto& r : sc.strategies) {
        const std::string name = r.name + (r.name == sc.benchmark ? " *" : "");
        out << std::left << std::setw(static_cast<int>(width)) << name << std::right;
        if (!r.ok) {
            out << "  failed: " << r.error << '\n';
            continue;
        }
        const auto& d = r.terminal;
        const auto at = [&](std::size_t q) {
            return q < d.percentiles.size() ? d.percentiles[q] - 1.0 : std::nan("");
        };
        Vector dd = r.paths.maxDrawdown;
        std::sort(dd.data(), dd.data() + dd.size());
        // Streamed per-path values are not here; the summary holds their median.
        const double medDd = sc.pathsStreamed ? r.pathSummary.medianMaxDrawdown
                             : dd.size()      ? (dd.size() % 2
                                                     ? dd[dd.size() / 2]
                                                     : 0.5 * (dd[dd.size() / 2 - 1] + dd[dd.size() / 2]))
                                              : std::nan("");
        out << std::setw(9) << pct(d.mean - 1.0) << std::setw(9) << pct(at(lo)) << std::setw(9)
            << pct(at(mid)) << std::setw(9) << pct(at(hi)) << std::setw(8) << pct(d.probLoss)
            << std::setw(9) << pct(d.probBeatBenchmark) << std::setw(8) << pct(-d.var95)
            << std::setw(8) << pct(-d.cvar95) << std::setw(9) << pct(-medDd);
        if (sc.realised) {
            bool found = false;
            for (const auto& rs : sc.realised->strategies) {
                if (rs.name != r.name) continue;
                std::ostringstream rank;
                rank << std::fixed << std::setprecision(0) << rs.percentileRank;
                out << std::setw(10) << pct(rs.wealth[rs.wealth.size() - 1] - 1.0) << std::setw(6)
                    << rank.str();
                found = true;
            }
            if (!found) out << std::setw(10) << "-" << std::setw(6) << "-";
        }
        out << '\n';
    }
    out << "returns over the horizon; p5/p50/p95 across paths; P(>bm): beats the benchmark (*) on "
           "the same path";
    if (sc.realised)
        out << ";\nrealised: " << sc.realised->dates.front().iso() << " .. "
            << sc.realised->dates.back().iso() << " from data/ (ended by " << sc.realised->endedBy
            << "), rank = its percentile among the simulated paths on that day";
    out << '\n';
}

namespace {

// `{"name":...,"type":...,"status":...` of a historical or Monte Carlo strategy run. A failed
// run's object is closed here with its error, and false is returned: it has nothing more.
template <class Run>
bool jsonStrategyHead(std::ostream& os, const Run& r) {
    os << "{\"name\":\"" << jsonEscape(r.name) << "\",\"type\":\"" << jsonEscape(r.type)
       << "\",\"status\":\"" << (r.ok ? "ok" : "failed") << "\"";
    if (!r.ok) os << ",\"error\":\"" << jsonEscape(r.error) << "\"}";
    return r.ok;
}

}  // namespace

std::string jsonScenario(const ScenarioRun& sc, const std::string& output) {
    std::ostringstream os;
    os << "{\"name\":\"" << jsonEscape(sc.name) << "\",\"output\":\"" << jsonEscape(output)
       << "\",\"benchmark\":\"" << jsonEscape(sc.benchmark) << "\",\"start\":\""
       << (sc.dates.empty() ? "" : sc.dates.front().iso()) << "\",\"end\":\""
       << (sc.dates.empty() ? "" : sc.dates.back().iso()) << "\",\"strategies\":[";
    for (std::size_t j = 0; j < sc.strategies.size(); ++j) {
        const StrategyRun& r = sc.strategies[j];
        if (j) os << ',';
        if (!jsonStrategyHead(os, r)) continue;
        os << ",\"metrics\":{";
        const auto names = metricNames();
        const auto values = metricValues(r.metrics);
        for (std::size_t k = 0; k < names.size(); ++k) {
            os << (k ? "," : "") << '"' << names[k] << "\":";
            // Day indices mean nothing outside the file: the drawdown's days are ISO dates
            // (null for a drawdown that never recovered).
            if (names[k] == "drawdown_peak" || names[k] == "drawdown_trough" ||
                names[k] == "drawdown_recovery") {
                const double day = values[k];
                if (day >= 0 && day < static_cast<double>(sc.dates.size()))
                    os << '"' << sc.dates[static_cast<std::size_t>(day)].iso() << '"';
                else
                    os << "null";
            } else {
                os << jsonNumber(values[k]);
            }
        }
        os << "}}";
    }
    os << "]}";
    return os.str();
}

std::string jsonMonteCarlo(const McScenarioRun& sc, const std::string& output) {
    std::ostringstream os;
    os << "{\"name\":\"" << jsonEscape(sc.name) << "\",\"output\":\"" << jsonEscape(output)
       << "\",\"benchmark\":\"" << jsonEscape(sc.benchmark) << "\",\"paths\":" << sc.paths
       << ",\"seed\":" << sc.seed << ",\"percentiles\":[";
    for (std::size_t q = 0; q < sc.percentiles.size(); ++q)
        os << (q ? "," : "") << jsonNumber(sc.percentiles[q]);
    os << "],\"strategies\":[";
    for (std::size_t j = 0; j < sc.strategies.size(); ++j) {
        const McStrategyRun& r = sc.strategies[j];
        if (j) os << ',';
        if (!jsonStrategyHead(os, r)) continue;
        const auto& d = r.terminal;
        os << ",\"terminal_wealth\":{\"mean\":" << jsonNumber(d.mean)
           << ",\"stdev\":" << jsonNumber(d.stdev) << ",\"percentiles\":[";
        for (std::size_t q = 0; q < d.percentiles.size(); ++q)
            os << (q ? "," : "") << jsonNumber(d.percentiles[q]);
        os << "],\"prob_loss\":" << jsonNumber(d.probLoss)
           << ",\"prob_beat_benchmark\":" << jsonNumber(d.probBeatBenchmark)
           << ",\"var95\":" << jsonNumber(d.var95) << ",\"cvar95\":" << jsonNumber(d.cvar95) << "}";
        if (sc.realised)
            for (const auto& rs : sc.realised->strategies)
                if (rs.name == r.name)
                    os << ",\"realised\":{\"end\":\"" << sc.realised->dates.back().iso()
                       << "\",\"wealth\":" << jsonNumber(rs.wealth[rs.wealth.size() - 1])
                       << ",\"percentile_rank\":" << jsonNumber(rs.percentileRank) << "}";
        os << "}";
    }
    os << "]}";
    return os.str();
}

std::string jsonWalkForward(const WalkForwardRun& w, const std::string& output) {
    std::ostringstream os;
    const auto date = [&](Index d) { return w.dates[static_cast<std::size_t>(d)].iso(); };
    os << "{\"name\":\"" << jsonEscape(w.name) << "\",\"output\":\"" << jsonEscape(output)
       << "\",\"strategy\":\"" << jsonEscape(w.strategy) << "\",\"metric\":\""
       << jsonEscape(w.metric) << "\",\"maximise\":" << (w.maximise ? "true" : "false")
       << ",\"in_sample\":" << w.inSample << ",\"window\":\""
       << (w.anchored ? "anchored" : "rolling") << "\",\"out_of_sample\":" << w.outOfSample
       << ",\"step\":" << w.step << ",\"cells\":[";
    for (std::size_t c = 0; c < w.cells.size(); ++c)
        os << (c ? "," : "") << '"' << jsonEscape(w.cells[c]) << '"';
    os << "],\"steps\":[";
    for (std::size_t k = 0; k < w.steps.size(); ++k) {
        const WalkForwardStep& s = w.steps[k];
        os << (k ? "," : "") << "{\"in_sample_first\":\"" << date(s.inSampleFirst)
           << "\",\"in_sample_last\":\"" << date(s.inSampleLast) << "\",\"out_of_sample_last\":\""
           << date(s.outOfSampleLast) << "\",\"cell\":\"" << jsonEscape(w.cells[s.cell])
           << "\",\"in_sample_metric\":" << jsonNumber(s.inSampleMetric)
           << ",\"out_of_sample_metric\":" << jsonNumber(s.outOfSampleMetric) << "}";
    }
    os << "]";
    if (!w.steps.empty()) {
        const Metrics& m = w.stitched;
        const double full = w.fullPeriodMetric(static_cast<Index>(w.best));
        os << ",\"stitched\":{\"start\":\"" << date(w.steps.front().inSampleLast) << "\",\"end\":\""
           << w.dates.back().iso() << "\",\"metric\":" << jsonNumber(w.stitchedMetric)
           << ",\"total_return\":" << jsonNumber(m.totalReturn)
           << ",\"cagr\":" << jsonNumber(m.cagr)
           << ",\"max_drawdown\":" << jsonNumber(m.maxDrawdown.depth)
           << "},\"hindsight\":{\"cell\":\"" << jsonEscape(w.cells[w.best])
           << "\",\"metric\":" << jsonNumber(full)
           << ",\"on_stitched_days\":" << jsonNumber(w.bestOnStitchedDays)
           << "},\"gap\":" << jsonNumber(full - w.stitchedMetric);
    }
    os << "}";
    return os.str();
}

std::string summaryJson(const std::string& rotorVersion, const std::vector<std::string>& scenarios,
                        const std::vector<std::string>& monteCarlo,
                        const std::vector<std::string>& walkForward) {
    std::ostringstream os;
    os << "{\"rotor_version\":\"" << jsonEscape(rotorVersion) << "\",\"scenarios\":[";
    for (std::size_t i = 0; i < scenarios.size(); ++i) os << (i ? "," : "") << scenarios[i];
    os << "],\"monte_carlo\":[";
    for (std::size_t i = 0; i < monteCarlo.size(); ++i) os << (i ? "," : "") << monteCarlo[i];
    os << "],\"walk_forward\":[";
    for (std::size_t i = 0; i < walkForward.size(); ++i) os << (i ? "," : "") << walkForward[i];
    os << "]}\n";
    return os.str();
}

std::string summaryJson(const RunResults& results, const std::vector<std::string>& outputs,
                        const std::vector<std::string>& mcOutputs) {
    std::vector<std::string> scenarios, monteCarlo;
    for (std::size_t i = 0; i < results.scenarios.size(); ++i)
        scenarios.push_back(
            jsonScenario(results.scenarios[i], i < outputs.size() ? outputs[i] : ""));
    for (std::size_t i = 0; i < results.monteCarlo.size(); ++i)
        monteCarlo.push_back(
            jsonMonteCarlo(results.monteCarlo[i], i < mcOutputs.size() ? mcOutputs[i] : ""));
    std::vector<std::string> walkForward;
    for (const WalkForwardRun& w : results.walkForward)
        walkForward.push_back(jsonWalkForward(w, outputs.empty() ? "" : outputs.front()));
    return summaryJson(results.provenance.rotorVersion, scenarios, monteCarlo, walkForward);
}

void printExpectations(const McScenarioRun& sc, std::ostream& out) {
    if (sc.expectations.empty()) return;
    const auto pct = [](double x) {
        if (!std::isfinite(x)) return std::string("-");
        std::ostringstream os;
        os << std::fixed << std::setprecision(1) << 100.0 * x + 0.0 << '%';
        return os.str();
    };
    std::size_t aw = 7, rw = 8;
    for (const auto& e : sc.expectations) {
        aw = std::max(aw, e.asset.size() + 2);
        rw = std::max(rw, e.regime.size() + 2);
    }
    out << "expected returns by regime (annualised, continuously compounded): cash + premium + "
           "valuation, or a view\n";
    out << std::left << std::setw(static_cast<int>(aw)) << "asset"
        << std::setw(static_cast<int>(rw)) << "regime" << std::right << std::setw(6) << "p"
        << std::setw(10) << "expected" << std::setw(8) << "cash" << std::setw(9) << "premium"
        << std::setw(11) << "valuation" << std::setw(8) << "vol" << std::setw(8) << "Sharpe"
        << "  source\n";
    for (const auto& e : sc.expectations) {
        std::ostringstream sharpe, prob;
        sharpe << std::fixed << std::setprecision(2) << e.sharpe;
        prob << std::fixed << std::setprecision(2) << e.probability;
        out << std::left << std::setw(static_cast<int>(aw)) << e.asset
            << std::setw(static_cast<int>(rw)) << e.regime << std::right << std::setw(6)
            << prob.str() << std::setw(10) << pct(e.expectedReturn) << std::setw(8) << pct(e.cash)
            << std::setw(9) << pct(e.premium) << std::setw(11) << pct(e.valuation) << std::setw(8)
            << pct(e.volatility) << std::setw(8) << sharpe.str() << "  " << e.source << '\n';
    }
    if (sc.attributionNames.empty()) return;
    // Mean attribution per regime: columns come as ASSET.part, four parts per asset.
    const auto k = static_cast<Index>(sc.attributionNames.size());
    out << "attribution of log returns over the horizon, mean over each regime's paths: carry + "
           "growth + re-rating + rate effect\n";
    out << std::left << std::setw(static_cast<int>(aw)) << "asset"
        << std::setw(static_cast<int>(rw)) << "regime" << std::right << std::setw(9) << "carry"
        << std::setw(9) << "growth" << std::setw(10) << "rerating" << std::setw(9) << "rates"
        << '\n';
    for (Index j = 0; j + 3 < k; j += 4) {
        const std::string& first = sc.attributionNames[static_cast<std::size_t>(j)];
        const std::string asset = first.substr(0, first.rfind('.'));
        for (std::size_t r = 0; r < sc.regimeNames.size(); ++r) {
            double sum[4] = {0, 0, 0, 0};
            long count = 0;
            if (sc.pathsStreamed) {
                for (Index c = 0; c < 4; ++c)
                    sum[c] = sc.attributionSums(static_cast<Index>(r), j + c);
                count = static_cast<long>(sc.pathsPerRegime[r]);
            }
            for (Index p = 0; p < sc.attribution.rows(); ++p) {
                if (sc.regimeOfPath[static_cast<std::size_t>(p)] != static_cast<int>(r)) continue;
                for (Index c = 0; c < 4; ++c) sum[c] += sc.attribution(p, j + c);
                ++count;
            }
            if (count == 0 || std::isnan(sum[2])) continue;
            out << std::left << std::setw(static_cast<int>(aw)) << asset
                << std::setw(static_cast<int>(rw)) << sc.regimeNames[r] << std::right;
            for (int c = 0; c < 4; ++c)
                out << std::setw(c == 2 ? 10 : 9) << pct(sum[c] / static_cast<double>(count));
            out << '\n';
        }
    }
}

}  // namespace rotor
