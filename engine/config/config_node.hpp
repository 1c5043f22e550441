// SPDX-License-Identifier: MIT
// Read-only view of a YAML node that knows its file, position and key path, so every
// error names file:line:column and the key. Lookups never insert keys (const YAML::Node only).
// A tree merged from several files (scenario composition) carries a NodeFileSource, so each
// node still knows the file that wrote it.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/error.hpp"

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Per-node files for a tree merged from several files (see engine/config/compose.hpp). Line and
// column live on the yaml-cpp nodes themselves; only the file needs this side table.
class NodeFileSource {
public:
    virtual ~NodeFileSource() = default;
    // The file that wrote the node at `keyPath` ("costs.commission_bps", "strategies[1]"), or
    // nullptr when it is the file of its parent node.
    virtual std::shared_ptr<const std::string> fileAt(const std::string& keyPath) const = 0;
};

// The node holds a yaml-cpp node behind a pointer: yaml-cpp is private to engine/config
// (engine/config/yaml_node.hpp makes and opens nodes inside the layer).
class ConfigNode {
public:
    // The file that wrote this node: the one that errors name and paths are relative to.
    const std::string& file() const { return *file_; }
    const std::string& keyPath() const { return keyPath_; }  // e.g. "strategies[2].lookback"
    int line() const;                                        // 1-based
    int column() const;                                      // 1-based
    // Where this node is, for errors found after parsing (see ConfigLocation).
    ConfigLocation location() const;

    bool isMap() const;
    bool isSequence() const;
    bool isScalar() const;
    bool isNull() const;

    // Map access. `at` throws "missing required key" located at this (the parent) map.
    bool has(const std::string& key) const;
    ConfigNode at(const std::string& key) const;
    std::optional<ConfigNode> find(const std::string& key) const;
    // Keys in file order; throws unless this is a map.
    std::vector<std::string> keys() const;
    // The child's key itself, located at the key's own mark (for "unknown key" errors).
    [[noreturn]] void failKey(const std::string& key, const std::string& msg) const;
    // Throws at the first key not in `allowed`, naming the allowed ones.
    void allowOnly(std::initializer_list<const char*> allowed) const;
    void allowOnly(const std::vector<std::string>& allowed) const;

    // Sequence access; throws unless this is a sequence.
    std::vector<ConfigNode> items() const;

    // Scalar conversion with a "expected X, found Y" error at this node.
    std::string asString() const;
    double asDouble() const;
    long asInt() const;
    bool asBool() const;
    Date asDate() const;
    std::vector<std::string> asStringList() const;  // a sequence of scalars (or one scalar)

    // Convenience: at(key).asX() and the same with a default when the key is absent.
    std::string getString(const std::string& key) const { return at(key).asString(); }
    double getDouble(const std::string& key) const { return at(key).asDouble(); }
    long getInt(const std::string& key) const { return at(key).asInt(); }
    bool getBool(const std::string& key) const { return at(key).asBool(); }
    std::string getString(const std::string& key, const std::string& dflt) const;
    double getDouble(const std::string& key, double dflt) const;
    long getInt(const std::string& key, long dflt) const;
    bool getBool(const std::string& key, bool dflt) const;

    // Range checks that report at this node.
    double asDoubleIn(double lo, double hi) const;
    long asIntIn(long lo, long hi) const;

    [[noreturn]] void fail(const std::string& msg) const;

    // The node written back as YAML text (block style), e.g. for provenance.
    std::string toYaml() const;

private:
    struct Yaml;  // the yaml-cpp node (engine/config/yaml_node.hpp)
    ConfigNode(std::shared_ptr<const Yaml> node, std::shared_ptr<const std::string> file,
               std::string keyPath, std::shared_ptr<const NodeFileSource> origins);
    friend struct ConfigNodeAccess;

    std::string describe() const;  // "a map", "a sequence", "'abc'"...
    std::string childPath(const std::string& key) const;
    std::shared_ptr<const std::string> fileOfChild(const std::string& childKeyPath) const;

    std::shared_ptr<const Yaml> node_;
    std::shared_ptr<const std::string> file_;
    std::string keyPath_;
    std::shared_ptr<const NodeFileSource> origins_;  // null for a tree read from one file
};

// Parses a YAML file; syntax errors become ConfigError with the file's location.
ConfigNode loadYamlFile(const std::string& path);
// Parses YAML text; `name` stands in for the file name in messages.
ConfigNode loadYamlString(const std::string& text, const std::string& name);

// A path written in a scenario file, resolved relative to the folder of the file that wrote the
// node (node.file()); absolute paths are kept.
std::string resolvePath(const ConfigNode& node);

}  // namespace rotor
