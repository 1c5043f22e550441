// SPDX-License-Identifier: MIT
// HeapCheck on files the HDF5 wrapper writes: nothing to report on a valid file; then, with
// bytes patched on disk as a damaged file would carry them, each damage that crashes Debian's
// libhdf5 1.10 is reported before libhdf5 reads it: a string reference to a missing heap object
// or of another length, a heap object running past its collection, a group's link index past
// the end of the file, an attribute message claiming more bytes than it holds, a link message
// running past itself or pointing past the end of the file, an object header whose first chunk
// claims more than the file holds. A group's link names are read from its header, in name
// order.
#include "engine/io/hdf5_heap.hpp"

#include "engine/io/hdf5_file.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace hdf5_heap_test {

std::string writeSample(const std::string& name) {
    const std::string path = test::scratchDir("hdf5_heap") + "/" + name + ".h5";
    h5::File f(path);
    f.setAttribute("note", "hello");
    f.setAttribute("list", std::vector<std::string>{"a", "bc", ""});
    f.writeString("one", "scalar text");
    {
        h5::Group g = f.createGroup("g");
        g.setAttribute("name", "inner");
    }
    f.close();
    return path;
}

// The offset of the only occurrence of `needle`.
std::size_t find(const std::vector<unsigned char>& b, const std::vector<unsigned char>& needle) {
    const auto it = std::search(b.begin(), b.end(), needle.begin(), needle.end());
    EXPECT_NE(it, b.end());
    EXPECT_EQ(std::search(it + 1, b.end(), needle.begin(), needle.end()), b.end());
    return static_cast<std::size_t>(it - b.begin());
}

// Opens the file read-only and gives HeapCheck to `f`.
template <class F>
void withFile(const std::string& path, F f) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    {
        h5::HeapCheck check(file);
        f(file, check);
    }
    H5Fclose(file);
}

// The file address of the object header of `object` in the file at `path`.
std::uint64_t addressOf(const std::string& path, const char* object) {
    std::uint64_t address = 0;
    withFile(path, [&](hid_t file, h5::HeapCheck&) {
        H5O_info_t info{};
        EXPECT_GE(H5Oget_info_by_name2(file, object, &info, H5O_INFO_BASIC, H5P_DEFAULT), 0);
        address = info.addr;
    });
    return address;
}

// The 16-byte reference stored as dataset "one"'s value: its offset in the file.
std::size_t referenceOfOne(const std::string& path) {
    std::size_t at = 0;
    withFile(path, [&](hid_t file, h5::HeapCheck&) {
        const hid_t ds = H5Dopen2(file, "one", H5P_DEFAULT);
        at = static_cast<std::size_t>(H5Dget_offset(ds));
        H5Dclose(ds);
    });
    return at;
}

TEST(HeapCheck, AValidFileHasNothingToReport) {
    withFile(writeSample("valid"), [](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.attribute(file, "note", 1), "");
        EXPECT_EQ(check.attribute(file, "list", 3), "");
        EXPECT_EQ(check.attributes(file), "");
        EXPECT_EQ(check.links(file), "");
        EXPECT_EQ(check.links(file, "g"), "");
        const hid_t ds = H5Dopen2(file, "one", H5P_DEFAULT);
        EXPECT_EQ(check.dataset(ds, 1), "");
        H5Dclose(ds);
    });
}

TEST(HeapCheck, AReferenceToAMissingObjectOrOfAnotherLengthIsReported) {
    const std::string path = writeSample("reference");
    const std::size_t at = referenceOfOne(path);
    std::vector<unsigned char> b = test::fileBytes(path);
    ASSERT_EQ(b[at], 11);  // "scalar text" is 11 bytes
    std::vector<unsigned char> damaged = b;
    damaged[at + 12] = 99;  // object index 99
    test::writeBytes(path, damaged);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        const hid_t ds = H5Dopen2(file, "one", H5P_DEFAULT);
        const std::string why = check.dataset(ds, 1);
        EXPECT_NE(why.find("string 0 refers to object 99 of the global heap collection at "),
                  std::string::npos)
            << why;
        EXPECT_NE(why.find("which holds no such object"), std::string::npos) << why;
        H5Dclose(ds);
    });
    damaged = b;
    damaged[at + 3] = 0xff;  // 11 + 255 * 2^24 bytes: libhdf5 would allocate that much
    test::writeBytes(path, damaged);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        const hid_t ds = H5Dopen2(file, "one", H5P_DEFAULT);
        EXPECT_EQ(check.dataset(ds, 1),
                  "string 0 claims 4278190091 bytes, its object in the global heap holds 11");
        H5Dclose(ds);
    });
}

