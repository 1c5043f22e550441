// SPDX-License-Identifier: MIT
// Scenario composition: extends chains (override, deep merge, deletion, cycles, parent-relative
// paths), sweeps (grid size, order, names, substituted values, selection by name), packs, and
// the file:line:column of errors, counted by hand from the fixture files. Parents in another
// folder (folder_a/ extends folder_b/) check that every node of a cell names its own file.
#include "engine/config/compose.hpp"

#include "engine/core/error.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "engine/strategy/registry.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace compose_test {

std::string in(const std::string& name) { return ROTOR_TEST_INPUT(name); }

// The folder of the fixtures, written independently of the code's own path handling.
std::string fixtureDir() { return std::filesystem::path(in("child.yaml")).parent_path().string(); }

void expectAt(const ConfigError& e, const std::string& file, int line, int column) {
    EXPECT_EQ(e.file(), file) << e.what();
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
}

// ---- key paths -------------------------------------------------------------------------------

TEST(NodeOrigins, KeyPathsSplitAndJoinAsConfigNodeWritesThem) {
    const NodeOrigins::Path p = NodeOrigins::parseKeyPath("strategies[2].weights.SPY");
    EXPECT_EQ(p, (NodeOrigins::Path{"strategies", "[2]", "weights", "SPY"}));
    EXPECT_EQ(NodeOrigins::keyPath(p), "strategies[2].weights.SPY");
    EXPECT_TRUE(NodeOrigins::parseKeyPath("").empty());
}

TEST(NodeOrigins, NearestRecordedAncestorWins) {
    auto a = std::make_shared<const std::string>("a.yaml");
    auto b = std::make_shared<const std::string>("b.yaml");
    NodeOrigins o(a);
    o.assign({"costs"}, b);
    EXPECT_EQ(o.fileOf("costs.commission_bps"), "b.yaml");
    EXPECT_EQ(o.fileOf("window.start"), "a.yaml");
    o.pin({"costs", "slippage_bps"});  // keeps b when costs changes hands
    o.assignNode({"costs"}, a);
    EXPECT_EQ(o.fileOf("costs.slippage_bps"), "b.yaml");
    EXPECT_EQ(o.fileOf("costs.commission_bps"), "a.yaml");
    o.assign({"costs"}, b);  // replaces the whole subtree
    EXPECT_EQ(o.fileOf("costs.slippage_bps"), "b.yaml");
    o.assignNode({"costs"}, a);
    EXPECT_EQ(o.fileOf("costs.slippage_bps"), "a.yaml");
}

// ---- extends ---------------------------------------------------------------------------------

TEST(Compose, ChainOfThreeOverridesDeepMergesAndDeletes) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("child.yaml"));
    ASSERT_EQ(cells.size(), 1u);
    const ScenarioCell& c = cells[0];
    EXPECT_EQ(c.name, "child_scn");
    EXPECT_EQ(c.root.file(), in("child.yaml"));
    EXPECT_FALSE(c.root.has("extends"));
    EXPECT_EQ(c.root.getString("name"), "child_scn");   // child over base
    EXPECT_EQ(c.root.getString("mode"), "historical");  // base only
    // costs merged key by key: commission from child, slippage from mid.
    EXPECT_EQ(c.root.at("costs").keys(),
              (std::vector<std::string>{"commission_bps", "slippage_bps"}));
    EXPECT_DOUBLE_EQ(c.root.at("costs").getDouble("commission_bps"), 3.0);
    EXPECT_DOUBLE_EQ(c.root.at("costs").getDouble("slippage_bps"), 5.0);
    // window.end deleted by mid's `end: ~`; start inherited.
    EXPECT_EQ(c.root.at("window").keys(), (std::vector<std::string>{"start"}));
    EXPECT_EQ(c.root.at("window").getString("start"), "2001-01-02");
    // Sequences replace wholesale: the child's two strategies, not base's one plus two.
    const auto strategies = c.root.at("strategies").items();
    ASSERT_EQ(strategies.size(), 2u);
    EXPECT_EQ(strategies[0].getString("name"), "qqq");
    EXPECT_EQ(strategies[1].getString("name"), "iwm");
    // Base's key order is kept, with no key lost or added.
    EXPECT_EQ(c.root.keys(),
              (std::vector<std::string>{"name", "mode", "universe", "window", "cash_rate", "costs",
                                        "strategies", "output"}));
}

