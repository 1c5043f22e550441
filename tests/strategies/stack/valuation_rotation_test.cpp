// SPDX-License-Identifier: MIT
// The valuation-spread step and the valuation_rotation preset on a hand-made valuation series
// with the z-scores worked out by hand; decisions at t do not read valuations after t; a
// missing valuation series is reported at the user's key; on a forward path of the regime
// model (its simulated multiples after a history) the preset switches where a second
// computation of the z-score says.
#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/regime/regime_generator.hpp"
#include "engine/strategy/algos/valuation.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace valuation_rotation_test {

using Slots = std::vector<Index>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Universe valuedUniverse() {
    Universe u{{"SPY", "IWM", "SHY"}};
    u.valued = {"SPY", "IWM"};
    return u;
}

// Eight days, flat prices. SPY's log multiple is 0 throughout, IWM's is minus the spread
// s = 0, 0, .3, 0, .3, .9, .8, .3 (how much cheaper IWM is). Over a 3-day window:
//   day 2: {0, 0, .3}    mean .1,  deviations -.1 -.1 .2,   sd sqrt(.06/2):  z =  2/sqrt(3)
//   day 3: {0, .3, 0}    mean .1,  deviations -.1 .2 -.1:                    z = -1/sqrt(3)
//   day 4: {.3, 0, .3}   mean .2,  deviations .1 -.2 .1:                     z =  1/sqrt(3)
//   day 5: {0, .3, .9}   mean .4,  deviations -.4 -.1 .5,   sd sqrt(.42/2):  z = .5/sqrt(.21)
//   day 6: {.3, .9, .8}  mean 2/3, deviations -11/30 7/30 4/30, sd sqrt(93)/30: z = 4/sqrt(93)
//   day 7: {.9, .8, .3}  mean 2/3, deviations 7/30 4/30 -11/30:              z = -11/sqrt(93)
// With enter_z 1, exit_z 0: none, none, IWM (1.155 >= 1), SPY (-.577 < 0), SPY (.577 < 1),
// IWM (1.091), IWM (.415 >= 0: held by the hysteresis), SPY (-1.141). Without hysteresis
// (exit_z 1) day 6 is SPY.
Path spreadPath() {
    const std::vector<double> spread{0, 0, .3, 0, .3, .9, .8, .3};
    Path p;
    p.dates = test::weekdays(Date::fromYmd(2024, 1, 8), 8);
    p.prices = PriceMatrix::Constant(8, 3, 100.0);
    p.cashRate = Vector::Zero(8);
    p.valuation = Matrix::Zero(8, 3);
    for (Index d = 0; d < 8; ++d) {
        p.valuation(d, 1) = -spread[static_cast<std::size_t>(d)];
        p.valuation(d, 2) = kNaN;  // SHY has none
    }
    return p;
}

Slots selectOn(const SelectValuationSpread& step, const Path& p, Index t,
               std::vector<double>& memory) {
    const MarketView view(p, t);
    RebalanceContext ctx;
    ctx.view = &view;
    ctx.weights = Vector::Zero(view.assets());
    ctx.memory.swap(memory);
    step.select(ctx);
    ctx.memory.swap(memory);
    return ctx.selected;
}

TEST(ValuationSpread, ZScoreOfTheDiscountOverTheWindow) {
    const Path p = spreadPath();
    const MarketView view(p, 7);
    EXPECT_FALSE(valuationSpreadZ(view, 1, 0, 3, 1).has_value());  // days -1..1: not filled
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 2), 2 / std::sqrt(3.0), 1e-12);
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 3), -1 / std::sqrt(3.0), 1e-12);
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 4), 1 / std::sqrt(3.0), 1e-12);
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 5), 0.5 / std::sqrt(0.21), 1e-12);
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 6), 4 / std::sqrt(93.0), 1e-12);
    EXPECT_NEAR(*valuationSpreadZ(view, 1, 0, 3, 7), -11 / std::sqrt(93.0), 1e-12);
    // Swapping the sides negates the spread and its z-score.
    EXPECT_NEAR(*valuationSpreadZ(view, 0, 1, 3, 7), 11 / std::sqrt(93.0), 1e-12);
    // A missing valuation inside the window: no z-score.
    EXPECT_FALSE(valuationSpreadZ(view, 2, 0, 3, 7).has_value());
}

