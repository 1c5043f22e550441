// SPDX-License-Identifier: MIT
// The HDF5 C API reads shared by the report's file readers; every layout problem becomes one
// InputError line naming the file and the object.
#include "engine/report/hdf5_reader.hpp"

#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/io/hdf5_types.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <sstream>
#include <utility>

namespace rotor::report {

double RecordTable::number(const std::string& field, std::size_t row) const {
    const auto it = numbers.find(field);
    return it == numbers.end() || row >= it->second.size() ? kNaN : it->second[row];
}

std::string RecordTable::text(const std::string& field, std::size_t row) const {
    const auto it = strings.find(field);
    return it == strings.end() || row >= it->second.size() ? std::string() : it->second[row];
}

std::string FileProvenance::attribute(const std::string& name) const {
    for (const auto& [k, v] : attributes)
        if (k == name) return v;
    return "";
}

using h5::Handle;

void Hdf5Reader::bad(const std::string& what) const {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(path_ + ": not a valid " + kind_ + ": " + what);
}

void Hdf5Reader::open() {
    // A regular file only (fstat on an open descriptor): HDF5 would block on a FIFO and
    // read a device forever.
    try {
        requireRegularFile(path_);
    } catch (const FileReadError& e) {
        throw InputError("cannot open results file '" + path_ +
                         "': " + (e.reason() == "file not found" ? "no such file" : e.reason()));
    }
    if (H5Fis_hdf5(path_.c_str()) <= 0)
        throw InputError(path_ + ": not a " + kind_ + " (not an HDF5 file)");
    file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), Handle::Kind::File);
    if (!file_.valid()) throw InputError("cannot open results file '" + path_ + "'");
    hsize_t size = 0;
    if (H5Fget_filesize(file_.get(), &size) >= 0) fileBytes_ = size;
    checkRoot();
}

// A file image: HDF5's core driver reads it from a copy in memory.
void Hdf5Reader::openImage(const std::vector<char>& image) {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Handle::Kind::PropertyList);
    if (H5Pset_fapl_core(fapl.get(), std::size_t{1} << 16, false) < 0 ||
        (!image.empty() &&
         H5Pset_file_image(fapl.get(), const_cast<char*>(image.data()), image.size()) < 0))
        throw InputError("cannot open results image '" + path_ + "'");
    static std::atomic<unsigned long> counter{0};
    const std::string internal = "rotor-image-" + std::to_string(++counter) + ".h5";
    file_ = Handle(H5Fopen(internal.c_str(), H5F_ACC_RDONLY, fapl.get()), Handle::Kind::File);
    if (!file_.valid()) throw InputError(path_ + ": not a " + kind_ + " (not HDF5)");
    fileBytes_ = image.size();
    checkRoot();
}

// The root group's header (libhdf5 loaded it opening the file, and decodes its messages only
// when asked) is checked like every other object's before anything is read from it.
void Hdf5Reader::checkRoot() {
    heap_ = std::make_unique<h5::HeapCheck>(file_.get());
    if (const std::string why = heap_->attributes(file_.get()); !why.empty()) bad("/: " + why);
}

namespace {

// The HDF5 path of `rel` under `loc`, for messages.
std::string pathOf(hid_t loc, const std::string& rel) {
    const ssize_t n = H5Iget_name(loc, nullptr, 0);
    std::string base(n > 0 ? static_cast<std::size_t>(n) + 1 : 0, '\0');
    if (n > 0 && H5Iget_name(loc, base.data(), base.size()) == n)
        base.resize(static_cast<std::size_t>(n));
    else
        base.clear();
    if (rel.empty()) return base.empty() ? "/" : base;
    return (base.empty() || base.back() != '/' ? base + "/" : base) + rel;
}

}  // namespace

bool Hdf5Reader::exists(hid_t loc, const std::string& name) const {
    // Checks each link along a relative path so a missing parent is not an error.
    std::string sofar;
    std::istringstream parts(name);
    std::string part;
    while (std::getline(parts, part, '/')) {
        if (part.empty()) continue;
        // The group looked in next: its links must be sound before libhdf5 looks one up
        // (hdf5_heap.hpp).
        if (const std::string why = heap_->links(loc, sofar.c_str()); !why.empty())
            bad(pathOf(loc, sofar) + ": " + why);
        sofar += sofar.empty() ? part : "/" + part;
        if (H5Lexists(loc, sofar.c_str(), H5P_DEFAULT) <= 0) return false;
        // The object it names: its header is checked before libhdf5 loads it.
        if (const std::string why = heap_->object(loc, sofar.c_str()); !why.empty())
            bad(pathOf(loc, sofar) + ": " + why);
    }
    return H5Oexists_by_name(loc, sofar.c_str(), H5P_DEFAULT) > 0;
}

