// SPDX-License-Identifier: MIT
#include "engine/strategy/registry.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/stack_steps.hpp"

namespace rotor {

StrategyRegistry::StrategyRegistry() : steps_(std::make_shared<StackStepRegistry>()) {}

void StrategyRegistry::add(const std::string& type, StrategyFactory factory, std::string summary,
                           std::vector<StrategyParameter> parameters) {
    ROTOR_REQUIRE(!contains(type), "duplicate strategy type '" << type << "'");
    entries_.emplace(type, Entry{std::move(factory), std::move(summary), std::move(parameters)});
}

std::unique_ptr<Strategy> StrategyRegistry::create(const std::string& name, const ConfigNode& spec,
                                                   const Universe& universe) const {
    const ConfigNode typeNode = spec.at("type");
    const std::string type = typeNode.asString();
    auto it = entries_.find(type);
    if (it == entries_.end()) {
        std::string known;
        for (const auto& t : types()) known += (known.empty() ? "" : ", ") + t;
        typeNode.fail("unknown strategy '" + type + "' (known: " + known + ")");
    }
    return it->second.factory(name, spec, universe);
}

std::vector<std::string> StrategyRegistry::types() const {
    std::vector<std::string> out;
    for (const auto& kv : entries_) out.push_back(kv.first);
    return out;
}

const std::string& StrategyRegistry::summary(const std::string& type) const {
    auto it = entries_.find(type);
    ROTOR_REQUIRE(it != entries_.end(), "unknown strategy type '" << type << "'");
    return it->second.summary;
}

const std::vector<StrategyParameter>& StrategyRegistry::parameters(const std::string& type) const {
    auto it = entries_.find(type);
    ROTOR_REQUIRE(it != entries_.end(), "unknown strategy type '" << type << "'");
    return it->second.parameters;
}

}  // namespace rotor
