// SPDX-License-Identifier: MIT
// trend_filter: each asset holds a 1/len(assets) slot while its close is above its `window`-day
// simple moving average; otherwise that slot goes to the safe asset (or cash).
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

struct TrendFilterParams {
    std::vector<Index> assets;
    long window = 0;          // >= 2 closes, t included
    Index safeAsset = kCash;  // a column, or kCash
    Schedule rebalance = Schedule::periodic(Period::Monthly);
    Index universeSize = 0;

    // Keys: name, type, assets, window, safe_asset (cash), rebalance (monthly).
    static TrendFilterParams fromYaml(const ConfigNode& spec, const Universe& universe);
};

std::unique_ptr<Strategy> buildTrendFilter(const std::string& name,
                                           const TrendFilterParams& params);
// StrategyFactory for `type: trend_filter`.
std::unique_ptr<Strategy> makeTrendFilter(const std::string& name, const ConfigNode& spec,
                                          const Universe& universe);

}  // namespace rotor::strategies
