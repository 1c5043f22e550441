// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (link messages, fractal heap version 0),
// for files with 8-byte addresses and lengths, and the parameters libhdf5 1.10 derives from a
// heap's header (H5HF__hdr_finish_init, H5HF__dtable_init, H5HF__huge_init).
#include "engine/io/hdf5_links.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <utility>

namespace rotor::h5 {

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
constexpr unsigned kGroupHeapId = 7;         // H5G_DENSE_FHEAP_ID_LEN
constexpr unsigned kNameRecord = 4 + 7;      // the name's hash, its heap ID
constexpr unsigned kNameIndexType = 5;       // H5B2_GRP_DENSE_NAME_ID
constexpr unsigned kHugeRecord = 8 + 8 + 8;  // address, length, ID
constexpr unsigned kHugeIndexType = 1;       // H5B2_FHEAP_HUGE_INDIR_ID
constexpr std::uint64_t kMaxBlock = std::uint64_t{1} << 30;
// A link's name comes from a scenario file (at most 1 MiB unless --max-yaml-size says more).
constexpr std::uint64_t kMaxHugeLink = std::uint64_t{64} << 20;
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
    std::string huge(std::uint64_t address);
    std::string record(const unsigned char* r);

    const ReadBytes& read_;
    std::uint64_t fileSize_;
    // The heap's header.
    std::uint64_t heap_ = 0, managedSize_ = 0, start_ = 0, maxDirect_ = 0;
    std::uint64_t objects_ = 0;  // managed, in the blocks
    std::uint64_t maxObject_ = 0, hugeObjects_ = 0;
    unsigned width_ = 0, offsetBytes_ = 0, lengthBytes_ = 0, firstRowBits_ = 0;
    unsigned directRows_ = 0, maxRows_ = 0;
    bool blockChecksums_ = false;
    // Its direct blocks by their offset in the heap; its huge objects (links too long for a
    // block: over 4 KiB) by their ID: address and length.
    std::map<std::uint64_t, std::vector<unsigned char>> blocks_;
    std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> huge_;
    std::set<std::uint64_t> hugeRead_;
    std::set<std::uint64_t> seen_;  // every block and node read, by address
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
    const std::uint64_t hugeIndex = field(22, 8);
    managedSize_ = field(46, 8);
    objects_ = field(70, 8);
    hugeObjects_ = field(86, 8);
    if (field(102, 8) != 0) return at + " stores links as tiny objects";
    width_ = static_cast<unsigned>(field(110, 2));
    start_ = field(112, 8);
    maxDirect_ = field(120, 8);
    const auto addressBits = static_cast<unsigned>(field(128, 2));
    const std::uint64_t root = field(132, 8);
    const auto rootRows = static_cast<unsigned>(field(140, 2));
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
    if (hugeObjects_ > 0)
        if (std::string why = huge(hugeIndex); !why.empty()) return why;
    if (root == kUndefined) return objects_ == 0 ? "" : at + " holds links but no blocks";
    if (rootRows == 0) return direct(root, start_, 0);
    return indirect(root, rootRows, 0, 0);
}

