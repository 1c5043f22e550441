// SPDX-License-Identifier: MIT
// Temp-file-and-rename output with POSIX calls: O_EXCL creation, fsync, link/rename.
#include "engine/io/atomic_file.hpp"

#include "engine/core/error.hpp"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
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
        throw IoError("cannot open " + p.string() + " to flush it: " + errnoText());
    }
    const int rc = ::fsync(fd);
    const int savedErrno = errno;
    ::close(fd);
    if (rc != 0 && !directory)
        throw IoError("cannot flush " + p.string() + ": " + std::strerror(savedErrno));
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

namespace {

std::string typeOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISREG(mode)) return "a regular file";
    return "not a regular file";
}

// The parent of `p` is a writable directory, or can be created (its nearest existing ancestor
// is one).
void checkParentWritable(const fs::path& p, const std::string& label) {
    std::error_code ec;
    const fs::path parent = parentOf(p);
    if (fs::exists(parent, ec)) {
        if (!fs::is_directory(parent, ec))
            throw InputError(label + ": " + parent.string() + " is not a directory");
        if (!writableDirectory(parent))
            throw InputError(label + ": directory " + parent.string() + " is not writable");
        return;
    }
    fs::path ancestor = parent;
    while (!ancestor.empty() && !fs::exists(ancestor, ec)) {
        const fs::path up = ancestor.parent_path();
        ancestor = (up == ancestor) ? fs::path() : up;
    }
    if (ancestor.empty()) ancestor = ".";
    if (!fs::is_directory(ancestor, ec))
        throw InputError(label + ": " + ancestor.string() + " is not a directory");
    if (!writableDirectory(ancestor))
        throw InputError(label + ": cannot create " + parent.string() + " (" + ancestor.string() +
                         " is not writable)");
}

void checkNameLengths(const std::string& path, const std::string& label) {
    if (path.size() >= PATH_MAX)
        throw InputError(label + ": path longer than " + std::to_string(PATH_MAX - 1) + " bytes");
    for (const auto& part : fs::path(path))
        if (part.string().size() > NAME_MAX)
            throw InputError(label + ": name '" + part.string().substr(0, 40) +
                             "...' longer than " + std::to_string(NAME_MAX) + " bytes");
}

// "<name>.tmp.<pid>.<hex>", <name> cut so the whole stays within NAME_MAX.
std::string temporaryName(const std::string& name, unsigned random) {
    std::ostringstream suffix;
    suffix << ".tmp." << ::getpid() << '.' << std::hex << random;
    const std::string tail = suffix.str();
    const std::size_t room = NAME_MAX - tail.size();
    return (name.size() > room ? name.substr(0, room) : name) + tail;
}

}  // namespace

void checkOutputWritable(const std::string& path, bool force) {
    if (path.empty()) throw InputError("output path is empty");
    const fs::path p(path);
    const std::string label = "output " + path;
    if (!p.has_filename() || p.filename() == "." || p.filename() == "..")
        throw InputError(label + " is a directory");
    checkNameLengths(path, label);
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0) {
        struct stat target {};
        // Through symlinks: replacing a device node, a FIFO or a socket (-o /dev/null as root)
        // is never what was meant, --force or not.
        if (::stat(path.c_str(), &target) == 0) {
            if (S_ISDIR(target.st_mode)) throw InputError(label + " is a directory");
            if (!S_ISREG(target.st_mode))
                throw InputError(label + " is " + typeOf(target.st_mode) +
                                 "; rotor replaces only regular files");
        }
        // A dangling symlink still occupies the name and would be replaced.
        if (!force) throw InputError(path + " exists; use --force to overwrite");
    }
    checkParentWritable(p, label);
}

void checkOutputNotInput(const std::string& output, const std::vector<FileRef>& inputs) {
    const auto id = fileIdOf(output);
    if (!id) return;
    for (const auto& in : inputs)
        if (in.id == *id)
            throw InputError("output " + output + " would replace " + in.path +
                             ", which this command reads (the same file); choose another output");
}

