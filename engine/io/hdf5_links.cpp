// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (link messages, fractal heap version 0,
// version 2 B-trees), for files with 8-byte addresses and lengths, and the parameters libhdf5
// 1.10 derives from them (H5HF__dtable_init, H5B2__hdr_init).
#include "engine/io/hdf5_links.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

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

// Version 1: flags, [link type], [creation order], [name encoding], the name's length in 1 to
// 8 bytes, the name, then a hard link's address or a soft or external link's length-prefixed
// value.
std::string linkMessage(const unsigned char* d, std::uint64_t size, std::uint64_t fileSize,
                        std::string& name) {
    if (size < 2 || d[0] != 1 || (d[1] & ~0x1fU) != 0) return "a damaged link message";
    const unsigned flags = d[1];
    std::uint64_t at = 2;
    unsigned linkType = 0;
    if ((flags & 0x08) != 0) {
        if (at + 1 > size) return "a damaged link message";
        linkType = d[at++];
    }
    if ((flags & 0x04) != 0) at += 8;
    if ((flags & 0x10) != 0) {
        if (at + 1 > size || d[at] > 1) return "a damaged link message";  // ASCII or UTF-8
        ++at;
    }
    const int lengthBytes = 1 << (flags & 0x03);
    if (at + static_cast<std::uint64_t>(lengthBytes) > size) return "a damaged link message";
    const std::uint64_t length = littleEndian(d + at, lengthBytes);
    at += static_cast<std::uint64_t>(lengthBytes);
    if (length == 0 || length > size - at) return "a link's name runs past its message";
    const auto* n = reinterpret_cast<const char*>(d + at);
    if (std::memchr(n, '\0', static_cast<std::size_t>(length)) != nullptr)
        return "a link's name holds a null byte";
    at += length;
    if (linkType == 0) {  // hard: the object's header address
        if (at + 8 > size) return "link " + std::string(n, length) + " runs past its message";
        if (littleEndian(d + at, 8) >= fileSize)
            return "link " + std::string(n, length) + " points past the end of the file";
    } else if (linkType == 1 || linkType == 64) {  // soft or external: length, value
        if (at + 2 > size || littleEndian(d + at, 2) > size - at - 2)
            return "link " + std::string(n, length) + " runs past its message";
    } else {
        return "link " + std::string(n, length) + " is of unknown type " + std::to_string(linkType);
    }
    name.assign(n, static_cast<std::size_t>(length));
    return "";
}

