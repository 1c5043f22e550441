// SPDX-License-Identifier: MIT
// executeRun as the Python module drives it: results kept in memory (the same file, nothing on
// disk), YAML text standing in for a file, sweep values reaching the file, the observer that
// reports progress and may stop a run (leaving no temporary behind), and validateScenarios.
#include "engine/run/commands.hpp"

#include "engine/core/error.hpp"
#include "engine/report/results_reader.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace commands_test {

// tests/fixtures/cli_test/ok.yaml: scenario "tiny", 3 strategies over 40 days of AAA and BBB.
std::string okYaml() { return fs::path(ROTOR_SOURCE_DIR) / "tests/fixtures/cli_test/ok.yaml"; }

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

RunOutcome run(RunCommand cmd) {
    std::ostringstream out, err;
    cmd.quiet = true;
    return executeRun(cmd, strategies::builtinRegistry(), out, err);
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
}

struct Stop {};  // what the test observers throw

TEST(Commands, InMemoryRunWritesNothingAndHoldsTheFileItWouldWrite) {
    const std::string dir = test::scratchDir("commands_memory");
    RunCommand disk;
    disk.scenarios = {{okYaml(), std::nullopt}};
    disk.output = dir + "/disk.h5";
    const RunOutcome written = run(disk);
    ASSERT_EQ(written.exitCode, kExitOk);
    EXPECT_TRUE(written.images.empty());

    RunCommand memory = disk;
    memory.output = dir + "/never.h5";  // ignored in memory
    memory.inMemory = true;
    const RunOutcome kept = run(memory);
    ASSERT_EQ(kept.images.size(), 1u);
    EXPECT_EQ(filesIn(dir), std::vector<std::string>{"disk.h5"});

    const report::ResultsData a = report::readResults(dir + "/disk.h5");
    const report::ResultsData b = report::readResultsImage(kept.images[0], "memory");
    ASSERT_TRUE(a.metrics && b.metrics);
    EXPECT_EQ(b.metrics->strings, a.metrics->strings);
    for (const auto& f : a.metrics->fields)
        if (a.metrics->hasNumber(f))
            for (std::size_t i = 0; i < a.metrics->rows; ++i) {
                const double x = a.metrics->number(f, i);
                const double y = b.metrics->number(f, i);
                EXPECT_TRUE(x == y || (x != x && y != y)) << f << " row " << i;
            }
    ASSERT_EQ(b.scenarios.size(), 1u);
    EXPECT_EQ(b.scenarios[0].dates, a.scenarios[0].dates);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(b.scenarios[0].history[k].equity, a.scenarios[0].history[k].equity);
        EXPECT_EQ(b.scenarios[0].history[k].weights.data, a.scenarios[0].history[k].weights.data);
        EXPECT_EQ(b.scenarios[0].history[k].trades.numbers,
                  a.scenarios[0].history[k].trades.numbers);
    }
    EXPECT_EQ(b.scenarioYaml, readText(okYaml()));
}

TEST(Commands, TextStandsInForTheFile) {
    const std::string dir = test::scratchDir("commands_text");
    // The text of ok.yaml named as a file in the same folder: its relative data paths resolve.
    const std::string name = fs::path(okYaml()).parent_path() / "typed_in.yaml";
    ASSERT_FALSE(fs::exists(name));
    RunCommand cmd;
    cmd.scenarios = {{name, readText(okYaml())}};
    cmd.output = dir + "/text.h5";
    ASSERT_EQ(run(cmd).exitCode, kExitOk);
    RunCommand file;
    file.scenarios = {{okYaml(), std::nullopt}};
    file.output = dir + "/file.h5";
    ASSERT_EQ(run(file).exitCode, kExitOk);
    const report::ResultsData a = report::readResults(dir + "/file.h5");
    const report::ResultsData b = report::readResults(dir + "/text.h5");
    EXPECT_EQ(b.attribute("scenario_file"), name);
    EXPECT_EQ(b.scenarioYaml, a.scenarioYaml);
    EXPECT_EQ(b.scenarios.at(0).history.at(2).equity, a.scenarios.at(0).history.at(2).equity);
    // A bad key in the text is located in it, under the name given.
    cmd.scenarios = {{name, "name: x\nmode: historical\nuniverse: {assets: [AAA]}\nbogus: 1\n"}};
    const ConfigError e = test::configErrorOf([&] { run(cmd); });
    EXPECT_EQ(e.file(), name);
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.column(), 1);
    EXPECT_EQ(e.key(), "bogus");
}

