// SPDX-License-Identifier: MIT
// The skeleton every return-based path model shares: draw the path's cash rate, let the model
// draw its daily log returns, apply the overlays (bifurcation, refinancing wall) in order, then
// compound into prices. Models implement drawReturns only (and drawRate when the rate is not
// the scenario's rate path).
#pragma once

#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/path_generator.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// The exp the prices are compounded with: glibc's exp without its errno wrapper (the same
// function the wrapper calls, so the same bits as std::exp for every argument), or std::exp
// where that cannot be found (see return_path_generator.cpp).
using ExpFunction = double (*)(double);
ExpFunction priceExp();

class ReturnPathGenerator : public PathGenerator {
public:
    // How log returns become prices. CumulativeSum: P_t = P_0 exp(r_1 + ... + r_t), exact in the
    // log level over long horizons (the factor model). DayByDay: P_t = P_{t-1} exp(r_t), so a
    // replayed daily price ratio is exact to rounding (history analogs).
    enum class Compounding { CumulativeSum, DayByDay };

    // Throws rotor::Error for fewer than 2 days, start prices that do not match the universe,
    // no rate model, or a null overlay.
    ReturnPathGenerator(const GeneratorContext& ctx, ReturnOverlays overlays,
                        Compounding compounding);

    const Universe& universe() const final { return ctx_.universe; }
    const std::vector<Date>& dates() const final { return ctx_.dates; }
    // Draws, all from Xoshiro256(seed, p): drawRate, then drawReturns, then each overlay in
    // order. Allocation-free once `out` and `scratch` have their sizes.
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const final;
    // The rate path's regimes.
    std::vector<std::string> regimeNames() const override;
    // Each overlay's reportNames(), prefixed with the overlay's name and '/'.
    std::vector<std::string> overlayReportNames() const final;
    // drawRate's and drawReturnsOnly's draws; nullopt with overlays (their draws are not
    // mirrored) or when the model has no drawReturnsOnly.
    std::optional<double> drawOnly(std::uint64_t p, Xoshiro256* end) const final;

protected:
    // Fills `rate` (T entries, annual percent) and returns the path's regime. Default: the
    // scenario's rate path model.
    virtual int drawRate(Xoshiro256& rng, Vector& rate) const;
    // Fills rows 1..T-1 of `logReturns` (T x N; row 0 is zero): row t is the log return from
    // day t-1 to day t. `rate` holds drawRate's path and `regime` the regime it returned; a
    // model that replays rates together with returns may write `rate` here instead. `scratch`
    // members other than `a` and `valuation` are the model's. When the universe has valued
    // assets, scratch.valuation is T x N and all NaN on entry: the model writes the log
    // multiples of those assets (rows 0..T-1), and the path takes them.
    virtual void drawReturns(Xoshiro256& rng, int regime, Vector& rate, Matrix& logReturns,
                             GeneratorScratch& scratch) const = 0;
    // drawReturns' draws alone (see PathGenerator::drawOnly): their sum, or nullopt when the
    // model does not mirror them. Only a model that keeps the default drawRate may provide it.
    virtual std::optional<double> drawReturnsOnly(Xoshiro256& /*rng*/, int /*regime*/) const {
        return std::nullopt;
    }

    const GeneratorContext& context() const { return ctx_; }
    const ReturnOverlays& overlays() const { return overlays_; }
    // The overlays' names in order, as describe() lists them.
    std::vector<std::string> overlayNames() const;

private:
    GeneratorContext ctx_;
    ReturnOverlays overlays_;
    Compounding compounding_;
    std::vector<Index> reportSizes_;  // each overlay's reportNames().size()
    Index reportSize_ = 0;            // entries of GeneratorScratch::overlayReport
};

}  // namespace rotor