TEST(Compose, EveryNodeKeepsItsFileAndMark) {
    const ScenarioCell c = expandScenarioFile(in("child.yaml")).at(0);
    // child.yaml line 5 "  commission_bps: 3.0": the value starts after 2 + 14 + 2 = 18 chars.
    const ConfigNode commission = c.root.at("costs").at("commission_bps");
    EXPECT_EQ(c.fileOf(commission.keyPath()), in("child.yaml"));
    EXPECT_EQ(commission.file(), in("child.yaml"));
    EXPECT_EQ(commission.line(), 5);
    EXPECT_EQ(commission.column(), 19);
    // mid.yaml line 4 "  slippage_bps: 5.0": 2 + 12 + 2 = 16 chars before the value.
    const ConfigNode slippage = c.root.at("costs").at("slippage_bps");
    EXPECT_EQ(c.fileOf(slippage.keyPath()), in("mid.yaml"));
    EXPECT_EQ(slippage.file(), in("mid.yaml"));
    EXPECT_EQ(slippage.line(), 4);
    EXPECT_EQ(slippage.column(), 17);
    // parent/base.yaml line 8 "  start: 2001-01-02": 2 + 5 + 2 = 9 chars before the value.
    const ConfigNode start = c.root.at("window").at("start");
    EXPECT_EQ(c.fileOf(start.keyPath()), in("parent/base.yaml"));
    EXPECT_EQ(start.file(), in("parent/base.yaml"));
    EXPECT_EQ(start.line(), 8);
    EXPECT_EQ(start.column(), 10);
    EXPECT_EQ(c.fileOf("mode"), in("parent/base.yaml"));
    EXPECT_EQ(c.fileOf("strategies[1].weights.IWM"), in("child.yaml"));
    EXPECT_EQ(c.root.at("strategies").items()[1].at("weights").at("IWM").file(), in("child.yaml"));
    // Merged maps are the child's nodes: costs is child.yaml's block map, whose mark is its
    // first key (line 5), and the root is child.yaml's.
    EXPECT_EQ(c.fileOf("costs"), in("child.yaml"));
    EXPECT_EQ(c.root.at("costs").line(), 5);
    EXPECT_EQ(c.root.at("costs").file(), in("child.yaml"));
    EXPECT_EQ(c.fileOf(""), in("child.yaml"));
    // window is mid.yaml's map merged over base's: its inherited start stays base's (above).
    EXPECT_EQ(c.root.at("window").file(), in("mid.yaml"));
}

TEST(Compose, PathsStayRelativeToTheFileThatWroteThem) {
    const ScenarioCell c = expandScenarioFile(in("child.yaml")).at(0);
    const ConfigNode table = c.root.at("universe").at("table");
    // parent/base.yaml says ../data/prices.csv: from compose_test/parent that is
    // compose_test/data/prices.csv, not compose_test/../data/prices.csv.
    EXPECT_EQ(c.resolvePath(table), fixtureDir() + "/data/prices.csv");
    EXPECT_EQ(c.resolvePath(c.root.at("output")), fixtureDir() + "/out/base.h5");
    // The node itself knows its file, so ConfigNode's resolvePath agrees.
    EXPECT_EQ(table.file(), in("parent/base.yaml"));
    EXPECT_EQ(resolvePath(table), fixtureDir() + "/data/prices.csv");
}

