// SPDX-License-Identifier: MIT
// A group's links read from the file's bytes before libhdf5 reads them: one link message, and
// the links of a group in dense storage (more than 8 links, or any group past libhdf5's
// compact-to-dense phase change), whose link messages lie in a fractal heap indexed by a
// version 2 B-tree of name hashes. libhdf5 1.10 decodes a link message without looking at its
// size, and follows the B-tree's heap IDs into the heap trusting both, so a damaged or
// misdirected index makes it decode bytes that are no link message (and crash releasing what
// it decoded). Internal to engine/io.
#pragma once

#include "engine/io/hdf5_btree2.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rotor::h5 {

// One link message (version 1) decoded within its `size` bytes: "" and its name, or what is
// wrong (its name or target runs past the message, its name holds a null byte, a hard link
// points at or past `fileSize`, an unknown link type).
std::string linkMessage(const unsigned char* d, std::uint64_t size, std::uint64_t fileSize,
                        std::string& name);

// The links of a group in dense storage, whose link info message names the fractal heap at
// `heap` and the name index at `nameIndex`: "" and the names of its links (in the index's
// order), or what is wrong. The heap's header, indirect and direct blocks and the index's
// header and nodes are each checked as libhdf5 reads them (signature, version, checksum, the
// heap they belong to, their place in the heap, sizes and counts within what their layout
// allows, every address inside the file), then every record of the index must name a link
// message lying inside one direct block, which must decode within its stated length to a
// name of the record's hash; the index, the heap and the walk must count the same links.
// A link too long for the heap's blocks (over 4 KiB) is a huge object, found through the heap's
// huge index (a version 2 B-tree, checked the same way) and read from the file. Layouts libhdf5
// never writes for a group (a filtered heap, tiny objects, other heap ID or record sizes) are
// refused too.
std::string denseLinks(const ReadBytes& read, std::uint64_t fileSize, std::uint64_t heap,
                       std::uint64_t nameIndex, std::vector<std::string>& names);

}  // namespace rotor::h5
