// SPDX-License-Identifier: MIT
#include "engine/run/walk_forward.hpp"

#include "engine/core/error.hpp"
#include "engine/portfolio/backtester.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

namespace rotor {

namespace {

// One run of a strategy over days [first, last] of `path`, investing `capital` at the close of
// `first`. The run's path holds those days; the days before `first` are its history, which
// signals read and which is never traded; the days after `last` are not in it at all.
struct WindowRun {
    BacktestResult result;
    Metrics metrics;
};

WindowRun runWindow(const StrategySpec& strategy, const BacktestConfig& config, const Path& path,
                    Index first, Index last, double capital) {
    const Index n = last - first + 1;
    Path w;
    w.dates.assign(path.dates.begin() + first, path.dates.begin() + last + 1);
    w.prices = path.prices.middleRows(first, n);
    w.cashRate = path.cashRate.segment(first, n);
    if (first > 0) {
        auto h = std::make_shared<Path>();
        h->dates.assign(path.dates.begin(), path.dates.begin() + first);
        h->prices = path.prices.topRows(first);
        h->cashRate = path.cashRate.head(first);
        w.history = std::move(h);
    }
    BacktestConfig c = config;
    c.initialCapital = capital;
    c.recordTrades = true;  // the stitched curve's costs count the trades it keeps
    c.recordPositions = false;
    const auto s = strategy.prototype->clone();
    WindowRun out;
    Backtester(c).run(w, *s, out.result);
    MetricsInput in;
    in.equity = &out.result.equity;
    in.cashReturn = &out.result.cashReturn;
    in.turnover = &out.result.turnover;
    in.totalCosts = out.result.totalCosts();
    in.rebalances = out.result.rebalances;
    in.initialCapital = capital;
    out.metrics = computeMetrics(in);
    return out;
}

// Whether `x` beats `y`: an undefined (NaN) value never beats, and beats nothing.
bool beats(double x, double y, bool maximise) {
    if (std::isnan(x)) return false;
    if (std::isnan(y)) return true;
    return maximise ? x > y : x < y;
}

// The first best of `values` (ties and all-NaN go to the earlier cell).
std::size_t bestOf(const std::vector<double>& values, bool maximise) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < values.size(); ++c)
        if (beats(values[c], values[best], maximise)) best = c;
    return best;
}

const StrategySpec& chosenStrategy(const ScenarioSpec& spec) {
    const std::string& name = spec.walkForward->strategy;
    for (const auto& s : spec.strategies)
        if (s.name == name) return s;
    spec.walkForward->where.fail("cell '" + spec.name + "' has no strategy '" + name +
                                 "' (the sweep renamed it?)");
}

}  // namespace

double walkForwardMetricValue(const Metrics& m, const std::string& metric) {
    const std::vector<std::string> names = metricNames();
    const auto it = std::find(names.begin(), names.end(), metric);
    ROTOR_REQUIRE(it != names.end(), "walk-forward: unknown metric '" << metric << "'");
    return metricValues(m)[static_cast<std::size_t>(it - names.begin())];
}

void checkWalkForwardWindows(const WalkForwardSpec& wf, const std::vector<Date>& dates) {
    const long days = static_cast<long>(dates.size());
    const std::string span = dates.empty()
                                 ? std::string("no trading days")
                                 : std::to_string(days) + " trading days (" + dates.front().iso() +
                                       " .. " + dates.back().iso() + ")";
    // Day 0 invests; in_sample days of returns follow, then out_of_sample of them.
    if (wf.inSample > days - 2)
        wf.inSampleWhere.fail("in_sample " + std::to_string(wf.inSample) +
                              " trading days leaves no out-of-sample day: the history has " + span);
    if (wf.inSample + wf.outOfSample > days - 1)
        wf.outOfSampleWhere.fail("in_sample " + std::to_string(wf.inSample) + " + out_of_sample " +
                                 std::to_string(wf.outOfSample) +
                                 " trading days is longer than the history: " + span + " holds " +
                                 std::to_string(days - 1) + " days of returns");
}

