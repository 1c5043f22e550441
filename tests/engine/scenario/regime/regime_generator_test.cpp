// SPDX-License-Identifier: MIT
// The regime path generator on hand-built parameters: with (almost) no shocks every price is a
// closed form written out here — equities at cash + class premium + valuation, bonds at their
// expected yield's carry minus duration times its change, the yield following the market's
// learning of the regime — and so are the expectation table, the attribution and the views.
#include "engine/scenario/regime/regime_generator.hpp"

#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace regime_generator_test {

constexpr double kTiny = 1e-20;  // factor variance: positive definite, no visible noise

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// Two rate regimes on 40 NYSE days from 2026-01-02: "cut" (-50 bp decided 2026-01-14, so
// effective the next trading day) mapped to soft_landing, "flat" mapped to hold.
struct Fixture {
    GeneratorContext ctx;
    RegimeModelSpec spec;
    RegimeModelConfig config;
    std::vector<Vector> base;  // the two policy paths

    explicit Fixture(int days = 40) {
        ctx.universe.assets = {"EQ", "VAL", "BD"};
        ctx.dates = nyseTradingDaysFrom(d(2026, 1, 2), static_cast<std::size_t>(days));
        ctx.startPrices = Vector::Constant(3, 100.0);
        ctx.seed = 7;
        RatePathSpec rp;
        rp.start = 4.0;
        rp.drawsRegime = true;
        rp.regimes.push_back({"cut", 0.6, {{d(2026, 1, 14), -50, {}}}, std::nullopt, {}});
        rp.regimes.push_back({"flat", 0.4, {}, std::nullopt, {}});
        ctx.rate = std::make_shared<const RatePathModel>(rp, ctx.dates);
        ctx.dataCutoff = d(2026, 1, 2);
        for (int r = 0; r < 2; ++r) base.push_back(ctx.rate->base(r));

        spec.factorNames = {"mkt", "d2y"};
        for (const char* name : {"soft_landing", "recession", "hold", "tightening"}) {
            ClassParams c;
            c.name = name;
            c.factorMean = Vector::Constant(1, 0.05);
            c.factorCov = Matrix::Identity(2, 2) * kTiny;
            spec.classes.push_back(c);
        }
        const auto equity = [](const std::string& name, double premiumSoft, double premiumHold) {
            AssetParams a;
            a.name = name;
            a.beta.assign(4, Vector::Zero(2));
            a.idioSd.assign(4, 0.0);
            a.premium = {premiumSoft, 0.0, premiumHold, 0.0};
            return a;
        };
        spec.assets.push_back(equity("EQ", 0.10, 0.04));
        AssetParams val = equity("VAL", 0.10, 0.04);
        ValuationInputs in;
        in.pe = 20.0;
        in.fairPe = 16.0;
        in.carry = 0.015;
        in.growth["cut"] = 0.20;
        val.valuation = in;
        spec.assets.push_back(val);
        AssetParams bond = equity("BD", 0.0, 0.0);
        bond.kind = AssetKind::Bond;
        bond.duration = 2.0;
        spec.assets.push_back(bond);
        spec.valuation.carry = 0.02;
        spec.valuation.growth = 0.06;
        spec.valuation.growthReversion = 3.0;
        spec.valuation.multipleReversion = 0.1;
        spec.curve.start2y = 3.8;
        spec.curve.policyBeta = 0.9;

        config.rateRegimes = {"cut", "flat"};
        config.regimeClass = {"soft_landing", "hold"};
        config.learningDays = 10.0;
    }

