// SPDX-License-Identifier: MIT
// HDF5 C API calls behind the RAII wrapper; every failure becomes rotor::Error naming the object.
#include "engine/io/hdf5_file.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"

#include <hdf5.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <type_traits>

namespace rotor::h5 {

static_assert(std::is_same_v<hid_t, std::int64_t>, "Handle stores hid_t as int64_t (HDF5 >= 1.10)");

namespace {

// HDF5 1.10.8 cannot close a file once a flush of it failed (a full disk: the cache's skip list
// stays enabled, and every later flush fails "slist already enabled?"), and its exit-time
// clean-up then crashed on that file (SIGSEGV in H5F__close_cb). rotor closes every file it
// opens itself, so the library's atexit clean-up is switched off before its first use (this
// only sets a flag; static initialisation runs before any HDF5 call of main).
[[maybe_unused]] const herr_t kNoExitCleanup = H5dont_atexit();

// The first (API-level) and last (innermost) descriptions on HDF5's error stack, e.g.
// "unable to create group: name already exists".
std::string hdf5Reason() {
    std::vector<std::string> descs;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_DOWNWARD,
        [](unsigned, const H5E_error2_t* e, void* out) -> herr_t {
            if (e->desc != nullptr && e->desc[0] != '\0')
                static_cast<std::vector<std::string>*>(out)->push_back(e->desc);
            return 0;
        },
        &descs);
    H5Eclear2(H5E_DEFAULT);
    if (descs.empty()) return "unknown HDF5 error";
    std::string out = descs.size() == 1 || descs.front() == descs.back()
                          ? descs.front()
                          : descs.front() + ": " + descs.back();
    // A system error's description spans lines ("file write failed: time = ...\n, filename =
    // ..., errno = 28, error message = 'No space left on device', ..."): keep errors one line,
    // and lead with the system's message when there is one.
    const std::string key = "error message = '";
    if (const auto at = out.find(key); at != std::string::npos) {
        const auto end = out.find('\'', at + key.size());
        const std::string sys = out.substr(at + key.size(), end - at - key.size());
        const auto colon = out.find(": time = ");
        out = (colon != std::string::npos ? out.substr(0, colon) : out) + ": " + sys;
    }
    for (auto& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

[[noreturn]] void fail(const std::string& what, const std::string& file, const std::string& path) {
    throw IoError("HDF5: cannot " + what + " '" + path + "' in " + file + ": " + hdf5Reason());
}

// Wraps a fresh identifier, throwing if HDF5 returned an error (negative id).
Handle check(hid_t id, Handle::Kind kind, const std::string& what, const std::string& file,
             const std::string& path) {
    if (id < 0) fail(what, file, path);
    return Handle(id, kind);
}

void check(herr_t rc, const std::string& what, const std::string& file, const std::string& path) {
    if (rc < 0) fail(what, file, path);
}

Handle makeSpace(std::initializer_list<hsize_t> dims) {
    std::vector<hsize_t> d(dims);
    return Handle(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr),
                  Handle::Kind::Dataspace);
}

// Variable-length (width 0) or fixed-length null-padded UTF-8 string type.
Handle stringType(std::size_t width) {
    Handle t(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
    H5Tset_size(t.get(), width == 0 ? H5T_VARIABLE : width);
    H5Tset_strpad(t.get(), width == 0 ? H5T_STR_NULLTERM : H5T_STR_NULLPAD);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    return t;
}

// Link names are stored as UTF-8 so non-ASCII scenario names read back correctly in h5py.
Handle utf8LinkCreation() {
    Handle p(H5Pcreate(H5P_LINK_CREATE), Handle::Kind::PropertyList);
    H5Pset_char_encoding(p.get(), H5T_CSET_UTF8);
    return p;
}

// Chunked shuffle+gzip layout for a non-empty array; the default (contiguous) otherwise.
Handle datasetCreation(const std::vector<hsize_t>& dims, const Storage& storage) {
    Handle p(H5Pcreate(H5P_DATASET_CREATE), Handle::Kind::PropertyList);
    const bool empty = std::any_of(dims.begin(), dims.end(), [](hsize_t d) { return d == 0; });
    if (storage.compress && !empty && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        // About chunkValues (64k) values per chunk, whole rows, never larger than the dataset.
        std::vector<hsize_t> chunk(dims);
        hsize_t rowElems = 1;
        for (std::size_t i = 1; i < dims.size(); ++i) rowElems *= dims[i];
        chunk[0] = std::clamp<hsize_t>(storage.chunkValues / std::max<hsize_t>(rowElems, 1), 1,
                                       dims[0]);
        H5Pset_chunk(p.get(), static_cast<int>(chunk.size()), chunk.data());
        H5Pset_shuffle(p.get());
        H5Pset_deflate(p.get(), static_cast<unsigned>(std::clamp(storage.gzipLevel, 0, 9)));
    }
    return p;
}

// Packs strings into n fixed-width null-padded slots.
std::vector<char> packFixed(const std::vector<std::string>& values, std::size_t width,
                            const std::string& file, const std::string& path) {
    std::vector<char> buf(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].size() > width)
            throw Error("HDF5: string '" + values[i] + "' longer than the fixed width " +
                        std::to_string(width) + " of '" + path + "' in " + file);
        std::memcpy(buf.data() + i * width, values[i].data(), values[i].size());
    }
    return buf;
}

std::vector<const char*> cStrings(const std::vector<std::string>& values) {
    std::vector<const char*> ptrs(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) ptrs[i] = values[i].c_str();
    return ptrs;
}

void checkLinkName(const std::string& name, const std::string& file, const std::string& parent) {
    if (name.empty() || name == "." || name.find('/') != std::string::npos)
        throw Error("HDF5: invalid object name '" + name + "' under '" + parent + "' in " + file +
                    " (must be non-empty, not '.', without '/')");
}

}  // namespace

