// SPDX-License-Identifier: MIT
#include "engine/run/memory_estimate.hpp"

#include "engine/config/compose.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rotor {
namespace {
namespace memory_estimate_test {

namespace fs = std::filesystem;

// The cells of `yaml`, written next to the invalid-input corpus's common files.
std::vector<ScenarioSpec> cells(const std::string& yaml) {
    const std::string dir = test::scratchDir("spec");
    const fs::path common = fs::path(ROTOR_SOURCE_DIR) / "tests" / "fixtures" /
                            "invalid_input_test" / "common";
    for (const auto& e : fs::directory_iterator(common))
        fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
    std::ofstream(dir + "/s.yaml") << yaml;
    std::vector<ScenarioSpec> out;
    for (const auto& c : expandScenarioFile(dir + "/s.yaml"))
        out.push_back(parseScenario(c.root, strategies::builtinRegistry()));
    return out;
}

// docs/cli.md, "Memory estimate", by hand for fwd.yaml: P = 50 paths, T = 21 dates (the start
// and a 20-day horizon), N = 2 assets, S = 2 strategies, Q = 5 percentiles, H = 0 history
// days, one chunk of 256 paths hence W = 1 thread.
//   per path   S*7*8*2 + 8 + (N+4)*8            = 224 + 8 + 48             = 280
//   per thread (S+1)*64*T*4 + (T+H)*N*32 + S*(T+H)*32 = 16128 + 1344 + 1344 = 18816
//   per band   T*(8192 + 8Q)                    = 21 * 8232                 = 172872
//   total      P*280 + W*18816 + (S+1)*172872   = 14000 + 18816 + 518616    = 551432
TEST(MemoryEstimate, ForwardRunByTheDocumentedFormula) {
    const auto spec = cells("extends: fwd.yaml\n");
    ASSERT_EQ(spec.size(), 1u);
    const MemoryEstimate e = estimateMemory(spec[0]);
    EXPECT_EQ(e.bytes, 551432u);
    EXPECT_EQ(e.detail, "50 paths x 21 days x 2 strategies x 2 assets, 1 threads");
    // `store: paths` adds T*(N+1)*4 = 252 bytes for each path in flight, min(P, (4W + 2) C)
    // with C = 256 paths a chunk: all 50 here, 50 * 252 = 12600.
    EXPECT_EQ(estimateMemory(cells("extends: fwd.yaml\nsimulation: {store: paths}\n")[0]).bytes,
              551432u + 12600u);
}

// The stored paths stream to the file: only those in flight count, (4W + 2) chunks of C paths,
// not P. 10^5 paths, one thread: P*280 + 18816 + 3*172872 = 28537432 without them, plus
// 252 * 6 * 256 = 387072 (C = 256) or 252 * 6 * 7 = 10584 (C = 7) with them; the same for
// 10^6 paths but for the 900000 more paths of 280 bytes.
TEST(MemoryEstimate, StoredPathsCountOnlyThoseInFlight) {
    const std::string base = "extends: fwd.yaml\nsimulation: {paths: 100000, threads: 1";
    EXPECT_EQ(estimateMemory(cells(base + "}\n")[0]).bytes, 28537432u);
    const MemoryEstimate stored = estimateMemory(cells(base + ", store: paths}\n")[0]);
    EXPECT_EQ(stored.bytes, 28537432u + 387072u);
    EXPECT_EQ(stored.detail,
              "100000 paths x 21 days x 2 strategies x 2 assets, 1 threads, store: paths");
    EXPECT_EQ(estimateMemory(cells(base + ", store: paths, chunk: 7}\n")[0]).bytes,
              28537432u + 10584u);
    const std::string more = "extends: fwd.yaml\nsimulation: {paths: 1000000, threads: 1";
    EXPECT_EQ(estimateMemory(cells(more + ", store: paths}\n")[0]).bytes,
              28537432u + 900000u * 280u + 387072u);
}

// 10^8 paths (the YAML's bound) need 10^8 x 280 bytes for the per-path results alone (26 GiB,
// more than the default limit on most machines); with one thread: + 18816 + 3 x 172872.
TEST(MemoryEstimate, HundredMillionPathsNeedTensOfGigabytes) {
    const auto spec = cells("extends: fwd.yaml\nsimulation: {paths: 100000000, threads: 1}\n");
    const MemoryEstimate e = estimateMemory(spec[0]);
    EXPECT_EQ(e.bytes, 28000537432u);
}

// History: T = calendar days x 252 / 365 + 1 trading days; prices and returns T*N*8*4, and per
// strategy T*(N+4)*8*2. 2020-01-01 to 2021-01-01 is 366 days: T = 92232 / 365 + 1 = 253; with
// N = 2 and S = 3 (ok.yaml): 253*64 + 3*253*96 = 16192 + 72864 = 89056.
TEST(MemoryEstimate, HistoryRunByTheDocumentedFormula) {
    const auto spec = cells("extends: ok.yaml\nwindow: {start: 2020-01-01, end: 2021-01-01}\n");
    const MemoryEstimate e = estimateMemory(spec[0]);
    EXPECT_EQ(e.bytes, 89056u);
    EXPECT_EQ(e.detail, "253 days x 3 strategies x 2 assets");
}

// A file's cells all stay in memory until it is written: their estimates add up.
TEST(MemoryEstimate, SweepCellsAddUp) {
    const auto spec = cells("extends: fwd.yaml\nsweep:\n  simulation.paths: [50, 100]\n");
    ASSERT_EQ(spec.size(), 2u);
    const MemoryEstimate e = estimateMemory(spec);
    // The second cell has 50 more paths of 280 bytes.
    EXPECT_EQ(e.bytes, 551432u + 551432u + 50u * 280u);
    EXPECT_EQ(e.detail,
              "2 cells, the largest 100 paths x 21 days x 2 strategies x 2 assets, 1 threads");
}

}  // namespace memory_estimate_test
}  // namespace
}  // namespace rotor
