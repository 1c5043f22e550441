// SPDX-License-Identifier: MIT
// A factor `model:` block resolved as a run resolves it: parsed against the context's universe
// (nothing read), then calibrated through a data store when it has a `calibrate` block.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/data/price_source.hpp"
#include "engine/scenario/factor/factor_model.hpp"
#include "engine/scenario/generator_context.hpp"

namespace rotor::factortest {

// `prices` stands for the scenario universe's price source (calibrate's default).
inline FactorModelSpec resolveFactorModel(const ConfigNode& model, const GeneratorContext& ctx,
                                          DataStore& data, const PriceSource& prices = {}) {
    const auto spec = parseFactorModel(
        model, ModelParseContext{ctx.universe, ctx.dataCutoff, prices, {}, {}});
    return spec->resolve(ctx.universe, data);
}

inline FactorModelSpec resolveFactorModel(const ConfigNode& model, const GeneratorContext& ctx,
                                          const PriceSource& prices = {}) {
    DataStore data;
    return resolveFactorModel(model, ctx, data, prices);
}

}  // namespace rotor::factortest