TEST(HeapCheck, AHeapObjectOfAnotherSizeOrPastItsCollectionIsReported) {
    const std::string path = writeSample("object");
    std::vector<unsigned char> b = test::fileBytes(path);
    // Object "hello": its size (8 bytes) right before its data.
    const std::size_t size = find(b, {5, 0, 0, 0, 0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'});
    std::vector<unsigned char> damaged = b;
    damaged[size] = 6;
    test::writeBytes(path, damaged);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.attribute(file, "note", 1),
                  "attribute note: string 0 claims 5 bytes, its object in the global heap "
                  "holds 6");
    });
    damaged = b;
    damaged[size + 3] = 0x7f;  // 2^31 + 5 bytes, more than the collection holds
    test::writeBytes(path, damaged);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        const std::string why = check.attribute(file, "note", 1);
        EXPECT_NE(why.find("claims 2130706437 bytes, past the collection's end"), std::string::npos)
            << why;
    });
}

TEST(HeapCheck, ALinkIndexPastTheEndOfTheFileIsReported) {
    const std::string path = writeSample("links");
    std::vector<unsigned char> b = test::fileBytes(path);
    // The root group's link info message: type 2, 24 bytes, version 0, flags 0, then the
    // fractal heap's address (undefined: all ones) and the name index's.
    const std::vector<unsigned char> message = {2, 0,    0x18, 0,    0,    0,    0,    0,    0,
                                                0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    const auto it = std::search(b.begin(), b.end(), message.begin(), message.end());
    ASSERT_NE(it, b.end());
    *(it + 17) = 0x7f;  // the heap at 2^63 - 1 - ..., far past the end
    test::writeBytes(path, b);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        const std::string why = check.links(file);
        EXPECT_NE(why.find("a group's link index lies at 9223372036854775807, past the end"),
                  std::string::npos)
            << why;
    });
}

TEST(HeapCheck, AnAttributeMessageClaimingMoreThanItHoldsIsReported) {
    const std::string path = writeSample("attribute");
    std::vector<unsigned char> b = test::fileBytes(path);
    // Attribute "note", version 1: version, reserved, name size 5 ("note" and its null), the
    // datatype's size and the dataspace's, then the name.
    const std::size_t name = find(b, {'n', 'o', 't', 'e', 0});
    ASSERT_EQ(b[name - 8], 1);
    ASSERT_EQ(b[name - 6], 5);
    b[name - 3] = 0x7f;  // the datatype claims 32 KiB
    test::writeBytes(path, b);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        const std::string why = check.attributes(file);
        EXPECT_NE(why.find("an attribute message claims more than its"), std::string::npos) << why;
    });
}

TEST(HeapCheck, AnObjectHeaderClaimingMoreThanTheFileHoldsIsReported) {
    const std::string path = writeSample("object-header");
    const std::uint64_t g = addressOf(path, "g");
    withFile(path, [&](hid_t, h5::HeapCheck& check) { EXPECT_EQ(check.objectHeader(g), ""); });
    std::vector<unsigned char> b = test::fileBytes(path);
    ASSERT_EQ(b[g], 1);  // a version 1 header: its first chunk's size at offset 8
    b[g + 8] = 0xff;
    b[g + 9] = 0xff;
    b[g + 10] = 0xff;
    b[g + 11] = 0x7f;
    test::writeBytes(path, b);
    withFile(path, [&](hid_t, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(g), "an object header at " + std::to_string(g) +
                                             " claims 2147483647 bytes, past the end of the file");
        EXPECT_EQ(check.objectHeader(b.size() + 8),
                  "an object header lies past the end of the file");
    });
}

