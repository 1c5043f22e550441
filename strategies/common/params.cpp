// SPDX-License-Identifier: MIT
#include "strategies/common/params.hpp"

#include "engine/strategy/algos/context.hpp"

#include <cmath>
#include <sstream>

namespace rotor::strategies {

namespace {
std::string universeList(const Universe& universe) {
    std::string out;
    for (const auto& a : universe.assets) out += (out.empty() ? "" : ", ") + a;
    return out;
}
}  // namespace

Index parseAsset(const ConfigNode& node, const Universe& universe) {
    const std::string name = node.asString();
    const Index i = universe.find(name);
    if (i < 0) node.fail("unknown asset '" + name + "' (universe: " + universeList(universe) + ")");
    return i;
}

std::vector<Index> parseAssetList(const ConfigNode& node, const Universe& universe) {
    if (node.isScalar() && node.asString() == "all" && universe.find("all") < 0) {
        std::vector<Index> all;
        for (Index i = 0; i < universe.size(); ++i) all.push_back(i);
        return all;
    }
    if (node.isScalar()) return {parseAsset(node, universe)};
    const auto items = node.items();  // fails unless a sequence
    if (items.empty()) node.fail("expected at least one asset");
    std::vector<Index> out;
    for (const auto& item : items) {
        const Index i = parseAsset(item, universe);
        for (Index seen : out)
            if (seen == i) item.fail("asset '" + item.asString() + "' listed twice");
        out.push_back(i);
    }
    return out;
}

Vector parseWeights(const ConfigNode& node, const Universe& universe) {
    const auto keys = node.keys();  // fails unless a map
    if (keys.empty()) node.fail("expected at least one {asset: weight}");
    Vector w = Vector::Zero(universe.size());
    std::vector<bool> seen(static_cast<std::size_t>(universe.size()), false);
    double sum = 0.0;
    for (const auto& key : keys) {
        const Index i = universe.find(key);
        if (i < 0)
            node.failKey(key,
                         "unknown asset '" + key + "' (universe: " + universeList(universe) + ")");
        if (seen[static_cast<std::size_t>(i)])
            node.failKey(key, "asset '" + key + "' listed twice");
        seen[static_cast<std::size_t>(i)] = true;
        const double v = node.at(key).asDouble();
        if (v < 0.0) {
            std::ostringstream os;
            os << "expected a weight >= 0, found " << v;
            node.at(key).fail(os.str());
        }
        w(i) = v;
        sum += v;
    }
    if (sum > kMaxGrossWeight + 1e-9) {
        std::ostringstream os;
        os << "weights sum to " << sum << ", above the leverage limit " << kMaxGrossWeight;
        node.fail(os.str());
    }
    return w;
}

Vector parseWeightsOrEqual(const ConfigNode& spec, const Universe& universe) {
    const ConfigNode node = spec.at("weights");
    const auto assetsNode = spec.find("assets");
    if (!node.isScalar()) {
        if (assetsNode) spec.failKey("assets", "assets is only read with weights: equal");
        return parseWeights(node, universe);
    }
    if (node.asString() != "equal")
        node.fail("expected a map {asset: weight} or equal, found '" + node.asString() + "'");
    std::vector<Index> assets;
    if (assetsNode)
        assets = parseAssetList(*assetsNode, universe);
    else
        for (Index i = 0; i < universe.size(); ++i) assets.push_back(i);
    Vector w = Vector::Zero(universe.size());
    for (Index a : assets) w(a) = 1.0 / static_cast<double>(assets.size());
    return w;
}

Index parseSafeAsset(const ConfigNode& spec, const Universe& universe) {
    const auto node = spec.find("safe_asset");
    return node ? parseAsset(*node, universe) : kCash;
}

}  // namespace rotor::strategies
