// SPDX-License-Identifier: MIT
#include "engine/io/shard_file.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_heap.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "engine/io/hdf5_types.hpp"

#include <hdf5.h>

#include <filesystem>

namespace rotor {

namespace {

// Cell groups and pieces are named by position, zero-padded so that they list in order.
std::string cellName(std::uint64_t i, std::size_t width = 4) {
    std::string n = std::to_string(i);
    return n.size() < width ? std::string(width - n.size(), '0') + n : n;
}

std::string pieceName(std::uint64_t i) { return cellName(i, 6); }

// Closes an HDF5 identifier of any kind on scope exit.
class Id {
public:
    explicit Id(hid_t id) : id_(id) {}
    ~Id() {
        if (id_ >= 0) H5Oclose(id_);
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    hid_t get() const { return id_; }

private:
    hid_t id_;
};

class ShardReader {
public:
    ShardReader(std::string path, h5::HeapCheck& heap) : path_(std::move(path)), heap_(&heap) {}

    [[noreturn]] void bad(const std::string& what) const {
        throw InputError(path_ + ": not a valid rotor shard: " + what);
    }

    // Every read first checks that the stored type is the one writeShardFile writes: libhdf5
    // converts from whatever type the file states, and crashes on damaged ones.
    std::string text(hid_t obj, const char* name) const {
        const h5::StoredAttribute a = attribute(obj, name);
        if (!h5::isStoredVariableString(a.type.get()) || a.values() != 1)
            bad(std::string("attribute ") + name + " is not one string");
        if (const std::string why = heap_->attribute(obj, name, 1); !why.empty()) bad(why);
        return readText([&](hid_t mem, void* buf) { return H5Aread(a.attribute.get(), mem, buf); },
                        std::string("attribute ") + name);
    }

    template <class T>
    T number(hid_t obj, const char* name, hid_t fileType, hid_t memType) const {
        const h5::StoredAttribute a = attribute(obj, name);
        T v{};
        if (!h5::isType(a.type.get(), fileType) || a.values() != 1 ||
            H5Aread(a.attribute.get(), memType, &v) < 0)
            bad(std::string("attribute ") + name + " is not one number");
        return v;
    }

    // bad() unless the header of the object `name` under `loc` (`what` in messages) is sound
    // (hdf5_heap.hpp): checked before libhdf5 opens it.
    void checkObject(hid_t loc, const std::string& name, const std::string& what) const {
        if (const std::string why = heap_->object(loc, name.c_str()); !why.empty())
            bad(what + ": " + why);
    }