TEST(Compose, MergedTreeParsesAsAScenario) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("child.yaml")).at(0);
    const ScenarioSpec s = parseScenario(c.root, registry);
    EXPECT_EQ(s.name, "child_scn");
    EXPECT_DOUBLE_EQ(s.backtest.costs.commissionBps, 3.0);
    EXPECT_DOUBLE_EQ(s.backtest.costs.slippageBps, 5.0);
    ASSERT_TRUE(s.start.has_value());
    EXPECT_EQ(s.start->iso(), "2001-01-02");
    EXPECT_FALSE(s.end.has_value());
    ASSERT_TRUE(s.cashRate.constant.has_value());
    EXPECT_DOUBLE_EQ(*s.cashRate.constant, 2.0);
    ASSERT_EQ(s.strategies.size(), 2u);
    EXPECT_EQ(s.strategies[1].name, "iwm");
}

TEST(Compose, WrongTypeInTheChildIsReportedAtTheChildsLine) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("bad_child.yaml")).at(0);
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    // bad_child.yaml line 4 "  commission_bps: lots": 2 + 14 + 2 = 18 chars before "lots".
    expectAt(e, in("bad_child.yaml"), 4, 19);
    EXPECT_EQ(e.key(), "costs.commission_bps");
}

TEST(Compose, WrongTypeInheritedFromTheParentNamesTheParent) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("inherits_bad.yaml")).at(0);
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    // parent/bad_base.yaml line 6 "initial_capital: lots" has 15 + 2 = 17 chars before "lots".
    expectAt(e, in("parent/bad_base.yaml"), 6, 18);
    EXPECT_EQ(e.key(), "initial_capital");
    EXPECT_EQ(std::string(e.what()), in("parent/bad_base.yaml") +
                                         ":6:18: initial_capital: expected a number, found 'lots'");
}

TEST(Compose, AllowOnlyOnAMergedTreePointsAtTheChildsKey) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("child_unknown.yaml")).at(0);
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    expectAt(e, in("child_unknown.yaml"), 3, 1);  // "colour: red"
    EXPECT_NE(std::string(e.what()).find("unknown key 'colour'"), std::string::npos);
}

TEST(Compose, ExtendsCycleIsRefusedNamingTheChain) {
    const ConfigError e = test::configErrorOf([] { expandScenarioFile(in("cycle_a.yaml")); });
    // cycle_b.yaml line 2 "extends: cycle_a.yaml": the value after "extends: " (9 chars).
    expectAt(e, in("cycle_b.yaml"), 2, 10);
    const std::string chain = in("cycle_a.yaml") + " -> " + in("cycle_b.yaml") + " -> " +
                              in("cycle_a.yaml");
    EXPECT_NE(std::string(e.what()).find("extends cycle: " + chain), std::string::npos) << e.what();
}

TEST(Compose, MissingParentIsReportedAtTheExtendsLine) {
    const ConfigError e = test::configErrorOf(
        [] { expandScenarioFile(in("missing_parent.yaml")); });
    expectAt(e, in("missing_parent.yaml"), 2, 10);
    EXPECT_NE(std::string(e.what()).find("cannot open '" + in("nowhere.yaml") + "'"),
              std::string::npos);
}

// ---- parents in another folder ----------------------------------------------------------------

TEST(ComposeFolders, InheritedPathsResolveAgainstTheParentsFolder) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("folder_a/child.yaml")).at(0);
    EXPECT_EQ(c.root.file(), in("folder_a/child.yaml"));
    const ScenarioSpec s = parseScenario(c.root, registry);
    EXPECT_EQ(s.name, "a_child");
    EXPECT_EQ(s.file, in("folder_a/child.yaml"));
    // folder_b/base.yaml writes prices: prices/{asset}.csv, i.e. folder_b/prices/{asset}.csv,
    // not folder_a/prices/{asset}.csv.
    EXPECT_EQ(s.universe.prices.pattern, fixtureDir() + "/folder_b/prices/{asset}.csv");
    // cash_rate.series: rates/dff.csv in folder_b, not folder_a/rates/dff.csv.
    EXPECT_EQ(s.cashRate.file, fixtureDir() + "/folder_b/rates/dff.csv");
    EXPECT_EQ(s.cashRate.column, "dff_pct");
    // The child's own output: out/a.h5 in folder_a.
    EXPECT_EQ(s.output, fixtureDir() + "/folder_a/out/a.h5");
    // Costs merged across folders: commission from B, slippage from A.
    EXPECT_DOUBLE_EQ(s.backtest.costs.commissionBps, 1.0);
    EXPECT_DOUBLE_EQ(s.backtest.costs.slippageBps, 4.0);
    EXPECT_EQ(c.root.at("costs").at("commission_bps").file(), in("folder_b/base.yaml"));
    EXPECT_EQ(c.root.at("costs").at("slippage_bps").file(), in("folder_a/child.yaml"));
    // The inherited strategy nodes the spec's strategies were built from carry B's file on.
    ASSERT_EQ(s.strategies.size(), 1u);
    const ConfigNode strategy = c.root.at("strategies").items().at(0);
    EXPECT_EQ(strategy.file(), in("folder_b/base.yaml"));
    EXPECT_EQ(strategy.at("weights").at("SPY").file(), in("folder_b/base.yaml"));
}