TEST(ValuationSpread, HysteresisHoldsSmallCapsBetweenThresholds) {
    const Path p = spreadPath();
    const SelectValuationSpread band(1, 0, 3, 1.0, 0.0, 2, 0);
    const SelectValuationSpread plain(1, 0, 3, 1.0, 1.0, 2, 0);
    const std::vector<Slots> expected{{2}, {2}, {1}, {0}, {0}, {1}, {1}, {0}};
    std::vector<double> memory(2, kNaN);
    for (Index t = 0; t < 8; ++t)
        EXPECT_EQ(selectOn(band, p, t, memory), expected[static_cast<std::size_t>(t)]) << t;
    memory.assign(2, kNaN);
    for (Index t = 0; t < 8; ++t)
        EXPECT_EQ(selectOn(plain, p, t, memory),
                  t == 6 ? Slots{0} : expected[static_cast<std::size_t>(t)])
            << t;
    // Days the step did not run are caught up: the state on day 6 is the same from scratch.
    memory.assign(2, kNaN);
    EXPECT_EQ(selectOn(band, p, 6, memory), (Slots{1}));
    memory.assign(2, kNaN);
    EXPECT_EQ(selectOn(band, p, 4, memory), (Slots{0}));
    EXPECT_EQ(selectOn(band, p, 6, memory), (Slots{1}));
    EXPECT_THROW(SelectValuationSpread(1, 0, 3, 0.5, 1.0, 2, 0), Error);
    EXPECT_THROW(SelectValuationSpread(1, 1, 3, 1.0, 0.0, 2, 0), Error);
}

TEST(ValuationRotation, PresetHoldsTheCheapSideWithTheSafeAssetBeforeTheWindow) {
    const auto d = test::runDecisions(
        *test::strategyFromYaml("name: v\ntype: valuation_rotation\nsmall_cap: IWM\n"
                                "large_cap: SPY\nwindow: 3\nenter_z: 1\nexit_z: 0\n"
                                "safe_asset: SHY\nrebalance: daily\n",
                                valuedUniverse()),
        spreadPath());
    // Holdings by day (see spreadPath): SHY, SHY, IWM, SPY, SPY, IWM, IWM (day 7, the path's
    // last, is never traded).
    const std::vector<Index> held{2, 2, 1, 0, 0, 1, 1};
    Index holding = -1;
    for (Index t = 0; t < 7; ++t) {
        const auto& day = d[static_cast<std::size_t>(t)];
        if (day.traded) {
            Vector expected = Vector::Zero(3);
            expected[held[static_cast<std::size_t>(t)]] = 1.0;
            EXPECT_EQ(day.target, expected) << t;
            holding = held[static_cast<std::size_t>(t)];
        }
        EXPECT_EQ(holding, held[static_cast<std::size_t>(t)]) << t;
    }
}

TEST(ValuationRotation, DecisionsDoNotReadLaterValuations) {
    // A random walk of prices and of both log multiples; for each t, valuations after t are
    // scrambled and the decisions up to t must not change.
    Path base = test::randomPath(120, 3, 7);
    base.valuation = Matrix::Zero(120, 3);
    double a = 2.8, b = 3.0;
    for (Index d = 0; d < 120; ++d) {
        a += 0.03 * std::sin(0.7 * static_cast<double>(d)) +
             0.01 * std::cos(0.13 * static_cast<double>(d * d));
        b += 0.02 * std::cos(0.4 * static_cast<double>(d));
        base.valuation(d, 0) = b;
        base.valuation(d, 1) = a;
        base.valuation(d, 2) = kNaN;
    }
    const std::string yaml =
        "name: v\ntype: valuation_rotation\nsmall_cap: IWM\nlarge_cap: SPY\nwindow: 10\n"
        "enter_z: 0.5\nexit_z: -0.5\nsafe_asset: SHY\nrebalance: daily\n";
    const auto reference = test::runDecisions(*test::strategyFromYaml(yaml, valuedUniverse()),
                                              base);
    EXPECT_GE(test::distinctTargets(reference), 3);  // SHY, IWM and SPY all held
    for (Index t = 0; t < 119; t += 7) {
        Path changed = base;
        for (Index d = t + 1; d < 120; ++d) {
            changed.valuation(d, 0) = 5.0 - base.valuation(d, 1);
            changed.valuation(d, 1) = (d % 2 == 0 ? 9.0 : -9.0);
        }
        const auto got = test::runDecisions(*test::strategyFromYaml(yaml, valuedUniverse()),
                                            changed);
        for (Index s = 0; s <= t; ++s) {
            const auto k = static_cast<std::size_t>(s);
            ASSERT_EQ(got[k].traded, reference[k].traded) << t << " " << s;
            if (got[k].traded) {
                EXPECT_EQ(got[k].target, reference[k].target) << t << " " << s;
            }
        }
    }
}

