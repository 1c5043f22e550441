// SPDX-License-Identifier: MIT
// The list of data files a run read, for the provenance checksums.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace rotor {

struct DataFileRecord {
    std::string path;    // as resolved (relative to the working directory or absolute)
    std::string sha256;  // hex digest of the bytes the run parsed
};

// True when `files` already records `path`.
inline bool hasDataFile(const std::vector<DataFileRecord>& files, const std::string& path) {
    return std::any_of(files.begin(), files.end(),
                       [&](const DataFileRecord& r) { return r.path == path; });
}

// Appends `file` to `files` unless it is already there: first-read order, each file once.
inline void recordDataFile(std::vector<std::string>& files, const std::string& file) {
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
}

}  // namespace rotor
