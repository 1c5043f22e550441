// SPDX-License-Identifier: MIT
// Assembles the HTML report: page shell, per-scenario sections with tables and charts, provenance.
#include "engine/report/html_report.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/report/compare.hpp"
#include "engine/report/html_page.hpp"
#include "engine/report/svg_chart.hpp"
#include "engine/report/tearsheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace rotor::report {

namespace {

// A history's wealth chart is drawn on a log scale once its lines span this factor or more.
constexpr double kLogScaleRatio = 4.0;
// Above this many strategies the overview has no combined drawdown chart.
constexpr std::size_t kMaxOverlaidDrawdowns = 4;
// Trade rows per strategy in a sweep's full cell (the results file holds them all).
constexpr std::size_t kSweepTradeRows = 20;
// Points per line of a compact sweep cell's chart (a full chart has 600).
constexpr std::size_t kCellChartPoints = 240;

using html::esc;
using html::fmt;
using html::keyValueTable;

std::string anchor(std::size_t i) { return "s" + std::to_string(i + 1); }

void compareTableHtml(std::ostringstream& h, const CompareTable& t, const std::string& scenario) {
    std::vector<const CompareRow*> rows;
    for (const auto& r : t.rows)
        if (r.scenario == scenario) rows.push_back(&r);
    std::vector<const MetricColumn*> cols;
    for (const auto& c : t.columns)
        for (const auto* r : rows)
            if (r->values.contains(c.key)) {
                cols.push_back(&c);
                break;
            }
    const std::string rankedBy = rows.empty() ? "" : rows.front()->rankedBy;
    h << "<div class=\"scroll\"><table "
         "class=\"compare\"><tr><th>rank</th><th>strategy</th><th>type</th>";
    for (const auto* c : cols) h << "<th>" << esc(c->label) << "</th>";
    h << "</tr>";
    for (const auto* r : rows) {
        const char* cls = r->status != "ok" ? " class=\"failed\""
                          : r->benchmark    ? " class=\"bm\""
                                            : "";
        h << "<tr" << cls << "><td class=\"n\">" << (r->rank ? std::to_string(r->rank) : r->status)
          << "</td><td>" << esc(r->strategy) << (r->benchmark ? " (benchmark)" : "") << "</td><td>"
          << esc(r->type) << "</td>";
        for (const auto* c : cols)
            h << "<td class=\"n\">" << esc(formatValue(r->value(c->key), c->unit)) << "</td>";
        h << "</tr>";
    }
    h << "</table></div><p class=\"note\">Ranked by " << esc(rankedBy)
      << "; the benchmark row is in bold.</p>";
}

std::vector<double> divide(const std::vector<double>& v, double by) {
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] / by;
    return out;
}

std::vector<double> drawdown(const std::vector<double>& equity) {
    std::vector<double> out(equity.size());
    double high = -INFINITY;
    for (std::size_t i = 0; i < equity.size(); ++i) {
        high = std::max(high, equity[i]);
        out[i] = equity[i] / high - 1.0;  // <= 0: the fall from the running high
    }
    return out;
}

// Background of a heatmap cell: red for losses, green for gains, paler towards 0; `scale` is the
// magnitude that gets the strongest colour.
std::string heatColor(double v, double scale) {
    if (!std::isfinite(v) || !(scale > 0)) return "#ffffff";
    const double t = std::min(std::fabs(v) / scale, 1.0);
    const auto mix = [&](int from, int to) {
        return static_cast<int>(std::lround(from + (to - from) * t * 0.85));
    };
    char buf[16];
    if (v >= 0)
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(255, 26), mix(255, 152), mix(255, 80));
    else
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", mix(255, 214), mix(255, 48), mix(255, 39));
    return buf;
}

// A drawdown or any loss shown to people: a negative percentage (stored as a positive depth).
std::string lossText(double depth) {
    return formatValue(std::isnan(depth) ? depth : -depth, Unit::Fraction);
}

std::string dateAt(const std::vector<std::string>& dates, double index) {
    if (!(index >= 0) || index >= static_cast<double>(dates.size())) return "";
    return dates[static_cast<std::size_t>(index)];
}

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Month-by-year table of returns, with the year's compounded return in the last column.
void monthlyHeatmap(std::ostringstream& h, const std::vector<PeriodReturn>& months,
                    const std::vector<PeriodReturn>& years) {
    double scale = 0;
    for (const auto& m : months) scale = std::max(scale, std::fabs(m.value));
    std::map<int, std::map<int, double>> grid;
    for (const auto& m : months) grid[m.year][m.month] = m.value;
    h << "<div class=\"scroll\"><table class=\"monthly\"><tr><th>year</th>";
    for (const char* m : kMonths) h << "<th>" << m << "</th>";
    h << "<th>year</th></tr>";
    for (const auto& y : years) {
        h << "<tr><th>" << y.year << "</th>";
        for (int m = 1; m <= 12; ++m) {
            const auto it = grid[y.year].find(m);
            if (it == grid[y.year].end()) {
                h << "<td></td>";
                continue;
            }
            h << "<td style=\"background:" << heatColor(it->second, scale) << "\">"
              << formatValue(it->second, Unit::Fraction) << "</td>";
        }
        h << "<td><b>" << formatValue(y.value, Unit::Fraction) << "</b></td></tr>";
    }
    h << "</table></div>";
}

struct SheetInputs {
    const ScenarioData& s;
    const ResultsData& d;
    std::vector<double> cash;                // daily cash return, t = 1..T-1
    const HistoryStrategy* bench = nullptr;  // the benchmark, when it ran
    std::vector<double> benchReturns;
    std::vector<PeriodReturn> benchYears;
    std::size_t maxTrades = 5000;  // rows of each trade list shown
};

std::size_t metricsRow(const ResultsData& d, const std::string& scenario,
                       const std::string& strategy) {
    if (!d.metrics) return 0;
    for (std::size_t i = 0; i < d.metrics->rows; ++i)
        if (d.metrics->text("scenario", i) == scenario &&
            d.metrics->text("strategy", i) == strategy)
            return i;
    return d.metrics->rows;
}

double stored(const ResultsData& d, std::size_t row, const std::string& field) {
    return d.metrics ? d.metrics->number(field, row) : kNaN;
}

std::string storedDate(const ResultsData& d, std::size_t row, const std::string& field) {
    const std::string v = d.metrics ? d.metrics->text(field, row) : "";
    return v.empty() ? "-" : v;
}

