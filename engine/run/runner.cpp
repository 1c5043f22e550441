// SPDX-License-Identifier: MIT
#include "engine/run/runner.hpp"

#include "engine/core/error.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/data/sha256.hpp"
#include "engine/scenario/historical_replay.hpp"

#include <algorithm>
#include <future>
#include <optional>

namespace rotor {

namespace {

StrategyRun runOne(const StrategySpec& s, const ScenarioSpec& spec, const Universe& universe,
                   const Path& path, const StrategyRegistry& registry, const Vector* benchmark) {
    StrategyRun run;
    run.name = s.name;
    run.type = s.type;
    try {
        auto strategy = registry.create(s.name, s.node, universe);
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
               const StrategyRegistry& registry, ScenarioRun& out, const RunHooks& hooks) {
    validatePath(path, universe);
    out.name = spec.name;
    out.description = spec.description;
    out.mode = spec.mode;
    out.assets = universe.assets;
    out.dates = path.dates;
    out.cashRate = path.cashRate;
    out.benchmark = spec.benchmark;
    out.initialCapital = spec.backtest.initialCapital;
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
        out.strategies[i] = runOne(spec.strategies[i], spec, universe, path, registry, benchmark);
        if (spec.strategies[i].name == spec.benchmark && out.strategies[i].ok)
            benchmark = &out.strategies[i].equity;
        if (hooks.strategyDone) hooks.strategyDone(out, i);
        if (hooks.progress) hooks.progress(spec.name, ++done, order.size());
    }
}

ScenarioRun runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
                      const StrategyRegistry& registry, const ProgressFn& progress) {
    ScenarioRun out;
    RunHooks hooks;
    hooks.progress = progress;
    runOnPath(spec, universe, path, registry, out, hooks);
    return out;
}

void runHistorical(const ScenarioSpec& spec, const StrategyRegistry& registry, ScenarioRun& out,
                   std::vector<DataFileRecord>& dataFiles, const RunHooks& hooks,
                   SerialWorker* background) {
    // Checksums of the files the scenario names are computed in the background while the data
    // loads (hashing is ~10% of a history run); only the files actually read are kept.
    std::vector<std::string> named;
    const auto name = [&](const std::string& f) {
        if (!f.empty() && !hasDataFile(dataFiles, f) &&
            std::find(named.begin(), named.end(), f) == named.end())
            named.push_back(f);
    };
    if (!spec.universe.table.empty()) name(spec.universe.table);
    for (const auto& a : spec.universe.assets) {
        if (spec.universe.table.empty()) name(expandAssetPattern(spec.universe.pricePattern, a));
    }
    for (const auto& [asset, b] : spec.universe.backfill) name(b.file);
    if (!spec.cashRate.constant) name(spec.cashRate.file);
    std::optional<SerialWorker> own;
    if (!background) background = &own.emplace();
    std::future<std::vector<std::string>> hashes = background->submit([named] {
        std::vector<std::string> sums;
        for (const auto& f : named) {
            try {
                sums.push_back(sha256File(f));
            } catch (const std::exception&) {
                sums.emplace_back();  // unreadable: loadHistorical reports it properly
            }
        }
        return sums;
    });
    const HistoricalData data = loadHistorical(spec);
    runOnPath(spec, data.universe, data.path, registry, out, hooks);

    // After the backtests: the checksums have had all that time to finish.
    std::vector<std::string> digests;
    try {
        digests = hashes.get();
    } catch (const std::future_error&) {
        background->wait();  // skipped after an earlier task failed: report that failure
        throw;
    }
    for (const auto& f : data.files) {
        if (hasDataFile(dataFiles, f)) continue;
        const auto it = std::find(named.begin(), named.end(), f);
        const std::size_t k = static_cast<std::size_t>(it - named.begin());
        dataFiles.push_back({f, it != named.end() && !digests[k].empty() ? digests[k] : sha256File(f)});
    }
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
