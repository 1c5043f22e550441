// SPDX-License-Identifier: MIT
// A small RAII layer over the HDF5 C API: files, groups, datasets and attributes, write-only.
// HDF5 stays a private dependency: this header does not include <hdf5.h>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rotor::h5 {

// One HDF5 identifier (hid_t, a 64-bit integer since HDF5 1.10) closed with the function that
// matches its kind when the handle goes out of scope. Move-only.
class Handle {
public:
    enum class Kind { File, Group, Dataset, Attribute, Datatype, Dataspace, PropertyList };

    Handle() = default;
    Handle(std::int64_t id, Kind kind) : id_(id), kind_(kind) {}
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept : id_(other.id_), kind_(other.kind_) { other.id_ = -1; }
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    std::int64_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }
    // Closes now; returns false if HDF5 reported an error (destructors ignore it).
    bool reset();

private:
    std::int64_t id_ = -1;
    Kind kind_ = Kind::Datatype;
};

// Named columns of equal length written as one compound dataset (one HDF5 record per row).
// Strings are stored fixed-length (UTF-8, null-padded) with the width of the longest value, so
// h5py reads them as bytes columns of a numpy structured array.
class Table {
public:
    explicit Table(std::size_t rows) : rows_(rows) {}
    void addDouble(const std::string& name, std::vector<double> values);
    void addInt64(const std::string& name, std::vector<std::int64_t> values);
    // width 0: the longest value (at least 1 byte); otherwise values longer than width throw.
    void addString(const std::string& name, std::vector<std::string> values, std::size_t width = 0);
    std::size_t rows() const { return rows_; }

    enum class Type { Double, Int64, String };
    struct Column {
        std::string name;
        Type type;
        std::vector<double> doubles;
        std::vector<std::int64_t> ints;
        std::vector<std::string> strings;
        std::size_t width = 0;  // bytes, String only
    };
    const std::vector<Column>& columns() const { return columns_; }

private:
    void checkNew(const std::string& name, std::size_t size) const;

    std::size_t rows_;
    std::vector<Column> columns_;
};

// Anything that carries attributes: a group (including the root) or a dataset.
class Object {
public:
    const std::string& path() const { return path_; }  // HDF5 path inside the file, e.g. "/a/b"
    const std::string& fileName() const { return file_; }

    void setAttribute(const std::string& name, const std::string& value);  // variable-length UTF-8
    void setAttribute(const std::string& name, const char* value) {
        setAttribute(name, std::string(value));
    }
    void setAttribute(const std::string& name, double value);
    void setAttribute(const std::string& name, std::int64_t value);
    void setAttribute(const std::string& name, std::uint64_t value);
    void setAttribute(const std::string& name, const std::vector<std::string>& values);

protected:
    Object(Handle handle, std::string file, std::string path)
        : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}
    std::string childPath(const std::string& name) const;

    Handle handle_;
    std::string file_;
    std::string path_;
};

class Dataset : public Object {
    friend class Group;
    using Object::Object;

public:
    // Rows [first, first + rows) of a dataset made by Group::createRows (a row: every index
    // after the first), from C-order data of the dataset's element type.
    void writeRows(std::size_t first, std::size_t rows, const double* data);
    void writeRows(std::size_t first, std::size_t rows, const std::int32_t* data);
    void writeRows(std::size_t first, std::size_t rows, const float* data);
    // The whole float64 dataset, C order (what was written so far, fill values elsewhere).
    std::vector<double> readDoubles();
    // Rows [first, first + rows) of a float64 dataset, C order, into `out`.
    void readRows(std::size_t first, std::size_t rows, double* out);

private:
    // Rows [first, first + rows) written from `in` (non-null) or read into `out`.
    void transferRows(std::int64_t memType, std::size_t first, std::size_t rows, const void* in,
                      void* out);
};