// ---- Handle ----------------------------------------------------------------------------------

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        kind_ = other.kind_;
        other.id_ = -1;
    }
    return *this;
}

bool Handle::reset() {
    if (id_ < 0) return true;
    QuietErrors quiet;
    herr_t rc = 0;
    switch (kind_) {
        case Kind::File: rc = H5Fclose(id_); break;
        case Kind::Group: rc = H5Gclose(id_); break;
        case Kind::Dataset: rc = H5Dclose(id_); break;
        case Kind::Attribute: rc = H5Aclose(id_); break;
        case Kind::Datatype: rc = H5Tclose(id_); break;
        case Kind::Dataspace: rc = H5Sclose(id_); break;
        case Kind::PropertyList: rc = H5Pclose(id_); break;
    }
    id_ = -1;
    if (rc < 0) H5Eclear2(H5E_DEFAULT);
    return rc >= 0;
}

// ---- Table -----------------------------------------------------------------------------------

void Table::checkNew(const std::string& name, std::size_t size) const {
    ROTOR_REQUIRE(!name.empty(), "table column without a name");
    for (const auto& c : columns_)
        ROTOR_REQUIRE(c.name != name, "duplicate table column '" << name << "'");
    ROTOR_REQUIRE(size == rows_,
                  "table column '" << name << "' has " << size << " values, expected " << rows_);
}

void Table::addDouble(const std::string& name, std::vector<double> values) {
    checkNew(name, values.size());
    Column c{name, Type::Double, std::move(values), {}, {}, 0};
    columns_.push_back(std::move(c));
}

void Table::addInt64(const std::string& name, std::vector<std::int64_t> values) {
    checkNew(name, values.size());
    Column c{name, Type::Int64, {}, std::move(values), {}, 0};
    columns_.push_back(std::move(c));
}

void Table::addString(const std::string& name, std::vector<std::string> values, std::size_t width) {
    checkNew(name, values.size());
    std::size_t longest = 1;  // HDF5 string types need at least one byte
    for (const auto& v : values) longest = std::max(longest, v.size());
    if (width == 0) width = longest;
    ROTOR_REQUIRE(longest <= width, "table column '" << name << "': a value of " << longest
                                                     << " bytes exceeds the width " << width);
    Column c{name, Type::String, {}, {}, std::move(values), width};
    columns_.push_back(std::move(c));
}

// ---- Object ----------------------------------------------------------------------------------

std::string Object::childPath(const std::string& name) const {
    return path_ == "/" ? "/" + name : path_ + "/" + name;
}

namespace {

void writeAttribute(hid_t owner, const std::string& name, hid_t fileType, hid_t memType,
                    hid_t space, const void* data, const std::string& file,
                    const std::string& path) {
    const std::string where = path + "@" + name;
    // Replacing keeps the API simple for callers that set an attribute twice.
    if (H5Aexists(owner, name.c_str()) > 0)
        check(H5Adelete(owner, name.c_str()), "replace attribute", file, where);
    Handle attr = check(H5Acreate2(owner, name.c_str(), fileType, space, H5P_DEFAULT, H5P_DEFAULT),
                        Handle::Kind::Attribute, "create attribute", file, where);
    check(H5Awrite(attr.get(), memType, data), "write attribute", file, where);
}

}  // namespace

