// SPDX-License-Identifier: MIT
#include "engine/io/shard_file.hpp"

#include "engine/core/error.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"

#include <hdf5.h>

#include <filesystem>

namespace rotor {

namespace {

// Cell groups are named by position, zero-padded so that they list in order.
std::string cellName(std::size_t i) {
    std::string n = std::to_string(i);
    return n.size() < 4 ? std::string(4 - n.size(), '0') + n : n;
}

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
    explicit ShardReader(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void bad(const std::string& what) const {
        throw InputError(path_ + ": not a valid rotor shard: " + what);
    }

    std::string text(hid_t obj, const char* name) const {
        if (H5Aexists(obj, name) <= 0) bad(std::string("no attribute ") + name);
        const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
        if (a < 0) bad(std::string("cannot open attribute ") + name);
        const hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        H5Tset_cset(t, H5T_CSET_UTF8);
        const hid_t space = H5Aget_space(a);
        const bool scalar = space >= 0 && H5Sget_simple_extent_npoints(space) == 1;
        char* raw = nullptr;
        const herr_t rc = scalar ? H5Aread(a, t, &raw) : -1;
        std::string out = rc >= 0 && raw != nullptr ? std::string(raw) : std::string();
        if (raw != nullptr) H5free_memory(raw);
        if (space >= 0) H5Sclose(space);
        H5Tclose(t);
        H5Aclose(a);
        if (rc < 0) bad(std::string("attribute ") + name + " is not one string");
        return out;
    }

    template <class T>
    T number(hid_t obj, const char* name, hid_t memType) const {
        if (H5Aexists(obj, name) <= 0) bad(std::string("no attribute ") + name);
        const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
        if (a < 0) bad(std::string("cannot open attribute ") + name);
        const hid_t space = H5Aget_space(a);
        T v{};
        const bool one = space >= 0 && H5Sget_simple_extent_npoints(space) == 1;
        const herr_t rc = one ? H5Aread(a, memType, &v) : -1;
        if (space >= 0) H5Sclose(space);
        H5Aclose(a);
        if (rc < 0) bad(std::string("attribute ") + name + " is not one number");
        return v;
    }

    std::string stringDataset(hid_t file, const char* name) const {
        const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
        if (d < 0) bad(std::string("no dataset ") + name);
        const hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        H5Tset_cset(t, H5T_CSET_UTF8);
        char* raw = nullptr;
        const herr_t rc = H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &raw);
        std::string out = rc >= 0 && raw != nullptr ? std::string(raw) : std::string();
        if (raw != nullptr) H5free_memory(raw);
        H5Tclose(t);
        H5Dclose(d);
        if (rc < 0) bad(std::string("cannot read ") + name);
        return out;
    }

    std::vector<char> bytes(hid_t group, const char* name, std::uint64_t fileSize) const {
        const hid_t d = H5Dopen2(group, name, H5P_DEFAULT);
        if (d < 0) bad(std::string("no dataset ") + name);
        const hid_t space = H5Dget_space(d);
        const hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
        if (space >= 0) H5Sclose(space);
        // Compression makes a share smaller on disk, never more than ~1000x.
        if (n < 0 || static_cast<std::uint64_t>(n) / 1024 > fileSize) {
            H5Dclose(d);
            bad(std::string("dataset ") + name + " claims " + std::to_string(n) + " bytes");
        }
        std::vector<char> out(static_cast<std::size_t>(n));
        const herr_t rc = n > 0 ? H5Dread(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                          out.data())
                                : 0;
        H5Dclose(d);
        if (rc < 0) bad(std::string("cannot read ") + name);
        return out;
    }

private:
    std::string path_;
};

}  // namespace

void writeShardFile(const ShardContents& shard, const std::string& path, bool force) {
    AtomicOutput out(path, force);
    {
        h5::File f(out.tempPath());
        f.setAttribute("format", kShardFormat);
        f.setAttribute("format_version", std::int64_t{1});
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
                g.setAttribute("name", shard.cells[i].name);
                g.writeBytes("share", shard.cells[i].share, h5::Storage{true});
            }
        }
        f.close();
    }
    out.commit();
}

ShardContents readShardFile(const std::string& path) {
    h5::QuietErrors quiet;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(path + ": no such shard file");
    const auto fileSize = static_cast<std::uint64_t>(std::filesystem::file_size(path, ec));
    if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file");
    const hid_t fid = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (fid < 0) throw InputError(path + ": cannot open as HDF5");
    struct CloseFile {
        hid_t id;
        ~CloseFile() { H5Fclose(id); }
    } closeFile{fid};

    const ShardReader r(path);
    if (H5Aexists(fid, "format") <= 0 || r.text(fid, "format") != kShardFormat)
        throw InputError(path + ": not a rotor shard (written by rotor run --path-range)");
    ShardContents s;
    s.rotorVersion = r.text(fid, "rotor_version");
    s.gitCommit = r.text(fid, "git_commit");
    s.createdUtc = r.text(fid, "created_utc");
    s.commandLine = r.text(fid, "command_line");
    s.scenarioFile = r.text(fid, "scenario_file");
    s.pathsOverride = r.number<std::int64_t>(fid, "paths_override", H5T_NATIVE_INT64);
    s.seedOverride = r.number<std::int64_t>(fid, "seed_override", H5T_NATIVE_INT64);
    s.threadsOverride = r.number<std::int64_t>(fid, "threads_override", H5T_NATIVE_INT64);
    s.pathBegin = r.number<std::uint64_t>(fid, "path_begin", H5T_NATIVE_UINT64);
    s.pathEnd = r.number<std::uint64_t>(fid, "path_end", H5T_NATIVE_UINT64);
    const auto cells = r.number<std::uint64_t>(fid, "cells", H5T_NATIVE_UINT64);
    if (cells > 100000) r.bad("claims " + std::to_string(cells) + " cells");
    s.scenarioYaml = r.stringDataset(fid, "scenario_yaml");
    for (std::uint64_t i = 0; i < cells; ++i) {
        const std::string name = "cells/" + cellName(static_cast<std::size_t>(i));
        const Id g(H5Oopen(fid, name.c_str(), H5P_DEFAULT));
        if (g.get() < 0) r.bad("no group /" + name);
        ShardCell c;
        c.name = r.text(g.get(), "name");
        c.share = r.bytes(g.get(), "share", fileSize);
        s.cells.push_back(std::move(c));
    }
    return s;
}

}  // namespace rotor