Handle Hdf5Reader::group(hid_t loc, const std::string& name, const std::string& where) const {
    if (!exists(loc, name)) bad("missing group " + where);
    Handle g(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Group);
    if (!g.valid()) bad("cannot open group " + where);
    return g;
}

Handle Hdf5Reader::dataset(hid_t loc, const std::string& name, const std::string& where) const {
    if (!exists(loc, name)) bad("missing dataset " + where);
    Handle d(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Dataset);
    if (!d.valid()) bad("cannot open dataset " + where);
    // Contiguous values lie in the file: a damaged layout pointing past its end is refused
    // (libhdf5 would read there).
    const haddr_t at = H5Dget_offset(d.get());
    const hsize_t stored = H5Dget_storage_size(d.get());
    if (at != HADDR_UNDEF && (at > fileBytes_ || stored > fileBytes_ - at))
        bad(where + " claims " + std::to_string(stored) + " bytes at offset " + std::to_string(at) +
            ", past the end of the file");
    return d;
}

// Names of the links directly under `loc`, in name order.
std::vector<std::string> Hdf5Reader::children(hid_t loc, const std::string& where) const {
    if (const std::string why = heap_->links(loc); !why.empty()) bad(where + ": " + why);
    // Read from the group's header when it keeps its links there, as rotor writes them
    // (libhdf5 decodes them all into a table to list them, and crashed releasing a damaged one).
    std::vector<std::string> names;
    std::string why;
    if (heap_->linkNames(loc, names, why)) return names;
    if (!why.empty()) bad(where + ": " + why);
    H5G_info_t info{};
    if (H5Gget_info(loc, &info) < 0) bad("cannot list " + where);
    std::vector<std::string> out;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t n = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0,
                                             H5P_DEFAULT);
        if (n < 0) bad("cannot list " + where);
        std::string name(static_cast<std::size_t>(n) + 1, '\0');
        H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(n));
        out.push_back(name);
    }
    return out;
}

std::vector<hsize_t> Hdf5Reader::dims(hid_t ds) {
    Handle space(H5Dget_space(ds), Handle::Kind::Dataspace);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
    if (rank > 0) H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
    return d;
}

// Elements of a dataset of shape `d`, each `bytes` large in memory: a corrupt or hostile
// file can claim any shape, so the product is checked and held to the memory limit before
// anything is allocated.
std::size_t Hdf5Reader::elements(const std::vector<hsize_t>& d, std::size_t bytes,
                                 const std::string& where) const {
    std::uint64_t n = 1;
    for (hsize_t x : d) {
        const auto next = checkedMul(n, x);
        if (!next) bad(where + " has an impossible shape");
        n = *next;
    }
    const auto total = checkedMul(n, std::max<std::size_t>(bytes, 1));
    if (!total || *total > memoryLimitBytes())
        bad(where + " would need more memory than the limit of " + formatBytes(memoryLimitBytes()) +
            " (--max-memory raises it)");
    return static_cast<std::size_t>(n);
}

