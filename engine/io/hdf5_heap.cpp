// SPDX-License-Identifier: MIT
// Layouts from the HDF5 file format specification (version 1 object headers, attribute
// messages versions 1 to 3, global heap collections, version 1 B-trees of chunk indexes and
// symbol tables, local heaps), for files with 8-byte addresses and lengths, as libhdf5 1.10
// writes them by default.
#include "engine/io/hdf5_heap.hpp"

#include "engine/io/hdf5_links.hpp"
#include "engine/io/hdf5_messages.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <set>
#include <utility>

namespace rotor::h5 {

namespace {

constexpr std::uint64_t kMaxCollection = std::uint64_t{1} << 30;  // far above any rotor string
constexpr std::uint64_t kMaxHeaderChunk = std::uint64_t{16} << 20;
constexpr int kMaxHeaderChunks = 256;
constexpr std::size_t kReference = 16;  // length (4), collection address (8), object index (4)

std::uint64_t le(const unsigned char* p, int bytes) { return littleEndian(p, bytes); }

std::uint64_t padded8(std::uint64_t n) { return (n + 7) / 8 * 8; }

}  // namespace

HeapCheck::HeapCheck(hid_t file) {
    QuietErrors quiet;
    const hid_t fcpl = H5Fget_create_plist(file);
    std::size_t addressBytes = 0, lengthBytes = 0;
    const bool eight = fcpl >= 0 && H5Pget_sizes(fcpl, &addressBytes, &lengthBytes) >= 0 &&
                       addressBytes == 8 && lengthBytes == 8;
    unsigned leafK = 0;
    const bool ks = fcpl >= 0 && H5Pget_sym_k(fcpl, &symbolK_, &leafK) >= 0 &&
                    H5Pget_istore_k(fcpl, &chunkK_) >= 0;
    if (fcpl >= 0) H5Pclose(fcpl);
    const hid_t fapl = H5Fget_access_plist(file);
    if (fapl < 0) return;
    const hid_t driver = H5Pget_driver(fapl);
    void* handle = nullptr;
    hsize_t size = 0;
    if (eight && ks && H5Fget_vfd_handle(file, fapl, &handle) >= 0 && handle != nullptr &&
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
bool HeapCheck::eachMessage(std::uint64_t header, F&& f, bool* followed) const {
    if (followed != nullptr) *followed = true;
    unsigned char prefix[16];
    if (!read(header, prefix, sizeof prefix) || prefix[0] != 1) return false;
    const std::uint64_t messages = le(prefix + 2, 2);
    std::deque<std::pair<std::uint64_t, std::uint64_t>> chunks{{header + 16, le(prefix + 8, 4)}};
    std::uint64_t seen = 0;
    for (int k = 0; !chunks.empty() && seen < messages; ++k) {
        const auto [at, length] = chunks.front();
        chunks.pop_front();
        if (k == kMaxHeaderChunks || length > kMaxHeaderChunk) {
            if (followed != nullptr) *followed = false;
            return false;
        }
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
    // Its header is checked whole, every attribute message included (libhdf5 decodes every
    // attribute of an object to find one).
    return objectHeader(header);
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

std::string HeapCheck::objectHeader(std::uint64_t address) {
    if (!usable_) return "";
    if (const auto it = headers_.find(address); it != headers_.end()) return it->second;
    std::string& why = headers_[address];
    unsigned char prefix[16];
    if (!read(address, prefix, sizeof prefix))
        return why = "an object header lies past the end of the file";
    if (std::memcmp(prefix, "OHDR", 4) == 0)
        return why = "an object header of version 2, which rotor does not write";
    if (prefix[0] != 1) return why;  // not an object header libhdf5 loads: it refuses it itself
    // Version 1: version, reserved, messages (2), reference count (4), the first chunk's size
    // (4), padding to 8 bytes. libhdf5's metadata cache allocates a chunk's stated size before
    // it reads it.
    const std::uint64_t chunk = le(prefix + 8, 4);
    if (chunk > size_ - address - sizeof prefix)
        return why = "an object header at " + std::to_string(address) + " claims " +
                     std::to_string(chunk) + " bytes, past the end of the file";
    why = messages(address);
    return why;
}

std::string HeapCheck::symbolTable(const unsigned char* d, std::uint64_t size) {
    // The group's B-tree (version 1, type 0: its symbol table nodes) and local heap (its link
    // names). rotor writes a group this way only while it is empty (libhdf5 rewrites it with
    // link messages when the first UTF-8 link is added): a root node of no entries, and the
    // heap, both inside the file.
    if (size < 16) return "a damaged symbol table message";
    const std::uint64_t tree = le(d, 8);
    const std::uint64_t heap = le(d + 8, 8);
    // A node: "TREE", type, level, entries used (2), siblings (8 each), then 2K children and
    // 2K + 1 keys (8 bytes each; K is the superblock's group internal node K).
    unsigned char node[24];
    const std::uint64_t nodeSize = 24 + (4 * std::uint64_t{symbolK_} + 1) * 8;
    if (!read(tree, node, sizeof node) || nodeSize > size_ - tree ||
        std::memcmp(node, "TREE", 4) != 0 || node[4] != 0)
        return "a group's symbol table lies past the end of the file or is damaged";
    if (node[5] != 0 || le(node + 6, 2) != 0)
        return "a group stored as a symbol table of links (old-style), which rotor does not write";
    // A local heap: "HEAP", version 0, reserved (3), its data's size, the offset of its free
    // list (1: none), its data's address.
    unsigned char h[32];
    if (!read(heap, h, sizeof h) || std::memcmp(h, "HEAP", 4) != 0 || h[4] != 0)
        return "a group's name heap lies past the end of the file or is damaged";
    const std::uint64_t bytes = le(h + 8, 8);
    const std::uint64_t free = le(h + 16, 8);
    const std::uint64_t at = le(h + 24, 8);
    if (at > size_ || bytes > size_ - at || (free != 1 && free >= bytes))
        return "a group's name heap claims " + std::to_string(bytes) + " bytes at " +
               std::to_string(at) + ", past the end of the file";
    return "";
}

std::string HeapCheck::chunkIndex(std::uint64_t tree, unsigned dimensions, unsigned level,
                                  std::set<std::uint64_t>& seen) {
    // A node of the chunk index (a version 1 B-tree of type 1): "TREE", type, level, entries
    // used (2), siblings (8 each), then keys and children alternating: each key the chunk's
    // stored size (4), its filter mask (4) and its offset in each dimension (8 each), each
    // child a node one level down or, at level 0, the chunk's address. 2K children at most (K:
    // the superblock's indexed storage K).
    const std::uint64_t key = 8 + 8 * std::uint64_t{dimensions};
    const std::uint64_t nodeSize = 24 + 2 * std::uint64_t{chunkK_} * (8 + key) + key;
    if (!seen.insert(tree).second) return "a chunk index that reaches a node twice";
    if (tree >= size_ || nodeSize > size_ - tree)
        return "a chunk index node lies past the end of the file";
    std::vector<unsigned char> node(static_cast<std::size_t>(nodeSize));
    read(tree, node.data(), node.size());
    const std::uint64_t entries = le(node.data() + 6, 2);
    if (std::memcmp(node.data(), "TREE", 4) != 0 || node[4] != 1 ||
        (level != kAnyLevel && node[5] != level) || entries > 2 * std::uint64_t{chunkK_})
        return "a damaged chunk index node";
    const unsigned here = node[5];
    for (std::uint64_t i = 0; i < entries; ++i) {
        const unsigned char* k = node.data() + 24 + i * (key + 8);
        const std::uint64_t child = le(k + key, 8);
        if (here == 0) {
            const std::uint64_t bytes = le(k, 4);
            if (child >= size_ || bytes == 0 || bytes > size_ - child)
                return "a chunk of " + std::to_string(bytes) + " bytes at " +
                       std::to_string(child) + " lies past the end of the file";
        } else if (std::string why = chunkIndex(child, dimensions, here - 1, seen); !why.empty()) {
            return why;
        }
    }
    return "";
}

std::string HeapCheck::object(hid_t loc, const char* path) {
    if (!usable_) return "";
    QuietErrors quiet;
    H5L_info_t link{};
    const bool hard = H5Lget_info(loc, path, &link, H5P_DEFAULT) >= 0 && link.type == H5L_TYPE_HARD;
    H5Eclear2(H5E_DEFAULT);
    return hard ? objectHeader(link.u.address) : "";
}

std::string HeapCheck::messages(std::uint64_t address) {
    std::string why;
    HeaderMessages facts;
    auto check = [&](std::uint64_t id, unsigned flags, const unsigned char* d, std::uint64_t size) {
        if (id == 0x10) {  // continuation: the next chunk's address and length
            const std::uint64_t to = size >= 16 ? le(d, 8) : size_;
            const std::uint64_t length = size >= 16 ? le(d + 8, 8) : 0;
            if (to >= size_ || length > size_ - to)
                why = "an object header at " + std::to_string(address) + " continues for " +
                      std::to_string(length) + " bytes at " + std::to_string(to) +
                      ", past the end of the file";
        } else {
            why = headerMessage(id, flags, d, size, size_, facts);
        }
        return !why.empty();
    };
    bool followed = true;
    eachMessage(address, check, &followed);
    if (why.empty() && !followed)
        why = "an object header of more than " + std::to_string(kMaxHeaderChunks) +
              " chunks or a chunk over 16 MiB, which rotor does not write";
    const Datatype& type = facts.type;
    const Layout& layout = facts.layout;
    // rotor chunks (and compresses) arrays of numbers only; libhdf5 checks a chunk's element
    // size against the datatype only after it has read the chunk index, whose nodes and chunks
    // it trusts (it allocates a chunk's stored size before reading it).
    if (!why.empty() || !layout.chunked) return why;
    if (!facts.typed || (type.cls != 0 && type.cls != 1))
        return "a chunked dataset of datatype class " + std::to_string(type.cls) +
               ", which rotor does not write";
    if (layout.element != type.size)
        return "a chunked dataset whose chunks hold elements of " + std::to_string(layout.element) +
               " bytes, not " + std::to_string(type.size);
    std::set<std::uint64_t> seen;
    if (layout.address != ~std::uint64_t{0})
        why = chunkIndex(layout.address, layout.dimensions, kAnyLevel, seen);
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
                    if (type == 0x11) {  // a symbol table: an old-style group
                        g.error = symbolTable(d, size);
                        return !g.error.empty();
                    }
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
