// SPDX-License-Identifier: MIT
// Every bundled scenario (scenarios/*.yaml, pack/*.yaml, checks/*.yaml) and every cell of the
// 2026 pack parses and builds its model; short runs of pack cells checked against figures computed
// here from the data files.
#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/run/backtest_model.hpp"
#include "engine/run/forward.hpp"
#include "engine/scenario/regime/regime_generator.hpp"
#include "engine/spec/forward_model.hpp"
#include "strategies/register_builtin.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

namespace rotor {
namespace {
namespace bundled_scenarios_test {

const std::string kScenarios = std::string(ROTOR_SOURCE_DIR) + "/scenarios";

std::vector<ScenarioSpec> parseCells(const std::string& file, const StrategyRegistry& registry) {
    std::vector<ScenarioSpec> out;
    for (const ScenarioCell& cell : expandScenarioFile(file))
        out.push_back(parseScenario(cell.root, registry));
    return out;
}

ScenarioSpec packCell(const std::string& name, std::uint64_t paths) {
    static const StrategyRegistry& registry = strategies::builtinRegistry();
    for (ScenarioSpec& spec : parseCells(kScenarios + "/pack_2026.yaml", registry)) {
        if (spec.name != name) continue;
        spec.simulation->paths = paths;
        return spec;
    }
    throw Error("no cell " + name);
}

const McStrategyRun& strategy(const McScenarioRun& run, const std::string& name) {
    for (const auto& s : run.strategies)
        if (s.name == name) return s;
    throw Error("no strategy " + name);
}

// date -> the values of a CSV's `column`, read without the engine's readers.
std::map<std::string, double> csvColumn(const std::string& file, const std::string& column) {
    std::ifstream in(file);
    std::string line, cell;
    std::getline(in, line);
    std::istringstream header(line);
    int index = -1;
    for (int i = 0; std::getline(header, cell, ','); ++i)
        if (cell == column) index = i;
    EXPECT_GE(index, 1) << file << " has no column " << column;
    std::map<std::string, double> out;
    while (std::getline(in, line)) {
        std::istringstream row(line);
        std::string date;
        std::getline(row, date, ',');
        for (int i = 1; std::getline(row, cell, ','); ++i)
            if (i == index) out[date] = std::stod(cell);
    }
    return out;
}

// class_means, class_vols and class_premia reach the calibration and are written back in the
// resolved YAML (what a results file and a model backtest's provenance carry). The bundled
// scenario sets all three to `shrunk`, so every forward scenario that extends it (the regime
// cells of the 2026 pack, the rotation library, the tail checks) inherits them; the comparison
// models of docs/backtest-model.md override them back to `sample` where they differ.
TEST(BundledScenarios, ShrunkClassOptionsAreParsedAndWrittenBack) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    struct Expected {
        std::string file;
        bool means, vols, premia;
    };
    const std::vector<Expected> models = {
        {"/great_rotation_2026.yaml", true, true, true},
        {"/rotation_library_2026.yaml", true, true, true},
        {"/pack/hard_landing.yaml", true, true, true},
        {"/checks/tails_10y.yaml", true, true, true},
        {"/checks/great_rotation_shrunk_vols.yaml", true, true, false},
        {"/checks/great_rotation_shrunk_means.yaml", true, false, false},
        {"/checks/great_rotation_as_written.yaml", false, false, false},
    };
    for (const Expected& e : models) {
        SCOPED_TRACE(e.file);
        const auto cells = parseCells(kScenarios + e.file, registry);
        ASSERT_EQ(cells.size(), 1u);
        const auto* m = dynamic_cast<const RegimeModelConfig*>(cells[0].model.get());
        ASSERT_NE(m, nullptr);
        EXPECT_EQ(m->calibrate.shrinkClassMeans, e.means);
        EXPECT_EQ(m->calibrate.shrinkClassVols, e.vols);
        EXPECT_EQ(m->calibrate.shrinkClassPremia, e.premia);
        const std::string resolved = resolvedYaml(cells[0]);
        for (const auto& [key, shrunk] : {std::pair<std::string, bool>{"class_means", e.means},
                                          {"class_vols", e.vols},
                                          {"class_premia", e.premia}})
            EXPECT_EQ(resolved.find(key + ": shrunk") != std::string::npos, shrunk) << key << "\n"
                                                                                    << resolved;
    }

