// SPDX-License-Identifier: MIT
// rate_regime: holds `easing_assets` while the policy rate (the path's cash rate, DFF) is below
// its level `lookback` days ago by more than a threshold, and `other_assets` otherwise.
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

// Easing on day t when cashRate(t) < cashRate(t - lookback) - thresholdBp / 100 (rates are in
// annual percent; 1 bp = 0.01). Selects `easing` when easing, else `other` (or the single slot
// `fallback` when `other` is empty). Before day `lookback` the selection is `fallback`.
class SelectRateRegime final : public SelectAlgo {
public:
    SelectRateRegime(std::vector<Index> easing, std::vector<Index> other, long lookback,
                     double thresholdBp, Index fallback);
    void select(RebalanceContext& ctx) const override;

private:
    std::vector<Index> easing_;
    std::vector<Index> other_;
    long lookback_;
    double thresholdPercent_;
    Index fallback_;
};

struct RateRegimeParams {
    std::vector<Index> easingAssets;
    std::vector<Index> otherAssets;  // empty: the safe asset (or cash)
    long lookback = 0;               // >= 1 trading days
    double thresholdBp = 0.0;        // >= 0
    Index safeAsset = kCash;
    Schedule rebalance = Schedule::periodic(Period::Monthly);
    Index universeSize = 0;

    // Keys: name, type, easing_assets, other_assets (safe asset / cash), lookback,
    // threshold_bp (0), safe_asset (cash), rebalance (monthly).
    static RateRegimeParams fromYaml(const ConfigNode& spec, const Universe& universe);
};

std::unique_ptr<Strategy> buildRateRegime(const std::string& name, const RateRegimeParams& params);
// StrategyFactory for `type: rate_regime`.
std::unique_ptr<Strategy> makeRateRegime(const std::string& name, const ConfigNode& spec,
                                         const Universe& universe);

}  // namespace rotor::strategies
