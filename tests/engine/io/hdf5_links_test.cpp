// SPDX-License-Identifier: MIT
// A group's links in dense storage (more than 8 links: a fractal heap indexed by a version 2
// B-tree of name hashes) read before libhdf5 reads them: lookup3 against the published test
// values; on files the HDF5 wrapper writes, every link of a dense group found, in libhdf5's
// order, with the heap's direct and indirect blocks and the index's internal nodes walked for a
// large group; then, with bytes patched on disk as a damaged or hostile file carries them, the
// heap's header, a direct block, an index node and the link info message each refused before
// libhdf5 reads them, including damage that keeps every checksum right (a link info message
// pointing at another group's heap, a link message rewritten with its block's checksum).
#include "engine/io/hdf5_links.hpp"

#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_heap.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace hdf5_links_test {

// `prefix` and `i` in four digits.
std::string named(const std::string& prefix, int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d", i);
    return prefix + buf;
}

// Groups "a" (12 links: dense), "b" (20 links: dense) and "c" (3 links: compact).
std::string writeGroups(const std::string& name) {
    const std::string path = test::scratchDir("hdf5_links") + "/" + name + ".h5";
    h5::File f(path);
    const auto fill = [](h5::Group g, const std::string& prefix, int n) {
        for (int i = 0; i < n; ++i) g.createGroup(named(prefix, i));
    };
    fill(f.createGroup("a"), "strategy_", 12);
    fill(f.createGroup("b"), "cell_", 20);
    fill(f.createGroup("c"), "x", 3);
    f.close();
    return path;
}

// Offsets of every occurrence of the 4-byte signature `sig`.
std::vector<std::size_t> signatures(const std::vector<unsigned char>& b, const char* sig) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i + 4 <= b.size(); ++i)
        if (std::memcmp(b.data() + i, sig, 4) == 0) out.push_back(i);
    return out;
}

std::uint64_t at8(const std::vector<unsigned char>& b, std::size_t i) {
    std::uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | b[i + static_cast<std::size_t>(k)];
    return v;
}

// The offset of the link info message data (version 0, flags 0, heap, name index) naming the
// fractal heap at `heap`.
std::size_t linkInfoOf(const std::vector<unsigned char>& b, std::uint64_t heap) {
    for (std::size_t i = 2; i + 18 <= b.size(); ++i)
        if (b[i - 2] == 0 && b[i - 1] == 0 && at8(b, i) == heap) return i - 2;
    ADD_FAILURE() << "no link info message names the heap at " << heap;
    return 0;
}

// The structures of the dense group whose link names start with `prefix`: its heap, its
// first direct block, its name index and the index's root node (a leaf for 12 or 20 links).
struct Dense {
    std::size_t heap = 0, block = 0, index = 0, leaf = 0, info = 0;
};
Dense denseOf(const std::vector<unsigned char>& b, const std::string& prefix) {
    Dense d;
    for (std::size_t at : signatures(b, "FHDB"))
        if (std::search(b.begin() + static_cast<std::ptrdiff_t>(at),
                        b.begin() + static_cast<std::ptrdiff_t>(at + 512), prefix.begin(),
                        prefix.end()) != b.begin() + static_cast<std::ptrdiff_t>(at + 512))
            d.block = at;
    EXPECT_NE(d.block, 0U) << prefix;
    d.heap = static_cast<std::size_t>(at8(b, d.block + 5));  // the block's heap
    d.info = linkInfoOf(b, d.heap);
    d.index = static_cast<std::size_t>(at8(b, d.info + 10));
    d.leaf = static_cast<std::size_t>(at8(b, d.index + 16));  // the index's root
    return d;
}

// libhdf5's own listing of `group` by name (on a valid file: the reference).
std::vector<std::string> listedByLibhdf5(hid_t file, const char* group) {
    std::vector<std::string> out;
    H5Literate_by_name(
        file, group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->push_back(name);
            return 0;
        },
        &out, H5P_DEFAULT);
    return out;
}

struct Listing {
    std::string links;  // HeapCheck::links
    bool listed = false;
    std::string why;
    std::vector<std::string> names;
};