    // The market's expected average policy rate over the next 252 days, per regime and day,
    // and the 2-year yield it implies: written out here, independently of the generator.
    std::vector<double> yield(int regime) const {
        const Index t = static_cast<Index>(ctx.dates.size());
        std::vector<double> a[2];
        for (int r = 0; r < 2; ++r)
            for (Index day = 0; day < t; ++day) {
                double s = 0.0;
                for (Index j = day + 1; j <= day + 252; ++j)
                    s += base[static_cast<std::size_t>(r)][std::min(j, t - 1)];
                a[r].push_back(s / 252.0);
            }
        std::vector<double> y;
        double e0 = 0.0;
        for (Index day = 0; day < t; ++day) {
            const auto k = static_cast<std::size_t>(day);
            const double mix = 0.6 * a[0][k] + 0.4 * a[1][k];
            const double w = 1.0 - std::exp(-static_cast<double>(day) / 10.0);
            const double e = w * a[regime][k] + (1.0 - w) * mix;
            if (day == 0) e0 = e;
            y.push_back(3.8 + 0.9 * (e - e0));
        }
        return y;
    }
};

TEST(RegimeGenerator, PricesWithoutShocksAreClosedForms) {
    Fixture f;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    const Index t = 40;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 8; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        const Vector& rate = f.base[static_cast<std::size_t>(r)];
        const double premium = r == 0 ? 0.10 : 0.04;
        const std::vector<double> y = f.yield(r);
        double eq = 0.0, val = 0.0, bd = 0.0;
        for (Index day = 1; day < t; ++day) {
            const double years = static_cast<double>(day - 1) / 252.0;
            const double cash = rate[day - 1] / 100.0 / 252.0;
            eq += cash + premium / 252.0;
            // Valuation: carry gap + kappa ln(fair/pe) exp(-kappa t) + growth view gap exp(-lambda
            // t).
            const double growth0 = r == 0 ? 0.20 : 0.06;  // no view in "flat": normal growth
            const double v = (0.015 - 0.02) + 0.1 * std::log(16.0 / 20.0) * std::exp(-0.1 * years) +
                             (growth0 - 0.06) * std::exp(-3.0 * years);
            val += cash + (premium + v) / 252.0;
            const auto k = static_cast<std::size_t>(day);
            bd += y[k - 1] / 100.0 / 252.0 - 2.0 * (y[k] - y[k - 1]) / 100.0;
            EXPECT_NEAR(std::log(path.prices(day, 0) / 100.0), eq, 1e-9) << p << " " << day;
            EXPECT_NEAR(std::log(path.prices(day, 1) / 100.0), val, 1e-9) << p << " " << day;
            EXPECT_NEAR(std::log(path.prices(day, 2) / 100.0), bd, 1e-9) << p << " " << day;
        }
        // The attribution: bonds' carry and rate effect add up to the whole return.
        const Vector& at = scratch.attribution;
        ASSERT_EQ(at.size(), 12);
        EXPECT_TRUE(std::isnan(at[0]) && std::isnan(at[1]));  // EQ: no valuation inputs
        EXPECT_NEAR(at[2] + at[3], eq, 1e-9);
        EXPECT_NEAR(at[4], 0.015 * 39.0 / 252.0, 1e-12);  // VAL's carry
        EXPECT_NEAR(at[4] + at[5] + at[6] + at[7], val, 1e-9);
        EXPECT_NEAR(at[11], -2.0 * (y[39] - y[0]) / 100.0, 1e-9);  // BD's rate effect
        EXPECT_NEAR(at[8] + at[10] + at[11], bd, 1e-9);
    }
}