TEST(Commands, SweepValuesReachEachScenarioOfTheFile) {
    const std::string dir = test::scratchDir("commands_sweep");
    const std::string name = fs::path(okYaml()).parent_path() / "sweep_text.yaml";
    RunCommand cmd;
    cmd.scenarios = {{name,
                      "extends: ok.yaml\nname: grid\nsweep:\n"
                      "  strategies[name=mom].lookback: [5, 10]\n"
                      "  costs.slippage_bps: [0, 2.5]\n"}};
    cmd.inMemory = true;
    const RunOutcome outcome = run(cmd);
    const report::ResultsData d = report::readResultsImage(outcome.images.at(0), "grid");
    ASSERT_EQ(d.scenarios.size(), 4u);
    // First key slowest; values as written.
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"5", "0"}, {"5", "2.5"}, {"10", "0"}, {"10", "2.5"}};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& s = d.scenarios[i];
        EXPECT_EQ(s.name,
                  "grid__lookback=" + expected[i].first + "__slippage_bps=" + expected[i].second);
        ASSERT_EQ(s.sweep.size(), 2u);
        EXPECT_EQ(s.sweep[0].key, "strategies[name=mom].lookback");
        EXPECT_EQ(s.sweep[0].label, "lookback");
        EXPECT_EQ(s.sweep[0].value, expected[i].first);
        EXPECT_EQ(s.sweep[1].label, "slippage_bps");
        EXPECT_EQ(s.sweep[1].value, expected[i].second);
    }
}

TEST(Commands, ObserverSeesEachCellStartAndEveryStrategy) {
    std::vector<std::string> seen;
    RunCommand cmd;
    cmd.scenarios = {{okYaml(), std::nullopt}};
    cmd.inMemory = true;
    cmd.observer = [&seen](const RunProgress& p) {
        seen.push_back(p.cell + " " + p.unit + " " + std::to_string(p.done) + "/" +
                       std::to_string(p.total));
    };
    run(cmd);
    EXPECT_EQ(seen, (std::vector<std::string>{"tiny strategies 0/3", "tiny strategies 1/3",
                                              "tiny strategies 2/3", "tiny strategies 3/3"}));
}

TEST(Commands, ObserverStopsAHistoricalRunLeavingNoFile) {
    const std::string dir = test::scratchDir("commands_stop_history");
    RunCommand cmd;
    cmd.scenarios = {{okYaml(), std::nullopt}};
    cmd.output = dir + "/out.h5";
    int calls = 0;
    cmd.observer = [&calls](const RunProgress& p) {
        ++calls;
        if (p.done == 1) throw Stop{};
    };
    EXPECT_THROW(run(cmd), Stop);
    EXPECT_EQ(calls, 2);
    EXPECT_TRUE(filesIn(dir).empty());  // neither the output nor its temporary
}

TEST(Commands, ObserverStopsAMonteCarloRunBetweenChunks) {
    // The shipped forward scenario with few paths in small chunks: stopped at the first chunk.
    const std::string dir = test::scratchDir("commands_stop_mc");
    RunCommand cmd;
    cmd.scenarios = {{(fs::path(ROTOR_SOURCE_DIR) / "scenarios/great_rotation_2026.yaml").string(),
                      std::nullopt}};
    cmd.output = dir + "/fwd.h5";
    cmd.overrides.paths = 2000;
    cmd.overrides.threads = 2;
    std::vector<std::uint64_t> done;
    cmd.observer = [&done](const RunProgress& p) {
        EXPECT_STREQ(p.unit, "paths");
        EXPECT_EQ(p.total, 2000u);
        done.push_back(p.done);
        if (p.done > 0) throw Stop{};
    };
    EXPECT_THROW(run(cmd), Stop);
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[0], 0u);
    EXPECT_LT(done[1], 2000u);  // stopped before the end
    EXPECT_TRUE(filesIn(dir).empty());
}

TEST(Commands, ValidateScenariosSummarisesEveryCell) {
    const std::string name = fs::path(okYaml()).parent_path() / "validate_text.yaml";
    const auto cells = validateScenarios(
        {{name, "extends: ok.yaml\nsweep:\n  strategies[name=mom].lookback: [4, 8]\n"}},
        strategies::builtinRegistry());
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[1].file, name);
    EXPECT_EQ(cells[1].name, "tiny__lookback=8");
    EXPECT_EQ(cells[1].mode, "historical");
    EXPECT_EQ(cells[1].assets, 2u);
    EXPECT_EQ(cells[1].strategies, 3u);
    ASSERT_EQ(cells[1].sweep.size(), 1u);
    EXPECT_EQ(cells[1].sweep[0].value, "8");
}

}  // namespace commands_test
}  // namespace
}  // namespace rotor
