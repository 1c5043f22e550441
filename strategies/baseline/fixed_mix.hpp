// SPDX-License-Identifier: MIT
// Baseline strategies holding fixed weights: fixed_mix rebalances back to them on a schedule;
// buy_and_hold (buy_and_hold.hpp) buys them once.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/schedule.hpp"
#include "engine/strategy/strategy.hpp"

#include <memory>
#include <string>

namespace rotor::strategies {

struct FixedMixParams {
    Vector weights;  // size N; sum <= kMaxGrossWeight
    Schedule rebalance = Schedule::periodic(Period::Monthly);

    // Keys: name, type, weights, rebalance (default monthly).
    static FixedMixParams fromYaml(const ConfigNode& spec, const Universe& universe);
};

std::unique_ptr<Strategy> buildFixedMix(const std::string& name, const FixedMixParams& params);
// StrategyFactory for `type: fixed_mix`.
std::unique_ptr<Strategy> makeFixedMix(const std::string& name, const ConfigNode& spec,
                                       const Universe& universe);

}  // namespace rotor::strategies