TEST(ValuationRotation, MissingValuationIsReportedAtTheKey) {
    Universe u{{"SPY", "IWM", "SHY"}};
    u.valued = {"SPY"};
    const std::string e = test::yamlError(
        "name: v\ntype: valuation_rotation\nsmall_cap: IWM\nlarge_cap: SPY\n", u);
    EXPECT_EQ(e.rfind("test.yaml:3:12: small_cap: valuation_rotation expands to steps that fail: "
                      "steps[1].small: no valuation series for 'IWM' in this scenario",
                      0),
              0u)
        << e;
    EXPECT_EQ(test::yamlError("name: v\ntype: stack\nsteps:\n  - {step: valuation_spread, small: "
                              "IWM, large: SHY}\n",
                              valuedUniverse())
                  .rfind("test.yaml:4:49: steps[0].large: no valuation series for 'SHY'", 0),
              0u);
    EXPECT_EQ(test::yamlError("name: v\ntype: valuation_rotation\nsmall_cap: IWM\nlarge_cap: SPY\n"
                              "enter_z: 0.5\nexit_z: 1\n",
                              valuedUniverse())
                  .rfind("test.yaml:6:9: exit_z: valuation_rotation expands to steps that fail", 0),
              0u);
}

}  // namespace valuation_rotation_test
}  // namespace
}  // namespace rotor

namespace rotor {
namespace {
namespace valuation_rotation_test {

// A forward path of the regime model carrying SPY's and IWM's simulated multiples (SPY at 22x
// toward 18x, IWM at 15x; IWM loads 1.3 on the market and has its own shocks, so the spread
// moves), after a 40-day history whose multiples end at ln 22 and ln 15 on day 0's eve.
struct ForwardFixture {
    GeneratorContext ctx;
    RegimeModelSpec spec;
    RegimeModelConfig config;
    std::shared_ptr<Path> history = std::make_shared<Path>();

