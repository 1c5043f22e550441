// SPDX-License-Identifier: MIT
// Bad input to the regime model, through the `rotor` executable: each mistake a user can make in
// the model block exits 2 with file:line:column and the key, and writes nothing. And the
// bundled base case, with class switches, stress states and valuation feedback drawn per path,
// gives bit-identical results for any thread count.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace regime_cli_test {

struct BadCase {
    const char* override;  // YAML after `extends:` (the bundled scenario), from line 2
    const char* where;     // expected "file:line:column: key" prefix of the message
    const char* says;      // expected part of the message
};

// Lines are counted from the `extends:` line, which is line 1.
const std::vector<BadCase> kCases = {
    {"model:\n  views:\n    cuts_to_3: {expected_return: {XLK: 0.05}}",
     "c.yaml:4:35: model.views.cuts_to_3.expected_return.XLK", "'XLK' is not in universe.assets"},
    {"model:\n  views:\n    recession: {expected_return: {SPY: 0.05}}",
     "c.yaml:4:5: model.views.recession", "'recession' is not a regime of rate_path"},
    {"model:\n  views:\n    hold: {expected_return: {SHY: 0.03}}",
     "c.yaml:4:35: model.views.hold.expected_return.SHY", "includes_rate_effect"},
    {"model:\n  assets:\n    SPY: {valuation: {pe: 0, fair_pe: history, carry: 0.012}}",
     "c.yaml:4:27: model.assets.SPY.valuation.pe", "expected a number in [1, 500], found 0"},
    {"model:\n  assets:\n    SPY: {valuation: {pe: -3, fair_pe: history, carry: 0.012}}",
     "c.yaml:4:27: model.assets.SPY.valuation.pe", "found -3"},
    // 2010-2018 holds no first cut at all, so no soft-landing episode.
    {"model:\n  calibrate:\n    window: {start: 2010-01-01, end: 2018-12-31}",
     "c.yaml:4:5: model.calibrate", "0 days of class soft_landing"},
    // A curve relation needs a 2-year yield, and one that covers the window.
    {"model:\n  calibrate:\n    yield_2y: ~", "c.yaml:4:5: model.calibrate",
     "missing required key 'yield_2y'"},
    {"model:\n  calibrate:\n    yield_2y: {file: y.csv, column: y}", "c.yaml:4:5: model.calibrate",
     "the series ends 1970-01-05"},
    {"model:\n  class_switching: sometimes", "c.yaml:3:20: model.class_switching",
     "expected 'none' or {after_days: N}"},
    {"model:\n  class_switching: {after_days: -1}", "c.yaml:3:33: model.class_switching.after_days",
     "expected an integer in [0, 100000]"},
    {"model:\n  regimes: {cuts_to_3: boom}", "c.yaml:3:24: model.regimes.cuts_to_3",
     "unknown episode class 'boom'"},
};

TEST(RegimeCli, EveryModelMistakeIsLocatedAndWritesNothing) {
    const std::string dir = test::scratchDir("regime_cli_bad");
    std::ofstream(dir + "/y.csv") << "date,y\n1970-01-02,5.0\n1970-01-05,5.1\n";
    const std::string base = "extends: '" + std::string(ROTOR_SOURCE_DIR) +
                             "/scenarios/great_rotation_2026.yaml'\n";
    for (const BadCase& c : kCases) {
        std::ofstream(dir + "/c.yaml", std::ios::trunc) << base << c.override << '\n';
        const test::CliResult r = test::rotorCli("run c.yaml -o out.h5 --paths 20 --quiet", dir);
        EXPECT_EQ(r.code, 2) << c.override << '\n' << r.err;
        EXPECT_NE(r.err.find(std::string(c.where) + ": "), std::string::npos) << c.override << '\n'
                                                                              << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.override << '\n' << r.err;
        EXPECT_FALSE(fs::exists(dir + "/out.h5")) << c.override;
        fs::remove(dir + "/out.h5");
    }
}

// Equal bit for bit (NaN included: the attribution has NaN where a part does not apply).
bool sameBits(const std::vector<double>& x, const std::vector<double>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
}

TEST(RegimeCli, BaseCaseBitIdenticalForAnyThreadCount) {
    const std::string dir = test::scratchDir("regime_cli_threads");
    const std::string scenario = "'" + std::string(ROTOR_SOURCE_DIR) +
                                 "/scenarios/great_rotation_2026.yaml'";
    // Two years, so that the paths switch classes after their first year.
    std::ofstream(dir + "/two.yaml")
        << "extends: " << scenario << "\nname: two\noutput: ~\nsimulation: {end: 2027-12-31}\n";
    for (const char* threads : {"1", "2", "3"}) {
        const test::CliResult r = test::rotorCli(std::string("run two.yaml -o t") + threads +
                                                     ".h5 --quiet --paths 240 --threads " + threads,
                                                 dir);
        ASSERT_EQ(r.code, 0) << r.err;
    }
    const test::H5Reader a(dir + "/t1.h5");
    const std::string s = "/scenarios/two";
    for (const char* other : {"/t2.h5", "/t3.h5"}) {
        const test::H5Reader b(dir + other);
        EXPECT_TRUE(sameBits(a.doubles(s + "/attribution"), b.doubles(s + "/attribution")))
            << other;
        for (const char* st : {"spy_buy_and_hold", "momentum_top1_6m", "trend_200d"}) {
            const std::string g = s + "/strategies/" + st;
            EXPECT_EQ(a.doubles(g + "/paths/terminal_wealth"),
                      b.doubles(g + "/paths/terminal_wealth"))
                << other << ' ' << st;
            EXPECT_EQ(a.doubles(g + "/equity_bands"), b.doubles(g + "/equity_bands"))
                << other << ' ' << st;
        }
    }
}

}  // namespace regime_cli_test
}  // namespace
}  // namespace rotor
