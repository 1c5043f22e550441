// SPDX-License-Identifier: MIT
// The data-grounded macro cells through the `rotor` executable: the refinancing wall's per-path
// flow and valuation in the results file (every hold path's valuation equals the hand value of
// docs/scenarios.md), and bad input to the easing-cycle analogs and the calibrated sleeves,
// each exiting 2 at file:line:column with the key and writing nothing.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace overlay_cli_test {

const std::string kPack = std::string(ROTOR_SOURCE_DIR) + "/scenarios/pack/";

TEST(OverlayCli, WallFlowAndValuationPerPathInTheResults) {
    const std::string dir = test::scratchDir("overlay_cli_wall");
    std::ofstream(dir + "/c.yaml") << "extends: '" << kPack << "bifurcated_market.yaml'\n";
    const test::CliResult r = test::rotorCli("run c.yaml -o out.h5 --paths 40 --quiet --force",
                                             dir);
    ASSERT_EQ(r.code, 0) << r.err;
    const test::H5Reader h5(dir + "/out.h5");
    const std::string g = "/scenarios/bifurcated_market/";
    const auto flow = h5.doubles(g + "refinancing_wall/flow");
    const auto valuation = h5.doubles(g + "refinancing_wall/valuation");
    const auto jumps = h5.doubles(g + "refinancing_wall/jumps");
    ASSERT_EQ(flow.size(), 40u);
    ASSERT_EQ(valuation.size(), 40u);
    ASSERT_EQ(jumps.size(), 40u);
    const auto names = h5.strings(g + "regime_names");
    const auto regime = h5.int64s(g + "regime_of_path");
    // Hold at 3.625 %, 2026-01-02 to 2026-12-31 (363 days): L = 15 x 0.79 x 0.5 x 0.67 x 0.25 x
    // 363/365 x (3.625 + 4.5 - 7.1) % = 1.0117 %, a log loss of -ln(1 - L) = 0.010168.
    const double capitalised = 15.0 * 0.79 * 0.5 * 0.67 * 0.25 * 363.0 / 365.0 * 0.01025;
    int holds = 0;
    for (std::size_t p = 0; p < 40; ++p) {
        const std::string& name = names.at(static_cast<std::size_t>(regime[p]));
        if (name == "hold") {
            ++holds;
            EXPECT_NEAR(valuation[p], -std::log(1.0 - capitalised), 1e-12) << p;
            EXPECT_NEAR(valuation[p], 0.010168, 1e-6) << p;
            EXPECT_GT(flow[p], 0.0);
        } else {
            // Every other regime cuts: the floating debt reprices down, a valuation gain.
            EXPECT_LT(valuation[p], 0.0) << name;
        }
        // The valuation loss dwarfs the flow drag of the same year.
        EXPECT_GT(std::abs(valuation[p]), 5.0 * std::abs(flow[p])) << p;
    }
    EXPECT_GT(holds, 0);
}

struct BadCase {
    const char* cell;      // pack member the scenario extends
    const char* override;  // YAML from line 2
    const char* where;     // expected "file:line:" prefix
    const char* key;       // expected key in the message
    const char* says;      // expected part of the message
};

const std::vector<BadCase> kCases = {
    {"easing_analogs.yaml", "model:\n  regimes: {cuts_to_3: boom}",
     "c.yaml:3:", "model.regimes.cuts_to_3", "unknown episodes 'boom'"},
    {"easing_analogs.yaml", "model:\n  regimes: {boom: all}", "c.yaml:3:", "model.regimes",
     "'boom' is not a regime of the scenario's rate_path"},
    // The 1984, 1987 and 1989 first cuts lie before the window (1995-01-03).
    {"easing_analogs.yaml", "model:\n  episodes:\n    first_cuts: {since: 1984-01-01}",
     "c.yaml:4:5:", "model.episodes", "first_cut_1984-09-10 (1984-09-10) is not inside"},
    // A horizon past the data: located at the pack file's `episodes`, which asked for it.
    {"easing_analogs.yaml", "simulation: {end: 2027-06-30}",
     "easing_analogs.yaml:33:5:", "model.episodes", "first_cut_2024-09-19 has 324 trading days"},
    {"easing_analogs.yaml", "model:\n  draw: sometimes", "c.yaml:3:", "model.draw",
     "expected 'replay' or 'bootstrap'"},
    {"rotation_2000s.yaml",
     "model:\n  episodes:\n    windows: [{name: r, start: 2000-03-10, "
     "end: 2027-01-01}]",
     "c.yaml:4:", "model.episodes.windows", "after the data cut-off"},
    {"bifurcated_market.yaml",
     "bifurcation:\n  sleeves:\n    - {name: IWM_QUALITY, column: nope_pct}\n"
     "    - {name: IWM_CORE, column: small_mid_op_pct}\n"
     "    - {name: IWM_SPEC, column: small_lo_op_pct, wall_exposure: 1.0}",
     "c.yaml:4:", "column", "nope_pct"},
    {"bifurcated_market.yaml",
     "bifurcation:\n  sleeves:\n    - {name: IWM_QUALITY, column: small_hi_op_pct, drift: 0.02}\n"
     "    - {name: IWM_CORE, column: small_mid_op_pct}\n"
     "    - {name: IWM_SPEC, column: small_lo_op_pct, wall_exposure: 1.0}",
     "c.yaml:4:", "drift", "calibrated from 'calibrate'; remove 'drift'"},
    {"bifurcated_market.yaml", "bifurcation:\n  calibrate:\n    weights_from: 2025-01-01",
     "c.yaml:4:", "bifurcation.calibrate.weights_from", "fewer than 52"},
};

TEST(OverlayCli, EveryMistakeIsLocatedAndWritesNothing) {
    const std::string dir = test::scratchDir("overlay_cli_bad");
    for (const BadCase& c : kCases) {
        std::ofstream(dir + "/c.yaml", std::ios::trunc) << "extends: '" << kPack << c.cell << "'\n"
                                                        << c.override << '\n';
        const test::CliResult r = test::rotorCli("run c.yaml -o out.h5 --paths 20 --quiet", dir);
        EXPECT_EQ(r.code, 2) << c.override << '\n' << r.err;
        EXPECT_NE(r.err.find(c.where), std::string::npos) << c.override << '\n' << r.err;
        EXPECT_NE(r.err.find(c.key), std::string::npos) << c.override << '\n' << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.override << '\n' << r.err;
        EXPECT_FALSE(fs::exists(dir + "/out.h5")) << c.override;
        fs::remove(dir + "/out.h5");
    }
}

}  // namespace overlay_cli_test
}  // namespace
}  // namespace rotor