    // Every regime cell of the pack inherits the bundled model's options: all but the three
    // history-replay cells (easing_analogs, rotation_2000s, dotcom_crash_stress).
    int regimeCells = 0;
    for (const ScenarioSpec& spec : parseCells(kScenarios + "/pack_2026.yaml", registry)) {
        const auto* m = dynamic_cast<const RegimeModelConfig*>(spec.model.get());
        if (m == nullptr) continue;
        ++regimeCells;
        SCOPED_TRACE(spec.name);
        EXPECT_TRUE(m->calibrate.shrinkClassMeans);
        EXPECT_TRUE(m->calibrate.shrinkClassVols);
        EXPECT_TRUE(m->calibrate.shrinkClassPremia);
    }
    EXPECT_EQ(regimeCells, 5);
}

TEST(BundledScenarios, EveryFileAndCellBuildsItsModel) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    std::vector<std::string> files;
    for (const char* dir : {"", "/pack", "/checks"})
        for (const auto& e : std::filesystem::directory_iterator(kScenarios + dir))
            if (e.path().extension() == ".yaml") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 13u);  // 4 in scenarios/, base + 6 in pack/, 3 in checks/
    for (const auto& file : files) {
        SCOPED_TRACE(file);
        // A model backtest's spec (`rotor backtest-model`) names the scenario it tests.
        std::ifstream text(file);
        const std::string all((std::istreambuf_iterator<char>(text)), {});
        if (all.find("\nscenario: ") != std::string::npos) {
            EXPECT_NO_THROW((void)loadBacktestModel(file, registry));
            continue;
        }
        std::vector<ScenarioSpec> cells;
        ASSERT_NO_THROW(cells = parseCells(file, registry));
        for (const auto& spec : cells) {
            if (!spec.monteCarlo()) continue;
            DataStore data;
            EXPECT_NO_THROW(buildForwardModel(spec, data)) << spec.name;
        }
    }
}

TEST(BundledScenarios, ThePackHasItsEightCells) {
    const StrategyRegistry& registry = strategies::builtinRegistry();
    const auto cells = parseCells(kScenarios + "/pack_2026.yaml", registry);
    const std::vector<std::string> expected{"great_rotation",          "sticky_rates",
                                            "refinancing_wall_stress", "bifurcated_market",
                                            "easing_analogs",          "rotation_2000s",
                                            "dotcom_crash_stress",     "hard_landing"};
    ASSERT_EQ(cells.size(), expected.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        EXPECT_EQ(cells[i].name, expected[i]);
        EXPECT_FALSE(cells[i].description.empty()) << cells[i].name;
        EXPECT_EQ(cells[i].simulation->paths, 10000u) << cells[i].name;
    }
}

TEST(BundledScenarios, StickyRatesHoldTheRangeMidpoint) {
    // One regime with no moves and no noise: every path's cash rate is 3.625 on every day.
    // Rate bands come from bins 1/2048 point wide (band_histogram.hpp) and report a bin's
    // middle, so a constant lands within half a bin, 1/4096, of its value.
    DataStore data;
    const McScenarioRun run = runForward(packCell("sticky_rates", 40), data);
    ASSERT_EQ(run.rateBands.rows(), 251);  // day 0 and the 250 NYSE days to 2026-12-31
    EXPECT_NEAR(run.rateBands.minCoeff(), 3.625, 1.0 / 4096);
    EXPECT_NEAR(run.rateBands.maxCoeff(), 3.625, 1.0 / 4096);
    EXPECT_EQ(run.rateBands.minCoeff(), run.rateBands.maxCoeff());
    EXPECT_EQ(run.regimeNames, std::vector<std::string>{"hold"});
    // Base case on the same seed: some paths cut, so its bands spread well beyond a bin.
    const McScenarioRun base = runForward(packCell("great_rotation", 40), data);
    EXPECT_LT(base.rateBands.minCoeff(), 3.3);
}

