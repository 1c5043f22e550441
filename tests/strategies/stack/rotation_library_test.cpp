// SPDX-License-Identifier: MIT
// The rotation library (named stacks): each preset's weights on a hand-made path, worked out by
// hand, its expansion into steps, and bad values reported at the user's key.
#include "strategies/register_builtin.hpp"
#include "strategies/stack/named_stack.hpp"
#include "tests/strategies/strategy_test_support.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace rotation_library_test {

const Universe kUniverse{{"SPY", "QQQ", "IWM", "SHY"}};

std::vector<Date> days(int n) { return test::weekdays(Date::fromYmd(2024, 1, 8), n); }

// Six days (the last, never traded, repeats day 4). SPY alternates +2% / -2%, QQQ +1% / -1%,
// IWM falls 1% a day, SHY is flat. On day 4 the 4-day returns rank QQQ
// (1.01^2 x .99^2 - 1 = -.0002) before SPY (-.0008) before IWM (-.0394).
Path alternating() {
    std::vector<std::vector<double>> rows{{100, 100, 100, 100}};
    for (int d = 1; d < 5; ++d) {
        const auto& prev = rows.back();
        const double sign = d % 2 == 1 ? 1.0 : -1.0;
        rows.push_back(
            {prev[0] * (1 + 0.02 * sign), prev[1] * (1 + 0.01 * sign), prev[2] * 0.99, 100});
    }
    rows.push_back(rows.back());
    Path p;
    p.dates = days(6);
    p.prices.resize(6, 4);
    for (Index d = 0; d < 6; ++d)
        for (Index a = 0; a < 4; ++a)
            p.prices(d, a) = rows[static_cast<std::size_t>(d)][static_cast<std::size_t>(a)];
    p.cashRate = Vector::Constant(6, 0.0);
    return p;
}

std::vector<test::Decision> run(const std::string& yaml, const Path& p,
                                const Universe& u = kUniverse) {
    return test::runDecisions(*test::strategyFromYaml(yaml, u), p);
}

TEST(RotationLibrary, RiskParityRotationSplitsTheTopTwoByInverseVolatility) {
    // Top 2 by 4-day return: QQQ and SPY. Their daily returns over days 1..4 are +-x with mean
    // 0, so the sample volatilities are x sqrt(4/3): .02 and .01 times the same factor. For two
    // assets risk parity gives w_SPY = s_QQQ / (s_SPY + s_QQQ) = 1/3, whatever the correlation.
    const auto d = run(
        "name: rp\ntype: risk_parity_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 4\n"
        "vol_lookback: 4\nrebalance: daily\n",
        alternating());
    ASSERT_TRUE(d[4].traded);
    EXPECT_NEAR(d[4].target(0), 1.0 / 3, 1e-12);
    EXPECT_NEAR(d[4].target(1), 2.0 / 3, 1e-12);
    EXPECT_EQ(d[4].target(2), 0.0);
    // Before the lookback is filled the selection is the fallback (cash): nothing held.
    EXPECT_EQ(d[3].target.sum(), 0.0);
}

TEST(RotationLibrary, VolTargetRotationScalesThePickToTheTarget) {
    // The pick is QQQ (k = 1). Its returns +-.01 over 4 days: sample variance 4 x 1e-4 / 3,
    // annualised volatility sqrt(252 x 4e-4 / 3) = .18330; a 10% target holds .1 / .18330.
    const std::string yaml =
        "name: vt\ntype: vol_target_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 4\n"
        "vol_lookback: 4\ntarget: 0.1\nrebalance: daily\n";
    const auto d = run(yaml, alternating());
    const double sigma = std::sqrt(252 * 4e-4 / 3);
    EXPECT_NEAR(d[4].target(1), 0.1 / sigma, 1e-12);
    EXPECT_NEAR(d[4].target.sum(), 0.1 / sigma, 1e-12);
    // 25% needs 1.364x: allowed with max_leverage 1.5; 30% needs 1.637x: capped at 1.5.
    const auto lev = run(yaml + "max_leverage: 1.5\n", alternating());
    EXPECT_NEAR(lev[4].target(1), 0.1 / sigma, 1e-12);
    const std::string big =
        "name: vt\ntype: vol_target_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 4\n"
        "vol_lookback: 4\nmax_leverage: 1.5\nrebalance: daily\n";
    EXPECT_NEAR(run(big + "target: 0.25\n", alternating())[4].target(1), 0.25 / sigma, 1e-12);
    EXPECT_NEAR(run(big + "target: 0.3\n", alternating())[4].target(1), 1.5, 1e-12);
}