TEST(RegimeGenerator, ExpectationsStateEveryAssetPerRegime) {
    Fixture f;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    const auto e = gen.expectations();
    ASSERT_EQ(e.size(), 6u);  // 2 regimes x 3 assets, regime-major
    for (int r = 0; r < 2; ++r) {
        const Vector& rate = f.base[static_cast<std::size_t>(r)];
        double cash = 0.0;
        for (Index day = 0; day < 39; ++day) cash += rate[day] / 100.0;
        cash /= 39.0;
        const AssetExpectation& eq = e[static_cast<std::size_t>(3 * r)];
        EXPECT_EQ(eq.asset, "EQ");
        EXPECT_EQ(eq.regime, r == 0 ? "cut" : "flat");
        EXPECT_DOUBLE_EQ(eq.probability, r == 0 ? 0.6 : 0.4);
        EXPECT_EQ(eq.source, "calibrated");
        EXPECT_NEAR(eq.cash, cash, 1e-15);
        EXPECT_NEAR(eq.expectedReturn, cash + (r == 0 ? 0.10 : 0.04), 1e-15);
        const AssetExpectation& bd = e[static_cast<std::size_t>(3 * r + 2)];
        EXPECT_EQ(bd.source, "equilibrium");
        const std::vector<double> y = f.yield(r);
        double carry = 0.0;
        for (std::size_t k = 1; k < 40; ++k) carry += y[k - 1] / 100.0 / 252.0;
        const double years = 39.0 / 252.0;
        EXPECT_NEAR(bd.expectedReturn, (carry - 2.0 * (y[39] - y[0]) / 100.0) / years, 1e-6);
    }
    // Tiny volatility and a positive premium: the scenario's Sharpe ratios are far above 1.
    const auto w = gen.warnings();
    ASSERT_EQ(w.size(), 2u);  // EQ and VAL (BD's excess return is not positive enough? see below)
    EXPECT_NE(w[0].find("EQ: implied Sharpe ratio"), std::string::npos) << w[0];
}

TEST(RegimeGenerator, ViewsReplaceTheModelsExpectation) {
    Fixture f;
    RegimeView eqView;
    eqView.expectedReturn = 0.07;
    f.config.views["all"]["EQ"] = eqView;
    RegimeView bondView;
    bondView.expectedReturn = 0.05;
    bondView.includesRateEffect = true;
    f.config.views["cut"]["BD"] = bondView;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 6; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        // EQ: ln(1 + 7%) a year, whatever the cash rate.
        EXPECT_NEAR(std::log(path.prices(39, 0) / 100.0), std::log1p(0.07) * 39.0 / 252.0, 1e-9);
        if (r == 0) {  // BD in "cut": the whole return is the view
            EXPECT_NEAR(std::log(path.prices(39, 2) / 100.0), std::log1p(0.05) * 39.0 / 252.0,
                        1e-9);
        }
    }
    const auto e = gen.expectations();
    EXPECT_EQ(e[0].source, "view");
    EXPECT_NEAR(e[0].expectedReturn, std::log1p(0.07), 1e-15);
    EXPECT_EQ(e[2].source, "view");
    EXPECT_EQ(e[5].source, "equilibrium");  // BD in "flat": no view
}

}  // namespace regime_generator_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace regime_generator_test {

// Class switching: a "cut" path is soft_landing for its first 252 return days, then what
// followed soft landings in history (here: hold, with certainty), then the monthly chain (here:
// staying). Equity EQ's drift is cash + the premium of the day's class.
TEST(RegimeGenerator, AnEasingClassEndsAfterItsYearAndTheChainTakesOver) {
    const Index t = 300;
    Fixture f(static_cast<int>(t));
    f.spec.classMonthly = Matrix::Identity(4, 4);
    f.spec.classAfter = Matrix::Zero(4, 4);
    f.spec.classAfter(0, 2) = 1.0;  // soft_landing -> hold
    f.spec.classAfter(1, 2) = 1.0;
    f.spec.classAfter(2, 3) = 1.0;  // hold -> tightening: not used (hold switches monthly)
    f.spec.classAfter(3, 2) = 1.0;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    Path path;
    GeneratorScratch scratch;
    int seen[2] = {0, 0};
    for (std::uint64_t p = 0; p < 10; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        ++seen[r];
        const Vector& rate = f.base[static_cast<std::size_t>(r)];
        double eq = 0.0;
        for (Index day = 1; day < t; ++day) {
            const double premium = r == 1 ? 0.04 : (day <= 252 ? 0.10 : 0.04);
            eq += rate[day - 1] / 100.0 / 252.0 + premium / 252.0;
            EXPECT_NEAR(std::log(path.prices(day, 0) / 100.0), eq, 1e-9) << p << " " << day;
        }
    }
    EXPECT_GT(seen[0], 0);
    EXPECT_GT(seen[1], 0);
    // The expectation: the premium averaged over the path's days in each class.
    const auto e = gen.expectations();
    EXPECT_NEAR(e[0].premium, (252.0 * 0.10 + 47.0 * 0.04) / 299.0, 1e-15);
    EXPECT_NEAR(e[3].premium, 0.04, 1e-15);

    // Without switching the class is kept throughout.
    f.config.switchAfterDays.reset();
    const RegimePathGenerator kept(f.spec, f.config, f.ctx);
    EXPECT_NEAR(kept.expectations()[0].premium, 0.10, 1e-15);
}