// Each path of easing_analogs replays the year after one first cut since 1990, of the class its
// rate regime names. Second method: SPY's own closes from the close the replay starts on, the
// last trading day before the weekday preceding the detected cut (docs/scenarios.md).
TEST(BundledScenarios, EasingAnalogsReplayAFirstCutOfTheRegimesClass) {
    const ScenarioSpec spec = packCell("easing_analogs", 60);
    DataStore data;
    const ForwardModel model = buildForwardModel(spec, data);
    const auto spy = csvColumn(std::string(ROTOR_SOURCE_DIR) + "/data/adj_etf/SPY.csv",
                               "adj_close");
    // Detected first cuts 1995-07-07, 1998-10-06, 2000-12-29, 2007-08-10, 2019-08-01 and
    // 2024-09-19 (docs/regimes.md) and their classes.
    const std::vector<std::pair<std::string, bool>> starts = {
        {"1995-07-05", false}, {"1998-10-02", false}, {"2000-12-27", true},
        {"2007-08-08", true},  {"2019-07-30", true},  {"2024-09-17", false}};
    const std::vector<std::string> regimes = model.generator->regimeNames();
    ASSERT_EQ(regimes, (std::vector<std::string>{"cuts_to_3", "hold", "emergency_cuts"}));
    std::set<std::string> seen;
    for (std::uint64_t p = 0; p < 60; ++p) {
        Path path;
        GeneratorScratch scratch;
        const PathInfo info = model.generator->generate(p, path, scratch);
        std::string match;
        bool recession = false;
        for (const auto& [start, rec] : starts) {
            auto it = spy.find(start);
            ASSERT_TRUE(it != spy.end()) << start;
            const double s0 = it->second;
            bool same = true;
            for (Index t = 1; t <= 5 && same; ++t) {
                ++it;
                same = std::abs(path.prices(t, 0) / path.prices(0, 0) - it->second / s0) < 1e-12;
            }
            if (same) {
                EXPECT_TRUE(match.empty()) << "path " << p << " matches two first cuts";
                match = start;
                recession = rec;
            }
        }
        ASSERT_FALSE(match.empty()) << "path " << p << " replays no first cut";
        seen.insert(match);
        if (regimes[static_cast<std::size_t>(info.regime)] == "cuts_to_3") {
            EXPECT_FALSE(recession);
        }
        if (regimes[static_cast<std::size_t>(info.regime)] == "emergency_cuts") {
            EXPECT_TRUE(recession);
        }
    }
    EXPECT_GE(seen.size(), 5u);  // 60 draws among 6 episodes: every one is all but certain
}

TEST(BundledScenarios, DotcomCrashStressReplaysTheYearAfterThePeak) {
    const ScenarioSpec spec = packCell("dotcom_crash_stress", 1);
    DataStore data;
    const ForwardModel model = buildForwardModel(spec, data);
    Path path;
    GeneratorScratch scratch;
    model.generator->generate(0, path, scratch);
    const Index days = path.days();

    // Second method: compound the French bottom-30% returns and SPY's closes over the trading
    // days after 2000-03-10 (the window start), one per simulated day.
    const auto lo30 = csvColumn(
        std::string(ROTOR_SOURCE_DIR) + "/data/french/size_portfolios_daily_vw.csv", "lo30_pct");
    const auto spy = csvColumn(std::string(ROTOR_SOURCE_DIR) + "/data/adj_etf/SPY.csv",
                               "adj_close");
    ASSERT_FALSE(spy.empty());
    auto l = lo30.find("2000-03-10");
    auto s = spy.find("2000-03-10");
    ASSERT_TRUE(l != lo30.end() && s != spy.end());
    const double spy0 = s->second;
    double iwm = 1.0;
    const Index iwmCol = 2, spyCol = 0;
    for (Index t = 1; t < days; ++t) {
        ++l;
        ++s;
        ASSERT_EQ(l->first, s->first) << "the French and SPY days differ; the window is aligned";
        iwm *= 1.0 + l->second / 100.0;
        EXPECT_NEAR(path.prices(t, iwmCol) / path.prices(0, iwmCol), iwm, 1e-12 * iwm) << t;
        EXPECT_NEAR(path.prices(t, spyCol) / path.prices(0, spyCol), s->second / spy0, 1e-12) << t;
    }
    // 250 returns: the window ends on 2001-03-08, and small caps lost about a quarter.
    EXPECT_EQ(l->first, "2001-03-08");
    EXPECT_LT(iwm, 0.80);
}