std::vector<double> Hdf5Reader::doubles(hid_t loc, const std::string& name,
                                        const std::string& where) const {
    Handle ds = dataset(loc, name, where);
    {
        const Handle type(H5Dget_type(ds.get()), Handle::Kind::Datatype);
        if (!h5::isStoredNumber(type.get())) bad(where + " is not stored as numbers");
    }
    const auto d = dims(ds.get());
    const std::size_t n = elements(d, sizeof(double), where);
    std::vector<double> out(n);
    if (n > 0 &&
        H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        bad("cannot read " + where + " as numbers");
    return out;
}

Grid Hdf5Reader::grid(hid_t loc, const std::string& name, const std::string& where) const {
    Grid g;
    {
        Handle ds = dataset(loc, name, where);
        const auto d = dims(ds.get());
        if (d.size() != 2) bad(where + " is not two-dimensional");
        g.rows = static_cast<std::size_t>(d[0]);
        g.cols = static_cast<std::size_t>(d[1]);
    }
    g.data = doubles(loc, name, where);
    return g;
}

// Fixed- or variable-length strings of a dataset, or a scalar string dataset (one value).
template <class ReadFn>
std::vector<std::string> Hdf5Reader::readStrings(hid_t type, std::size_t n,
                                                 const std::string& where, ReadFn read,
                                                 hid_t space) const {
    std::vector<std::string> out(n);
    if (n == 0) return out;
    if (H5Tis_variable_str(type) > 0) {
        Handle mem(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type));
        std::vector<char*> ptrs(n, nullptr);
        if (read(mem.get(), ptrs.data()) < 0) bad("cannot read strings of " + where);
        for (std::size_t i = 0; i < n; ++i) out[i] = ptrs[i] ? ptrs[i] : "";
        H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, ptrs.data());
    } else {
        const std::size_t width = H5Tget_size(type);
        Handle mem(H5Tcopy(type), Handle::Kind::Datatype);
        std::vector<char> buf(n * width, '\0');
        if (read(mem.get(), buf.data()) < 0) bad("cannot read strings of " + where);
        for (std::size_t i = 0; i < n; ++i) {
            const char* p = buf.data() + i * width;
            out[i].assign(p, strnlen(p, width));
        }
    }
    return out;
}

std::vector<std::string> Hdf5Reader::strings(hid_t loc, const std::string& name,
                                             const std::string& where) const {
    Handle ds = dataset(loc, name, where);
    Handle type(H5Dget_type(ds.get()), Handle::Kind::Datatype);
    if (H5Tget_class(type.get()) != H5T_STRING) bad(where + " is not a string dataset");
    if (!h5::isStoredString(type.get())) bad(where + " has a string type rotor does not write");
    const auto d = dims(ds.get());
    const std::size_t n = elements(d, std::max<std::size_t>(H5Tget_size(type.get()), 16), where);
    if (H5Tis_variable_str(type.get()) > 0)
        if (const std::string why = heap_->dataset(ds.get(), n); !why.empty())
            bad(where + ": " + why);
    Handle space(H5Dget_space(ds.get()), Handle::Kind::Dataspace);
    return readStrings(
        type.get(), n, where,
        [&](hid_t mem, void* buf) {
            return H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        },
        space.get());
}

// A string attribute's values (a scalar gives one); empty when absent or not strings.
std::vector<std::string> Hdf5Reader::attrStrings(hid_t loc, const std::string& name) const {
    if (!hasAttribute(loc, name)) return {};
    const h5::StoredAttribute a = h5::openAttribute(loc, name.c_str());
    const hid_t type = a.type.get();
    if (H5Tget_class(type) != H5T_STRING) return {};
    if (!h5::isStoredString(type))
        bad("attribute " + name + " has a string type rotor does not write");
    const hssize_t n = a.values();
    checkAttributeSize(type, n, name);
    checkHeap(loc, name, type, n > 0 ? static_cast<std::uint64_t>(n) : 0);
    return readStrings(
        type, n > 0 ? static_cast<std::size_t>(n) : 0, name,
        [&](hid_t mem, void* buf) { return H5Aread(a.attribute.get(), mem, buf); }, a.space.get());
}

std::string Hdf5Reader::string(hid_t loc, const std::string& name, const std::string& where) const {
    const auto v = strings(loc, name, where);
    return v.empty() ? std::string() : v.front();
}