WalkForwardRun runWalkForward(const std::vector<WalkForwardCell>& cells) {
    ROTOR_REQUIRE(!cells.empty() && cells.front().spec->walkForward,
                  "walk-forward: no cell with walk_forward");
    const ScenarioSpec& first = *cells.front().spec;
    const WalkForwardSpec& wf = *first.walkForward;
    const Path& path0 = *cells.front().path;
    for (const WalkForwardCell& c : cells) {
        if (!c.spec->walkForward || !c.spec->walkForward->sameSettings(wf))
            (c.spec->walkForward ? c.spec->walkForward->where : wf.where)
                .fail("cell '" + c.spec->name + "' has other walk_forward settings than '" +
                      first.name + "': the sweep may not change walk_forward itself");
        if (c.path->dates != path0.dates)
            wf.where.fail("cell '" + c.spec->name + "' has other trading days than '" + first.name +
                          "': a walk-forward chooses among cells of one history "
                          "(the sweep may not change the window or the universe)");
    }
    checkWalkForwardWindows(wf, path0.dates);

    WalkForwardRun out;
    out.name = first.baseName;
    out.strategy = wf.strategy;
    out.metric = wf.metric;
    out.maximise = wf.maximise;
    out.inSample = wf.inSample;
    out.outOfSample = wf.outOfSample;
    out.step = wf.step;
    out.anchored = wf.anchored;
    out.dates = path0.dates;
    out.initialCapital = first.backtest.initialCapital;
    for (const auto& c : cells) {
        out.cells.push_back(c.spec->name);
        out.sweeps.push_back(c.spec->sweep);
    }
    const std::size_t count = cells.size();
    const Index last = path0.days() - 1;
    const auto metricOf = [&](const WindowRun& r) {
        return walkForwardMetricValue(r.metrics, wf.metric);
    };
    const auto run = [&](std::size_t c, Index from, Index to, double capital) {
        const ScenarioSpec& spec = *cells[c].spec;
        return runWindow(chosenStrategy(spec), spec.backtest, *cells[c].path, from, to, capital);
    };

    // Every cell over the whole period: the hindsight choice (the sweep's own run when given).
    std::vector<double> full(count);
    out.fullPeriodMetric.resize(static_cast<Index>(count));
    for (std::size_t c = 0; c < count; ++c) {
        full[c] = cells[c].fullPeriod != nullptr
                      ? walkForwardMetricValue(*cells[c].fullPeriod, wf.metric)
                      : metricOf(run(c, 0, last, cells[c].spec->backtest.initialCapital));
        out.fullPeriodMetric(static_cast<Index>(c)) = full[c];
    }
    out.best = bestOf(full, wf.maximise);

    std::vector<Index> decisions;
    for (Index d = wf.inSample; d < last; d += wf.step) decisions.push_back(d);
    out.inSampleMetrics.resize(static_cast<Index>(decisions.size()), static_cast<Index>(count));

    const Index origin = decisions.front();
    const Index span = last - origin + 1;
    out.equity.resize(span);
    Vector cashReturn(span), turnover(span);
    double costs = 0.0;
    std::set<Index> tradeDays;
    double wealth = out.initialCapital;
    for (std::size_t k = 0; k < decisions.size(); ++k) {
        const Index d = decisions[k];
        WalkForwardStep step;
        step.inSampleFirst = wf.anchored ? 0 : d - wf.inSample;
        step.inSampleLast = d;
        step.outOfSampleLast = std::min(d + wf.outOfSample, last);
        step.stitchedLast = std::min(d + wf.step, last);
        std::vector<double> inSample(count);
        for (std::size_t c = 0; c < count; ++c) {
            inSample[c] = metricOf(run(c, step.inSampleFirst, d, out.initialCapital));
            out.inSampleMetrics(static_cast<Index>(k), static_cast<Index>(c)) = inSample[c];
        }
        step.cell = bestOf(inSample, wf.maximise);
        step.inSampleMetric = inSample[step.cell];

        // The choice trades from the close of d with the wealth the curve has there.
        const WindowRun oos = run(step.cell, d, step.outOfSampleLast, wealth);
        step.outOfSampleMetric = metricOf(oos);
        const Index kept = step.stitchedLast - d;  // days of returns this choice contributes
        for (Index j = 0; j <= kept; ++j) {
            const Index at = d - origin + j;
            out.equity(at) = oos.result.equity(j);
            turnover(at) = j == 0 && k > 0 ? turnover(at) + oos.result.turnover(j)
                                           : oos.result.turnover(j);
            if (j > 0 || k == 0) cashReturn(at) = oos.result.cashReturn(j);
        }
        for (const Trade& t : oos.result.trades)
            if (t.day <= kept) {
                costs += t.commission + t.slippage;
                tradeDays.insert(d + t.day);
            }
        wealth = oos.result.equity(kept);
        out.steps.push_back(step);
    }
    MetricsInput in;
    in.equity = &out.equity;
    in.cashReturn = &cashReturn;
    in.turnover = &turnover;
    in.totalCosts = costs;
    in.rebalances = static_cast<long>(tradeDays.size());
    in.initialCapital = out.initialCapital;
    out.stitched = computeMetrics(in);
    out.stitchedMetric = walkForwardMetricValue(out.stitched, wf.metric);
    out.bestOnStitchedDays = metricOf(
        run(out.best, origin, last, cells[out.best].spec->backtest.initialCapital));
    return out;
}

}  // namespace rotor
