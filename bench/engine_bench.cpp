// SPDX-License-Identifier: MIT
// Engine time: the day loop alone (no I/O) on the bundled rotation replay and on the synthetic
// 50-asset x 6,300-day momentum case; plus data loading for the replay.
#include "bench/synthetic.hpp"
#include "engine/calendar/alignment.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/portfolio/backtester.hpp"
#include "engine/spec/historical_path.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <benchmark/benchmark.h>

#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace {

using namespace rotor;

const std::string kRotation = std::string(ROTOR_SOURCE_DIR) + "/scenarios/rotation_2000_2025.yaml";

// All strategies of the bundled 2000-2025 scenario over its one historical path.
void BM_ReplayRotationEngine(benchmark::State& state) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioSpec spec = loadScenario(kRotation, registry);
    DataStore store;
    const HistoricalData data = loadHistorical(spec, store);
    std::vector<std::unique_ptr<Strategy>> strategies;
    for (const auto& s : spec.strategies) strategies.push_back(s.prototype->clone());
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
    const ScenarioSpec spec = loadScenario(kRotation, strategies::builtinRegistry());
    for (auto _ : state) {
        DataStore store;  // a fresh store: every iteration reads and parses the files
        HistoricalData data = loadHistorical(spec, store);
        benchmark::DoNotOptimize(data.path.prices.data());
    }
}
BENCHMARK(BM_ReplayRotationLoadData)->Unit(benchmark::kMicrosecond);

// 50 GBM assets x 6,300 days, monthly top-1 126-day momentum. Arg 1 records trades and
// positions as `rotor run` does; arg 0 is the Monte Carlo configuration (equity only).
void BM_SyntheticMomentum50x6300(benchmark::State& state) {
    const Path path = bench::syntheticPath(50, 6300, 20260102);
    const Universe universe = bench::syntheticUniverse(50);
    std::string yaml =
        "name: m\ntype: relative_momentum\nlookback: 126\ntop_k: 1\n"
        "rebalance: monthly\nassets: [";
    for (std::size_t i = 0; i < universe.assets.size(); ++i)
        yaml += (i ? ", " : "") + universe.assets[i];
    yaml += "]\n";
    auto strategy = strategies::builtinRegistry().create("m", loadYamlString(yaml, "bench"),
                                                         universe);
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

// The same 50 x 6,300 momentum rule as the relative_momentum preset (arg 0) and as a 12-step
// YAML stack (arg 1) whose extra steps change nothing (a second selection, caps of 1, a zero
// cash buffer, leverage limits at or above the gross), in the Monte Carlo configuration: the
// cost of assembling a strategy from steps. Both must give the same equity, checked once.
std::string stack12(const Universe& universe) {
    std::string list;
    for (std::size_t i = 0; i < universe.assets.size(); ++i)
        list += (i ? ", " : "") + universe.assets[i];
    return "name: m\ntype: stack\nsteps:\n"
           "  - monthly\n"
           "  - select_all\n"
           "  - {step: select_assets, assets: [" +
           list +
           "]}\n"
           "  - {step: top_momentum, lookback: 126, k: 1}\n"
           "  - weigh_equal\n"
           "  - {step: max_weight, limit: 1}\n"
           "  - {step: min_weight, limit: 1e-9}\n"
           "  - {step: leverage_limit, max: 3}\n"
           "  - {step: cash_buffer, fraction: 0}\n"
           "  - {step: leverage_limit, max: 1}\n"
           "  - {step: max_weight, limit: 1}\n"
           "  - {step: min_weight, limit: 1e-12}\n";
}

void BM_SyntheticPresetVsStack12(benchmark::State& state) {
    const Path path = bench::syntheticPath(50, 6300, 20260102);
    const Universe universe = bench::syntheticUniverse(50);
    std::string preset =
        "name: m\ntype: relative_momentum\nlookback: 126\ntop_k: 1\n"
        "rebalance: monthly\nassets: all\n";
    const auto make = [&](const std::string& yaml) {
        return strategies::builtinRegistry().create("m", loadYamlString(yaml, "bench"), universe);
    };
    auto strategy = make(state.range(0) == 0 ? preset : stack12(universe));
    BacktestConfig cfg;
    cfg.initialCapital = 1e6;
    cfg.costs.commissionBps = 1;
    cfg.costs.slippageBps = 2;
    cfg.recordTrades = cfg.recordPositions = false;
    Backtester bt(cfg);
    BacktestResult result;
    {
        BacktestResult other;
        auto reference = make(preset);
        auto stack = make(stack12(universe));
        bt.run(path, *reference, other);
        bt.run(path, *stack, result);
        if (!(other.equity == result.equity)) state.SkipWithError("stack and preset differ");
    }
    for (auto _ : state) {
        bt.run(path, *strategy, result);
        benchmark::DoNotOptimize(result.equity.data());
    }
}
BENCHMARK(BM_SyntheticPresetVsStack12)
    ->ArgName("stack")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond);

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The two of BM_SyntheticPresetVsStack12 interleaved in one loop (preset, stack, preset, ...),
// so that a shared machine's load drifts hit both alike: `stack_over_preset` is the ratio of
// their summed thread CPU times (the target: at most 1.3).
void BM_SyntheticStack12OverPreset(benchmark::State& state) {
    const Path path = bench::syntheticPath(50, 6300, 20260102);
    const Universe universe = bench::syntheticUniverse(50);
    const auto make = [&](const std::string& yaml) {
        return strategies::builtinRegistry().create("m", loadYamlString(yaml, "bench"), universe);
    };
    auto preset = make(
        "name: m\ntype: relative_momentum\nlookback: 126\ntop_k: 1\n"
        "rebalance: monthly\nassets: all\n");
    auto stack = make(stack12(universe));
    BacktestConfig cfg;
    cfg.initialCapital = 1e6;
    cfg.costs.commissionBps = 1;
    cfg.costs.slippageBps = 2;
    Backtester bt(cfg);
    BacktestResult result;
    double presetSeconds = 0.0;
    double stackSeconds = 0.0;
    for (auto _ : state) {
        double t0 = threadCpuSeconds();
        bt.run(path, *preset, result);
        benchmark::DoNotOptimize(result.equity.data());
        double t1 = threadCpuSeconds();
        presetSeconds += t1 - t0;
        bt.run(path, *stack, result);
        benchmark::DoNotOptimize(result.equity.data());
        t0 = threadCpuSeconds();
        stackSeconds += t0 - t1;
    }
    state.counters["stack_over_preset"] = stackSeconds / presetSeconds;
    state.counters["preset_us"] = 1e6 * presetSeconds / static_cast<double>(state.iterations());
    state.counters["stack_us"] = 1e6 * stackSeconds / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SyntheticStack12OverPreset)->Unit(benchmark::kMicrosecond);

