// SPDX-License-Identifier: MIT
// The report of a historical scenario: overview charts and a tear sheet per strategy.
#include "engine/montecarlo/distribution.hpp"
#include "engine/report/html_page.hpp"
#include "engine/report/report_sections.hpp"
#include "engine/report/svg_chart.hpp"
#include "engine/report/tearsheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace rotor::report::sections {

namespace {

// A history's wealth chart is drawn on a log scale once its lines span this factor or more.
constexpr double kLogScaleRatio = 4.0;
// Above this many strategies the overview has no combined drawdown chart.
constexpr std::size_t kMaxOverlaidDrawdowns = 4;

using html::esc;
using html::fmt;

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

}  // namespace

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

void historyCellSummary(std::ostringstream& h, const ScenarioData& s, const ResultsData& d) {
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
        equity.push_back({bm ? st.name + " (benchmark)" : st.name, divide(st.equity, capital), c,
                          bm, bm ? 2.0 : 1.5});
    }
    h << "<h3>Equity</h3>" << wealthChart(s, equity, kCellChartPoints);
}

}  // namespace rotor::report::sections