TEST(RotationLibrary, RatesAwareRotationMovesToSmallCapsWithHysteresis) {
    // Lookback 2, enter 20bp, exit 5bp: the regime of SelectRateRegimeBand's hand-worked table
    // (score_steps_test.cpp): easing on days 2, 3, 6, 7.
    Path p = test::makePath(days(8),
                            {{1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1},
                             {1, 1, 1, 1}},
                            {5.0, 4.75, 4.75, 4.70, 4.80, 4.90, 4.60, 4.60});
    const auto d = run(
        "name: ra\ntype: rates_aware_rotation\nsmall_caps: [IWM]\nlarge_caps: [SPY, QQQ]\n"
        "lookback: 2\nenter_bp: 20\nexit_bp: 5\nsafe_asset: SHY\nrebalance: daily\n",
        p);
    const std::vector<std::vector<double>> expected{
        {0, 0, 0, 1},     {0, 0, 0, 1},     {0, 0, 1, 0}, {0, 0, 1, 0},
        {0.5, 0.5, 0, 0}, {0.5, 0.5, 0, 0}, {0, 0, 1, 0}};  // day 7 is the last: never traded
    for (std::size_t t = 0; t < expected.size(); ++t) {
        ASSERT_TRUE(d[t].traded) << t;
        for (Index a = 0; a < 4; ++a)
            EXPECT_EQ(d[t].target(a), expected[t][static_cast<std::size_t>(a)]) << t;
    }
}

TEST(RotationLibrary, QualityTiltWeighsTheSleevesByRiskAdjustedMomentum) {
    // Lookback 3 on day 3. Quality 100 110 99 108.9: return .089, returns +.1 -.1 +.1, sample
    // variance 1/75. Speculative 100 105 94.5 103.95: return .0395, returns .05 -.1 .1, mean
    // 1/60, deviations 2/60 -7/60 5/60, sample variance (78/3600)/2 = 39/3600.
    const Universe u{{"IWM_QUALITY", "IWM_SPEC", "SHY"}};
    const Path p = test::makePath(days(5),
                                  {{100, 100, 100},
                                   {110, 105, 100},
                                   {99, 94.5, 100},
                                   {108.9, 103.95, 100},
                                   {108.9, 103.95, 100}},
                                  {0, 0, 0, 0, 0});
    const auto d = run(
        "name: qt\ntype: quality_tilt\nquality: IWM_QUALITY\nspeculative: IWM_SPEC\n"
        "lookback: 3\nsafe_asset: SHY\nrebalance: daily\n",
        p, u);
    const double q = 0.089 / std::sqrt(252.0 / 75);
    const double s = 0.0395 / std::sqrt(252.0 * 39 / 3600);
    EXPECT_NEAR(d[3].target(0), q / (q + s), 1e-12);
    EXPECT_NEAR(d[3].target(1), s / (q + s), 1e-12);
    EXPECT_EQ(d[3].target(2), 0.0);
    // Before day 3: the safe asset.
    EXPECT_EQ(d[2].target(2), 1.0);
}

TEST(RotationLibrary, ExpandsToItsStack) {
    const ConfigNode spec = loadYamlString(
        "name: rp\ntype: risk_parity_rotation\nassets: [SPY, IWM]\nsafe_asset: SHY\n", "t.yaml");
    const auto& r = strategies::builtinRegistry();
    ASSERT_TRUE(r.contains("risk_parity_rotation"));
    // The preset decides exactly as the stack written out by hand.
    const Path path = test::randomPath(300, 4, 12u);
    const auto a = test::runDecisions(*r.create("rp", spec, kUniverse), path);
    const auto b = run(
        "name: s\ntype: stack\nsafe_asset: SHY\nsteps:\n  - monthly\n"
        "  - {step: select_assets, assets: [SPY, IWM]}\n"
        "  - {step: top_momentum, lookback: 126, skip: 0, k: 2}\n"
        "  - {step: risk_parity, lookback: 63}\n",
        path);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t) {
        ASSERT_EQ(a[t].traded, b[t].traded) << t;
        if (a[t].traded) {
            ASSERT_TRUE(a[t].target == b[t].target) << t;
        }
    }
    EXPECT_GE(test::distinctTargets(a), 3);
}

