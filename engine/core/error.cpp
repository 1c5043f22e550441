// SPDX-License-Identifier: MIT
#include "engine/core/error.hpp"

#include <utility>

namespace rotor {

namespace {
std::string configWhat(const std::string& file, int line, int column, const std::string& key,
                       const std::string& msg) {
    std::ostringstream os;
    // No place (0): the file alone, not a made-up "file:0:0".
    os << file;
    if (line > 0) os << ':' << line;
    if (line > 0 && column > 0) os << ':' << column;
    os << ": ";
    if (!key.empty()) os << key << ": ";
    os << msg;
    return os.str();
}
std::string dataWhat(const std::string& file, long line, const std::string& msg) {
    std::ostringstream os;
    os << file;
    if (line > 0) os << ':' << line;
    os << ": " << msg;
    return os.str();
}
std::string pathWhat(const std::optional<std::uint64_t>& path, const std::string& detail) {
    return path ? "path " + std::to_string(*path) + ": " + detail : detail;
}
}  // namespace

PathError::PathError(std::optional<std::uint64_t> path, const std::string& detail)
    : Error(pathWhat(path, detail)), path_(path), detail_(detail) {}

ConfigError::ConfigError(std::string file, int line, int column, std::string key,
                         const std::string& msg)
    : InputError(configWhat(file, line, column, key, msg)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_(std::move(key)) {}

void ConfigLocation::fail(const std::string& msg, const std::string& context) const {
    if (known()) throw ConfigError(file, line, column, key, msg);
    throw InputError(context.empty() ? msg : context + ": " + msg);
}

DataError::DataError(std::string file, long line, const std::string& msg)
    : InputError(dataWhat(file, line, msg)), file_(std::move(file)), line_(line) {}

namespace detail {
void throwError(const std::string& msg, const char* file, int line) {
    (void)file;
    (void)line;
    throw Error(msg);
}
}  // namespace detail

}  // namespace rotor
