// SPDX-License-Identifier: MIT
// Test-only HDF5 reader over the raw C API; throws std::runtime_error on any HDF5 failure.
#include "tests/engine/io/hdf5_read.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace rotor::test {

namespace {

// Closes an id with its close function when the scope ends.
struct Closer {
    hid_t id;
    herr_t (*close)(hid_t);
    ~Closer() {
        if (id >= 0) close(id);
    }
};

hid_t need(hid_t id, const std::string& what) {
    if (id < 0) throw std::runtime_error("HDF5 test reader: " + what);
    return id;
}

void need(herr_t rc, const std::string& what, int) {
    if (rc < 0) throw std::runtime_error("HDF5 test reader: " + what);
}

std::string trimNul(const char* p, std::size_t width) {
    std::size_t n = 0;
    while (n < width && p[n] != '\0') ++n;
    return std::string(p, n);
}

std::size_t count(hid_t space) {
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    return static_cast<std::size_t>(n);
}

// Reads `n` strings of string type `fileType` from dataset or attribute via `read(memType, buf)`.
std::vector<std::string> readStrings(hid_t fileType, std::size_t n,
                                     const std::function<herr_t(hid_t, void*)>& read, hid_t space,
                                     bool dataset) {
    std::vector<std::string> out;
    if (H5Tis_variable_str(fileType) > 0) {
        Closer mem{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(mem.id, H5T_VARIABLE);
        H5Tset_cset(mem.id, H5Tget_cset(fileType));  // HDF5 will not convert ASCII <-> UTF-8
        std::vector<char*> ptrs(std::max<std::size_t>(n, 1), nullptr);
        if (n > 0) need(read(mem.id, ptrs.data()), "read variable-length strings", 0);
        for (std::size_t i = 0; i < n; ++i) out.emplace_back(ptrs[i] ? ptrs[i] : "");
        if (n > 0) {
            if (dataset)
                H5Dvlen_reclaim(mem.id, space, H5P_DEFAULT, ptrs.data());
            else
                for (std::size_t i = 0; i < n; ++i) H5free_memory(ptrs[i]);
        }
    } else {
        const std::size_t w = H5Tget_size(fileType);
        Closer mem{H5Tcopy(fileType), H5Tclose};
        std::vector<char> buf(std::max<std::size_t>(n * w, 1));
        if (n > 0) need(read(mem.id, buf.data()), "read fixed-length strings", 0);
        for (std::size_t i = 0; i < n; ++i) out.push_back(trimNul(buf.data() + i * w, w));
    }
    return out;
}

}  // namespace

H5Reader::H5Reader(const std::string& path)
    : file_(need(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path)) {}

H5Reader::~H5Reader() { H5Fclose(file_); }

bool H5Reader::exists(const std::string& path) const {
    // H5Lexists must be asked one component at a time.
    std::string prefix;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        prefix.push_back('/');
        prefix.append(path, start, end - start);
        if (H5Lexists(file_, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        start = end + 1;
    }
    return true;
}

std::vector<hsize_t> H5Reader::dims(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer space{H5Dget_space(ds.id), H5Sclose};
    const int rank = H5Sget_simple_extent_ndims(space.id);
    std::vector<hsize_t> d(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.id, d.data(), nullptr);
    return d;
}

H5T_class_t H5Reader::typeClass(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    return H5Tget_class(type.id);
}

bool H5Reader::isVariableString(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    return H5Tis_variable_str(type.id) > 0;
}

std::size_t H5Reader::typeSize(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    return H5Tget_size(type.id);
}

bool H5Reader::isCompressed(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer dcpl{H5Dget_create_plist(ds.id), H5Pclose};
    const int n = H5Pget_nfilters(dcpl.id);
    for (int i = 0; i < n; ++i) {
        unsigned flags = 0;
        std::size_t nelmts = 0;
        char name[64];
        if (H5Pget_filter2(dcpl.id, static_cast<unsigned>(i), &flags, &nelmts, nullptr, sizeof name,
                           name, nullptr) == H5Z_FILTER_DEFLATE)
            return true;
    }
    return false;
}

std::vector<std::uint64_t> H5Reader::storage(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer dcpl{H5Dget_create_plist(ds.id), H5Pclose};
    std::vector<std::uint64_t> out;
    if (H5Pget_layout(dcpl.id) == H5D_CHUNKED) {
        hsize_t chunk[8] = {};
        const int rank = H5Pget_chunk(dcpl.id, 8, chunk);
        for (int i = 0; i < rank; ++i) out.push_back(chunk[i]);
    }
    out.push_back(~std::uint64_t{0});  // the chunk dimensions end here
    const int n = H5Pget_nfilters(dcpl.id);
    for (int i = 0; i < n; ++i) {
        unsigned flags = 0;
        std::size_t nelmts = 8;
        unsigned values[8] = {};
        char name[64];
        const H5Z_filter_t id = H5Pget_filter2(dcpl.id, static_cast<unsigned>(i), &flags, &nelmts,
                                               values, sizeof name, name, nullptr);
        out.push_back(static_cast<std::uint64_t>(id));
        for (std::size_t k = 0; k < std::min<std::size_t>(nelmts, 8); ++k) out.push_back(values[k]);
    }
    return out;
}

std::vector<double> H5Reader::doubles(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer space{H5Dget_space(ds.id), H5Sclose};
    std::vector<double> v(count(space.id));
    if (!v.empty())
        need(H5Dread(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()),
             "read " + dataset, 0);
    return v;
}

std::vector<std::int64_t> H5Reader::int64s(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer space{H5Dget_space(ds.id), H5Sclose};
    std::vector<std::int64_t> v(count(space.id));
    if (!v.empty())
        need(H5Dread(ds.id, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()),
             "read " + dataset, 0);
    return v;
}

std::vector<std::string> H5Reader::strings(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer space{H5Dget_space(ds.id), H5Sclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    if (H5Tget_class(type.id) != H5T_STRING)
        throw std::runtime_error(dataset + " is not a string dataset");
    const hid_t id = ds.id;
    return readStrings(
        type.id, count(space.id),
        [id](hid_t mem, void* buf) { return H5Dread(id, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
        space.id, true);
}

std::string H5Reader::string(const std::string& dataset) const {
    const auto v = strings(dataset);
    if (v.size() != 1) throw std::runtime_error(dataset + " is not a scalar string");
    return v.front();
}

namespace {

template <typename F>
auto withAttr(hid_t file, const std::string& object, const std::string& name, F&& f) {
    Closer a{need(H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                  "open attribute " + object + "@" + name),
             H5Aclose};
    return f(a.id);
}

}  // namespace

std::vector<std::string> H5Reader::attrStrings(const std::string& object,
                                               const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        Closer type{H5Aget_type(a), H5Tclose};
        Closer space{H5Aget_space(a), H5Sclose};
        if (H5Tget_class(type.id) != H5T_STRING)
            throw std::runtime_error(object + "@" + name + " is not a string attribute");
        return readStrings(
            type.id, count(space.id), [a](hid_t mem, void* buf) { return H5Aread(a, mem, buf); },
            space.id, false);
    });
}

std::string H5Reader::attrString(const std::string& object, const std::string& name) const {
    const auto v = attrStrings(object, name);
    if (v.size() != 1) throw std::runtime_error(object + "@" + name + " is not scalar");
    return v.front();
}

double H5Reader::attrDouble(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        double v = 0;
        need(H5Aread(a, H5T_NATIVE_DOUBLE, &v), "read " + name, 0);
        return v;
    });
}

std::int64_t H5Reader::attrInt64(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        std::int64_t v = 0;
        need(H5Aread(a, H5T_NATIVE_INT64, &v), "read " + name, 0);
        return v;
    });
}