// drawOnly (the Monte Carlo floor of bench/) makes generate()'s draws and no others: after
// each path the stream is in the same state, with every optional draw switched on (a priced
// regime's meetings, the rate noise, stress months, class switching, Student-t's chi-square)
// and off. A missing or extra draw of any kind would shift every later output.
TEST(RegimeGenerator, DrawOnlyEndsTheStreamWhereGenerateDoes) {
    const Index t = 120;
    for (const bool all : {false, true}) {
        Fixture f(static_cast<int>(t));
        if (all) {
            RatePathSpec rp;
            rp.start = 4.0;
            rp.drawsRegime = true;
            rp.meetings = {d(2026, 1, 28), d(2026, 3, 18), d(2026, 4, 29)};
            RateRegime priced{"cut", 0.6, {}, std::nullopt, {}};
            for (const Date m : rp.meetings) priced.priced.push_back({m, 0.5, 0.1, 25, {}});
            rp.regimes.push_back(priced);
            rp.regimes.push_back({"flat", 0.4, {}, std::nullopt, {}});
            rp.noise = RateNoise{0.5, 0.8};
            f.ctx.rate = std::make_shared<const RatePathModel>(rp, f.ctx.dates);
            for (ClassParams& c : f.spec.classes) c.factorCov = Matrix::Identity(2, 2) * 1e-4;
            for (AssetParams& a : f.spec.assets) a.idioSd.assign(4, 0.01);
            f.spec.stress = {true, 0.08, 0.12, -0.1, 0.3, 0.1, 0.3, 120, 0.0};
            f.spec.classMonthly = Matrix::Constant(4, 4, 0.25);
            f.spec.classAfter = f.spec.classMonthly;
            f.config.switchAfterDays = 21;
            f.config.dof = 5.0;
        }
        const RegimePathGenerator gen(f.spec, f.config, f.ctx);
        Path path;
        GeneratorScratch scratch;
        for (std::uint64_t p = 0; p < 50; ++p) {
            Xoshiro256 end(0, 0);
            ASSERT_TRUE(gen.drawOnly(p, &end).has_value());
            gen.generate(p, path, scratch);
            for (int k = 0; k < 4; ++k) ASSERT_EQ(end(), scratch.stream()) << all << " " << p;
        }
    }
}