// Reads n strings of file type `type` through `read(memType, buffer)`; `space` is the
// dataspace the variable-length buffers are reclaimed with.
RecordTable Hdf5Reader::table(hid_t loc, const std::string& name, const std::string& where) const {
    Handle ds = dataset(loc, name, where);
    Handle type(H5Dget_type(ds.get()), Handle::Kind::Datatype);
    if (H5Tget_class(type.get()) != H5T_COMPOUND) bad(where + " is not a table");
    if (std::string why; !h5::isStoredTable(type.get(), why)) bad(where + ": " + why);
    const auto d = dims(ds.get());
    if (d.size() != 1) bad(where + " is not one-dimensional");
    RecordTable t;
    // Every field of every row is held (numbers as doubles, strings as std::string).
    t.rows = elements(d, std::max<std::size_t>(H5Tget_size(type.get()), 8) * 4, where);
    Handle space(H5Dget_space(ds.get()), Handle::Kind::Dataspace);
    const int members = H5Tget_nmembers(type.get());
    for (int m = 0; m < members; ++m) {
        const auto um = static_cast<unsigned>(m);
        char* raw = H5Tget_member_name(type.get(), um);
        const std::string field = raw ? raw : "";
        H5free_memory(raw);
        Handle memberType(H5Tget_member_type(type.get(), um), Handle::Kind::Datatype);
        const H5T_class_t cls = H5Tget_class(memberType.get());
        // A one-member compound reads just that field, converted to the memory type.
        auto readField = [&](hid_t fieldMem, void* buf) {
            Handle rec(H5Tcreate(H5T_COMPOUND, H5Tget_size(fieldMem)), Handle::Kind::Datatype);
            H5Tinsert(rec.get(), field.c_str(), 0, fieldMem);
            return H5Dread(ds.get(), rec.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        };
        if (cls == H5T_STRING) {
            t.strings[field] = readStrings(
                memberType.get(), t.rows, where + "." + field,
                [&](hid_t mem, void* buf) { return readField(mem, buf); }, space.get());
        } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
            std::vector<double> v(t.rows);
            if (t.rows > 0 && readField(H5T_NATIVE_DOUBLE, v.data()) < 0)
                bad("cannot read " + where + "." + field);
            t.numbers[field] = std::move(v);
        } else {
            continue;  // a field of another kind is not shown
        }
        t.fields.push_back(field);
    }
    return t;
}

bool Hdf5Reader::hasAttribute(hid_t loc, const std::string& name) const {
    if (const std::string why = heap_->attributes(loc); !why.empty()) bad(why);
    return H5Aexists(loc, name.c_str()) > 0;
}

// Any scalar or 1-D attribute as text: strings verbatim, numbers in full precision, arrays
// joined with ", ".
std::string Hdf5Reader::attrText(hid_t loc, const std::string& name) const {
    if (!hasAttribute(loc, name)) return "";
    const h5::StoredAttribute stored = h5::openAttribute(loc, name.c_str());
    const hid_t a = stored.attribute.get();
    const hid_t type = stored.type.get();
    const hssize_t npoints = stored.values();
    checkAttributeSize(type, npoints, name);
    const H5T_class_t cls = H5Tget_class(type);
    if ((cls == H5T_STRING && !h5::isStoredString(type)) ||
        ((cls == H5T_INTEGER || cls == H5T_FLOAT) && !h5::isStoredNumber(type)))
        bad("attribute " + name + " has a type rotor does not write");
    const std::size_t n = npoints > 0 ? elements({static_cast<hsize_t>(npoints)},
                                                 std::max<std::size_t>(H5Tget_size(type), 16), name)
                                      : 0;
    std::vector<std::string> parts;
    if (cls == H5T_STRING) {
        checkHeap(loc, name, type, n);
        parts = readStrings(
            type, n, name, [&](hid_t mem, void* buf) { return H5Aread(a, mem, buf); },
            stored.space.get());
    } else if (cls == H5T_INTEGER) {
        const bool isSigned = H5Tget_sign(type) != H5T_SGN_NONE;
        if (isSigned) {
            std::vector<long long> v(n);
            if (n) H5Aread(a, H5T_NATIVE_LLONG, v.data());
            for (long long x : v) parts.push_back(std::to_string(x));
        } else {
            std::vector<unsigned long long> v(n);
            if (n) H5Aread(a, H5T_NATIVE_ULLONG, v.data());
            for (unsigned long long x : v) parts.push_back(std::to_string(x));
        }
    } else if (cls == H5T_FLOAT) {
        std::vector<double> v(n);
        if (n) H5Aread(a, H5T_NATIVE_DOUBLE, v.data());
        for (double x : v) {
            std::ostringstream os;
            os.precision(17);
            os << x;
            parts.push_back(os.str());
        }
    } else {
        return "";
    }
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    H5Eclear2(H5E_DEFAULT);
    return out;
}

// An attribute's values live in its object header, inside the file: a damaged header
// claiming more (HDF5 would allocate and convert them all) is refused first.
void Hdf5Reader::checkAttributeSize(hid_t type, hssize_t npoints, const std::string& name) const {
    const std::uint64_t width = std::max<std::size_t>(H5Tget_size(type), 1);
    if (npoints > 0 &&
        checkedMul(static_cast<std::uint64_t>(npoints), width).value_or(UINT64_MAX) > fileBytes_)
        bad("attribute " + name + " claims " + std::to_string(npoints) +
            " values, more than the file holds");
}

