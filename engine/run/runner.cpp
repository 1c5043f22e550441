// SPDX-License-Identifier: MIT
#include "engine/run/runner.hpp"

#include "engine/core/error.hpp"
#include "engine/spec/historical_path.hpp"

#include <algorithm>

namespace rotor {

namespace {

StrategyRun runOne(const StrategySpec& s, const ScenarioSpec& spec, const Path& path,
                   const Vector* benchmark) {
    StrategyRun run;
    run.name = s.name;
    run.type = s.type;
    try {
        const auto strategy = s.prototype->clone();
        Backtester bt(spec.backtest);
        BacktestResult r;
        bt.run(path, *strategy, r);
        run.equity = r.equity;
        run.returns = dailyReturns(r.equity);
        run.weights = dailyWeights(path, r);
        run.trades = std::move(r.trades);
        MetricsInput in;
        in.equity = &run.equity;
        in.cashReturn = &r.cashReturn;
        in.turnover = &r.turnover;
        in.benchmarkEquity = benchmark;
        in.totalCosts = r.totalCosts();
        in.rebalances = r.rebalances;
        in.initialCapital = spec.backtest.initialCapital;
        run.metrics = computeMetrics(in);
    } catch (const InputError&) {
        throw;  // bad input is not a per-strategy failure
    } catch (const std::exception& e) {
        run = StrategyRun{};
        run.name = s.name;
        run.type = s.type;
        run.ok = false;
        run.error = e.what();
    }
    return run;
}

}  // namespace

void runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
               ScenarioRun& out, const RunHooks& hooks) {
    validatePath(path, universe);
    out.name = spec.name;
    out.description = spec.description;
    out.mode = spec.mode;
    out.assets = universe.assets;
    out.dates = path.dates;
    out.cashRate = path.cashRate;
    out.benchmark = spec.benchmark;
    out.initialCapital = spec.backtest.initialCapital;
    out.sweep = spec.sweep;
    out.strategies.clear();
    out.strategies.resize(spec.strategies.size());
    if (hooks.started) hooks.started(out);

    // Benchmark first: the others' beta, alpha and tracking error need its equity curve.
    std::vector<std::size_t> order(spec.strategies.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_partition(order.begin(), order.end(),
                          [&](std::size_t i) { return spec.strategies[i].name == spec.benchmark; });
    const Vector* benchmark = nullptr;
    std::size_t done = 0;
    for (std::size_t i : order) {
        out.strategies[i] = runOne(spec.strategies[i], spec, path, benchmark);
        if (spec.strategies[i].name == spec.benchmark && out.strategies[i].ok)
            benchmark = &out.strategies[i].equity;
        if (hooks.strategyDone) hooks.strategyDone(out, i);
        if (hooks.progress) hooks.progress(spec.name, ++done, order.size());
    }
}

ScenarioRun runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
                      const ProgressFn& progress) {
    ScenarioRun out;
    RunHooks hooks;
    hooks.progress = progress;
    runOnPath(spec, universe, path, out, hooks);
    return out;
}

void runHistorical(const ScenarioSpec& spec, DataStore& data, ScenarioRun& out,
                   const RunHooks& hooks) {
    const HistoricalData history = loadHistorical(spec, data);
    runOnPath(spec, history.universe, history.path, out, hooks);
}

bool allSucceeded(const RunResults& results) {
    for (const auto& s : results.scenarios)
        for (const auto& r : s.strategies)
            if (!r.ok) return false;
    for (const auto& s : results.monteCarlo)
        for (const auto& r : s.strategies)
            if (!r.ok) return false;
    return true;
}

}  // namespace rotor
