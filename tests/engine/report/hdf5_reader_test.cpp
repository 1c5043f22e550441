// SPDX-License-Identifier: MIT
// The report's HDF5 reads against the types rotor writes: every kind of dataset and attribute
// the writer makes reads back as written, and a file whose type messages were damaged on disk
// (bytes patched here, as a damaged file would carry them) is refused with InputError before
// libhdf5 converts anything.
#include "engine/report/hdf5_reader.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace hdf5_reader_test {

// Every kind of value the results writer stores, with values to check against.
std::string writeSample(const std::string& name) {
    const std::string path = test::scratchDir("hdf5_reader") + "/" + name + ".h5";
    h5::File f(path);
    f.setAttribute("text", "hello");
    f.setAttribute("d", 0.25);
    f.setAttribute("i", std::int64_t{-7});
    f.setAttribute("u", std::uint64_t{9});
    f.setAttribute("list", std::vector<std::string>{"a", "bc"});
    const std::vector<double> x{1.5, 2.5, -3.0};
    f.writeDoubles("x", x.data(), x.size());
    f.writeInt32s("n", {4, -5});
    const float fl[2] = {0.5F, 0.75F};
    f.writeFloats("fl", fl, {2});
    f.writeStrings("s", {"a", "bc"});
    f.writeStrings("fs", {"ab", "cdef"}, 4);
    f.writeString("one", "scalar text");
    h5::Table t(2);
    t.addDouble("v", {1.25, 2.5});
    t.addInt64("k", {3, 4});
    t.addString("name", {"p", "qq"});
    f.writeTable("t", t);
    f.close();
    return path;
}

std::vector<char> bytesOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Replaces every occurrence of `from` in the file by `to` (same length); returns how many.
int patch(const std::string& path, const std::vector<unsigned char>& from,
          const std::vector<unsigned char>& to) {
    std::vector<char> b = bytesOf(path);
    int n = 0;
    for (std::size_t i = 0; i + from.size() <= b.size(); ++i)
        if (std::equal(from.begin(), from.end(), reinterpret_cast<unsigned char*>(b.data()) + i)) {
            std::copy(to.begin(), to.end(), b.begin() + static_cast<std::ptrdiff_t>(i));
            ++n;
        }
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(b.data(), static_cast<std::streamsize>(b.size()));
    return n;
}

// The datatype message of an IEEE little-endian float64 (HDF5 file format, datatype message
// version 1, class 1): bit fields (little-endian, implied mantissa bit, sign at 63), size 8,
// offset 0, precision 64, exponent at 52 of 11 bits, mantissa at 0 of 52 bits, bias 1023.
const std::vector<unsigned char> kF64 = {0x11, 0x20, 0x3f, 0x00, 0x08, 0x00, 0x00,
                                         0x00, 0x00, 0x00, 0x40, 0x00, 0x34, 0x0b,
                                         0x00, 0x34, 0xff, 0x03, 0x00, 0x00};
// A variable-length string: class 9 version 1, sequence type string, null-terminated, UTF-8,
// size 16, and its base type (an unsigned 8-bit integer).
const std::vector<unsigned char> kVlenUtf8 = {0x19, 0x01, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00};

// The message of the InputError `f` throws ("" and a failure when none).
template <class F>
std::string refusal(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return "";
}

TEST(Hdf5Reader, EveryTypeTheWriterStoresReadsAsWritten) {
    report::Hdf5Reader r(writeSample("valid"), "test file");
    r.open();
    const hid_t root = r.root();
    EXPECT_EQ(r.doubles(root, "x", "/x"), (std::vector<double>{1.5, 2.5, -3.0}));
    EXPECT_EQ(r.doubles(root, "n", "/n"), (std::vector<double>{4.0, -5.0}));
    EXPECT_EQ(r.doubles(root, "fl", "/fl"), (std::vector<double>{0.5, 0.75}));
    EXPECT_EQ(r.strings(root, "s", "/s"), (std::vector<std::string>{"a", "bc"}));
    EXPECT_EQ(r.strings(root, "fs", "/fs"), (std::vector<std::string>{"ab", "cdef"}));
    EXPECT_EQ(r.string(root, "one", "/one"), "scalar text");
    EXPECT_EQ(r.attrText(root, "text"), "hello");
    EXPECT_EQ(r.attrText(root, "list"), "a, bc");
    EXPECT_EQ(r.attrText(root, "i"), "-7");
    EXPECT_EQ(r.attrText(root, "u"), "9");
    EXPECT_EQ(r.attrDouble(root, "d"), 0.25);
    EXPECT_EQ(r.attrInt<std::int64_t>(root, "i", 0, H5T_NATIVE_INT64), -7);
    EXPECT_EQ(r.attrStrings(root, "list"), (std::vector<std::string>{"a", "bc"}));
    // A string attribute is no number: the fallback, as before.
    EXPECT_TRUE(std::isnan(r.attrDouble(root, "text")));
    const report::RecordTable t = r.table(root, "t", "/t");
    EXPECT_EQ(t.rows, 2u);
    EXPECT_EQ(t.fields, (std::vector<std::string>{"v", "k", "name"}));
    EXPECT_EQ(t.number("v", 1), 2.5);
    EXPECT_EQ(t.number("k", 0), 3.0);
    EXPECT_EQ(t.text("name", 1), "qq");
}