// Every stored metric plus the derived ones, metrics as rows and strategies as columns.
void headlineTable(std::ostringstream& h, const SheetInputs& in) {
    const ScenarioData& s = in.s;
    std::vector<const HistoryStrategy*> ok;
    for (const auto& st : s.history)
        if (st.ok() && st.equity.size() >= 2) ok.push_back(&st);
    if (ok.empty()) return;
    const double capital = s.initialCapital > 0 ? s.initialCapital : 1.0;
    struct Derived {
        std::size_t row;
        ReturnStats stats;
        double bestMonth, worstMonth, bestYear, worstYear, monthHit;
        std::size_t trades;
    };
    std::vector<Derived> derived;
    for (const auto* st : ok) {
        Derived x{metricsRow(in.d, s.name, st->name),
                  returnStats(dailyReturns(st->equity)),
                  kNaN,
                  kNaN,
                  kNaN,
                  kNaN,
                  kNaN,
                  st->trades.rows};
        const auto months = monthlyReturns(s.dates, st->equity, capital);
        const auto years = yearlyReturns(s.dates, st->equity, capital);
        const auto extremes = [](const std::vector<PeriodReturn>& p, double& best, double& worst) {
            for (const auto& r : p) {
                best = std::isnan(best) ? r.value : std::max(best, r.value);
                worst = std::isnan(worst) ? r.value : std::min(worst, r.value);
            }
        };
        extremes(months, x.bestMonth, x.worstMonth);
        extremes(years, x.bestYear, x.worstYear);
        if (!months.empty())
            x.monthHit = static_cast<double>(
                             std::count_if(months.begin(), months.end(),
                                           [](const PeriodReturn& r) { return r.value > 0; })) /
                         static_cast<double>(months.size());
        derived.push_back(x);
    }
    h << "<div class=\"scroll\"><table class=\"headline\"><tr><th>metric</th>";
    for (const auto* st : ok)
        h << "<th>" << esc(st->name) << (st->name == s.benchmark ? " (benchmark)" : "") << "</th>";
    h << "</tr>";
    const auto row = [&](const std::string& label, const std::string& key, auto cell) {
        h << "<tr data-key=\"" << key << "\"><th>" << esc(label) << "</th>";
        for (std::size_t i = 0; i < ok.size(); ++i)
            h << "<td class=\"n\">" << esc(cell(i)) << "</td>";
        h << "</tr>";
    };
    const auto storedRow = [&](const std::string& label, const std::string& key, Unit unit) {
        row(label, key,
            [&](std::size_t i) { return formatValue(stored(in.d, derived[i].row, key), unit); });
    };
    storedRow("Total return", "total_return", Unit::Fraction);
    storedRow("CAGR", "cagr", Unit::Fraction);
    storedRow("Volatility (annualised)", "volatility", Unit::Fraction);
    storedRow("Sharpe", "sharpe", Unit::Ratio);
    storedRow("Sortino", "sortino", Unit::Ratio);
    storedRow("Calmar", "calmar", Unit::Ratio);
    row("Max drawdown", "max_drawdown",
        [&](std::size_t i) { return lossText(stored(in.d, derived[i].row, "max_drawdown")); });
    row("Drawdown peak", "peak_date",
        [&](std::size_t i) { return storedDate(in.d, derived[i].row, "peak_date"); });
    row("Drawdown trough", "trough_date",
        [&](std::size_t i) { return storedDate(in.d, derived[i].row, "trough_date"); });
    row("Drawdown recovery", "recovery_date", [&](std::size_t i) {
        const std::string v = storedDate(in.d, derived[i].row, "recovery_date");
        return v == "-" ? std::string("not recovered") : v;
    });
    storedRow("Alpha (annualised)", "alpha", Unit::Fraction);
    storedRow("Beta", "beta", Unit::Ratio);
    storedRow("Tracking error", "tracking_error", Unit::Fraction);
    storedRow("Information ratio", "information_ratio", Unit::Ratio);
    row("Skew (daily)", "skew",
        [&](std::size_t i) { return formatValue(derived[i].stats.skew, Unit::Ratio); });
    row("Excess kurtosis (daily)", "kurtosis",
        [&](std::size_t i) { return formatValue(derived[i].stats.kurtosis, Unit::Ratio); });
    row("Best day", "best_day",
        [&](std::size_t i) { return formatValue(derived[i].stats.bestDay, Unit::Fraction); });
    row("Worst day", "worst_day",
        [&](std::size_t i) { return formatValue(derived[i].stats.worstDay, Unit::Fraction); });
    row("Best month", "best_month",
        [&](std::size_t i) { return formatValue(derived[i].bestMonth, Unit::Fraction); });
    row("Worst month", "worst_month",
        [&](std::size_t i) { return formatValue(derived[i].worstMonth, Unit::Fraction); });
    row("Best year", "best_year",
        [&](std::size_t i) { return formatValue(derived[i].bestYear, Unit::Fraction); });
    row("Worst year", "worst_year",
        [&](std::size_t i) { return formatValue(derived[i].worstYear, Unit::Fraction); });
    row("Hit rate (days up)", "hit_rate",
        [&](std::size_t i) { return formatValue(derived[i].stats.hitRate, Unit::Fraction); });
    row("Hit rate (months up)", "month_hit_rate",
        [&](std::size_t i) { return formatValue(derived[i].monthHit, Unit::Fraction); });
    storedRow("Turnover (annual, one-way)", "turnover", Unit::Ratio);
    storedRow("Total costs", "total_costs", Unit::Currency);
    row("Rebalances", "rebalances",
        [&](std::size_t i) { return fmt(stored(in.d, derived[i].row, "rebalances"), "%.0f"); });
    row("Trades", "trades", [&](std::size_t i) { return std::to_string(derived[i].trades); });
    h << "</table></div><p class=\"note\">Stored metrics as defined in docs/metrics.md; skew, "
         "kurtosis, best/worst and hit rates are over the daily returns, calendar months and "
         "calendar years (the first and last may be partial). Drawdowns are shown as losses "
         "(negative).</p>";
}

void drawdownTable(std::ostringstream& h, const ScenarioData& s, const HistoryStrategy& st) {
    h << "<table class=\"worst-drawdowns\"><tr><th>#</th><th>start (peak)</th><th>trough</th>"
         "<th>recovery</th><th>depth</th><th>days to trough</th><th>length (days)</th></tr>";
    std::size_t k = 0;
    for (const auto& e : worstDrawdowns(st.equity, 5)) {
        h << "<tr><td class=\"n\">" << ++k << "</td><td>"
          << esc(dateAt(s.dates, static_cast<double>(e.peak))) << "</td><td>"
          << esc(dateAt(s.dates, static_cast<double>(e.trough))) << "</td><td>"
          << (e.recovery < 0 ? std::string("not recovered")
                             : esc(dateAt(s.dates, static_cast<double>(e.recovery))))
          << "</td><td class=\"n\">" << lossText(e.depth) << "</td><td class=\"n\">"
          << e.trough - e.peak << "</td><td class=\"n\">" << e.length << (e.recovery < 0 ? "+" : "")
          << "</td></tr>";
    }
    h << "</table>";
    if (k == 0) h << "<p class=\"note\">Never under water.</p>";
}