TEST(ComposeFolders, WrongTypeInAnInheritedNodeNamesTheParentFile) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("folder_a/inherits_bad.yaml")).at(0);
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    // folder_b/bad_base.yaml line 6 "initial_capital: lots": 15 + 2 = 17 chars before "lots".
    expectAt(e, in("folder_b/bad_base.yaml"), 6, 18);
    EXPECT_EQ(e.key(), "initial_capital");
    EXPECT_EQ(std::string(e.what()), in("folder_b/bad_base.yaml") +
                                         ":6:18: initial_capital: expected a number, found 'lots'");
}

TEST(ComposeFolders, WrongTypeInAnOverrideNamesTheChildFile) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("folder_a/bad_override.yaml")).at(0);
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    // folder_a/bad_override.yaml line 4 "  slippage_bps: much": 2 + 12 + 2 = 16 chars before.
    expectAt(e, in("folder_a/bad_override.yaml"), 4, 17);
    EXPECT_EQ(e.key(), "costs.slippage_bps");
}

TEST(ComposeFolders, UnknownInheritedKeyInAMergedMapNamesTheParentFile) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const ScenarioCell c = expandScenarioFile(in("folder_a/typo_child.yaml")).at(0);
    // The costs map is the child's (merged), but the misspelt key is the parent's:
    // folder_b/typo_base.yaml line 7 "  comission_bps: 1.0", the key after 2 spaces.
    EXPECT_EQ(c.root.at("costs").file(), in("folder_a/typo_child.yaml"));
    const ConfigError e = test::configErrorOf([&] { parseScenario(c.root, registry); });
    expectAt(e, in("folder_b/typo_base.yaml"), 7, 3);
    EXPECT_EQ(e.key(), "costs.comission_bps");
    EXPECT_NE(std::string(e.what()).find("unknown key 'comission_bps'"), std::string::npos)
        << e.what();
}

TEST(ComposeFolders, PackOverridePathsResolveAgainstThePacksFolder) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("folder_b/pack.yaml"));
    ASSERT_EQ(cells.size(), 1u);
    const ScenarioCell& c = cells[0];
    EXPECT_EQ(c.root.file(), in("folder_a/child.yaml"));
    const ScenarioSpec s = parseScenario(c.root, registry);
    // The pack (folder_b) writes output: out/pack.h5; the scenario's own out/a.h5 is replaced.
    EXPECT_EQ(s.output, fixtureDir() + "/folder_b/out/pack.h5");
    EXPECT_EQ(s.cashRate.file, fixtureDir() + "/folder_b/rates/dff.csv");
    EXPECT_DOUBLE_EQ(s.backtest.costs.slippageBps, 4.0);
}

// ---- sweeps ----------------------------------------------------------------------------------

