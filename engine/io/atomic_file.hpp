// SPDX-License-Identifier: MIT
// Output-file policy: never overwrite without --force, and never leave a half-written result file.
#pragma once

#include <string>

namespace rotor {

// Checks, before any computation, that `path` can receive a result file. Throws rotor::InputError
// when: the path is empty or names a directory; it exists and `force` is false ("... exists; use
// --force to overwrite"); its parent exists but is not a writable directory; or the parent does
// not exist and cannot be created (nearest existing ancestor not a writable directory).
// Creates nothing.
void checkOutputWritable(const std::string& path, bool force);

// Writes a file under a unique temporary name in the target's directory and renames it over the
// target on commit(), so readers only ever see a complete file. If the object is destroyed without
// commit() (an exception, an early return), the temporary is removed and any earlier file at
// `path` is left untouched; so it is on an interrupt once removeTemporariesOnSignal() was called.
// A killed process (SIGKILL, a crash) can leave a "<path>.tmp.*" file behind, never a truncated
// `<path>`.
//
//   AtomicOutput out(path, force);
//   writeSomething(out.tempPath());
//   out.commit();
// Makes SIGINT, SIGTERM and SIGHUP remove every live AtomicOutput temporary before the process
// dies of the signal (the signal's default action then runs as before). For executables: the
// library never installs signal handlers by itself. Signals set to be ignored stay ignored.
void removeTemporariesOnSignal();

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
    int aheadFd_ = -1;  // the temporary, opened by flushAhead() and closed by commit()
    int slot_ = -1;     // in the registry the signal handler reads, while the temporary lives
};

}  // namespace rotor
