// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (version 1 object headers, attribute
// messages versions 1 to 3, global heap collections), for files with 8-byte addresses and
// lengths, as libhdf5 1.10 writes them by default.
#include "engine/io/hdf5_heap.hpp"

#include "engine/io/hdf5_links.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <utility>

namespace rotor::h5 {

namespace {

constexpr std::uint64_t kMaxCollection = std::uint64_t{1} << 30;  // far above any rotor string
constexpr std::uint64_t kMaxHeaderChunk = std::uint64_t{16} << 20;
constexpr int kMaxHeaderChunks = 256;
constexpr std::size_t kReference = 16;  // length (4), collection address (8), object index (4)

std::uint64_t le(const unsigned char* p, int bytes) { return littleEndian(p, bytes); }

std::uint64_t padded8(std::uint64_t n) { return (n + 7) / 8 * 8; }

// The number of points of a dataspace message (versions 1 and 2) of `size` bytes; false when
// it is damaged.
bool dataspacePoints(const unsigned char* d, std::uint64_t size, std::uint64_t& points) {
    if (size < 4) return false;
    const unsigned version = d[0];
    const unsigned rank = d[1];
    std::uint64_t at = 0;
    if (version == 1) {
        at = 8;
    } else if (version == 2) {
        if (d[3] == 2) {  // null dataspace
            points = 0;
            return true;
        }
        at = 4;
    } else {
        return false;
    }
    if (rank > 32 || at + 8 * std::uint64_t{rank} > size) return false;
    points = 1;
    for (unsigned k = 0; k < rank; ++k) {
        const std::uint64_t n = le(d + at + 8 * std::uint64_t{k}, 8);
        if (n != 0 && points > ~std::uint64_t{0} / n) return false;
        points *= n;
    }
    return true;
}

}  // namespace

HeapCheck::HeapCheck(hid_t file) {
    QuietErrors quiet;
    const hid_t fcpl = H5Fget_create_plist(file);
    std::size_t addressBytes = 0, lengthBytes = 0;
    const bool eight = fcpl >= 0 && H5Pget_sizes(fcpl, &addressBytes, &lengthBytes) >= 0 &&
                       addressBytes == 8 && lengthBytes == 8;
    if (fcpl >= 0) H5Pclose(fcpl);
    const hid_t fapl = H5Fget_access_plist(file);
    if (fapl < 0) return;
    const hid_t driver = H5Pget_driver(fapl);
    void* handle = nullptr;
    hsize_t size = 0;
    if (eight && H5Fget_vfd_handle(file, fapl, &handle) >= 0 && handle != nullptr &&
        H5Fget_filesize(file, &size) >= 0) {
        size_ = size;
        if (driver == H5FD_SEC2) {
            fd_ = *static_cast<int*>(handle);
            usable_ = fd_ >= 0;
        } else if (driver == H5FD_CORE) {
            // The core driver hands out the address of its buffer pointer.
            memory_ = static_cast<const unsigned char* const*>(handle);
            usable_ = *memory_ != nullptr;
        }
    }
    H5Pclose(fapl);
    H5Eclear2(H5E_DEFAULT);
}

// libhdf5 tells every valid object's kind from its header; a header it cannot tell one from
// is damaged, though libhdf5 may still read attributes from it.
const char* const HeapCheck::kNoHeader = "an object header that names no kind of object";

bool HeapCheck::headerOf(hid_t loc, const char* path, std::uint64_t& header) {
    QuietErrors quiet;
    H5O_info_t info{};
    const herr_t rc = path == nullptr || path[0] == '\0'
                          ? H5Oget_info2(loc, &info, H5O_INFO_BASIC)
                          : H5Oget_info_by_name2(loc, path, &info, H5O_INFO_BASIC, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    header = info.addr;
    return rc >= 0;
}

bool HeapCheck::read(std::uint64_t at, void* out, std::size_t n) const {
    if (at > size_ || n > size_ - at) return false;
    if (memory_ != nullptr) {
        if (n > 0) std::memcpy(out, *memory_ + at, n);
        return true;
    }
    auto* p = static_cast<char*>(out);
    while (n > 0) {
        const ssize_t got = ::pread(fd_, p, n, static_cast<off_t>(at));
        if (got <= 0) return false;
        p += got;
        at += static_cast<std::uint64_t>(got);
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

const HeapCheck::Collection& HeapCheck::collection(std::uint64_t address) {
    if (const auto it = collections_.find(address); it != collections_.end()) return it->second;
    Collection& c = collections_[address];
    const std::string at = "the global heap collection at " + std::to_string(address);
    unsigned char head[16];
    if (!read(address, head, sizeof head)) {
        c.error = at + " lies past the end of the file";
        return c;
    }
    const std::uint64_t size = le(head + 8, 8);
    if (std::memcmp(head, "GCOL", 4) != 0 || head[4] != 1 || size < sizeof head ||
        size > kMaxCollection) {
        c.error = at + " is damaged (signature, version or size " + std::to_string(size) + ")";
        return c;
    }
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    if (!read(address, bytes.data(), bytes.size())) {
        c.error = at + " claims " + std::to_string(size) + " bytes, past the end of the file";
        return c;
    }
    // As H5HG__cache_heap_deserialize: objects one after the other, each a 16-byte header
    // (index, reference count, reserved, size) and its data padded to 8 bytes; index 0 is the
    // free space, whose size includes its header; a tail shorter than a header is free space.
    std::uint64_t p = sizeof head;
    while (p < size) {
        const std::uint64_t left = size - p;
        if (left < 16) break;
        const auto index = static_cast<unsigned>(le(bytes.data() + p, 2));
        const std::uint64_t objectSize = le(bytes.data() + p + 8, 8);
        if (objectSize > left) {
            c.error = at + ": object " + std::to_string(index) + " claims " +
                      std::to_string(objectSize) + " bytes, past the collection's end";
            return c;
        }
        const std::uint64_t need = index > 0 ? 16 + padded8(objectSize) : objectSize;
        if (need == 0 || need > left) {
            c.error = at + ": object " + std::to_string(index) + " does not fit the collection";
            return c;
        }
        c.objects[index] = {p + 16, objectSize};
        p += need;
    }
    return c;
}

std::string HeapCheck::references(const std::vector<unsigned char>& refs, std::uint64_t values) {
    for (std::uint64_t i = 0; i < values; ++i) {
        const unsigned char* r = refs.data() + i * kReference;
        const std::uint64_t length = le(r, 4);
        const std::uint64_t address = le(r + 4, 8);
        const std::uint64_t index = le(r + 12, 4);
        if (address == 0) continue;  // no string stored (libhdf5 reads nothing)
        const Collection& c = collection(address);
        if (!c.error.empty()) return c.error;
        const auto it = index > 0 && index <= 0xffff ? c.objects.find(static_cast<unsigned>(index))
                                                     : c.objects.end();
        if (it == c.objects.end())
            return "string " + std::to_string(i) + " refers to object " + std::to_string(index) +
                   " of the global heap collection at " + std::to_string(address) +
                   ", which holds no such object";
        if (it->second.second != length)
            return "string " + std::to_string(i) + " claims " + std::to_string(length) +
                   " bytes, its object in the global heap holds " +
                   std::to_string(it->second.second);
    }
    return "";
}

template <class F>
bool HeapCheck::eachMessage(std::uint64_t header, F&& f) const {
    unsigned char prefix[16];
    if (!read(header, prefix, sizeof prefix) || prefix[0] != 1) return false;
    const std::uint64_t messages = le(prefix + 2, 2);
    std::deque<std::pair<std::uint64_t, std::uint64_t>> chunks{{header + 16, le(prefix + 8, 4)}};
    std::uint64_t seen = 0;
    for (int k = 0; k < kMaxHeaderChunks && !chunks.empty() && seen < messages; ++k) {
        const auto [at, length] = chunks.front();
        chunks.pop_front();
        if (length > kMaxHeaderChunk) return false;
        std::vector<unsigned char> chunk(static_cast<std::size_t>(length));
        if (!read(at, chunk.data(), chunk.size())) return false;
        // Version 1 messages: type (2), size (2), flags (1), reserved (3), data.
        for (std::uint64_t off = 0; off + 8 <= length && seen < messages; ++seen) {
            const unsigned char* m = chunk.data() + off;
            const std::uint64_t type = le(m, 2);
            const std::uint64_t size = le(m + 2, 2);
            if (size > length - off - 8) return false;
            if (type == 0x10 && size >= 16) chunks.emplace_back(le(m + 8, 8), le(m + 16, 8));
            if (f(type, m[4], m + 8, size)) return true;
            off += 8 + size;
        }
    }
    return false;
}

bool HeapCheck::attributeData(std::uint64_t header, const std::string& name, std::uint64_t bytes,
                              std::vector<unsigned char>& out) const {
    bool unknown = false;
    const bool found = eachMessage(header, [&](std::uint64_t type, unsigned flags,
                                               const unsigned char* d, std::uint64_t size) {
        // An attribute message, not shared: version (1), flags or reserved (1), the sizes of
        // its name, datatype and dataspace (2 each), [version 3: encoding (1)], then those
        // (version 1: each padded to 8 bytes), then the data.
        if (type != 0x0C || (flags & 0x02) != 0 || size < 8) return false;
        const unsigned version = d[0];
        const std::uint64_t nameSize = le(d + 2, 2);
        const std::uint64_t typeSize = le(d + 4, 2);
        const std::uint64_t spaceSize = le(d + 6, 2);
        std::uint64_t nameAt = 8, dataAt = 0;
        if (version == 1) {
            dataAt = 8 + padded8(nameSize) + padded8(typeSize) + padded8(spaceSize);
        } else if ((version == 2 || version == 3) && (d[1] & 0x03) == 0) {
            nameAt = version == 3 ? 9 : 8;
            dataAt = nameAt + nameSize + typeSize + spaceSize;
        } else {
            return false;  // another version, or a shared type or dataspace: not followed
        }
        if (nameAt + nameSize > size) return false;
        const auto* n = reinterpret_cast<const char*>(d + nameAt);
        if (std::string(n, strnlen(n, static_cast<std::size_t>(nameSize))) != name) return false;
        if (dataAt > size || bytes > size - dataAt) {
            unknown = true;
        } else {
            out.assign(d + dataAt, d + dataAt + bytes);
        }
        return true;
    });
    return found && !unknown;
}

std::string HeapCheck::attributes(hid_t loc) {
    if (!usable_) return "";
    std::uint64_t header = 0;
    if (!headerOf(loc, nullptr, header)) return kNoHeader;
    if (const auto it = headers_.find(header); it != headers_.end()) return it->second;
    std::string& why = headers_[header];
    eachMessage(header, [&](std::uint64_t type, unsigned flags, const unsigned char* d,
                            std::uint64_t size) {
        // Every attribute message's name, datatype and dataspace must lie inside it: libhdf5
        // decodes them all when it looks one attribute up, and crashes on one that does not.
        if (type != 0x0C || (flags & 0x02) != 0) return false;
        if (size < 8) {
            why = "an attribute message of " + std::to_string(size) + " bytes";
            return true;
        }
        const unsigned version = d[0];
        const std::uint64_t nameSize = le(d + 2, 2);
        const std::uint64_t typeSize = le(d + 4, 2);
        const std::uint64_t spaceSize = le(d + 6, 2);
        const std::uint64_t end = version == 1
                                      ? 8 + padded8(nameSize) + padded8(typeSize) +
                                            padded8(spaceSize)
                                      : (version == 3 ? 9 : 8) + nameSize + typeSize + spaceSize;
        if (version < 1 || version > 3 || end > size || nameSize == 0) {
            why = "an attribute message claims more than its " + std::to_string(size) +
                  " bytes (version " + std::to_string(version) + ")";
            return true;
        }
        // The name is null-terminated exactly at its stated size (libhdf5 copies it as a C
        // string, past the message when the terminator is gone).
        const auto* name = reinterpret_cast<const char*>(d + (version == 3 ? 9 : 8));
        if (strnlen(name, static_cast<std::size_t>(nameSize)) != nameSize - 1) {
            why = "an attribute's name does not end where its message says";
            return true;
        }
        // Its values (as many as the dataspace holds, each of the datatype's size) lie inside
        // the message too.
        const std::uint64_t typeAt = (version == 3 ? 9 : 8) +
                                     (version == 1 ? padded8(nameSize) : nameSize);
        const std::uint64_t spaceAt = typeAt + (version == 1 ? padded8(typeSize) : typeSize);
        std::uint64_t values = 0;
        if (typeSize < 8 || !dataspacePoints(d + spaceAt, spaceSize, values)) {
            why = "attribute " + std::string(name) + " has a damaged datatype or dataspace";
            return true;
        }
        const std::uint64_t width = le(d + typeAt + 4, 4);
        // A variable-length element is stored as its length, collection address and object
        // index: libhdf5 allocates the stated width and copies 16 bytes per value regardless.
        if ((d[typeAt] & 0x0f) == 9 && width != kReference) {
            why = "attribute " + std::string(name) + " stores variable-length values of " +
                  std::to_string(width) + " bytes, not " + std::to_string(kReference);
            return true;
        }
        if (values != 0 && (width == 0 || values > (size - end) / width)) {
            why = "attribute " + std::string(name) + " claims " + std::to_string(values) +
                  " values of " + std::to_string(width) + " bytes, more than its message holds";
            return true;
        }
        return false;
    });
    return why;
}

bool HeapCheck::attributeNames(hid_t loc, std::vector<std::string>& names) {
    std::uint64_t header = 0;
    if (!usable_ || !headerOf(loc, nullptr, header)) return false;
    std::vector<std::string> found;
    bool followed = true;
    const bool complete = !eachMessage(header, [&](std::uint64_t type, unsigned flags,
                                                   const unsigned char* d, std::uint64_t size) {
        if (type != 0x0C) return false;
        const unsigned version = size >= 8 ? d[0] : 0;
        const std::uint64_t nameAt = version == 3 ? 9 : 8;
        const std::uint64_t nameSize = size >= 8 ? le(d + 2, 2) : 0;
        if ((flags & 0x02) != 0 || version < 1 || version > 3 || nameAt + nameSize > size) {
            followed = false;  // shared or damaged: left to libhdf5 (attributes() refuses)
            return true;
        }
        const auto* n = reinterpret_cast<const char*>(d + nameAt);
        found.emplace_back(n, strnlen(n, static_cast<std::size_t>(nameSize)));
        return false;
    });
    // eachMessage is also false when it stopped early or the header is not one followed here:
    // the list must hold as many names as libhdf5 counts attribute messages (without decoding
    // them).
    QuietErrors quiet;
    H5O_info_t info{};
    const bool counted = H5Oget_info2(loc, &info, H5O_INFO_NUM_ATTRS) >= 0;
    H5Eclear2(H5E_DEFAULT);
    if (!complete || !followed || !counted || info.num_attrs != found.size()) return false;
    names = std::move(found);
    return true;
}

std::string HeapCheck::objectHeader(std::uint64_t address) const {
    if (!usable_) return "";
    unsigned char prefix[4 + 1 + 1 + 16 + 4 + 8];
    const std::uint64_t have = address < size_
                                   ? std::min<std::uint64_t>(sizeof prefix, size_ - address)
                                   : 0;
    if (have < 16 || !read(address, prefix, static_cast<std::size_t>(have)))
        return "an object header lies past the end of the file";
    std::uint64_t chunk = 0, at = 0;
    if (prefix[0] == 1) {
        // Version 1: version, reserved, messages (2), reference count (4), the first chunk's
        // size (4), padding to 8 bytes.
        chunk = le(prefix + 8, 4);
        at = 16;
    } else if (std::memcmp(prefix, "OHDR", 4) == 0 && prefix[4] == 2) {
        // Version 2: signature, version, flags, [times (16)], [attribute phase change (4)],
        // the first chunk's size in 1 to 8 bytes.
        const unsigned flags = prefix[5];
        at = 6 + ((flags & 0x20) != 0 ? 16U : 0U) + ((flags & 0x10) != 0 ? 4U : 0U);
        const int bytes = 1 << (flags & 0x03);
        if (at + static_cast<std::uint64_t>(bytes) > have)
            return "an object header lies past the end of the file";
        chunk = le(prefix + at, bytes);
        at += static_cast<std::uint64_t>(bytes);
    } else {
        return "";  // not an object header libhdf5 loads: it refuses it itself
    }
    if (chunk > size_ - address - at)
        return "an object header at " + std::to_string(address) + " claims " +
               std::to_string(chunk) + " bytes, past the end of the file";
    // A version 1 header's continuations likewise (libhdf5 allocates each chunk's stated size).
    std::string why;
    if (prefix[0] == 1)
        eachMessage(address,
                    [&](std::uint64_t type, unsigned, const unsigned char* d, std::uint64_t size) {
                        if (type != 0x10) return false;
                        const std::uint64_t to = size >= 16 ? le(d, 8) : size_;
                        const std::uint64_t length = size >= 16 ? le(d + 8, 8) : 0;
                        if (to >= size_ || length > size_ - to)
                            why = "an object header at " + std::to_string(address) +
                                  " continues for " + std::to_string(length) + " bytes at " +
                                  std::to_string(to) + ", past the end of the file";
                        return !why.empty();
                    });
    return why;
}

std::string HeapCheck::links(hid_t loc, const char* path) {
    if (!usable_) return "";
    std::uint64_t header = 0;
    if (!headerOf(loc, path, header)) return kNoHeader;
    return group(header).error;
}

const HeapCheck::Links& HeapCheck::group(std::uint64_t header) {
    if (const auto it = groups_.find(header); it != groups_.end()) return it->second;
    Links& g = groups_[header];
    bool linkInfo = false;
    std::uint64_t heap = ~std::uint64_t{0}, nameIndex = ~std::uint64_t{0};
    eachMessage(header,
                [&](std::uint64_t type, unsigned, const unsigned char* d, std::uint64_t size) {
                    if (type == 0x06 && g.error.empty()) {
                        // A link stored in the header (compact storage).
                        std::string name;
                        g.error = linkMessage(d, size, size_, name);
                        g.names.push_back(std::move(name));
                    }
                    // A link info message: version (1), flags (1), [the largest creation index
                    // (8)], the addresses of the fractal heap and of the name index, [of the
                    // creation order index].
                    if (type != 0x02 || size < 2) return false;
                    if (linkInfo) {
                        g.error = "a group with two link info messages";
                        return true;
                    }
                    linkInfo = true;
                    const unsigned flags = d[1];
                    std::uint64_t at = 2 + ((flags & 0x01) != 0 ? 8 : 0);
                    const int addresses = (flags & 0x02) != 0 ? 3 : 2;
                    for (int k = 0; k < addresses && at + 8 <= size; ++k, at += 8) {
                        const std::uint64_t a = le(d + at, 8);
                        if (k == 0) heap = a;
                        if (k == 1) nameIndex = a;
                        if (a != ~std::uint64_t{0} && a >= size_)
                            g.error = "a group's link index lies at " + std::to_string(a) +
                                      ", past the end of the file";
                    }
                    return false;
                });
    const bool dense = heap != ~std::uint64_t{0} || nameIndex != ~std::uint64_t{0};
    g.compact = linkInfo && !dense && g.error.empty();
    if (linkInfo && dense && g.error.empty()) {
        // Dense storage (more than 8 links): its heap and name index walked and every link
        // decoded here before libhdf5 looks one up or lists them (hdf5_links.hpp). The header
        // holds none of its links.
        if (!g.names.empty()) {
            g.error = "a group keeps links both in its header and in a heap";
        } else {
            g.error = denseLinks([this](std::uint64_t at, void* out,
                                        std::size_t n) { return read(at, out, n); },
                                 size_, heap, nameIndex, g.names);
            g.dense = g.error.empty();
        }
    }
    // Only a group whose links were all read here is listed from them; libhdf5 lists the
    // others (symbol tables, which rotor does not write).
    if (!g.compact && !g.dense) g.names.clear();
    return g;
}

bool HeapCheck::linkNames(hid_t loc, std::vector<std::string>& names, std::string& why) {
    why.clear();
    std::uint64_t header = 0;
    if (!usable_) return false;
    if (!headerOf(loc, nullptr, header)) {
        why = kNoHeader;
        return false;
    }
    const Links& g = group(header);
    why = g.error;
    if (!g.compact && !g.dense) return false;
    // As many links as libhdf5 counts (in a header it counts the link messages without
    // decoding them; fewer means a header not walked to its end here), stored as read here.
    QuietErrors quiet;
    H5G_info_t info{};
    const bool counted = H5Gget_info(loc, &info) >= 0;
    H5Eclear2(H5E_DEFAULT);
    const H5G_storage_type_t storage = g.dense ? H5G_STORAGE_TYPE_DENSE : H5G_STORAGE_TYPE_COMPACT;
    if (!counted || info.storage_type != storage || info.nlinks != g.names.size()) {
        why = "its links are not those its header or heap holds";
        return false;
    }
    // In name order, as libhdf5 lists them (strcmp: bytes compared unsigned).
    names = g.names;
    std::sort(names.begin(), names.end());
    return true;
}

std::string HeapCheck::attribute(hid_t loc, const std::string& name, std::uint64_t values) {
    if (!usable_ || values == 0 || values > size_ / kReference) return "";
    std::uint64_t header = 0;
    if (!headerOf(loc, nullptr, header)) return kNoHeader;
    std::vector<unsigned char> refs;
    if (!attributeData(header, name, values * kReference, refs)) return "";
    const std::string why = references(refs, values);
    return why.empty() ? "" : "attribute " + name + ": " + why;
}

std::string HeapCheck::dataset(hid_t ds, std::uint64_t values) {
    if (!usable_ || values == 0) return "";
    QuietErrors quiet;
    const hid_t dcpl = H5Dget_create_plist(ds);
    const bool contiguous = dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CONTIGUOUS;
    if (dcpl >= 0) H5Pclose(dcpl);
    const haddr_t at = contiguous ? H5Dget_offset(ds) : HADDR_UNDEF;
    H5Eclear2(H5E_DEFAULT);
    if (at == HADDR_UNDEF) return "";
    if (values > size_ / kReference) return "its strings lie past the end of the file";
    std::vector<unsigned char> refs(static_cast<std::size_t>(values * kReference));
    if (!read(at, refs.data(), refs.size())) return "its strings lie past the end of the file";
    return references(refs, values);
}

}  // namespace rotor::h5