// HeapCheck on `group` of the file at `path`, opened read-only.
Listing check(const std::string& path, const char* group) {
    Listing out;
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_GE(file, 0);
    if (file < 0) return out;
    {
        h5::HeapCheck heap(file);
        out.links = heap.links(file, group);
        if (out.links.empty()) {
            const hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
            out.listed = heap.linkNames(g, out.names, out.why);
            H5Gclose(g);
        }
    }
    H5Fclose(file);
    return out;
}

TEST(Lookup3, PublishedValues) {
    // Bob Jenkins' lookup3.c, driver5: hashlittle("", 0, 0) and the "Four score" line.
    EXPECT_EQ(h5::lookup3(nullptr, 0, 0), 0xdeadbeefU);
    const std::string s = "Four score and seven years ago";
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    EXPECT_EQ(h5::lookup3(p, s.size(), 0), 0x17770551U);
    EXPECT_EQ(h5::lookup3(p, s.size(), 1), 0xcd628161U);
}

TEST(DenseLinks, EveryLinkOfADenseGroupIsReadInLibhdf5sOrder) {
    const std::string path = writeGroups("valid");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    for (const char* name : {"a", "b", "c"}) {
        const hid_t g = H5Gopen2(file, name, H5P_DEFAULT);
        H5G_info_t info{};
        ASSERT_GE(H5Gget_info(g, &info), 0);
        // libhdf5's default phase change: more than 8 links are stored dense.
        EXPECT_EQ(info.storage_type,
                  std::strcmp(name, "c") == 0 ? H5G_STORAGE_TYPE_COMPACT : H5G_STORAGE_TYPE_DENSE)
            << name;
        H5Gclose(g);
    }
    // Zero-padded numbers: name order is the numbers' order.
    std::vector<std::string> a, b;
    for (int i = 0; i < 12; ++i) a.push_back(named("strategy_", i));
    for (int i = 0; i < 20; ++i) b.push_back(named("cell_", i));
    EXPECT_EQ(listedByLibhdf5(file, "a"), a);
    EXPECT_EQ(listedByLibhdf5(file, "b"), b);
    H5Fclose(file);
    for (const auto& [group, names] : {std::pair{"a", a}, std::pair{"b", b}}) {
        const Listing l = check(path, group);
        EXPECT_EQ(l.links, "") << group;
        EXPECT_TRUE(l.listed) << group;
        EXPECT_EQ(l.why, "") << group;
        EXPECT_EQ(l.names, names) << group;
    }
}

TEST(DenseLinks, ALargeGroupsIndirectBlocksAndIndexNodesAreWalked) {
    // 1300 soft links with names of 500 bytes: about 660 KiB of link messages, more than the
    // direct blocks of a root indirect block hold (4 columns of 512 B to 64 KiB: 512 KiB), so
    // the heap has child indirect blocks; and more records than one level of index nodes
    // holds (45 per leaf, 24 per internal node of 512 bytes: 1149), so the index has depth 2.
    const std::string path = test::scratchDir("hdf5_links") + "/large.h5";
    const int n = 1300;
    {
        const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        ASSERT_GE(file, 0);
        const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
        H5Pset_char_encoding(lcpl, H5T_CSET_UTF8);  // as rotor writes: link messages
        const hid_t g = H5Gcreate2(file, "b", lcpl, H5P_DEFAULT, H5P_DEFAULT);
        for (int i = 0; i < n; ++i)
            ASSERT_GE(H5Lcreate_soft("/c", g, named(std::string(496, 'n'), i).c_str(), lcpl,
                                     H5P_DEFAULT),
                      0);
        H5Gclose(g);
        H5Pclose(lcpl);
        H5Fclose(file);
    }
    const std::vector<unsigned char> bytes = test::fileBytes(path);
    EXPECT_GE(signatures(bytes, "FHIB").size(), 2U);
    EXPECT_FALSE(signatures(bytes, "BTIN").empty());
    const auto indexes = signatures(bytes, "BTHD");
    ASSERT_EQ(indexes.size(), 1U);
    EXPECT_EQ(bytes[indexes[0] + 12], 2);
    const Listing l = check(path, "b");
    EXPECT_EQ(l.links, "");
    ASSERT_TRUE(l.listed) << l.why;
    std::vector<std::string> names;
    for (int i = 0; i < n; ++i) names.push_back(named(std::string(496, 'n'), i));
    EXPECT_EQ(l.names, names);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_EQ(listedByLibhdf5(file, "b"), names);
    H5Fclose(file);
}