void tradeTable(std::ostringstream& h, const HistoryStrategy& st, std::size_t kMaxRows) {
    const RecordTable& t = st.trades;
    h << "<details class=\"trades\"><summary>Trades (" << t.rows << ")</summary>";
    if (t.rows == 0) {
        h << "<p class=\"note\">No trades.</p></details>";
        return;
    }
    h << "<div class=\"scroll\"><table class=\"trades\"><tr><th>date</th><th>asset</th>"
         "<th>side</th><th>quantity</th><th>price</th><th>notional</th><th>commission</th>"
         "<th>slippage</th></tr>";
    for (std::size_t i = 0; i < std::min(t.rows, kMaxRows); ++i) {
        const double q = t.number("quantity", i);
        h << "<tr><td>" << esc(t.text("date", i)) << "</td><td>" << esc(t.text("asset", i))
          << "</td><td>"
          << (q > 0   ? "buy"
              : q < 0 ? "sell"
                      : "-")
          << "</td><td class=\"n\">" << fmt(q, "%.4f") << "</td><td class=\"n\">"
          << fmt(t.number("price", i), "%.4f") << "</td><td class=\"n\">"
          << fmt(t.number("notional", i), "%.2f") << "</td><td class=\"n\">"
          << fmt(t.number("commission", i), "%.2f") << "</td><td class=\"n\">"
          << fmt(t.number("slippage", i), "%.2f") << "</td></tr>";
    }
    h << "</table></div>";
    if (t.rows > kMaxRows)
        h << "<p class=\"note\">First " << kMaxRows << " of " << t.rows
          << " trades; `rotor export` writes them all.</p>";
    h << "</details>";
}

// One strategy's tear sheet: periods, rolling statistics, drawdowns, distribution, trades.
void strategySheet(std::ostringstream& h, const SheetInputs& in, const HistoryStrategy& st,
                   const std::string& color) {
    const ScenarioData& s = in.s;
    const double capital = s.initialCapital > 0 ? s.initialCapital : 1.0;
    const bool isBench = in.bench == &st;
    h << "<details class=\"sheet\" open><summary>" << esc(st.name)
      << (isBench ? " (benchmark)" : "") << "</summary>";
    const auto months = monthlyReturns(s.dates, st.equity, capital);
    const auto years = yearlyReturns(s.dates, st.equity, capital);
    h << "<h3>Monthly returns</h3>";
    monthlyHeatmap(h, months, years);

    std::vector<std::string> cats;
    std::vector<double> mine, theirs;
    for (const auto& y : years) {
        cats.push_back(std::to_string(y.year));
        mine.push_back(y.value);
        double b = kNaN;
        for (const auto& by : in.benchYears)
            if (by.year == y.year) b = by.value;
        theirs.push_back(b);
    }
    std::vector<BarSeries> bars = {{st.name, mine, color}};
    if (in.bench && !isBench) bars.push_back({in.bench->name + " (benchmark)", theirs, "#999999"});
    h << "<h3>Yearly returns</h3>"
      << barChart({"yearly",
                   st.name + ": calendar-year returns" +
                       (in.bench && !isBench ? " against the benchmark" : ""),
                   {},
                   Unit::Fraction,
                   920,
                   240},
                  cats, bars);

    const std::vector<double> r = dailyReturns(st.equity);
    const RollingStats six = rollingStats(r, in.cash,
                                          in.bench && !isBench ? &in.benchReturns : nullptr, 126);
    const RollingStats twelve = rollingStats(r, in.cash,
                                             in.bench && !isBench ? &in.benchReturns : nullptr,
                                             252);
    const auto rollingChart = [&](const std::string& what, const std::vector<double>& a,
                                  const std::vector<double>& b, Unit unit) {
        return lineChart({"rolling", st.name + ": rolling " + what, s.dates, unit, 920, 200}, {},
                         {{"6 months (126 days)", a, color, false, 1.2},
                          {"12 months (252 days)", b, "#000000", false, 1.5}});
    };
    h << "<h3>Rolling statistics</h3>";
    if (r.size() < 126) {
        h << "<p class=\"note\">Fewer than 126 daily returns: no rolling window fits.</p>";
    } else {
        h << rollingChart("Sharpe ratio", six.sharpe, twelve.sharpe, Unit::Ratio)
          << rollingChart("volatility (annualised)", six.volatility, twelve.volatility,
                          Unit::Fraction);
        if (in.bench && !isBench)
            h << rollingChart("beta to " + in.bench->name, six.beta, twelve.beta, Unit::Ratio);
    }

    std::vector<LineSeries> under = {{st.name, drawdown(st.equity), color, false, 1.3}};
    if (in.bench && !isBench)
        under.push_back(
            {in.bench->name + " (benchmark)", drawdown(in.bench->equity), "#000000", true, 1.2});
    h << "<h3>Drawdowns</h3>"
      << lineChart({"underwater", st.name + ": fall from the running high", s.dates, Unit::Fraction,
                    920, 200},
                   {}, under);
    drawdownTable(h, s, st);

    const ReturnStats rs = returnStats(r);
    std::vector<double> sorted(r);
    std::sort(sorted.begin(), sorted.end());
    h << "<h3>Distribution of daily returns</h3>"
      << histogramChart({"distribution",
                         st.name + ": daily returns (share of days per bin; p1–p99 shown)",
                         {},
                         Unit::Fraction,
                         920,
                         220},
                        r, 50, {{0.0, "0"}, {percentileOfSorted(sorted, 50), "median"}})
      << "<p class=\"note\">Skew " << formatValue(rs.skew, Unit::Ratio) << ", excess kurtosis "
      << formatValue(rs.kurtosis, Unit::Ratio) << ", " << formatValue(rs.hitRate, Unit::Fraction)
      << " of days up.</p>";
    tradeTable(h, st, in.maxTrades);
    h << "</details>";
}

// Decades of compounding read better on a log scale: there, equal heights are equal returns,
// and the early years are not flattened against the axis.
std::string wealthChart(const ScenarioData& s, const std::vector<LineSeries>& equity,
                        std::size_t maxPoints = 600) {
    double lo = INFINITY, hi = 0.0;
    for (const auto& l : equity)
        for (double v : l.y)
            if (std::isfinite(v) && v > 0) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    ChartFrame wealth{"equity", "Wealth (equity / initial capital)", s.dates, Unit::Wealth};
    wealth.maxPoints = maxPoints;
    if (hi >= kLogScaleRatio * lo) {
        wealth.logY = true;
        wealth.title += ", log scale";
    }
    return lineChart(wealth, {}, equity);
}

