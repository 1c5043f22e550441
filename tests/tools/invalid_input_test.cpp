// SPDX-License-Identifier: MIT
// The invalid-input corpus: every case of tests/fixtures/invalid_input_test/cases.txt runs the
// real `rotor` binary in a fresh folder holding the common fixtures and the case's own files,
// and must exit with its code, print one line naming the location it expects, stay under 15 s
// of CPU time (user + system: the program's cost, not a shared machine's load; a run still going
// after 60 s of wall time is killed) and 1 GiB, and leave every file of the folder exactly as it
// was (nothing written, nothing changed, no temporary left). Under the ASan/UBSan build a sanitizer
// report fails the case.
//
// cases.txt: a case starts with "=== <name>"; then directives, one a line:
//   args: <rotor arguments>       words split on spaces; '' is an empty argument
//   exit: <code>                  the exit code expected (2 bad input, 1 runtime failure)
//   expect: <text>                text the message must contain (any number)
//   at: <file> <token>            the message must name <file>:<line>:<column> of the first
//                                 <token> in that file's text, found here by a plain search
//   setup: <action> <args...>     mkfifo NAME | mkdir NAME | symlink NAME TARGET |
//                                 hardlink NAME TARGET | results NAME (a valid results file) |
//                                 generate KIND NAME N (see generate() below)
// and then its files, each ">>> <name>" followed by the file's lines.
#include "engine/core/date.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace {
namespace invalid_input_test {

struct Case {
    std::string name;
    std::vector<std::string> args;
    int exit = -1;
    std::vector<std::string> expect;
    std::vector<std::pair<std::string, std::string>> at;  // file, token
    std::vector<std::vector<std::string>> setup;
    std::vector<std::pair<std::string, std::string>> files;  // name, text
};

// Test names in ctest's listing: the case's name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string fixture(const std::string& name) {
    return (fs::path(ROTOR_SOURCE_DIR) / "tests" / "fixtures" / "invalid_input_test" / name)
        .string();
}

std::string slurpFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Words split on spaces; '' stands for an empty word, 'a b' for one word with a space.
std::vector<std::string> splitArgs(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false, any = false;
    for (char c : line) {
        if (c == '\'') {
            quoted = !quoted;
            any = true;
        } else if (c == ' ' && !quoted) {
            if (any) out.push_back(cur);
            cur.clear();
            any = false;
        } else {
            cur += c;
            any = true;
        }
    }
    if (any) out.push_back(cur);
    return out;
}

std::vector<Case> loadCases() {
    std::vector<Case> cases;
    std::istringstream in(slurpFile(fixture("cases.txt")));
    std::string line;
    std::string* file = nullptr;
    while (std::getline(in, line)) {
        if (line.rfind("=== ", 0) == 0) {
            cases.push_back(Case{});
            cases.back().name = line.substr(4);
            file = nullptr;
            continue;
        }
        if (cases.empty()) continue;  // the header comment
        Case& c = cases.back();
        if (line.rfind(">>> ", 0) == 0) {
            c.files.emplace_back(line.substr(4), "");
            file = &c.files.back().second;
            continue;
        }
        if (file != nullptr) {
            *file += line + "\n";
            continue;
        }
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(": ");
        const std::string key = line.substr(0, colon);
        const std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
        if (key == "args") c.args = splitArgs(value);
        if (key == "exit") c.exit = std::stoi(value);
        if (key == "expect") c.expect.push_back(value);
        if (key == "setup") c.setup.push_back(splitArgs(value));
        if (key == "at") {
            const auto space = value.find(' ');
            c.at.emplace_back(value.substr(0, space), value.substr(space + 1));
        }
    }
    return cases;
}

