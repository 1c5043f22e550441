// SPDX-License-Identifier: MIT
// Temp-file-and-rename output with POSIX calls: O_EXCL creation, fsync, link/rename.
#include "engine/io/atomic_file.hpp"

#include "engine/core/error.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>
#include <system_error>

namespace fs = std::filesystem;

namespace rotor {

namespace {

std::string errnoText() { return std::strerror(errno); }

fs::path parentOf(const fs::path& p) {
    const fs::path parent = p.parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

bool writableDirectory(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK | X_OK) == 0;
}

// fsync a file or directory by path; directories make the rename itself durable.
void syncPath(const fs::path& p, bool directory) {
    const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) {
        if (directory) return;  // some filesystems refuse opening directories; durability only
        throw Error("cannot open " + p.string() + " to flush it: " + errnoText());
    }
    const int rc = ::fsync(fd);
    const int savedErrno = errno;
    ::close(fd);
    if (rc != 0 && !directory)
        throw Error("cannot flush " + p.string() + ": " + std::strerror(savedErrno));
}

// Live temporaries, read by the signal handler: only lock-free atomics and unlink() there.
// A slot points into its AtomicOutput's tempPath_, which never changes and is cleared from the
// slot before the object goes (AtomicOutput neither copies nor moves).
constexpr std::size_t kSlots = 64;
std::array<std::atomic<const char*>, kSlots> gTemporaries{};

int registerTemporary(const std::string& path) {
    for (std::size_t i = 0; i < kSlots; ++i) {
        const char* expected = nullptr;
        if (gTemporaries[i].compare_exchange_strong(expected, path.c_str()))
            return static_cast<int>(i);
    }
    return -1;  // more than 64 at once: this one is only removed by the destructor
}

void unregisterTemporary(int& slot) {
    if (slot < 0) return;
    gTemporaries[static_cast<std::size_t>(slot)].store(nullptr);
    slot = -1;
}

extern "C" void removeTemporariesAndReraise(int sig) {
    for (auto& t : gTemporaries)
        if (const char* name = t.load()) ::unlink(name);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

}  // namespace

void removeTemporariesOnSignal() {
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction current {};
        if (::sigaction(sig, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) continue;
        struct sigaction act {};
        act.sa_handler = removeTemporariesAndReraise;
        sigemptyset(&act.sa_mask);
        ::sigaction(sig, &act, nullptr);
    }
}

void checkOutputWritable(const std::string& path, bool force) {
    if (path.empty()) throw InputError("output path is empty");
    const fs::path p(path);
    std::error_code ec;
    if (!p.has_filename() || fs::is_directory(fs::status(p, ec)))
        throw InputError("output " + path + " is a directory");
    // symlink_status: a dangling symlink still occupies the name and would be replaced.
    if (fs::exists(fs::symlink_status(p, ec)) && !force)
        throw InputError(path + " exists; use --force to overwrite");

    const fs::path parent = parentOf(p);
    if (fs::exists(parent, ec)) {
        if (!fs::is_directory(parent, ec))
            throw InputError("output " + path + ": " + parent.string() + " is not a directory");
        if (!writableDirectory(parent))
            throw InputError("output " + path + ": directory " + parent.string() +
                             " is not writable");
        return;
    }
    // The parent will be created: the nearest existing ancestor must be a writable directory.
    fs::path ancestor = parent;
    while (!ancestor.empty() && !fs::exists(ancestor, ec)) {
        const fs::path up = ancestor.parent_path();
        ancestor = (up == ancestor) ? fs::path() : up;
    }
    if (ancestor.empty()) ancestor = ".";
    if (!fs::is_directory(ancestor, ec))
        throw InputError("output " + path + ": " + ancestor.string() + " is not a directory");
    if (!writableDirectory(ancestor))
        throw InputError("output " + path + ": cannot create " + parent.string() + " (" +
                         ancestor.string() + " is not writable)");
}

AtomicOutput::AtomicOutput(std::string path, bool force) : path_(std::move(path)), force_(force) {
    checkOutputWritable(path_, force_);
    const fs::path parent = parentOf(path_);
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
        throw InputError("output " + path_ + ": cannot create " + parent.string() + ": " +
                         ec.message());

    // A unique name (not just "<path>.tmp") so two runs aimed at one directory cannot share a
    // temporary; O_EXCL with mode 0666 honours the umask, unlike mkstemp's 0600.
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::ostringstream name;
        name << path_ << ".tmp." << ::getpid() << '.' << std::hex << rd();
        const int fd = ::open(name.str().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            tempPath_ = name.str();
            slot_ = registerTemporary(tempPath_);
            return;
        }
        if (errno != EEXIST)
            throw Error("cannot create temporary file " + name.str() + ": " + errnoText());
    }
    throw Error("cannot find a free temporary file name next to " + path_);
}

AtomicOutput::~AtomicOutput() {
    if (aheadFd_ >= 0) ::close(aheadFd_);
    if (!committed_ && !tempPath_.empty()) {
        std::error_code ec;
        fs::remove(tempPath_, ec);  // best effort: nothing sensible to do on failure here
    }
    unregisterTemporary(slot_);  // after the removal: a signal in between finds it gone
}

void AtomicOutput::flushAhead() {
#ifdef __linux__
    if (committed_) return;
    if (aheadFd_ < 0) aheadFd_ = ::open(tempPath_.c_str(), O_RDONLY | O_CLOEXEC);
    // Best effort: commit()'s fsync is what makes the file durable.
    if (aheadFd_ >= 0) ::sync_file_range(aheadFd_, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void AtomicOutput::commit() {
    ROTOR_REQUIRE(!committed_, "AtomicOutput::commit called twice for " << path_);
    if (aheadFd_ >= 0) {
        ::close(aheadFd_);
        aheadFd_ = -1;
    }
    syncPath(tempPath_, false);
    if (force_) {
        if (::rename(tempPath_.c_str(), path_.c_str()) != 0)
            throw Error("cannot rename " + tempPath_ + " to " + path_ + ": " + errnoText());
    } else {
        // link() fails with EEXIST instead of replacing, so a file that appeared meanwhile is kept.
        if (::link(tempPath_.c_str(), path_.c_str()) == 0) {
            std::error_code ec;
            fs::remove(tempPath_, ec);
        } else if (errno == EEXIST) {
            throw InputError(path_ + " exists; use --force to overwrite");
        } else if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS || errno == EMLINK) {
            // No hard links on this filesystem: check-then-rename, with a small race window.
            std::error_code ec;
            if (fs::exists(fs::symlink_status(path_, ec)))
                throw InputError(path_ + " exists; use --force to overwrite");
            if (::rename(tempPath_.c_str(), path_.c_str()) != 0)
                throw Error("cannot rename " + tempPath_ + " to " + path_ + ": " + errnoText());
        } else {
            throw Error("cannot move " + tempPath_ + " to " + path_ + ": " + errnoText());
        }
    }
    unregisterTemporary(slot_);  // the name is free again: a signal must not remove it
    committed_ = true;
    syncPath(parentOf(path_), true);
}

}  // namespace rotor