namespace {

constexpr std::uint64_t kUndefined = ~std::uint64_t{0};
constexpr unsigned kGroupHeapId = 7;     // H5G_DENSE_FHEAP_ID_LEN
constexpr unsigned kNameRecord = 4 + 7;  // the name's hash, its heap ID
constexpr unsigned kNameIndexType = 5;   // H5B2_GRP_DENSE_NAME_ID
constexpr std::uint64_t kMaxBlock = std::uint64_t{1} << 30;
constexpr std::uint64_t kMaxNode = std::uint64_t{1} << 20;
constexpr unsigned kMaxDepth = 16;

unsigned log2Floor(std::uint64_t n) {
    unsigned r = 0;
    while (n >>= 1) ++r;
    return r;
}

bool powerOfTwo(std::uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// Bytes that encode counts up to `n` (H5VM_limit_enc_size).
unsigned countBytes(std::uint64_t n) { return log2Floor(n) / 8 + 1; }

// The checksum stored after the first `n` bytes of `b` is theirs.
bool checksummed(const std::vector<unsigned char>& b, std::size_t n) {
    return n + 4 <= b.size() && lookup3(b.data(), n) == littleEndian(b.data() + n, 4);
}

class DenseGroup {
public:
    DenseGroup(const ReadBytes& read, std::uint64_t fileSize) : read_(read), fileSize_(fileSize) {}

    std::string heap(std::uint64_t address);
    std::string index(std::uint64_t address, std::vector<std::string>& names);

private:
    std::string bytesAt(std::uint64_t address, std::uint64_t n, const char* what,
                        std::vector<unsigned char>& out);
    std::uint64_t rowBlockSize(unsigned row) const {
        return row == 0 ? start_ : start_ << (row - 1);
    }
    std::uint64_t rowOffset(unsigned row) const {
        return row == 0 ? 0 : (start_ * width_) << (row - 1);
    }
    std::string indirect(std::uint64_t address, unsigned rows, std::uint64_t offset,
                         unsigned depth);
    std::string direct(std::uint64_t address, std::uint64_t size, std::uint64_t offset);
    std::string node(std::uint64_t address, unsigned depth, std::uint64_t records,
                     std::uint64_t& counted);
    std::string record(const unsigned char* r);

    const ReadBytes& read_;
    std::uint64_t fileSize_;
    // The heap's header.
    std::uint64_t heap_ = 0, managedSize_ = 0, objects_ = 0, start_ = 0, maxDirect_ = 0;
    std::uint64_t maxObject_ = 0;
    unsigned width_ = 0, offsetBytes_ = 0, lengthBytes_ = 0, firstRowBits_ = 0;
    unsigned directRows_ = 0, maxRows_ = 0;
    bool blockChecksums_ = false;
    // Its direct blocks by their offset in the heap.
    std::map<std::uint64_t, std::vector<unsigned char>> blocks_;
    std::set<std::uint64_t> seen_;  // every block and node read, by address
    // The name index's header.
    std::uint64_t nodeSize_ = 0;
    std::vector<std::uint64_t> maxRecords_;  // per depth
    std::vector<unsigned> totalBytes_;       // bytes of a subtree's record count, per depth
    unsigned countBytes_ = 0;                // bytes of a child's record count
    std::vector<std::string>* names_ = nullptr;
    std::set<std::string> distinct_;
};

std::string DenseGroup::bytesAt(std::uint64_t address, std::uint64_t n, const char* what,
                                std::vector<unsigned char>& out) {
    if (address == kUndefined || address >= fileSize_ || n > fileSize_ - address)
        return std::string(what) + " at " + std::to_string(address) +
               " lies past the end of the file";
    if (!seen_.insert(address).second)
        return std::string(what) + " at " + std::to_string(address) + " is claimed twice";
    out.resize(static_cast<std::size_t>(n));
    if (!read_(address, out.data(), out.size()))
        return std::string(what) + " at " + std::to_string(address) + " cannot be read";
    return "";
}

std::string DenseGroup::heap(std::uint64_t address) {
    heap_ = address;
    std::vector<unsigned char> h;
    // Signature, version, heap ID length, filters' length, flags, the largest managed object,
    // the huge objects' next ID and index, free space and its manager, eight statistics, the
    // doubling table (width, start and largest direct block sizes, address bits, start rows,
    // root block, current rows), checksum.
    constexpr std::uint64_t kHeader = 146;
    if (std::string why = bytesAt(address, kHeader, "the link heap", h); !why.empty()) return why;
    const std::string at = "the link heap at " + std::to_string(address);
    if (std::memcmp(h.data(), "FRHP", 4) != 0 || h[4] != 0)
        return at + " is damaged (signature or version)";
    if (!checksummed(h, kHeader - 4)) return at + " fails its checksum";
    const auto field = [&](std::size_t off, int bytes) {
        return littleEndian(h.data() + off, bytes);
    };
    if (field(5, 2) != kGroupHeapId || field(7, 2) != 0)
        return at + " has heap IDs of " + std::to_string(field(5, 2)) +
               " bytes or filters, not as libhdf5 writes a group's";
    blockChecksums_ = (h[9] & 0x02) != 0;
    maxObject_ = field(10, 4);
    managedSize_ = field(46, 8);
    objects_ = field(70, 8);
    if (field(86, 8) != 0 || field(102, 8) != 0)
        return at + " stores links outside its blocks (huge or tiny objects)";
    width_ = static_cast<unsigned>(field(110, 2));
    start_ = field(112, 8);
    maxDirect_ = field(120, 8);
    const unsigned addressBits = static_cast<unsigned>(field(128, 2));
    const std::uint64_t root = field(132, 8);
    const unsigned rootRows = static_cast<unsigned>(field(140, 2));
    // As H5HF__hdr_finish_init and H5HF__dtable_init derive the table.
    if (!powerOfTwo(width_) || !powerOfTwo(start_) || !powerOfTwo(maxDirect_) ||
        maxDirect_ < start_ || maxDirect_ > kMaxBlock || addressBits > 63 ||
        log2Floor(start_) + log2Floor(width_) > addressBits ||
        log2Floor(maxDirect_) >= addressBits || maxObject_ == 0 || maxObject_ > maxDirect_)
        return at + " has an impossible block table";
    firstRowBits_ = log2Floor(start_) + log2Floor(width_);
    maxRows_ = addressBits - firstRowBits_ + 1;
    directRows_ = log2Floor(maxDirect_) - log2Floor(start_) + 2;
    offsetBytes_ = (addressBits + 7) / 8;
    lengthBytes_ = std::min((log2Floor(maxDirect_) + 7) / 8, countBytes(maxObject_));
    if (1 + offsetBytes_ + lengthBytes_ > kGroupHeapId)
        return at + " has heap IDs too short for its table";
    if (root == kUndefined) return objects_ == 0 ? "" : at + " holds links but no blocks";
    if (rootRows == 0) return direct(root, start_, 0);
    if (rootRows > maxRows_) return at + " claims " + std::to_string(rootRows) + " rows";
    return indirect(root, rootRows, 0, 0);
}

std::string DenseGroup::indirect(std::uint64_t address, unsigned rows, std::uint64_t offset,
                                 unsigned depth) {
    const std::string at = "the link heap's indirect block at " + std::to_string(address);
    if (depth > kMaxDepth) return at + " lies too deep";
    const std::uint64_t entries = std::uint64_t{rows} * width_;
    const std::uint64_t prefix = 5 + 8 + offsetBytes_;
    std::vector<unsigned char> b;
    if (std::string why = bytesAt(address, prefix + 8 * entries + 4,
                                  "the link heap's indirect block", b);
        !why.empty())
        return why;
    if (std::memcmp(b.data(), "FHIB", 4) != 0 || b[4] != 0) return at + " is damaged";
    if (!checksummed(b, static_cast<std::size_t>(prefix + 8 * entries)))
        return at + " fails its checksum";
    if (littleEndian(b.data() + 5, 8) != heap_ ||
        littleEndian(b.data() + 13, static_cast<int>(offsetBytes_)) != offset)
        return at + " belongs to another heap or place";
    for (std::uint64_t k = 0; k < entries; ++k) {
        const std::uint64_t child = littleEndian(b.data() + prefix + 8 * k, 8);
        if (child == kUndefined) continue;
        const auto row = static_cast<unsigned>(k / width_);
        const std::uint64_t childOffset = offset + rowOffset(row) +
                                          (k % width_) * rowBlockSize(row);
        std::string why;
        if (row < directRows_) {
            why = direct(child, rowBlockSize(row), childOffset);
        } else {
            // A child indirect block spans one block of its row (H5HF__man_dblock_locate).
            const unsigned childRows = log2Floor(rowBlockSize(row)) - firstRowBits_ + 1;
            why = indirect(child, childRows, childOffset, depth + 1);
        }
        if (!why.empty()) return why;
    }
    return "";
}

std::string DenseGroup::direct(std::uint64_t address, std::uint64_t size, std::uint64_t offset) {
    const std::string at = "the link heap's direct block at " + std::to_string(address);
    std::vector<unsigned char> b;
    if (std::string why = bytesAt(address, size, "the link heap's direct block", b); !why.empty())
        return why;
    const std::size_t prefix = 5 + 8 + offsetBytes_;
    if (b.size() < prefix + 4 || std::memcmp(b.data(), "FHDB", 4) != 0 || b[4] != 0)
        return at + " is damaged";
    if (littleEndian(b.data() + 5, 8) != heap_ ||
        littleEndian(b.data() + 13, static_cast<int>(offsetBytes_)) != offset)
        return at + " belongs to another heap or place";
    if (blockChecksums_) {
        // Over the whole block, its checksum field zeroed.
        const std::uint64_t stored = littleEndian(b.data() + prefix, 4);
        std::memset(b.data() + prefix, 0, 4);
        if (lookup3(b.data(), b.size()) != stored) return at + " fails its checksum";
    }
    blocks_[offset] = std::move(b);
    return "";
}

std::string DenseGroup::index(std::uint64_t address, std::vector<std::string>& names) {
    names_ = &names;
    std::vector<unsigned char> h;
    // Signature, version, type, node size, record size, depth, split and merge percentages,
    // root node, its records, all records, checksum.
    constexpr std::uint64_t kHeader = 38;
    if (std::string why = bytesAt(address, kHeader, "the link name index", h); !why.empty())
        return why;
    const std::string at = "the link name index at " + std::to_string(address);
    if (std::memcmp(h.data(), "BTHD", 4) != 0 || h[4] != 0 || h[5] != kNameIndexType)
        return at + " is damaged (signature, version or type)";
    if (!checksummed(h, kHeader - 4)) return at + " fails its checksum";
    nodeSize_ = littleEndian(h.data() + 6, 4);
    const std::uint64_t recordSize = littleEndian(h.data() + 10, 2);
    const auto depth = static_cast<unsigned>(littleEndian(h.data() + 12, 2));
    const std::uint64_t root = littleEndian(h.data() + 16, 8);
    const std::uint64_t rootRecords = littleEndian(h.data() + 24, 2);
    const std::uint64_t total = littleEndian(h.data() + 26, 8);
    if (recordSize != kNameRecord || nodeSize_ < 10 + 2 * kNameRecord + 64 ||
        nodeSize_ > kMaxNode || depth > kMaxDepth)
        return at + " has an impossible node size, record size or depth";
    // Records per node, and the bytes of the counts in a node's child pointers, by depth, as
    // H5B2__hdr_init computes them.
    maxRecords_.assign(depth + 1, 0);
    totalBytes_.assign(depth + 1, 0);
    maxRecords_[0] = (nodeSize_ - 10) / kNameRecord;
    countBytes_ = countBytes(maxRecords_[0]);
    std::uint64_t cumulative = maxRecords_[0];
    for (unsigned u = 1; u <= depth; ++u) {
        const std::uint64_t pointer = 8 + countBytes_ + (u > 1 ? totalBytes_[u - 1] : 0);
        if (nodeSize_ < 10 + pointer) return at + " has nodes too small for its depth";
        maxRecords_[u] = (nodeSize_ - (10 + pointer)) / (kNameRecord + pointer);
        if (maxRecords_[u] == 0 || cumulative > (std::uint64_t{1} << 56) / (maxRecords_[u] + 1))
            return at + " has nodes too small for its depth";
        cumulative = (maxRecords_[u] + 1) * cumulative + maxRecords_[u];
        totalBytes_[u] = countBytes(cumulative);
    }
    std::uint64_t counted = 0;
    if (root == kUndefined) {
        if (total != 0 || rootRecords != 0) return at + " counts links but has no root";
    } else {
        if (std::string why = node(root, depth, rootRecords, counted); !why.empty()) return why;
    }
    if (counted != total || total != objects_)
        return at + " holds " + std::to_string(counted) + " links, counts " +
               std::to_string(total) + ", and the heap " + std::to_string(objects_);
    return "";
}

std::string DenseGroup::node(std::uint64_t address, unsigned depth, std::uint64_t records,
                             std::uint64_t& counted) {
    const std::string at = "the link name index's node at " + std::to_string(address);
    if (records > maxRecords_[depth])
        return at + " claims " + std::to_string(records) + " links, more than it can hold";
    std::vector<unsigned char> b;
    // libhdf5 reads a whole node.
    if (std::string why = bytesAt(address, nodeSize_, "the link name index's node", b);
        !why.empty())
        return why;
    const bool leaf = depth == 0;
    if (std::memcmp(b.data(), leaf ? "BTLF" : "BTIN", 4) != 0 || b[4] != 0 ||
        b[5] != kNameIndexType)
        return at + " is damaged (signature, version or type)";
    const std::uint64_t pointer = 8 + countBytes_ + (depth > 1 ? totalBytes_[depth - 1] : 0);
    const std::uint64_t used = 6 + records * kNameRecord + (leaf ? 0 : (records + 1) * pointer);
    if (used + 4 > nodeSize_ || !checksummed(b, static_cast<std::size_t>(used)))
        return at + " fails its checksum";
    for (std::uint64_t i = 0; i < records; ++i)
        if (std::string why = record(b.data() + 6 + i * kNameRecord); !why.empty()) return why;
    counted += records;
    if (leaf) return "";
    const unsigned char* p = b.data() + 6 + records * kNameRecord;
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
            return at + " counts " + std::to_string(claimed) + " links under a child holding " +
                   std::to_string(below);
        counted += below;
    }
    return "";
}

// A record: the name's hash, then a heap ID (flags: version 0, managed; the object's offset in
// the heap and its length).
std::string DenseGroup::record(const unsigned char* r) {
    const std::uint64_t hash = littleEndian(r, 4);
    const unsigned char* id = r + 4;
    if ((id[0] & 0xf0) != 0)
        return "the link name index refers to an object not in the heap's blocks";
    const std::uint64_t offset = littleEndian(id + 1, static_cast<int>(offsetBytes_));
    const std::uint64_t length = littleEndian(id + 1 + offsetBytes_,
                                              static_cast<int>(lengthBytes_));
    auto it = blocks_.upper_bound(offset);
    const std::string bad = "the link name index refers to " + std::to_string(length) +
                            " bytes at offset " + std::to_string(offset) + " of the link heap, ";
    if (length == 0 || length > maxObject_ || offset >= managedSize_ || it == blocks_.begin())
        return bad + "outside its blocks";
    --it;
    const std::vector<unsigned char>& block = it->second;
    const std::uint64_t inside = offset - it->first;
    const std::uint64_t prefix = 5 + 8 + offsetBytes_ + (blockChecksums_ ? 4 : 0);
    if (inside < prefix || inside >= block.size() || length > block.size() - inside)
        return bad + "outside its blocks";
    std::string name;
    if (std::string why = linkMessage(block.data() + inside, length, fileSize_, name); !why.empty())
        return why;
    if (lookup3(reinterpret_cast<const unsigned char*>(name.data()), name.size()) != hash)
        return "link " + name + " is not the one its name index records";
    if (!distinct_.insert(name).second) return "link " + name + " is listed twice";
    names_->push_back(std::move(name));
    return "";
}

}  // namespace

std::string denseLinks(const ReadBytes& read, std::uint64_t fileSize, std::uint64_t heap,
                       std::uint64_t nameIndex, std::vector<std::string>& names) {
    names.clear();
    DenseGroup group(read, fileSize);
    std::string why = group.heap(heap);
    if (why.empty()) why = group.index(nameIndex, names);
    if (!why.empty()) names.clear();
    return why;
}

}  // namespace rotor::h5