void historySection(std::ostringstream& h, const ScenarioData& s, const ResultsData& d,
                    std::size_t maxTrades) {
    const double capital = s.initialCapital > 0 ? s.initialCapital : 1.0;
    SheetInputs in{s, d, cashReturns(s.dates, s.cashRate), nullptr, {}, {}, maxTrades};
    for (const auto& st : s.history)
        if (st.name == s.benchmark && st.ok() && st.equity.size() == s.dates.size()) {
            in.bench = &st;
            in.benchReturns = dailyReturns(st.equity);
            in.benchYears = yearlyReturns(s.dates, st.equity, capital);
        }
    h << "<h3>Headline metrics</h3>";
    headlineTable(h, in);

    std::vector<LineSeries> equity, dd;
    std::vector<std::string> colors;
    std::size_t color = 0;
    for (const auto& st : s.history) {
        const bool bm = st.name == s.benchmark;
        const std::string c = bm ? std::string("#000000") : paletteColor(color);
        colors.push_back(c);
        ++color;
        if (!st.ok() || st.equity.empty()) continue;
        const std::string label = bm ? st.name + " (benchmark)" : st.name;
        equity.push_back({label, divide(st.equity, capital), c, bm, bm ? 2.0 : 1.5});
        dd.push_back({label, drawdown(st.equity), c, bm, bm ? 2.0 : 1.2});
    }
    h << "<h3>Equity</h3>" << wealthChart(s, equity);
    // Past four lines the overlaid drawdowns are a tangle: each strategy's own sheet below has
    // its drawdown against the benchmark instead.
    if (dd.size() <= kMaxOverlaidDrawdowns)
        h << "<h3>Drawdowns</h3>"
          << lineChart({"drawdown", "Drawdown from the running high", s.dates, Unit::Fraction}, {},
                       dd);
    h << "<h3>Weights over time</h3>";
    for (const auto& st : s.history) {
        if (!st.ok() || st.weights.rows == 0) continue;
        std::vector<LineSeries> layers;
        for (std::size_t a = 0; a < st.weights.cols; ++a) {
            std::vector<double> w(st.weights.rows);
            for (std::size_t t = 0; t < st.weights.rows; ++t) w[t] = st.weights.at(t, a);
            layers.push_back({a < s.assets.size() ? s.assets[a] : "asset " + std::to_string(a),
                              std::move(w), paletteColor(a), false, 1.0});
        }
        h << stackedAreaChart({"weights",
                               st.name + ": end-of-day weights (cash is the gap to 100%)", s.dates,
                               Unit::Fraction, 920, 240},
                              layers);
    }
    h << "<h3>Cash rate</h3>"
      << lineChart({"rate", "Cash rate (annual %)", s.dates, Unit::Percent, 920, 220}, {},
                   {{"cash rate", s.cashRate, paletteColor(0), false, 1.5}});
    h << "<h3>Per strategy</h3>";
    for (std::size_t i = 0; i < s.history.size(); ++i) {
        const HistoryStrategy& st = s.history[i];
        if (!st.ok() || st.equity.size() != s.dates.size() || st.equity.size() < 2) continue;
        strategySheet(h, in, st, st.name == s.benchmark ? paletteColor(0) : colors[i]);
    }
}

// Bands from the outermost percentile pair inwards, darker towards the median.
std::vector<BandSeries> fanBands(const Grid& g, const std::vector<double>& pct,
                                 const std::string& color) {
    std::vector<BandSeries> bands;
    const std::size_t q = g.cols;
    for (std::size_t i = 0; i < q / 2; ++i) {
        BandSeries b;
        b.label = "p" + fmt(pct[i], "%g") + "–p" + fmt(pct[q - 1 - i], "%g");
        b.color = color;
        b.opacity = 0.15 + 0.15 * static_cast<double>(i);
        b.lo.resize(g.rows);
        b.hi.resize(g.rows);
        for (std::size_t t = 0; t < g.rows; ++t) {
            b.lo[t] = g.at(t, i);
            b.hi[t] = g.at(t, q - 1 - i);
        }
        bands.push_back(std::move(b));
    }
    return bands;
}

// The column of the median (the level closest to 50).
std::vector<double> medianColumn(const Grid& g, const std::vector<double>& pct) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < pct.size(); ++i)
        if (std::fabs(pct[i] - 50) < std::fabs(pct[best] - 50)) best = i;
    std::vector<double> out(g.rows);
    for (std::size_t t = 0; t < g.rows && best < g.cols; ++t) out[t] = g.at(t, best);
    return out;
}

