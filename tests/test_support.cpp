// SPDX-License-Identifier: MIT
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace rotor::test {

std::string fixturePath(const char* testFile, const std::string& name) {
    const std::filesystem::path stem = std::filesystem::path(testFile).stem();
    return (std::filesystem::path(ROTOR_SOURCE_DIR) / "tests" / "fixtures" / stem / name).string();
}

std::vector<unsigned char> fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const std::string& path, const std::vector<unsigned char>& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

std::string scratchDir(const std::string& name) {
    // ctest runs test cases in parallel processes: each case gets its own tree, so no two
    // processes ever remove or write the same directory.
    std::filesystem::path dir = std::filesystem::path(ROTOR_BINARY_DIR) / "test-scratch";
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info())
        dir /= std::string(info->test_suite_name()) + "." + info->name();
    dir /= name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

TextLocation locate(const std::string& text, const std::string& needle) {
    const auto pos = text.find(needle);
    EXPECT_NE(pos, std::string::npos) << needle;
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < pos; ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return {line, static_cast<int>(pos - lineStart) + 1};
}

ConfigError configErrorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return ConfigError("", 0, 0, "", "none");
}

std::vector<Date> calendarDays(Date start, int n) {
    std::vector<Date> out;
    for (int i = 0; i < n; ++i) out.push_back(start + i);
    return out;
}

ShellRun runShell(const std::string& command) {
    ShellRun r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe) != nullptr) r.output += buf;
    r.status = ::pclose(pipe);
    return r;
}

}  // namespace rotor::test
