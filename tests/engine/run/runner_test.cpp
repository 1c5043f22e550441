// SPDX-License-Identifier: MIT
// The runner's hooks, which let `rotor run` write each strategy while the next one computes.
#include "engine/run/runner.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/data/sha256.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace runner_test {

ScenarioSpec benchmarkSecond(const StrategyRegistry& registry) {
    const auto cells = expandScenarioFile(ROTOR_TEST_INPUT("benchmark_second.yaml"));
    return parseScenario(cells.at(0).root, registry);
}

// What the hooks saw, in order: "start" (with the head checked) and "done <index>".
struct Recorder {
    std::vector<std::string> events;
    RunHooks hooks() {
        RunHooks h;
        h.started = [this](const ScenarioRun& s) {
            events.push_back("start " + std::to_string(s.dates.size()) + " days, " +
                             std::to_string(s.strategies.size()) + " strategies");
        };
        h.strategyDone = [this](const ScenarioRun& s, std::size_t i) {
            // The strategy is complete when announced: its name and a full equity curve.
            events.push_back("done " + std::to_string(i) + " " + s.strategies[i].name + " " +
                             std::to_string(s.strategies[i].equity.size()));
        };
        h.progress = [this](const std::string&, std::size_t done, std::size_t total) {
            events.push_back("progress " + std::to_string(done) + "/" + std::to_string(total));
        };
        return h;
    }
};

// A history run of benchmark_second.yaml: what it produced and the files it read.
struct TinyRun {
    ScenarioSpec spec = benchmarkSecond(strategies::builtinRegistry());
    ScenarioRun out;
};

TEST(Runner, HooksSeeTheScenarioFirstThenEachStrategyOnceBenchmarkFirst) {
    TinyRun run;
    Recorder rec;
    DataStore data;
    runHistorical(run.spec, data, run.out, rec.hooks());
    const ScenarioRun& out = run.out;
    // AAA.csv and BBB.csv hold 40 rows each, 2024-01-02 onwards, on the same days.
    const std::vector<std::string> expected = {
        "start 40 days, 3 strategies",
        "done 1 hold_a 40",
        "progress 1/3",
        "done 0 mix 40",
        "progress 2/3",
        "done 2 hold_b 40",
        "progress 3/3",
    };
    EXPECT_EQ(rec.events, expected);
    ASSERT_EQ(out.strategies.size(), 3u);
    EXPECT_EQ(out.strategies[0].name, "mix");
    EXPECT_EQ(out.strategies[1].name, "hold_a");
}

TEST(Runner, ChecksumsAreOfTheBytesTheRunRead) {
    TinyRun run;
    SerialWorker hasher;  // checksums in the background, as `rotor run` computes them
    DataStore data(&hasher);
    runHistorical(run.spec, data, run.out);
    const auto files = data.records();
    ASSERT_EQ(files.size(), 3u);  // AAA, BBB, the rate series
    for (const auto& f : files) {
        std::ifstream in(f.path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        EXPECT_EQ(f.sha256, sha256Hex(bytes)) << f.path;
    }
}

}  // namespace runner_test
}  // namespace
}  // namespace rotor