void monteCarloSection(std::ostringstream& h, const ScenarioData& s) {
    const McStrategy* bench = nullptr;
    for (const auto& m : s.mc)
        if (m.name == s.benchmark && m.ok() && m.equityBands.rows) bench = &m;

    if (s.realised) {
        h << "<h3>Forecast against outcome</h3><p class=\"note\">The first "
          << s.realised->dates.size() << " simulated days are already covered by data ("
          << esc(s.realised->dates.empty() ? "" : s.realised->dates.front()) << " to "
          << esc(s.realised->dates.empty() ? "" : s.realised->dates.back())
          << "); the strategies were replayed on them. The percentile rank is the share of "
             "simulated paths that ended that day below the realised wealth.";
        if (!s.realised->endedBy.empty()) {
            h << " The replay ends where the first series runs out: " << esc(s.realised->endedBy)
              << ".";
        }
        h << "</p>";
        if (!s.realised->coverage.empty()) {
            h << "<ul class=\"note\">";
            for (const auto& c : s.realised->coverage) h << "<li>" << esc(c) << "</li>";
            h << "</ul>";
        }
        h << "<table class=\"realised\"><tr><th>strategy</th><th>realised wealth</th>"
             "<th>realised return</th><th>percentile rank</th></tr>";
        for (const auto& r : s.realised->strategies) {
            const double w = r.wealth.empty() ? kNaN : r.wealth.back();
            h << "<tr><td>" << esc(r.name) << "</td><td class=\"n\">"
              << formatValue(w, Unit::Wealth) << "</td><td class=\"n\">"
              << formatValue(w - 1.0, Unit::Fraction) << "</td><td class=\"n\">"
              << formatValue(r.percentileRank, Unit::Percent) << "</td></tr>";
        }
        h << "</table>";
    }

    // The sampling error of the headline numbers: what another seed could move them by.
    {
        std::ostringstream t;
        std::size_t shown = 0;
        t << "<h3>Sampling error</h3><div class=\"scroll\"><table class=\"standard-errors\"><tr>"
             "<th>strategy</th><th>mean ret</th><th>median ret</th><th>P(loss)</th>"
             "<th>median CAGR</th></tr>";
        // Returns and probabilities as percentages, as in the comparison table; the error in
        // percentage points (a return W - 1 has the standard error of W).
        const auto pm = [](const Estimate& e, double shift = 0.0) {
            if (std::isnan(e.value)) return std::string("-");
            return formatValue(e.value - shift, Unit::Fraction) + " ± " +
                   fmt(e.stdError * 100.0, "%.2f") + " pp";
        };
        for (const auto& m : s.mc) {
            const std::vector<double>* tw = m.path("terminal_wealth");
            if (!m.ok() || !tw || tw->empty()) continue;
            const std::vector<double>* cagr = m.path("cagr");
            ++shown;
            t << "<tr><td>" << esc(m.name) << "</td><td class=\"n\">" << pm(meanEstimate(*tw), 1.0)
              << "</td><td class=\"n\">" << pm(medianEstimate(*tw), 1.0) << "</td><td class=\"n\">"
              << pm(shareBelowEstimate(*tw, 1.0)) << "</td><td class=\"n\">"
              << (cagr && !cagr->empty() ? pm(medianEstimate(*cagr)) : std::string("-"))
              << "</td></tr>";
        }
        t << "</table></div><p class=\"note\">Returns are terminal wealth − 1. Value ± one "
             "standard error, in percentage points (pp), over the "
          << s.paths
          << " paths: sd/√P for the mean, √(p(1−p)/P) for P(loss), and for medians half the "
             "span of the order statistics that bracket the median with 95% coverage, over "
             "2 × 1.96.</p>";
        if (shown) h << t.str();
    }

    h << "<h3>Wealth percentiles</h3>";
    std::size_t color = 0;
    for (const auto& m : s.mc) {
        const std::string& c = paletteColor(color++);
        if (!m.ok() || m.equityBands.rows == 0) continue;
        std::vector<LineSeries> lines = {
            {m.name + " median", medianColumn(m.equityBands, s.percentiles), c, false, 2.0}};
        if (bench && bench != &m)
            lines.push_back({bench->name + " median (benchmark)",
                             medianColumn(bench->equityBands, s.percentiles), "#000000", true,
                             1.5});
        if (s.realised)
            if (const RealisedSeries* r = s.realised->find(m.name))
                lines.push_back({m.name + " realised", r->wealth, "#D55E00", false, 2.2});
        h << lineChart({"fan", m.name + ": wealth (equity / initial capital) by percentile",
                        s.dates, Unit::Wealth},
                       fanBands(m.equityBands, s.percentiles, c), lines);
    }

    h << "<h3>Distribution of terminal wealth</h3>";
    for (const auto& m : s.mc) {
        const std::vector<double>* tw = m.path("terminal_wealth");
        if (!m.ok() || !tw || tw->empty()) continue;
        std::vector<double> sorted(*tw);
        std::sort(sorted.begin(), sorted.end());
        h << histogramChart({"histogram",
                             m.name + ": terminal wealth over " + std::to_string(tw->size()) +
                                 " paths (share of paths per bin; p1–p99 shown)",
                             {},
                             Unit::Wealth,
                             920,
                             240},
                            *tw, 40,
                            {{1.0, "break-even"}, {percentileOfSorted(sorted, 50), "median"}});
    }

    std::vector<BoxRow> boxes;
    for (const auto& m : s.mc) {
        const std::vector<double>* dd = m.path("max_drawdown");
        if (!m.ok() || !dd || dd->empty()) continue;
        // Stored as positive depths; drawn as losses below 0 like every other drawdown.
        std::vector<double> v;
        for (double x : *dd)
            if (std::isfinite(x)) v.push_back(-x);
        std::sort(v.begin(), v.end());
        boxes.push_back({m.name, percentileOfSorted(v, 5), percentileOfSorted(v, 25),
                         percentileOfSorted(v, 50), percentileOfSorted(v, 75),
                         percentileOfSorted(v, 95)});
    }
    if (!boxes.empty())
        h << "<h3>Drawdowns</h3>"
          << boxPlotChart({"drawdown",
                           "Maximum drawdown per path (a loss, below 0): p5, p25–p75 box, median, "
                           "p95",
                           {},
                           Unit::Fraction,
                           920,
                           120},
                          boxes);

    std::vector<LineSeries> realisedRate;
    if (s.realised && !s.realised->cashRate.empty())
        realisedRate.push_back({"realised cash rate", s.realised->cashRate, "#D55E00", false, 2.0});
    std::vector<LineSeries> rateLines = {
        {"median rate", medianColumn(s.rateBands, s.percentiles), paletteColor(0), false, 1.8}};
    rateLines.insert(rateLines.end(), realisedRate.begin(), realisedRate.end());
    ChartFrame rateFrame{"rate", "Cash rate by percentile (annual %)", s.dates, Unit::Percent, 920,
                         240};
    // Where the realised rate's data ends: past it the last observation is carried (within the
    // staleness limit), so the flat stretch is not an observed rate.
    if (s.realised && !s.realised->rateLastObservation.empty() && !s.dates.empty() &&
        s.dates.front() <= s.realised->rateLastObservation) {
        const std::size_t last = static_cast<std::size_t>(
            std::upper_bound(s.dates.begin(), s.dates.end(), s.realised->rateLastObservation) -
            s.dates.begin() - 1);
        if (last < s.realised->dates.size())
            rateFrame.markers.push_back({last, "rate data end " + s.realised->rateLastObservation});
    }
    h << "<h3>Rate path</h3>"
      << lineChart(rateFrame, fanBands(s.rateBands, s.percentiles, paletteColor(0)), rateLines);
    if (!rateFrame.markers.empty())
        h << "<p class=\"note\">The realised cash rate is observed to "
          << esc(s.realised->rateLastObservation)
          << " (dashed line); after it, the last observation is carried within the staleness "
             "limit.</p>";

    if (!s.model.empty())
        h << "<details><summary>Resolved model (YAML)</summary><pre>" << esc(s.model)
          << "</pre></details>";
}

void scenarioSection(std::ostringstream& h, const ScenarioData& s, std::size_t index,
                     const CompareTable& table, const ResultsData& d,
                     std::size_t maxTrades = 5000) {
    h << "<section class=\"scenario\" id=\"" << anchor(index) << "\" data-mode=\""
      << esc(s.monteCarlo() ? "monte_carlo" : "historical") << "\"><h2>" << esc(s.name) << "</h2>";
    if (!s.description.empty()) h << "<p>" << esc(s.description) << "</p>";
    std::vector<std::pair<std::string, std::string>> kv = {
        {"mode", s.mode},
        {"period", s.dates.empty() ? ""
                                   : s.dates.front() + " to " + s.dates.back() + " (" +
                                         std::to_string(s.dates.size()) + " trading days)"},
        {"assets",
         [&] {
             std::string a;
             for (const auto& x : s.assets) a += (a.empty() ? "" : ", ") + x;
             return a;
         }()},
        {"benchmark", s.benchmark.empty() ? "(none)" : s.benchmark},
        {"initial capital", fmt(s.initialCapital, "%.2f")},
    };
    if (s.monteCarlo()) {
        kv.push_back({"paths", std::to_string(s.paths)});
        kv.push_back({"seed", std::to_string(s.seed)});
        std::string pct;
        for (double p : s.percentiles) pct += (pct.empty() ? "" : ", ") + fmt(p, "%g");
        kv.push_back({"percentiles", pct});
        if (s.checkpointDay >= 0) {
            const auto day = static_cast<std::size_t>(s.checkpointDay);
            kv.push_back(
                {"checkpoint day", std::to_string(s.checkpointDay) +
                                       (day < s.dates.size() ? " (" + s.dates[day] + ")" : "")});
        }
        if (!s.regimeNames.empty()) {
            std::vector<std::size_t> counts(s.regimeNames.size(), 0);
            for (double r : s.regimeOfPath)
                if (r >= 0 && static_cast<std::size_t>(r) < counts.size())
                    ++counts[static_cast<std::size_t>(r)];
            std::string regimes;
            for (std::size_t i = 0; i < counts.size(); ++i)
                regimes += (regimes.empty() ? "" : ", ") + s.regimeNames[i] + " (" +
                           std::to_string(counts[i]) + " paths)";
            kv.push_back({"regimes", regimes});
        }
    }
    keyValueTable(h, kv, "params");
    h << "<h3>Comparison</h3>";
    compareTableHtml(h, table, s.name);
    for (const auto* info : [&] {
             std::vector<const StrategyInfo*> v;
             for (const auto& x : s.history) v.push_back(&x);
             for (const auto& x : s.mc) v.push_back(&x);
             return v;
         }())
        if (!info->ok())
            h << "<p class=\"note\">" << esc(info->name) << " failed: " << esc(info->error)
              << "</p>";
    if (s.monteCarlo())
        monteCarloSection(h, s);
    else
        historySection(h, s, d, maxTrades);
    h << "</section>";
}

