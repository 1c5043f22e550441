// SPDX-License-Identifier: MIT
// buy_and_hold: buys fixed weights on day 0 and never trades again, so the weights drift with
// prices. The usual benchmark.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/strategy.hpp"

#include <memory>
#include <string>

namespace rotor::strategies {

struct BuyAndHoldParams {
    Vector weights;  // size N; sum <= kMaxGrossWeight

    // Keys: name, type, weights.
    static BuyAndHoldParams fromYaml(const ConfigNode& spec, const Universe& universe);
};

std::unique_ptr<Strategy> buildBuyAndHold(const std::string& name, const BuyAndHoldParams& params);
// StrategyFactory for `type: buy_and_hold`.
std::unique_ptr<Strategy> makeBuyAndHold(const std::string& name, const ConfigNode& spec,
                                         const Universe& universe);

}  // namespace rotor::strategies
