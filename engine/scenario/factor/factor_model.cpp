// SPDX-License-Identifier: MIT
#include "engine/scenario/factor/factor_model.hpp"

#include "engine/scenario/factor/factor_generator.hpp"

namespace rotor {

void applyCalibration(FactorModelSpec& spec, const CalibrationResult& r) {
    spec.factorNames = r.factorNames;
    spec.factorMean = r.factorMean;
    spec.factorVol = r.factorVol;
    spec.correlation = r.correlation;
    spec.assets.clear();
    for (const auto& a : r.assets)
        spec.assets.push_back(FactorAssetParams{a.asset, a.beta, a.rateBeta, a.idioVol, a.alpha});
    spec.calibration = r;
}

FactorModelSpec FactorModelConfig::resolve(const Universe& universe, DataStore& data) const {
    if (!calibrate) return params;
    FactorModelSpec spec = params;
    CalibrationResult result;
    try {
        result = rotor::calibrate(loadCalibrationData(*calibrate, universe.assets, data));
    } catch (const ConfigError&) {
        throw;
    } catch (const DataError&) {
        throw;  // located in the data file already
    } catch (const InputError& e) {
        calibrateWhere.fail(e.what(), "model.calibrate");  // a window the regression cannot use
    }
    applyCalibration(spec, result);
    return spec;
}

std::unique_ptr<PathGenerator> FactorModelConfig::build(const GeneratorContext& ctx,
                                                        DataStore& data,
                                                        ReturnOverlays overlays) const {
    return std::make_unique<FactorPathGenerator>(resolve(ctx.universe, data), ctx,
                                                 std::move(overlays));
}

}  // namespace rotor