std::uint64_t H5Reader::attrUInt64(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        std::uint64_t v = 0;
        need(H5Aread(a, H5T_NATIVE_UINT64, &v), "read " + name, 0);
        return v;
    });
}

H5T_class_t H5Reader::attrClass(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        Closer type{H5Aget_type(a), H5Tclose};
        return H5Tget_class(type.id);
    });
}

H5T_sign_t H5Reader::attrSign(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        Closer type{H5Aget_type(a), H5Tclose};
        return H5Tget_sign(type.id);
    });
}

std::size_t H5Reader::attrSize(const std::string& object, const std::string& name) const {
    return withAttr(file_, object, name, [&](hid_t a) {
        Closer type{H5Aget_type(a), H5Tclose};
        return H5Tget_size(type.id);
    });
}

H5T_sign_t H5Reader::sign(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    return H5Tget_sign(type.id);
}

std::vector<std::string> H5Reader::attrNames(const std::string& object) const {
    Closer obj{need(H5Oopen(file_, object.c_str(), H5P_DEFAULT), "open " + object), H5Oclose};
    H5O_info_t info;
    need(H5Oget_info2(obj.id, &info, H5O_INFO_NUM_ATTRS), "info " + object, 0);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        char buf[256];
        need(static_cast<herr_t>(H5Aget_name_by_idx(obj.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf,
                                                    sizeof buf, H5P_DEFAULT) < 0
                                     ? -1
                                     : 0),
             "attribute name", 0);
        names.emplace_back(buf);
    }
    return names;
}

