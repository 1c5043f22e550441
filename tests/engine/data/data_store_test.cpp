// SPDX-License-Identifier: MIT
// The data store: one disk read per file whatever is asked of it, checksums of exactly the
// bytes parsed, and a file that changed between two parses refused.
#include "engine/data/data_store.hpp"

#include "engine/core/error.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/data/sha256.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace rotor {
namespace {
namespace data_store_test {

const char* kRates =
    "date,a_pct,b_pct\n2024-01-02,5.0,1.0\n2024-01-03,5.25,1.5\n2024-01-04,5.5,2.0\n";

std::string writeRates(const std::string& dirName) {
    const std::string dir = test::scratchDir(dirName);
    std::ofstream(dir + "/rates.csv") << kRates;
    return dir + "/rates.csv";
}

TEST(DataStore, ServesRepeatedRequestsFromOneRead) {
    const std::string file = writeRates("data_store_once");
    DataStore data;
    const std::size_t before = dataFileReads();
    const TimeSeries& a = data.series(file, "a_pct");
    const TimeSeries& again = data.series(file, "a_pct");
    EXPECT_EQ(&a, &again);  // the cached parse itself
    // The same file under another spelling is the same file.
    const std::string other =
        (std::filesystem::path(file).parent_path() / "." / "rates.csv").string();
    EXPECT_EQ(data.series(other, "a_pct").values, a.values);
    EXPECT_EQ(dataFileReads() - before, 1u);
    ASSERT_EQ(a.values.size(), 3u);
    EXPECT_EQ(a.values[1], 5.25);
    const auto records = data.records();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].path, file);
    EXPECT_EQ(records[0].sha256, sha256Hex(kRates));
}

TEST(DataStore, ChecksumsInTheBackgroundAreOfTheBytesParsed) {
    const std::string file = writeRates("data_store_hasher");
    SerialWorker hasher;
    DataStore data(&hasher);
    data.series(file, "b_pct");
    // Changed after the run read it: provenance still names the bytes the run used.
    std::ofstream(file) << "date,a_pct,b_pct\n2024-01-02,9,9\n";
    EXPECT_EQ(data.records().at(0).sha256, sha256Hex(kRates));
}

TEST(DataStore, ASecondParseOfAChangedFileIsRefused) {
    const std::string file = writeRates("data_store_changed");
    DataStore data;
    data.series(file, "a_pct");
    // Another column needs the bytes again: the file is read again and must be unchanged.
    EXPECT_EQ(data.series(file, "b_pct").values[2], 2.0);
    std::ofstream(file) << "date,a_pct,b_pct\n2024-01-02,9,9\n";
    try {
        data.columns(file, {"a_pct", "b_pct"});
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("changed on disk"), std::string::npos) << e.what();
    }
}

TEST(DataStore, AMissingFileIsADataErrorAndRecordsNothing) {
    DataStore data;
    EXPECT_THROW(data.series(test::scratchDir("data_store_missing") + "/none.csv"), DataError);
    EXPECT_TRUE(data.records().empty());
}

// A cell's files are those it reads or finds cached, in first-use order: what two stores that
// built the same cell after different cells agree on. Checksums by `sha256sum` of the texts.
TEST(DataStore, ACellsDigestsAreTheFilesItUsedWhetherCachedOrNot) {
    const std::string rates = writeRates("data_store_cell");
    const std::string other = (std::filesystem::path(rates).parent_path() / "x.csv").string();
    std::ofstream(other) << "date,x\n2024-01-02,1\n";
    const std::string ratesSha = "3489fb1a1204148c7f22de7fc098e3be2ed9dbab7e490ed6717ec2a8c61616de";
    const std::string otherSha = "bdbf467168e31432600672c7a18928ff0318c35da5e8f01e8e02626598a3779b";
    SerialWorker hasher;
    DataStore data(&hasher);
    data.series(rates, "a_pct");  // an earlier cell's read
    data.beginCell();
    EXPECT_TRUE(data.cellDigests().empty());
    data.series(other, "x");
    data.series(rates, "a_pct");  // cached: still this cell's file
    data.series(other, "x");      // once
    EXPECT_EQ(data.cellDigests(), (std::vector<std::string>{otherSha, ratesSha}));
    // The run's records keep the order of first reads.
    const auto records = data.records();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].sha256, ratesSha);
    EXPECT_EQ(records[1].sha256, otherSha);
    data.beginCell();
    data.columns(rates, {"b_pct"});  // a new parse of a file read before
    EXPECT_EQ(data.cellDigests(), std::vector<std::string>{ratesSha});
}

}  // namespace data_store_test
}  // namespace
}  // namespace rotor
