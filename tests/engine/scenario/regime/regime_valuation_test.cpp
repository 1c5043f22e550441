// SPDX-License-Identifier: MIT
// The regime generator's simulated multiple (docs/regimes.md, "The simulated multiple") on
// hand-built parameters, recomputed two ways: the expected path in closed form plus the gap
// rebuilt from another asset's identical shocks, and the price over "earnings" compounding at
// the expected return without re-rating. Asking for it changes no price; an asset without
// valuation inputs is refused.
#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/regime/regime_generator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace regime_valuation_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

constexpr double kVar = 0.16 * 0.16 / 252.0;  // the market factor's daily variance
constexpr double kKappa = 2.0;                // fast reversion, visible in 60 days
constexpr Index kDays = 60;

// EQ (no valuation inputs) and VAL (pe 20, fair 16, carry 1.5%, growth 20% in "cut") load 1 on
// one market factor and have no idiosyncratic shocks, so their daily shocks are the same.
// Two rate regimes, "cut" (-50bp on 2026-01-14) as soft_landing and "flat" as hold; Student-t
// shocks (dof 5), so the chi-square scaling is part of the shock too.
struct Fixture {
    GeneratorContext ctx;
    RegimeModelSpec spec;
    RegimeModelConfig config;

    Fixture() {
        ctx.universe.assets = {"EQ", "VAL"};
        ctx.dates = nyseTradingDaysFrom(d(2026, 1, 2), static_cast<std::size_t>(kDays));
        ctx.startPrices = Vector::Constant(2, 100.0);
        ctx.seed = 11;
        RatePathSpec rp;
        rp.start = 4.0;
        rp.drawsRegime = true;
        rp.regimes.push_back({"cut", 0.6, {{d(2026, 1, 14), -50, {}}}, std::nullopt, {}});
        rp.regimes.push_back({"flat", 0.4, {}, std::nullopt, {}});
        ctx.rate = std::make_shared<const RatePathModel>(rp, ctx.dates);
        ctx.dataCutoff = d(2026, 1, 2);

        spec.factorNames = {"mkt", "d2y"};
        for (const char* name : {"soft_landing", "recession", "hold", "tightening"}) {
            ClassParams c;
            c.name = name;
            c.factorMean = Vector::Constant(1, 0.05);
            c.factorCov = Matrix::Identity(2, 2) * 1e-20;
            c.factorCov(0, 0) = kVar;
            spec.classes.push_back(c);
        }
        for (const char* name : {"EQ", "VAL"}) {
            AssetParams a;
            a.name = name;
            a.beta.assign(4, Vector::Zero(2));
            for (auto& b : a.beta) b[0] = 1.0;
            a.idioSd.assign(4, 0.0);
            a.premium = {0.10, 0.0, 0.04, 0.0};
            spec.assets.push_back(a);
        }
        ValuationInputs in;
        in.pe = 20.0;
        in.fairPe = 16.0;
        in.carry = 0.015;
        in.growth["cut"] = 0.20;
        spec.assets[1].valuation = in;
        spec.valuation.carry = 0.02;
        spec.valuation.growth = 0.06;
        spec.valuation.growthReversion = 3.0;
        spec.valuation.multipleReversion = kKappa;
        spec.curve.start2y = 3.8;
        spec.curve.policyBeta = 0.9;

        config.rateRegimes = {"cut", "flat"};
        config.regimeClass = {"soft_landing", "hold"};
        config.learningDays = 10.0;
        config.dof = 5.0;
    }
};

// The expected log multiple in closed form: ln pe + kappa ln(fair / pe) / 252 * (1 - q^d) /
// (1 - q), q = exp(-kappa / 252) (the geometric sum of the daily re-rating terms).
double expectedMultiple(Index day) {
    const double q = std::exp(-kKappa / 252.0);
    return std::log(20.0) + kKappa * std::log(16.0 / 20.0) / 252.0 *
                                (1.0 - std::pow(q, static_cast<double>(day))) / (1.0 - q);
}

