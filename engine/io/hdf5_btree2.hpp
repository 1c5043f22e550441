// SPDX-License-Identifier: MIT
// Version 2 B-trees of an HDF5 file read from its bytes, as libhdf5 1.10 reads them, so that a
// damaged tree is found before libhdf5 walks it (libhdf5 trusts a node's record count and
// reads past the node for a larger one). Also the byte helpers the other structure checks
// share. Internal to engine/io.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace rotor::h5 {

// `bytes` little-endian bytes at `p` as an unsigned number.
std::uint64_t littleEndian(const unsigned char* p, int bytes);

// Bob Jenkins' lookup3 hash (hashlittle), as libhdf5's H5_checksum_lookup3: the checksum of
// every fractal heap and version 2 B-tree structure, and the hash of a link's name in a
// group's name index.
std::uint32_t lookup3(const unsigned char* p, std::size_t n, std::uint32_t initial = 0);

// Reads `n` bytes at file address `at`; false when they are not all inside the file.
using ReadBytes = std::function<bool(std::uint64_t at, void* out, std::size_t n)>;

// One version 2 B-tree whose records are all `recordSize` bytes, of B-tree type `type`.
struct Btree2 {
    const ReadBytes& read;
    std::uint64_t fileSize;
    unsigned type;
    unsigned recordSize;
    std::string what;  // for messages, e.g. "the link name index"
};

// Walks the tree whose header is at `address`: its header and every node must carry their
// signature, version 0, the tree's type and a correct checksum, lie inside the file, hold no
// more records than a node of their depth can, and count the records below them right; every
// address read is added to `seen` and may not be read twice (no cycles, no shared nodes).
// Calls `onRecord` on each record, in the tree's order, until it returns what is wrong.
// "" and the number of records, or what is wrong.
std::string walkBtree2(const Btree2& tree, std::uint64_t address, std::set<std::uint64_t>& seen,
                       const std::function<std::string(const unsigned char*)>& onRecord,
                       std::uint64_t& records);

}  // namespace rotor::h5