void Hdf5Reader::checkHeap(hid_t loc, const std::string& name, hid_t type,
                           std::uint64_t values) const {
    if (H5Tis_variable_str(type) <= 0) return;
    if (const std::string why = heap_->attribute(loc, name, values); !why.empty()) bad(why);
}

Handle Hdf5Reader::numberAttribute(hid_t loc, const std::string& name) const {
    if (!hasAttribute(loc, name)) return {};
    h5::StoredAttribute a = h5::openAttribute(loc, name.c_str());
    if (!a.attribute.valid()) bad("cannot open attribute " + name);
    const H5T_class_t cls = H5Tget_class(a.type.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) return {};
    if (!h5::isStoredNumber(a.type.get()))
        bad("attribute " + name + " has a number type rotor does not write");
    // One value is read into one variable: an array would be written past it.
    const hssize_t n = a.values();
    if (n != 1) bad("attribute " + name + " holds " + std::to_string(n) + " values, expected 1");
    return std::move(a.attribute);
}

double Hdf5Reader::attrDouble(hid_t loc, const std::string& name) const {
    const Handle a = numberAttribute(loc, name);
    double v = kNaN;
    if (!a.valid() || H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0) return kNaN;
    return v;
}

std::vector<std::string> Hdf5Reader::attrNames(hid_t loc) const {
    if (const std::string why = heap_->attributes(loc); !why.empty()) bad(why);
    // A version 1 header (rotor's, h5py's by default): the names in the header's order, which
    // is the order libhdf5 lists them in by creation index there, read from the header itself.
    if (std::vector<std::string> names; heap_->attributeNames(loc, names)) return names;
    H5O_info_t info{};
    if (H5Oget_info2(loc, &info, H5O_INFO_NUM_ATTRS) < 0) return {};
    std::vector<std::string> out;
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        const ssize_t n = H5Aget_name_by_idx(loc, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nullptr,
                                             0, H5P_DEFAULT);
        // Attribute creation order is not tracked by default; fall back to name order.
        const H5_index_t index = n < 0 ? H5_INDEX_NAME : H5_INDEX_CRT_ORDER;
        if (n < 0) H5Eclear2(H5E_DEFAULT);
        const ssize_t m = H5Aget_name_by_idx(loc, ".", index, H5_ITER_INC, i, nullptr, 0,
                                             H5P_DEFAULT);
        if (m < 0) continue;
        std::string name(static_cast<std::size_t>(m) + 1, '\0');
        H5Aget_name_by_idx(loc, ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(m));
        out.push_back(name);
    }
    return out;
}

// The other files rotor writes, when one is given where another is expected: what to do.
static std::string otherFileHint(const std::string& format) {
    if (format == "rotor-shard")
        return "; a `rotor run --path-range` shard: combine the shards with `rotor merge`";
    if (format == "rotor-backtest-model")
        return "; a `rotor backtest-model` file: read it with `rotor report`";
    return "";
}

void readRotorRoot(const Hdf5Reader& r, const std::string& format, std::int64_t maxVersion,
                   const std::string& label, FileProvenance& p) {
    const std::string& path = r.path();
    p.path = path;
    const hid_t root = r.root();
    const std::string found = r.attrText(root, "format");
    if (found != format)
        throw InputError(path + ": not a " + r.kind() + " (root attribute format is '" + found +
                         "', expected '" + format + "')" + otherFileHint(found));
    const auto version = r.attrInt<std::int64_t>(root, "format_version", -1, H5T_NATIVE_INT64);
    if (version > maxVersion)
        throw InputError(path + ": " + label + " format version " + std::to_string(version) +
                         " was written by a newer rotor; this one reads versions up to " +
                         std::to_string(maxVersion) + " (upgrade rotor)");
    if (version < 1) r.bad("root attribute format_version is missing or below 1");
    for (const std::string& name : r.attrNames(root))
        p.attributes.emplace_back(name, r.attrText(root, name));
    if (r.exists(root, "provenance")) {
        Handle g = r.group(root, "provenance", "/provenance");
        if (r.exists(g.get(), "scenario_yaml"))
            p.scenarioYaml = r.string(g.get(), "scenario_yaml", "/provenance/scenario_yaml");
        if (r.exists(g.get(), "resolved_yaml"))
            p.resolvedYaml = r.string(g.get(), "resolved_yaml", "/provenance/resolved_yaml");
        if (r.exists(g.get(), "data_files"))
            p.dataFiles = r.table(g.get(), "data_files", "/provenance/data_files");
    }
}

}  // namespace rotor::report
