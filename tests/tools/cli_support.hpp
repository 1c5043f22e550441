// SPDX-License-Identifier: MIT
// Running the real `rotor` executable from the CLI tests.
#pragma once

#include <string>

namespace rotor::test {

struct CliResult {
    int code;         // exit code (-1 if the process did not exit normally)
    std::string out;  // stdout
    std::string err;  // stderr
};

// The whole file (empty if it cannot be read).
std::string slurp(const std::string& path);

// Runs `command` through the shell in `dir`, capturing stdout and stderr in files there.
CliResult shell(const std::string& command, const std::string& dir);

// Runs the rotor executable built with the tests, with `args`, in `dir`.
CliResult rotorCli(const std::string& args, const std::string& dir);

}  // namespace rotor::test
