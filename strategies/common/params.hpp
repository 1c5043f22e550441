// SPDX-License-Identifier: MIT
// YAML parameter readers shared by the stack steps and named stacks: asset names checked against
// the universe, weight maps and the optional safe asset, each failing with a ConfigError at the
// offending node.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"

#include <vector>

namespace rotor::strategies {

// Upper limit on the sum of fixed weights; above 1 the portfolio borrows cash (leverage).
inline constexpr double kMaxGrossWeight = 3.0;

// The column of the asset named by the scalar `node`; unknown names list the universe.
Index parseAsset(const ConfigNode& node, const Universe& universe);
// A non-empty sequence of distinct asset names (a single scalar is a one-asset list). The scalar
// `all` is every universe column in universe order (unless the universe has an asset named all).
std::vector<Index> parseAssetList(const ConfigNode& node, const Universe& universe);
// A non-empty map {asset: weight}: weights finite, >= 0, summing to at most kMaxGrossWeight.
// Returns a size-N vector (0 for assets not listed).
Vector parseWeights(const ConfigNode& node, const Universe& universe);
// The `weights` key of `spec`: a map as parseWeights, or the scalar `equal`: 1/n on each of the
// n assets of the optional `assets` key (default: every universe column). `assets` is only
// accepted beside `weights: equal`.
Vector parseWeightsOrEqual(const ConfigNode& spec, const Universe& universe);
// The optional `safe_asset` key of `spec`: its column, or kCash when absent.
Index parseSafeAsset(const ConfigNode& spec, const Universe& universe);

}  // namespace rotor::strategies