// A sweep cell other than the one shown in full: its headline numbers and one chart.
void compactCellSection(std::ostringstream& h, const ScenarioData& s, std::size_t index,
                        const CompareTable& table, const ResultsData& d) {
    h << "<section class=\"cell-summary\" id=\"" << anchor(index) << "\" data-mode=\""
      << esc(s.monteCarlo() ? "monte_carlo" : "historical") << "\"><h2>" << esc(s.name) << "</h2>";
    if (s.monteCarlo()) {
        h << "<h3>Comparison</h3>";
        compareTableHtml(h, table, s.name);
        std::vector<LineSeries> medians;
        std::size_t color = 0;
        for (const auto& m : s.mc) {
            const std::string& c = paletteColor(color++);
            if (m.ok() && m.equityBands.rows)
                medians.push_back(
                    {m.name, medianColumn(m.equityBands, s.percentiles), c, false, 1.5});
        }
        ChartFrame frame{"fan", "Median wealth (equity / initial capital)", s.dates, Unit::Wealth};
        frame.maxPoints = kCellChartPoints;
        h << lineChart(frame, {}, medians);
    } else {
        const double capital = s.initialCapital > 0 ? s.initialCapital : 1.0;
        SheetInputs in{s, d, cashReturns(s.dates, s.cashRate), nullptr, {}, {}};
        h << "<h3>Headline metrics</h3>";
        headlineTable(h, in);
        std::vector<LineSeries> equity;
        std::size_t color = 0;
        for (const auto& st : s.history) {
            const bool bm = st.name == s.benchmark;
            const std::string c = bm ? std::string("#000000") : paletteColor(color);
            ++color;
            if (!st.ok() || st.equity.empty()) continue;
            equity.push_back({bm ? st.name + " (benchmark)" : st.name, divide(st.equity, capital),
                              c, bm, bm ? 2.0 : 1.5});
        }
        h << "<h3>Equity</h3>" << wealthChart(s, equity, kCellChartPoints);
    }
    h << "</section>";
}

// A sweep cell's name, `<base>__<label>=<value>__...` (docs/composition.md), split up; `params`
// is empty for a name of any other form.
struct CellName {
    std::string base;
    std::vector<std::pair<std::string, std::string>> params;
};

CellName parseCellName(const std::string& name) {
    CellName c;
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (true) {
        const std::size_t at = name.find("__", from);
        parts.push_back(name.substr(from, at == std::string::npos ? std::string::npos : at - from));
        if (at == std::string::npos) break;
        from = at + 2;
    }
    if (parts.size() < 2 || parts.front().empty()) return c;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::size_t eq = parts[i].find('=');
        if (eq == std::string::npos || eq == 0) return {};
        c.params.push_back({parts[i].substr(0, eq), parts[i].substr(eq + 1)});
    }
    c.base = parts.front();
    return c;
}

// The scenarios of one sweep: cells with the same base name and the same parameter labels.
struct Sweep {
    std::string base;
    std::vector<std::string> labels;
    std::vector<std::size_t> scenarios;            // indices into ResultsData::scenarios
    std::vector<std::vector<std::string>> values;  // per cell, per label
};

std::vector<Sweep> findSweeps(const ResultsData& d) {
    std::vector<Sweep> out;
    for (std::size_t i = 0; i < d.scenarios.size(); ++i) {
        const CellName c = parseCellName(d.scenarios[i].name);
        if (c.params.empty()) continue;
        std::vector<std::string> labels, values;
        for (const auto& [l, v] : c.params) {
            labels.push_back(l);
            values.push_back(v);
        }
        auto it = std::find_if(out.begin(), out.end(), [&](const Sweep& s) {
            return s.base == c.base && s.labels == labels;
        });
        if (it == out.end()) {
            out.push_back({c.base, labels, {}, {}});
            it = out.end() - 1;
        }
        it->scenarios.push_back(i);
        it->values.push_back(values);
    }
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Sweep& s) { return s.scenarios.size() < 2; }),
              out.end());
    return out;
}

// The sweep cell shown in full: `requested` when it is one of this sweep's cells, else the cell
// of the best ranked row (by the ranking metric's direction; the first cell on ties or when no
// row is ranked).
std::size_t fullCell(const ResultsData& d, const Sweep& sw, const CompareTable& table,
                     const std::string& requested) {
    for (std::size_t i : sw.scenarios)
        if (d.scenarios[i].name == requested) return i;
    std::size_t best = sw.scenarios.front();
    double bestValue = kNaN;
    bool higher = true;
    for (std::size_t i : sw.scenarios)
        for (const auto& r : table.rows) {
            if (r.scenario != d.scenarios[i].name || r.rank == 0) continue;
            const MetricColumn* c = findColumn(r.rankedBy);
            higher = !c || c->higherIsBetter;
            const double v = r.value(r.rankedBy);
            if (std::isnan(bestValue) || (higher ? v > bestValue : v < bestValue)) {
                bestValue = v;
                best = i;
            }
        }
    return best;
}

std::vector<std::string> distinct(const Sweep& sw, std::size_t label) {
    std::vector<std::string> v;
    for (const auto& cell : sw.values)
        if (std::find(v.begin(), v.end(), cell[label]) == v.end()) v.push_back(cell[label]);
    return v;
}

const CompareRow* findCompareRow(const CompareTable& t, const std::string& scenario,
                                 const std::string& strategy) {
    for (const auto& r : t.rows)
        if (r.scenario == scenario && r.strategy == strategy) return &r;
    return nullptr;
}

