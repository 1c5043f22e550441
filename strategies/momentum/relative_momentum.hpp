// SPDX-License-Identifier: MIT
// relative_momentum: on each due day, holds the top_k assets by lookback return (skipping the
// most recent `skip` days), equally weighted; the safe asset (or cash) until the lookback fills.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/algos/context.hpp"
#include "engine/strategy/schedule.hpp"
#include "engine/strategy/strategy.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor::strategies {

// Parameters shared by relative_momentum and dual_momentum.
struct MomentumParams {
    std::vector<Index> assets;  // candidates, in listed order (ties go to the first)
    long lookback = 0;          // >= 1 trading days
    long skip = 0;              // >= 0 trading days
    long topK = 1;              // 1..assets.size()
    Index safeAsset = kCash;    // a column, or kCash
    Schedule rebalance = Schedule::periodic(Period::Monthly);
    Index universeSize = 0;

    // Keys: name, type, assets, lookback, skip (0), top_k (1), safe_asset (cash),
    // rebalance (monthly).
    static MomentumParams fromYaml(const ConfigNode& spec, const Universe& universe);
};

std::unique_ptr<Strategy> buildRelativeMomentum(const std::string& name,
                                                const MomentumParams& params);
// StrategyFactory for `type: relative_momentum`.
std::unique_ptr<Strategy> makeRelativeMomentum(const std::string& name, const ConfigNode& spec,
                                               const Universe& universe);

}  // namespace rotor::strategies
