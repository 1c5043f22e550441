// SPDX-License-Identifier: MIT
// The provenance every rotor HDF5 file carries (docs/results-format.md): the root attributes
// and /provenance (the YAML as given and resolved, the data files with their checksums).
#pragma once

#include "engine/report/record_table.hpp"

#include <string>
#include <utility>
#include <vector>

namespace rotor::report {

struct FileProvenance {
    std::string path;
    // Root attributes as text, in the file's order (format, format_version, rotor_version, ...).
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string scenarioYaml;
    std::string resolvedYaml;
    RecordTable dataFiles;  // path, sha256

    std::string attribute(const std::string& name) const;  // "" when absent
};

}  // namespace rotor::report
