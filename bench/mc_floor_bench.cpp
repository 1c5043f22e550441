// SPDX-License-Identifier: MIT
// The Monte Carlo of a forward scenario against its random-number floor, in one process.
//
// The floor makes exactly the random draws of the scenario's own model (built by the engine from
// the YAML, calibration included): the same generator streams, variates and number of draws per
// path as generate(), through PathGenerator::drawOnly, and nothing else. The full run is
// rotor::simulate of the scenario on one thread: generation, every strategy's backtest and
// metrics, bands and summaries (in memory: no results file). Rounds alternate floor and full, so
// that load on a shared machine hits both alike; times are process CPU time.
//
// Usage: rotor_bench_mc_floor [SCENARIO] [--paths N] [--rounds R]
// Prints the median CPU per path of each and their ratio (the scale target: within 3x).
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/spec/forward_model.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

namespace {

using namespace rotor;

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    const std::size_t n = xs.size();
    return n % 2 == 1 ? xs[n / 2] : 0.5 * (xs[n / 2 - 1] + xs[n / 2]);
}

// Same state: the next outputs agree (a different state would differ in all four).
bool sameStream(Xoshiro256 a, Xoshiro256 b) {
    for (int k = 0; k < 4; ++k)
        if (a() != b()) return false;
    return true;
}

int run(int argc, char** argv) {
    std::string file = ROTOR_SOURCE_DIR "/scenarios/great_rotation_2026.yaml";
    std::uint64_t paths = 20000;
    int rounds = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--paths" && i + 1 < argc)
            paths = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else
            file = a;
    }
    if (paths == 0 || rounds < 1) {
        std::fprintf(stderr, "usage: rotor_bench_mc_floor [SCENARIO] [--paths N] [--rounds R]\n");
        return 2;
    }

    const ScenarioSpec spec = loadScenario(file, strategies::builtinRegistry());
    ROTOR_REQUIRE(spec.monteCarlo(), file << " is not a Monte Carlo scenario");
    DataStore data;
    const ForwardModel model = buildForwardModel(spec, data);
    const PathGenerator& gen = *model.generator;

    // The floor must make generate()'s draws: the stream ends in the same state.
    {
        Path path;
        GeneratorScratch scratch;
        for (std::uint64_t p = 0; p < 200; ++p) {
            Xoshiro256 end(0, 0);
            ROTOR_REQUIRE(gen.drawOnly(p, &end), "the scenario's model has no drawOnly");
            gen.generate(p, path, scratch);
            ROTOR_REQUIRE(sameStream(end, scratch.stream),
                          "path " << p << ": drawOnly and generate() draw differently");
        }
    }

    SimulationInput in;
    in.name = spec.name;
    in.seed = spec.simulation->seed;
    in.strategies = spec.strategies;
    in.backtest = spec.backtest;
    in.benchmark = spec.benchmark;
    in.paths = paths;
    in.threads = 1;
    in.chunkSize = spec.simulation->chunk;
    in.percentiles = spec.simulation->percentiles;

    std::vector<double> floorUs, fullUs, ratios;
    double sink = 0.0;
    const double perPath = 1e6 / static_cast<double>(paths);
    for (int r = 0; r < rounds; ++r) {
        double t0 = cpuSeconds();
        for (std::uint64_t p = 0; p < paths; ++p) sink += *gen.drawOnly(p, nullptr);
        const double floor = (cpuSeconds() - t0) * perPath;
        t0 = cpuSeconds();
        const McScenarioRun mc = simulate(gen, in);
        const double full = (cpuSeconds() - t0) * perPath;
        for (const McStrategyRun& s : mc.strategies)
            ROTOR_REQUIRE(s.ok, s.name << " failed: " << s.error);
        floorUs.push_back(floor);
        fullUs.push_back(full);
        ratios.push_back(full / floor);
        std::printf("round %d: floor %.2f us/path, full %.2f us/path, ratio %.2f\n", r + 1, floor,
                    full, full / floor);
    }
    std::printf("%s: %llu paths x %d rounds, %zu strategies, %zu days, CPU medians:\n",
                spec.name.c_str(), static_cast<unsigned long long>(paths), rounds,
                spec.strategies.size(), gen.dates().size());
    std::printf("floor (model draws only)  %8.2f us/path\n", median(floorUs));
    std::printf("full Monte Carlo          %8.2f us/path\n", median(fullUs));
    std::printf("ratio full / floor        %8.2f (median of the rounds' ratios)\n", median(ratios));
    std::fflush(stdout);
    std::fprintf(stderr, "(checksum %g)\n", sink);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "rotor_bench_mc_floor: %s\n", e.what());
        return 1;
    }
}
