// SPDX-License-Identifier: MIT
// Monte Carlo throughput: a 4-asset, 252-day GBM generator and 7 strategies through
// rotor::simulate on 1 and 2 threads (paths/s and asset-path-days/s), against the floor of
// drawing the same normals alone and of generating the paths without strategies.
#include "engine/config/config_node.hpp"
#include "engine/core/rng.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <thread>

namespace {

using namespace rotor;

constexpr int kAssets = 4;
constexpr int kDays = 252;
constexpr std::uint64_t kPaths = 2000;
constexpr std::uint64_t kSeed = 20260102;

// Independent GBM per asset plus a random-walk cash rate: per path, 251 days x (4 + 1) normals
// from Xoshiro256(seed, p), the same draws BM_NormalsOnly makes.
class BenchGbm : public PathGenerator {
public:
    BenchGbm() {
        universe_.assets = {"SPY", "QQQ", "IWM", "SHY"};
        for (Date d = Date::fromYmd(2026, 1, 2); static_cast<int>(dates_.size()) < kDays; d = d + 1)
            if (d.weekday() != 0 && d.weekday() != 6) dates_.push_back(d);
    }
    const Universe& universe() const override { return universe_; }
    const std::vector<Date>& dates() const override { return dates_; }
    std::string describe() const override { return "model: bench_gbm\n"; }
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch&) const override {
        static constexpr double kDrift[kAssets] = {0.07, 0.09, 0.06, 0.03};
        static constexpr double kVol[kAssets] = {0.17, 0.22, 0.21, 0.02};
        Xoshiro256 rng(kSeed, p);
        const NormalZiggurat& z = NormalZiggurat::instance();
        out.dates = dates_;
        out.prices.resize(kDays, kAssets);
        out.cashRate.resize(kDays);
        for (Index i = 0; i < kAssets; ++i) out.prices(0, i) = 100.0;
        out.cashRate(0) = 4.0;
        const double dt = 1.0 / 252.0;
        for (Index t = 1; t < kDays; ++t) {
            for (Index i = 0; i < kAssets; ++i) {
                const double step = (kDrift[i] - 0.5 * kVol[i] * kVol[i]) * dt +
                                    kVol[i] * std::sqrt(dt) * z(rng);
                out.prices(t, i) = out.prices(t - 1, i) * std::exp(step);
            }
            out.cashRate(t) = out.cashRate(t - 1) + 0.02 * z(rng);
        }
        return {};
    }

private:
    Universe universe_;
    std::vector<Date> dates_;
};

std::vector<StrategySpec> sevenStrategies() {
    const char* yaml[] = {
        "name: hold\ntype: buy_and_hold\nweights: {SPY: 1.0}\n",
        "name: sixty_forty\ntype: fixed_mix\nweights: {SPY: 0.6, SHY: 0.4}\nrebalance: monthly\n",
        "name: equal\ntype: fixed_mix\nweights: {SPY: 0.25, QQQ: 0.25, IWM: 0.25, SHY: 0.25}\n"
        "rebalance: {every: quarterly, band: 0.05}\n",
        "name: momentum\ntype: relative_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 63\nskip: 0\n"
        "top_k: 1\nsafe_asset: SHY\nrebalance: monthly\n",
        "name: dual\ntype: dual_momentum\nassets: [SPY, QQQ, IWM]\nlookback: 63\nskip: 5\n"
        "top_k: 1\nsafe_asset: SHY\nrebalance: monthly\n",
        "name: trend\ntype: trend_filter\nassets: [SPY, QQQ, IWM]\nwindow: 50\nsafe_asset: SHY\n"
        "rebalance: monthly\n",
        "name: rates\ntype: rate_regime\neasing_assets: [IWM]\nother_assets: [SPY]\nlookback: 63\n"
        "rebalance: monthly\n",
    };
    std::vector<StrategySpec> out;
    const Universe universe{{"SPY", "QQQ", "IWM", "SHY"}};
    for (const char* y : yaml)
        out.push_back(
            parseStrategy(loadYamlString(y, "bench"), strategies::builtinRegistry(), universe));
    return out;
}

void setRates(benchmark::State& state) {
    state.counters["paths_per_s"] = benchmark::Counter(
        static_cast<double>(kPaths), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["asset_path_days_per_s"] = benchmark::Counter(
        static_cast<double>(kPaths) * kAssets * kDays,
        benchmark::Counter::kIsIterationInvariantRate);
}

// The whole driver: generation, 7 backtests and metrics per path, bands and summaries.
void BM_Simulate7Strategies(benchmark::State& state) {
    const BenchGbm gen;
    SimulationInput in;
    in.strategies = sevenStrategies();
    in.backtest.initialCapital = 1e6;
    in.backtest.costs.commissionBps = 1;
    in.backtest.costs.slippageBps = 2;
    in.benchmark = "hold";
    in.paths = kPaths;
    in.threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        McScenarioRun run = simulate(gen, in);
        for (const auto& s : run.strategies)
            if (!s.ok) state.SkipWithError(s.error.c_str());
        benchmark::DoNotOptimize(run.strategies.data());
    }
    setRates(state);
}
BENCHMARK(BM_Simulate7Strategies)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// Generation alone, through the same driver with no strategies (bands of the rate included).
void BM_SimulateGenerationOnly(benchmark::State& state) {
    const BenchGbm gen;
    SimulationInput in;
    in.paths = kPaths;
    in.threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        McScenarioRun run = simulate(gen, in);
        benchmark::DoNotOptimize(run.rateBands.data());
    }
    setRates(state);
}
BENCHMARK(BM_SimulateGenerationOnly)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// The floor: the same (seed, p) streams and normal draws, nothing else, split across threads.
void BM_NormalsOnly(benchmark::State& state) {
    const auto threads = static_cast<std::uint64_t>(state.range(0));
    for (auto _ : state) {
        std::vector<double> sums(threads, 0.0);
        auto draw = [&](std::uint64_t k) {
            const NormalZiggurat& z = NormalZiggurat::instance();
            double s = 0.0;
            for (std::uint64_t p = k; p < kPaths; p += threads) {
                Xoshiro256 rng(kSeed, p);
                for (int n = 0; n < (kDays - 1) * (kAssets + 1); ++n) s += z(rng);
            }
            sums[k] = s;
        };
        std::vector<std::thread> pool;
        for (std::uint64_t k = 1; k < threads; ++k) pool.emplace_back(draw, k);
        draw(0);
        for (auto& t : pool) t.join();
        benchmark::DoNotOptimize(sums.data());
    }
    setRates(state);
}
BENCHMARK(BM_NormalsOnly)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