void Object::setAttribute(const std::string& name, const std::string& value) {
    QuietErrors quiet;
    Handle type = stringType(0);
    Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
    const char* p = value.c_str();
    writeAttribute(handle_.get(), name, type.get(), type.get(), space.get(), &p, file_, path_);
}

void Object::setAttribute(const std::string& name, double value) {
    QuietErrors quiet;
    Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
    writeAttribute(handle_.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), &value,
                   file_, path_);
}

void Object::setAttribute(const std::string& name, std::int64_t value) {
    QuietErrors quiet;
    Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
    writeAttribute(handle_.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), &value, file_,
                   path_);
}

void Object::setAttribute(const std::string& name, std::uint64_t value) {
    QuietErrors quiet;
    Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
    writeAttribute(handle_.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, space.get(), &value,
                   file_, path_);
}

void Object::setAttribute(const std::string& name, const std::vector<std::string>& values) {
    QuietErrors quiet;
    Handle type = stringType(0);
    Handle space = makeSpace({values.size()});
    const std::vector<const char*> ptrs = cStrings(values);
    writeAttribute(handle_.get(), name, type.get(), type.get(), space.get(), ptrs.data(), file_,
                   path_);
}

// ---- Group -----------------------------------------------------------------------------------

Group Group::createGroup(const std::string& name) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle lcpl = utf8LinkCreation();
    Handle g = check(H5Gcreate2(handle_.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                     Handle::Kind::Group, "create group", file_, path);
    return Group(std::move(g), file_, path);
}

namespace {

// Creates dataset `name` under `parent` and writes `data` (whole dataset) in `memType`.
Handle createAndWrite(hid_t parent, const std::string& name, hid_t fileType, hid_t memType,
                      hid_t space, hid_t dcpl, const void* data, bool nonEmpty,
                      const std::string& file, const std::string& path) {
    Handle lcpl = utf8LinkCreation();
    Handle ds = check(H5Dcreate2(parent, name.c_str(), fileType, space, lcpl.get(), dcpl,
                                 H5P_DEFAULT),
                      Handle::Kind::Dataset, "create dataset", file, path);
    if (nonEmpty) {
        // A write that converts (variable-length strings, records) gets a zeroed 1 MiB buffer
        // by default, ~0.8 ms of page faults for a handful of strings: size it to the data.
        Handle xfer(H5Pcreate(H5P_DATASET_XFER), Handle::Kind::PropertyList);
        // 32 bytes covers a variable-length element on disk (16) and in memory (8 or 16).
        const std::size_t element = std::max(
            {H5Tget_size(memType), H5Tget_size(fileType), std::size_t{32}});
        const auto points = static_cast<std::size_t>(
            std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 1));
        const std::size_t bytes = std::clamp<std::size_t>(element * points, 4096,
                                                          std::size_t{1} << 20);
        check(H5Pset_buffer(xfer.get(), bytes, nullptr, nullptr), "size the buffer of", file, path);
        check(H5Dwrite(ds.get(), memType, H5S_ALL, H5S_ALL, xfer.get(), data), "write dataset",
              file, path);
    }
    return ds;
}

}  // namespace