// Storage options for numeric arrays. Compression needs chunking; both are skipped for empty
// arrays (HDF5 needs non-zero chunk dimensions) and when the gzip filter is unavailable.
struct Storage {
    bool compress = false;  // shuffle + gzip
    int gzipLevel = 1;      // level 1: ~3x faster than 4 on shuffled doubles, files ~5% larger
    std::size_t chunkValues = 65536;  // values per chunk (whole rows, at least one)
};

class Group : public Object {
public:
    // Creates a child group. `name` is one link name: non-empty, no '/', not "." (throws
    // rotor::Error otherwise, and when the name already exists).
    Group createGroup(const std::string& name);

    Dataset writeString(const std::string& name, const std::string& value);  // scalar, vlen UTF-8
    // fixedLength 0: variable-length strings; otherwise fixed-length, null-padded (values must
    // fit).
    Dataset writeStrings(const std::string& name, const std::vector<std::string>& values,
                         std::size_t fixedLength = 0);
    Dataset writeDoubles(const std::string& name, const double* data, std::size_t n,
                         Storage storage = {});
    // A rows x cols float64 dataset from row-major data.
    Dataset writeMatrix(const std::string& name, const double* rowMajor, std::size_t rows,
                        std::size_t cols, Storage storage = {});
    Dataset writeInt64s(const std::string& name, const std::vector<std::int64_t>& values);
    Dataset writeInt32s(const std::string& name, const std::vector<std::int32_t>& values);
    // A float32 array of shape `dims` (any rank >= 1) from C-order (last index fastest) data.
    Dataset writeFloats(const std::string& name, const float* data,
                        const std::vector<std::size_t>& dims, Storage storage = {});
    Dataset writeTable(const std::string& name, const Table& table);
    // Raw bytes as a uint8 array.
    Dataset writeBytes(const std::string& name, const std::vector<char>& bytes,
                       Storage storage = {});

    // A dataset of shape `dims` (rank 1 to 3, no zero dimension) whose rows are written later,
    // in order, by Dataset::writeRows. Chunked and compressed exactly as writeDoubles,
    // writeMatrix and writeFloats lay out the same shape; it keeps at most one chunk in memory
    // (the one being filled), so a dataset filled row block by row block costs one chunk, not
    // its size.
    enum class Element { Float64, Int32, Float32 };
    Dataset createRows(const std::string& name, Element element,
                       const std::vector<std::size_t>& dims, Storage storage = {});
    // Removes the link `name` (a group or dataset made here).
    void removeLink(const std::string& name);

protected:
    using Object::Object;
};

// An HDF5 file open for writing; the root group "/".
class File : public Group {
public:
    // Creates (truncating) `path`; throws rotor::Error with the HDF5 reason on failure.
    explicit File(const std::string& path);
    // A file that lives in memory only (HDF5's core driver, no backing store); `name` is for
    // messages. Its bytes, a complete HDF5 file, come out of closeToImage().
    struct InMemory {
        std::string name;
    };
    explicit File(const InMemory& memory);
    ~File();
    File(File&&) = default;
    File& operator=(File&&) = delete;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    // Closes the file, throwing if HDF5 cannot flush it (the file is then discarded, as below).
    // Every Group/Dataset obtained from the file must be destroyed first, otherwise their data
    // is only written when they close.
    void close();
    // close() for an in-memory file, returning the file's bytes (the same as it would have on
    // disk).
    std::vector<char> closeToImage();
    // The file is abandoned (an error elsewhere; its temporary will be removed): when it goes,
    // it is closed without writing anything more to disk.
    void discardOnClose() { discard_ = true; }

private:
    // Points the file's descriptor at /dev/null (a file on disk), then closes every object of
    // the file and the file itself: with nothing left to fail (a full disk), HDF5 frees it all
    // and has no file left for its exit-time clean-up, which otherwise crashed re-flushing a
    // failed file.
    void discard();
    bool discard_ = false;
    bool inMemory_ = false;
};

}  // namespace rotor::h5
