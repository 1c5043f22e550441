// SPDX-License-Identifier: MIT
// The factor return model as data: the parameters a path generator draws with (given, or
// estimated by calibration) and the `model: {type: factor}` block that asks for them. The
// equations, the draw order and the views arithmetic are in docs/factor-model.md.
#pragma once

#include "engine/core/error.hpp"
#include "engine/scenario/factor/calibration.hpp"
#include "engine/scenario/model_spec.hpp"

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
    Vector beta;  // K, in the order of the factor names
    double rateBeta = 0.0;
    double idioVol = 0.0;  // annual stdev of the idiosyncratic shock
    double alpha = 0.0;  // annual; the daily drift is alpha / 252 (without an expected-return view)
};

// Views override the calibration for one asset (see docs/factor-model.md for the arithmetic).
struct AssetView {
    std::optional<double> expectedReturn;  // annual expected total return R: E[P_252/P_0] = 1 + R
    std::optional<double> fromPe;          // re-rating over the horizon: ln(toPe / fromPe) of drift
    std::optional<double> toPe;
    double volMultiplier = 1.0;  // scales the factor shock loadings and the idio vol
};

struct FactorModelSpec {
    FactorDistribution distribution = FactorDistribution::Normal;
    double dof = 0.0;                              // Student-t degrees of freedom (> 2)
    std::vector<std::string> factorNames;          // K (may be 0)
    Vector factorMean;                             // K, annual
    Vector factorVol;                              // K, annual
    Matrix correlation;                            // K x K, positive definite
    std::vector<FactorAssetParams> assets;         // N, in universe order
    std::vector<AssetView> views;                  // N, in universe order
    std::optional<CalibrationResult> calibration;  // when the parameters were estimated
};

// The model's parameters as they come out of a calibration (views and distribution untouched).
void applyCalibration(FactorModelSpec& spec, const CalibrationResult& result);

// A parsed `model: {type: factor}` block.
class FactorModelConfig final : public ModelSpec {
public:
    // Distribution and views; factors and assets too unless `calibrate` is set.
    FactorModelSpec params;
    std::optional<CalibrationSpec> calibrate;
    ConfigLocation
        calibrateWhere;  // the `calibrate` block: errors of a window the data cannot fill
    std::vector<std::string> assets;  // the universe the views are indexed by

    std::string type() const override { return "factor"; }
    // The parameters: as given, or estimated on `universe`'s assets from the files of
    // `calibrate` (read through `data`).
    FactorModelSpec resolve(const Universe& universe, DataStore& data) const;
    std::unique_ptr<PathGenerator> build(const GeneratorContext& ctx, DataStore& data,
                                         ReturnOverlays overlays) const override;
    void emit(YamlWriter& out) const override;
};

// Parses a `model:` block of type factor against the context's universe; a calibration window
// ending after ctx.dataCutoff is refused. Every YAML problem is a ConfigError at its key. Asset
// prices for calibration come from `calibrate.prices`/`calibrate.table`, else from the
// scenario's universe (ctx.scenarioPrices). Nothing is read here.
std::shared_ptr<const FactorModelConfig> parseFactorModel(const ConfigNode& model,
                                                          const ModelParseContext& ctx);
// The calibration block of a `model:` parsed into a data spec.
CalibrationSpec parseCalibrationSpec(const ConfigNode& calibrate, const ModelParseContext& ctx);

// The resolved model as the body of a `model:` block (type, distribution, factors, assets,
// views), plus an informational `calibration:` map (window, observations, r2, standard errors)
// that parseFactorModel accepts and ignores, so the text can be pasted back as parameters.
std::string factorModelYaml(const FactorModelSpec& spec);
// The same wrapped as `model:`, for `rotor calibrate`.
std::string calibrationYaml(const FactorModelSpec& spec);

}  // namespace rotor