Dataset Group::writeString(const std::string& name, const std::string& value) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle type = stringType(0);
    Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
    const char* p = value.c_str();
    Handle ds = createAndWrite(handle_.get(), name, type.get(), type.get(), space.get(),
                               H5P_DEFAULT, &p, true, file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeStrings(const std::string& name, const std::vector<std::string>& values,
                            std::size_t fixedLength) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle type = stringType(fixedLength);
    Handle space = makeSpace({values.size()});
    Handle ds;
    if (fixedLength == 0) {
        const std::vector<const char*> ptrs = cStrings(values);
        ds = createAndWrite(handle_.get(), name, type.get(), type.get(), space.get(), H5P_DEFAULT,
                            ptrs.data(), !values.empty(), file_, path);
    } else {
        const std::vector<char> buf = packFixed(values, fixedLength, file_, path);
        ds = createAndWrite(handle_.get(), name, type.get(), type.get(), space.get(), H5P_DEFAULT,
                            buf.data(), !values.empty(), file_, path);
    }
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeDoubles(const std::string& name, const double* data, std::size_t n,
                            Storage storage) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle space = makeSpace({n});
    Handle dcpl = datasetCreation({n}, storage);
    Handle ds = createAndWrite(handle_.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(),
                               dcpl.get(), data, n > 0, file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeMatrix(const std::string& name, const double* rowMajor, std::size_t rows,
                           std::size_t cols, Storage storage) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle space = makeSpace({rows, cols});
    Handle dcpl = datasetCreation({rows, cols}, storage);
    Handle ds = createAndWrite(handle_.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(),
                               dcpl.get(), rowMajor, rows > 0 && cols > 0, file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeInt64s(const std::string& name, const std::vector<std::int64_t>& values) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle space = makeSpace({values.size()});
    Handle ds = createAndWrite(handle_.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(),
                               H5P_DEFAULT, values.data(), !values.empty(), file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeInt32s(const std::string& name, const std::vector<std::int32_t>& values) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    Handle space = makeSpace({values.size()});
    Handle ds = createAndWrite(handle_.get(), name, H5T_STD_I32LE, H5T_NATIVE_INT32, space.get(),
                               H5P_DEFAULT, values.data(), !values.empty(), file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeBytes(const std::string& name, const std::vector<char>& bytes,
                          Storage storage) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    const std::vector<hsize_t> d{bytes.size()};
    Handle space = makeSpace({bytes.size()});
    Handle dcpl = datasetCreation(d, storage);
    Handle ds = createAndWrite(handle_.get(), name, H5T_STD_U8LE, H5T_NATIVE_UCHAR, space.get(),
                               dcpl.get(), bytes.data(), !bytes.empty(), file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::writeFloats(const std::string& name, const float* data,
                           const std::vector<std::size_t>& dims, Storage storage) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    ROTOR_REQUIRE(!dims.empty(), "dataset '" << path << "' needs at least one dimension");
    const std::vector<hsize_t> d(dims.begin(), dims.end());
    Handle space(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr),
                 Handle::Kind::Dataspace);
    Handle dcpl = datasetCreation(d, storage);
    const bool nonEmpty = std::none_of(d.begin(), d.end(), [](hsize_t x) { return x == 0; });
    Handle ds = createAndWrite(handle_.get(), name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, space.get(),
                               dcpl.get(), data, nonEmpty, file_, path);
    return Dataset(std::move(ds), file_, path);
}

Dataset Group::createRows(const std::string& name, Element element,
                          const std::vector<std::size_t>& dims, Storage storage) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    ROTOR_REQUIRE(!dims.empty() && dims.size() <= 3 &&
                      std::none_of(dims.begin(), dims.end(), [](std::size_t d) { return d == 0; }),
                  "dataset '" << path << "' filled by rows needs 1 to 3 non-zero dimensions");
    const std::vector<hsize_t> d(dims.begin(), dims.end());
    Handle space(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr),
                 Handle::Kind::Dataspace);
    Handle dcpl = datasetCreation(d, storage);
    const hsize_t elementBytes = element == Element::Float64 ? sizeof(double) : 4;
    // The chunk cache holds one chunk and no second one: rows arrive in order, so a chunk is
    // complete (and is compressed and written out) when the next one is first touched.
    Handle dapl(H5Pcreate(H5P_DATASET_ACCESS), Handle::Kind::PropertyList);
    if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
        std::vector<hsize_t> chunk(d.size());
        H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
        hsize_t bytes = elementBytes;
        for (hsize_t c : chunk) bytes *= c;
        check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, bytes + bytes / 2,
                                 1.0),
              "size the chunk cache of", file_, path);
    }
    Handle lcpl = utf8LinkCreation();
    const hid_t type = element == Element::Float64   ? H5T_IEEE_F64LE
                       : element == Element::Float32 ? H5T_IEEE_F32LE
                                                     : H5T_STD_I32LE;
    Handle ds = check(H5Dcreate2(handle_.get(), name.c_str(), type, space.get(), lcpl.get(),
                                 dcpl.get(), dapl.get()),
                      Handle::Kind::Dataset, "create dataset", file_, path);
    return Dataset(std::move(ds), file_, path);
}

void Group::removeLink(const std::string& name) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    check(H5Ldelete(handle_.get(), name.c_str(), H5P_DEFAULT), "remove", file_, childPath(name));
}

