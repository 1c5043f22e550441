// SPDX-License-Identifier: MIT
#include "engine/io/hdf5_types.hpp"

#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace rotor::h5 {

namespace {

constexpr std::size_t kMaxFixedString = std::size_t{1} << 20;
constexpr int kMaxMembers = 4096;

// H5Tequal compares every property of the two types (for strings: size, order, padding,
// character set; for variable-length ones also the base type).
bool equal(hid_t a, hid_t b) { return H5Tequal(a, b) > 0; }

// The string type with `type`'s size, padding and character set when those are ones rotor or
// h5py write; invalid (-1) otherwise.
Handle expectedString(hid_t type) {
    const bool variable = H5Tis_variable_str(type) > 0;
    const H5T_cset_t cset = H5Tget_cset(type);
    const H5T_str_t pad = H5Tget_strpad(type);
    if (cset != H5T_CSET_ASCII && cset != H5T_CSET_UTF8) return {};
    if (variable ? pad != H5T_STR_NULLTERM
                 : pad != H5T_STR_NULLTERM && pad != H5T_STR_NULLPAD && pad != H5T_STR_SPACEPAD)
        return {};
    const std::size_t size = variable ? 0 : H5Tget_size(type);
    if (!variable && (size < 1 || size > kMaxFixedString)) return {};
    Handle t(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
    if (!t.valid() || H5Tset_size(t.get(), variable ? H5T_VARIABLE : size) < 0 ||
        H5Tset_strpad(t.get(), pad) < 0 || H5Tset_cset(t.get(), cset) < 0)
        return {};
    return t;
}

}  // namespace

bool isType(hid_t type, hid_t expected) {
    QuietErrors quiet;
    return equal(type, expected);
}

bool isStoredNumber(hid_t type) {
    QuietErrors quiet;
    const H5T_class_t cls = H5Tget_class(type);
    if (cls == H5T_FLOAT) return equal(type, H5T_IEEE_F64LE) || equal(type, H5T_IEEE_F32LE);
    if (cls != H5T_INTEGER) return false;
    for (const hid_t t : {H5T_STD_I8LE, H5T_STD_I16LE, H5T_STD_I32LE, H5T_STD_I64LE, H5T_STD_U8LE,
                          H5T_STD_U16LE, H5T_STD_U32LE, H5T_STD_U64LE})
        if (equal(type, t)) return true;
    return false;
}

bool isStoredString(hid_t type) {
    QuietErrors quiet;
    if (H5Tget_class(type) != H5T_STRING) return false;
    const Handle expected = expectedString(type);
    return expected.valid() && equal(type, expected.get());
}

bool isStoredVariableString(hid_t type) {
    return isStoredString(type) && H5Tis_variable_str(type) > 0;
}

bool isStoredTable(hid_t type, std::string& why) {
    QuietErrors quiet;
    if (H5Tget_class(type) != H5T_COMPOUND) {
        why = "not a table";
        return false;
    }
    const std::size_t record = H5Tget_size(type);
    const int members = H5Tget_nmembers(type);
    if (record == 0 || members < 1 || members > kMaxMembers) {
        why = "a table of " + std::to_string(members) + " fields in records of " +
              std::to_string(record) + " bytes";
        return false;
    }
    std::set<std::string> names;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [offset, end) of each field
    for (int m = 0; m < members; ++m) {
        const auto um = static_cast<unsigned>(m);
        char* raw = H5Tget_member_name(type, um);
        const std::string name = raw != nullptr ? raw : "";
        H5free_memory(raw);
        const Handle member(H5Tget_member_type(type, um), Handle::Kind::Datatype);
        if (name.empty() || !names.insert(name).second) {
            why = "a table field without a name or named twice ('" + name + "')";
            return false;
        }
        if (!member.valid() || (!isStoredNumber(member.get()) && !isStoredString(member.get()))) {
            why = "table field '" + name + "' is neither a number nor a string of a known type";
            return false;
        }
        const std::size_t offset = H5Tget_member_offset(type, um);
        const std::size_t size = H5Tget_size(member.get());
        if (offset > record || size > record - offset) {
            why = "table field '" + name + "' lies outside its record";
            return false;
        }
        spans.emplace_back(offset, offset + size);
    }
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i)
        if (spans[i].first < spans[i - 1].second) {
            why = "table fields overlap";
            return false;
        }
    return true;
}

StoredAttribute openAttribute(hid_t loc, const char* name) {
    StoredAttribute a;
    a.attribute = Handle(H5Aopen(loc, name, H5P_DEFAULT), Handle::Kind::Attribute);
    if (!a.attribute.valid()) return a;
    a.type = Handle(H5Aget_type(a.attribute.get()), Handle::Kind::Datatype);
    a.space = Handle(H5Aget_space(a.attribute.get()), Handle::Kind::Dataspace);
    return a;
}

hssize_t StoredAttribute::values() const {
    return space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
}

}  // namespace rotor::h5
