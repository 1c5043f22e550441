// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/constrain.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/algos/weigh.hpp"

#include <cmath>
#include <vector>

namespace rotor {

void RequireLongOnly::constrain(RebalanceContext& ctx) const {
    double sum = 0.0;
    for (Index i = 0; i < ctx.weights.size(); ++i) {
        const double w = ctx.weights(i);
        ROTOR_REQUIRE(std::isfinite(w) && w >= 0.0,
                      "weight of asset " << i << " is " << w << " on day " << ctx.today());
        sum += w;
    }
    ROTOR_REQUIRE(sum <= maxGross_ + 1e-9, "weights sum to " << sum << " on day " << ctx.today()
                                                             << ", above the limit " << maxGross_);
}

TargetVolatility::TargetVolatility(double target, long lookback, double maxLeverage)
    : target_(target), lookback_(lookback), maxLeverage_(maxLeverage) {
    ROTOR_REQUIRE(target > 0.0 && lookback >= 2 && maxLeverage > 0.0,
                  "target volatility needs target > 0, lookback >= 2, max_leverage > 0; got "
                      << target << ", " << lookback << ", " << maxLeverage);
}

void TargetVolatility::constrain(RebalanceContext& ctx) const {
    const double gross = ctx.weights.sum();
    if (gross <= 0.0) return;
    double scale = std::min(1.0, maxLeverage_ / gross);
    const MarketView& view = *ctx.view;
    if (view.today() - lookback_ >= view.firstDay()) {
        std::vector<Index> held;
        for (Index i = 0; i < ctx.weights.size(); ++i)
            if (ctx.weights(i) > 0.0) held.push_back(i);
        Vector w(static_cast<Index>(held.size()));
        for (std::size_t i = 0; i < held.size(); ++i)
            w(static_cast<Index>(i)) = ctx.weights(held[i]);
        const double sigma = std::sqrt(252.0 * w.dot(sampleCovariance(view, held, lookback_) * w));
        scale = sigma > 0.0 ? std::min(target_ / sigma, maxLeverage_ / gross)
                            : maxLeverage_ / gross;
    }
    ctx.weights *= scale;
}

MaxWeight::MaxWeight(double limit) : limit_(limit) {
    ROTOR_REQUIRE(limit > 0.0, "max weight needs a limit > 0, got " << limit);
}

void MaxWeight::constrain(RebalanceContext& ctx) const {
    Vector& w = ctx.weights;
    if (w.size() == 0 || w.maxCoeff() <= limit_) return;  // the usual case: one vectorised pass
    // Each pass caps at least one more asset, so N passes suffice.
    for (Index pass = 0; pass <= w.size(); ++pass) {
        double excess = 0.0;
        double room = 0.0;  // weight of the held assets below the cap
        for (Index i = 0; i < w.size(); ++i) {
            if (w(i) > limit_) {
                excess += w(i) - limit_;
                w(i) = limit_;
            } else if (w(i) > 0.0 && w(i) < limit_) {
                room += w(i);
            }
        }
        if (excess <= 0.0 || room <= 0.0) return;  // nothing to move, or nowhere: cash
        const double grow = 1.0 + excess / room;
        for (Index i = 0; i < w.size(); ++i)
            if (w(i) > 0.0 && w(i) < limit_) w(i) *= grow;
    }
}

MinWeight::MinWeight(double limit) : limit_(limit) {
    ROTOR_REQUIRE(limit > 0.0, "min weight needs a limit > 0, got " << limit);
}

void MinWeight::constrain(RebalanceContext& ctx) const {
    Vector& w = ctx.weights;
    for (;;) {
        Index smallest = -1;
        Index held = 0;
        double total = 0.0;
        for (Index i = 0; i < w.size(); ++i) {
            if (w(i) <= 0.0) continue;
            ++held;
            total += w(i);
            if (smallest < 0 || w(i) < w(smallest)) smallest = i;
        }
        if (held <= 1 || w(smallest) >= limit_) return;
        const double rest = total - w(smallest);
        w(smallest) = 0.0;
        w *= total / rest;
    }
}

GrossLimit::GrossLimit(double maxGross) : maxGross_(maxGross) {
    ROTOR_REQUIRE(maxGross >= 0.0, "a gross limit must be >= 0, got " << maxGross);
}

void GrossLimit::constrain(RebalanceContext& ctx) const {
    const double gross = ctx.weights.sum();
    if (gross > maxGross_) ctx.weights *= maxGross_ / gross;
}

MaxTurnover::MaxTurnover(double limit) : limit_(limit) {
    ROTOR_REQUIRE(limit > 0.0, "max turnover needs a limit > 0, got " << limit);
}

void MaxTurnover::constrain(RebalanceContext& ctx) const {
    const Vector& c = *ctx.current;
    Vector& w = ctx.weights;
    double absSum = 0.0;
    double sum = 0.0;
    for (Index i = 0; i < w.size(); ++i) {
        const double d = w(i) - c(i);
        absSum += std::abs(d);
        sum += d;
    }
    const double tau = 0.5 * (absSum + std::abs(sum));
    if (tau <= limit_) return;
    const double f = limit_ / tau;
    for (Index i = 0; i < w.size(); ++i) w(i) = c(i) + f * (w(i) - c(i));
}

}  // namespace rotor