// `rebalance` takes every form the presets take: {every_days} and a drift band become the
// same schedule steps as written out by hand, and every_days: 3 trades on days 0, 3, 6, ...
TEST(RotationLibrary, RebalanceTakesEveryScheduleForm) {
    const Path path = test::randomPath(300, 4, 7u);
    const auto everyThird = run(
        "name: vt\ntype: vol_target_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 20\n"
        "vol_lookback: 20\nrebalance: {every_days: 3}\n",
        path);
    const std::vector<Index> traded = test::tradedDays(everyThird);
    ASSERT_FALSE(traded.empty());
    for (std::size_t k = 0; k < traded.size(); ++k)
        EXPECT_EQ(traded[k], static_cast<Index>(3 * k)) << k;
    EXPECT_EQ(traded.size(), static_cast<std::size_t>((path.days() - 1) / 3 + 1));

    const auto banded = run(
        "name: rp\ntype: risk_parity_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 20\n"
        "vol_lookback: 20\nrebalance: {every: weekly, band: 0.02}\n",
        path);
    const auto stack = run(
        "name: s\ntype: stack\nsteps:\n  - weekly\n  - {step: drift_band, band: 0.02}\n"
        "  - {step: select_assets, assets: [SPY, QQQ, IWM]}\n"
        "  - {step: top_momentum, lookback: 20, skip: 0, k: 2}\n"
        "  - {step: risk_parity, lookback: 20}\n",
        path);
    ASSERT_EQ(banded.size(), stack.size());
    for (std::size_t t = 0; t < banded.size(); ++t) {
        ASSERT_EQ(banded[t].traded, stack[t].traded) << t;
        if (banded[t].traded) {
            ASSERT_TRUE(banded[t].target == stack[t].target) << t;
        }
    }
    // The band adds trades (OR): every weekly day still trades, and days between them too
    // once a weight drifts more than 2 points from its target.
    const auto weekly = run(
        "name: rp\ntype: risk_parity_rotation\nassets: [SPY, QQQ, IWM]\nlookback: 20\n"
        "vol_lookback: 20\nrebalance: weekly\n",
        path);
    const std::vector<Index> bandDays = test::tradedDays(banded);
    for (Index d : test::tradedDays(weekly))
        EXPECT_NE(std::find(bandDays.begin(), bandDays.end(), d), bandDays.end()) << d;
    EXPECT_GT(bandDays.size(), test::tradedDays(weekly).size());
}

TEST(RotationLibrary, BadValuesAreReportedAtTheUsersKey) {
    // Range checks at the key.
    EXPECT_EQ(test::yamlError("name: x\ntype: risk_parity_rotation\nassets: [SPY]\nlookback: 0\n",
                              kUniverse),
              "test.yaml:4:11: lookback: expected an integer in [1, 100000], found 0");
    EXPECT_EQ(test::yamlError("name: x\ntype: vol_target_rotation\nassets: [SPY]\nrebalance: "
                              "hourly\n",
                              kUniverse),
              "test.yaml:4:12: rebalance: unknown rebalance period 'hourly' (expected never, "
              "daily, weekly, monthly, quarterly or yearly)");
    // Checks only the stack can make, reported at the value's key: exit above enter, the same
    // sleeve twice.
    const std::string ra = test::yamlError(
        "name: x\ntype: rates_aware_rotation\nsmall_caps: IWM\nlarge_caps: SPY\nexit_bp: 30\n",
        kUniverse);
    EXPECT_EQ(ra.rfind("test.yaml:5:10: exit_bp: rates_aware_rotation expands to steps that fail: "
                       "steps[1].exit_bp: expected a number in [0, 25], found 30",
                       0),
              0u)
        << ra;
    const std::string qt = test::yamlError(
        "name: x\ntype: quality_tilt\nquality: IWM\nspeculative: IWM\n", kUniverse);
    EXPECT_EQ(qt.rfind("test.yaml:4:14: speculative: quality_tilt expands to steps that fail", 0),
              0u)
        << qt;
    EXPECT_NE(test::yamlError("name: x\ntype: quality_tilt\nquality: IWM\nspeculativ: SPY\n",
                              kUniverse)
                  .find("unknown key 'speculativ'"),
              std::string::npos);
}

}  // namespace rotation_library_test
}  // namespace
}  // namespace rotor
