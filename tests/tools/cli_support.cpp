// SPDX-License-Identifier: MIT
#include "tests/tools/cli_support.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rotor::test {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

CliResult shell(const std::string& command, const std::string& dir) {
    const std::string out = dir + "/stdout.txt", err = dir + "/stderr.txt";
    const std::string cmd = "cd '" + dir + "' && " + command + " >'" + out + "' 2>'" + err + "'";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

CliResult rotorCli(const std::string& args, const std::string& dir) {
    return shell(std::string("'") + ROTOR_CLI + "' " + args, dir);
}

}  // namespace rotor::test