std::string DenseGroup::indirect(std::uint64_t address, unsigned rows, std::uint64_t offset,
                                 unsigned depth) {
    const std::string at = "the link heap's indirect block at " + std::to_string(address);
    if (depth > kMaxDepth) return at + " lies too deep";
    if (rows == 0 || rows > maxRows_) return at + " claims " + std::to_string(rows) + " rows";
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

// A heap whose IDs are too short to hold an address and a length keeps its huge objects in a
// B-tree of (address, length, ID) records (H5HF__huge_init), each object unfiltered in the file.
std::string DenseGroup::huge(std::uint64_t address) {
    const Btree2 tree{read_, fileSize_, kHugeIndexType, kHugeRecord, "the link heap's huge index"};
    std::uint64_t records = 0;
    std::string why = walkBtree2(
        tree, address, seen_,
        [&](const unsigned char* r) -> std::string {
            const std::uint64_t at = littleEndian(r, 8);
            const std::uint64_t length = littleEndian(r + 8, 8);
            const std::uint64_t id = littleEndian(r + 16, 8);
            if (length == 0 || at >= fileSize_ || length > fileSize_ - at)
                return "the link heap's huge object " + std::to_string(id) +
                       " lies past the end of the file";
            if (length > kMaxHugeLink)
                return "the link heap's huge object " + std::to_string(id) + " claims " +
                       std::to_string(length) + " bytes, more than any link";
            if (!huge_.emplace(id, std::make_pair(at, length)).second)
                return "the link heap's huge object " + std::to_string(id) + " is listed twice";
            return "";
        },
        records);
    if (why.empty() && records != hugeObjects_)
        why = "the link heap counts " + std::to_string(hugeObjects_) +
              " huge objects, its huge index holds " + std::to_string(records);
    return why;
}

std::string DenseGroup::index(std::uint64_t address, std::vector<std::string>& names) {
    names_ = &names;
    const Btree2 tree{read_, fileSize_, kNameIndexType, kNameRecord, "the link name index"};
    std::uint64_t records = 0;
    if (std::string why = walkBtree2(
            tree, address, seen_, [this](const unsigned char* r) { return record(r); }, records);
        !why.empty())
        return why;
    // The heap counts its managed and its huge objects apart.
    if (records != objects_ + hugeObjects_)
        return "the link name index at " + std::to_string(address) + " holds " +
               std::to_string(records) + " links, the heap " +
               std::to_string(objects_ + hugeObjects_);
    return "";
}

// A record: the name's hash, then a heap ID (flags: version 0; a managed object's offset in the
// heap and its length, or a huge object's ID).
std::string DenseGroup::record(const unsigned char* r) {
    const std::uint64_t hash = littleEndian(r, 4);
    const unsigned char* id = r + 4;
    std::vector<unsigned char> object;
    const unsigned char* message = nullptr;
    std::uint64_t length = 0;
    if (id[0] == 0x10) {  // huge
        const std::uint64_t key = littleEndian(id + 1, static_cast<int>(kGroupHeapId - 1));
        const auto it = huge_.find(key);
        if (it == huge_.end())
            return "the link name index refers to huge object " + std::to_string(key) +
                   ", which the link heap does not hold";
        // Each read once: all reads together stay within the file's size.
        if (!hugeRead_.insert(key).second)
            return "the link name index refers to huge object " + std::to_string(key) + " twice";
        length = it->second.second;
        object.resize(static_cast<std::size_t>(length));
        if (!read_(it->second.first, object.data(), object.size()))
            return "the link heap's huge object " + std::to_string(key) + " cannot be read";
        message = object.data();
    } else if (id[0] == 0) {  // managed: in a direct block
        const std::uint64_t offset = littleEndian(id + 1, static_cast<int>(offsetBytes_));
        length = littleEndian(id + 1 + offsetBytes_, static_cast<int>(lengthBytes_));
        auto it = blocks_.upper_bound(offset);
        const auto outside = [&] {
            return "the link name index refers to " + std::to_string(length) + " bytes at offset " +
                   std::to_string(offset) + " of the link heap, outside its blocks";
        };
        if (length == 0 || length > maxObject_ || offset >= managedSize_ || it == blocks_.begin())
            return outside();
        --it;
        const std::vector<unsigned char>& block = it->second;
        const std::uint64_t inside = offset - it->first;
        const std::uint64_t prefix = 5 + 8 + offsetBytes_ + (blockChecksums_ ? 4 : 0);
        if (inside < prefix || inside >= block.size() || length > block.size() - inside)
            return outside();
        message = block.data() + inside;
    } else {
        return "the link name index refers to an object of unknown kind";
    }
    std::string name;
    if (std::string why = linkMessage(message, length, fileSize_, name); !why.empty()) return why;
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