    std::string stringDataset(hid_t file, const char* name) const {
        checkObject(file, name, std::string("dataset ") + name);
        const h5::Handle d(H5Dopen2(file, name, H5P_DEFAULT), h5::Handle::Kind::Dataset);
        if (!d.valid()) bad(std::string("no dataset ") + name);
        const h5::Handle type(H5Dget_type(d.get()), h5::Handle::Kind::Datatype);
        const h5::Handle space(H5Dget_space(d.get()), h5::Handle::Kind::Dataspace);
        if (!h5::isStoredVariableString(type.get()) ||
            H5Sget_simple_extent_npoints(space.get()) != 1)
            bad(std::string("dataset ") + name + " is not one string");
        if (const std::string why = heap_->dataset(d.get(), 1); !why.empty())
            bad(std::string("dataset ") + name + ": " + why);
        return readText(
            [&](hid_t mem, void* buf) {
                return H5Dread(d.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
            },
            std::string("dataset ") + name);
    }

    std::vector<char> bytes(hid_t group, const char* name, std::uint64_t fileSize) const {
        checkObject(group, name, std::string("dataset ") + name);
        const h5::Handle d(H5Dopen2(group, name, H5P_DEFAULT), h5::Handle::Kind::Dataset);
        if (!d.valid()) bad(std::string("no dataset ") + name);
        const h5::Handle type(H5Dget_type(d.get()), h5::Handle::Kind::Datatype);
        const h5::Handle space(H5Dget_space(d.get()), h5::Handle::Kind::Dataspace);
        if (!h5::isType(type.get(), H5T_STD_U8LE) || H5Sget_simple_extent_ndims(space.get()) != 1)
            bad(std::string("dataset ") + name + " is not an array of bytes");
        const hssize_t n = H5Sget_simple_extent_npoints(space.get());
        // Compression makes a share smaller on disk, never more than ~1000x.
        if (n < 0 || static_cast<std::uint64_t>(n) / 1024 > fileSize)
            bad(std::string("dataset ") + name + " claims " + std::to_string(n) + " bytes");
        std::vector<char> out(static_cast<std::size_t>(n));
        if (n > 0 &&
            H5Dread(d.get(), H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
            bad(std::string("cannot read ") + name);
        return out;
    }

private:
    // The attribute `name` of `obj`, which must exist and open.
    h5::StoredAttribute attribute(hid_t obj, const char* name) const {
        if (H5Aexists(obj, name) <= 0) bad(std::string("no attribute ") + name);
        h5::StoredAttribute a = h5::openAttribute(obj, name);
        if (!a.attribute.valid()) bad(std::string("cannot open attribute ") + name);
        return a;
    }

    // One variable-length string through `read(memType, buffer)`.
    template <class ReadFn>
    std::string readText(ReadFn read, const std::string& what) const {
        const h5::Handle t(H5Tcopy(H5T_C_S1), h5::Handle::Kind::Datatype);
        H5Tset_size(t.get(), H5T_VARIABLE);
        H5Tset_cset(t.get(), H5T_CSET_UTF8);
        char* raw = nullptr;
        const herr_t rc = read(t.get(), &raw);
        std::string out = rc >= 0 && raw != nullptr ? std::string(raw) : std::string();
        if (raw != nullptr) H5free_memory(raw);
        if (rc < 0) bad("cannot read " + what);
        return out;
    }

    std::string path_;
    h5::HeapCheck* heap_;
};

}  // namespace

void writeShardFile(const ShardContents& shard, const std::string& path, bool force) {
    AtomicOutput out(path, force);
    {
        h5::File f(out.tempPath());
        f.setAttribute("format", kShardFormat);
        f.setAttribute("format_version", std::int64_t{2});
        f.setAttribute("rotor_version", shard.rotorVersion);
        f.setAttribute("git_commit", shard.gitCommit);
        f.setAttribute("created_utc", shard.createdUtc);
        f.setAttribute("command_line", shard.commandLine);
        f.setAttribute("scenario_file", shard.scenarioFile);
        f.setAttribute("paths_override", shard.pathsOverride);
        f.setAttribute("seed_override", shard.seedOverride);
        f.setAttribute("threads_override", shard.threadsOverride);
        f.setAttribute("path_begin", shard.pathBegin);
        f.setAttribute("path_end", shard.pathEnd);
        f.setAttribute("cells", static_cast<std::uint64_t>(shard.cells.size()));
        f.writeString("scenario_yaml", shard.scenarioYaml);
        {
            h5::Group cells = f.createGroup("cells");
            for (std::size_t i = 0; i < shard.cells.size(); ++i) {
                h5::Group g = cells.createGroup(cellName(i));
                const ShardCell& c = shard.cells[i];
                g.setAttribute("name", c.name);
                g.setAttribute("pieces", c.pieceCount);
                g.writeBytes("share", c.share, h5::Storage{true});
                h5::Group paths = g.createGroup("paths");
                for (std::uint64_t k = 0; k < c.pieceCount; ++k)
                    paths.writeBytes(pieceName(k), c.nextPiece(), h5::Storage{true});
            }
        }
        f.close();
    }
    out.commit();
}

namespace {

// A shard file open for reading, closed on scope exit.
struct OpenShard {
    explicit OpenShard(const std::string& path) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            throw InputError(path + ": no such shard file");
        fileSize = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
        if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file");
        fid = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (fid < 0) throw InputError(path + ": cannot open as HDF5");
    }
    ~OpenShard() { H5Fclose(fid); }
    OpenShard(const OpenShard&) = delete;
    OpenShard& operator=(const OpenShard&) = delete;
    hid_t fid = -1;
    std::uint64_t fileSize = 0;
};

}  // namespace

ShardContents readShardFile(const std::string& path) {
    h5::QuietErrors quiet;
    const OpenShard file(path);
    const hid_t fid = file.fid;
    const std::uint64_t fileSize = file.fileSize;

    h5::HeapCheck heap(fid);
    const ShardReader r(path, heap);
    for (const std::string& why : {heap.links(fid), heap.attributes(fid)})
        if (!why.empty()) r.bad(why);
    if (H5Aexists(fid, "format") <= 0 || r.text(fid, "format") != kShardFormat)
        throw InputError(path + ": not a rotor shard (written by rotor run --path-range)");
    ShardContents s;
    s.rotorVersion = r.text(fid, "rotor_version");
    s.gitCommit = r.text(fid, "git_commit");
    s.createdUtc = r.text(fid, "created_utc");
    s.commandLine = r.text(fid, "command_line");
    s.scenarioFile = r.text(fid, "scenario_file");
    s.pathsOverride = r.number<std::int64_t>(fid, "paths_override", H5T_STD_I64LE,
                                             H5T_NATIVE_INT64);
    s.seedOverride = r.number<std::int64_t>(fid, "seed_override", H5T_STD_I64LE, H5T_NATIVE_INT64);
    s.threadsOverride = r.number<std::int64_t>(fid, "threads_override", H5T_STD_I64LE,
                                               H5T_NATIVE_INT64);
    s.pathBegin = r.number<std::uint64_t>(fid, "path_begin", H5T_STD_U64LE, H5T_NATIVE_UINT64);
    s.pathEnd = r.number<std::uint64_t>(fid, "path_end", H5T_STD_U64LE, H5T_NATIVE_UINT64);
    const auto cells = r.number<std::uint64_t>(fid, "cells", H5T_STD_U64LE, H5T_NATIVE_UINT64);
    if (s.pathBegin > s.pathEnd)
        r.bad("path range " + std::to_string(s.pathBegin) + ":" + std::to_string(s.pathEnd) +
              " is reversed");
    if (cells > 100000) r.bad("claims " + std::to_string(cells) + " cells");
    s.scenarioYaml = r.stringDataset(fid, "scenario_yaml");
    if (cells > 0)
        if (const std::string why = heap.links(fid, "cells"); !why.empty()) r.bad(why);
    for (std::uint64_t i = 0; i < cells; ++i) {
        const std::string name = "cells/" + cellName(static_cast<std::size_t>(i));
        r.checkObject(fid, name, "group /" + name);
        const Id g(H5Oopen(fid, name.c_str(), H5P_DEFAULT));
        if (g.get() < 0) r.bad("no group /" + name);
        for (const std::string& why : {heap.attributes(g.get()), heap.links(g.get())})
            if (!why.empty()) r.bad(why);
        ShardCell c;
        c.name = r.text(g.get(), "name");
        c.share = r.bytes(g.get(), "share", fileSize);
        c.pieceCount = r.number<std::uint64_t>(g.get(), "pieces", H5T_STD_U64LE, H5T_NATIVE_UINT64);
        // Every piece holds at least one path.
        if (c.pieceCount > s.pathEnd - s.pathBegin)
            r.bad("cell " + c.name + " claims " + std::to_string(c.pieceCount) + " pieces");
        if (c.pieceCount > 0) {
            if (const std::string why = heap.links(fid, (name + "/paths").c_str()); !why.empty())
                r.bad(why);
            for (std::uint64_t k = 0; k < c.pieceCount; ++k) {
                const std::string piece = name + "/paths/" + pieceName(k);
                if (H5Lexists(fid, piece.c_str(), H5P_DEFAULT) <= 0) r.bad("no dataset /" + piece);
            }
        }
        s.cells.push_back(std::move(c));
    }
    return s;
}

std::vector<char> readShardPiece(const std::string& path, std::size_t cell, std::uint64_t piece) {
    h5::QuietErrors quiet;
    const OpenShard file(path);
    h5::HeapCheck heap(file.fid);
    const ShardReader r(path, heap);
    const std::string name = "cells/" + cellName(cell) + "/paths";
    r.checkObject(file.fid, name, "group /" + name);
    const Id g(H5Oopen(file.fid, name.c_str(), H5P_DEFAULT));
    if (g.get() < 0) r.bad("no group /" + name);
    return r.bytes(g.get(), pieceName(piece).c_str(), file.fileSize);
}

}  // namespace rotor