TEST(RegimeValuation, TheMultipleIsTheExpectedPathPlusTheRevertingGap) {
    Fixture f;
    f.ctx.universe.valued = {"VAL"};
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    Path path;
    GeneratorScratch scratch;
    int regimes[2] = {0, 0};
    for (std::uint64_t p = 0; p < 12; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        ++regimes[r];
        ASSERT_EQ(path.valuation.rows(), kDays);
        ASSERT_EQ(path.valuation.cols(), 2);
        const Vector base = f.ctx.rate->base(r);
        const double premium = r == 0 ? 0.10 : 0.04;
        const double growth0 = r == 0 ? 0.20 : 0.06;
        double u = 0.0, earnings = 0.0, maxGap = 0.0;
        EXPECT_DOUBLE_EQ(path.valuation(0, 1), std::log(20.0));
        for (Index day = 0; day < kDays; ++day)
            EXPECT_TRUE(std::isnan(path.valuation(day, 0))) << day;  // EQ: not asked for
        for (Index day = 1; day < kDays; ++day) {
            const double years = static_cast<double>(day - 1) / 252.0;
            const double cash = base[day - 1] / 100.0 / 252.0;
            // Method 1: EQ's return less its expected return is the day's shock e; the gap
            // follows u(d) = u(d-1) - kappa / 252 u(d-1) + e.
            const double shock = std::log(path.prices(day, 0) / path.prices(day - 1, 0)) -
                                 (cash + premium / 252.0 - 0.5 * kVar);
            u += shock - kKappa / 252.0 * u;
            maxGap = std::max(maxGap, std::abs(u));
            EXPECT_NEAR(path.valuation(day, 1), expectedMultiple(day) + u, 1e-12)
                << p << " " << day;
            // Method 2: VAL's price over earnings that compound at the expected return without
            // re-rating (cash, premium less half the variance, carry and growth gaps).
            earnings += cash + premium / 252.0 - 0.5 * kVar +
                        ((0.015 - 0.02) + (growth0 - 0.06) * std::exp(-3.0 * years)) / 252.0;
            EXPECT_NEAR(path.valuation(day, 1),
                        std::log(20.0) + std::log(path.prices(day, 1) / 100.0) - earnings, 1e-10)
                << p << " " << day;
        }
        EXPECT_GT(maxGap, 0.02);  // the shocks are visible in the multiple
    }
    EXPECT_GT(regimes[0], 0);
    EXPECT_GT(regimes[1], 0);
}

TEST(RegimeValuation, AskingForTheMultipleChangesNoPrice) {
    Fixture f;
    const RegimePathGenerator plain(f.spec, f.config, f.ctx);
    f.ctx.universe.valued = {"VAL"};
    const RegimePathGenerator valued(f.spec, f.config, f.ctx);
    Path a, b;
    GeneratorScratch sa, sb;
    for (std::uint64_t p = 0; p < 6; ++p) {
        const int ra = plain.generate(p, a, sa).regime;
        const int rb = valued.generate(p, b, sb).regime;
        EXPECT_EQ(ra, rb);
        EXPECT_TRUE(a.prices == b.prices) << p;  // bit for bit
        EXPECT_TRUE(a.cashRate == b.cashRate) << p;
        ASSERT_EQ(sa.attribution.size(), sb.attribution.size());
        EXPECT_EQ(std::memcmp(sa.attribution.data(), sb.attribution.data(),
                              sizeof(double) * static_cast<std::size_t>(sa.attribution.size())),
                  0)
            << p;                          // bit for bit, NaN included
        EXPECT_EQ(a.valuation.size(), 0);  // not asked for: none
        EXPECT_EQ(b.valuation.rows(), kDays);
    }
}

TEST(RegimeValuation, AnAssetWithoutValuationInputsIsRefused) {
    Fixture f;
    f.ctx.universe.valued = {"EQ"};
    try {
        const RegimePathGenerator gen(f.spec, f.config, f.ctx);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("EQ has no valuation inputs"), std::string::npos)
            << e.what();
    }
    RegimeModelConfig config;
    RegimeAssetInput eq, val;
    eq.name = "EQ";
    val.name = "VAL";
    val.valuation = f.spec.assets[1].valuation;
    config.assets = {eq, val};
    EXPECT_FALSE(config.startMultiple("EQ").has_value());
    EXPECT_DOUBLE_EQ(*config.startMultiple("VAL"), 20.0);
    EXPECT_FALSE(config.startMultiple("SHY").has_value());
}

}  // namespace regime_valuation_test
}  // namespace
}  // namespace rotor
