// SPDX-License-Identifier: MIT
// The global heap behind variable-length strings, and the link indexes of groups, checked
// before libhdf5 reads them. A stored
// variable-length string is a reference (length, heap collection address, object index) into a
// global heap collection. Debian's libhdf5 1.10 trusts both: a damaged collection or reference
// makes H5HG_read dereference an object that is not there or copy more bytes than it allocated
// (a crash), makes H5HG__cache_heap_deserialize loop, and a damaged length makes it allocate up
// to 4 GiB. These functions read the references and the collections from the file's bytes
// themselves, walk each collection as libhdf5 will, and report a reference whose object is
// missing or of another length, or a collection libhdf5 cannot walk to its end. An object's
// header is checked here before libhdf5 opens the object, every message libhdf5 decodes with it
// (with hdf5_messages.hpp), and a group's links, in its header or in a fractal heap (with
// hdf5_links.hpp); layouts rotor never writes (a version 2 object header, a compact dataset,
// chunked strings, shared messages, a symbol table holding links) are refused rather than left
// to libhdf5. Internal to the files that call the HDF5 C API.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace rotor::h5 {

class HeapCheck {
public:
    // For the open file `file` (read through its sec2 or core driver; any other driver turns
    // the checks off).
    explicit HeapCheck(hid_t file);

    // "" when the variable-length strings of attribute `name` of the object `loc` (or of the
    // dataset `ds`) are consistent or not checked; otherwise what is wrong.
    std::string attribute(hid_t loc, const std::string& name, std::uint64_t values);
    std::string dataset(hid_t ds, std::uint64_t values);
    // objectHeader() of the open object `loc`: above all, every attribute message of it decodes
    // within its size (libhdf5 decodes every attribute of an object to find one, and crashed on
    // a damaged one, or read past it, e.g. an enum member's name that lost its terminator).
    std::string attributes(hid_t loc);
    // "" unless the object header at file address `address` (a hard link's target) is damaged
    // or of a layout rotor does not write, checked before libhdf5 loads it: a first or
    // continuation chunk larger than the file holds (libhdf5's metadata cache allocates a
    // chunk's claimed size before it reads it, up to 16 EiB for a continuation); a datatype,
    // dataspace, attribute, data layout, fill value or filter pipeline message that does not
    // decode within its size (hdf5_messages.hpp); a chunked dataset's index or chunks past the
    // end of the file. Refused as never written by rotor: a version 2 header (OHDR), shared
    // messages, external storage, compact datasets, chunked datasets of anything but numbers,
    // a header of more than 256 chunks or with one over 16 MiB.
    std::string objectHeader(std::uint64_t address);
    // objectHeader() of the object that the link `path` under `loc` points at, before libhdf5
    // opens it ("" for a soft or external link, or a missing one).
    std::string object(hid_t loc, const char* path);
    // The names of the attributes of `loc` in its object header's order, read from the header
    // (libhdf5 lists them by building a table of every attribute decoded, and crashed releasing
    // one it had decoded from a damaged message); false when the header is not followed here.
    bool attributeNames(hid_t loc, std::vector<std::string>& names);
    // "" unless the group `path` under `loc` (`loc` itself for "" or null) keeps its links in
    // a fractal heap or index whose address lies past the end of the file, where libhdf5 1.10
    // crashes reading it (H5F__accum_read) on the next link lookup; keeps them in its header
    // (compact storage, groups of up to 8 links) in a link message that runs past itself or
    // points past the end of the file (libhdf5 decodes them all to find one); or keeps them in
    // a fractal heap and name index (dense storage, larger groups) that are damaged or hold
    // such a link message (hdf5_links.hpp: every link decoded before libhdf5 looks one up);
    // or is an old-style group (a symbol table: a version 1 B-tree and a local heap) holding
    // links, which rotor never writes (an empty group of rotor's is one: its tree and heap are
    // checked).
    std::string links(hid_t loc, const char* path = nullptr);
    // The names of the links of the group `loc`, in name order, as read by links() from its
    // header or heap (libhdf5 lists them by building a table of every link decoded, and
    // crashed releasing one decoded from a damaged message). False when they are not read
    // here: `why` is then what is wrong with the group, or "" for a layout not followed here
    // (a symbol table: no link messages), which libhdf5 lists.
    bool linkNames(hid_t loc, std::vector<std::string>& names, std::string& why);

private:
    static const char* const kNoHeader;
    // The address of the object header of `path` under `loc` (`loc` itself for "" or null);
    // false when libhdf5 cannot tell what object it is.
    static bool headerOf(hid_t loc, const char* path, std::uint64_t& header);
    // `n` bytes at file address `at`; false when they are not all inside the file.
    bool read(std::uint64_t at, void* out, std::size_t n) const;
    // Checks `values` references of 16 bytes each, starting at `refs`.
    std::string references(const std::vector<unsigned char>& refs, std::uint64_t values);
    // One collection walked as libhdf5 walks it: object index -> (offset of its data inside the
    // collection, size); "" or what is wrong with it.
    struct Collection {
        std::string error;
        std::map<unsigned, std::pair<std::uint64_t, std::uint64_t>> objects;
    };
    const Collection& collection(std::uint64_t address);
    // A group's links as its version 1 header holds them or names their heap: what is wrong
    // with them, whether it keeps them all in the header or all in a heap read here, and then
    // their names (in the header's or the name index's order).
    struct Links {
        std::string error;
        bool compact = false;
        bool dense = false;
        std::vector<std::string> names;
    };
    const Links& group(std::uint64_t header);
    // Calls f(type, flags, data, size) on each message of the version 1 object header at
    // `header` (following continuations) until it returns true; false when none did or the
    // header is not one followed here (`followed`, if given: false when the header has more
    // than 256 chunks or one over 16 MiB, which are not read).
    template <class F>
    bool eachMessage(std::uint64_t header, F&& f, bool* followed = nullptr) const;
    // The messages of the version 1 header at `address` checked one by one (objectHeader()).
    std::string messages(std::uint64_t address);
    // An (empty) symbol table group's B-tree and local heap, named by its message `d`.
    std::string symbolTable(const unsigned char* d, std::uint64_t size);
    // The chunk index node at `tree` of a dataset of `dimensions` (its rank + 1) at `level`
    // (kAnyLevel: the root) and every node and chunk below it.
    static constexpr unsigned kAnyLevel = ~0U;
    std::string chunkIndex(std::uint64_t tree, unsigned dimensions, unsigned level,
                           std::set<std::uint64_t>& seen);
    // The data of the attribute message `name` in the version 1 object header at `header`;
    // false when it was not found or its layout is not one followed here.
    bool attributeData(std::uint64_t header, const std::string& name, std::uint64_t bytes,
                       std::vector<unsigned char>& out) const;

    int fd_ = -1;
    const unsigned char* const* memory_ = nullptr;  // the core driver's buffer
    std::uint64_t size_ = 0;
    bool usable_ = false;
    unsigned symbolK_ = 0;  // the superblock's group internal node K
    unsigned chunkK_ = 0;   // and indexed storage K
    std::map<std::uint64_t, Collection> collections_;
    // objectHeader() and links() by object header address.
    std::map<std::uint64_t, std::string> headers_;
    std::map<std::uint64_t, Links> groups_;
};

}  // namespace rotor::h5