TEST(DenseLinks, ALinkTooLongForTheHeapsBlocksIsReadFromItsHugeIndex) {
    // A link message over 4 KiB (libhdf5's largest managed object for a group's heap) is a
    // huge object: stored on its own, found through the heap's B-tree of (address, length, ID).
    const std::string path = test::scratchDir("hdf5_links") + "/huge.h5";
    const std::string longName = named(std::string(5000, 'h'), 0);
    {
        h5::File f(path);
        {
            h5::Group g = f.createGroup("a");
            for (int i = 0; i < 11; ++i) g.createGroup(named("strategy_", i));
            g.createGroup(longName);
        }
        f.close();
    }
    std::vector<unsigned char> b = test::fileBytes(path);
    const auto indexes = signatures(b, "BTHD");
    ASSERT_EQ(indexes.size(), 2U);  // the name index and the huge index
    std::vector<std::string> names;
    for (int i = 0; i < 11; ++i) names.push_back(named("strategy_", i));
    names.insert(names.begin(), longName);  // 'h' sorts before 's'
    const Listing l = check(path, "a");
    EXPECT_EQ(l.links, "");
    ASSERT_TRUE(l.listed) << l.why;
    EXPECT_EQ(l.names, names);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_EQ(listedByLibhdf5(file, "a"), names);
    H5Fclose(file);
    // The huge index (type 1) with a byte of its root record changed: its leaf's checksum.
    std::size_t huge = 0;
    for (std::size_t at : indexes)
        if (b[at + 5] == 1) huge = at;
    ASSERT_NE(huge, 0U);
    const std::size_t leaf = static_cast<std::size_t>(at8(b, huge + 16));
    ASSERT_EQ(std::memcmp(b.data() + leaf, "BTLF", 4), 0);
    b[leaf + 8] ^= 0x5a;
    const std::string damaged = path + ".damaged.h5";
    test::writeBytes(damaged, b);
    EXPECT_EQ(check(damaged, "a").links, "the link heap's huge index's node at " +
                                             std::to_string(leaf) + " fails its checksum");
}

// The file with one byte of `path` changed at `at` (xor 0x5a), checked on group `group`.
Listing flipped(const std::string& path, std::size_t at, const char* group) {
    std::vector<unsigned char> b = test::fileBytes(path);
    b[at] ^= 0x5a;
    const std::string damaged = path + ".damaged.h5";
    test::writeBytes(damaged, b);
    return check(damaged, group);
}

TEST(DenseLinks, ADamagedHeapHeaderBlockOrIndexNodeIsRefused) {
    const std::string path = writeGroups("damaged");
    const std::vector<unsigned char> b = test::fileBytes(path);
    // Two dense groups: two heaps, each with one direct block, and two name indexes with one
    // leaf each.
    ASSERT_EQ(signatures(b, "FRHP").size(), 2U);
    ASSERT_EQ(signatures(b, "FHDB").size(), 2U);
    ASSERT_EQ(signatures(b, "BTHD").size(), 2U);
    ASSERT_EQ(signatures(b, "BTLF").size(), 2U);
    const Dense a = denseOf(b, "strategy_");
    ASSERT_EQ(std::memcmp(b.data() + a.heap, "FRHP", 4), 0);
    ASSERT_EQ(std::memcmp(b.data() + a.index, "BTHD", 4), 0);
    ASSERT_EQ(std::memcmp(b.data() + a.leaf, "BTLF", 4), 0);
    const std::string heapA = std::to_string(a.heap);
    // The heap's table width (offset 110), its version, a byte of its direct block's links
    // (past its 21-byte prefix), a record of the index's leaf, the index's depth.
    EXPECT_EQ(flipped(path, a.heap + 110, "a").links,
              "the link heap at " + heapA + " fails its checksum");
    EXPECT_EQ(flipped(path, a.heap + 4, "a").links,
              "the link heap at " + heapA + " is damaged (signature or version)");
    EXPECT_EQ(flipped(path, a.block + 40, "a").links,
              "the link heap's direct block at " + std::to_string(a.block) + " fails its checksum");
    EXPECT_EQ(flipped(path, a.leaf + 6, "a").links,
              "the link name index's node at " + std::to_string(a.leaf) + " fails its checksum");
    EXPECT_EQ(flipped(path, a.index + 12, "a").links,
              "the link name index at " + std::to_string(a.index) + " fails its checksum");
    // The other groups are untouched.
    EXPECT_EQ(flipped(path, a.block + 40, "b").links, "");
    EXPECT_EQ(flipped(path, a.block + 40, "c").links, "");
}

