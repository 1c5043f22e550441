// SPDX-License-Identifier: MIT
// The factor model's path generator: daily log returns driven by correlated factor shocks
// (Normal or multivariate Student-t), the path's own rate changes and idiosyncratic noise.
#pragma once

#include "engine/scenario/factor/chi_square.hpp"
#include "engine/scenario/factor/factor_model.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/path_generator.hpp"
#include "engine/scenario/return_path_generator.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

class FactorPathGenerator final : public ReturnPathGenerator {
public:
    // Throws rotor::Error when the spec is inconsistent with the context (sizes, correlation
    // not positive definite, dof <= 2, fewer than 2 days, no rate model).
    FactorPathGenerator(FactorModelSpec spec, const GeneratorContext& ctx,
                        ReturnOverlays overlays = {});

    std::string describe() const override { return factorModelYaml(spec_); }

    const FactorModelSpec& spec() const { return spec_; }
    // Daily constant part of each asset's log return (drift + mean factor contribution), N.
    const Vector& dailyMean() const { return mean_; }

protected:
    // Per path, after the rate path (regime, noise): for each day t = 1..T-1, K normals, one
    // chi-square (Student-t only) and N idiosyncratic normals.
    void drawReturns(Xoshiro256& rng, int regime, Vector& rate, Matrix& logReturns,
                     GeneratorScratch& scratch) const override;

private:
    FactorModelSpec spec_;
    Vector mean_;      // N, daily
    Matrix loading_;   // N x K: m_i beta_i' L (L = daily Cholesky factor of the factor covariance)
    Vector idioSd_;    // N, daily: m_i idio_vol_i / sqrt(252)
    Vector rateBeta_;  // N
    std::optional<ChiSquareSampler> chi2_;
    double tScale_ = 1.0;  // sqrt(dof - 2): unit-variance Student-t
};

}  // namespace rotor
