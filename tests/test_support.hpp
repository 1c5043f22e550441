// SPDX-License-Identifier: MIT
// Helpers shared by the tests: fixture paths and tiny hand-made paths.
#pragma once

#include <string>

namespace rotor::test {

// tests/fixtures/<stem>/<name>, where <stem> is the test file's stem.
std::string fixturePath(const char* testFile, const std::string& name);
// A fresh empty directory under the build tree for a test's outputs.
// A fresh, empty directory build/test-scratch/<Suite.Test>/<name> (unique per running test case).
std::string scratchDir(const std::string& name);

// 1-based line and column of the first `needle` in `text`, found without yaml-cpp: a second
// way to know where a located error must point.
struct TextLocation {
    int line;
    int column;
};
TextLocation locate(const std::string& text, const std::string& needle);

}  // namespace rotor::test

#define ROTOR_TEST_INPUT(name) ::rotor::test::fixturePath(__FILE__, name)
