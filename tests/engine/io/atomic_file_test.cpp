// SPDX-License-Identifier: MIT
// Output-file policy: temp-then-rename, --force, and earlier files surviving failures.
#include "engine/io/atomic_file.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace fs = std::filesystem;

namespace rotor {
namespace {
namespace atomic_file_test {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::set<std::string> listing(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
}

// Runs f and returns the InputError message ("" if none was thrown).
template <typename F>
std::string inputErrorOf(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

TEST(AtomicOutput, CommitMovesTheTemporaryIntoPlace) {
    const std::string dir = test::scratchDir("atomic_commit");
    const std::string path = dir + "/out.h5";
    AtomicOutput out(path, false);
    EXPECT_NE(out.tempPath(), path);
    EXPECT_EQ(fs::path(out.tempPath()).parent_path(), fs::path(path).parent_path());
    EXPECT_TRUE(fs::exists(out.tempPath()));
    spit(out.tempPath(), "complete results");
    EXPECT_FALSE(fs::exists(path));  // nothing visible under the final name until commit
    out.commit();
    EXPECT_TRUE(out.committed());
    EXPECT_EQ(slurp(path), "complete results");
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});
}

TEST(AtomicOutput, FlushingAheadWhileWritingKeepsEveryByte) {
    // flushAhead() only starts writeback: the bytes written after it still land, and a
    // flush without a commit still leaves nothing behind.
    const std::string dir = test::scratchDir("atomic_flush_ahead");
    const std::string path = dir + "/out.h5";
    std::string expected;
    {
        AtomicOutput out(path, false);
        std::ofstream f(out.tempPath(), std::ios::binary);
        for (int piece = 0; piece < 5; ++piece) {
            const std::string bytes(100000, static_cast<char>('a' + piece));
            f << bytes << std::flush;
            expected += bytes;
            out.flushAhead();
        }
        f.close();
        out.commit();
        out.flushAhead();  // after commit: nothing to do
    }
    EXPECT_EQ(slurp(path), expected);
    {
        AtomicOutput abandoned(dir + "/other.h5", false);
        spit(abandoned.tempPath(), "partial");
        abandoned.flushAhead();
    }
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});
}

TEST(AtomicOutput, SignalRemovesLiveTemporariesAndStillKills) {
    // In a child process: two outputs in flight, one committed; SIGTERM must remove the live
    // temporary, keep the committed file, and end the child by that signal.
    const std::string dir = test::scratchDir("atomic_signal");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        removeTemporariesOnSignal();
        AtomicOutput done(dir + "/done.h5", false);
        spit(done.tempPath(), "finished");
        done.commit();
        AtomicOutput live(dir + "/live.h5", false);
        spit(live.tempPath(), "half-written");
        spit(dir + "/ready", live.tempPath());
        ::raise(SIGTERM);
        ::_exit(0);  // not reached: the default action of SIGTERM ends the process
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
    const std::string temp = slurp(dir + "/ready");
    ASSERT_FALSE(temp.empty());
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_EQ(slurp(dir + "/done.h5"), "finished");
    EXPECT_EQ(listing(dir), (std::set<std::string>{"done.h5", "ready"}));
}

TEST(AtomicOutput, CommittedFileHonoursTheUmask) {
    const std::string dir = test::scratchDir("atomic_mode");
    const mode_t mask = ::umask(022);
    {
        AtomicOutput out(dir + "/out.h5", false);
        out.commit();
    }
    ::umask(mask);
    struct stat st {};
    ASSERT_EQ(::stat((dir + "/out.h5").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);  // 0666 & ~022, not mkstemp's 0600
}

TEST(AtomicOutput, ExceptionBeforeCommitKeepsTheEarlierFile) {
    const std::string dir = test::scratchDir("atomic_throw");
    const std::string path = dir + "/out.h5";
    const std::string earlier("earlier run\0with a NUL and\xff bytes", 33);
    spit(path, earlier);
    try {
        AtomicOutput out(path, true);
        spit(out.tempPath(), "half-written");
        throw std::runtime_error("simulated failure mid-write");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(slurp(path), earlier);
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});  // temporary removed
}