TEST(DenseLinks, ALinkInfoMessagePointingAtAnotherGroupsHeapIsRefused) {
    // Every checksum holds: the index of "a" looks its records up in the heap of "b".
    const std::string path = writeGroups("redirected");
    std::vector<unsigned char> b = test::fileBytes(path);
    const Dense a = denseOf(b, "strategy_");
    const Dense other = denseOf(b, "cell_");
    const std::size_t info = a.info;
    for (int k = 0; k < 8; ++k)
        b[info + 2 + static_cast<std::size_t>(k)] = static_cast<unsigned char>(
            std::uint64_t{other.heap} >> (8 * k));
    const std::string damaged = path + ".damaged.h5";
    test::writeBytes(damaged, b);
    const Listing l = check(damaged, "a");
    // The blocks of "b" name its heap, so the heap itself is consistent; the records of "a"
    // hold the offsets of its own 25-byte link messages (21 + 25 k), which in the heap of "b"
    // (21-byte messages, at 21 + 21 j) land inside a message for every k but 0: the first
    // record in hash order lands on bytes that do not decode as a link.
    EXPECT_EQ(l.links, "a damaged link message");
    // The name index past the end of the file, or at a byte that starts no index.
    b = test::fileBytes(path);
    for (int k = 0; k < 8; ++k)
        b[info + 10 + static_cast<std::size_t>(k)] = static_cast<unsigned char>(std::uint64_t{64} >>
                                                                                (8 * k));
    test::writeBytes(damaged, b);
    EXPECT_EQ(check(damaged, "a").links,
              "the link name index at 64 is damaged (signature, version or type)");
}

TEST(DenseLinks, ALinkMessageRewrittenWithItsBlocksChecksumIsRefused) {
    // A hostile file recomputes the checksums: the link message itself must still decode.
    const std::string path = writeGroups("rewritten");
    std::vector<unsigned char> b = test::fileBytes(path);
    const std::size_t block = denseOf(b, "strategy_").block;
    // The first link message of "a" follows the block's 21-byte prefix: version 1, flags
    // 0x10 (encoding byte, 1-byte name length), UTF-8, the name's length 13.
    const std::size_t link = block + 21;
    ASSERT_EQ(b[link], 1);
    ASSERT_EQ(b[link + 1], 0x10);
    ASSERT_EQ(b[link + 3], 13);
    b[link + 3] = 0xf0;            // the name claims 240 bytes
    const std::size_t size = 512;  // the heap's first block: its start block size
    std::memset(b.data() + block + 17, 0, 4);
    const std::uint32_t sum = h5::lookup3(b.data() + block, size);
    for (int k = 0; k < 4; ++k)
        b[block + 17 + static_cast<std::size_t>(k)] = static_cast<unsigned char>(sum >> (8 * k));
    const std::string damaged = path + ".damaged.h5";
    test::writeBytes(damaged, b);
    EXPECT_EQ(check(damaged, "a").links, "a link's name runs past its message");
    // The name index of "b" claims depth 90, its header's checksum (over its first 34 bytes)
    // rewritten.
    b = test::fileBytes(path);
    const std::size_t index = denseOf(b, "cell_").index;
    b[index + 12] = 90;
    const std::uint32_t headerSum = h5::lookup3(b.data() + index, 34);
    for (int k = 0; k < 4; ++k)
        b[index + 34 + static_cast<std::size_t>(k)] = static_cast<unsigned char>(headerSum >>
                                                                                 (8 * k));
    test::writeBytes(damaged, b);
    EXPECT_EQ(check(damaged, "b").links, "the link name index at " + std::to_string(index) +
                                             " has an impossible node size, record size or depth");
}

}  // namespace hdf5_links_test
}  // namespace
}  // namespace rotor