// Large or repetitive inputs made on the spot rather than stored.
void generate(const std::string& kind, const std::string& path, long n) {
    std::ofstream out(path, std::ios::binary);
    if (kind == "wide-csv") {
        // n distinct columns, then the first one again at the end: a duplicate found last.
        out << "date";
        for (long i = 0; i < n; ++i) out << ",c" << i;
        out << ",c0\n";
    } else if (kind == "nested-yaml") {
        // n levels of flow sequences around one value.
        out << "name: " << std::string(static_cast<std::size_t>(n), '[') << "x"
            << std::string(static_cast<std::size_t>(n), ']') << "\n";
    } else if (kind == "extends-chain") {
        // c0.yaml extends c1.yaml ... c<n-1>.yaml extends ok.yaml; `path` is the folder.
        for (long i = 0; i < n; ++i) {
            std::ofstream f(path + "/c" + std::to_string(i) + ".yaml");
            f << "extends: " << (i + 1 < n ? "c" + std::to_string(i + 1) + ".yaml" : "ok.yaml")
              << "\ndescription: level " << i << "\n";
        }
    } else if (kind == "sweep-strategies") {
        // n fixed-mix strategies and a sweep of two values over each one's AAA weight.
        out << "extends: ok.yaml\nbenchmark: s0\nstrategies:\n";
        for (long i = 0; i < n; ++i)
            out << "  - {name: s" << i << ", type: buy_and_hold, weights: {AAA: 1.0}}\n";
        out << "sweep:\n";
        for (long i = 0; i < n; ++i) out << "  strategies[" << i << "].weights.AAA: [0.5, 0.75]\n";
    } else if (kind == "big-yaml") {
        // n bytes of comments after a valid start: over a size limit, not a syntax error.
        out << "extends: ok.yaml\n";
        const std::string comment = "# " + std::string(77, 'x') + "\n";
        for (long written = 0; written < n; written += 80) out << comment;
    } else if (kind == "daily-prices") {
        // n weekdays of prices from 2019-01-01 (a Tuesday), date,adj_close.
        out << "date,adj_close\n";
        rotor::Date d = rotor::Date::fromYmd(2019, 1, 1);
        for (long i = 0; i < n; d = d + 1) {
            if (d.weekday() == 0 || d.weekday() == 6) continue;
            out << d.iso() << ',' << 100.0 + 0.01 * static_cast<double>(i) << '\n';
            ++i;
        }
    } else {
        ADD_FAILURE() << "unknown generator " << kind;
    }
}

// Everything in a folder: type, size and content of each entry (symlinks as their targets,
// never followed; FIFOs never opened).
std::map<std::string, std::string> snapshot(const std::string& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::end(it); ++it) {
        const fs::path& p = it->path();
        struct stat st {};
        ::lstat(p.c_str(), &st);
        std::string v = std::to_string(st.st_mode) + ":" + std::to_string(st.st_ino) + ":";
        if (S_ISREG(st.st_mode))
            v += std::to_string(st.st_size) + ":" +
                 std::to_string(std::hash<std::string>{}(slurpFile(p.string())));
        else if (S_ISLNK(st.st_mode))
            v += fs::read_symlink(p, ec).string();
        out[fs::relative(p, dir).string()] = v;
    }
    return out;
}

struct Outcome {
    int code = -1;  // exit code; -1 when killed by a signal or the time limit
    int signal = 0;
    std::string err;
    double seconds = 0.0;     // wall time
    double cpuSeconds = 0.0;  // user + system time
    long maxRssKiB = 0;
};

// Runs rotor with `args` in `dir`; stdout and stderr go to files outside it.
Outcome runRotor(const std::vector<std::string>& args, const std::string& dir,
                 const std::string& logs) {
    const std::string errPath = logs + "/stderr.txt", outPath = logs + "/stdout.txt";
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::chdir(dir.c_str()) != 0) ::_exit(127);
        if (!std::freopen(outPath.c_str(), "w", stdout) ||
            !std::freopen(errPath.c_str(), "w", stderr))
            ::_exit(127);
        std::vector<char*> argv;
        std::string exe = ROTOR_CLI;
        argv.push_back(exe.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    Outcome o;
    int status = 0;
    struct rusage usage {};
    for (;;) {
        const pid_t r = ::wait4(pid, &status, WNOHANG, &usage);
        if (r == pid) break;
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60)) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &usage);
            o.err = "(killed after 60 s) ";
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.maxRssKiB = usage.ru_maxrss;
    const auto secs = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    o.cpuSeconds = secs(usage.ru_utime) + secs(usage.ru_stime);
    if (WIFEXITED(status)) o.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
    o.err += slurpFile(errPath);
    return o;
}

class InvalidInput : public ::testing::TestWithParam<Case> {
protected:
    // A valid results file, made once per process from the common scenario.
    static std::string results() {
        static const std::string path = [] {
            const std::string dir = rotor::test::scratchDir("results");
            for (const auto& e : fs::directory_iterator(fixture("common")))
                fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
            const Outcome o = runRotor({"run", "ok.yaml", "-o", "r.h5", "--quiet"}, dir, dir);
            EXPECT_EQ(o.code, 0) << o.err;
            return dir + "/r.h5";
        }();
        return path;
    }
};