    ForwardFixture() {
        ctx.universe = valuedUniverse();
        ctx.dates = nyseTradingDaysFrom(Date::fromYmd(2026, 1, 2), 160);
        ctx.startPrices = Vector::Constant(3, 100.0);
        ctx.seed = 5;
        RatePathSpec rp;
        rp.start = 4.0;
        rp.regimes.push_back({"base", 1.0, {}, std::nullopt, {}});
        ctx.rate = std::make_shared<const RatePathModel>(rp, ctx.dates);
        ctx.dataCutoff = ctx.dates.front();
        spec.factorNames = {"mkt", "d2y"};
        for (const char* name : {"soft_landing", "recession", "hold", "tightening"}) {
            ClassParams c;
            c.name = name;
            c.factorMean = Vector::Constant(1, 0.05);
            c.factorCov = Matrix::Identity(2, 2) * 1e-8;
            c.factorCov(0, 0) = 0.18 * 0.18 / 252.0;
            spec.classes.push_back(c);
        }
        const double beta[3] = {1.0, 1.3, 0.0};
        const double idio[3] = {0.002, 0.012, 0.0};
        for (int i = 0; i < 3; ++i) {
            AssetParams a;
            a.name = ctx.universe.assets[static_cast<std::size_t>(i)];
            a.beta.assign(4, Vector::Zero(2));
            for (auto& b : a.beta) b[0] = beta[i];
            a.idioSd.assign(4, idio[i]);
            a.premium.assign(4, 0.04);
            spec.assets.push_back(a);
        }
        ValuationInputs spy, iwm;
        spy.pe = 22.0;
        spy.fairPe = 18.0;
        spy.carry = 0.012;
        iwm.pe = 15.0;
        iwm.fairPe = 15.0;
        iwm.carry = 0.013;
        spec.assets[0].valuation = spy;
        spec.assets[1].valuation = iwm;
        spec.assets[2].kind = AssetKind::Bond;
        spec.assets[2].duration = 1.9;
        spec.valuation.multipleReversion = 0.5;
        spec.curve.start2y = 3.8;
        config.rateRegimes = {"base"};
        config.regimeClass = {"hold"};

        const Index h = 40;
        history->dates = nyseTradingDaysFrom(Date::fromYmd(2025, 10, 1), h);
        EXPECT_LT(history->dates.back(), ctx.dates.front());
        history->prices = PriceMatrix::Constant(h, 3, 100.0);
        history->cashRate = Vector::Constant(h, 4.0);
        history->valuation = Matrix::Constant(h, 3, kNaN);
        for (Index k = 0; k < h; ++k) {
            const auto x = static_cast<double>(h - 1 - k);  // 0 on the eve
            history->valuation(k, 0) = std::log(22.0) + 0.04 * std::sin(0.21 * x);
            history->valuation(k, 1) = std::log(15.0) - 0.06 * std::sin(0.17 * x);
        }
    }
};

// The spread's z-score by the one-pass formula (sum and sum of squares), a second method to
// the step's two passes: s = v(SPY) - v(IWM) over days d - window + 1 .. d of history + path.
std::optional<double> handZ(const std::vector<double>& spread, std::size_t at, std::size_t window) {
    if (at + 1 < window) return std::nullopt;
    double sum = 0.0, squares = 0.0;
    for (std::size_t k = at + 1 - window; k <= at; ++k) {
        sum += spread[k];
        squares += spread[k] * spread[k];
    }
    const auto n = static_cast<double>(window);
    const double sd = std::sqrt((squares - sum * sum / n) / (n - 1.0));
    return (spread[at] - sum / n) / sd;
}

TEST(ValuationRotation, OnAForwardPathSwitchesWhereTheHandZScoreSays) {
    const ForwardFixture f;
    const RegimePathGenerator gen(f.spec, f.config, f.ctx);
    const std::string yaml =
        "name: v\ntype: valuation_rotation\nsmall_cap: IWM\nlarge_cap: SPY\nwindow: 30\n"
        "enter_z: 0.5\nexit_z: -0.5\nsafe_asset: SHY\nrebalance: daily\n";
    const std::size_t window = 30, h = 40;
    int switches = 0;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 4; ++p) {
        gen.generate(p, path, scratch);
        path.history = f.history;
        const Index t = path.days();
        // Days -40..-1 then 0..T-1.
        std::vector<double> spread;
        for (Index k = 0; k < static_cast<Index>(h); ++k)
            spread.push_back(f.history->valuation(k, 0) - f.history->valuation(k, 1));
        for (Index d = 0; d < t; ++d) spread.push_back(path.valuation(d, 0) - path.valuation(d, 1));
        // The regime from the first history day on: small from z >= 0.5 until z < -0.5.
        std::vector<Index> held;
        bool small = false;
        for (std::size_t k = 0; k < spread.size(); ++k) {
            const std::optional<double> z = handZ(spread, k, window);
            if (z) {  // no threshold within rounding of a z-score: the comparison is exact
                ASSERT_GT(std::abs(*z - 0.5), 1e-9);
                ASSERT_GT(std::abs(*z + 0.5), 1e-9);
            }
            small = z && (small ? *z >= -0.5 : *z >= 0.5);
            if (k >= h) held.push_back(!z ? 2 : small ? 1 : 0);
        }
        const auto d = test::runDecisions(*test::strategyFromYaml(yaml, valuedUniverse()), path);
        Index holding = -1;
        for (Index day = 0; day + 1 < t; ++day) {
            const auto& decision = d[static_cast<std::size_t>(day)];
            if (decision.traded) {
                Vector expected = Vector::Zero(3);
                expected[held[static_cast<std::size_t>(day)]] = 1.0;
                EXPECT_EQ(decision.target, expected) << p << " " << day;
                holding = held[static_cast<std::size_t>(day)];
            }
            EXPECT_EQ(holding, held[static_cast<std::size_t>(day)]) << p << " " << day;
            if (day > 0 &&
                held[static_cast<std::size_t>(day)] != held[static_cast<std::size_t>(day - 1)])
                ++switches;
        }
    }
    EXPECT_GE(switches, 4);  // the paths move the regime both ways
}

}  // namespace valuation_rotation_test
}  // namespace
}  // namespace rotor