TEST(Compose, SweepExpandsTheCartesianProductInOrder) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep.yaml"));
    const std::vector<std::string> levels{"2.5", "3.0", "3.5"};
    const std::vector<long> lookbacks{63, 126};
    ASSERT_EQ(cells.size(), levels.size() * lookbacks.size());
    std::size_t k = 0;
    for (const auto& level : levels) {  // the first sweep key varies slowest
        for (const long lookback : lookbacks) {
            const ScenarioCell& c = cells[k++];
            const std::string name = "grid__level=" + level +
                                     "__lookback=" + std::to_string(lookback);
            EXPECT_EQ(c.name, name);
            EXPECT_EQ(c.root.getString("name"), name);
            EXPECT_FALSE(c.root.has("sweep"));
            const ConfigNode target = c.root.at("rate_path").at("regimes").items()[0].at("target");
            EXPECT_EQ(target.at("level").asString(), level);
            const auto strategies = c.root.at("strategies").items();
            EXPECT_EQ(strategies[0].getInt("lookback"), 252);  // "dual" is not swept
            EXPECT_EQ(strategies[1].getString("name"), "momentum_top1_6m");
            EXPECT_EQ(strategies[1].getInt("lookback"), lookback);
            // The provenance text holds the substituted values and no sweep.
            const YAML::Node source = YAML::Load(c.sourceYaml);
            EXPECT_EQ(source["strategies"][1]["lookback"].as<long>(), lookback);
            EXPECT_FALSE(source["sweep"]);
        }
    }
}

TEST(Compose, SubstitutedValueCarriesTheSweepLineAndFile) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep.yaml"));
    const ConfigNode lookback = cells[0].root.at("strategies").items()[1].at("lookback");
    // sweep.yaml line 16 "  strategies[name=momentum_top1_6m].lookback: [63, 126]": before
    // "63" come 2 + 10 ("strategies") + 23 ("[name=momentum_top1_6m]") + 9 (".lookback")
    // + 3 (": [") = 47 chars.
    EXPECT_EQ(lookback.line(), 16);
    EXPECT_EQ(lookback.column(), 48);
    EXPECT_EQ(cells[0].fileOf(lookback.keyPath()), in("sweep.yaml"));
    EXPECT_EQ(lookback.keyPath(), "strategies[1].lookback");
}

TEST(Compose, SweepsMergeThroughExtends) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep_child.yaml"));
    ASSERT_EQ(cells.size(), 2u);  // level [4.0] replaces the parent's three; lookback inherited
    EXPECT_EQ(cells[0].name, "grid__level=4.0__lookback=63");
    EXPECT_EQ(cells[1].name, "grid__level=4.0__lookback=126");
    const std::string levelPath = "rate_path.regimes[0].target.level";
    EXPECT_EQ(cells[1].fileOf(levelPath), in("sweep_child.yaml"));
    EXPECT_EQ(cells[1].fileOf("strategies[1].lookback"), in("sweep.yaml"));
    EXPECT_DOUBLE_EQ(
        cells[1].root.at("rate_path").at("regimes").items()[0].at("target").getDouble("level"),
        4.0);
}

TEST(Compose, SweepLabelsGrowUntilTheyDiffer) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep_labels.yaml"));
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0].name, "lab__a.lookback=11__1.lookback=21");
    EXPECT_EQ(cells[1].name, "lab__a.lookback=11__1.lookback=22");
    const auto s = cells[1].root.at("strategies").items();
    EXPECT_EQ(s[0].getInt("lookback"), 11);
    EXPECT_EQ(s[1].getInt("lookback"), 22);
}

TEST(Compose, EachCellCarriesItsSweepValues) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep_labels.yaml"));
    ASSERT_EQ(cells.size(), 2u);
    // Keys as written under sweep:, labels as in the cell names, values as written.
    for (std::size_t i = 0; i < 2; ++i) {
        ASSERT_EQ(cells[i].sweep.size(), 2u);
        EXPECT_EQ(cells[i].sweep[0].key, "strategies[name=a].lookback");
        EXPECT_EQ(cells[i].sweep[0].label, "a.lookback");
        EXPECT_EQ(cells[i].sweep[0].value, "11");
        EXPECT_EQ(cells[i].sweep[1].key, "strategies[1].lookback");
        EXPECT_EQ(cells[i].sweep[1].label, "1.lookback");
    }
    EXPECT_EQ(cells[0].sweep[1].value, "21");
    EXPECT_EQ(cells[1].sweep[1].value, "22");
    // Outside a sweep a cell has none.
    EXPECT_TRUE(expandScenarioFile(in("child.yaml")).front().sweep.empty());
}