// One table over every cell and strategy, then, per strategy, a heatmap of the ranking metric
// over two swept parameters (one heatmap per combination of any further parameters).
void sweepSection(std::ostringstream& h, const ResultsData& d, const Sweep& sw,
                  const CompareTable& table, const ReportOptions& opt, std::size_t index) {
    const ScenarioData& first = d.scenarios[sw.scenarios.front()];
    const std::vector<std::string> strategies = first.strategyNames();
    h << "<section class=\"sweep\" id=\"sweep" << index + 1 << "\"><h2>Sweep " << esc(sw.base)
      << ": " << sw.scenarios.size() << " cells</h2>";
    // Summary columns: those of the mode that the cells have.
    std::vector<std::string> keys =
        first.monteCarlo()
            ? std::vector<std::string>{"median", "p05", "p95", "prob_loss", "median_max_drawdown"}
            : std::vector<std::string>{"cagr",    "volatility",   "sharpe",
                                       "sortino", "max_drawdown", "calmar"};
    h << "<h3>Summary</h3><div class=\"scroll\"><table class=\"sweep-summary\"><tr>";
    for (const auto& l : sw.labels) h << "<th>" << esc(l) << "</th>";
    h << "<th>strategy</th>";
    for (const auto& k : keys) {
        const MetricColumn* c = findColumn(k);
        h << "<th>" << esc(c ? c->label : k) << "</th>";
    }
    h << "</tr>";
    for (std::size_t c = 0; c < sw.scenarios.size(); ++c)
        for (const auto& st : strategies) {
            const CompareRow* r = findCompareRow(table, d.scenarios[sw.scenarios[c]].name, st);
            h << "<tr>";
            for (const auto& v : sw.values[c]) h << "<td>" << esc(v) << "</td>";
            h << "<td>" << esc(st) << "</td>";
            for (const auto& k : keys) {
                const MetricColumn* col = findColumn(k);
                const double v = r ? r->value(k) : kNaN;
                h << "<td class=\"n\">"
                  << (k == "max_drawdown" || k == "median_max_drawdown"
                          ? lossText(v)
                          : formatValue(v, col ? col->unit : Unit::Ratio))
                  << "</td>";
            }
            h << "</tr>";
        }
    h << "</table></div>";

    if (sw.labels.size() < 2) {
        h << "</section>";
        return;
    }
    // The two axes: as asked (--axes), else the first two swept parameters.
    std::size_t ax = 0, ay = 1;
    const auto labelIndex = [&](const std::string& l) {
        return static_cast<std::size_t>(std::find(sw.labels.begin(), sw.labels.end(), l) -
                                        sw.labels.begin());
    };
    if (!opt.axisX.empty()) {
        if (labelIndex(opt.axisX) >= sw.labels.size() ||
            labelIndex(opt.axisY) >= sw.labels.size() || opt.axisX == opt.axisY) {
            std::string known;
            for (const auto& l : sw.labels) known += (known.empty() ? "" : ", ") + l;
            throw InputError("report: --axes " + opt.axisX + "," + opt.axisY + ": sweep " +
                             sw.base + " needs two different parameters of: " + known);
        }
        ax = labelIndex(opt.axisX);
        ay = labelIndex(opt.axisY);
    }
    const auto xs = distinct(sw, ax), ys = distinct(sw, ay);
    // The remaining parameters' combinations, each a separate heatmap.
    std::vector<std::string> others;
    for (const auto& cell : sw.values) {
        std::string o;
        for (std::size_t l = 0; l < sw.labels.size(); ++l)
            if (l != ax && l != ay) o += (o.empty() ? "" : ", ") + sw.labels[l] + "=" + cell[l];
        if (std::find(others.begin(), others.end(), o) == others.end()) others.push_back(o);
    }
    std::string metric;
    for (const auto& st : strategies) {
        for (const auto& o : others) {
            std::vector<std::vector<double>> grid(ys.size(), std::vector<double>(xs.size(), kNaN));
            const MetricColumn* col = nullptr;
            for (std::size_t c = 0; c < sw.scenarios.size(); ++c) {
                std::string co;
                for (std::size_t l = 0; l < sw.labels.size(); ++l)
                    if (l != ax && l != ay)
                        co += (co.empty() ? "" : ", ") + sw.labels[l] + "=" + sw.values[c][l];
                if (co != o) continue;
                const CompareRow* r = findCompareRow(table, d.scenarios[sw.scenarios[c]].name, st);
                if (!r) continue;
                metric = r->rankedBy;
                col = findColumn(metric);
                const auto xi = static_cast<std::size_t>(
                    std::find(xs.begin(), xs.end(), sw.values[c][ax]) - xs.begin());
                const auto yi = static_cast<std::size_t>(
                    std::find(ys.begin(), ys.end(), sw.values[c][ay]) - ys.begin());
                grid[yi][xi] = r->value(metric);
            }
            double lo = INFINITY, hi = -INFINITY;
            for (const auto& row : grid)
                for (double v : row)
                    if (std::isfinite(v)) {
                        lo = std::min(lo, v);
                        hi = std::max(hi, v);
                    }
            const bool higherBetter = col ? col->higherIsBetter : true;
            // A grid whose values all read the same gets no colours: shading differences that
            // the shown digits hide would only mislead.
            const Unit unit = col ? col->unit : Unit::Ratio;
            const bool flat = !(hi > lo) || formatValue(lo, unit) == formatValue(hi, unit);
            h << "<h3>" << esc(st) << ": " << esc(metric) << " by " << esc(sw.labels[ay])
              << " (rows) and " << esc(sw.labels[ax]) << " (columns)"
              << (o.empty() ? "" : "; " + esc(o)) << "</h3>"
              << "<div class=\"scroll\"><table class=\"heatmap\" data-metric=\"" << esc(metric)
              << "\"><tr><th>" << esc(sw.labels[ay]) << " \\ " << esc(sw.labels[ax]) << "</th>";
            for (const auto& x : xs) h << "<th>" << esc(x) << "</th>";
            h << "</tr>";
            for (std::size_t yi = 0; yi < ys.size(); ++yi) {
                h << "<tr><th>" << esc(ys[yi]) << "</th>";
                for (std::size_t xi = 0; xi < xs.size(); ++xi) {
                    const double v = grid[yi][xi];
                    // Green is better, red worse, relative to the grid's middle.
                    const double mid = (lo + hi) / 2, half = (hi - lo) / 2;
                    const double score = std::isfinite(v) && half > 0 && !flat
                                             ? (higherBetter ? v - mid : mid - v) / half
                                             : kNaN;
                    h << "<td style=\"background:" << heatColor(score, 1.0) << "\">"
                      << formatValue(v, col ? col->unit : Unit::Ratio) << "</td>";
                }
                h << "</tr>";
            }
            h << "</table></div>";
        }
    }
    h << "<p class=\"note\">Heatmaps show " << esc(metric)
      << " (choose with <code>rotor report --metric</code>, axes with <code>--axes X,Y</code>); "
         "green is better. Each cell's full section follows, collapsed.</p></section>";
}

}  // namespace