TEST(HeapCheck, AnObjectHeaderContinuingPastTheEndOfTheFileIsReported) {
    // Attributes added to a group after its creation outgrow its header's first chunk: it
    // continues in a second chunk, named by a continuation message (type 0x10, 16 bytes: the
    // next chunk's address and length).
    const std::string path = test::scratchDir("hdf5_heap") + "/continuation.h5";
    {
        h5::File f(path);
        {
            h5::Group g = f.createGroup("g");
            for (int i = 0; i < 12; ++i)
                g.setAttribute("attribute_" + std::to_string(i), std::string(40, 'v'));
        }
        f.close();
    }
    const std::uint64_t g = addressOf(path, "g");
    withFile(path, [&](hid_t, h5::HeapCheck& check) { EXPECT_EQ(check.objectHeader(g), ""); });
    std::vector<unsigned char> b = test::fileBytes(path);
    ASSERT_EQ(b[g], 1);
    std::uint64_t chunk = 0;
    for (int k = 3; k >= 0; --k) chunk = (chunk << 8) | b[g + 8 + static_cast<std::size_t>(k)];
    const std::vector<unsigned char> message = {0x10, 0, 16, 0};
    const auto it = std::search(b.begin() + static_cast<std::ptrdiff_t>(g + 16),
                                b.begin() + static_cast<std::ptrdiff_t>(g + 16 + chunk),
                                message.begin(), message.end());
    ASSERT_NE(it, b.begin() + static_cast<std::ptrdiff_t>(g + 16 + chunk));
    const auto at = static_cast<std::size_t>(it - b.begin()) + 8;
    std::uint64_t to = 0, length = 0;
    for (int k = 7; k >= 0; --k) {
        to = (to << 8) | b[at + static_cast<std::size_t>(k)];
        length = (length << 8) | b[at + 8 + static_cast<std::size_t>(k)];
    }
    ASSERT_LE(to + length, b.size());
    b[at + 8 + 4] = 2;  // the length gains 2^33 bytes
    test::writeBytes(path, b);
    withFile(path, [&](hid_t, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(g),
                  "an object header at " + std::to_string(g) + " continues for " +
                      std::to_string(length + (std::uint64_t{2} << 32)) + " bytes at " +
                      std::to_string(to) + ", past the end of the file");
    });
}

// The link message of "g" in the root group's header: version 1, flags 0x10 (an encoding byte,
// a 1-byte name length), UTF-8, the name's length 1, the name; then the group's address.
std::size_t linkOfG(const std::vector<unsigned char>& b) { return find(b, {1, 0x10, 1, 1, 'g'}); }

TEST(HeapCheck, AGroupsLinkNamesAreReadFromItsHeaderInNameOrder) {
    withFile(writeSample("names"), [](hid_t file, h5::HeapCheck& check) {
        std::vector<std::string> names;
        std::string why = "unset";
        // Written "one" then "g": listed in name order.
        ASSERT_TRUE(check.linkNames(file, names, why)) << why;
        EXPECT_EQ(why, "");
        EXPECT_EQ(names, (std::vector<std::string>{"g", "one"}));
        const hid_t g = H5Gopen2(file, "g", H5P_DEFAULT);
        ASSERT_GE(g, 0);
        // An empty group keeps a symbol table (libhdf5 turns a group into one with link
        // messages when a UTF-8 link is added): not read here, and not damaged.
        names = {"kept"};
        EXPECT_FALSE(check.linkNames(g, names, why));
        EXPECT_EQ(why, "");
        EXPECT_EQ(names, std::vector<std::string>{"kept"});
        H5Gclose(g);
    });
}