std::vector<std::string> H5Reader::fields(const std::string& dataset) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    if (H5Tget_class(type.id) != H5T_COMPOUND)
        throw std::runtime_error(dataset + " is not a compound dataset");
    std::vector<std::string> out;
    const int n = H5Tget_nmembers(type.id);
    for (int i = 0; i < n; ++i) {
        char* name = H5Tget_member_name(type.id, static_cast<unsigned>(i));
        out.emplace_back(name);
        H5free_memory(name);
    }
    return out;
}

namespace {

// Reads one member of a compound dataset into `buf` using a one-member memory compound type:
// HDF5 matches members by name, so this is independent of the file's member order and offsets.
void readMember(hid_t file, const std::string& dataset, const std::string& field, hid_t memMember,
                std::size_t memSize, std::vector<char>& buf) {
    Closer ds{need(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer space{H5Dget_space(ds.id), H5Sclose};
    const std::size_t n = count(space.id);
    Closer mem{H5Tcreate(H5T_COMPOUND, memSize), H5Tclose};
    need(H5Tinsert(mem.id, field.c_str(), 0, memMember), "insert " + field, 0);
    buf.assign(std::max<std::size_t>(n * memSize, 1), '\0');
    if (n > 0)
        need(H5Dread(ds.id, mem.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()),
             "read column " + field + " of " + dataset, 0);
    buf.resize(n * memSize);
}

}  // namespace

std::size_t H5Reader::columnStringWidth(const std::string& dataset,
                                        const std::string& field) const {
    Closer ds{need(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), "open " + dataset), H5Dclose};
    Closer type{H5Dget_type(ds.id), H5Tclose};
    const int idx = H5Tget_member_index(type.id, field.c_str());
    if (idx < 0) throw std::runtime_error(dataset + " has no field " + field);
    Closer member{H5Tget_member_type(type.id, static_cast<unsigned>(idx)), H5Tclose};
    if (H5Tget_class(member.id) != H5T_STRING || H5Tis_variable_str(member.id) > 0)
        throw std::runtime_error(dataset + "." + field + " is not a fixed-length string");
    return H5Tget_size(member.id);
}

std::vector<double> H5Reader::columnDoubles(const std::string& dataset,
                                            const std::string& field) const {
    std::vector<char> buf;
    readMember(file_, dataset, field, H5T_NATIVE_DOUBLE, sizeof(double), buf);
    std::vector<double> v(buf.size() / sizeof(double));
    std::memcpy(v.data(), buf.data(), buf.size());
    return v;
}

std::vector<std::int64_t> H5Reader::columnInt64s(const std::string& dataset,
                                                 const std::string& field) const {
    std::vector<char> buf;
    readMember(file_, dataset, field, H5T_NATIVE_INT64, sizeof(std::int64_t), buf);
    std::vector<std::int64_t> v(buf.size() / sizeof(std::int64_t));
    std::memcpy(v.data(), buf.data(), buf.size());
    return v;
}

std::vector<std::string> H5Reader::columnStrings(const std::string& dataset,
                                                 const std::string& field) const {
    const std::size_t w = columnStringWidth(dataset, field);
    Closer member{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(member.id, w);
    H5Tset_strpad(member.id, H5T_STR_NULLPAD);
    H5Tset_cset(member.id, H5T_CSET_UTF8);
    std::vector<char> buf;
    readMember(file_, dataset, field, member.id, w, buf);
    std::vector<std::string> out;
    for (std::size_t i = 0; i * w < buf.size(); ++i) out.push_back(trimNul(buf.data() + i * w, w));
    return out;
}

void addForeignLayouts(hid_t loc, hid_t lcpl) {
    const hsize_t n = 4, chunk = 2;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(dcpl, H5D_COMPACT);
    H5Dclose(H5Dcreate2(loc, "compact", H5T_IEEE_F64LE, space, lcpl, dcpl, H5P_DEFAULT));
    H5Pclose(dcpl);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    const hid_t text = H5Tcopy(H5T_C_S1);
    H5Tset_size(text, H5T_VARIABLE);
    H5Dclose(H5Dcreate2(loc, "chunked", text, space, lcpl, dcpl, H5P_DEFAULT));
    H5Tclose(text);
    H5Pclose(dcpl);
    H5Sclose(space);
}

void writeBoolAttribute(hid_t loc, const char* name, signed char value) {
    const Closer type{H5Tenum_create(H5T_STD_I8LE), H5Tclose};
    signed char v = 0;
    H5Tenum_insert(type.id, "FALSE", &v);
    v = 1;
    H5Tenum_insert(type.id, "TRUE", &v);
    const Closer space{H5Screate(H5S_SCALAR), H5Sclose};
    const Closer a{H5Acreate2(loc, name, type.id, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
    if (a.id < 0 || H5Awrite(a.id, type.id, &value) < 0)
        throw std::runtime_error(std::string("cannot write the bool attribute ") + name);
}

}  // namespace rotor::test
