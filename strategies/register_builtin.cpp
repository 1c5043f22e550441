// SPDX-License-Identifier: MIT
#include "strategies/register_builtin.hpp"

#include "strategies/baseline/buy_and_hold.hpp"
#include "strategies/baseline/fixed_mix.hpp"
#include "strategies/macro/rate_regime.hpp"
#include "strategies/momentum/dual_momentum.hpp"
#include "strategies/momentum/relative_momentum.hpp"
#include "strategies/momentum/trend_filter.hpp"

namespace rotor::strategies {

void registerBuiltinStrategies(StrategyRegistry& registry) {
    registry.add("buy_and_hold", &makeBuyAndHold, "buy fixed weights on day 0 and never rebalance");
    registry.add("fixed_mix", &makeFixedMix,
                 "rebalance to fixed weights on a schedule (default monthly)");
    registry.add("relative_momentum", &makeRelativeMomentum,
                 "hold the top_k assets by lookback return, equally weighted");
    registry.add("dual_momentum", &makeDualMomentum,
                 "relative momentum; picks that trail cash go to the safe asset");
    registry.add("trend_filter", &makeTrendFilter,
                 "hold each asset while above its moving average, else the safe asset");
    registry.add("rate_regime", &makeRateRegime,
                 "hold easing_assets while the policy rate is falling, else other_assets");
}

const StrategyRegistry& builtinRegistry() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        registerBuiltinStrategies(r);
        return r;
    }();
    return registry;
}

}  // namespace rotor::strategies