TEST(HeapCheck, ALinkNameRunningPastItsMessageIsReported) {
    const std::string path = writeSample("link-name");
    std::vector<unsigned char> b = test::fileBytes(path);
    b[linkOfG(b) + 3] = 0xf0;  // the name claims 240 bytes of a 16-byte message
    test::writeBytes(path, b);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.links(file), "a link's name runs past its message");
        std::vector<std::string> names;
        std::string why;
        EXPECT_FALSE(check.linkNames(file, names, why));
        EXPECT_EQ(why, "a link's name runs past its message");
        EXPECT_TRUE(names.empty());
    });
}

TEST(HeapCheck, ALinkPointingPastTheEndOfTheFileIsReported) {
    const std::string path = writeSample("link-address");
    std::vector<unsigned char> b = test::fileBytes(path);
    b[linkOfG(b) + 5 + 7] = 0x01;  // the address's top byte: 2^56 and more
    test::writeBytes(path, b);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.links(file), "link g points past the end of the file");
        std::vector<std::string> names;
        std::string why;
        EXPECT_FALSE(check.linkNames(file, names, why));
        EXPECT_EQ(why, "link g points past the end of the file");
    });
}

TEST(HeapCheck, AnEnumAttributeWhoseMemberNameLostItsTerminatorIsReported) {
    const std::string path = writeSample("enum");
    {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        ASSERT_GE(file, 0);
        test::writeBoolAttribute(file, "flag", 1);
        H5Fclose(file);
    }
    withFile(path, [](hid_t file, h5::HeapCheck& check) { EXPECT_EQ(check.attributes(file), ""); });
    // The enum's names, version 1: each null-padded to 8 bytes, then the values 0 and 1.
    std::vector<unsigned char> b = test::fileBytes(path);
    const std::size_t names = find(b, {'F', 'A', 'L', 'S', 'E', 0, 0, 0, 'T', 'R', 'U', 'E', 0, 0,
                                       0, 0, 0, 1});
    std::fill(b.begin() + static_cast<std::ptrdiff_t>(names + 12),
              b.begin() + static_cast<std::ptrdiff_t>(names + 16), 'X');
    test::writeBytes(path, b);
    withFile(path, [](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.attributes(file),
                  "attribute flag has a damaged datatype or dataspace: an enum member's name is "
                  "not terminated inside its message");
    });
}

