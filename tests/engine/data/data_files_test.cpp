// SPDX-License-Identifier: MIT
#include "engine/data/data_files.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace data_files_test {

TEST(DataFiles, RecordsEachFileOnceInFirstReadOrder) {
    std::vector<std::string> files;
    for (const char* f : {"data/fred/DFF.csv", "data/adj_etf/SPY.csv", "data/fred/DFF.csv",
                          "data/adj_etf/IWM.csv", "data/adj_etf/SPY.csv"})
        recordDataFile(files, f);
    EXPECT_EQ(files, (std::vector<std::string>{"data/fred/DFF.csv", "data/adj_etf/SPY.csv",
                                               "data/adj_etf/IWM.csv"}));
}

}  // namespace data_files_test
}  // namespace
}  // namespace rotor
