// SPDX-License-Identifier: MIT
// The factor return model for forward scenarios: daily log returns driven by correlated factor
// shocks (Normal or multivariate Student-t), the path's own rate changes and idiosyncratic
// noise; parameters given in the YAML or calibrated from data, then bent by views. The
// equations, the draw order and the views arithmetic are in docs/factor-model.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/factor/calibration.hpp"
#include "engine/scenario/factor/chi_square.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

enum class FactorDistribution { Normal, StudentT };

// One asset's loadings. All values are annual except the betas, which are per unit of daily
// factor return, and the rate beta: daily log return per percentage point of rate change.
struct FactorAssetParams {
    std::string name;
    Vector beta;            // K, in the order of the factor names
    double rateBeta = 0.0;
    double idioVol = 0.0;   // annual stdev of the idiosyncratic shock
    double alpha = 0.0;     // annual; the daily drift is alpha / 252 (without an expected-return view)
};

// Views override the calibration for one asset (see docs/factor-model.md for the arithmetic).
struct AssetView {
    std::optional<double> expectedReturn;  // annual expected total return R: E[P_252/P_0] = 1 + R
    std::optional<double> fromPe;          // re-rating over the horizon: ln(toPe / fromPe) of drift
    std::optional<double> toPe;
    double volMultiplier = 1.0;            // scales the factor shock loadings and the idio vol
};

struct FactorModelSpec {
    FactorDistribution distribution = FactorDistribution::Normal;
    double dof = 0.0;                        // Student-t degrees of freedom (> 2)
    std::vector<std::string> factorNames;    // K (may be 0)
    Vector factorMean;                       // K, annual
    Vector factorVol;                        // K, annual
    Matrix correlation;                      // K x K, positive definite
    std::vector<FactorAssetParams> assets;   // N, in universe order
    std::vector<AssetView> views;            // N, in universe order
    std::optional<CalibrationResult> calibration;  // when the parameters were estimated
};

// Parses a `model:` block of type factor against the context's universe. With `calibrate:`,
// reads the data (recording every file in ctx) and estimates the parameters; a window ending
// after ctx.dataCutoff is refused. Every YAML problem is a ConfigError at its key.
// Asset prices for calibration come from `calibrate.prices`/`calibrate.table`, else from the
// `universe:` block of the scenario file the node was read from.
FactorModelSpec parseFactorModel(const ConfigNode& model, const GeneratorContext& ctx);

// The calibration block of a `model:` (no views, no distribution) parsed into a data spec.
CalibrationSpec parseCalibrationSpec(const ConfigNode& calibrate, const GeneratorContext& ctx);

// The model's parameters as they come out of a calibration (views and distribution untouched).
void applyCalibration(FactorModelSpec& spec, const CalibrationResult& result);

// The resolved model as the body of a `model:` block (type, distribution, factors, assets,
// views), plus an informational `calibration:` map (window, observations, r2, standard errors)
// that parseFactorModel accepts and ignores, so the text can be pasted back as parameters.
std::string factorModelYaml(const FactorModelSpec& spec);
// The same wrapped as `model:`, for `rotor calibrate`.
std::string calibrationYaml(const FactorModelSpec& spec);

class FactorPathGenerator : public PathGenerator {
public:
    // Throws rotor::Error when the spec is inconsistent with the context (sizes, correlation
    // not positive definite, dof <= 2, fewer than 2 days, no rate model).
    FactorPathGenerator(FactorModelSpec spec, const GeneratorContext& ctx,
                        std::vector<std::shared_ptr<const ReturnOverlay>> overlays = {});

    const Universe& universe() const override { return universe_; }
    const std::vector<Date>& dates() const override { return dates_; }
    // Draws, all from Xoshiro256(seed, p): the rate path (regime, noise), then for each day
    // t = 1..T-1: K normals, one chi-square (Student-t only), N idiosyncratic normals; then the
    // overlays in order. Allocation-free once `out` and `scratch` have their sizes.
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const override;
    std::vector<std::string> regimeNames() const override;
    std::string describe() const override { return factorModelYaml(spec_); }

    const FactorModelSpec& spec() const { return spec_; }
    // Daily constant part of each asset's log return (drift + mean factor contribution), N.
    const Vector& dailyMean() const { return mean_; }

private:
    FactorModelSpec spec_;
    Universe universe_;
    std::vector<Date> dates_;
    Vector startPrices_;
    std::uint64_t seed_;
    std::shared_ptr<const RatePathModel> rate_;
    std::vector<std::shared_ptr<const ReturnOverlay>> overlays_;
    Vector mean_;       // N, daily
    Matrix loading_;    // N x K: m_i beta_i' L (L = daily Cholesky factor of the factor covariance)
    Vector idioSd_;     // N, daily: m_i idio_vol_i / sqrt(252)
    Vector rateBeta_;   // N
    std::optional<ChiSquareSampler> chi2_;
    double tScale_ = 1.0;  // sqrt(dof - 2): unit-variance Student-t
};

std::unique_ptr<PathGenerator> buildFactorGenerator(
    const ConfigNode& model, const GeneratorContext& ctx,
    std::vector<std::shared_ptr<const ReturnOverlay>> overlays = {});

}  // namespace rotor
