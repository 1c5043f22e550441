// SPDX-License-Identifier: MIT
// Test-only HDF5 reader written straight against the C API, so the writer is checked by code
// that shares nothing with it.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rotor::test {

class H5Reader {
public:
    explicit H5Reader(const std::string& path);
    ~H5Reader();
    H5Reader(const H5Reader&) = delete;
    H5Reader& operator=(const H5Reader&) = delete;

    // True if every link along `path` exists ("/a/b/c").
    bool exists(const std::string& path) const;
    std::vector<hsize_t> dims(const std::string& dataset) const;
    H5T_class_t typeClass(const std::string& dataset) const;
    bool isVariableString(const std::string& dataset) const;
    std::size_t typeSize(const std::string& dataset) const;
    bool isCompressed(const std::string& dataset) const;  // has the deflate filter
    // The chunk dimensions (empty: not chunked), then each filter's id and parameters, in order.
    std::vector<std::uint64_t> storage(const std::string& dataset) const;

    std::vector<double> doubles(const std::string& dataset) const;
    std::vector<std::int64_t> int64s(const std::string& dataset) const;
    std::vector<std::string> strings(const std::string& dataset) const;  // fixed or variable
    std::string string(const std::string& dataset) const;                // scalar

    std::string attrString(const std::string& object, const std::string& name) const;
    std::vector<std::string> attrStrings(const std::string& object, const std::string& name) const;
    double attrDouble(const std::string& object, const std::string& name) const;
    std::int64_t attrInt64(const std::string& object, const std::string& name) const;
    std::uint64_t attrUInt64(const std::string& object, const std::string& name) const;
    H5T_class_t attrClass(const std::string& object, const std::string& name) const;
    // Integer attributes and datasets: H5T_SGN_NONE (unsigned) or H5T_SGN_2, and the byte size.
    H5T_sign_t attrSign(const std::string& object, const std::string& name) const;
    std::size_t attrSize(const std::string& object, const std::string& name) const;
    H5T_sign_t sign(const std::string& dataset) const;
    std::vector<std::string> attrNames(const std::string& object) const;

    // Compound tables: member names in order, and one column read by name.
    std::vector<std::string> fields(const std::string& dataset) const;
    std::vector<double> columnDoubles(const std::string& dataset, const std::string& field) const;
    std::vector<std::int64_t> columnInt64s(const std::string& dataset,
                                           const std::string& field) const;
    std::vector<std::string> columnStrings(const std::string& dataset,
                                           const std::string& field) const;
    std::size_t columnStringWidth(const std::string& dataset, const std::string& field) const;

private:
    hid_t file_;
};

// Adds to `loc` two datasets of layouts rotor never writes, with link creation properties
// `lcpl`: "compact" (four doubles, compact layout) and "chunked" (four variable-length strings
// in chunks of two).
void addForeignLayouts(hid_t loc, hid_t lcpl);

// A scalar attribute `name` of `loc` holding an enum of a signed byte with members FALSE (0) and
// TRUE (1), as h5py stores a bool; throws std::runtime_error if libhdf5 refuses it.
void writeBoolAttribute(hid_t loc, const char* name, signed char value);

}  // namespace rotor::test
