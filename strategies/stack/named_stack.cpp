// SPDX-License-Identifier: MIT
#include "strategies/stack/named_stack.hpp"

#include "engine/core/error.hpp"
#include "strategies/common/params.hpp"
#include "strategies/stack/stack.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace rotor::strategies {

namespace {

// One substituted value in the expanded text: where it starts (1-based line and column), how
// long it is, and the user's node it came from (none: a default).
struct Placed {
    int line = 0;
    int column = 0;
    int length = 0;
    std::size_t parameter = 0;
};

struct Expansion {
    std::string text;
    std::vector<Placed> placed;
};

std::string numberText(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// The user's value checked at its node, written back as YAML text.
std::string valueText(const NamedStackParameter& p, const ConfigNode& node,
                      const Universe& universe) {
    using Kind = NamedStackParameter::Kind;
    switch (p.kind) {
        case Kind::Integer:
            return std::to_string(node.asIntIn(static_cast<long>(p.lo), static_cast<long>(p.hi)));
        case Kind::Number: return numberText(node.asDoubleIn(p.lo, p.hi));
        case Kind::PositiveNumber: {
            const double v = node.asDoubleIn(0.0, p.hi);
            if (v <= 0.0) node.fail("expected a number in (0, " + numberText(p.hi) + "], found 0");
            return numberText(v);
        }
        case Kind::Asset:
            return universe.assets[static_cast<std::size_t>(parseAsset(node, universe))];
        case Kind::AssetList: {
            std::string out = "[";
            for (Index a : parseAssetList(node, universe))
                out += (out.size() > 1 ? ", " : "") + universe.assets[static_cast<std::size_t>(a)];
            return out + "]";
        }
        case Kind::Period: {
            std::string v = node.asString();
            for (const char* ok : {"never", "daily", "weekly", "monthly", "quarterly", "yearly"})
                if (v == ok) return v;
            node.fail("expected one of never, daily, weekly, monthly, quarterly, yearly, found '" +
                      v + "'");
        }
    }
    return "";
}

Expansion expand(const NamedStack& preset, const std::string& name, const ConfigNode& spec,
                 const Universe& universe) {
    std::vector<std::string> allowed{"name", "type"};
    for (const auto& p : preset.parameters) allowed.push_back(p.doc.key);
    spec.allowOnly(allowed);
    // Values first (each error at the user's key), then the text.
    std::vector<std::optional<std::string>> values;
    for (const auto& p : preset.parameters) {
        if (const auto node = spec.find(p.doc.key))
            values.emplace_back(valueText(p, *node, universe));
        else if (p.doc.required)
            spec.at(p.doc.key);  // throws: missing required key
        else if (!p.doc.defaultValue.empty())
            values.emplace_back(p.doc.defaultValue);
        else
            values.emplace_back(std::nullopt);
    }
    Expansion e;
    e.text = "name: " + name + "\ntype: stack\n";
    int line = 3;
    for (std::size_t i = 0; i < preset.parameters.size(); ++i)
        if (preset.parameters[i].doc.key == "safe_asset" && values[i]) {
            e.placed.push_back({line, 14, static_cast<int>(values[i]->size()), i});
            e.text += "safe_asset: " + *values[i] + "\n";
            ++line;
        }
    e.text += "steps:\n";
    ++line;
    int column = 1;
    const std::string& t = preset.steps;
    for (std::size_t at = 0; at < t.size();) {
        if (t.compare(at, 2, "${") == 0) {
            const std::size_t close = t.find('}', at);
            const std::string key = t.substr(at + 2, close - at - 2);
            std::size_t i = 0;
            while (i < preset.parameters.size() && preset.parameters[i].doc.key != key) ++i;
            ROTOR_REQUIRE(i < preset.parameters.size(),
                          "named stack '" << preset.type << "' uses unknown ${" << key << "}");
            const std::string& v = *values[i];  // only safe_asset may lack a default
            e.placed.push_back({line, column, static_cast<int>(v.size()), i});
            e.text += v;
            column += static_cast<int>(v.size());
            at = close + 1;
            continue;
        }
        e.text += t[at];
        if (t[at] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        ++at;
    }
    return e;
}

std::unique_ptr<Strategy> build(const std::shared_ptr<const StackStepRegistry>& steps,
                                const NamedStack& preset, const std::string& name,
                                const ConfigNode& spec, const Universe& universe) {
    const Expansion e = expand(preset, name, spec, universe);
    const std::string source = "named stack " + preset.type;
    try {
        const ConfigNode doc = loadYamlString(e.text, source);
        return stackFactory(steps)(name, doc, universe);
    } catch (const ConfigError& err) {
        // The stack checks values only the whole list can judge (e.g. two assets that must
        // differ): report them at the user's key that wrote the value, else at the entry.
        std::string msg = err.what();
        const std::string prefix = err.file() + ":" + std::to_string(err.line()) + ":" +
                                   std::to_string(err.column()) + ": " + err.key() + ": ";
        if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
        msg = preset.type + " expands to steps that fail: " + err.key() + ": " + msg;
        for (const auto& p : e.placed)
            if (p.line == err.line() && err.column() >= p.column &&
                err.column() < p.column + std::max(p.length, 1))
                if (const auto node = spec.find(preset.parameters[p.parameter].doc.key))
                    node->fail(msg);
        spec.fail(msg);
    }
}

}  // namespace

void addNamedStack(StrategyRegistry& registry, NamedStack preset) {
    std::vector<StrategyParameter> docs;
    for (const auto& p : preset.parameters) {
        ROTOR_REQUIRE(p.doc.required || !p.doc.defaultValue.empty() || p.doc.key == "safe_asset",
                      "named stack '" << preset.type << "': optional parameter '" << p.doc.key
                                      << "' needs a default");
        docs.push_back(p.doc);
    }
    const std::string type = preset.type;
    const std::string summary = preset.summary;
    auto shared = std::make_shared<const NamedStack>(std::move(preset));
    auto steps = registry.sharedSteps();
    registry.add(
        type,
        [shared, steps](const std::string& name, const ConfigNode& spec, const Universe& universe) {
            return build(steps, *shared, name, spec, universe);
        },
        summary, std::move(docs));
}

}  // namespace rotor::strategies
