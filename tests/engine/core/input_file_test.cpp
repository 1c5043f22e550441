// SPDX-License-Identifier: MIT
#include "engine/core/input_file.hpp"

#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>

namespace rotor {
namespace {
namespace input_file_test {

namespace fs = std::filesystem;

std::string reasonOf(const std::string& path, std::uint64_t maxBytes) {
    try {
        readRegularFile(path, maxBytes, "--max-test-size");
    } catch (const FileReadError& e) {
        EXPECT_EQ(e.path(), path);
        EXPECT_EQ(std::string(e.what()), path + ": " + e.reason());
        return e.reason();
    }
    return "(read)";
}

TEST(InputFile, ReadsARegularFileWholeUpToItsLimit) {
    const std::string dir = test::scratchDir("read");
    const std::string bytes = std::string("date,x\n2024-01-02,1\n") + '\0' + "tail";  // 25 bytes
    std::ofstream(dir + "/f.csv", std::ios::binary) << bytes;
    const FileBytes f = readRegularFile(dir + "/f.csv", 25, "--max-test-size");
    EXPECT_EQ(f.bytes, bytes);
    EXPECT_EQ(reasonOf(dir + "/f.csv", 24),
              "is 25 bytes, over the limit of 24 bytes (--max-test-size raises it)");
    std::ofstream(dir + "/empty", std::ios::binary);
    EXPECT_EQ(readRegularFile(dir + "/empty", 1, "").bytes, "");
}

// Refused on the open descriptor before a byte is read: nothing here blocks or fills memory.
TEST(InputFile, RefusesWhatIsNotARegularFileWithoutBlocking) {
    const std::string dir = test::scratchDir("kinds");
    ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0644), 0);
    fs::create_directory(dir + "/folder");
    fs::create_symlink("/dev/zero", dir + "/zero.csv");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(reasonOf(dir + "/fifo", 0), "is a FIFO, expected a regular file");
    EXPECT_EQ(reasonOf(dir + "/folder", 0), "is a directory, expected a regular file");
    EXPECT_EQ(reasonOf(dir + "/zero.csv", 0), "is a character device, expected a regular file");
    EXPECT_EQ(reasonOf("/dev/urandom", 1 << 20), "is a character device, expected a regular file");
    EXPECT_EQ(reasonOf(dir + "/missing", 0), "file not found");
    EXPECT_EQ(reasonOf("", 0), "empty file name");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_THROW(requireRegularFile(dir + "/fifo"), FileReadError);
}

// Paths name one file exactly when their ids are equal: through a symlink, a hard link, ".."
// and a relative path.
TEST(InputFile, FileIdIsTheSameThroughLinks) {
    const std::string dir = test::scratchDir("ids");
    std::ofstream(dir + "/a.csv") << "a";
    std::ofstream(dir + "/b.csv") << "a";
    fs::create_symlink("a.csv", dir + "/link.csv");
    fs::create_hard_link(dir + "/a.csv", dir + "/hard.csv");
    fs::create_directory(dir + "/sub");
    const auto a = fileIdOf(dir + "/a.csv");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(fileIdOf(dir + "/link.csv"), a);
    EXPECT_EQ(fileIdOf(dir + "/hard.csv"), a);
    EXPECT_EQ(fileIdOf(dir + "/sub/../a.csv"), a);
    EXPECT_EQ(readRegularFile(dir + "/link.csv", 0, "").id, *a);
    EXPECT_NE(fileIdOf(dir + "/b.csv"), a);
    EXPECT_FALSE(fileIdOf(dir + "/none.csv").has_value());
    EXPECT_FALSE(fileIdOf("").has_value());
}

TEST(InputFile, CheckedArithmeticStopsAtTwoToTheSixtyFour) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t two32 = std::uint64_t{1} << 32;
    EXPECT_EQ(checkedMul(two32, two32 - 1), 18446744069414584320ULL);  // 2^64 - 2^32
    EXPECT_FALSE(checkedMul(two32, two32).has_value());                // 2^64
    EXPECT_EQ(checkedMul(0, kMax), 0u);
    // 64 sweep keys of 2 values each: 2^64 cells, which once wrapped to 0.
    std::optional<std::uint64_t> cells = 1;
    for (int k = 0; k < 64 && cells; ++k) cells = checkedMul(*cells, 2);
    EXPECT_FALSE(cells.has_value());
    EXPECT_EQ(checkedAdd(kMax - 1, 1), kMax);
    EXPECT_FALSE(checkedAdd(kMax, 1).has_value());
}

TEST(InputFile, ByteSizesParseWithBinarySuffixes) {
    EXPECT_EQ(parseByteSize("1048576"), 1048576u);
    EXPECT_EQ(parseByteSize("64K"), 65536u);
    EXPECT_EQ(parseByteSize("512M"), 536870912u);
    EXPECT_EQ(parseByteSize("2G"), 2147483648u);
    EXPECT_EQ(parseByteSize("2GiB"), 2147483648u);
    EXPECT_EQ(parseByteSize("1T"), 1099511627776u);
    EXPECT_EQ(parseByteSize("16777215T"), 18446742974197923840ULL);  // (2^24 - 1) x 2^40
    EXPECT_FALSE(parseByteSize("16777216T").has_value());            // 2^64
    EXPECT_FALSE(parseByteSize("99999999999999999999").has_value());
    for (const char* bad : {"", "-1", "K", "1.5G", "12X", "1 G", "1GB2"})
        EXPECT_FALSE(parseByteSize(bad).has_value()) << bad;
}

TEST(InputFile, ByteSizesFormatInBinaryUnits) {
    EXPECT_EQ(formatBytes(0), "0 bytes");
    EXPECT_EQ(formatBytes(1023), "1023 bytes");
    EXPECT_EQ(formatBytes(1024), "1 KiB");
    EXPECT_EQ(formatBytes(1536), "1.5 KiB");
    EXPECT_EQ(formatBytes(100 * 1024), "100 KiB");
    EXPECT_EQ(formatBytes(std::uint64_t{3} << 30), "3 GiB");
    EXPECT_EQ(formatBytes(std::numeric_limits<std::uint64_t>::max()), "16 EiB");
}

}  // namespace input_file_test
}  // namespace
}  // namespace rotor
