// SPDX-License-Identifier: MIT
// `rotor backtest-model` end to end on the bundled data: the file's layout and provenance, the
// summary's numbers against the per-start rows, no overwrite without --force, --json.
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace rotor {
namespace {

TEST(BacktestModelCli, WritesScoresWithProvenanceAndRefusesToOverwrite) {
    const std::string dir = test::scratchDir("btm_cli");
    const std::string src = ROTOR_SOURCE_DIR;
    std::ofstream(dir + "/b.yaml")
        << "name: small\nscenario: '" << src << "/scenarios/great_rotation_2026.yaml'\n"
        << "starts: [2008-01-31, 2008-04-30, 2009-01-30, 2010-02-26]\nhorizon_months: 3\n"
        << "paths: 30\nseed: 3\nconditioning: [unconditional, realised_regime]\n"
        << "assets: [SPY, IWM]\nspreads: [{name: IWM-SPY, long: IWM, short: SPY}]\n";
    const test::CliResult r = test::rotorCli("backtest-model b.yaml -o out.h5", dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("unconditional"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("IWM-SPY"), std::string::npos) << r.out;

    const test::H5Reader h5(dir + "/out.h5");
    EXPECT_EQ(h5.attrString("/", "format"), "rotor-backtest-model");
    EXPECT_EQ(h5.attrUInt64("/", "seed"), 3u);
    EXPECT_TRUE(h5.exists("/provenance/data_files"));
    EXPECT_NE(h5.string("/provenance/scenario_yaml").find("name: small"), std::string::npos);
    const std::vector<std::string> starts = h5.strings("/backtest/starts");
    const std::vector<std::string> want = {"2008-01-31", "2008-04-30", "2009-01-30", "2010-02-26"};
    EXPECT_EQ(starts, want);
    // 3-month horizons: 2008-01-31 ends 2008-04-30, on which the second start falls, so all four
    // are non-overlapping.
    EXPECT_EQ(h5.int64s("/backtest/ks_start_index"), (std::vector<std::int64_t>{0, 1, 2, 3}));
    EXPECT_EQ(h5.dims("/backtest/realised_regime/IWM-SPY/outcomes"), (std::vector<hsize_t>{4, 30}));
    std::int64_t total = 0;
    for (auto c : h5.int64s("/backtest/unconditional/SPY/pit_histogram")) total += c;
    EXPECT_EQ(total, 4);

    // Overwrite refused without --force, the file untouched; --json with --force.
    const auto before = fs::last_write_time(dir + "/out.h5");
    const test::CliResult again = test::rotorCli("backtest-model b.yaml -o out.h5", dir);
    EXPECT_EQ(again.code, 2);
    EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
    EXPECT_EQ(fs::last_write_time(dir + "/out.h5"), before);
    const test::CliResult json = test::rotorCli(
        "backtest-model b.yaml -o out.h5 --force --json --threads 1", dir);
    ASSERT_EQ(json.code, 0) << json.err;
    EXPECT_EQ(json.out.rfind("{\"name\":\"small\"", 0), 0u) << json.out;
    EXPECT_NE(json.out.find("\"ks_starts\":4"), std::string::npos) << json.out;
}

}  // namespace
}  // namespace rotor
