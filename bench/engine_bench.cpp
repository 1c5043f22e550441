// SPDX-License-Identifier: MIT
// Engine time: the day loop alone (no I/O) on the bundled rotation replay and on the synthetic
// 50-asset x 6,300-day momentum case; plus data loading for the replay.
#include "bench/synthetic.hpp"
#include "engine/config/scenario_config.hpp"
#include "engine/portfolio/backtester.hpp"
#include "engine/scenario/historical_replay.hpp"
#include "strategies/register_builtin.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace rotor;

const StrategyRegistry& registry() {
    static const StrategyRegistry r = [] {
        StrategyRegistry x;
        strategies::registerBuiltinStrategies(x);
        return x;
    }();
    return r;
}

const std::string kRotation = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";

// All strategies of the bundled 2000-2025 scenario over its one historical path.
void BM_ReplayRotationEngine(benchmark::State& state) {
    const ScenarioSpec spec = loadScenario(kRotation, registry());
    const HistoricalData data = loadHistorical(spec);
    std::vector<std::unique_ptr<Strategy>> strategies;
    for (const auto& s : spec.strategies)
        strategies.push_back(registry().create(s.name, s.node, data.universe));
    Backtester bt(spec.backtest);
    BacktestResult result;
    for (auto _ : state) {
        for (auto& s : strategies) {
            bt.run(data.path, *s, result);
            benchmark::DoNotOptimize(result.equity.data());
        }
    }
    state.counters["days"] = static_cast<double>(data.path.days());
    state.counters["strategies"] = static_cast<double>(strategies.size());
}
BENCHMARK(BM_ReplayRotationEngine)->Unit(benchmark::kMicrosecond);

void BM_ReplayRotationLoadData(benchmark::State& state) {
    const ScenarioSpec spec = loadScenario(kRotation, registry());
    for (auto _ : state) {
        HistoricalData data = loadHistorical(spec);
        benchmark::DoNotOptimize(data.path.prices.data());
    }
}
BENCHMARK(BM_ReplayRotationLoadData)->Unit(benchmark::kMicrosecond);

// 50 GBM assets x 6,300 days, monthly top-1 126-day momentum. Arg 1 records trades and
// positions as `rotor run` does; arg 0 is the Monte Carlo configuration (equity only).
void BM_SyntheticMomentum50x6300(benchmark::State& state) {
    const Path path = bench::syntheticPath(50, 6300, 20260102);
    const Universe universe = bench::syntheticUniverse(50);
    std::string yaml = "name: m\ntype: relative_momentum\nlookback: 126\ntop_k: 1\n"
                       "rebalance: monthly\nassets: [";
    for (std::size_t i = 0; i < universe.assets.size(); ++i)
        yaml += (i ? ", " : "") + universe.assets[i];
    yaml += "]\n";
    auto strategy = registry().create("m", loadYamlString(yaml, "bench"), universe);
    BacktestConfig cfg;
    cfg.initialCapital = 1e6;
    cfg.costs.commissionBps = 1;
    cfg.costs.slippageBps = 2;
    cfg.recordTrades = cfg.recordPositions = state.range(0) != 0;
    Backtester bt(cfg);
    BacktestResult result;
    for (auto _ : state) {
        bt.run(path, *strategy, result);
        benchmark::DoNotOptimize(result.equity.data());
    }
    state.counters["asset_days_per_s"] = benchmark::Counter(
        50.0 * 6300.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SyntheticMomentum50x6300)->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
