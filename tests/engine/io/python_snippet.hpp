// SPDX-License-Identifier: MIT
// Running the h5py/pandas snippets of docs/results-format.md on files the writer produced.
#pragma once

#include <map>
#include <string>

namespace rotor::test {

// Why the snippets cannot run here: "" when /usr/bin/python3 imports h5py and pandas.
std::string pythonUnavailable();

// The body of the first ```python block of docs/results-format.md after the line `heading`
// ("" = from the top); "" when there is none.
std::string resultsFormatSnippet(const std::string& heading = "");

// Runs python3 on `script` with `h5` as its argument. `checks` holds the value of every
// "CHECK <name> <value>" line printed; `output` is all of stdout and stderr, for messages.
struct PythonRun {
    int status = -1;
    std::string output;
    std::map<std::string, std::string> checks;
};
PythonRun runPython(const std::string& script, const std::string& h5);

}  // namespace rotor::test
