// SPDX-License-Identifier: MIT
// The two pieces of JSON text rotor writes by hand (run --json, compare --format json): escaped
// strings and numbers that read back to the same double.
#pragma once

#include <string>

namespace rotor {

// `s` escaped for use inside a JSON string (quotes, backslash, control characters as \uXXXX).
std::string jsonEscape(const std::string& s);
// `s` as a quoted JSON string.
std::string jsonString(const std::string& s);
// %.17g (round-trips every double); NaN and infinities, which JSON lacks, become null.
std::string jsonNumber(double v);

}  // namespace rotor