TEST(AtomicOutput, ExistingFileRefusedWithoutForce) {
    const std::string dir = test::scratchDir("atomic_exists");
    const std::string path = dir + "/out.h5";
    spit(path, "keep me");
    const std::string expected = path + " exists; use --force to overwrite";
    EXPECT_EQ(inputErrorOf([&] { checkOutputWritable(path, false); }), expected);
    EXPECT_EQ(inputErrorOf([&] { AtomicOutput out(path, false); }), expected);
    EXPECT_EQ(slurp(path), "keep me");
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});
}

TEST(AtomicOutput, ExistingFileReplacedWithForce) {
    const std::string dir = test::scratchDir("atomic_force");
    const std::string path = dir + "/out.h5";
    spit(path, "old");
    EXPECT_NO_THROW(checkOutputWritable(path, true));
    AtomicOutput out(path, true);
    spit(out.tempPath(), "new");
    EXPECT_EQ(slurp(path), "old");
    out.commit();
    EXPECT_EQ(slurp(path), "new");
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});
}

TEST(AtomicOutput, FileAppearingDuringTheRunIsNotClobberedWithoutForce) {
    const std::string dir = test::scratchDir("atomic_race");
    const std::string path = dir + "/out.h5";
    {
        AtomicOutput out(path, false);
        spit(out.tempPath(), "ours");
        spit(path, "someone else's");  // e.g. a second rotor writing the same output
        EXPECT_THROW(out.commit(), InputError);
        EXPECT_FALSE(out.committed());
    }
    EXPECT_EQ(slurp(path), "someone else's");
    EXPECT_EQ(listing(dir), std::set<std::string>{"out.h5"});
}

TEST(AtomicOutput, CreatesMissingParentDirectoriesOnlyWhenWriting) {
    const std::string dir = test::scratchDir("atomic_parents");
    const std::string path = dir + "/a/b/out.h5";
    EXPECT_NO_THROW(checkOutputWritable(path, false));
    EXPECT_FALSE(fs::exists(dir + "/a"));  // the up-front check creates nothing
    AtomicOutput out(path, false);
    spit(out.tempPath(), "x");
    out.commit();
    EXPECT_EQ(slurp(path), "x");
}

TEST(AtomicOutput, RejectsDirectoriesAndNonDirectoryParents) {
    const std::string dir = test::scratchDir("atomic_bad_paths");
    EXPECT_NE(inputErrorOf([&] { checkOutputWritable(dir, true); }).find("is a directory"),
              std::string::npos);
    EXPECT_NE(inputErrorOf([&] { checkOutputWritable(dir + "/sub/", true); }), "");
    spit(dir + "/file", "");
    EXPECT_NE(inputErrorOf([&] {
                  checkOutputWritable(dir + "/file/out.h5", true);
              }).find("is not a directory"),
              std::string::npos);
    EXPECT_NE(inputErrorOf([&] {
                  checkOutputWritable(dir + "/file/x/out.h5", true);
              }).find("is not a directory"),
              std::string::npos);
    EXPECT_NE(inputErrorOf([&] { checkOutputWritable("", true); }), "");
}

TEST(AtomicOutput, RejectsUnwritableDirectory) {
    if (::geteuid() == 0) GTEST_SKIP() << "root can write to any directory; permission test moot";
    const std::string dir = test::scratchDir("atomic_readonly");
    fs::create_directory(dir + "/ro");
    fs::permissions(dir + "/ro", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_NE(inputErrorOf([&] {
                  checkOutputWritable(dir + "/ro/out.h5", false);
              }).find("not writable"),
              std::string::npos);
    EXPECT_NE(inputErrorOf([&] {
                  checkOutputWritable(dir + "/ro/new/out.h5", false);
              }).find("not writable"),
              std::string::npos);
    fs::permissions(dir + "/ro", fs::perms::owner_all);
}

TEST(AtomicOutput, CommitTwiceIsAProgrammingError) {
    const std::string dir = test::scratchDir("atomic_twice");
    AtomicOutput out(dir + "/out.h5", false);
    out.commit();
    EXPECT_THROW(out.commit(), Error);
}

}  // namespace atomic_file_test
}  // namespace
}  // namespace rotor