TEST(HeapCheck, AVersion2ObjectHeaderIsRefused) {
    // libhdf5 writes version 2 headers (signature OHDR) when asked for its latest format, which
    // rotor never does.
    const std::string path = test::scratchDir("hdf5_heap") + "/latest.h5";
    {
        const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
        const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
        ASSERT_GE(file, 0);
        H5Gclose(H5Gcreate2(file, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        H5Fclose(file);
        H5Pclose(fapl);
    }
    const std::uint64_t g = addressOf(path, "g");
    const std::vector<unsigned char> b = test::fileBytes(path);
    ASSERT_EQ(std::string(b.begin() + static_cast<std::ptrdiff_t>(g),
                          b.begin() + static_cast<std::ptrdiff_t>(g + 4)),
              "OHDR");
    withFile(path, [&](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(g),
                  "an object header of version 2, which rotor does not write");
        EXPECT_EQ(check.attributes(file),
                  "an object header of version 2, which rotor does not write");
    });
}

TEST(HeapCheck, ASymbolTableGroupHoldingLinksIsRefusedAnEmptyOneIsChecked) {
    // Links created with ASCII names keep a group a symbol table (a version 1 B-tree and a local
    // heap); rotor's UTF-8 links never do, and an empty group of rotor's is one.
    const std::string path = test::scratchDir("hdf5_heap") + "/symbol-table.h5";
    {
        const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        ASSERT_GE(file, 0);
        const hid_t old = H5Gcreate2(file, "old", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Gclose(H5Gcreate2(old, "child", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        H5Gclose(old);
        H5Fclose(file);
    }
    const std::uint64_t old = addressOf(path, "old");
    withFile(path, [&](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.links(file, "old"),
                  "a group stored as a symbol table of links (old-style), which rotor does not "
                  "write");
        EXPECT_EQ(check.links(file, "old/child"), "");
        // Its header holds nothing else wrong.
        EXPECT_EQ(check.objectHeader(old), "");
    });
    // The child's local heap (its only one after the root's and old's, in creation order):
    // its data's size claims 2^40 bytes.
    std::vector<unsigned char> b = test::fileBytes(path);
    std::vector<std::size_t> heaps;
    const std::vector<unsigned char> signature = {'H', 'E', 'A', 'P', 0};
    for (auto it = b.begin();
         (it = std::search(it, b.end(), signature.begin(), signature.end())) != b.end(); ++it)
        heaps.push_back(static_cast<std::size_t>(it - b.begin()));
    ASSERT_EQ(heaps.size(), 3u);
    b[heaps[2] + 8 + 5] = 1;
    test::writeBytes(path, b);
    withFile(path, [&](hid_t file, h5::HeapCheck& check) {
        const std::string why = check.links(file, "old/child");
        EXPECT_NE(why.find("a group's name heap claims 1099511627"), std::string::npos) << why;
    });
}

TEST(HeapCheck, CompactDatasetsAndChunkedStringsAreRefused) {
    const std::string path = test::scratchDir("hdf5_heap") + "/layouts.h5";
    {
        const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        ASSERT_GE(file, 0);
        test::addForeignLayouts(file, H5P_DEFAULT);
        H5Fclose(file);
    }
    const std::uint64_t compact = addressOf(path, "compact");
    const std::uint64_t strings = addressOf(path, "chunked");
    withFile(path, [&](hid_t, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(compact), "a compact dataset, which rotor does not write");
        EXPECT_EQ(check.objectHeader(strings),
                  "a chunked dataset of datatype class 9, which rotor does not write");
    });
}

TEST(HeapCheck, AChunkOfAChunkedArrayPastTheEndOfTheFileIsReported) {
    // Doubles stored as rotor stores band matrices: chunked, shuffled and compressed, here in
    // four chunks of 16 values.
    const std::string path = test::scratchDir("hdf5_heap") + "/chunks.h5";
    {
        h5::File f(path);
        std::vector<double> x(64);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5 * static_cast<double>(i);
        h5::Storage storage{true};
        storage.chunkValues = 16;
        f.writeDoubles("x", x.data(), x.size(), storage);
        f.close();
    }
    const std::uint64_t x = addressOf(path, "x");
    haddr_t first = 0;
    hsize_t size = 0;
    withFile(path, [&](hid_t file, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(x), "");
        // The first chunk's address and stored size, as libhdf5 reports them.
        const hid_t ds = H5Dopen2(file, "x", H5P_DEFAULT);
        const hid_t space = H5Dget_space(ds);
        hsize_t chunks = 0, offset = 0;
        unsigned mask = 0;
        EXPECT_GE(H5Dget_num_chunks(ds, space, &chunks), 0);
        EXPECT_EQ(chunks, 4u);
        EXPECT_GE(H5Dget_chunk_info(ds, space, 0, &offset, &mask, &first, &size), 0);
        H5Sclose(space);
        H5Dclose(ds);
    });
    ASSERT_GT(size, 0u);
    ASSERT_LT(size, 0x1000000u);
    // The chunk index: one leaf node ("TREE", type 1, level 0) whose first key begins with the
    // first chunk's stored size, 24 bytes into the node.
    std::vector<unsigned char> b = test::fileBytes(path);
    const std::size_t node = find(b, {'T', 'R', 'E', 'E', 1, 0});
    b[node + 24 + 3] = 0x7f;
    test::writeBytes(path, b);
    withFile(path, [&](hid_t, h5::HeapCheck& check) {
        EXPECT_EQ(check.objectHeader(x), "a chunk of " + std::to_string(size + 0x7f000000) +
                                             " bytes at " + std::to_string(first) +
                                             " lies past the end of the file");
    });
}

}  // namespace hdf5_heap_test
}  // namespace
}  // namespace rotor
