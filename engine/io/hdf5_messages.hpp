// SPDX-License-Identifier: MIT
// The object header messages libhdf5 1.10 decodes when it opens a dataset or looks up an
// attribute, decoded here first from the file's bytes within the size each message states.
// libhdf5 decodes them trusting every field: it copies enum and compound member names as C
// strings (past the message when the terminator is gone), allocates and copies a fill value of
// the size the message claims, and reads a dataset's values where its layout says. Layouts
// rotor never writes (compact datasets, other layout versions, external storage) are refused
// rather than decoded. Internal to engine/io.
#pragma once

#include <cstdint>
#include <string>

namespace rotor::h5 {

// What a datatype message declares, for the checks of the header or attribute holding it.
struct Datatype {
    unsigned cls = 0;        // HDF5's class: 0 integer, 1 float, 3 string, 6 compound, 8 enum, ...
    std::uint64_t size = 0;  // bytes of one element in the file
};

// A datatype message (versions 1 to 3, any class, nested up to 32 deep) decoded as libhdf5
// decodes it (H5O_dtype_decode_helper): "" when it decodes within its `size` bytes (every
// compound and enum member's name terminated inside them, every member inside its record, an
// enum's values inside them), otherwise what is wrong.
std::string datatypeMessage(const unsigned char* d, std::uint64_t size, Datatype& type);

// A dataspace message (versions 1 and 2): "" and its number of points (0 for a null
// dataspace) when its dimensions (and maximum dimensions) lie within its `size` bytes, its rank
// is at most 32 and the product does not overflow; otherwise what is wrong.
std::string dataspaceMessage(const unsigned char* d, std::uint64_t size, std::uint64_t& points);

// A data layout message as rotor writes it (version 3, contiguous or chunked).
struct Layout {
    bool chunked = false;
    std::uint64_t address = ~std::uint64_t{0};  // contiguous values or the chunk index
    std::uint64_t bytes = 0;                    // contiguous: their size
    unsigned dimensions = 0;                    // chunked: the rank + 1 (the element's size)
    std::uint64_t element = 0;                  // chunked: the last of the chunk's sizes
};

// "" when the layout message lies within its `size` bytes and what it points at lies inside
// a file of `fileSize` bytes; a compact dataset, a virtual one or another layout version
// (none of which rotor writes) is refused, as is anything damaged.
std::string layoutMessage(const unsigned char* d, std::uint64_t size, std::uint64_t fileSize,
                          Layout& layout);

// An attribute message (versions 1 to 3, not shared), as libhdf5 decodes every attribute of an
// object to find one: "" and its name when its name (terminated exactly at its stated size),
// datatype and dataspace decode within their stated sizes, those lie inside the message, and
// so do its values (as many as the dataspace holds, each of the datatype's size; 16 bytes each
// for variable-length values). A datatype or dataspace shared with another object (rotor
// shares none) is refused.
std::string attributeMessage(const unsigned char* d, std::uint64_t size, std::string& name);

// A fill value message (type 5, versions 1 to 3) or an old one (type 4): "" when the value it
// claims lies within its `size` bytes (libhdf5 allocates and copies the claimed size).
std::string fillValueMessage(unsigned type, const unsigned char* d, std::uint64_t size);

// A filter pipeline message (versions 1 and 2): "" when every filter's name (terminated) and
// values lie within its `size` bytes.
std::string filterPipelineMessage(const unsigned char* d, std::uint64_t size);

// What the messages of one object header declare, for the checks across them.
struct HeaderMessages {
    Datatype type;
    bool typed = false;  // a datatype message was seen
    Layout layout;
};

// One message of an object header (type `id`, its `flags`, `size` bytes at `d`) of a file of
// `fileSize` bytes, checked by the function above for its type (datatype, dataspace, fill
// value, data layout, filter pipeline, attribute): "" or what is wrong. A message shared with
// other objects (flag 0x02) and external storage, which rotor never writes, are refused; other
// messages pass. The datatype and layout are kept in `facts`.
std::string headerMessage(std::uint64_t id, unsigned flags, const unsigned char* d,
                          std::uint64_t size, std::uint64_t fileSize, HeaderMessages& facts);

}  // namespace rotor::h5
