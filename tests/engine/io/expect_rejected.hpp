// SPDX-License-Identifier: MIT
// Shared check of the results writer's tests: inconsistent results are refused with a message
// naming the problem, before any file is created.
#pragma once

#include "engine/core/error.hpp"
#include "engine/io/hdf5_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace rotor::test {

inline void expectRejectedBeforeTheFileIsCreated(const RunResults& res, const std::string& path,
                                                 const std::string& needle) {
    try {
        writeResultsHdf5(res, path);
        ADD_FAILURE() << "accepted: " << needle;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(path)) << needle;
}

}  // namespace rotor::test