void checkDirectoryOutput(const std::string& dir, bool force,
                          bool (*isOwnFile)(const std::string& name)) {
    if (dir.empty()) throw InputError("output folder path is empty");
    const std::string label = "output folder " + dir;
    const fs::path p = fs::path(dir).lexically_normal();
    const fs::path name = p.has_filename() ? p.filename() : p.parent_path().filename();
    if (name.empty() || name == "." || name == "..")
        throw InputError(label + ": name a folder to create or replace, not '" + dir + "'");
    checkNameLengths(dir, label);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
        struct stat link {};
        if (::lstat(dir.c_str(), &link) == 0)
            throw InputError(label + " is a dangling symlink; remove it or choose another folder");
        checkParentWritable(p.has_filename() ? p : p.parent_path(), label);
        return;
    }
    if (!S_ISDIR(st.st_mode))
        throw InputError(label + " exists and is not a directory (" + typeOf(st.st_mode) + ")");
    std::error_code ec;
    if (fs::is_empty(p, ec) && !ec) {
        checkParentWritable(p.has_filename() ? p : p.parent_path(), label);
        return;
    }
    if (!force) throw InputError(dir + " exists and is not empty; use --force to replace it");
    // Replacing the folder removes what it holds: only ever an earlier export's files.
    auto refuse = [&](const fs::path& entry) {
        throw InputError(label + " holds " + entry.string() +
                         ", which an export does not write; refusing to replace the folder "
                         "(choose a new or empty one)");
    };
    for (const auto& e : fs::directory_iterator(p, ec)) {
        const auto status = e.symlink_status(ec);
        if (fs::is_regular_file(status) && isOwnFile(e.path().filename().string())) continue;
        if (!fs::is_directory(status)) refuse(e.path());
        for (const auto& f : fs::directory_iterator(e.path(), ec))
            if (!fs::is_regular_file(f.symlink_status(ec)) ||
                !isOwnFile(f.path().filename().string()))
                refuse(f.path());
    }
    if (ec) throw InputError(label + ": cannot list it: " + ec.message());
    checkParentWritable(p.has_filename() ? p : p.parent_path(), label);
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
    const std::string name = fs::path(path_).filename().string();
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string temp = temporaryName(name, rd());
        std::string full = (parent / temp).string();
        if (full.size() >= PATH_MAX) {
            // A valid output name near PATH_MAX: reach the temporary through the open folder.
            if (dirFd_ < 0) dirFd_ = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dirFd_ < 0)
                throw IoError("cannot open directory " + parent.string() + ": " + errnoText());
            full = "/proc/self/fd/" + std::to_string(dirFd_) + "/" + temp;
        }
        // The name is registered before the file exists: a signal right after open() (on any
        // thread) must find it, and one before open() unlinks a name that is not there yet.
        tempPath_ = full;
        slot_ = registerTemporary(tempPath_);
        const int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            return;
        }
        const int openErrno = errno;
        unregisterTemporary(slot_);  // the name may be another file's (of this process id)
        tempPath_.clear();
        errno = openErrno;
        if (errno != EEXIST)
            throw IoError("cannot create temporary file " + full + ": " + errnoText());
    }
    throw IoError("cannot find a free temporary file name next to " + path_);
}

AtomicOutput::~AtomicOutput() {
    if (aheadFd_ >= 0) ::close(aheadFd_);
    if (!committed_ && !tempPath_.empty()) {
        std::error_code ec;
        fs::remove(tempPath_, ec);  // best effort: nothing sensible to do on failure here
    }
    unregisterTemporary(slot_);  // after the removal: a signal in between finds it gone
    if (dirFd_ >= 0) ::close(dirFd_);
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
            throw IoError("cannot rename " + tempPath_ + " to " + path_ + ": " + errnoText());
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
                throw IoError("cannot rename " + tempPath_ + " to " + path_ + ": " + errnoText());
        } else {
            throw IoError("cannot move " + tempPath_ + " to " + path_ + ": " + errnoText());
        }
    }
    unregisterTemporary(slot_);  // the name is free again: a signal must not remove it
    committed_ = true;
    syncPath(parentOf(path_), true);
}

// ---- AtomicDirectory -------------------------------------------------------------------------

namespace {

// rename(2) variants that Linux offers for folders: fail if the target exists, or swap two
// names in one step. false with errno EINVAL/ENOSYS where the file system lacks them.
bool renameFlags(const std::string& from, const std::string& to, unsigned flags) {
    return ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) == 0;
}

bool unsupported(int err) { return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP; }

}  // namespace

