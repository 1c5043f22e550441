// SPDX-License-Identifier: MIT
#include "strategies/baseline/buy_and_hold.hpp"

#include "strategies/baseline/fixed_mix.hpp"
#include "strategies/common/params.hpp"

namespace rotor::strategies {

BuyAndHoldParams BuyAndHoldParams::fromYaml(const ConfigNode& spec, const Universe& universe) {
    spec.allowOnly({"name", "type", "weights", "assets"});
    return BuyAndHoldParams{parseWeightsOrEqual(spec, universe)};
}

// A fixed mix whose schedule is never due after the initial allocation on day 0.
std::unique_ptr<Strategy> buildBuyAndHold(const std::string& name, const BuyAndHoldParams& params) {
    return buildFixedMix(name, FixedMixParams{params.weights, Schedule::never()});
}

std::unique_ptr<Strategy> makeBuyAndHold(const std::string& name, const ConfigNode& spec,
                                         const Universe& universe) {
    return buildBuyAndHold(name, BuyAndHoldParams::fromYaml(spec, universe));
}

}  // namespace rotor::strategies
