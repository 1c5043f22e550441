// SPDX-License-Identifier: MIT
// Output-file policy: never overwrite without --force, and never leave a half-written result file.
#pragma once

#include "engine/core/input_file.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace rotor {

// Checks, before any computation, that `path` can receive a result file. Throws rotor::InputError
// when: the path is empty, names a directory or its file name is longer than the file system
// allows; it exists (as anything: a dangling symlink too) and `force` is false ("... exists; use
// --force to overwrite"); it exists and is, through symlinks, not a regular file (a device, a
// FIFO, a socket: never replaced, even with `force`); its parent exists but is not a writable
// directory; or the parent does not exist and cannot be created (nearest existing ancestor not
// a writable directory). Creates nothing.
void checkOutputWritable(const std::string& path, bool force);

// Throws rotor::InputError when `output` names, by device and inode and through symlinks, one
// of `inputs` (files the command reads). An output that does not exist yet is no input.
void checkOutputNotInput(const std::string& output, const std::vector<FileRef>& inputs);

// Checks, before any work, that `dir` can receive a folder of files written as one
// (AtomicDirectory): not empty; if it exists it is a directory, and unless it is empty, `force`
// is given and everything in it is a file `isOwnFile` accepts or a folder of such files (what
// an earlier export wrote), so that replacing it loses nothing else. InputError otherwise.
void checkDirectoryOutput(const std::string& dir, bool force,
                          bool (*isOwnFile)(const std::string& name));

// Writes `bytes` to `path` and flushes them to disk: a new file when `fresh` (an existing one is
// an error), else the file truncated. Throws rotor::Error naming the system's reason ("No space
// left on device") on any failure.
void writeWholeFile(const std::string& path, std::string_view bytes, bool fresh);

// Writes a file under a unique temporary name in the target's directory and renames it over the
// target on commit(), so readers only ever see a complete file. If the object is destroyed without
// commit() (an exception, an early return), the temporary is removed and any earlier file at
// `path` is left untouched; so it is on an interrupt once removeTemporariesOnSignal() was called.
// A killed process (SIGKILL, a crash) can leave a "<path>.tmp.*" file behind, never a truncated
// `<path>`. The temporary's name is "<name>.tmp.<pid>.<hex>", with <name> cut short when that
// would pass the file system's 255-byte limit on names, so any valid output name works.
//
//   AtomicOutput out(path, force);
//   writeSomething(out.tempPath());
//   out.commit();
// Makes SIGINT, SIGTERM and SIGHUP remove every live AtomicOutput temporary before the process
// dies of the signal (the signal's default action then runs as before). For executables: the
// library never installs signal handlers by itself. Signals set to be ignored stay ignored.
void removeTemporariesOnSignal();

// Writes a whole folder of files as one: into a fresh temporary folder next to `path`, then
// renamed into place on commit() (atomically swapped with an existing folder, which is then
// removed), so readers see either the old folder or the complete new one. Destroyed without
// commit(), the temporary folder and everything in it is removed.
class AtomicDirectory {
public:
    // Runs checkDirectoryOutput and creates the temporary folder (and missing parents).
    AtomicDirectory(std::string path, bool force, bool (*isOwnFile)(const std::string& name));
    ~AtomicDirectory();
    AtomicDirectory(const AtomicDirectory&) = delete;
    AtomicDirectory& operator=(const AtomicDirectory&) = delete;

    const std::string& path() const { return path_; }
    const std::string& tempPath() const { return tempPath_; }

    // Writes `bytes` to `relative` (which may hold one '/' level) inside the temporary folder
    // and flushes it to disk; throws rotor::Error on any write failure.
    void writeFile(const std::string& relative, const std::string& bytes);
    // Moves the folder into place. Throws rotor::Error (rotor::InputError if a folder appeared
    // at `path` meanwhile without force); the temporary is then still removed.
    void commit();

private:
    std::string path_;
    std::string tempPath_;
    bool force_;
    bool (*isOwnFile_)(const std::string&);
    bool committed_ = false;
};

class AtomicOutput {
public:
    // Runs checkOutputWritable, creates missing parent directories and an empty temporary file.
    AtomicOutput(std::string path, bool force);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    const std::string& path() const { return path_; }
    const std::string& tempPath() const { return tempPath_; }
    bool committed() const { return committed_; }

    // Starts writing what the temporary holds so far to disk, without waiting (Linux; nothing
    // elsewhere): called while a long write goes on, it leaves commit()'s flush less to wait
    // for. Safe to call from one other thread while the file is being written.
    void flushAhead();

    // Flushes the temporary to disk and moves it to `path`. Without force, a file that appeared at
    // `path` since construction is not replaced (rotor::InputError). Throws rotor::Error on I/O
    // failure; the temporary is then still removed by the destructor.
    void commit();

private:
    std::string path_;
    std::string tempPath_;
    bool force_;
    bool committed_ = false;
    // The parent folder, held open only when the temporary's full path would be longer than
    // PATH_MAX: tempPath_ is then "/proc/self/fd/<dirFd_>/<name>".
    int dirFd_ = -1;
    int aheadFd_ = -1;  // the temporary, opened by flushAhead() and closed by commit()
    int slot_ = -1;     // in the registry the signal handler reads, while the temporary lives
};

}  // namespace rotor
