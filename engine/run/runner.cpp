// SPDX-License-Identifier: MIT
#include "engine/run/runner.hpp"

#include "engine/core/error.hpp"
#include "engine/io/sha256.hpp"
#include "engine/scenario/historical_replay.hpp"

#include <algorithm>
#include <future>

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

ScenarioRun runOnPath(const ScenarioSpec& spec, const Universe& universe, const Path& path,
                      const StrategyRegistry& registry, const ProgressFn& progress) {
    validatePath(path, universe);
    ScenarioRun out;
    out.name = spec.name;
    out.description = spec.description;
    out.mode = spec.mode;
    out.assets = universe.assets;
    out.dates = path.dates;
    out.cashRate = path.cashRate;
    out.benchmark = spec.benchmark;
    out.initialCapital = spec.backtest.initialCapital;
    out.strategies.resize(spec.strategies.size());

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
        if (progress) progress(spec.name, ++done, order.size());
    }
    return out;
}

ScenarioRun runHistorical(const ScenarioSpec& spec, const StrategyRegistry& registry,
                          std::vector<DataFileRecord>& dataFiles, const ProgressFn& progress) {
    // Checksums of the files the scenario names are computed on a second thread while the
    // data loads (hashing is ~10% of a history run); only the files actually read are kept.
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
    auto hashes = std::async(std::launch::async, [named] {
        std::vector<std::string> out;
        for (const auto& f : named) {
            try {
                out.push_back(sha256File(f));
            } catch (const std::exception&) {
                out.emplace_back();  // unreadable: loadHistorical reports it properly
            }
        }
        return out;
    });
    HistoricalData data;
    try {
        data = loadHistorical(spec);
    } catch (...) {
        hashes.wait();
        throw;
    }
    const std::vector<std::string> digests = hashes.get();
    for (const auto& f : data.files) {
        if (hasDataFile(dataFiles, f)) continue;
        const auto it = std::find(named.begin(), named.end(), f);
        const std::size_t k = static_cast<std::size_t>(it - named.begin());
        dataFiles.push_back({f, it != named.end() && !digests[k].empty() ? digests[k] : sha256File(f)});
    }
    return runOnPath(spec, data.universe, data.path, registry, progress);
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
