// SPDX-License-Identifier: MIT
#include "engine/scenario/return_path_generator.hpp"

#include "engine/core/error.hpp"

#include <dlfcn.h>

#include <cmath>
#include <limits>

namespace rotor {

namespace {

double stdExp(double x) { return std::exp(x); }

// glibc's exp (exp@GLIBC_2.29) calls its core, __exp_finite (an ifunc: the FMA or the SSE2
// build), and only sets errno when that overflows or underflows; the value it returns is the
// core's. A path's 1,000 calls go straight to the core through this pointer, without the
// wrapper's tests and its two PLT jumps. A libc without that symbol (or a static link) gets
// std::exp.
ExpFunction findPriceExp() {
#ifdef __GLIBC__
    if (void* core = dlvsym(RTLD_DEFAULT, "__exp_finite", "GLIBC_2.15"))
        return reinterpret_cast<ExpFunction>(core);
#endif
    return &stdExp;
}

}  // namespace

ExpFunction priceExp() {
    static const ExpFunction core = findPriceExp();
    return core;
}

ReturnPathGenerator::ReturnPathGenerator(const GeneratorContext& ctx, ReturnOverlays overlays,
                                         Compounding compounding)
    : ctx_(ctx), overlays_(std::move(overlays)), compounding_(compounding) {
    const auto t = static_cast<Index>(ctx_.dates.size());
    ROTOR_REQUIRE(t >= 2, "a path needs at least 2 days, got " << t);
    ROTOR_REQUIRE(ctx_.startPrices.size() == ctx_.universe.size(),
                  ctx_.startPrices.size()
                      << " start prices for " << ctx_.universe.size() << " assets");
    ROTOR_REQUIRE(ctx_.rate != nullptr, "a forward scenario needs a rate path model");
    ROTOR_REQUIRE(ctx_.rate->days() == t,
                  "the rate model covers " << ctx_.rate->days() << " days, the scenario " << t);
    for (const auto& o : overlays_) ROTOR_REQUIRE(o != nullptr, "null return overlay");
    for (const auto& o : overlays_) {
        reportSizes_.push_back(static_cast<Index>(o->reportNames().size()));
        reportSize_ += reportSizes_.back();
    }
}

std::vector<std::string> ReturnPathGenerator::regimeNames() const {
    std::vector<std::string> out;
    for (int r = 0; r < ctx_.rate->regimes(); ++r) out.push_back(ctx_.rate->regimeName(r));
    return out;
}

std::vector<std::string> ReturnPathGenerator::overlayReportNames() const {
    std::vector<std::string> out;
    for (const auto& o : overlays_)
        for (const auto& n : o->reportNames())
            out.push_back(n.find('/') == std::string::npos ? o->name() + "/" + n : n);
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            ROTOR_REQUIRE(out[i] != out[j], "two overlays report '"
                                                << out[i]
                                                << "' (a standalone and a nested refinancing "
                                                   "wall in one scenario?)");
    return out;
}

int ReturnPathGenerator::drawRate(Xoshiro256& rng, Vector& rate) const {
    int regime = 0;
    ctx_.rate->generate(rng, rate, &regime);
    return regime;
}

PathInfo ReturnPathGenerator::generate(std::uint64_t p, Path& out,
                                       GeneratorScratch& scratch) const {
    const auto t = static_cast<Index>(ctx_.dates.size());
    const Index n = ctx_.universe.size();
    Xoshiro256 rng(ctx_.seed, p);
    PathInfo info;

    out.dates = ctx_.dates;  // same size after the first path: copies in place
    if (out.cashRate.size() != t) out.cashRate.resize(t);
    info.regime = drawRate(rng, out.cashRate);

    Matrix& r = scratch.a;
    if (r.rows() != t || r.cols() != n) r.resize(t, n);
    r.row(0).setZero();
    // Only a scenario that asks for valuations pays for them.
    const bool valued = !ctx_.universe.valued.empty();
    if (valued) {
        if (scratch.valuation.rows() != t || scratch.valuation.cols() != n)
            scratch.valuation.resize(t, n);
        scratch.valuation.setConstant(std::numeric_limits<double>::quiet_NaN());
    }
    drawReturns(rng, info.regime, out.cashRate, r, scratch);
    if (valued) out.valuation.swap(scratch.valuation);  // both keep their buffers
    if (scratch.overlayReport.size() != reportSize_) scratch.overlayReport.resize(reportSize_);
    Index at = 0;
    for (std::size_t o = 0; o < overlays_.size(); ++o) {
        const Index k = reportSizes_[o];
        overlays_[o]->applyAndReport(out.cashRate, r, rng, scratch.overlayReport.segment(at, k));
        at += k;
    }
    scratch.stream = rng;

    if (out.prices.rows() != t || out.prices.cols() != n) out.prices.resize(t, n);
    const ExpFunction expCore = priceExp();
    for (Index i = 0; i < n; ++i) {
        const double p0 = ctx_.startPrices[i];
        out.prices(0, i) = p0;
        if (compounding_ == Compounding::CumulativeSum) {
            double cum = 0.0;
            for (Index day = 1; day < t; ++day) {
                cum += r(day, i);
                out.prices(day, i) = p0 * expCore(cum);
            }
        } else {
            double price = p0;
            for (Index day = 1; day < t; ++day) {
                price *= expCore(r(day, i));
                out.prices(day, i) = price;
            }
        }
    }
    return info;
}

std::optional<double> ReturnPathGenerator::drawOnly(std::uint64_t p, Xoshiro256* end) const {
    if (!overlays_.empty()) return std::nullopt;
    Xoshiro256 rng(ctx_.seed, p);
    double sum = 0.0;
    const int regime = ctx_.rate->drawOnly(rng, sum);
    const std::optional<double> returns = drawReturnsOnly(rng, regime);
    if (!returns) return std::nullopt;
    if (end != nullptr) *end = rng;
    return sum + *returns;
}

std::vector<std::string> ReturnPathGenerator::overlayNames() const {
    std::vector<std::string> names;
    for (const auto& o : overlays_) names.push_back(o->name());
    return names;
}

}  // namespace rotor