TEST(Compose, TextStandsInForAFileInItsFolder) {
    // The text of sweep_labels.yaml given as text named after a file that does not exist in the
    // fixture folder: same cells, and errors name that file.
    std::ifstream f(in("sweep_labels.yaml"));
    const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const std::string name = fixtureDir() + "/not_on_disk.yaml";
    ASSERT_FALSE(std::filesystem::exists(name));
    const ExpandedScenario expanded = expandScenarioText(text, name);
    const std::vector<ScenarioCell>& cells = expanded.cells;
    // The text is the first source (the bytes given, no file identity).
    ASSERT_EQ(expanded.sources.size(), 1u);
    EXPECT_EQ(expanded.sources[0].path, name);
    EXPECT_EQ(expanded.sources[0].text, text);
    EXPECT_EQ(expanded.sources[0].id, FileId{});
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[1].name, "lab__a.lookback=11__1.lookback=22");
    EXPECT_EQ(cells[1].root.file(), name);
    EXPECT_EQ(cells[1].sweep[1].value, "22");
    // `extends` resolves against the named file's folder: child.yaml extends parent/... there.
    const ExpandedScenario fromText = expandScenarioText("extends: child.yaml\nname: from_text\n",
                                                         name);
    // Then the files the text pulled in, read from disk, with their identity.
    ASSERT_GE(fromText.sources.size(), 2u);
    EXPECT_EQ(fromText.sources[0].path, name);
    EXPECT_EQ(fromText.sources[1].path, fixtureDir() + "/child.yaml");
    EXPECT_NE(fromText.sources[1].id, FileId{});
    const std::vector<ScenarioCell>& child = fromText.cells;
    ASSERT_EQ(child.size(), 1u);
    EXPECT_EQ(child[0].name, "from_text");
    EXPECT_EQ(child[0].fileOf("name"), name);
    // A syntax error in the text is located in it: line 2, column 8 is the stray ']'.
    const ConfigError e = test::configErrorOf(
        [&] { expandScenarioText("name: x\nmode: a]b: c\n", name); });
    EXPECT_EQ(e.file(), name);
    EXPECT_EQ(e.line(), 2);
}

TEST(Compose, UnknownSweepKeyIsReportedAtTheKey) {
    const ConfigError e = test::configErrorOf([] { expandScenarioFile(in("sweep_unknown.yaml")); });
    expectAt(e, in("sweep_unknown.yaml"), 4, 3);
    EXPECT_EQ(e.key(), "sweep.costs.comission_bps");
    EXPECT_NE(std::string(e.what()).find(
                  "'comission_bps' not found in costs (keys: commission_bps)"),
              std::string::npos)
        << e.what();
}

TEST(Compose, NonScalarSweepTargetIsRefused) {
    const ConfigError e = test::configErrorOf(
        [] { expandScenarioFile(in("sweep_nonscalar.yaml")); });
    expectAt(e, in("sweep_nonscalar.yaml"), 4, 3);
    EXPECT_NE(std::string(e.what()).find("the sweep target costs is a map, not a scalar"),
              std::string::npos)
        << e.what();
}

TEST(Compose, SelectionByAnUnknownNameIsRefused) {
    const ConfigError e = test::configErrorOf([] { expandScenarioFile(in("sweep_noname.yaml")); });
    expectAt(e, in("sweep_noname.yaml"), 5, 3);
    EXPECT_NE(std::string(e.what()).find("no entry of strategies has name=nope (name values: a)"),
              std::string::npos)
        << e.what();
}

TEST(Compose, InheritedSweepKeyErrorNamesTheParent) {
    // sweep_orphan.yaml deletes `strategies`; the key addressing it sits at sweep.yaml:16:3.
    const ConfigError e = test::configErrorOf([] { expandScenarioFile(in("sweep_orphan.yaml")); });
    expectAt(e, in("sweep.yaml"), 16, 3);
    EXPECT_NE(std::string(e.what()).find("'strategies' not found in the scenario"),
              std::string::npos)
        << e.what();
}

