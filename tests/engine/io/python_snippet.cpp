// SPDX-License-Identifier: MIT
#include "tests/engine/io/python_snippet.hpp"

#include "tests/test_support.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace rotor::test {

namespace {

const char* kPython = "/usr/bin/python3";

}  // namespace

std::string pythonUnavailable() {
    if (!std::filesystem::exists(kPython))
        return std::string(kPython) + " not found; the docs snippet needs python3 with h5py+pandas";
    if (runShell(std::string(kPython) + " -c 'import h5py, pandas'").status != 0)
        return std::string(kPython) + " lacks h5py or pandas; cannot run the docs snippet";
    return "";
}

std::string resultsFormatSnippet(const std::string& heading) {
    std::ifstream in(std::string(ROTOR_SOURCE_DIR) + "/docs/results-format.md");
    const std::string md((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t from = 0;
    if (!heading.empty()) {
        from = md.find("\n" + heading);
        if (from == std::string::npos) return "";
    }
    const std::string open = "```python\n";
    const auto begin = md.find(open, from);
    if (begin == std::string::npos) return "";
    const auto end = md.find("\n```", begin + open.size());
    if (end == std::string::npos) return "";
    return md.substr(begin + open.size(), end + 1 - begin - open.size());
}

PythonRun runPython(const std::string& script, const std::string& h5) {
    PythonRun r;
    const ShellRun shell = runShell(std::string(kPython) + " " + script + " " + h5);
    r.status = shell.status;
    r.output = shell.output;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("CHECK ", 0) == 0) {
            const auto space = line.find(' ', 6);
            r.checks[line.substr(6, space - 6)] = space == std::string::npos
                                                      ? ""
                                                      : line.substr(space + 1);
        }
    return r;
}

}  // namespace rotor::test
