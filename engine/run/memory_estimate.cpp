// SPDX-License-Identifier: MIT
#include "engine/run/memory_estimate.hpp"

#include "engine/core/input_file.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/spec/forward_model.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <sstream>

namespace rotor {

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// Saturating arithmetic: an estimate that overflows is simply "too much".
std::uint64_t mul(std::uint64_t a, std::uint64_t b) { return checkedMul(a, b).value_or(kMax); }
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return checkedAdd(a, b).value_or(kMax); }
std::uint64_t mul(std::initializer_list<std::uint64_t> factors) {
    std::uint64_t r = 1;
    for (const auto f : factors) r = mul(r, f);
    return r;
}

Date today() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto days = std::chrono::duration_cast<std::chrono::hours>(now).count() / 24;
    return Date::fromYmd(1970, 1, 1) + static_cast<int>(days);
}

MemoryEstimate forward(const ScenarioSpec& spec) {
    const SimulationSpec& sim = *spec.simulation;
    const std::uint64_t T = forwardDates(sim).size();
    const std::uint64_t H = static_cast<std::uint64_t>(std::max(0L, sim.historyDays));
    const std::uint64_t N = spec.universe.assets.size();
    const std::uint64_t S = spec.strategies.size();
    const std::uint64_t P = sim.paths;
    const std::uint64_t Q = sim.percentiles.size();
    const std::uint64_t chunks = (P + sim.chunk - 1) / std::max<std::uint64_t>(sim.chunk, 1);
    const std::uint64_t W = effectiveThreads(static_cast<std::uint64_t>(sim.threads), chunks);

    // Per path: 7 metrics per strategy (and their sorted copies for the summaries), the regime
    // and the attribution row.
    const std::uint64_t perPath = add(mul({S, 7, 8, 2}), add(8, mul(N + 4, 8)));
    // With `store: paths`, every price and rate as float32, but only of the paths in flight: the
    // window of kWindowChunks chunks per thread, the chunk being written and a piece (one chunk)
    // on its way between processes. The rest is in the results file (or a rank's spool file).
    const std::uint64_t C = std::max<std::uint64_t>(sim.chunk, 1);
    const std::uint64_t stored =
        sim.storePaths ? mul({T, N + 1, 4, std::min(P, mul(add(mul(kWindowChunks, W), 2), C))}) : 0;
    // Per worker: 64 paths of histogram bins per strategy, the path with its history, and each
    // strategy's backtest buffers.
    const std::uint64_t perThread = add(mul({S + 1, 64, T, 4}),
                                        add(mul({T + H, N, 8, 4}), mul({S, T + H, 8, 4})));
    // Per strategy (and the rate): the day-by-day band histograms and bands.
    const std::uint64_t perBand = mul(T, add(8192, mul(Q, 8)));

    MemoryEstimate e;
    e.bytes = add(add(mul(P, perPath), stored), add(mul(W, perThread), mul(S + 1, perBand)));
    std::ostringstream os;
    os << P << " paths x " << T << " days x " << S << " strategies x " << N << " assets, " << W
       << " threads" << (sim.storePaths ? ", store: paths" : "");
    e.detail = os.str();
    return e;
}

MemoryEstimate historical(const ScenarioSpec& spec) {
    // Trading days from the window (or the oldest bundled data, 1926) to its end (or today).
    const Date start = spec.start.value_or(Date::fromYmd(1926, 1, 1));
    const Date end = spec.end.value_or(today());
    const auto calendar = static_cast<std::uint64_t>(std::max(0, end - start));
    const std::uint64_t T = calendar * 252 / 365 + 1;
    const std::uint64_t N = spec.universe.assets.size();
    const std::uint64_t S = spec.strategies.size();
    MemoryEstimate e;
    // Prices, returns and aligned copies; per strategy its equity, returns and weights, twice
    // (the run's and the writer's).
    e.bytes = add(mul({T, N, 8, 4}), mul({S, T, N + 4, 8, 2}));
    std::ostringstream os;
    os << T << " days x " << S << " strategies x " << N << " assets";
    e.detail = os.str();
    return e;
}

}  // namespace

MemoryEstimate estimateMemory(const ScenarioSpec& spec) {
    return spec.monteCarlo() ? forward(spec) : historical(spec);
}

MemoryEstimate estimateMemory(const std::vector<ScenarioSpec>& cells) {
    MemoryEstimate total;
    const MemoryEstimate* largest = nullptr;
    std::vector<MemoryEstimate> each;
    each.reserve(cells.size());
    for (const auto& c : cells) {
        each.push_back(estimateMemory(c));
        total.bytes = add(total.bytes, each.back().bytes);
    }
    for (const auto& e : each)
        if (largest == nullptr || e.bytes > largest->bytes) largest = &e;
    if (largest != nullptr)
        total.detail = cells.size() == 1 ? largest->detail
                                         : std::to_string(cells.size()) + " cells, the largest " +
                                               largest->detail;
    return total;
}

}  // namespace rotor