// A walk-forward: the stitched out-of-sample curve beside the hindsight-best cell over the same
// days, the overfitting gap, and the choice made at every step.
void walkForwardSection(std::ostringstream& h, const WalkForwardData& w, const ResultsData& d,
                        std::size_t index) {
    const auto fmt = [&](double v) {
        char buf[32];
        if (!std::isfinite(v)) return std::string("-");
        const bool ratio = w.metric == "sharpe" || w.metric == "sortino" || w.metric == "calmar" ||
                           w.metric == "turnover";
        std::snprintf(buf, sizeof buf, ratio ? "%.2f" : "%.2f%%", ratio ? v : 100.0 * v);
        return std::string(buf);
    };
    h << "<section id=\"wf" << index + 1 << "\"><h2>walk-forward " << esc(w.name) << "</h2>";
    h << "<p>" << esc(w.strategy) << " chosen by " << esc(w.metric) << " (" << esc(w.goal)
      << ") on "
      << (w.window == "anchored"
              ? "every trading day up to the choice (anchored; first choice after "
              : "")
      << w.inSample << " in-sample trading days" << (w.window == "anchored" ? ")" : "")
      << ", traded " << w.outOfSample << " out of sample, every " << w.step
      << " trading days (docs/walk-forward.md).</p>";
    h << "<table><tr><th></th><th>" << esc(w.metric) << "</th></tr>";
    h << "<tr><td>stitched out-of-sample " << esc(w.dates.empty() ? "" : w.dates.front()) << " .. "
      << esc(w.dates.empty() ? "" : w.dates.back()) << "</td><td>" << fmt(w.stitchedMetric)
      << "</td></tr>";
    h << "<tr><td>in-sample best over the whole period (" << esc(w.bestCell) << ")</td><td>"
      << fmt(w.bestFullPeriodMetric) << "</td></tr>";
    h << "<tr><td>the same cell on the stitched days</td><td>" << fmt(w.bestOnStitchedDaysMetric)
      << "</td></tr>";
    h << "<tr><td>gap (whole-period best − stitched)</td><td>"
      << fmt(w.bestFullPeriodMetric - w.stitchedMetric) << "</td></tr></table>";

    // Wealth from the stitched curve's first day: it and the hindsight-best cell's equity.
    std::vector<LineSeries> lines;
    if (!w.equity.empty() && w.equity.front() > 0)
        lines.push_back({"stitched out-of-sample", divide(w.equity, w.equity.front()), "#1f77b4"});
    for (const ScenarioData& s : d.scenarios) {
        if (s.name != w.bestCell || w.dates.empty()) continue;
        const auto first = std::find(s.dates.begin(), s.dates.end(), w.dates.front());
        for (const HistoryStrategy& st : s.history) {
            if (st.name != w.strategy || first == s.dates.end()) continue;
            const auto at = static_cast<std::size_t>(first - s.dates.begin());
            if (st.equity.size() != s.dates.size() || !(st.equity[at] > 0)) continue;
            const std::vector<double> tail(st.equity.begin() + static_cast<std::ptrdiff_t>(at),
                                           st.equity.end());
            lines.push_back(
                {"hindsight best: " + w.bestCell, divide(tail, tail.front()), "#d62728", true});
        }
    }
    ChartFrame frame{"equity", "Wealth from the first out-of-sample day", w.dates, Unit::Wealth};
    h << lineChart(frame, {}, lines);

    h << "<table><tr><th>step</th><th>in-sample</th><th>out-of-sample</th><th>chosen</th><th>IS "
      << esc(w.metric) << "</th><th>OOS " << esc(w.metric) << "</th></tr>";
    for (std::size_t k = 0; k < w.steps.rows; ++k) {
        std::string chosen;
        for (const std::string& f : w.steps.fields)
            if (f.rfind("param_", 0) == 0)
                chosen += (chosen.empty() ? "" : " ") + f.substr(6) + "=" + w.steps.text(f, k);
        if (chosen.empty()) chosen = w.steps.text("cell_name", k);
        h << "<tr><td>" << k + 1 << "</td><td>" << esc(w.steps.text("in_sample_start", k)) << " .. "
          << esc(w.steps.text("in_sample_end", k)) << "</td><td>"
          << esc(w.steps.text("out_of_sample_start", k)) << " .. "
          << esc(w.steps.text("out_of_sample_end", k)) << "</td><td>" << esc(chosen) << "</td><td>"
          << fmt(w.steps.number("in_sample_metric", k)) << "</td><td>"
          << fmt(w.steps.number("out_of_sample_metric", k)) << "</td></tr>";
    }
    h << "</table></section>";
}

std::string renderReport(const ResultsData& data, const ReportOptions& options) {
    const CompareTable table = buildComparison({&data}, options.metric, CompareBy::Scenario);
    const std::vector<Sweep> sweeps = findSweeps(data);
    std::vector<int> sweepOf(data.scenarios.size(), -1);
    for (std::size_t k = 0; k < sweeps.size(); ++k)
        for (std::size_t i : sweeps[k].scenarios) sweepOf[i] = static_cast<int>(k);
    std::ostringstream h;
    const std::string title = "rotor report: " + data.path;
    html::pageStart(h, title, data);
    h << "<nav>";
    for (std::size_t k = 0; k < data.walkForward.size(); ++k)
        h << "<a href=\"#wf" << k + 1 << "\">walk-forward " << esc(data.walkForward[k].name)
          << "</a>";
    for (std::size_t k = 0; k < sweeps.size(); ++k)
        h << "<a href=\"#sweep" << k + 1 << "\">sweep " << esc(sweeps[k].base) << "</a>";
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        if (sweepOf[i] < 0)
            h << "<a href=\"#" << anchor(i) << "\">" << esc(data.scenarios[i].name) << "</a>";
    h << "<a href=\"#provenance\">provenance</a></nav>";
    // --cell must name a sweep cell of the file.
    if (!options.cell.empty() && std::none_of(sweeps.begin(), sweeps.end(), [&](const Sweep& sw) {
            return std::any_of(sw.scenarios.begin(), sw.scenarios.end(), [&](std::size_t i) {
                return data.scenarios[i].name == options.cell;
            });
        })) {
        std::string known;
        for (const auto& sw : sweeps)
            for (std::size_t i : sw.scenarios)
                known += (known.empty() ? "" : ", ") + data.scenarios[i].name;
        throw InputError(
            "report: --cell " + options.cell + " is not a sweep cell of " + data.path +
            (known.empty() ? std::string(" (it has no sweep)") : " (cells: " + known + ")"));
    }
    for (std::size_t k = 0; k < data.walkForward.size(); ++k)
        walkForwardSection(h, data.walkForward[k], data, k);
    for (std::size_t k = 0; k < sweeps.size(); ++k) {
        sweepSection(h, data, sweeps[k], table, options, k);
        // One cell in full (its whole tear sheet), the others compact: six full sheets of a
        // 25-year history made a 9 MB page.
        const std::size_t full = fullCell(data, sweeps[k], table, options.cell);
        h << "<p class=\"note\">The full tear sheet is shown for " << esc(data.scenarios[full].name)
          << (options.cell.empty() ? " (the cell of the best row by the ranking metric)" : "")
          << "; the other cells show their headline numbers and equity. <code>rotor report "
             "--cell NAME</code> shows another cell in full.</p>";
        for (std::size_t i : sweeps[k].scenarios) {
            if (i == full) {
                h << "<details class=\"cell\" open><summary>" << esc(data.scenarios[i].name)
                  << " (full tear sheet)</summary>";
                scenarioSection(h, data.scenarios[i], i, table, data, kSweepTradeRows);
            } else {
                h << "<details class=\"cell\" open><summary>" << esc(data.scenarios[i].name)
                  << "</summary>";
                compactCellSection(h, data.scenarios[i], i, table, data);
            }
            h << "</details>";
        }
    }
    for (std::size_t i = 0; i < data.scenarios.size(); ++i)
        if (sweepOf[i] < 0) scenarioSection(h, data.scenarios[i], i, table, data);
    // A seed draws nothing in a file without a Monte Carlo scenario: showing it would suggest
    // the history depends on it.
    html::provenanceSection(h, data,
                            std::any_of(data.scenarios.begin(), data.scenarios.end(),
                                        [](const ScenarioData& s) { return s.monteCarlo(); }));
    h << "</body></html>\n";
    return h.str();
}

void writeReport(const ResultsData& data, const std::string& path, bool force,
                 const ReportOptions& options) {
    checkOutputWritable(path, force);
    html::writePage(renderReport(data, options), path, force);
}

}  // namespace rotor::report