TEST(Hdf5Reader, ADamagedNumberTypeIsRefusedBeforeConversion) {
    // The float64's precision damaged from 64 to 48 bits, wherever it is stored: the dataset,
    // the attribute and the table's field.
    const std::string path = writeSample("precision");
    std::vector<unsigned char> damaged = kF64;
    damaged[10] = 48;
    ASSERT_EQ(patch(path, kF64, damaged), 3);
    report::Hdf5Reader r(path, "test file");
    r.open();
    const hid_t root = r.root();
    EXPECT_NE(refusal([&] {
                  (void)r.doubles(root, "x", "/x");
              }).find("/x is not stored as numbers"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.attrDouble(root, "d");
              }).find("attribute d has a number type rotor does not write"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.attrText(root, "d");
              }).find("attribute d has a type rotor does not write"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.table(root, "t", "/t");
              }).find("table field 'v' is neither a number nor a string of a known type"),
              std::string::npos);
    // What was not damaged still reads.
    EXPECT_EQ(r.doubles(root, "n", "/n"), (std::vector<double>{4.0, -5.0}));
}

TEST(Hdf5Reader, ABigEndianFloatIsNotWhatRotorWrites) {
    const std::string path = writeSample("order");
    std::vector<unsigned char> damaged = kF64;
    damaged[1] = 0x21;  // byte order bit
    ASSERT_EQ(patch(path, kF64, damaged), 3);
    report::Hdf5Reader r(path, "test file");
    r.open();
    EXPECT_NE(refusal([&] {
                  (void)r.doubles(r.root(), "x", "/x");
              }).find("/x is not stored as numbers"),
              std::string::npos);
}

TEST(Hdf5Reader, ADamagedVariableLengthStringTypeIsRefusedBeforeConversion) {
    // Space-padded instead of null-terminated (padding 2 in bits 4-7 of the first bit field).
    const std::string path = writeSample("strpad");
    std::vector<unsigned char> damaged = kVlenUtf8;
    damaged[1] = 0x21;
    ASSERT_GE(patch(path, kVlenUtf8, damaged), 4);  // text, list, s, one
    report::Hdf5Reader r(path, "test file");
    r.open();
    const hid_t root = r.root();
    EXPECT_NE(refusal([&] {
                  (void)r.strings(root, "s", "/s");
              }).find("/s has a string type rotor does not write"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.attrText(root, "text");
              }).find("attribute text has a type rotor does not write"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.attrStrings(root, "list");
              }).find("attribute list has a string type rotor does not write"),
              std::string::npos);
}

TEST(Hdf5Reader, TableFieldsThatOverlapAreRefused) {
    // Field k's offset moved from 8 to 4, into field v (compound member, version 1 layout: the
    // name null-padded to 8 bytes, then the offset). libhdf5 refuses to open such a dataset
    // itself (isStoredTable checks it again on the type it hands out).
    h5::QuietErrors quiet;
    const std::string path = writeSample("overlap");
    ASSERT_EQ(patch(path, {'k', 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0},
                    {'k', 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0}),
              1);
    report::Hdf5Reader r(path, "test file");
    r.open();
    EXPECT_NE(refusal([&] { (void)r.table(r.root(), "t", "/t"); }).find("cannot open dataset /t"),
              std::string::npos);
}

