// SPDX-License-Identifier: MIT
// The stored-type checks on types built with the HDF5 C API: the standard little-endian
// numbers and the strings rotor and h5py write pass; the same types with one property changed
// (byte order, precision, exponent bias, padding, character set, size) do not.
#include "engine/io/hdf5_types.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rotor {
namespace {
namespace hdf5_types_test {

// A copy of `base` changed by `edit`, closed on scope exit.
class Type {
public:
    template <class Edit>
    Type(hid_t base, Edit edit) : id_(H5Tcopy(base)) {
        edit(id_);
    }
    explicit Type(hid_t base) : id_(H5Tcopy(base)) {}
    ~Type() { H5Tclose(id_); }
    Type(const Type&) = delete;
    Type& operator=(const Type&) = delete;
    hid_t get() const { return id_; }

private:
    hid_t id_;
};

Type string(std::size_t size, H5T_str_t pad, H5T_cset_t cset) {
    return Type(H5T_C_S1, [&](hid_t t) {
        H5Tset_size(t, size);
        H5Tset_strpad(t, pad);
        H5Tset_cset(t, cset);
    });
}

TEST(Hdf5Types, StandardLittleEndianNumbersPass) {
    for (const hid_t t : {H5T_IEEE_F64LE, H5T_IEEE_F32LE, H5T_STD_I8LE, H5T_STD_I32LE,
                          H5T_STD_I64LE, H5T_STD_U8LE, H5T_STD_U64LE, H5T_NATIVE_DOUBLE})
        EXPECT_TRUE(h5::isStoredNumber(t)) << t;
    EXPECT_TRUE(h5::isType(H5T_NATIVE_UINT64, H5T_STD_U64LE));
    EXPECT_FALSE(h5::isType(H5T_STD_I64LE, H5T_STD_U64LE));
}

TEST(Hdf5Types, ANumberWithOnePropertyChangedFails) {
    EXPECT_FALSE(h5::isStoredNumber(H5T_IEEE_F64BE));
    EXPECT_FALSE(h5::isStoredNumber(H5T_STD_I32BE));
    EXPECT_FALSE(
        h5::isStoredNumber(Type(H5T_IEEE_F64LE, [](hid_t t) { H5Tset_ebias(t, 1000); }).get()));
    EXPECT_FALSE(
        h5::isStoredNumber(Type(H5T_STD_I64LE, [](hid_t t) { H5Tset_precision(t, 40); }).get()));
    EXPECT_FALSE(h5::isStoredNumber(
        Type(H5T_STD_I32LE, [](hid_t t) { H5Tset_pad(t, H5T_PAD_ONE, H5T_PAD_ONE); }).get()));
    EXPECT_FALSE(h5::isStoredNumber(H5T_STD_B8LE));  // a bit field, not a number
    EXPECT_FALSE(h5::isStoredNumber(H5T_C_S1));
}

TEST(Hdf5Types, TheStringsRotorAndH5pyWritePass) {
    EXPECT_TRUE(
        h5::isStoredVariableString(string(H5T_VARIABLE, H5T_STR_NULLTERM, H5T_CSET_UTF8).get()));
    EXPECT_TRUE(
        h5::isStoredVariableString(string(H5T_VARIABLE, H5T_STR_NULLTERM, H5T_CSET_ASCII).get()));
    EXPECT_TRUE(h5::isStoredString(string(12, H5T_STR_NULLPAD, H5T_CSET_UTF8).get()));
    EXPECT_TRUE(h5::isStoredString(string(1, H5T_STR_NULLTERM, H5T_CSET_ASCII).get()));
    EXPECT_FALSE(h5::isStoredVariableString(string(12, H5T_STR_NULLPAD, H5T_CSET_UTF8).get()));
}

TEST(Hdf5Types, AStringWithOnePropertyChangedFails) {
    EXPECT_FALSE(h5::isStoredString(string(H5T_VARIABLE, H5T_STR_SPACEPAD, H5T_CSET_UTF8).get()));
    EXPECT_FALSE(h5::isStoredString(string(H5T_VARIABLE, H5T_STR_NULLPAD, H5T_CSET_UTF8).get()));
    EXPECT_FALSE(h5::isStoredString(string(std::size_t{2} << 20, H5T_STR_NULLPAD,
                                           H5T_CSET_UTF8)
                                        .get()));  // past 1 MiB
    EXPECT_FALSE(h5::isStoredString(H5T_IEEE_F64LE));
}

TEST(Hdf5Types, ATableOfNumbersAndStringsPassesAndOtherFieldsFail) {
    const Type name = string(4, H5T_STR_NULLPAD, H5T_CSET_UTF8);
    const hid_t table = H5Tcreate(H5T_COMPOUND, 20);
    H5Tinsert(table, "v", 0, H5T_IEEE_F64LE);
    H5Tinsert(table, "k", 8, H5T_STD_I64LE);
    H5Tinsert(table, "name", 16, name.get());
    std::string why;
    EXPECT_TRUE(h5::isStoredTable(table, why)) << why;
    // A big-endian field.
    const hid_t other = H5Tcreate(H5T_COMPOUND, 16);
    H5Tinsert(other, "v", 0, H5T_IEEE_F64LE);
    H5Tinsert(other, "w", 8, H5T_IEEE_F64BE);
    EXPECT_FALSE(h5::isStoredTable(other, why));
    EXPECT_EQ(why, "table field 'w' is neither a number nor a string of a known type");
    EXPECT_FALSE(h5::isStoredTable(H5T_IEEE_F64LE, why));
    EXPECT_EQ(why, "not a table");
    H5Tclose(other);
    H5Tclose(table);
}

}  // namespace hdf5_types_test
}  // namespace
}  // namespace rotor