// The whole forward run of the base case (start prices, history, calibration, realised replay)
// and then a second cell through the same store: every file is read from disk once.
// The rotation library's paths carry SPY's and IWM's simulated multiples: ln 22 and ln 15 on
// day 0 (their `valuation:` inputs), after 300 history days of each ETF's log close anchored to
// meet them on day 0's eve. Second method: the closes read here from the price files.
TEST(BundledScenarios, TheRotationLibraryCarriesAnchoredMultiples) {
    const auto cells = parseCells(kScenarios + "/rotation_library_2026.yaml",
                                  strategies::builtinRegistry());
    ASSERT_EQ(cells.size(), 1u);
    const ScenarioSpec& spec = cells.front();
    DataStore data;
    const ForwardModel model = buildForwardModel(spec, data);
    ASSERT_TRUE(model.history);
    const Path& h = *model.history;
    ASSERT_EQ(h.days(), 300);
    const Universe& u = model.generator->universe();
    const Index spy = u.find("SPY"), iwm = u.find("IWM");
    EXPECT_EQ(u.valued, (std::vector<std::string>{"IWM", "SPY"}));
    const std::string dir = std::string(ROTOR_SOURCE_DIR) + "/data/adj_etf/";
    const auto spyClose = csvColumn(dir + "SPY.csv", "adj_close");
    const auto iwmClose = csvColumn(dir + "IWM.csv", "adj_close");
    const std::string eve = h.dates.back().iso();
    for (Index t = 0; t < h.days(); ++t) {
        const std::string day = h.dates[static_cast<std::size_t>(t)].iso();
        EXPECT_NEAR(h.valuation(t, spy), std::log(22.0 * spyClose.at(day) / spyClose.at(eve)),
                    1e-12)
            << day;
        EXPECT_NEAR(h.valuation(t, iwm), std::log(15.0 * iwmClose.at(day) / iwmClose.at(eve)),
                    1e-12)
            << day;
        for (Index j = 0; j < u.size(); ++j) {
            if (j != spy && j != iwm) {
                EXPECT_TRUE(std::isnan(h.valuation(t, j))) << day;
            }
        }
    }
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 3; ++p) {
        model.generator->generate(p, path, scratch);
        EXPECT_EQ(path.history, model.history);
        ASSERT_EQ(path.valuation.rows(), path.days());
        EXPECT_DOUBLE_EQ(path.valuation(0, spy), std::log(22.0));
        EXPECT_DOUBLE_EQ(path.valuation(0, iwm), std::log(15.0));
        for (Index t = 0; t < path.days(); ++t) {
            EXPECT_TRUE(std::isfinite(path.valuation(t, spy)) &&
                        std::isfinite(path.valuation(t, iwm)))
                << t;
            EXPECT_TRUE(std::isnan(path.valuation(t, u.find("QQQ")))) << t;
        }
    }
}

TEST(BundledScenarios, AForwardRunReadsEachFileOnce) {
    DataStore data;
    const std::size_t before = dataFileReads();
    runForward(packCell("great_rotation", 20), data);
    const std::size_t files = data.records().size();
    EXPECT_EQ(dataFileReads() - before, files);
    // SPY, QQQ, IWM, SHY, ff5 factors, DGS2, USREC, DFF, Shiller
    EXPECT_EQ(files, 9u);
    runForward(packCell("sticky_rates", 20), data);
    EXPECT_EQ(dataFileReads() - before, files);
}

TEST(BundledScenarios, HardLandingLosesMoreOftenThanTheBaseCase) {
    DataStore data;
    const McScenarioRun base = runForward(packCell("great_rotation", 300), data);
    const McScenarioRun hard = runForward(packCell("hard_landing", 300), data);
    // The hard landing is history's recession class only: an expected log return of about
    // -1% for IWM at about 30% volatility, P(loss) = Phi(0.01 / 0.30 + 0.30 / 2) near 0.57. The
    // base case mixes 60% soft landings (about +16% at 15%: P(loss) near 0.15), 25% holds (+14%
    // at 21%: near 0.3) and 15% recessions: near 0.26. 300 paths give a standard error < 0.03.
    EXPECT_GT(strategy(hard, "iwm_buy_and_hold").terminal.probLoss,
              strategy(base, "iwm_buy_and_hold").terminal.probLoss + 0.2);
    EXPECT_GT(strategy(hard, "spy_buy_and_hold").terminal.probLoss,
              strategy(base, "spy_buy_and_hold").terminal.probLoss + 0.2);
}

}  // namespace bundled_scenarios_test
}  // namespace
}  // namespace rotor
