// SPDX-License-Identifier: MIT
// Faults from outside, on the real `rotor` binary: SIGKILL at random points over an existing
// result file, a full disk (a file-size limit everywhere; a small tmpfs where the test may mount
// one), and a data file rewritten while runs read it. Each must lose nothing: the earlier file
// stays byte-identical, a failed write leaves no file, and a run's recorded checksum is that of
// the bytes it used.
#include "engine/data/sha256.hpp"
#include "engine/report/results_reader.hpp"
#include "tests/test_support.hpp"
#include "tests/tools/cli_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

namespace fs = std::filesystem;
using rotor::test::CliResult;
using rotor::test::rotorCli;
using rotor::test::slurp;

namespace {
namespace fault_test {

// The invalid-input corpus's common files: ok.yaml (history) and fwd.yaml (forward) over
// AAA.csv, BBB.csv and rate.csv.
std::string commonDir(const std::string& name) {
    const std::string dir = rotor::test::scratchDir(name);
    const fs::path common = fs::path(ROTOR_SOURCE_DIR) / "tests" / "fixtures" /
                            "invalid_input_test" / "common";
    for (const auto& e : fs::directory_iterator(common))
        fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
    return dir;
}

void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::set<std::string> namesIn(const std::string& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

// Starts rotor with `args` in `dir`, output to /dev/null; returns its pid.
pid_t spawnRotor(const std::vector<std::string>& args, const std::string& dir) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::chdir(dir.c_str()) != 0) ::_exit(127);
        if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
            ::_exit(127);
        std::vector<std::string> copy = args;
        std::string exe = ROTOR_CLI;
        std::vector<char*> argv{exe.data()};
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

// A forward run of about a second: fewer paths where sanitizers make each ~10 times slower.
#if defined(__SANITIZE_ADDRESS__)
#define ROTOR_KILL_PATHS "10000"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROTOR_KILL_PATHS "10000"
#endif
#endif
#ifndef ROTOR_KILL_PATHS
#define ROTOR_KILL_PATHS "100000"
#endif

TEST(Faults, SigkillAtRandomPointsLeavesTheEarlierResultFileByteIdentical) {
    const std::string dir = commonDir("kill");
    const std::vector<std::string> args = {"run",     "fwd.yaml", "-o",      "out.h5",
                                           "--quiet", "--force",  "--paths", ROTOR_KILL_PATHS,
                                           "--seed",  "7"};
    // One whole run: the earlier file, and how long a run takes (the window to kill it in).
    const auto start = std::chrono::steady_clock::now();
    int status = 0;
    ::waitpid(spawnRotor(args, dir), &status, 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    const std::string before = slurp(dir + "/out.h5");
    ASSERT_FALSE(before.empty());

    std::mt19937 rng(11);
    // Until six kills have landed mid-run (a loaded machine makes runs uneven: some finish
    // before their kill, some are killed after their rename), at most 20 tries.
    std::uniform_real_distribution<double> when(0.0, 0.8 * seconds);
    int killed = 0;
    for (int trial = 0; trial < 20 && killed < 6; ++trial) {
        const double delay = when(rng);
        const pid_t pid = spawnRotor(args, dir);
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        if (WIFSIGNALED(status) && slurp(dir + "/out.h5") == before) {
            ++killed;
        } else if (WIFSIGNALED(status)) {
            // Killed in the last milliseconds, after the complete new file was renamed into
            // place (the directory's fsync, exit): that file, whole, never a partial one.
            EXPECT_NO_THROW(rotor::report::readResults(dir + "/out.h5"))
                << "out.h5 damaged by a run killed after " << delay << " s";
            write(dir + "/out.h5", before);
        } else {
            // Finished first (a loaded machine): a complete new file, then the old one back.
            EXPECT_EQ(WEXITSTATUS(status), 0);
            EXPECT_NO_THROW(rotor::report::readResults(dir + "/out.h5"));
            write(dir + "/out.h5", before);
        }
        // SIGKILL may leave the temporary (docs/cli.md); it is never the output.
        for (const auto& n : namesIn(dir))
            if (n.rfind("out.h5.tmp.", 0) == 0) fs::remove(dir + "/" + n);
    }
    EXPECT_GE(killed, 6) << "a run of " << seconds << " s finished before most kills";
}

// What each command does on a disk that fills up: exit 1, one message, and nothing left of
// what it was writing (neither the output nor a temporary).
struct DiskFullCase {
    const char* name;
    std::string args;     // rotor arguments, run in the folder of the inputs
    std::string written;  // the output path the command writes
};

std::vector<DiskFullCase> diskFullCases(const std::string& out) {
    return {{"run", "run ok.yaml -o " + out + "/r.h5 --quiet", out + "/r.h5"},
            {"run forward", "run fwd.yaml -o " + out + "/f.h5 --quiet", out + "/f.h5"},
            {"report", "report r0.h5 -o " + out + "/report.html", out + "/report.html"},
            {"export", "export r0.h5 --csv " + out + "/csv", out + "/csv"}};
}

void expectCleanFailure(const CliResult& r, const std::string& out, const std::string& what) {
    EXPECT_EQ(r.code, 1) << what << ": " << r.err;
    EXPECT_EQ(r.err.rfind("rotor: ", 0), 0u) << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    // The machine refused the write: the message must not blame the scenario's model.
    EXPECT_EQ(r.err.find("drive prices out of range"), std::string::npos) << what << ": " << r.err;
    EXPECT_TRUE(namesIn(out).empty()) << what << " left " << *namesIn(out).begin();
}

// A file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) fails writes past 2 KiB with EFBIG the way
// a full disk fails them with ENOSPC, on any machine and without privileges.
TEST(Faults, WritesFailingPartWayExitOneAndLeaveNothing) {
    const std::string dir = commonDir("fsize");
    ASSERT_EQ(rotorCli("run ok.yaml -o r0.h5 --quiet", dir).code, 0);
    const std::string out = dir + "/out";
    fs::create_directories(out);
    for (const auto& c : diskFullCases(out)) {
        // ulimit -f counts 1 KiB blocks (512 bytes in some shells): 2 is below every output
        // here (results 34 and 68 KiB, the report 24 KiB, the largest exported CSV 2.9 KiB).
        const CliResult r = rotor::test::shell(
            "trap '' XFSZ; ulimit -f 2; '" + std::string(ROTOR_CLI) + "' " + c.args, dir);
        expectCleanFailure(r, out, c.name);
        EXPECT_NE(r.err.find("File too large"), std::string::npos) << c.name << ": " << r.err;
    }
}

// A `store: paths` run whose file outgrows the limit while the stored paths stream into it
// (4.2 MB whole, a 2 MiB limit): the write of the stored prices fails part-way through the run,
// which exits 1 and leaves neither the output nor its temporary.
TEST(Faults, StoredPathsFailingPartWayThroughTheRunExitOneAndLeaveNothing) {
    const std::string dir = commonDir("fsize_stored");
    write(dir + "/stored.yaml", "extends: fwd.yaml\nsimulation: {store: paths, paths: 20000}\n");
    ASSERT_EQ(rotorCli("run stored.yaml -o whole.h5 --quiet", dir).code, 0);
    ASSERT_GT(fs::file_size(dir + "/whole.h5"), std::uintmax_t{4} << 20);
    const std::string out = dir + "/out";
    fs::create_directories(out);
    const CliResult r = rotor::test::shell("trap '' XFSZ; ulimit -f 2048; '" +
                                               std::string(ROTOR_CLI) +
                                               "' run stored.yaml -o out/s.h5 --quiet",
                                           dir);
    expectCleanFailure(r, out, "store: paths");
    EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
}

// The same on a real full file system: a 16 KiB tmpfs (four pages: less than any results file
// or the report, and half of the export's 8 files), where the test may mount one (root).
TEST(Faults, FullDiskExitsOneAndLeavesNothing) {
    const std::string dir = commonDir("tmpfs");
    ASSERT_EQ(rotorCli("run ok.yaml -o r0.h5 --quiet", dir).code, 0);
    const std::string out = dir + "/disk";
    fs::create_directories(out);
    if (::geteuid() != 0 || ::mount("rotor-test", out.c_str(), "tmpfs", 0, "size=16k") != 0)
        GTEST_SKIP() << "cannot mount a tmpfs here; the file-size-limit test covers the paths";
    struct Unmount {
        std::string dir;
        ~Unmount() { ::umount(dir.c_str()); }
    } unmount{out};
    for (const auto& c : diskFullCases(out)) {
        const CliResult r = rotorCli(c.args, dir);
        expectCleanFailure(r, out, c.name);
        EXPECT_NE(r.err.find("No space left on device"), std::string::npos)
            << c.name << ": " << r.err;
    }
}

// A data file rewritten in place, over and over, while runs read it: whatever a run saw (the
// file is only ever a prefix of its full text), it either fails as bad input or records the
// checksum of exactly the bytes its results come from.
TEST(Faults, DataFileRewrittenDuringRunsIsUsedWholeWithItsChecksum) {
    const std::string dir = rotor::test::scratchDir("rewrite");
    // 30 years of weekdays: ~ 7800 rows, ~ 170 KiB, so a rewrite takes many small writes.
    std::string full = "date,adj_close\n", other = "date,adj_close\n";
    std::vector<std::pair<std::size_t, std::string>> rowStarts;  // (offset, date)
    rotor::Date d = rotor::Date::fromYmd(1995, 1, 2);
    for (int i = 0; d < rotor::Date::fromYmd(2025, 1, 1); d = d + 1) {
        if (d.weekday() == 0 || d.weekday() == 6) continue;
        char row[64];
        std::snprintf(row, sizeof row, "%s,%.4f\n", d.iso().c_str(), 100.0 + 0.01 * (i % 97));
        rowStarts.emplace_back(full.size(), d.iso());
        full += row;
        std::snprintf(row, sizeof row, "%s,%.4f\n", d.iso().c_str(), 50.0 + 0.01 * (i++ % 89));
        other += row;
    }
    write(dir + "/AAA.csv", full);
    write(dir + "/BBB.csv", other);
    write(dir + "/s.yaml",
          "name: rewrite\nmode: historical\nuniverse: {assets: [AAA, BBB], prices: "
          "\"{asset}.csv\"}\ncash_rate: 2.0\ninitial_capital: 10000\nbenchmark: hold\n"
          "strategies:\n  - {name: hold, type: buy_and_hold, weights: {AAA: 0.5, BBB: 0.5}}\n");

    std::atomic<bool> stop{false};
    std::thread writer([&] {
        int rewrites = 0;
        while (!stop) {
            // Truncate, then write the text back in 4 KiB pieces: readers see prefixes of it.
            std::FILE* f = std::fopen((dir + "/AAA.csv").c_str(), "wb");
            std::setvbuf(f, nullptr, _IONBF, 0);
            for (std::size_t at = 0; at < full.size() && !stop; at += 4096) {
                std::fwrite(full.data() + at, 1, std::min<std::size_t>(4096, full.size() - at), f);
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            std::fclose(f);
            // ~9 ms being written, then whole for 0 to 9 ms: some runs read it whole, others
            // a part of it.
            std::this_thread::sleep_for(std::chrono::milliseconds(rewrites++ % 10));
        }
    });
    int used = 0, refused = 0;
    for (int i = 0; i < 12; ++i) {
        const std::string out = "r" + std::to_string(i) + ".h5";
        const CliResult r = rotorCli("run s.yaml -o " + out + " --quiet", dir);
        if (r.code == 2) {
            ++refused;  // an empty or half-written row: bad input, located, nothing written
            EXPECT_NE(r.err.find("AAA.csv"), std::string::npos) << r.err;
            EXPECT_FALSE(fs::exists(dir + "/" + out));
            continue;
        }
        ASSERT_EQ(r.code, 0) << r.err;
        ++used;
        const auto results = rotor::report::readResults(dir + "/" + out);
        std::string recorded;
        for (std::size_t k = 0; k < results.dataFiles.rows; ++k)
            if (results.dataFiles.text("path", k).find("AAA.csv") != std::string::npos)
                recorded = results.dataFiles.text("sha256", k);
        ASSERT_FALSE(recorded.empty());
        // The prefix the checksum is of (the writer's pieces end at multiples of 4 KiB), and
        // the last row in it with a date, a comma and a digit: where the results end.
        std::string lastDate;
        bool found = false;
        for (std::size_t n = 0; !found; n = std::min(n + 4096, full.size())) {
            found = rotor::sha256Hex(std::string_view(full).substr(0, n)) == recorded;
            if (found)
                for (const auto& [at, date] : rowStarts)
                    if (at + 12 <= n) lastDate = date;
            if (n == full.size()) break;
        }
        ASSERT_TRUE(found) << "the checksum of " << out << " is of no prefix of AAA.csv";
        ASSERT_EQ(results.scenarios.size(), 1u);
        EXPECT_EQ(results.scenarios[0].dates.back(), lastDate) << out;
    }
    stop = true;
    writer.join();
    EXPECT_EQ(used + refused, 12);
    EXPECT_GE(used, 1);
}

}  // namespace fault_test
}  // namespace
