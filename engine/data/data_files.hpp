// SPDX-License-Identifier: MIT
// The list of data files a run read, for the provenance checksums.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace rotor {

// Appends `file` to `files` unless it is already there: first-read order, each file once.
inline void recordDataFile(std::vector<std::string>& files, const std::string& file) {
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
}

}  // namespace rotor
