// SPDX-License-Identifier: MIT
#include "strategies/stack/named_stack.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/schedule.hpp"
#include "strategies/common/params.hpp"
#include "strategies/stack/stack.hpp"

#include <algorithm>
#include <charconv>
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

// The shortest text that reads back as the same double, so substituted values are exact.
std::string numberText(double v) {
    char buf[32];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    return std::string(buf, end);
}

std::string assetNames(const std::vector<Index>& assets, const Universe& universe) {
    std::string out = "[";
    for (Index a : assets)
        out += (out.size() > 1 ? ", " : "") + universe.assets[static_cast<std::size_t>(a)];
    return out + "]";
}

// A `rebalance:` value as schedule steps (the first without its "- ").
std::string scheduleSteps(const Schedule& s) {
    std::string out;
    if (s.everyNDays() > 0)
        out = "{step: every_days, days: " + std::to_string(s.everyNDays()) + "}";
    else if (s.period() != Period::Never || s.band() <= 0.0)
        out = periodName(s.period());
    if (s.band() > 0.0)
        out += (out.empty() ? "" : "\n- ") +
               ("{step: drift_band, band: " + numberText(s.band()) + "}");
    return out;
}

// `weights:` (and `assets:` beside `equal`) as a select step and a weigh step. The weigh step
// gives each selected asset its weight, so the selection is the assets with a positive one.
std::string weightSteps(const ConfigNode& spec, const Universe& universe) {
    const Vector w = parseWeightsOrEqual(spec, universe);
    std::vector<Index> held;
    for (Index i = 0; i < w.size(); ++i)
        if (w(i) > 0.0) held.push_back(i);
    const std::string select = held.empty()
                                   ? "select_all"
                                   : "{step: select_assets, assets: " + assetNames(held, universe) +
                                         "}";
    if (spec.at("weights").isScalar()) return select + "\n- weigh_equal";
    std::string map;
    for (const auto& key : spec.at("weights").keys()) {
        const Index i = universe.find(key);
        map += (map.empty() ? "" : ", ") + key + ": " + numberText(w(i));
    }
    return select + "\n- {step: weigh_fixed, weights: {" + map + "}}";
}

// The user's value checked at its node, written back as YAML text.
std::string valueText(const NamedStackParameter& p, const ConfigNode& node, const ConfigNode& spec,
                      const Universe& universe) {
    using Kind = NamedStackParameter::Kind;
    switch (p.kind) {
        case Kind::Schedule: return scheduleSteps(Schedule::fromYaml(node));
        case Kind::Weights: return weightSteps(spec, universe);
        case Kind::EqualAssets: return "";  // read and checked with `weights`
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
        case Kind::AssetList: return assetNames(parseAssetList(node, universe), universe);
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
            values.emplace_back(valueText(p, *node, spec, universe));
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
            at = close + 1;
            if (!values[i]) {
                // An optional key without a default: drop its `, key: ` entry.
                const std::string entry = ", " + key + ": ";
                ROTOR_REQUIRE(
                    e.text.size() >= entry.size() &&
                        e.text.compare(e.text.size() - entry.size(), entry.size(), entry) == 0,
                    "named stack '" << preset.type << "': optional ${" << key
                                    << "} without a default must follow ', " << key << ": '");
                e.text.resize(e.text.size() - entry.size());
                column -= static_cast<int>(entry.size());
                continue;
            }
            const std::string& v = *values[i];
            const std::size_t firstLine = std::min(v.find('\n'), v.size());
            e.placed.push_back({line, column, static_cast<int>(firstLine), i});
            e.text += v;
            // Schedule and weights values span several lines.
            for (char ch : v)
                if (ch == '\n') {
                    ++line;
                    column = 1;
                } else {
                    ++column;
                }
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
    for (const auto& p : preset.parameters) docs.push_back(p.doc);
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

NamedStackParameter rebalanceParameter() {
    return {{"rebalance", "schedule", false, "monthly",
             "never, daily ... yearly, {every, every_days, band}"},
            NamedStackParameter::Kind::Schedule};
}

}  // namespace rotor::strategies