void Dataset::transferRows(std::int64_t memType, std::size_t first, std::size_t rows,
                           const void* in, void* out) {
    QuietErrors quiet;
    if (rows == 0) return;
    const char* verb = in != nullptr ? "write rows of" : "read rows of";
    Handle space(H5Dget_space(handle_.get()), Handle::Kind::Dataspace);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 1 || rank > 3) fail(verb, file_, path_);
    hsize_t dims[3] = {0, 1, 1};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    ROTOR_REQUIRE(first + rows <= dims[0], "HDF5: rows " << first << ".." << first + rows
                                                         << " outside the " << dims[0]
                                                         << " rows of '" << path_ << "'");
    const hsize_t start[3] = {first, 0, 0};
    const hsize_t count[3] = {rows, dims[1], dims[2]};
    check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
          "select rows of", file_, path_);
    Handle mem(H5Screate_simple(rank, count, nullptr), Handle::Kind::Dataspace);
    const herr_t done = in != nullptr ? H5Dwrite(handle_.get(), memType, mem.get(), space.get(),
                                                 H5P_DEFAULT, in)
                                      : H5Dread(handle_.get(), memType, mem.get(), space.get(),
                                                H5P_DEFAULT, out);
    check(done, verb, file_, path_);
}

void Dataset::writeRows(std::size_t first, std::size_t rows, const double* data) {
    transferRows(H5T_NATIVE_DOUBLE, first, rows, data, nullptr);
}

void Dataset::writeRows(std::size_t first, std::size_t rows, const std::int32_t* data) {
    transferRows(H5T_NATIVE_INT32, first, rows, data, nullptr);
}

void Dataset::writeRows(std::size_t first, std::size_t rows, const float* data) {
    transferRows(H5T_NATIVE_FLOAT, first, rows, data, nullptr);
}

std::vector<double> Dataset::readDoubles() {
    QuietErrors quiet;
    Handle space(H5Dget_space(handle_.get()), Handle::Kind::Dataspace);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0) fail("read", file_, path_);
    std::vector<double> out(static_cast<std::size_t>(n));
    if (n > 0)
        check(H5Dread(handle_.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
              "read", file_, path_);
    return out;
}

void Dataset::readRows(std::size_t first, std::size_t rows, double* out) {
    transferRows(H5T_NATIVE_DOUBLE, first, rows, nullptr, out);
}

Dataset Group::writeTable(const std::string& name, const Table& table) {
    QuietErrors quiet;
    checkLinkName(name, file_, path_);
    const std::string path = childPath(name);
    ROTOR_REQUIRE(!table.columns().empty(), "table '" << path << "' has no columns");

    // Packed records: the in-memory layout equals the file layout, only byte order may differ.
    std::size_t recordSize = 0;
    std::vector<std::size_t> offsets;
    for (const auto& c : table.columns()) {
        offsets.push_back(recordSize);
        recordSize += c.type == Table::Type::String ? c.width : 8;
    }
    Handle memType(H5Tcreate(H5T_COMPOUND, recordSize), Handle::Kind::Datatype);
    Handle fileType(H5Tcreate(H5T_COMPOUND, recordSize), Handle::Kind::Datatype);
    std::vector<Handle> stringTypes;
    for (std::size_t i = 0; i < table.columns().size(); ++i) {
        const auto& c = table.columns()[i];
        hid_t mem = H5T_NATIVE_DOUBLE, disk = H5T_IEEE_F64LE;
        if (c.type == Table::Type::Int64) {
            mem = H5T_NATIVE_INT64;
            disk = H5T_STD_I64LE;
        } else if (c.type == Table::Type::String) {
            stringTypes.push_back(stringType(c.width));
            mem = disk = stringTypes.back().get();
        }
        check(H5Tinsert(memType.get(), c.name.c_str(), offsets[i], mem), "define column of", file_,
              path);
        check(H5Tinsert(fileType.get(), c.name.c_str(), offsets[i], disk), "define column of",
              file_, path);
    }

    std::vector<char> records(table.rows() * recordSize, '\0');
    for (std::size_t r = 0; r < table.rows(); ++r) {
        char* rec = records.data() + r * recordSize;
        for (std::size_t i = 0; i < table.columns().size(); ++i) {
            const auto& c = table.columns()[i];
            char* field = rec + offsets[i];
            switch (c.type) {
                case Table::Type::Double: std::memcpy(field, &c.doubles[r], 8); break;
                case Table::Type::Int64: std::memcpy(field, &c.ints[r], 8); break;
                case Table::Type::String:
                    std::memcpy(field, c.strings[r].data(), std::min(c.width, c.strings[r].size()));
                    break;
            }
        }
    }
    Handle space = makeSpace({table.rows()});
    Handle ds = createAndWrite(handle_.get(), name, fileType.get(), memType.get(), space.get(),
                               H5P_DEFAULT, records.data(), table.rows() > 0, file_, path);
    return Dataset(std::move(ds), file_, path);
}

