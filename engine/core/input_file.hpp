// SPDX-License-Identifier: MIT
// Reading input files defensively: regular files only (checked with fstat on the open
// descriptor, so a FIFO, a device or /dev/zero is refused before a byte is read), never more
// than a size limit, and the file's identity (device, inode) for "is this output an input?".
#pragma once

#include "engine/core/error.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace rotor {

// A file's identity as the kernel sees it: two paths (relative, absolute, through symlinks or
// hard links) name one file exactly when their ids are equal.
struct FileId {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    friend bool operator==(const FileId&, const FileId&) = default;
    friend auto operator<=>(const FileId&, const FileId&) = default;
};

// A file by name and identity: an input a run read, or an output it will replace.
struct FileRef {
    std::string path;
    FileId id;
};

// The id of what `path` names, following symlinks; nullopt when it cannot be stat'ed (it does
// not exist, a dangling symlink, no permission).
std::optional<FileId> fileIdOf(const std::string& path);

// The bounds on what rotor reads and allocates. Process-wide: the CLI sets them once from its
// flags before any work (docs/cli.md, "Limits"); library users and tests get the defaults.
struct InputLimits {
    // One scenario, parent or pack file (--max-yaml-size). The bundled ones are ~10 KiB; a YAML
    // parse takes ~60 bytes of memory per byte of text.
    std::uint64_t maxYamlBytes = std::uint64_t{1} << 20;
    // One CSV data file (--max-data-size). The largest bundled file is 2.7 MiB.
    std::uint64_t maxDataBytes = std::uint64_t{1} << 30;
    // What one run may allocate by estimate before it starts (--max-memory); 0: half of the
    // machine's physical memory.
    std::uint64_t maxMemoryBytes = 0;
};
InputLimits inputLimits();
void setInputLimits(const InputLimits& limits);
// inputLimits().maxMemoryBytes, or half the physical memory when it is 0.
std::uint64_t memoryLimitBytes();
std::uint64_t physicalMemoryBytes();

// A file that could not be read: what() is "<path>: <reason>"; reason() alone lets the YAML and
// CSV readers rethrow it as their own located error types.
class FileReadError : public InputError {
public:
    FileReadError(std::string path, std::string reason);
    const std::string& path() const { return path_; }
    const std::string& reason() const { return reason_; }

private:
    std::string path_;
    std::string reason_;
};

struct FileBytes {
    std::string bytes;
    FileId id;
};

// The whole content of the regular file `path`, at most `maxBytes` long (a file that grows past
// it while being read is refused too). `limitFlag` names the option that raises the limit, for
// the message. Throws FileReadError. Never blocks: the open is non-blocking, and anything but a
// regular file is refused before reading.
FileBytes readRegularFile(const std::string& path, std::uint64_t maxBytes, const char* limitFlag);

// Checks that `path` names an existing regular file (fstat on an open descriptor) without reading
// it, for files a library opens itself (HDF5). Throws FileReadError.
FileId requireRegularFile(const std::string& path);

// "1.5 GiB", "12 KiB", "512 bytes": sizes in messages.
std::string formatBytes(std::uint64_t bytes);

// Parses a size with an optional binary suffix: "1048576", "64K", "512M", "2G", "1T" (K = 1024).
// nullopt for anything else (or an overflow).
std::optional<std::uint64_t> parseByteSize(const std::string& text);

// a * b, nullopt on overflow: counts that come from user input (sweep cells, paths x days x
// strategies) multiply through these.
std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b);
std::optional<std::uint64_t> checkedAdd(std::uint64_t a, std::uint64_t b);

}  // namespace rotor
