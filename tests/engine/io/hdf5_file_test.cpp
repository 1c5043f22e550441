// SPDX-License-Identifier: MIT
// The RAII HDF5 wrapper, checked by reading back with the raw C API.
#include "engine/io/hdf5_file.hpp"

#include "engine/core/error.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace rotor {
namespace {
namespace hdf5_file_test {

using test::H5Reader;

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Hdf5File, WritesNestedGroupsArraysAndAttributes) {
    const std::string path = test::scratchDir("hdf5_file_basic") + "/t.h5";
    {
        h5::File f(path);
        f.setAttribute("title", "hello");
        f.setAttribute("version", std::int64_t{-7});
        f.setAttribute("seed", std::uint64_t{18446744073709551615ULL});
        f.setAttribute("pi", 3.25);
        f.setAttribute("names", std::vector<std::string>{"a", "bé", ""});
        f.setAttribute("title", "replaced");  // setting twice replaces
        {
            h5::Group a = f.createGroup("a");
            h5::Group b = a.createGroup("b");
            EXPECT_EQ(b.path(), "/a/b");
            const double xs[] = {1.5, -2.0, 1e300};
            b.writeDoubles("xs", xs, 3);
            const double m[] = {1, 2, 3, 4, 5, 6};  // 2 x 3 row-major
            h5::Dataset d = b.writeMatrix("m", m, 2, 3, h5::Storage{true});
            d.setAttribute("columns", std::vector<std::string>{"c0", "c1", "c2"});
            b.writeInt64s("ints", {std::numeric_limits<std::int64_t>::min(), 0, 42});
            b.writeStrings("fixed", {"2024-01-02", "abc"}, 10);
            b.writeStrings("vlen", {"SPY", "", "ünïcode"});
            b.writeString("doc", "line 1\nline 2: {x: 1}\n");
            b.writeDoubles("empty", nullptr, 0, h5::Storage{true});
        }
        f.close();
    }
    H5Reader r(path);
    EXPECT_EQ(r.attrString("/", "title"), "replaced");
    EXPECT_EQ(r.attrInt64("/", "version"), -7);
    EXPECT_EQ(r.attrClass("/", "version"), H5T_INTEGER);
    EXPECT_EQ(r.attrUInt64("/", "seed"), 18446744073709551615ULL);
    EXPECT_EQ(r.attrDouble("/", "pi"), 3.25);
    EXPECT_EQ(r.attrStrings("/", "names"), (std::vector<std::string>{"a", "bé", ""}));

    EXPECT_EQ(r.doubles("/a/b/xs"), (std::vector<double>{1.5, -2.0, 1e300}));
    EXPECT_EQ(r.dims("/a/b/m"), (std::vector<hsize_t>{2, 3}));
    EXPECT_EQ(r.doubles("/a/b/m"), (std::vector<double>{1, 2, 3, 4, 5, 6}));
    EXPECT_TRUE(r.isCompressed("/a/b/m"));
    EXPECT_FALSE(r.isCompressed("/a/b/xs"));
    EXPECT_EQ(r.attrStrings("/a/b/m", "columns"), (std::vector<std::string>{"c0", "c1", "c2"}));
    EXPECT_EQ(r.int64s("/a/b/ints"),
              (std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(), 0, 42}));
    EXPECT_FALSE(r.isVariableString("/a/b/fixed"));
    EXPECT_EQ(r.typeSize("/a/b/fixed"), 10u);
    EXPECT_EQ(r.strings("/a/b/fixed"), (std::vector<std::string>{"2024-01-02", "abc"}));
    EXPECT_TRUE(r.isVariableString("/a/b/vlen"));
    EXPECT_EQ(r.strings("/a/b/vlen"), (std::vector<std::string>{"SPY", "", "ünïcode"}));
    EXPECT_EQ(r.string("/a/b/doc"), "line 1\nline 2: {x: 1}\n");
    EXPECT_EQ(r.dims("/a/b/empty"), (std::vector<hsize_t>{0}));
}

