// SPDX-License-Identifier: MIT
// The object header messages decoded within their sizes, on messages built here byte by byte
// from the HDF5 file format specification (not written by libhdf5): the encodings libhdf5
// writes decode to their class and size; a member name that lost its terminator, a member
// count or dimension running past the message, and the layouts rotor never writes are
// reported.
#include "engine/io/hdf5_messages.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rotor {
namespace {
namespace hdf5_messages_test {

using Bytes = std::vector<unsigned char>;

Bytes operator+(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Datatype version 1, class 0: a signed 8-bit integer (bit field 0x08: signed), size 1, bit
// offset 0, precision 8.
const Bytes kInt8 = {0x10, 0x08, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0};
// An enum of kInt8 with two members (as h5py stores a bool): class 8, 2 members, size 1, the
// base, the names null-padded to 8 bytes, then the values 0 and 1.
const Bytes kBoolHead = {0x18, 2, 0, 0, 1, 0, 0, 0};
const Bytes kBoolNames = {'F', 'A', 'L', 'S', 'E', 0, 0, 0, 'T', 'R', 'U', 'E', 0, 0, 0, 0};
const Bytes kBool = kBoolHead + kInt8 + kBoolNames + Bytes{0, 1};
// A variable-length string as rotor writes it: class 9, string, null-terminated, UTF-8, size
// 16, then its base (an unsigned 8-bit integer).
const Bytes kVlen = {0x19, 1, 1, 0, 16, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 8, 0};

std::string decode(const Bytes& b, h5::Datatype& t) {
    return h5::datatypeMessage(b.data(), b.size(), t);
}

TEST(Hdf5Messages, AnEnumAndAVariableLengthStringDecodeWithinTheirBytes) {
    h5::Datatype t;
    ASSERT_EQ(kBool.size(), 38u);  // 8 + 12 + 16 + 2
    EXPECT_EQ(decode(kBool, t), "");
    EXPECT_EQ(t.cls, 8u);
    EXPECT_EQ(t.size, 1u);
    EXPECT_EQ(decode(kVlen, t), "");
    EXPECT_EQ(t.cls, 9u);
    EXPECT_EQ(t.size, 16u);
    // Version 3 names are not padded: "FALSE\0TRUE\0" and the values.
    const Bytes v3 = Bytes{0x38, 2, 0, 0, 1, 0, 0, 0} + kInt8 +
                     Bytes{'F', 'A', 'L', 'S', 'E', 0, 'T', 'R', 'U', 'E', 0, 0, 1};
    EXPECT_EQ(decode(v3, t), "");
}

TEST(Hdf5Messages, AnEnumMemberNameWithoutItsTerminatorIsReported) {
    // TRUE's null padding overwritten: its name would run on into the values and past them.
    Bytes b = kBool;
    for (std::size_t i = 8 + 12 + 12; i < 8 + 12 + 16; ++i) b[i] = 'X';
    h5::Datatype t;
    EXPECT_EQ(decode(b, t), "an enum member's name is not terminated inside its message");
    // 255 members claimed: the third name starts at the values and the rest past the message.
    b = kBool;
    b[1] = 0xff;
    EXPECT_EQ(decode(b, t), "an enum member's name is not terminated inside its message");
    // The values cut off.
    b = kBool;
    b.pop_back();
    EXPECT_EQ(decode(b, t), "an enum's values run past its message");
}

TEST(Hdf5Messages, AVariableLengthStringTurnedEnumIsReported) {
    // The damage the results harness found: the class nibble 9 -> 8 makes the string's bit
    // fields a count of 257 members of a 16-byte enum whose base is a 1-byte integer.
    Bytes b = kVlen;
    b[0] = 0x18;
    h5::Datatype t;
    EXPECT_EQ(decode(b, t), "an enum whose base is not an integer of its size");
}

TEST(Hdf5Messages, ACompoundMemberNameOrMemberOutsideTheMessageIsReported) {
    // Version 1 compound of 9 bytes with one member "x": the name padded to 8, offset 1, rank 0
    // and its reserved bytes, permutation, reserved, four dimension sizes (28 bytes), then an
    // IEEE float64 (class 1: 12 bytes of properties).
    const Bytes f64 = {0x11, 0x20, 0x3f, 0, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52, 0xff, 3, 0, 0};
    const Bytes member = Bytes{'x', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0} + Bytes(28, 0) + f64;
    const Bytes compound = Bytes{0x16, 1, 0, 0, 9, 0, 0, 0} + member;
    h5::Datatype t;
    EXPECT_EQ(decode(compound, t), "");
    EXPECT_EQ(t.cls, 6u);
    EXPECT_EQ(t.size, 9u);
    Bytes b = compound;
    b[16] = 2;  // offset 2: bytes 2 to 9 of a 9-byte record
    EXPECT_EQ(decode(b, t), "a compound member lies outside its record");
    b = compound;
    for (std::size_t i = 9; i < 16; ++i) b[i] = 'y';  // "xyyyyyyy" runs into the offset
    b[16] = 'z';
    b[17] = 'z';
    b[18] = 'z';
    b[19] = 'z';
    b.resize(20);
    EXPECT_EQ(decode(b, t), "a compound member's name is not terminated inside its message");
    b = compound;
    b.resize(b.size() - 1);  // the member's float runs past the message
    EXPECT_EQ(decode(b, t), "a datatype runs past its message");
}

TEST(Hdf5Messages, DataspacesCountTheirPointsWithinTheirBytes) {
    // Version 1: version, rank, flags, reserved (5), then 8 bytes per dimension.
    std::uint64_t points = 99;
    const Bytes scalar = {1, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(h5::dataspaceMessage(scalar.data(), scalar.size(), points), "");
    EXPECT_EQ(points, 1u);
    const Bytes twoByThree = Bytes{1, 2, 0, 0, 0, 0, 0, 0} + Bytes{2, 0, 0, 0, 0, 0, 0, 0} +
                             Bytes{3, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(h5::dataspaceMessage(twoByThree.data(), twoByThree.size(), points), "");
    EXPECT_EQ(points, 6u);
    // Maximum dimensions claimed (flag 1) but not there.
    Bytes b = twoByThree;
    b[2] = 1;
    EXPECT_EQ(h5::dataspaceMessage(b.data(), b.size(), points),
              "a dataspace runs past its message");
    b = twoByThree;
    b[1] = 33;
    EXPECT_EQ(h5::dataspaceMessage(b.data(), b.size(), points), "a dataspace of rank 33");
    // Version 2, null: no points.
    const Bytes null = {2, 0, 0, 2};
    EXPECT_EQ(h5::dataspaceMessage(null.data(), null.size(), points), "");
    EXPECT_EQ(points, 0u);
}

TEST(Hdf5Messages, OnlyTheLayoutsRotorWritesAreAccepted) {
    // Version 3 contiguous: address 64, 800 bytes, in a file of 1000 bytes.
    const Bytes contiguous = Bytes{3, 1, 64, 0, 0, 0, 0, 0, 0, 0} +
                             Bytes{0x20, 3, 0, 0, 0, 0, 0, 0};
    h5::Layout layout;
    EXPECT_EQ(h5::layoutMessage(contiguous.data(), contiguous.size(), 1000, layout), "");
    EXPECT_FALSE(layout.chunked);
    EXPECT_EQ(layout.bytes, 800u);
    EXPECT_EQ(h5::layoutMessage(contiguous.data(), contiguous.size(), 863, layout),
              "its values (800 bytes at 64) lie past the end of the file");
    // Version 3 chunked: 2 dimensions (rank 1 + the element), index at 100, chunks of 16
    // elements of 8 bytes.
    const Bytes chunked = Bytes{3, 2, 2, 100, 0, 0, 0, 0, 0, 0, 0} + Bytes{16, 0, 0, 0, 8, 0, 0, 0};
    EXPECT_EQ(h5::layoutMessage(chunked.data(), chunked.size(), 1000, layout), "");
    EXPECT_TRUE(layout.chunked);
    EXPECT_EQ(layout.dimensions, 2u);
    EXPECT_EQ(layout.element, 8u);
    const Bytes compact = {3, 0, 4, 0, 1, 2, 3, 4};
    EXPECT_EQ(h5::layoutMessage(compact.data(), compact.size(), 1000, layout),
              "a compact dataset, which rotor does not write");
    Bytes v4 = contiguous;
    v4[0] = 4;
    EXPECT_EQ(h5::layoutMessage(v4.data(), v4.size(), 1000, layout),
              "a data layout of version 4, which rotor does not write");
}

TEST(Hdf5Messages, AFillValueOrFilterNamePastItsMessageIsReported) {
    // Fill value version 2: allocation time, fill time, defined, size 8, the value.
    const Bytes fill = Bytes{2, 2, 2, 1, 8, 0, 0, 0} + Bytes(8, 0);
    EXPECT_EQ(h5::fillValueMessage(5, fill.data(), fill.size()), "");
    Bytes b = fill;
    b[5] = 1;  // 264 bytes claimed: libhdf5 would copy them from past the message
    EXPECT_EQ(h5::fillValueMessage(5, b.data(), b.size()),
              "a fill value of 264 bytes runs past its message");
    // Filter pipeline version 1 with one filter 300 named "abc" (padded to 8) and no values.
    const Bytes pipeline = Bytes{1, 1, 0, 0, 0, 0, 0, 0} + Bytes{0x2c, 1, 8, 0, 0, 0, 0, 0} +
                           Bytes{'a', 'b', 'c', 0, 0, 0, 0, 0};
    EXPECT_EQ(h5::filterPipelineMessage(pipeline.data(), pipeline.size()), "");
    b = pipeline;
    for (std::size_t i = 19; i < 24; ++i) b[i] = 'd';
    EXPECT_EQ(h5::filterPipelineMessage(b.data(), b.size()),
              "a filter's name is not terminated inside its message");
}

}  // namespace hdf5_messages_test
}  // namespace
}  // namespace rotor
