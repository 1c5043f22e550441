// SPDX-License-Identifier: MIT
// One HDF5 file opened read-only for the report's readers (results files, backtest-model
// files): bounded reads of datasets, tables and attributes, each failure an InputError (exit 2)
// naming the file and the object. Every read first checks the stored type against the types
// rotor writes (engine/io/hdf5_types.hpp), so a damaged type message is refused before
// libhdf5's conversion code sees it. Private to engine/report: only its .cpp files include it.
#pragma once

#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_heap.hpp"
#include "engine/report/file_provenance.hpp"
#include "engine/report/record_table.hpp"

#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rotor::report {

class Hdf5Reader {
public:
    // `kind` names the file in messages ("rotor results file").
    Hdf5Reader(std::string path, std::string kind)
        : path_(std::move(path)), kind_(std::move(kind)) {}

    // "<path>: not a valid <kind>: <what>".
    [[noreturn]] void bad(const std::string& what) const;

    // A regular HDF5 file on disk (not a FIFO or device), or a file image held in memory.
    void open();
    void openImage(const std::vector<char>& image);

    hid_t root() const { return file_.get(); }
    const std::string& path() const { return path_; }
    const std::string& kind() const { return kind_; }

    // Whether every link along the relative path `name` exists (a missing parent is no error).
    bool exists(hid_t loc, const std::string& name) const;
    h5::Handle group(hid_t loc, const std::string& name, const std::string& where) const;
    h5::Handle dataset(hid_t loc, const std::string& name, const std::string& where) const;
    // Names of the links directly under `loc`, in name order.
    std::vector<std::string> children(hid_t loc, const std::string& where) const;

    static std::vector<hsize_t> dims(hid_t ds);
    // Elements of a dataset of shape `d`, each `bytes` large in memory, held to the memory limit
    // before anything is allocated (a damaged file can claim any shape).
    std::size_t elements(const std::vector<hsize_t>& d, std::size_t bytes,
                         const std::string& where) const;

    std::vector<double> doubles(hid_t loc, const std::string& name, const std::string& where) const;
    Grid grid(hid_t loc, const std::string& name, const std::string& where) const;
    // Fixed- or variable-length strings of a dataset, or a scalar string dataset (one value).
    std::vector<std::string> strings(hid_t loc, const std::string& name,
                                     const std::string& where) const;
    std::string string(hid_t loc, const std::string& name, const std::string& where) const;
    RecordTable table(hid_t loc, const std::string& name, const std::string& where) const;

    bool hasAttribute(hid_t loc, const std::string& name) const;
    // A string attribute's values (a scalar gives one); empty when absent or not strings.
    std::vector<std::string> attrStrings(hid_t loc, const std::string& name) const;
    // Any scalar or 1-D attribute as text: strings verbatim, numbers in full precision, arrays
    // joined with ", ".
    std::string attrText(hid_t loc, const std::string& name) const;
    // NaN when absent or not a number (a damaged number type is refused, as in attrInt).
    double attrDouble(hid_t loc, const std::string& name) const;
    // `fallback` when absent or not a number; a number of a damaged type or more than one
    // value is refused (bad).
    template <class Int>
    Int attrInt(hid_t loc, const std::string& name, Int fallback, hid_t memType) const {
        const h5::Handle a = numberAttribute(loc, name);
        Int v = fallback;
        if (a.valid() && H5Aread(a.get(), memType, &v) < 0) return fallback;
        return v;
    }
    // Attribute names in creation order when tracked, else in name order.
    std::vector<std::string> attrNames(hid_t loc) const;

private:
    // Makes heap_ for the open file and checks the root group's object header.
    void checkRoot();
    // The attribute `name` when it holds one number of a type rotor writes (invalid when absent
    // or not a number); bad() when its number type is damaged or it holds several values.
    h5::Handle numberAttribute(hid_t loc, const std::string& name) const;
    // bad() when the variable-length strings of an attribute point at global heap objects
    // that are missing or of another length (nothing for other types).
    void checkHeap(hid_t loc, const std::string& name, hid_t type, std::uint64_t values) const;
    // bad() unless an attribute of `type` with `npoints` values fits in the file.
    void checkAttributeSize(hid_t type, hssize_t npoints, const std::string& name) const;

    // Reads n strings of file type `type` through `read(memType, buffer)`; `space` is the
    // dataspace the variable-length buffers are reclaimed with.
    template <class ReadFn>
    std::vector<std::string> readStrings(hid_t type, std::size_t n, const std::string& where,
                                         ReadFn read, hid_t space) const;

    std::string path_;
    std::string kind_;
    h5::Handle file_;
    std::uint64_t fileBytes_ = UINT64_MAX;
    // Variable-length strings are checked against their global heap before they are read
    // (engine/io/hdf5_heap.hpp); it remembers the collections it walked.
    std::unique_ptr<h5::HeapCheck> heap_;
};

// The root every rotor file shares: checks the attribute `format` (else "<path>: not a <kind>
// (root attribute format is ...)") and `format_version` (1 up to `maxVersion`; a newer one
// asks for a newer rotor: "<label> format version N was written by a newer rotor"), then reads
// every root attribute and /provenance into `p` (p.path is the reader's path).
void readRotorRoot(const Hdf5Reader& r, const std::string& format, std::int64_t maxVersion,
                   const std::string& label, FileProvenance& p);

}  // namespace rotor::report