// A float32 array of paths x days x assets filled a block of rows at a time (stored paths
// streamed) is the array writeFloats writes whole: same values, type, chunks and filters.
TEST(Hdf5File, Float32RowsWrittenInBlocksEqualTheArrayWrittenWhole) {
    const std::string path = test::scratchDir("hdf5_file_float_rows") + "/t.h5";
    std::vector<float> values;  // 7 x 5 x 3, C order
    for (int i = 0; i < 7 * 5 * 3; ++i) values.push_back(static_cast<float>(i) / 8.0f - 3.0f);
    const h5::Storage chunked{true, 1, 40};  // 40 values a chunk: 2 rows of 15
    {
        h5::File f(path);
        f.writeFloats("whole", values.data(), {7, 5, 3}, chunked);
        {
            h5::Dataset rows = f.createRows("rows", h5::Group::Element::Float32, {7, 5, 3},
                                            chunked);
            rows.writeRows(0, 3, values.data());
            rows.writeRows(3, 1, values.data() + 3 * 15);
            rows.writeRows(4, 3, values.data() + 4 * 15);
            h5::Dataset flat = f.createRows("flat", h5::Group::Element::Float32, {7, 15});
            flat.writeRows(0, 7, values.data());
            EXPECT_NE(errorOf([&] {
                          (void)f.createRows("four", h5::Group::Element::Float32, {1, 1, 1, 1});
                      }).find("1 to 3 non-zero dimensions"),
                      std::string::npos);
            EXPECT_NE(errorOf([&] {
                          rows.writeRows(6, 2, values.data());
                      }).find("outside the 7 rows"),
                      std::string::npos);
        }
        f.close();
    }
    H5Reader r(path);
    const std::vector<double> expected(values.begin(), values.end());
    for (const char* d : {"/whole", "/rows", "/flat"}) {
        EXPECT_EQ(r.doubles(d), expected) << d;
        EXPECT_EQ(r.typeClass(d), H5T_FLOAT) << d;
        EXPECT_EQ(r.typeSize(d), 4u) << d;
    }
    EXPECT_EQ(r.dims("/rows"), (std::vector<hsize_t>{7, 5, 3}));
    EXPECT_EQ(r.storage("/rows"), r.storage("/whole"));
    EXPECT_EQ(r.storage("/rows")[0], 2u);  // two paths a chunk
    EXPECT_TRUE(r.isCompressed("/rows"));
    EXPECT_FALSE(r.isCompressed("/flat"));
}

TEST(Hdf5File, WritesCompoundTables) {
    const std::string path = test::scratchDir("hdf5_file_table") + "/t.h5";
    {
        h5::File f(path);
        h5::Table t(3);
        t.addString("name", {"x", "longest", ""});
        t.addDouble("value", {0.25, std::nan(""), -1e-9});
        t.addInt64("count", {3, -4, 5});
        t.addString("date", {"2024-01-02", "", "1999-12-31"}, 10);
        f.writeTable("rows", t);
        h5::Table empty(0);
        empty.addString("path", {});
        empty.addDouble("v", {});
        f.writeTable("none", empty);
        f.close();
    }
    H5Reader r(path);
    EXPECT_EQ(r.fields("/rows"), (std::vector<std::string>{"name", "value", "count", "date"}));
    EXPECT_EQ(r.columnStringWidth("/rows", "name"), 7u);  // "longest"
    EXPECT_EQ(r.columnStrings("/rows", "name"), (std::vector<std::string>{"x", "longest", ""}));
    const auto v = r.columnDoubles("/rows", "value");
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0], 0.25);
    EXPECT_TRUE(std::isnan(v[1]));
    EXPECT_EQ(v[2], -1e-9);
    EXPECT_EQ(r.columnInt64s("/rows", "count"), (std::vector<std::int64_t>{3, -4, 5}));
    EXPECT_EQ(r.columnStringWidth("/rows", "date"), 10u);
    EXPECT_EQ(r.columnStrings("/rows", "date"),
              (std::vector<std::string>{"2024-01-02", "", "1999-12-31"}));
    EXPECT_EQ(r.dims("/none"), (std::vector<hsize_t>{0}));
    EXPECT_EQ(r.fields("/none"), (std::vector<std::string>{"path", "v"}));
}

TEST(Hdf5File, TableRejectsMismatchedColumns) {
    h5::Table t(2);
    t.addDouble("a", {1, 2});
    EXPECT_THROW(t.addDouble("b", {1}), Error);              // wrong length
    EXPECT_THROW(t.addDouble("a", {1, 2}), Error);           // duplicate
    EXPECT_THROW(t.addString("s", {"abc", "d"}, 2), Error);  // wider than the fixed width
}

TEST(Hdf5File, ErrorsNameTheObjectAndPrintNothing) {
    const std::string dir = test::scratchDir("hdf5_file_errors");
    const std::string path = dir + "/t.h5";
    testing::internal::CaptureStderr();
    {
        h5::File f(path);
        h5::Group g = f.createGroup("g");
        const std::string dup = errorOf([&] { f.createGroup("g"); });
        EXPECT_NE(dup.find("'/g'"), std::string::npos) << dup;
        EXPECT_NE(dup.find(path), std::string::npos) << dup;
        EXPECT_NE(errorOf([&] { g.createGroup("a/b"); }).find("invalid object name"),
                  std::string::npos);
        EXPECT_NE(errorOf([&] { g.createGroup("."); }), "");
        EXPECT_NE(errorOf([&] { g.createGroup(""); }), "");
        EXPECT_NE(errorOf([&] { g.writeStrings("s", {"too long"}, 3); }).find("'/g/s'"),
                  std::string::npos);
        // Closing while a group is still open would silently defer its writes.
        EXPECT_NE(errorOf([&] { f.close(); }).find("still open"), std::string::npos);
    }
    const std::string missing = errorOf([&] { h5::File f(dir + "/no/such/dir/t.h5"); });
    EXPECT_NE(missing.find(dir + "/no/such/dir/t.h5"), std::string::npos) << missing;
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace hdf5_file_test
}  // namespace
}  // namespace rotor
