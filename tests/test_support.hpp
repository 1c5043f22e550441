// SPDX-License-Identifier: MIT
// Helpers shared by the tests: fixture paths and tiny hand-made paths.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/error.hpp"

#include <functional>
#include <string>
#include <vector>

namespace rotor::test {

// tests/fixtures/<stem>/<name>, where <stem> is the test file's stem.
std::string fixturePath(const char* testFile, const std::string& name);
// A fresh empty directory under the build tree for a test's outputs.
// A fresh, empty directory build/test-scratch/<Suite.Test>/<name> (unique per running test case).
std::string scratchDir(const std::string& name);

// A file's bytes, and a file written with exactly these bytes (damaged-file tests).
std::vector<unsigned char> fileBytes(const std::string& path);
void writeBytes(const std::string& path, const std::vector<unsigned char>& bytes);

// 1-based line and column of the first `needle` in `text`, found without yaml-cpp: a second
// way to know where a located error must point.
struct TextLocation {
    int line;
    int column;
};
TextLocation locate(const std::string& text, const std::string& needle);

// Runs `f`, expects a ConfigError and returns it (a test failure and an empty one otherwise).
ConfigError configErrorOf(const std::function<void()>& f);

// `n` consecutive calendar days from `start` (for models that need ascending dates only).
std::vector<Date> calendarDays(Date start, int n);

// Runs `command` through /bin/sh: its exit status (as pclose returns it, -1 when it could not
// start) and everything it wrote to stdout and stderr.
struct ShellRun {
    int status = -1;
    std::string output;
};
ShellRun runShell(const std::string& command);

}  // namespace rotor::test

#define ROTOR_TEST_INPUT(name) ::rotor::test::fixturePath(__FILE__, name)
