// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/weigh.hpp"

#include "engine/core/error.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rotor {

void EqualWeight::weigh(RebalanceContext& ctx) const {
    ctx.weights.setZero();
    if (ctx.selected.empty()) return;
    const double w = 1.0 / static_cast<double>(ctx.selected.size());
    for (Index slot : ctx.selected)
        if (slot != kCash) ctx.weights(slot) += w;
}

void FixedWeights::weigh(RebalanceContext& ctx) const {
    ROTOR_REQUIRE(weights_.size() == ctx.weights.size(),
                  "fixed weights for " << weights_.size() << " assets, universe has "
                                       << ctx.weights.size());
    ctx.weights.setZero();
    for (Index slot : ctx.selected)
        if (slot != kCash) ctx.weights(slot) = weights_(slot);
}

void ScoreProportional::weigh(RebalanceContext& ctx) const {
    ctx.weights.setZero();
    if (ctx.selected.empty()) return;
    const double slot = 1.0 / static_cast<double>(ctx.selected.size());
    const auto scoreOf = [&](Index a) {
        return a < ctx.scores.size() ? ctx.scores(a) : std::numeric_limits<double>::quiet_NaN();
    };
    double scoredShare = 0.0;
    double positive = 0.0;
    int infinite = 0;
    for (Index a : ctx.selected) {
        if (a == kCash) continue;
        const double s = scoreOf(a);
        if (std::isnan(s)) {
            ctx.weights(a) += slot;
            continue;
        }
        scoredShare += slot;
        if (std::isinf(s) && s > 0.0)
            ++infinite;
        else if (s > 0.0)
            positive += s;
    }
    if (scoredShare <= 0.0) return;
    for (Index a : ctx.selected) {
        if (a == kCash) continue;
        const double s = scoreOf(a);
        if (std::isnan(s)) continue;
        if (infinite > 0) {
            if (std::isinf(s) && s > 0.0) ctx.weights(a) += scoredShare / infinite;
        } else if (s > 0.0) {
            ctx.weights(a) += scoredShare * s / positive;
        }
    }
    if (infinite == 0 && positive <= 0.0 && fallback_ != kCash)
        ctx.weights(fallback_) += scoredShare;
}

Matrix sampleCovariance(const MarketView& view, const std::vector<Index>& assets, long lookback) {
    ROTOR_REQUIRE(lookback >= 2, "a covariance needs lookback >= 2, got " << lookback);
    const Index n = static_cast<Index>(assets.size());
    const Index t = view.today();
    Matrix r(lookback, n);
    for (Index j = 0; j < n; ++j)
        for (Index d = 0; d < lookback; ++d) {
            const Index day = t - lookback + 1 + d;
            r(d, j) = view.price(day, assets[static_cast<std::size_t>(j)]) /
                          view.price(day - 1, assets[static_cast<std::size_t>(j)]) -
                      1.0;
        }
    const Eigen::RowVectorXd mean = r.colwise().mean();
    r.rowwise() -= mean;
    return (r.transpose() * r) / static_cast<double>(lookback - 1);
}

Vector inverseVolatilityWeights(const Matrix& cov) {
    Vector w = cov.diagonal().cwiseSqrt().cwiseInverse();
    ROTOR_REQUIRE(w.allFinite(), "inverse volatility: an asset has zero volatility");
    return w / w.sum();
}

Vector riskParityWeights(const Matrix& cov) {
    const Index n = cov.rows();
    // Start from the inverse-volatility point, scaled so that y'cov y = n (the solution's value).
    Vector y = cov.diagonal().cwiseSqrt().cwiseInverse();
    ROTOR_REQUIRE(y.allFinite(), "risk parity: an asset has zero volatility");
    y *= std::sqrt(static_cast<double>(n) / y.dot(cov * y));
    const auto residual = [&](const Vector& v) {
        return (v.cwiseProduct(cov * v).array() - 1.0).abs().maxCoeff();
    };
    double res = residual(y);
    for (int it = 0; it < 100 && res > 1e-14; ++it) {
        const Vector f = cov * y - y.cwiseInverse();
        Matrix jac = cov;
        jac.diagonal() += y.cwiseProduct(y).cwiseInverse();
        const Vector step = jac.ldlt().solve(f);
        // Damped Newton: halve until y stays positive and the residual does not grow.
        double a = 1.0;
        Vector next = y - step;
        while (a > 1e-12 && ((next.array() <= 0.0).any() || residual(next) > res)) {
            a *= 0.5;
            next = y - a * step;
        }
        if (a <= 1e-12) break;
        y = next;
        res = residual(y);
    }
    ROTOR_REQUIRE(res <= 1e-10, "risk parity did not converge (residual " << res << ")");
    return y / y.sum();
}

