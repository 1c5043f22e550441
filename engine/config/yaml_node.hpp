// SPDX-License-Identifier: MIT
// Inside engine/config only: the yaml-cpp node behind a ConfigNode, and ConfigNodes made from
// yaml-cpp nodes (file loading, composition). No header outside this folder includes it.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/input_file.hpp"

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

namespace rotor {

struct ConfigNode::Yaml {
    YAML::Node node;
};

struct ConfigNodeAccess {
    // `origins`, when given, is asked for the file of every child (at, find, items, failKey);
    // children carry it on. Without it the whole tree is in `file`.
    static ConfigNode make(const YAML::Node& node, std::shared_ptr<const std::string> file,
                           std::string keyPath,
                           std::shared_ptr<const NodeFileSource> origins = nullptr) {
        return ConfigNode(std::make_shared<const ConfigNode::Yaml>(ConfigNode::Yaml{node}),
                          std::move(file), std::move(keyPath), std::move(origins));
    }
    static const YAML::Node& node(const ConfigNode& n) { return n.node_->node; }
    static const std::shared_ptr<const NodeFileSource>& origins(const ConfigNode& n) {
        return n.origins_;
    }
};

// YAML text parsed strictly: exactly one document; no key twice in a map, no alias, no map or
// sequence as a key, nesting at most 64 deep; ConfigError at the offending mark (`name` stands
// for the file). An empty text is a null node.
YAML::Node parseYaml(const std::string& text, const std::string& name);

// The bytes of a scenario, parent or pack file: a regular file within the YAML size limit
// (inputLimits().maxYamlBytes); ConfigError naming the file (line 0) otherwise.
FileBytes readYamlFile(const std::string& path);

inline const YAML::Node& yamlNodeOf(const ConfigNode& n) { return ConfigNodeAccess::node(n); }

}  // namespace rotor
