// SPDX-License-Identifier: MIT
// POSIX open/fstat/read: the type and size checks are made on the descriptor that is read, so
// the file cannot be swapped for a FIFO or a device between the check and the read.
#include "engine/core/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <sstream>

namespace rotor {

namespace {

std::mutex gLimitsMutex;
InputLimits gLimits;

// Closes the descriptor when the read is done or throws.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

std::string kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

std::string openReason(int err) {
    if (err == ENOENT) return "file not found";
    if (err == ENOTDIR) return "file not found (a parent is not a directory)";
    return std::string("cannot open: ") + std::strerror(err);
}

// Opens `path` for reading without blocking and checks it is a regular file of at most
// maxBytes (maxBytes 0: no size check). The caller owns the descriptor.
int openRegular(const std::string& path, std::uint64_t maxBytes, const char* limitFlag,
                struct stat& st) {
    if (path.empty()) throw FileReadError(path, "empty file name");
    // O_NONBLOCK: opening a FIFO with no writer must not hang; O_NOCTTY: a terminal device
    // must not become the controlling terminal.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) throw FileReadError(path, openReason(errno));
    Fd guard(fd);
    if (::fstat(fd, &st) != 0)
        throw FileReadError(path, std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw FileReadError(path, "is " + kindOf(st.st_mode) + ", expected a regular file");
    if (maxBytes > 0 && static_cast<std::uint64_t>(st.st_size) > maxBytes)
        throw FileReadError(path, "is " + formatBytes(static_cast<std::uint64_t>(st.st_size)) +
                                      ", over the limit of " + formatBytes(maxBytes) + " (" +
                                      limitFlag + " raises it)");
    return guard.release();
}

}  // namespace

std::optional<FileId> fileIdOf(const std::string& path) {
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

InputLimits inputLimits() {
    std::lock_guard<std::mutex> lock(gLimitsMutex);
    return gLimits;
}

void setInputLimits(const InputLimits& limits) {
    std::lock_guard<std::mutex> lock(gLimitsMutex);
    gLimits = limits;
}

std::uint64_t physicalMemoryBytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long size = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || size <= 0) return std::uint64_t{8} << 30;  // unknown: assume 16 GiB
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(size);
}

std::uint64_t memoryLimitBytes() {
    const std::uint64_t set = inputLimits().maxMemoryBytes;
    return set != 0 ? set : physicalMemoryBytes() / 2;
}

FileReadError::FileReadError(std::string path, std::string reason)
    : InputError(path + ": " + reason), path_(std::move(path)), reason_(std::move(reason)) {}

FileBytes readRegularFile(const std::string& path, std::uint64_t maxBytes, const char* limitFlag) {
    struct stat st {};
    const Fd fd(openRegular(path, maxBytes, limitFlag, st));
    FileBytes out;
    out.id = FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
    // One allocation of the file's size and one read into it; a file that grew since the fstat
    // is read on to its end, up to the limit.
    out.bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t have = 0;
    auto readSome = [&](char* into, std::size_t room) -> std::size_t {
        for (;;) {
            const ssize_t n = ::read(fd.get(), into, room);
            if (n >= 0) return static_cast<std::size_t>(n);
            if (errno != EINTR)
                throw FileReadError(path, std::string("read error: ") + std::strerror(errno));
        }
    };
    while (have < out.bytes.size()) {
        const std::size_t n = readSome(out.bytes.data() + have, out.bytes.size() - have);
        if (n == 0) break;  // shrank since the fstat: what is there is what is used
        have += n;
    }
    out.bytes.resize(have);
    if (have < static_cast<std::size_t>(st.st_size)) return out;
    char buf[1 << 16];
    while (const std::size_t n = readSome(buf, sizeof buf)) {
        if (maxBytes > 0 && have + n > maxBytes)
            throw FileReadError(path, "grew past the limit of " + formatBytes(maxBytes) +
                                          " while being read (" + limitFlag + " raises it)");
        out.bytes.append(buf, n);
        have += n;
    }
    return out;
}

FileId requireRegularFile(const std::string& path) {
    struct stat st {};
    const Fd fd(openRegular(path, 0, "", st));
    return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

std::string formatBytes(std::uint64_t bytes) {
    static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    double v = static_cast<double>(bytes) / 1024.0;
    std::size_t u = 0;
    while (v >= 1024.0 && u + 1 < std::size(kUnits)) {
        v /= 1024.0;
        ++u;
    }
    std::ostringstream os;
    os.precision(v < 10 ? 2 : 3);
    os << v << ' ' << kUnits[u];
    return os.str();
}

std::optional<std::uint64_t> parseByteSize(const std::string& text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        const auto next = checkedMul(value, 10);
        if (!next) return std::nullopt;
        const auto sum = checkedAdd(*next, static_cast<std::uint64_t>(text[i] - '0'));
        if (!sum) return std::nullopt;
        value = *sum;
    }
    if (i == 0) return std::nullopt;
    std::uint64_t unit = 1;
    if (i < text.size()) {
        const std::string suffix = text.substr(i);
        int shift = -1;
        const char c = suffix[0];
        if (c == 'K' || c == 'k') shift = 10;
        if (c == 'M' || c == 'm') shift = 20;
        if (c == 'G' || c == 'g') shift = 30;
        if (c == 'T' || c == 't') shift = 40;
        const std::string rest = suffix.substr(1);
        if (shift < 0 || !(rest.empty() || rest == "i" || rest == "iB" || rest == "B"))
            return std::nullopt;
        unit = std::uint64_t{1} << shift;
    }
    return checkedMul(value, unit);
}

std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
    return r;
}

std::optional<std::uint64_t> checkedAdd(std::uint64_t a, std::uint64_t b) {
    std::uint64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
    return r;
}

}  // namespace rotor
