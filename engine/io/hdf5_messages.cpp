// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (datatype messages versions 1 to 3,
// dataspace versions 1 and 2, data layout version 3, fill value and filter pipeline messages),
// for files with 8-byte addresses and lengths, decoded as libhdf5 1.10 decodes them
// (H5Odtype.c, H5Osdspace.c, H5Olayout.c, H5Ofill.c, H5Opline.c).
#include "engine/io/hdf5_messages.hpp"

#include "engine/io/hdf5_btree2.hpp"

#include <cstring>

namespace rotor::h5 {

namespace {

constexpr std::uint64_t kUndefined = ~std::uint64_t{0};
constexpr int kMaxNesting = 32;
constexpr unsigned kMaxRank = 32;  // H5S_MAX_RANK

std::uint64_t le(const unsigned char* p, int bytes) { return littleEndian(p, bytes); }

const char* const kPast = "a datatype runs past its message";

// The bytes of one message read front to back; `at` never passes `size`.
struct Cursor {
    const unsigned char* d;
    std::uint64_t size;
    std::uint64_t at = 0;

    const unsigned char* here() const { return d + at; }
    bool skip(std::uint64_t n) {
        if (n > size - at) return false;
        at += n;
        return true;
    }
    // A null-terminated name terminated inside the message, skipped as libhdf5 skips it
    // (versions 1 and 2: padded to a multiple of 8 bytes).
    bool name(unsigned version) {
        const std::uint64_t left = size - at;
        const std::size_t n = strnlen(reinterpret_cast<const char*>(here()), left);
        if (n == left) return false;
        return skip(version >= 3 ? n + 1 : (n + 8) / 8 * 8);
    }
};

unsigned log2Floor(std::uint64_t n) {
    unsigned r = 0;
    while (n >>= 1) ++r;
    return r;
}

std::string decode(Cursor& c, int depth, Datatype& t);

std::string compound(Cursor& c, int depth, unsigned version, unsigned members, Datatype& t) {
    if (members == 0) return "a compound datatype of no members";
    for (unsigned m = 0; m < members; ++m) {
        if (!c.name(version))
            return "a compound member's name is not terminated inside its message";
        // Its offset: version 3 in as few bytes as the record's size needs (H5VM_limit_enc_size).
        const int offsetBytes = version >= 3 ? static_cast<int>(log2Floor(t.size) / 8 + 1) : 4;
        if (c.size - c.at < static_cast<std::uint64_t>(offsetBytes)) return kPast;
        const std::uint64_t offset = le(c.here(), offsetBytes);
        c.at += static_cast<std::uint64_t>(offsetBytes);
        // Version 1: an array member's rank (at most 4), reserved bytes, a permutation, and
        // four dimension sizes.
        std::uint64_t elements = 1;
        if (version == 1) {
            if (c.size - c.at < 28) return kPast;
            const unsigned rank = c.here()[0];
            if (rank > 4) return "a compound member of rank " + std::to_string(rank);
            for (unsigned k = 0; k < rank; ++k) {
                const std::uint64_t n = le(c.here() + 12 + std::size_t{4} * k, 4);
                if (n != 0 && elements > ~std::uint64_t{0} / n)
                    return "a compound member too large";
                elements *= n;
            }
            c.at += 28;
        }
        Datatype member;
        if (std::string why = decode(c, depth + 1, member); !why.empty()) return why;
        if (offset > t.size || (member.size != 0 && elements > (t.size - offset) / member.size))
            return "a compound member lies outside its record";
    }
    return "";
}

std::string decode(Cursor& c, int depth, Datatype& t) {
    if (depth > kMaxNesting) return "a datatype nested more than 32 deep";
    if (c.size - c.at < 8) return kPast;
    const unsigned char* h = c.here();
    const unsigned version = h[0] >> 4;
    const std::uint64_t bits = le(h + 1, 3);
    t.cls = h[0] & 0x0fU;
    t.size = le(h + 4, 4);
    c.at += 8;
    if (version < 1 || version > 3) return "a datatype of version " + std::to_string(version);
    if (t.size == 0) return "a datatype of 0 bytes";
    const auto members = static_cast<unsigned>(bits & 0xffff);
    switch (t.cls) {
        case 0:  // integer: bit offset, precision
        case 4:  // bit field: likewise
            return c.skip(4) ? "" : kPast;
        case 1:  // float: bit offset, precision, exponent and mantissa places, exponent bias
            return c.skip(12) ? "" : kPast;
        case 2:  // time: precision
            return c.skip(2) ? "" : kPast;
        case 3:  // string
        case 7:  // reference
            return "";
        case 5:  // opaque: its tag, of the length its bits state
            return c.skip(bits & 0xff) ? "" : kPast;
        case 6: return compound(c, depth, version, members, t);
        case 8: {  // enum: its integer base, the members' names, then their values
            Datatype base;
            if (std::string why = decode(c, depth + 1, base); !why.empty()) return why;
            if (base.cls != 0 || base.size != t.size)
                return "an enum whose base is not an integer of its size";
            for (unsigned m = 0; m < members; ++m)
                if (!c.name(version))
                    return "an enum member's name is not terminated inside its message";
            return c.skip(std::uint64_t{members} * base.size)
                       ? ""
                       : "an enum's values run past its message";
        }
        case 9: {  // variable-length sequence or string of its base type
            if ((bits & 0x0f) > 1) return "a variable-length datatype of unknown kind";
            Datatype base;
            return decode(c, depth + 1, base);
        }
        case 10: {  // array: rank, [reserved], dimension sizes, [permutation], base type
            if (version < 2) return "an array datatype of version 1";
            if (c.size - c.at < 1) return kPast;
            const unsigned rank = c.here()[0];
            if (rank == 0 || rank > kMaxRank)
                return "an array datatype of rank " + std::to_string(rank);
            if (!c.skip(1 + (version < 3 ? 3 : 0) +
                        std::uint64_t{4} * rank * (version < 3 ? 2 : 1)))
                return kPast;
            Datatype base;
            return decode(c, depth + 1, base);
        }
        default: return "a datatype of unknown class " + std::to_string(t.cls);
    }
}

}  // namespace

std::string datatypeMessage(const unsigned char* d, std::uint64_t size, Datatype& type) {
    Cursor c{d, size};
    return decode(c, 0, type);
}

std::string dataspaceMessage(const unsigned char* d, std::uint64_t size, std::uint64_t& points) {
    // Version, rank, flags (bit 0: maximum dimensions follow), version 2: the kind (scalar,
    // simple, null), version 1: reserved (5 bytes); then the dimensions of 8 bytes each.
    if (size < 4) return "a dataspace runs past its message";
    const unsigned version = d[0];
    const unsigned rank = d[1];
    if (version != 1 && version != 2) return "a dataspace of version " + std::to_string(version);
    if (rank > kMaxRank) return "a dataspace of rank " + std::to_string(rank);
    if (version == 2 && d[3] > 2) return "a dataspace of unknown kind " + std::to_string(d[3]);
    const std::uint64_t at = version == 1 ? 8 : 4;
    const std::uint64_t dims = std::uint64_t{8} * rank * ((d[2] & 0x01) != 0 ? 2 : 1);
    if (at > size || dims > size - at) return "a dataspace runs past its message";
    points = 1;
    if (version == 2 && d[3] == 2) {
        points = 0;
        return "";
    }
    for (unsigned k = 0; k < rank; ++k) {
        const std::uint64_t n = le(d + at + 8 * std::uint64_t{k}, 8);
        if (n != 0 && points > ~std::uint64_t{0} / n) return "a dataspace of too many points";
        points *= n;
    }
    return "";
}

std::string layoutMessage(const unsigned char* d, std::uint64_t size, std::uint64_t fileSize,
                          Layout& layout) {
    if (size < 2) return "a damaged data layout";
    if (d[0] != 3)
        return "a data layout of version " + std::to_string(d[0]) + ", which rotor does not write";
    switch (d[1]) {
        case 0: return "a compact dataset, which rotor does not write";
        case 1:  // contiguous: address, size
            if (size < 18) return "a damaged data layout";
            layout.address = le(d + 2, 8);
            layout.bytes = le(d + 10, 8);
            if (layout.address != kUndefined &&
                (layout.address > fileSize || layout.bytes > fileSize - layout.address))
                return "its values (" + std::to_string(layout.bytes) + " bytes at " +
                       std::to_string(layout.address) + ") lie past the end of the file";
            return "";
        case 2: {  // chunked: dimensions, the chunk index's address, the chunk's sizes
            if (size < 11) return "a damaged data layout";
            layout.chunked = true;
            layout.dimensions = d[2];
            layout.address = le(d + 3, 8);
            if (layout.dimensions < 2 || layout.dimensions > kMaxRank + 1 ||
                11 + std::uint64_t{4} * layout.dimensions > size)
                return "a damaged chunked data layout";
            for (unsigned k = 0; k < layout.dimensions; ++k)
                if (le(d + 11 + std::size_t{4} * k, 4) == 0) return "a chunk of size 0";
            layout.element = le(d + 11 + std::size_t{4} * (layout.dimensions - 1), 4);
            if (layout.address != kUndefined && layout.address >= fileSize)
                return "its chunk index lies past the end of the file";
            return "";
        }
        default:
            return "a data layout of class " + std::to_string(d[1]) +
                   ", which rotor does not write";
    }
}

std::string attributeMessage(const unsigned char* d, std::uint64_t size, std::string& name) {
    // Version (1), flags (versions 2 and 3: the datatype or dataspace is shared) or reserved,
    // the sizes of its name, datatype and dataspace (2 each), [version 3: the name's encoding
    // (1)], then those (version 1: each padded to 8 bytes), then the values.
    if (size < 8) return "an attribute message of " + std::to_string(size) + " bytes";
    const unsigned version = d[0];
    const std::uint64_t nameSize = le(d + 2, 2);
    const std::uint64_t typeSize = le(d + 4, 2);
    const std::uint64_t spaceSize = le(d + 6, 2);
    auto padded = [&](std::uint64_t n) { return version == 1 ? (n + 7) / 8 * 8 : n; };
    const std::uint64_t nameAt = version == 3 ? 9 : 8;
    const std::uint64_t typeAt = nameAt + padded(nameSize);
    const std::uint64_t spaceAt = typeAt + padded(typeSize);
    const std::uint64_t end = spaceAt + padded(spaceSize);
    if (version < 1 || version > 3 || end > size || nameSize == 0)
        return "an attribute message claims more than its " + std::to_string(size) +
               " bytes (version " + std::to_string(version) + ")";
    // The name is null-terminated exactly at its stated size (libhdf5 copies it as a C string,
    // past the message when the terminator is gone).
    const auto* n = reinterpret_cast<const char*>(d + nameAt);
    if (strnlen(n, static_cast<std::size_t>(nameSize)) != nameSize - 1)
        return "an attribute's name does not end where its message says";
    name.assign(n, static_cast<std::size_t>(nameSize - 1));
    if (version > 1 && (d[1] & 0x03) != 0)
        return "attribute " + name +
               " has a shared datatype or dataspace, which rotor does not write";
    Datatype type;
    std::uint64_t values = 0;
    std::string why = datatypeMessage(d + typeAt, typeSize, type);
    if (why.empty()) why = dataspaceMessage(d + spaceAt, spaceSize, values);
    if (!why.empty()) return "attribute " + name + " has a damaged datatype or dataspace: " + why;
    // A variable-length element is stored as its length, collection address and object index:
    // libhdf5 allocates the stated width and copies 16 bytes per value regardless.
    constexpr std::uint64_t kReference = 16;
    if (type.cls == 9 && type.size != kReference)
        return "attribute " + name + " stores variable-length values of " +
               std::to_string(type.size) + " bytes, not " + std::to_string(kReference);
    if (values != 0 && values > (size - end) / type.size)
        return "attribute " + name + " claims " + std::to_string(values) + " values of " +
               std::to_string(type.size) + " bytes, more than its message holds";
    return "";
}

std::string fillValueMessage(unsigned type, const unsigned char* d, std::uint64_t size) {
    // Old (type 4): the value's size (4), the value. New: version, then (versions 1 and 2)
    // allocation time, fill time, whether a value is defined, or (version 3) flags; a defined
    // value's size (4, signed) and the value.
    std::uint64_t at = 0;
    if (type == 5) {
        if (size < 1) return "a damaged fill value";
        const unsigned version = d[0];
        if (version < 1 || version > 3) return "a fill value of version " + std::to_string(version);
        if (version < 3) {
            if (size < 4) return "a damaged fill value";
            if (d[3] == 0) return "";
            at = 4;
        } else {
            if (size < 2 || (d[1] & ~0x3fU) != 0) return "a damaged fill value";
            if ((d[1] & 0x10) != 0 || (d[1] & 0x20) == 0) return "";
            at = 2;
        }
    }
    if (size < at + 4) return "a damaged fill value";
    const std::uint64_t n = le(d + at, 4);
    if (type == 5 && n >= 0x80000000U) return "";  // negative: no value (libhdf5 copies none)
    if (n > size - at - 4)
        return "a fill value of " + std::to_string(n) + " bytes runs past its message";
    return "";
}

std::string filterPipelineMessage(const unsigned char* d, std::uint64_t size) {
    // Version, the number of filters (at most 32), [version 1: reserved (6)]; each filter: its
    // ID, [its name's length], flags, the number of values, [its name], the values (4 bytes
    // each, version 1: padded to 8 bytes).
    const char* const bad = "a damaged filter pipeline";
    if (size < 2) return bad;
    const unsigned version = d[0];
    const unsigned filters = d[1];
    if ((version != 1 && version != 2) || filters > 32) return bad;
    Cursor c{d, size, version == 1 ? std::uint64_t{8} : 2};
    if (c.at > size) return bad;
    for (unsigned k = 0; k < filters; ++k) {
        if (size - c.at < 2) return bad;
        const std::uint64_t id = le(c.here(), 2);
        c.at += 2;
        std::uint64_t nameLength = 0;
        if (version == 1 || id >= 256) {
            if (size - c.at < 2) return bad;
            nameLength = le(c.here(), 2);
            c.at += 2;
            if (version == 1 && nameLength % 8 != 0) return bad;
        }
        if (size - c.at < 4) return bad;
        const std::uint64_t values = le(c.here() + 2, 2);
        c.at += 4;
        if (nameLength > 0) {
            if (nameLength > size - c.at ||
                strnlen(reinterpret_cast<const char*>(c.here()), nameLength) == nameLength)
                return "a filter's name is not terminated inside its message";
            c.at += nameLength;
        }
        if (!c.skip(4 * (values + (version == 1 ? values % 2 : 0)))) return bad;
    }
    return "";
}

std::string headerMessage(std::uint64_t id, unsigned flags, const unsigned char* d,
                          std::uint64_t size, std::uint64_t fileSize, HeaderMessages& facts) {
    if ((flags & 0x02) != 0)
        return "a message shared with other objects, which rotor does not write";
    std::uint64_t points = 0;
    std::string name;
    switch (id) {
        case 0x01: return dataspaceMessage(d, size, points);
        case 0x03: facts.typed = true; return datatypeMessage(d, size, facts.type);
        case 0x04:
        case 0x05: return fillValueMessage(static_cast<unsigned>(id), d, size);
        case 0x07: return "values stored in external files, which rotor does not write";
        case 0x08: return layoutMessage(d, size, fileSize, facts.layout);
        case 0x0B: return filterPipelineMessage(d, size);
        case 0x0C: return attributeMessage(d, size, name);
        default: return "";
    }
}

}  // namespace rotor::h5