TEST_P(InvalidInput, ExitsLocatedAndLeavesEverythingAsItWas) {
    const Case& c = GetParam();
    const std::string root = rotor::test::scratchDir("case");
    const std::string dir = root + "/work", logs = root + "/logs";
    fs::create_directories(dir);
    fs::create_directories(logs);
    for (const auto& e : fs::directory_iterator(fixture("common")))
        fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
    for (const auto& [name, text] : c.files) {
        fs::create_directories(fs::path(dir + "/" + name).parent_path());
        std::ofstream(dir + "/" + name, std::ios::binary) << text;
    }
    for (const auto& s : c.setup) {
        ASSERT_GE(s.size(), 2u) << c.name;
        const std::string target = dir + "/" + s[1];
        if (s[0] == "mkfifo") {
            ASSERT_EQ(::mkfifo(target.c_str(), 0644), 0);
        } else if (s[0] == "mkdir") {
            fs::create_directories(target);
        } else if (s[0] == "symlink") {
            fs::create_symlink(s.at(2), target);
        } else if (s[0] == "hardlink") {
            fs::create_hard_link(dir + "/" + s.at(2), target);
        } else if (s[0] == "results") {
            fs::copy_file(results(), target);
        } else if (s[0] == "generate") {
            generate(s.at(1), dir + "/" + s.at(2), std::stol(s.at(3)));
        } else {
            FAIL() << "unknown setup " << s[0];
        }
    }
    const auto before = snapshot(dir);

    const Outcome o = runRotor(c.args, dir, logs);

    EXPECT_EQ(o.code, c.exit) << o.err
                              << (o.signal ? " (signal " + std::to_string(o.signal) + ")" : "");
    for (const auto& e : c.expect)
        EXPECT_NE(o.err.find(e), std::string::npos) << e << "\n" << o.err;
    for (const auto& [file, token] : c.at) {
        const auto loc = rotor::test::locate(slurpFile(dir + "/" + file), token);
        const std::string where = file + ":" + std::to_string(loc.line) + ":" +
                                  std::to_string(loc.column) + ":";
        EXPECT_NE(o.err.find(where), std::string::npos) << where << "\n" << o.err;
    }
    // One line, "rotor: ...", and no sanitizer report.
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.err.rfind("rotor: ", 0), 0u) << o.err;
    EXPECT_EQ(o.err.find("Sanitizer"), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("runtime error"), std::string::npos) << o.err;
    EXPECT_LT(o.cpuSeconds, 15.0) << "CPU seconds (" << o.seconds << " s of wall time)";
    EXPECT_LT(o.maxRssKiB, 1L << 20) << "KiB";
    EXPECT_EQ(snapshot(dir), before) << "files changed";
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
    std::string n = info.param.name;
    for (auto& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidInput, ::testing::ValuesIn(loadCases()), caseName);

// The corpus is meant to be large and complete: at least 100 cases, each well-formed.
TEST(InvalidInputCorpus, HasAtLeastAHundredWellFormedCases) {
    const auto cases = loadCases();
    EXPECT_GE(cases.size(), 100u);
    std::set<std::string> names;
    for (const auto& c : cases) {
        EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
        EXPECT_FALSE(c.args.empty()) << c.name;
        EXPECT_TRUE(c.exit == 1 || c.exit == 2) << c.name;
        EXPECT_FALSE(c.expect.empty() && c.at.empty()) << c.name << " names no location";
    }
}

// The common fixtures themselves are valid: each case fails for its own change only.
TEST(InvalidInputCorpus, CommonScenariosRun) {
    const std::string dir = rotor::test::scratchDir("common");
    for (const auto& e : fs::directory_iterator(fixture("common")))
        fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
    for (const char* yaml : {"ok.yaml", "fwd.yaml"}) {
        const Outcome o = runRotor({"run", yaml, "-o", std::string(yaml) + ".h5", "--quiet"}, dir,
                                   dir);
        EXPECT_EQ(o.code, 0) << yaml << ": " << o.err;
    }
}

}  // namespace invalid_input_test
}  // namespace