// The monthly chain: from hold, stay with 0.7 or move to tightening with 0.3; from tightening
// back to hold with 0.6. The class of each month is read off EQ's daily return (premium 0.04 in
// hold, -0.08 in tightening) and the transition frequencies must match within 4 standard errors.
TEST(RegimeGenerator, TheMonthlyChainSwitchesWithItsProbabilities) {
    const Index t = 1 + 21 * 13;
    Fixture f(static_cast<int>(t));
    f.spec.assets[0].premium = {0.10, 0.0, 0.04, -0.08};
    f.spec.classMonthly = Matrix::Identity(4, 4);
    f.spec.classMonthly(2, 2) = 0.7;
    f.spec.classMonthly(2, 3) = 0.3;
    f.spec.classMonthly(3, 3) = 0.4;
    f.spec.classMonthly(3, 2) = 0.6;
    f.spec.classAfter = f.spec.classMonthly;
    f.config.switchAfterDays = 21;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    Path path;
    GeneratorScratch scratch;
    double count[2][2] = {{0, 0}, {0, 0}};
    for (std::uint64_t p = 0; p < 3000; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        if (r != 1) continue;  // "flat" starts in hold
        const Vector& rate = f.base[1];
        int previous = -1;
        for (Index day = 1; day < t; ++day) {
            const double excess = (std::log(path.prices(day, 0) / path.prices(day - 1, 0)) -
                                   rate[day - 1] / 100.0 / 252.0) *
                                  252.0;
            const int cls = std::abs(excess - 0.04) < 1e-9 ? 0 : 1;  // 0 hold, 1 tightening
            ASSERT_TRUE(cls == 0 || std::abs(excess + 0.08) < 1e-9) << excess;
            if (day <= 21) {
                ASSERT_EQ(cls, 0);  // kept for its first 21 days
            }
            // The class may change only on the first day of each later 21-day month.
            if (previous >= 0 && (day - 1) % 21 != 0) {
                ASSERT_EQ(cls, previous) << day;
            }
            if (previous >= 0 && (day - 1) % 21 == 0) count[previous][cls] += 1.0;
            previous = cls;
        }
    }
    const double want[2][2] = {{0.7, 0.3}, {0.6, 0.4}};
    for (int i = 0; i < 2; ++i) {
        const double n = count[i][0] + count[i][1];
        ASSERT_GT(n, 500.0);
        const double share = count[i][1] / n;
        EXPECT_NEAR(share, want[i][1], 4.0 * std::sqrt(want[i][1] * want[i][0] / n)) << i;
    }
}

// The valuation channel's feedback: EQ and VAL load alike on one market factor (16% a year),
// so their daily shocks are the same; VAL's gap to its expected multiple reverts at kappa,
// u(t) = u(t-1) + e(t) - kappa / 252 u(t-1), which the path must follow to rounding.
TEST(RegimeGenerator, APriceShockMovesTheMultipleWhichReverts) {
    Fixture f;
    const double var = 0.16 * 0.16 / 252.0;
    for (auto& c : f.spec.classes) c.factorCov(0, 0) = var;
    for (int a = 0; a < 2; ++a)
        for (auto& b : f.spec.assets[static_cast<std::size_t>(a)].beta) b[0] = 1.0;
    f.spec.valuation.multipleReversion = 2.0;  // fast, so the effect is visible in 40 days
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 4; ++p) {
        const int r = gen.generate(p, path, scratch).regime;
        const Vector& rate = f.base[static_cast<std::size_t>(r)];
        const double premium = r == 0 ? 0.10 : 0.04;
        double u = 0.0, maxGap = 0.0;
        for (Index day = 1; day < 40; ++day) {
            const double years = static_cast<double>(day - 1) / 252.0;
            const double cash = rate[day - 1] / 100.0 / 252.0;
            const double growth0 = r == 0 ? 0.20 : 0.06;
            const double v = (0.015 - 0.02) + 2.0 * std::log(16.0 / 20.0) * std::exp(-2.0 * years) +
                             (growth0 - 0.06) * std::exp(-3.0 * years);
            const double eqMean = cash + premium / 252.0 - 0.5 * var;
            const double valMean = cash + (premium + v) / 252.0 - 0.5 * var;
            const double shock = std::log(path.prices(day, 0) / path.prices(day - 1, 0)) - eqMean;
            const double deviation = shock - 2.0 / 252.0 * u;
            u += deviation;
            maxGap = std::max(maxGap, std::abs(u));
            EXPECT_NEAR(std::log(path.prices(day, 1) / path.prices(day - 1, 1)) - valMean,
                        deviation, 1e-12)
                << p << " " << day;
        }
        EXPECT_GT(maxGap, 0.01);  // the shocks are visible
    }
}

}  // namespace regime_generator_test
}  // namespace
}  // namespace rotor
