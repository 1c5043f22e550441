// SPDX-License-Identifier: MIT
// The exception hierarchy; tools map it to exit codes (InputError -> 2, anything else -> 1).
#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rotor {

// A runtime failure: the inputs were acceptable but the computation could not finish.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file could not be written, flushed or moved (a full disk, a size limit, permissions): the
// inputs were fine and the machine refused, so nothing blames them. Exit code 1.
class IoError : public Error {
public:
    using Error::Error;
};

// A path the engine cannot run: a price that is not positive and finite, a cash rate that is not
// finite. what() reads "path N: message" when the path's number is known (a generated path, the
// same text whichever thread or MPI rank ran it), else the message. Exit code 1.
class PathError : public Error {
public:
    PathError(std::optional<std::uint64_t> path, const std::string& detail);
    const std::optional<std::uint64_t>& path() const { return path_; }
    const std::string& detail() const { return detail_; }  // what() without "path N: "

private:
    std::optional<std::uint64_t> path_;
    std::string detail_;
};

// A failure MPI rank 0 found in what another rank sent it (other data, another model, bytes that
// do not decode): what() names that rank, so it is printed as it is, not under rank 0's number.
// Exit code 1.
class RankError : public Error {
public:
    using Error::Error;
};

// The user's input (YAML, CSV, command line) is wrong. Exit code 2.
class InputError : public Error {
public:
    using Error::Error;
};

// A YAML problem; what() reads "file:line:column: key.path: message" (1-based line and column).
class ConfigError : public InputError {
public:
    ConfigError(std::string file, int line, int column, std::string key, const std::string& msg);
    const std::string& file() const { return file_; }
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& key() const { return key_; }

private:
    std::string file_;
    int line_;
    int column_;
    std::string key_;
};

// Where a YAML value was written, kept by typed specs for errors that only show later (a rate
// decision that falls before the start once the calendar is known, a calibration window the
// data cannot fill). Empty `file`: no location (the spec was built in code).
struct ConfigLocation {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key;

    bool known() const { return !file.empty(); }
    // Throws ConfigError at this location, or InputError(`context` + ": " + msg) when unknown.
    [[noreturn]] void fail(const std::string& msg, const std::string& context = "") const;
};

// A data-file problem; what() reads "file:line: message" (line 0 when it concerns the whole file).
class DataError : public InputError {
public:
    DataError(std::string file, long line, const std::string& msg);
    const std::string& file() const { return file_; }
    long line() const { return line_; }

private:
    std::string file_;
    long line_;
};

namespace detail {
[[noreturn]] void throwError(const std::string& msg, const char* file, int line);
}

}  // namespace rotor

// ROTOR_REQUIRE(cond, "weights sum to " << s): throws rotor::Error carrying the streamed values.
// For invariants of the computation; user input is validated with InputError and its locations.
// msg is a stream expression (a << b), not a value: it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ROTOR_REQUIRE(cond, msg)                                                      \
    do {                                                                              \
        if (!(cond)) {                                                                \
            std::ostringstream rotor_require_os_;                                     \
            rotor_require_os_ << msg;                                                 \
            ::rotor::detail::throwError(rotor_require_os_.str(), __FILE__, __LINE__); \
        }                                                                             \
    } while (false)
// NOLINTEND(bugprone-macro-parentheses)