TEST(Compose, WrongTypeSweepValueIsReportedAtTheValueOnceParsed) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("sweep_badvalue.yaml"));
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0].root.at("strategies").items()[0].getInt("lookback"), 20);
    const ConfigNode bad = cells[1].root.at("strategies").items()[0].at("lookback");
    const ConfigError e = test::configErrorOf([&] { bad.asInt(); });
    // line 6 "  strategies[0].lookback: [20, abc]": 2 + 22 + 3 = 27 chars before "20",
    // then "20, " (4 chars): "abc" starts at column 32.
    expectAt(e, in("sweep_badvalue.yaml"), 6, 32);
    EXPECT_EQ(e.key(), "strategies[0].lookback");
}

// ---- packs -----------------------------------------------------------------------------------

TEST(Compose, PackExpandsEntriesInOrder) {
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("pack.yaml"));
    std::vector<std::string> expected{"child_scn"};
    for (const char* level : {"2.5", "3.0", "3.5"})
        for (const char* lookback : {"63", "126"})
            expected.push_back(std::string("grid__level=") + level + "__lookback=" + lookback);
    ASSERT_EQ(cells.size(), expected.size());
    for (std::size_t i = 0; i < cells.size(); ++i) EXPECT_EQ(cells[i].name, expected[i]);
    EXPECT_EQ(cells[0].root.file(), in("child.yaml"));
    EXPECT_EQ(cells[1].root.file(), in("sweep.yaml"));
}

TEST(Compose, PackEntriesRenameAndOverride) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const std::vector<ScenarioCell> cells = expandScenarioFile(in("pack_entries.yaml"));
    ASSERT_EQ(cells.size(), 4u);  // 3 levels (the lookback sweep deleted), then child
    EXPECT_EQ(cells[0].name, "alt__level=2.5");
    EXPECT_EQ(cells[1].name, "alt__level=3.0");
    EXPECT_EQ(cells[2].name, "alt__level=3.5");
    EXPECT_EQ(cells[0].root.getString("name"), "alt__level=2.5");
    EXPECT_EQ(cells[0].fileOf("name"), in("pack_entries.yaml"));
    EXPECT_EQ(cells[0].root.file(), in("sweep.yaml"));  // the scenario stays the root
    EXPECT_EQ(cells[0].root.at("strategies").items()[1].getInt("lookback"), 126);

    const ScenarioCell& child = cells[3];
    EXPECT_EQ(child.name, "child_scn");
    EXPECT_EQ(child.root.file(), in("child.yaml"));
    const ConfigNode commission = child.root.at("costs").at("commission_bps");
    EXPECT_DOUBLE_EQ(commission.asDouble(), 9.0);
    // pack_entries.yaml line 10 "      costs: {commission_bps: 9.0}": 6 + 7 ("costs: ")
    // + 1 ("{") + 16 ("commission_bps: ") = 30 chars before "9.0".
    EXPECT_EQ(child.fileOf(commission.keyPath()), in("pack_entries.yaml"));
    EXPECT_EQ(commission.line(), 10);
    EXPECT_EQ(commission.column(), 31);
    EXPECT_EQ(child.fileOf("costs.slippage_bps"), in("mid.yaml"));
    EXPECT_EQ(child.fileOf("costs"), in("child.yaml"));
    const ScenarioSpec s = parseScenario(child.root, registry);
    EXPECT_DOUBLE_EQ(s.backtest.costs.commissionBps, 9.0);
    EXPECT_DOUBLE_EQ(s.backtest.costs.slippageBps, 5.0);
}

TEST(Compose, RepeatedCellNameInAPackIsRefused) {
    const ConfigError e = test::configErrorOf([] { expandScenarioFile(in("pack_dup.yaml")); });
    expectAt(e, in("pack_dup.yaml"), 3, 5);  // "  - child.yaml": the item after "  - "
    EXPECT_NE(std::string(e.what()).find("cell name 'child_scn' repeats the one from pack[0]"),
              std::string::npos)
        << e.what();
}

}  // namespace compose_test
}  // namespace
}  // namespace rotor
