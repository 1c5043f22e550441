// SPDX-License-Identifier: MIT
#include "engine/scenario/factor/factor_generator.hpp"

#include "engine/core/error.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>

namespace rotor {

namespace {
constexpr double kDays = 252.0;
}  // namespace

// ---------------------------------------------------------------- generator

FactorPathGenerator::FactorPathGenerator(FactorModelSpec spec, const GeneratorContext& ctx,
                                         ReturnOverlays overlays)
    : ReturnPathGenerator(ctx, std::move(overlays), Compounding::CumulativeSum),
      spec_(std::move(spec)) {
    const Index n = universe().size();
    const auto k = static_cast<Index>(spec_.factorNames.size());
    const auto t = static_cast<Index>(dates().size());
    ROTOR_REQUIRE(static_cast<Index>(spec_.assets.size()) == n,
                  "parameters for " << spec_.assets.size() << " assets, universe has " << n);
    ROTOR_REQUIRE(spec_.factorMean.size() == k && spec_.factorVol.size() == k &&
                      spec_.correlation.rows() == k && spec_.correlation.cols() == k,
                  "factor parameters do not match the " << k << " factor names");
    if (spec_.views.empty()) spec_.views.assign(static_cast<std::size_t>(n), AssetView{});
    ROTOR_REQUIRE(static_cast<Index>(spec_.views.size()) == n,
                  "views for " << spec_.views.size() << " assets");
    for (Index i = 0; i < n; ++i) {
        const auto& a = spec_.assets[static_cast<std::size_t>(i)];
        ROTOR_REQUIRE(a.name == universe().assets[static_cast<std::size_t>(i)],
                      "parameters for '" << a.name << "' in the column of '"
                                         << universe().assets[static_cast<std::size_t>(i)] << "'");
        ROTOR_REQUIRE(a.beta.size() == k,
                      a.name << ": " << a.beta.size() << " betas for " << k << " factors");
    }
    if (spec_.distribution == FactorDistribution::StudentT) {
        ROTOR_REQUIRE(spec_.dof > 2.0, "Student-t needs dof > 2, got " << spec_.dof);
        chi2_.emplace(spec_.dof);
        tScale_ = std::sqrt(spec_.dof - 2.0);
    }

    // Daily Cholesky factor of the covariance: diag(vol / sqrt(252)) times that of the
    // correlation, which stays defined when a vol is zero.
    Matrix lower = Matrix::Zero(k, k);
    if (k > 0) {
        const Eigen::LLT<Matrix> llt(spec_.correlation);
        ROTOR_REQUIRE(llt.info() == Eigen::Success,
                      "the factor correlation is not positive definite");
        lower = (spec_.factorVol / std::sqrt(kDays)).asDiagonal() * Matrix(llt.matrixL());
    }
    const Vector factorMeanDaily = spec_.factorMean / kDays;
    const double returnsInHorizon = static_cast<double>(t - 1);

    mean_.resize(n);
    loading_.resize(n, k);
    idioSd_.resize(n);
    rateBeta_.resize(n);
    for (Index i = 0; i < n; ++i) {
        const auto& a = spec_.assets[static_cast<std::size_t>(i)];
        const auto& v = spec_.views[static_cast<std::size_t>(i)];
        const double m = v.volMultiplier;
        // Without factors (k = 0) there is no row: Eigen's row() of an n x 0 matrix offsets a
        // null pointer, which UBSan (clang) reports.
        if (k > 0) loading_.row(i) = m * (a.beta.transpose() * lower);
        idioSd_[i] = m * a.idioVol / std::sqrt(kDays);
        rateBeta_[i] = a.rateBeta;
        const double factorMean = a.beta.dot(factorMeanDaily);
        double drift = a.alpha / kDays;
        if (v.expectedReturn) {
            // E[exp(sum of 252 daily returns)] = 1 + R with a flat rate: the log drift gives
            // up half the daily variance and the mean factor contribution.
            const double factorVariance = k > 0 ? loading_.row(i).squaredNorm() : 0.0;
            const double variance = factorVariance + idioSd_[i] * idioSd_[i];
            drift = std::log1p(*v.expectedReturn) / kDays - 0.5 * variance - factorMean;
        }
        if (v.fromPe) drift += std::log(*v.toPe / *v.fromPe) / returnsInHorizon;
        mean_[i] = drift + factorMean;
    }
}

void FactorPathGenerator::drawReturns(Xoshiro256& rng, int /*regime*/, Vector& rate,
                                      Matrix& logReturns, GeneratorScratch& scratch) const {
    Matrix& r = logReturns;
    const auto t = static_cast<Index>(dates().size());
    const Index n = universe().size();
    const Index k = loading_.cols();
    Vector& z = scratch.u;
    if (z.size() != k) z.resize(k);
    const NormalZiggurat& normal = NormalZiggurat::instance();

    for (Index day = 1; day < t; ++day) {
        for (Index j = 0; j < k; ++j) z[j] = normal(rng);
        if (chi2_)
            z *= tScale_ / std::sqrt((*chi2_)(rng));  // z n sqrt((dof-2)/chi2): unit variance
        const double dRate = rate[day] - rate[day - 1];
        for (Index i = 0; i < n; ++i) {
            double x = mean_[i] + rateBeta_[i] * dRate;
            for (Index j = 0; j < k; ++j) x += loading_(i, j) * z[j];
            r(day, i) = x + idioSd_[i] * normal(rng);
        }
    }
}

}  // namespace rotor