AtomicDirectory::AtomicDirectory(std::string path, bool force,
                                 bool (*isOwnFile)(const std::string& name))
    : path_(std::move(path)), force_(force), isOwnFile_(isOwnFile) {
    checkDirectoryOutput(path_, force_, isOwnFile_);
    while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
    const fs::path target(path_);
    std::error_code ec;
    fs::create_directories(parentOf(target), ec);
    if (ec)
        throw InputError("output folder " + path_ + ": cannot create " + parentOf(target).string() +
                         ": " + ec.message());
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string temp =
            (parentOf(target) / temporaryName(target.filename().string(), rd())).string();
        if (::mkdir(temp.c_str(), 0777) == 0) {
            tempPath_ = temp;
            return;
        }
        if (errno != EEXIST)
            throw IoError("cannot create temporary folder " + temp + ": " + errnoText());
    }
    throw IoError("cannot find a free temporary folder name next to " + path_);
}

AtomicDirectory::~AtomicDirectory() {
    if (tempPath_.empty()) return;
    std::error_code ec;
    fs::remove_all(tempPath_, ec);  // the unfinished folder, or the one swapped out on commit
}

void AtomicDirectory::writeFile(const std::string& relative, const std::string& bytes) {
    ROTOR_REQUIRE(!committed_, "AtomicDirectory::writeFile after commit for " << path_);
    const fs::path file = fs::path(tempPath_) / relative;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) throw IoError("cannot create " + file.parent_path().string() + ": " + ec.message());
    writeWholeFile(file.string(), bytes, true);
}

void writeWholeFile(const std::string& path, std::string_view bytes, bool fresh) {
    const fs::path file(path);
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (fresh ? O_EXCL : O_TRUNC);
    const int fd = ::open(file.c_str(), flags, 0666);
    if (fd < 0) throw IoError("cannot create " + file.string() + ": " + errnoText());
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = n < 0 ? errnoText() : "nothing written";
            ::close(fd);
            throw IoError("cannot write " + file.string() + ": " + why);
        }
        done += static_cast<std::size_t>(n);
    }
    const int rc = ::fsync(fd);
    const int saved = errno;
    if (::close(fd) != 0 || rc != 0)
        throw IoError("cannot flush " + file.string() + ": " +
                      std::strerror(rc != 0 ? saved : errno));
}

void AtomicDirectory::commit() {
    ROTOR_REQUIRE(!committed_, "AtomicDirectory::commit called twice for " << path_);
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(tempPath_, ec))
        if (e.is_directory(ec)) syncPath(e.path(), true);
    syncPath(tempPath_, true);

    struct stat st {};
    const bool exists = ::lstat(path_.c_str(), &st) == 0;
    const bool emptyDir = exists && S_ISDIR(st.st_mode) && fs::is_empty(path_, ec) && !ec;
    if (!exists) {
        if (!renameFlags(tempPath_, path_, RENAME_NOREPLACE)) {
            if (errno == EEXIST || errno == ENOTEMPTY)
                throw InputError(path_ + " appeared while exporting; use --force to replace it");
            if (!unsupported(errno) || ::rename(tempPath_.c_str(), path_.c_str()) != 0)
                throw IoError("cannot move " + tempPath_ + " to " + path_ + ": " + errnoText());
        }
    } else if (emptyDir) {
        // rename(2) replaces an empty folder in one step (and fails if it filled meanwhile).
        if (::rename(tempPath_.c_str(), path_.c_str()) != 0)
            throw IoError("cannot move " + tempPath_ + " to " + path_ + ": " + errnoText());
    } else {
        if (!force_)
            throw InputError(path_ + " exists and is not empty; use --force to replace it");
        // Swap the folders in one step; the old one, now at the temporary name, goes after.
        if (!renameFlags(tempPath_, path_, RENAME_EXCHANGE)) {
            if (!unsupported(errno))
                throw IoError("cannot swap " + tempPath_ + " with " + path_ + ": " + errnoText());
            const std::string old = tempPath_ + ".old";
            if (::rename(path_.c_str(), old.c_str()) != 0)
                throw IoError("cannot move " + path_ + " aside: " + errnoText());
            if (::rename(tempPath_.c_str(), path_.c_str()) != 0) {
                const std::string why = errnoText();
                (void)::rename(old.c_str(), path_.c_str());
                throw IoError("cannot move " + tempPath_ + " to " + path_ + ": " + why);
            }
            tempPath_ = old;
        }
        fs::remove_all(tempPath_, ec);
    }
    tempPath_.clear();
    committed_ = true;
    syncPath(parentOf(path_), true);
}

}  // namespace rotor
