// SPDX-License-Identifier: MIT
// Build identity recorded in every result file's provenance.
#pragma once

namespace rotor {
const char* version();    // semantic version of rotor, e.g. "0.1.0"
const char* gitCommit();  // commit the binary was built from ("-dirty" if the tree had changes)
}  // namespace rotor
