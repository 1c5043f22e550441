// SPDX-License-Identifier: MIT
#include "engine/config/config_node.hpp"

#include "engine/core/error.hpp"

#include <filesystem>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rotor {

ConfigNode::ConfigNode(YAML::Node node, std::shared_ptr<const std::string> file,
                       std::string keyPath, std::shared_ptr<const NodeFileSource> origins)
    : node_(std::move(node)),
      file_(std::move(file)),
      keyPath_(std::move(keyPath)),
      origins_(std::move(origins)) {}

std::shared_ptr<const std::string> ConfigNode::fileOfChild(const std::string& childKeyPath) const {
    if (origins_) {
        if (auto f = origins_->fileAt(childKeyPath)) return f;
    }
    return file_;
}

ConfigNode ConfigNode::child(YAML::Node node, std::string childKeyPath) const {
    auto file = fileOfChild(childKeyPath);
    return ConfigNode(std::move(node), std::move(file), std::move(childKeyPath), origins_);
}

// yaml-cpp marks are 0-based; editors count from 1.
int ConfigNode::line() const { return node_.Mark().line + 1; }
int ConfigNode::column() const { return node_.Mark().column + 1; }

void ConfigNode::fail(const std::string& msg) const {
    throw ConfigError(*file_, line(), column(), keyPath_, msg);
}

std::string ConfigNode::childPath(const std::string& key) const {
    return keyPath_.empty() ? key : keyPath_ + "." + key;
}

std::string ConfigNode::describe() const {
    if (node_.IsMap()) return "a map";
    if (node_.IsSequence()) return "a sequence";
    if (node_.IsNull()) return "nothing";
    return "'" + node_.Scalar() + "'";
}

bool ConfigNode::has(const std::string& key) const {
    if (!node_.IsMap()) return false;
    const YAML::Node& n = node_;
    return static_cast<bool>(n[key]);
}

ConfigNode ConfigNode::at(const std::string& key) const {
    if (!node_.IsMap()) fail("expected a map with key '" + key + "', found " + describe());
    const YAML::Node& n = node_;
    YAML::Node value = n[key];
    if (!value) fail("missing required key '" + key + "'");
    return child(value, childPath(key));
}

std::optional<ConfigNode> ConfigNode::find(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return at(key);
}

std::vector<std::string> ConfigNode::keys() const {
    if (!node_.IsMap()) fail("expected a map, found " + describe());
    std::vector<std::string> out;
    for (const auto& kv : node_) out.push_back(kv.first.Scalar());
    return out;
}

void ConfigNode::failKey(const std::string& key, const std::string& msg) const {
    for (const auto& kv : node_) {
        if (kv.first.Scalar() != key) continue;
        // The key was written by the same file as its value.
        const std::string path = childPath(key);
        throw ConfigError(*fileOfChild(path), kv.first.Mark().line + 1,
                          kv.first.Mark().column + 1, path, msg);
    }
    fail(msg);
}

void ConfigNode::allowOnly(const std::vector<std::string>& allowed) const {
    if (!node_.IsMap()) fail("expected a map, found " + describe());
    for (const auto& kv : node_) {
        const std::string key = kv.first.Scalar();
        bool ok = false;
        for (const auto& a : allowed) ok = ok || a == key;
        if (!ok) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            failKey(key, "unknown key '" + key + "' (allowed: " + list + ")");
        }
    }
}

void ConfigNode::allowOnly(std::initializer_list<const char*> allowed) const {
    allowOnly(std::vector<std::string>(allowed.begin(), allowed.end()));
}

std::vector<ConfigNode> ConfigNode::items() const {
    if (!node_.IsSequence()) fail("expected a sequence, found " + describe());
    std::vector<ConfigNode> out;
    std::size_t i = 0;
    for (const auto& item : node_)
        out.push_back(child(item, keyPath_ + "[" + std::to_string(i++) + "]"));
    return out;
}

std::string ConfigNode::asString() const {
    if (!node_.IsScalar()) fail("expected a string, found " + describe());
    return node_.Scalar();
}

double ConfigNode::asDouble() const {
    if (!node_.IsScalar()) fail("expected a number, found " + describe());
    const std::string& s = node_.Scalar();
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
        fail("expected a number, found " + describe());
    return v;
}

long ConfigNode::asInt() const {
    if (!node_.IsScalar()) fail("expected an integer, found " + describe());
    const std::string& s = node_.Scalar();
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
        fail("expected an integer, found " + describe());
    return v;
}

bool ConfigNode::asBool() const {
    if (node_.IsScalar()) {
        const std::string& s = node_.Scalar();
        if (s == "true" || s == "True" || s == "yes") return true;
        if (s == "false" || s == "False" || s == "no") return false;
    }
    fail("expected true or false, found " + describe());
}

Date ConfigNode::asDate() const {
    if (node_.IsScalar()) {
        if (auto d = Date::parseIso(node_.Scalar())) return *d;
    }
    fail("expected a date YYYY-MM-DD, found " + describe());
}

std::vector<std::string> ConfigNode::asStringList() const {
    if (node_.IsScalar()) return {node_.Scalar()};
    std::vector<std::string> out;
    for (const auto& item : items()) out.push_back(item.asString());
    return out;
}

std::string ConfigNode::getString(const std::string& key, const std::string& dflt) const {
    return has(key) ? at(key).asString() : dflt;
}
double ConfigNode::getDouble(const std::string& key, double dflt) const {
    return has(key) ? at(key).asDouble() : dflt;
}
long ConfigNode::getInt(const std::string& key, long dflt) const {
    return has(key) ? at(key).asInt() : dflt;
}
bool ConfigNode::getBool(const std::string& key, bool dflt) const {
    return has(key) ? at(key).asBool() : dflt;
}

double ConfigNode::asDoubleIn(double lo, double hi) const {
    const double v = asDouble();
    if (v < lo || v > hi) {
        std::ostringstream os;
        os << "expected a number in [" << lo << ", " << hi << "], found " << v;
        fail(os.str());
    }
    return v;
}

long ConfigNode::asIntIn(long lo, long hi) const {
    const long v = asInt();
    if (v < lo || v > hi) {
        std::ostringstream os;
        os << "expected an integer in [" << lo << ", " << hi << "], found " << v;
        fail(os.str());
    }
    return v;
}

namespace {
ConfigNode parse(std::istream& in, const std::string& name) {
    auto file = std::make_shared<const std::string>(name);
    try {
        return ConfigNode(YAML::Load(in), file, "");
    } catch (const YAML::ParserException& e) {
        throw ConfigError(name, e.mark.line + 1, e.mark.column + 1, "",
                          "YAML syntax error: " + e.msg);
    }
}
}  // namespace

ConfigNode loadYamlFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path, 0, 0, "", "cannot open file");
    return parse(in, path);
}

ConfigNode loadYamlString(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    return parse(in, name);
}

std::string expandAssetPattern(const std::string& pattern, const std::string& asset) {
    std::string out = pattern;
    const std::string key = "{asset}";
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + asset.size()))
        out.replace(pos, key.size(), asset);
    return out;
}

std::string resolvePath(const ConfigNode& node) {
    const std::filesystem::path p(node.asString());
    if (p.is_absolute()) return p.string();
    const auto base = std::filesystem::path(node.file()).parent_path();
    return (base / p).lexically_normal().string();
}

}  // namespace rotor