// ---- File ------------------------------------------------------------------------------------

namespace {

Handle createFile(const std::string& path) {
    QuietErrors quiet;
    return check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                 Handle::Kind::File, "create file", path, "/");
}

Handle createMemoryFile(const std::string& name) {
    QuietErrors quiet;
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Handle::Kind::PropertyList);
    // Grows by 1 MiB; never written to disk. HDF5 tells open files apart by name, so each
    // in-memory file gets its own.
    if (H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false) < 0)
        fail("set up the in-memory driver for", name, "/");
    static std::atomic<unsigned long> counter{0};
    const std::string internal = "rotor-memory-" + std::to_string(++counter) + ".h5";
    return check(H5Fcreate(internal.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()),
                 Handle::Kind::File, "create in-memory file", name, "/");
}

}  // namespace

File::File(const std::string& path) : Group(createFile(path), path, "/") {}

File::File(const InMemory& memory)
    : Group(createMemoryFile(memory.name), memory.name, "/"), inMemory_(true) {}

File::~File() {
    if (discard_) discard();
}

void File::discard() {
    if (!handle_.valid()) return;
    QuietErrors quiet;
    void* vfd = nullptr;
    // The default (sec2) driver's handle is its file descriptor. An anonymous in-memory file
    // takes its place: writes and the final truncate succeed there, and vanish with it.
    // (In memory, the core driver's handle is its buffer instead, and nothing reaches a disk.)
    if (!inMemory_ && H5Fget_vfd_handle(handle_.get(), H5P_DEFAULT, &vfd) >= 0 && vfd != nullptr) {
        int sink = ::memfd_create("rotor-discarded-hdf5", MFD_CLOEXEC);
        if (sink < 0) sink = ::open("/dev/null", O_RDWR | O_CLOEXEC);
        if (sink >= 0) {
            ::dup2(sink, *static_cast<int*>(vfd));
            ::close(sink);
        }
    }
    // Objects left open (a close that failed mid-write) would keep the file open past
    // H5Fclose: close them first. (After a failed flush the close still fails, see
    // kNoExitCleanup; the descriptor swap above keeps it from writing to the disk meanwhile.)
    const ssize_t n = H5Fget_obj_count(handle_.get(), H5F_OBJ_ALL & ~H5F_OBJ_FILE);
    if (n > 0) {
        std::vector<hid_t> ids(static_cast<std::size_t>(n));
        const ssize_t got = H5Fget_obj_ids(handle_.get(), H5F_OBJ_ALL & ~H5F_OBJ_FILE,
                                           static_cast<std::size_t>(n), ids.data());
        for (ssize_t i = 0; i < got; ++i) {
            const hid_t id = ids[static_cast<std::size_t>(i)];
            if (H5Iget_type(id) == H5I_ATTR)
                H5Aclose(id);
            else
                H5Oclose(id);
        }
    }
    handle_.reset();
    H5Eclear2(H5E_DEFAULT);
}

std::vector<char> File::closeToImage() {
    ROTOR_REQUIRE(handle_.valid(), "HDF5: " << file_ << " is already closed");
    QuietErrors quiet;
    if (H5Fflush(handle_.get(), H5F_SCOPE_LOCAL) < 0) fail("flush", file_, "/");
    const ssize_t size = H5Fget_file_image(handle_.get(), nullptr, 0);
    if (size < 0) fail("get the image of", file_, "/");
    std::vector<char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(handle_.get(), image.data(), image.size()) != size)
        fail("copy the image of", file_, "/");
    close();
    return image;
}

void File::close() {
    if (!handle_.valid()) return;
    QuietErrors quiet;
    const ssize_t open = H5Fget_obj_count(handle_.get(), H5F_OBJ_ALL);
    if (open != 1) {
        discard();
        ROTOR_REQUIRE(false,
                      "HDF5: closing " << file_ << " with " << open - 1 << " objects still open");
    }
    if (H5Fflush(handle_.get(), H5F_SCOPE_LOCAL) < 0) {
        const std::string reason = hdf5Reason();
        discard();
        throw IoError("HDF5: cannot flush '/' in " + file_ + ": " + reason);
    }
    if (!handle_.reset()) {
        discard();
        throw IoError("HDF5: cannot close " + file_);
    }
}

}  // namespace rotor::h5
