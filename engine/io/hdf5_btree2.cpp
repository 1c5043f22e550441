// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (version 2 B-trees), for files with 8-byte
// addresses and lengths, and the parameters libhdf5 1.10 derives from a tree's header
// (H5B2__hdr_init).
#include "engine/io/hdf5_btree2.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace rotor::h5 {

std::uint64_t littleEndian(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

namespace {

std::uint32_t rotate(std::uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// Up to 4 bytes as a little-endian word.
std::uint32_t word(const unsigned char* p, std::size_t bytes) {
    std::uint32_t w = 0;
    for (std::size_t i = 0; i < bytes; ++i) w |= static_cast<std::uint32_t>(p[i]) << (8 * i);
    return w;
}

struct Lookup3 {
    std::uint32_t a, b, c;
    void mix() {
        a -= c;
        a ^= rotate(c, 4);
        c += b;
        b -= a;
        b ^= rotate(a, 6);
        a += c;
        c -= b;
        c ^= rotate(b, 8);
        b += a;
        a -= c;
        a ^= rotate(c, 16);
        c += b;
        b -= a;
        b ^= rotate(a, 19);
        a += c;
        c -= b;
        c ^= rotate(b, 4);
        b += a;
    }
    void last() {
        c ^= b;
        c -= rotate(b, 14);
        a ^= c;
        a -= rotate(c, 11);
        b ^= a;
        b -= rotate(a, 25);
        c ^= b;
        c -= rotate(b, 16);
        a ^= c;
        a -= rotate(c, 4);
        b ^= a;
        b -= rotate(a, 14);
        c ^= b;
        c -= rotate(b, 24);
    }
};

}  // namespace

std::uint32_t lookup3(const unsigned char* p, std::size_t n, std::uint32_t initial) {
    const std::uint32_t seed = 0xdeadbeefU + static_cast<std::uint32_t>(n) + initial;
    Lookup3 h{seed, seed, seed};
    while (n > 12) {
        h.a += word(p, 4);
        h.b += word(p + 4, 4);
        h.c += word(p + 8, 4);
        h.mix();
        n -= 12;
        p += 12;
    }
    if (n == 0) return h.c;
    // The last 1 to 12 bytes, zero-padded.
    h.a += word(p, std::min<std::size_t>(n, 4));
    if (n > 4) h.b += word(p + 4, std::min<std::size_t>(n - 4, 4));
    if (n > 8) h.c += word(p + 8, n - 8);
    h.last();
    return h.c;
}

namespace {

constexpr std::uint64_t kUndefined = ~std::uint64_t{0};
constexpr std::uint64_t kMaxNode = std::uint64_t{1} << 20;
constexpr unsigned kMaxDepth = 16;
constexpr std::uint64_t kNodePrefix = 10;  // signature, version, type; checksum

unsigned log2Floor(std::uint64_t n) {
    unsigned r = 0;
    while (n >>= 1) ++r;
    return r;
}

// Bytes that encode counts up to `n` (H5VM_limit_enc_size).
unsigned countBytes(std::uint64_t n) { return log2Floor(n) / 8 + 1; }

class Walker {
public:
    Walker(const Btree2& tree, std::set<std::uint64_t>& seen,
           const std::function<std::string(const unsigned char*)>& onRecord)
        : t_(tree), seen_(seen), onRecord_(onRecord) {}

    std::string header(std::uint64_t address, std::uint64_t& records);

private:
    std::string bytesAt(std::uint64_t address, std::uint64_t n, const std::string& what,
                        std::vector<unsigned char>& out);
    std::string node(std::uint64_t address, unsigned depth, std::uint64_t records,
                     std::uint64_t& counted);

    const Btree2& t_;
    std::set<std::uint64_t>& seen_;
    const std::function<std::string(const unsigned char*)>& onRecord_;
    std::uint64_t nodeSize_ = 0;
    std::vector<std::uint64_t> maxRecords_;  // per depth
    std::vector<unsigned> totalBytes_;       // bytes of a subtree's record count, per depth
    unsigned countBytes_ = 0;                // bytes of a child's record count
};

std::string Walker::bytesAt(std::uint64_t address, std::uint64_t n, const std::string& what,
                            std::vector<unsigned char>& out) {
    if (address == kUndefined || address >= t_.fileSize || n > t_.fileSize - address)
        return what + " at " + std::to_string(address) + " lies past the end of the file";
    if (!seen_.insert(address).second)
        return what + " at " + std::to_string(address) + " is claimed twice";
    out.resize(static_cast<std::size_t>(n));
    if (!t_.read(address, out.data(), out.size()))
        return what + " at " + std::to_string(address) + " cannot be read";
    return "";
}

std::string Walker::header(std::uint64_t address, std::uint64_t& records) {
    std::vector<unsigned char> h;
    // Signature, version, type, node size, record size, depth, split and merge percentages,
    // root node, its records, all records, checksum.
    constexpr std::uint64_t kHeader = 38;
    if (std::string why = bytesAt(address, kHeader, t_.what, h); !why.empty()) return why;
    const std::string at = t_.what + " at " + std::to_string(address);
    if (std::memcmp(h.data(), "BTHD", 4) != 0 || h[4] != 0 || h[5] != t_.type)
        return at + " is damaged (signature, version or type)";
    if (lookup3(h.data(), kHeader - 4) != littleEndian(h.data() + kHeader - 4, 4))
        return at + " fails its checksum";
    nodeSize_ = littleEndian(h.data() + 6, 4);
    const std::uint64_t recordSize = littleEndian(h.data() + 10, 2);
    const auto depth = static_cast<unsigned>(littleEndian(h.data() + 12, 2));
    const std::uint64_t root = littleEndian(h.data() + 16, 8);
    const std::uint64_t rootRecords = littleEndian(h.data() + 24, 2);
    const std::uint64_t total = littleEndian(h.data() + 26, 8);
    if (recordSize != t_.recordSize || nodeSize_ < kNodePrefix + 2 * recordSize + 64 ||
        nodeSize_ > kMaxNode || depth > kMaxDepth)
        return at + " has an impossible node size, record size or depth";
    // Records per node, and the bytes of the counts in a node's child pointers, by depth, as
    // H5B2__hdr_init computes them.
    maxRecords_.assign(depth + 1, 0);
    totalBytes_.assign(depth + 1, 0);
    maxRecords_[0] = (nodeSize_ - kNodePrefix) / recordSize;
    countBytes_ = countBytes(maxRecords_[0]);
    std::uint64_t cumulative = maxRecords_[0];
    for (unsigned u = 1; u <= depth; ++u) {
        const std::uint64_t pointer = 8 + countBytes_ + (u > 1 ? totalBytes_[u - 1] : 0);
        if (nodeSize_ < kNodePrefix + pointer) return at + " has nodes too small for its depth";
        maxRecords_[u] = (nodeSize_ - (kNodePrefix + pointer)) / (recordSize + pointer);
        if (maxRecords_[u] == 0 || cumulative > (std::uint64_t{1} << 56) / (maxRecords_[u] + 1))
            return at + " has nodes too small for its depth";
        cumulative = (maxRecords_[u] + 1) * cumulative + maxRecords_[u];
        totalBytes_[u] = countBytes(cumulative);
    }
    records = 0;
    if (root == kUndefined) {
        if (total != 0 || rootRecords != 0) return at + " counts records but has no root";
        return "";
    }
    if (std::string why = node(root, depth, rootRecords, records); !why.empty()) return why;
    if (records != total)
        return at + " counts " + std::to_string(total) + " records, its nodes hold " +
               std::to_string(records);
    return "";
}

std::string Walker::node(std::uint64_t address, unsigned depth, std::uint64_t records,
                         std::uint64_t& counted) {
    const std::string what = t_.what + "'s node";
    const std::string at = what + " at " + std::to_string(address);
    if (records > maxRecords_[depth])
        return at + " claims " + std::to_string(records) + " records, more than it can hold";
    std::vector<unsigned char> b;
    // libhdf5 reads a whole node.
    if (std::string why = bytesAt(address, nodeSize_, what, b); !why.empty()) return why;
    const bool leaf = depth == 0;
    if (std::memcmp(b.data(), leaf ? "BTLF" : "BTIN", 4) != 0 || b[4] != 0 || b[5] != t_.type)
        return at + " is damaged (signature, version or type)";
    const std::uint64_t pointer = 8 + countBytes_ + (depth > 1 ? totalBytes_[depth - 1] : 0);
    const std::uint64_t used = 6 + records * t_.recordSize + (leaf ? 0 : (records + 1) * pointer);
    if (used + 4 > nodeSize_ ||
        lookup3(b.data(), static_cast<std::size_t>(used)) != littleEndian(b.data() + used, 4))
        return at + " fails its checksum";
    for (std::uint64_t i = 0; i < records; ++i)
        if (std::string why = onRecord_(b.data() + 6 + i * t_.recordSize); !why.empty()) return why;
    counted += records;
    if (leaf) return "";
    const unsigned char* p = b.data() + 6 + records * t_.recordSize;
    for (std::uint64_t i = 0; i <= records; ++i, p += pointer) {
        const std::uint64_t child = littleEndian(p, 8);
        const std::uint64_t childRecords = littleEndian(p + 8, static_cast<int>(countBytes_));
        std::uint64_t below = 0;
        if (std::string why = node(child, depth - 1, childRecords, below); !why.empty()) return why;
        const std::uint64_t claimed = depth > 1
                                          ? littleEndian(p + 8 + countBytes_,
                                                         static_cast<int>(totalBytes_[depth - 1]))
                                          : childRecords;
        if (below != claimed)
            return at + " counts " + std::to_string(claimed) + " records under a child holding " +
                   std::to_string(below);
        counted += below;
    }
    return "";
}

}  // namespace

std::string walkBtree2(const Btree2& tree, std::uint64_t address, std::set<std::uint64_t>& seen,
                       const std::function<std::string(const unsigned char*)>& onRecord,
                       std::uint64_t& records) {
    Walker w(tree, seen, onRecord);
    return w.header(address, records);
}

}  // namespace rotor::h5