Vector minimumVarianceWeights(const Matrix& cov) {
    const Index n = cov.rows();
    Vector w = Vector::Constant(n, 1.0 / static_cast<double>(n));
    std::vector<bool> fixed(static_cast<std::size_t>(n), false);  // the working set: w_i = 0
    for (int it = 0; it < 1000; ++it) {
        std::vector<Index> free;
        for (Index i = 0; i < n; ++i)
            if (!fixed[static_cast<std::size_t>(i)]) free.push_back(i);
        const Index m = static_cast<Index>(free.size());
        // The minimiser over the free assets with the others at 0: cov_FF^-1 1, normalised.
        Matrix sub(m, m);
        for (Index a = 0; a < m; ++a)
            for (Index b = 0; b < m; ++b)
                sub(a, b) = cov(free[static_cast<std::size_t>(a)],
                                free[static_cast<std::size_t>(b)]);
        const Eigen::LDLT<Matrix> ldlt(sub);
        ROTOR_REQUIRE(ldlt.info() == Eigen::Success && ldlt.isPositive(),
                      "minimum variance: the covariance is not positive definite");
        const Vector x = ldlt.solve(Vector::Ones(m));
        Vector target = Vector::Zero(n);
        for (Index a = 0; a < m; ++a) target(free[static_cast<std::size_t>(a)]) = x(a) / x.sum();
        const Vector p = target - w;
        if (p.lpNorm<Eigen::Infinity>() <= 1e-15) {
            // At the subspace minimum: the multiplier of w_j >= 0 is (cov w)_j - w'cov w.
            const Vector g = cov * w;
            const double lambda = w.dot(g);
            Index release = -1;
            double worst = -1e-15 * std::abs(lambda);
            for (Index j = 0; j < n; ++j)
                if (fixed[static_cast<std::size_t>(j)] && g(j) - lambda < worst) {
                    worst = g(j) - lambda;
                    release = j;
                }
            if (release < 0) return w;
            fixed[static_cast<std::size_t>(release)] = false;
            continue;
        }
        // Step toward the subspace minimum, stopping at the first weight that reaches 0.
        double alpha = 1.0;
        Index block = -1;
        for (Index i = 0; i < n; ++i)
            if (p(i) < 0.0 && -w(i) / p(i) < alpha) {
                alpha = -w(i) / p(i);
                block = i;
            }
        w += alpha * p;
        if (block >= 0) {
            w(block) = 0.0;
            fixed[static_cast<std::size_t>(block)] = true;
        }
    }
    detail::throwError("minimum variance did not converge", __FILE__, __LINE__);
}

RiskWeights::RiskWeights(Rule rule, long lookback) : rule_(rule), lookback_(lookback) {
    ROTOR_REQUIRE(lookback >= 2, "risk weights need lookback >= 2, got " << lookback);
}

void RiskWeights::weigh(RebalanceContext& ctx) const {
    const MarketView& view = *ctx.view;
    if (view.today() - lookback_ < view.firstDay()) {
        EqualWeight().weigh(ctx);
        return;
    }
    ctx.weights.setZero();
    std::vector<Index> assets;
    std::size_t assetSlots = 0;
    for (Index slot : ctx.selected) {
        if (slot == kCash) continue;
        ++assetSlots;
        if (std::find(assets.begin(), assets.end(), slot) == assets.end()) assets.push_back(slot);
    }
    if (assets.empty()) return;
    const double budget = static_cast<double>(assetSlots) /
                          static_cast<double>(ctx.selected.size());
    const Matrix cov = sampleCovariance(view, assets, lookback_);
    Vector w;
    switch (rule_) {
        case Rule::InverseVolatility: w = inverseVolatilityWeights(cov); break;
        case Rule::RiskParity: w = riskParityWeights(cov); break;
        case Rule::MinimumVariance: w = minimumVarianceWeights(cov); break;
    }
    for (std::size_t i = 0; i < assets.size(); ++i)
        ctx.weights(assets[i]) = budget * w(static_cast<Index>(i));
}

}  // namespace rotor