TEST(Hdf5Reader, AnAttributeOfSeveralValuesIsNotReadAsOne) {
    const std::string path = test::scratchDir("hdf5_reader") + "/array.h5";
    {
        h5::File f(path);
        f.close();
    }
    // Three doubles where the reader expects one (it would write all three into one variable).
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hsize_t three = 3;
    const hid_t space = H5Screate_simple(1, &three, nullptr);
    const hid_t a = H5Acreate2(file, "capital", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    const double v[3] = {1, 2, 3};
    ASSERT_GE(H5Awrite(a, H5T_NATIVE_DOUBLE, v), 0);
    H5Aclose(a);
    H5Sclose(space);
    H5Fclose(file);
    report::Hdf5Reader r(path, "test file");
    r.open();
    EXPECT_NE(refusal([&] {
                  (void)r.attrDouble(r.root(), "capital");
              }).find("attribute capital holds 3 values, expected 1"),
              std::string::npos);
    EXPECT_NE(refusal([&] {
                  (void)r.attrInt<std::int64_t>(r.root(), "capital", 0, H5T_NATIVE_INT64);
              }).find("holds 3 values"),
              std::string::npos);
    EXPECT_EQ(r.attrText(r.root(), "capital"), "1, 2, 3");  // as text, every value
}

// The objects of layouts rotor never writes, added with UTF-8 link names (so that the root
// group keeps its links in its header, as rotor's does) to the sample: a compact dataset, a
// chunked string dataset, and a group kept a symbol table by a link of an ASCII name.
std::string writeForeignLayouts() {
    const std::string path = writeSample("foreign");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_char_encoding(lcpl, H5T_CSET_UTF8);
    test::addForeignLayouts(file, lcpl);
    const hid_t old = H5Gcreate2(file, "old", lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(old, "child", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Gclose(old);
    H5Pclose(lcpl);
    H5Fclose(file);
    return path;
}

TEST(Hdf5Reader, LayoutsRotorDoesNotWriteAreRefusedNamingTheFileAndTheObject) {
    const std::string path = writeForeignLayouts();
    report::Hdf5Reader r(path, "test file");
    r.open();
    const hid_t root = r.root();
    const std::string prefix = path + ": not a valid test file: ";
    EXPECT_EQ(refusal([&] { (void)r.doubles(root, "compact", "/compact"); }),
              prefix + "/compact: a compact dataset, which rotor does not write");
    EXPECT_EQ(refusal([&] { (void)r.strings(root, "chunked", "/chunked"); }),
              prefix +
                  "/chunked: a chunked dataset of datatype class 9, which rotor does not write");
    EXPECT_EQ(refusal([&] { (void)r.exists(root, "old/child"); }),
              prefix +
                  "/old: a group stored as a symbol table of links (old-style), which rotor "
                  "does not write");
    // The rest of the file reads as before.
    EXPECT_EQ(r.doubles(root, "x", "/x"), (std::vector<double>{1.5, 2.5, -3.0}));
}

TEST(Hdf5Reader, AVersion2RootHeaderIsRefusedOnOpening) {
    const std::string path = test::scratchDir("hdf5_reader") + "/latest.h5";
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    H5Fclose(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl));
    H5Pclose(fapl);
    report::Hdf5Reader r(path, "test file");
    EXPECT_EQ(refusal([&] { r.open(); }),
              path +
                  ": not a valid test file: /: an object header of version 2, which rotor "
                  "does not write");
}

TEST(Hdf5Reader, AnEnumAttributeWithMembersPastItsMessageIsRefused) {
    // A bool attribute as h5py writes one (an enum of a signed byte, FALSE and TRUE), its
    // member count damaged from 2 to 255: libhdf5 would copy names from past the message.
    const std::string path = writeSample("enum");
    {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        test::writeBoolAttribute(file, "flag", 1);
        H5Fclose(file);
    }
    {
        report::Hdf5Reader r(path, "test file");
        r.open();
        EXPECT_TRUE(r.hasAttribute(r.root(), "flag"));
        EXPECT_EQ(r.attrText(r.root(), "text"), "hello");
    }
    // Datatype version 1, class 8 (enum), 2 members, size 1.
    ASSERT_EQ(patch(path, {0x18, 2, 0, 0, 1, 0, 0, 0}, {0x18, 0xff, 0, 0, 1, 0, 0, 0}), 1);
    report::Hdf5Reader r(path, "test file");
    EXPECT_EQ(refusal([&] { r.open(); }),
              path +
                  ": not a valid test file: /: attribute flag has a damaged datatype or "
                  "dataspace: an enum member's name is not terminated inside its message");
}

}  // namespace hdf5_reader_test
}  // namespace
}  // namespace rotor
