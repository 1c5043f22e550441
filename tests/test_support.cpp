// SPDX-License-Identifier: MIT
#include "tests/test_support.hpp"

#include <filesystem>

namespace rotor::test {

std::string fixturePath(const char* testFile, const std::string& name) {
    const std::filesystem::path stem = std::filesystem::path(testFile).stem();
    return (std::filesystem::path(ROTOR_SOURCE_DIR) / "tests" / "fixtures" / stem / name).string();
}

std::string scratchDir(const std::string& name) {
    const auto dir = std::filesystem::path(ROTOR_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

}  // namespace rotor::test