// Reading the longest shipped histories whole, and with the window the 2000-2025 replay needs
// (ReadWindow: rows from 2000-01-03 on; the rate with the row prevailing on that day).
const std::string kSizeFile = std::string(ROTOR_SOURCE_DIR) +
                              "/data/french/size_portfolios_daily_vw.csv";
const std::string kDffFile = std::string(ROTOR_SOURCE_DIR) + "/data/fred/DFF.csv";

void BM_ReadSizePortfolios(benchmark::State& state) {
    ReadWindow window;
    if (state.range(0) != 0) window.from = Date::fromYmd(2000, 1, 3);
    for (auto _ : state) {
        TimeSeries s = readSeries(kSizeFile, "lo30_pct", window);
        benchmark::DoNotOptimize(s.values.data());
    }
}
BENCHMARK(BM_ReadSizePortfolios)->ArgName("window")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_ReadDff(benchmark::State& state) {
    ReadWindow window;
    if (state.range(0) != 0) {
        window.from = Date::fromYmd(2000, 1, 3);
        window.keepPrevailing = true;
    }
    for (auto _ : state) {
        TimeSeries s = readSeries(kDffFile, "", window);
        benchmark::DoNotOptimize(s.values.data());
    }
}
BENCHMARK(BM_ReadDff)->ArgName("window")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The synthetic case's wide CSV (50 x 6,300, about 3.5 MB), read and cut as `rotor run` does.
void BM_ReadSyntheticTable(benchmark::State& state) {
    const std::string dir = std::filesystem::temp_directory_path().string() + "/rotor_bench_" +
                            std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    const std::string file = dir + "/synthetic_50x6300.csv";
    bench::writeWideCsv(bench::syntheticPath(50, 6300, 20260102), bench::syntheticUniverse(50),
                        file);
    for (auto _ : state) {
        const PriceTable table = readPriceTable(file);
        const AlignedPrices a = alignPriceTable(table, table.dates.front());
        benchmark::DoNotOptimize(a.prices.data());
    }
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ReadSyntheticTable)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
