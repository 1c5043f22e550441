// SPDX-License-Identifier: MIT
// Rate paths: decision dates against hand-checked calendars, targets and the 25 bp grid, priced
// meetings, expected paths by hand, the draw order against a hand-driven stream, YAML errors with
// their locations, and the OU noise, regime and priced draws against closed forms with
// tolerances derived from the sample size.
#include "engine/scenario/rate_path.hpp"

#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace rate_path_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

RatePathSpec parse(const std::string& text) {
    return parseRatePath(loadYamlString(text, "test.yaml").at("rate_path"));
}

// The 2026 FOMC announcement days (second day of each meeting).
const char* kMeetings2026 =
    "  meetings: [2026-01-28, 2026-03-18, 2026-04-29, 2026-06-17, 2026-07-29, 2026-09-16, "
    "2026-10-28, 2026-12-09]\n";

// 1-based line and column of the first occurrence of `needle` in `text`: a second way to find
// where an error must point, independent of yaml-cpp's marks.
using Loc = test::TextLocation;
using test::locate;

// Index of `day` in `days` by linear search (the model uses a binary search).
Index indexOf(const std::vector<Date>& days, Date day) {
    for (std::size_t i = 0; i < days.size(); ++i) {
        if (days[i] == day) return static_cast<Index>(i);
    }
    ADD_FAILURE() << day.iso() << " is not a trading day";
    return -1;
}

// --- Decision dates --------------------------------------------------------------------------

TEST(RatePath, StepsTakeEffectOnTheFirstTradingDayAfterTheDecision) {
    const auto spec = parse(
        "rate_path:\n"
        "  start: 4.0\n"
        "  steps:\n"
        "    - {date: 2026-01-16, bp: -25}\n"    // Friday before Martin Luther King Day (Jan 19)
        "    - {date: 2026-03-20, bp: -25}\n"    // a Friday
        "    - {date: 2026-04-02, bp: 50}\n"     // Thursday before Good Friday (Easter: Apr 5)
        "    - {date: 2026-07-02, bp: -25}\n");  // Thursday before July 3 (July 4 is a Saturday)
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 7, 31));
    const RatePathModel model(spec, days);
    ASSERT_EQ(model.regimes(), 1);

    // Effective days by hand: the next day that is neither a weekend nor a holiday.
    const std::vector<Date> effective = {d(2026, 1, 20), d(2026, 3, 23), d(2026, 4, 6),
                                         d(2026, 7, 6)};
    const auto& moves = model.moves(0);
    ASSERT_EQ(moves.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(moves[i].effective, effective[i]) << i;
        EXPECT_EQ(moves[i].day, indexOf(days, effective[i])) << i;
    }
    // Levels: 4.00 -> 3.75 -> 3.50 -> 4.00 -> 3.75 (all exact in binary).
    const Vector& base = model.base(0);
    ASSERT_EQ(base.size(), static_cast<Index>(days.size()));
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date t = days[i];
        const double expected = t < effective[0]   ? 4.0
                                : t < effective[1] ? 3.75
                                : t < effective[2] ? 3.5
                                : t < effective[3] ? 4.0
                                                   : 3.75;
        EXPECT_EQ(base[static_cast<Index>(i)], expected) << t.iso();
    }
    // The decision days themselves still carry the old level.
    EXPECT_EQ(base[indexOf(days, d(2026, 3, 20))], 3.75);
    EXPECT_EQ(base[indexOf(days, d(2026, 7, 2))], 4.0);
}

TEST(RatePath, HandBuiltCalendarWeekendDecisionAndStartDay) {
    // Any ascending list of days works; here Fri, Mon, Tue, Wed.
    const std::vector<Date> days = {d(2026, 1, 2), d(2026, 1, 5), d(2026, 1, 6), d(2026, 1, 7)};
    const auto spec = parse(
        "rate_path:\n"
        "  start: 2.0\n"
        "  steps: [{date: 2026-01-02, bp: 25}, {date: 2026-01-03, bp: 50}, "
        "{date: 2026-01-06, bp: -25}]\n");
    const RatePathModel model(spec, days);
    // Jan 2 (day 0) and Saturday Jan 3 both take effect Monday (day 1): 2.0 + 0.25 + 0.5 = 2.75;
    // Jan 6 takes effect Jan 7: 2.75 - 0.25 = 2.5 (all exact in binary).
    const Vector& b = model.base(0);
    EXPECT_EQ(b[0], 2.0);
    EXPECT_EQ(b[1], 2.75);
    EXPECT_EQ(b[2], 2.75);
    EXPECT_EQ(b[3], 2.5);
    ASSERT_EQ(model.moves(0).size(), 3u);
    EXPECT_EQ(model.moves(0)[0].day, 1);
    EXPECT_EQ(model.moves(0)[1].day, 1);
    EXPECT_EQ(model.moves(0)[2].day, 3);
}

TEST(RatePath, DecisionsAfterTheHorizonAreDroppedAndBeforeTheStartRefused) {
    const std::vector<Date> days = {d(2026, 1, 5), d(2026, 1, 6), d(2026, 1, 7)};
    // Jan 7 is the last day: a decision on it takes effect after the horizon.
    const auto late = parse(
        "rate_path:\n"
        "  start: 1.5\n"
        "  steps: [{date: 2026-01-06, bp: 25}, {date: 2026-01-07, bp: 25}, "
        "{date: 2027-01-01, bp: 25}]\n");
    const RatePathModel model(late, days);
    EXPECT_EQ(model.moves(0).size(), 1u);
    EXPECT_EQ(model.base(0)[1], 1.5);
    EXPECT_EQ(model.base(0)[2], 1.75);

    const std::string text =
        "rate_path:\n"
        "  start: 1.5\n"
        "  steps: [{date: 2026-01-02, bp: 25}]\n";  // the Friday before day 0
    const auto early = parse(text);
    try {
        RatePathModel m(early, days);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        const Loc loc = locate(text, "{date: 2026-01-02");
        EXPECT_EQ(e.file(), "test.yaml");
        EXPECT_EQ(e.line(), loc.line);
        EXPECT_EQ(e.column(), loc.column);
        EXPECT_EQ(e.key(), "rate_path.steps[0]");
        EXPECT_NE(std::string(e.what()).find("before the start 2026-01-05"), std::string::npos)
            << e.what();
    }
}

TEST(RatePath, SpecsBuiltInCodeReportErrorsWithoutALocation) {
    RatePathSpec spec;
    spec.start = 2.0;
    spec.regimes.push_back(
        {"base", 1.0, {{d(2026, 1, 2), -25, ConfigLocation{}}}, std::nullopt, {}});
    try {
        RatePathModel m(spec, {d(2026, 1, 5), d(2026, 1, 6)});
        FAIL() << "expected an InputError";
    } catch (const ConfigError&) {
        FAIL() << "no YAML, so no location";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("rate_path: decision dated 2026-01-02"),
                  std::string::npos)
            << e.what();
    }
    // The grid holds for specs built in code too: a 10 bp step, a 30 bp target step, a
    // 20 bp priced move and a level 12.5 bp off the grid.
    const std::vector<Date> days = {d(2026, 1, 5), d(2026, 1, 6)};
    const auto refused = [&](const RateRegime& r, const std::string& fragment) {
        RatePathSpec s;
        s.start = 2.0;
        s.meetings = {d(2026, 1, 5)};
        s.regimes = {r};
        try {
            RatePathModel m(s, days);
            ADD_FAILURE() << "expected an InputError for " << fragment;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    };
    refused({"base", 1.0, {{d(2026, 1, 5), 10, ConfigLocation{}}}, std::nullopt, {}},
            "non-zero multiple of 25 bp, found 10");
    RateTarget t;
    t.level = 1.5;
    t.by = d(2026, 1, 5);
    t.stepBp = 30;
    refused({"base", 1.0, {}, t, {}}, "positive multiple of 25 bp, found 30");
    t.stepBp = 25;
    t.level = 1.875;
    refused({"base", 1.0, {}, t, {}}, "1.875 is not reachable from 2 in 25 bp moves");
    refused({"base", 1.0, {}, std::nullopt, {{d(2026, 1, 5), 0.5, 0.0, 20, ConfigLocation{}}}},
            "positive multiple of 25 bp, found 20");
}

// --- Targets ---------------------------------------------------------------------------------

TEST(RatePath, TargetInStepsOf50EndsWithA25bpMove) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  target: {level: 1.875, by: 2026-06-30, step_bp: 50}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31));
    const RatePathModel model(spec, days);
    // 175 bp in moves of 50: -50, -50, -50, -25 at the first four meetings (Wednesdays),
    // effective the Thursdays after.
    const auto& moves = model.moves(0);
    ASSERT_EQ(moves.size(), 4u);
    const std::vector<Date> decision = {d(2026, 1, 28), d(2026, 3, 18), d(2026, 4, 29),
                                        d(2026, 6, 17)};
    const std::vector<Date> effective = {d(2026, 1, 29), d(2026, 3, 19), d(2026, 4, 30),
                                         d(2026, 6, 18)};
    const std::vector<int> bp = {-50, -50, -50, -25};
    const std::vector<double> level = {3.125, 2.625, 2.125, 1.875};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(moves[i].decision, decision[i]);
        EXPECT_EQ(moves[i].effective, effective[i]);
        EXPECT_EQ(moves[i].bp, bp[i]);
        EXPECT_EQ(moves[i].level, level[i]);
    }
    const Vector& b = model.base(0);
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date t = days[i];
        const double expected = t < effective[0]   ? 3.625
                                : t < effective[1] ? 3.125
                                : t < effective[2] ? 2.625
                                : t < effective[3] ? 2.125
                                                   : 1.875;
        EXPECT_EQ(b[static_cast<Index>(i)], expected) << t.iso();
    }
}

TEST(RatePath, TargetWithDecimalNoiseIsOnTheGridAndLandsExactly) {
    // 0.3 -> 2.05 is 175 bp, but (2.05 - 0.3) x 100 is 174.99999999999997 in binary: still on the
    // grid. Moves of 50: +50, +50, +50, +25 at Jan 28, Mar 18, Apr 29, Jun 17.
    EXPECT_NE((2.05 - 0.3) * 100.0, 175.0);
    const auto spec = parse(std::string("rate_path:\n  start: 0.3\n") + kMeetings2026 +
                            "  target: {level: 2.05, by: 2026-12-31, step_bp: 50}\n");
    const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
    const auto& moves = model.moves(0);
    ASSERT_EQ(moves.size(), 4u);
    EXPECT_NEAR(moves[0].level, 0.8, 1e-12);
    EXPECT_NEAR(moves[1].level, 1.3, 1e-12);
    EXPECT_NEAR(moves[2].level, 1.8, 1e-12);
    EXPECT_EQ(moves[3].level, 2.05);  // the target as written
    EXPECT_EQ(moves[3].bp, 25);
    EXPECT_EQ(model.base(0)[model.days() - 1], 2.05);
}

TEST(RatePath, StepLevelsComeFromTheStartInWholeBasisPoints) {
    // +25, +25, +75, -50 from 0.1: 0.1 + 0.75 = 0.85 computed once from the start. Adding the
    // steps one by one in binary would drift to 0.8500000000000001.
    const auto spec = parse(
        "rate_path:\n  start: 0.1\n  steps: [{date: 2026-01-05, bp: 25}, {date: 2026-01-06, "
        "bp: 25}, {date: 2026-01-07, bp: 75}, {date: 2026-01-08, bp: -50}]\n");
    const RatePathModel model(spec, test::calendarDays(d(2026, 1, 5), 5));
    double accumulated = 0.1;
    for (const double bp : {25.0, 25.0, 75.0, -50.0}) accumulated += bp / 100.0;
    EXPECT_NE(accumulated, 0.85);
    EXPECT_EQ(model.base(0)[4], 0.85);
    EXPECT_EQ(model.moves(0)[3].level, 0.85);
    EXPECT_EQ(model.moves(0)[3].bp, -50);
}

TEST(RatePath, TargetMultipleOfTheStepAndTargetAtTheStartMakeNoExtraMove) {
    const std::string head = std::string("rate_path:\n  start: 3.625\n") + kMeetings2026;
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31));
    // 50 bp in moves of 25: exactly two moves, no zero third move.
    const RatePathModel two(parse(head + "  target: {level: 3.125, by: 2026-12-31}\n"), days);
    EXPECT_EQ(two.moves(0).size(), 2u);
    const RatePathModel none(parse(head + "  target: {level: 3.625, by: 2026-01-01}\n"), days);
    EXPECT_TRUE(none.moves(0).empty());
    // Meetings before the start are not used: from Mar 2, the first move is at Mar 18.
    const RatePathModel later(parse(head + "  target: {level: 3.375, by: 2026-12-31}\n"),
                              nyseTradingDays(d(2026, 3, 2), d(2026, 12, 31)));
    ASSERT_EQ(later.moves(0).size(), 1u);
    EXPECT_EQ(later.moves(0)[0].decision, d(2026, 3, 18));
}

TEST(RatePath, TargetWithTooFewMeetingsIsAConfigErrorAtTheTarget) {
    // 3.625 -> 1.875 is 175 bp: 4 moves of 50 (the last 25); only Jan 28, Mar 18, Apr 29 are
    // before Apr 30.
    const std::string text = std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                             "  target: {level: 1.875, by: 2026-04-30, step_bp: 50}\n";
    const auto spec = parse(text);
    try {
        RatePathModel m(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        const Loc loc = locate(text, "{level: 1.875");
        EXPECT_EQ(e.line(), loc.line);
        EXPECT_EQ(e.column(), loc.column);
        EXPECT_EQ(e.key(), "rate_path.target");
        const std::string msg = e.what();
        EXPECT_NE(msg.find("needs 4 meetings, but 3 meetings"), std::string::npos) << msg;
    }
}

// --- Noise, floor and regimes ----------------------------------------------------------------

const char* kRegimes =
    "  regimes:\n"
    "    - {name: cuts_to_3, probability: 0.60, target: {level: 2.875, by: 2026-06-30}}\n"
    "    - {name: hold, probability: 0.25, steps: []}\n"
    "    - {name: emergency_cuts, probability: 0.15, target: {level: 2.125, by: 2026-04-30, "
    "step_bp: 50}}\n";

TEST(RatePath, WithoutNoiseEveryPathIsItsRegimesBase) {
    for (const char* noise : {"", "  noise: {speed: 2.0, volatility: 0.0}\n"}) {
        const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                                "  floor: 0.0\n" + noise + kRegimes);
        const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
        ASSERT_EQ(model.regimes(), 3);
        // The emergency regime by hand: -50 bp at each of the first three meetings.
        EXPECT_EQ(model.base(2)[model.days() - 1], 2.125);
        EXPECT_EQ(model.base(1), Vector::Constant(model.days(), 3.625));
        Vector out(model.days());
        for (std::uint64_t p = 0; p < 50; ++p) {
            Xoshiro256 rng(7, p);
            int regime = -1;
            model.generate(rng, out, &regime);
            ASSERT_GE(regime, 0);
            EXPECT_EQ(out, model.base(regime)) << p;
        }
    }
}

TEST(RatePath, RegimeFrequenciesAndPerPathDeterminism) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  noise: {speed: 2.0, volatility: 0.3}\n" + kRegimes);
    const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 3, 31)));
    EXPECT_EQ(model.regimeName(2), "emergency_cuts");
    const int n = 20000;
    const std::uint64_t seed = 20260128;
    std::vector<int> count(3, 0);
    Vector a(model.days()), b(model.days());
    for (int p = 0; p < n; ++p) {
        // The regime is the path stream's first uniform against 0.60 and 0.60 + 0.25.
        Xoshiro256 probe(seed, static_cast<std::uint64_t>(p));
        const double u = probe.uniform();
        const int expected = u < 0.60 ? 0 : u < 0.85 ? 1 : 2;
        Xoshiro256 rng(seed, static_cast<std::uint64_t>(p));
        int regime = -1;
        model.generate(rng, a, &regime);
        ASSERT_EQ(regime, expected) << p;
        ++count[static_cast<std::size_t>(regime)];
        if (p < 100) {  // same (seed, path) -> the same path, bit for bit
            Xoshiro256 again(seed, static_cast<std::uint64_t>(p));
            int regime2 = -1;
            model.generate(again, b, &regime2);
            EXPECT_EQ(regime2, regime);
            EXPECT_EQ(a, b);
        }
    }
    const double prob[3] = {0.60, 0.25, 0.15};
    for (std::size_t r = 0; r < 3; ++r) {
        const double se = std::sqrt(n * prob[r] * (1.0 - prob[r]));  // binomial count sd
        EXPECT_NEAR(count[r], n * prob[r], 5.0 * se) << r;
    }
}

TEST(RatePath, NoRegimeDrawWithoutRegimes) {
    const auto spec = parse("rate_path:\n  start: 1.0\n  steps: []\n");
    const RatePathModel model(spec, {d(2026, 1, 5), d(2026, 1, 6)});
    Xoshiro256 rng(3, 4), fresh(3, 4);
    Vector out(2);
    int regime = -1;
    model.generate(rng, out, &regime);
    EXPECT_EQ(regime, 0);
    EXPECT_EQ(rng(), fresh());  // no noise and no regimes: nothing drawn
}

TEST(RatePath, OrnsteinUhlenbeckVarianceAndAutocorrelation) {
    const double k = 2.0, s = 0.3, dt = 1.0 / 252.0;
    const auto spec = parse(
        "rate_path:\n  start: 3.0\n  steps: []\n  noise: {speed: 2.0, volatility: 0.3}\n");
    const auto days = nyseTradingDaysFrom(d(2026, 1, 2), 757);  // 3 years
    const RatePathModel model(spec, days);
    const int n = 20000;
    const Index early = 63, late = 755;  // a quarter in; then nearly stationary (e^{-12})
    std::vector<double> xe(n), xl(n), xn(n);
    Vector out(model.days());
    for (int p = 0; p < n; ++p) {
        Xoshiro256 rng(99, static_cast<std::uint64_t>(p));
        model.generate(rng, out);
        EXPECT_EQ(out[0], 3.0);  // x_0 = 0
        const auto i = static_cast<std::size_t>(p);
        xe[i] = out[early] - 3.0;
        xl[i] = out[late] - 3.0;
        xn[i] = out[late + 1] - 3.0;
    }
    // Closed forms: Var x_t = s^2/(2k) (1 - e^{-2k t dt}) (stationary s^2/(2k) = 0.0225) and
    // Corr(x_t, x_{t+1}) = e^{-k dt} sqrt(Var x_t / Var x_{t+1}).
    const auto var = [&](Index t) {
        return s * s / (2.0 * k) * (1.0 - std::exp(-2.0 * k * static_cast<double>(t) * dt));
    };
    const auto moments = [&](const std::vector<double>& x, double& mean, double& v) {
        mean = 0.0;
        for (double e : x) mean += e;
        mean /= n;
        v = 0.0;
        for (double e : x) v += (e - mean) * (e - mean);
        v /= (n - 1);
    };
    double me, ve, ml, vl, mn, vn;
    moments(xe, me, ve);
    moments(xl, ml, vl);
    moments(xn, mn, vn);
    // Sample variance of n normals: standard error sqrt(2 / (n - 1)) * variance.
    const double seRel = std::sqrt(2.0 / (n - 1));
    EXPECT_NEAR(ve, var(early), 5.0 * seRel * var(early));
    EXPECT_NEAR(vl, var(late), 5.0 * seRel * var(late));
    EXPECT_NEAR(vl, s * s / (2.0 * k), 5.0 * seRel * s * s / (2.0 * k));
    EXPECT_NEAR(ml, 0.0, 5.0 * std::sqrt(var(late) / n));
    EXPECT_NEAR(me, 0.0, 5.0 * std::sqrt(var(early) / n));

    double cov = 0.0;
    for (std::size_t i = 0; i < xl.size(); ++i) cov += (xl[i] - ml) * (xn[i] - mn);
    cov /= (n - 1);
    const double corr = cov / std::sqrt(vl * vn);
    const double rho = std::exp(-k * dt) * std::sqrt(var(late) / var(late + 1));
    // Sample correlation of a bivariate normal: standard error (1 - rho^2) / sqrt(n).
    EXPECT_NEAR(corr, rho, 5.0 * (1.0 - rho * rho) / std::sqrt(n));
}

TEST(RatePath, OrnsteinUhlenbeckIsExactEvenForFastReversion) {
    // k dt = 0.5: an Euler scheme would give variance s^2 dt / (1 - (1 - k dt)^2) = 4/3 s^2/(2k)
    // and lag-1 correlation 0.5; the exact scheme keeps s^2/(2k) and e^{-0.5} = 0.6065.
    const double k = 126.0, s = 2.0, dt = 1.0 / 252.0;
    const auto spec = parse(
        "rate_path:\n  start: 0\n  steps: []\n  noise: {speed: 126, volatility: 2}\n");
    const RatePathModel model(spec, nyseTradingDaysFrom(d(2026, 1, 2), 60));
    const int n = 40000;
    const Index t = 50;  // e^{-2 k t dt} = e^{-50}: stationary
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
    Vector out(model.days());
    for (int p = 0; p < n; ++p) {
        Xoshiro256 rng(17, static_cast<std::uint64_t>(p));
        model.generate(rng, out);
        sxx += out[t] * out[t];
        syy += out[t + 1] * out[t + 1];
        sxy += out[t] * out[t + 1];
    }
    // The mean is 0 exactly (x_0 = 0, symmetric shocks), so n degrees of freedom.
    const double var = s * s / (2.0 * k);
    EXPECT_NEAR(sxx / n, var, 5.0 * std::sqrt(2.0 / n) * var);
    const double rho = std::exp(-k * dt);
    EXPECT_NEAR(sxy / std::sqrt(sxx * syy), rho, 5.0 * (1.0 - rho * rho) / std::sqrt(n));
}

TEST(RatePath, ZeroSpeedIsBrownianMotion) {
    const double s = 0.3;
    const auto spec = parse(
        "rate_path:\n  start: 0.0\n  steps: []\n  noise: {speed: 0, volatility: 0.3}\n");
    const RatePathModel model(spec, nyseTradingDaysFrom(d(2026, 1, 2), 253));
    const int n = 20000;
    double sum2 = 0.0;
    Vector out(model.days());
    for (int p = 0; p < n; ++p) {
        Xoshiro256 rng(5, static_cast<std::uint64_t>(p));
        model.generate(rng, out);
        sum2 += out[252] * out[252];
    }
    // After 252 steps of 1/252 year: variance s^2 * 1 = 0.09 (mean known to be 0: n dof).
    const double v = sum2 / n;
    EXPECT_NEAR(v, s * s, 5.0 * std::sqrt(2.0 / n) * s * s);
}

TEST(RatePath, FloorCensorsTheNoisyPath) {
    const std::string body =
        "rate_path:\n  start: 0.25\n  steps: []\n"
        "  noise: {speed: 1.0, volatility: 1.0}\n";
    const auto days = nyseTradingDaysFrom(d(2026, 1, 2), 252);
    const RatePathModel floored(parse(body + "  floor: 0.0\n"), days);
    const RatePathModel free(parse(body), days);
    Vector a(252), b(252);
    int below = 0;
    for (std::uint64_t p = 0; p < 20; ++p) {
        Xoshiro256 r1(11, p), r2(11, p);
        floored.generate(r1, a);
        free.generate(r2, b);
        for (Index t = 0; t < 252; ++t) {
            EXPECT_EQ(a[t], std::max(0.0, b[t]));
            below += b[t] < 0.0;
        }
    }
    EXPECT_GT(below, 0);  // the floor was actually binding somewhere
}

TEST(RatePath, GenerateChecksTheBufferSize) {
    const RatePathModel model(parse("rate_path:\n  start: 1.0\n  steps: []\n"),
                              {d(2026, 1, 5), d(2026, 1, 6)});
    Xoshiro256 rng(1, 1);
    Vector out(3);
    EXPECT_THROW(model.generate(rng, out), Error);
}

// --- Priced meetings and expected paths -----------------------------------------------------

// The example of docs/rate-path.md: a cut priced at 15% in January, 45% (and a 5% hike) in
// March and 50% in April.
const char* kPriced =
    "  priced: {2026-01-28: {cut: 0.15}, 2026-03-18: {cut: 0.45, hike: 0.05}, "
    "2026-04-29: {cut: 0.5, size_bp: 25}}\n";

TEST(RatePath, PricedProbabilitiesZeroAndOneGiveOnePathForAll) {
    // Cut for sure in January, hike 50 bp for sure in March, no move priced in April, cut for
    // sure in June: every path is 3.625, 3.375 (Jan 29), 3.875 (Mar 19), 3.625 (Jun 18).
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  priced: {2026-01-28: {cut: 1}, 2026-03-18: {hike: 1, size_bp: 50}, "
                            "2026-04-29: {cut: 0, hike: 0}, 2026-06-17: {cut: 1.0, hike: 0}}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31));
    const RatePathModel model(spec, days);
    ASSERT_TRUE(model.isPriced(0));
    EXPECT_TRUE(model.moves(0).empty());
    EXPECT_EQ(model.base(0), Vector::Constant(model.days(), 3.625));
    Vector hand(model.days());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date t = days[i];
        hand[static_cast<Index>(i)] = t < d(2026, 1, 29)   ? 3.625
                                      : t < d(2026, 3, 19) ? 3.375
                                      : t < d(2026, 6, 18) ? 3.875
                                                           : 3.625;
    }
    EXPECT_EQ(model.expected(0), hand);
    Vector out(model.days());
    for (std::uint64_t p = 0; p < 200; ++p) {
        Xoshiro256 rng(5, p);
        model.generate(rng, out);
        ASSERT_EQ(out, hand) << p;
    }
}

TEST(RatePath, PricedMeetingsMoveWithTheirProbabilitiesIndependently) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 + kPriced);
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 6, 30));
    const RatePathModel model(spec, days);
    const Index jan = indexOf(days, d(2026, 1, 29)), mar = indexOf(days, d(2026, 3, 19)),
                apr = indexOf(days, d(2026, 4, 30));
    const int n = 20000;
    int janCut = 0, marCut = 0, marHike = 0, aprCut = 0, janAndAprCut = 0;
    double sumEnd = 0.0;
    Vector out(model.days());
    for (int p = 0; p < n; ++p) {
        Xoshiro256 rng(20260128, static_cast<std::uint64_t>(p));
        model.generate(rng, out);
        // No noise: each effective day shows its meeting's move, 0 or +-0.25 exactly.
        const double j = out[jan] - out[jan - 1], m = out[mar] - out[mar - 1],
                     a = out[apr] - out[apr - 1];
        for (const double move : {j, m, a}) ASSERT_TRUE(move == 0.0 || std::abs(move) == 0.25);
        janCut += j < 0.0;
        marCut += m < 0.0;
        marHike += m > 0.0;
        aprCut += a < 0.0;
        janAndAprCut += j < 0.0 && a < 0.0;
        sumEnd += out[model.days() - 1];
    }
    // Each count is binomial(n, q): within 5 standard deviations sqrt(n q (1 - q)) of n q
    // (a chance below 1e-6 each to fail by accident). Independence: both January and April cut
    // with q = 0.15 x 0.5.
    const auto expectCount = [&](int count, double q, const char* what) {
        EXPECT_NEAR(count, n * q, 5.0 * std::sqrt(n * q * (1.0 - q))) << what;
    };
    expectCount(janCut, 0.15, "January cuts");
    expectCount(marCut, 0.45, "March cuts");
    expectCount(marHike, 0.05, "March hikes");
    expectCount(aprCut, 0.5, "April cuts");
    expectCount(janAndAprCut, 0.15 * 0.5, "January and April cuts");
    // The mean end level against its closed form: a meeting moves 0.25 x (hike - cut) on average
    // with variance 0.25^2 x (cut + hike - (hike - cut)^2); the three are independent.
    const double mean = 3.625 + 0.25 * (-0.15 - 0.4 - 0.5);
    const double var = 0.0625 * ((0.15 - 0.0225) + (0.5 - 0.16) + (0.5 - 0.25));
    EXPECT_NEAR(sumEnd / n, mean, 5.0 * std::sqrt(var / n));
    EXPECT_NEAR(model.expected(0)[model.days() - 1], mean, 1e-12);
}

TEST(RatePath, ExpectedPathsByHand) {
    // Three regimes: the priced example (50%), hold (30%), and a target of 3.125 in two 25 bp
    // moves at the January and March meetings (20%).
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  regimes:\n"
                            "    - name: market_priced\n"
                            "      probability: 0.5\n    " +
                            kPriced +
                            "    - {name: hold, probability: 0.3, steps: []}\n"
                            "    - {name: cuts, probability: 0.2, target: {level: 3.125, "
                            "by: 2026-12-31}}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31));
    const RatePathModel model(spec, days);
    ASSERT_EQ(model.regimes(), 3);
    EXPECT_TRUE(model.isPriced(0));
    EXPECT_FALSE(model.isPriced(2));
    // Priced, by hand: 3.625; from Jan 29 -0.15 x 25 bp -> 3.5875; from Mar 19 another
    // (0.05 - 0.45) x 25 bp -> 3.4875; from Apr 30 another -0.5 x 25 bp -> 3.3625.
    // Mixture, by hand: 0.5 x priced + 0.3 x 3.625 + 0.2 x (3.625, 3.375, 3.125, 3.125).
    const Vector mixture = model.expectedMixture();
    ASSERT_EQ(mixture.size(), model.days());
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date t = days[i];
        const auto k = static_cast<Index>(i);
        const double priced = t < d(2026, 1, 29)   ? 3.625
                              : t < d(2026, 3, 19) ? 3.5875
                              : t < d(2026, 4, 30) ? 3.4875
                                                   : 3.3625;
        const double mix = t < d(2026, 1, 29)   ? 3.625
                           : t < d(2026, 3, 19) ? 3.55625
                           : t < d(2026, 4, 30) ? 3.45625
                                                : 3.39375;
        EXPECT_NEAR(model.expected(0)[k], priced, 1e-12) << t.iso();
        EXPECT_NEAR(mixture[k], mix, 1e-12) << t.iso();
    }
    // Deterministic regimes: the expected path is the base path.
    EXPECT_EQ(model.expected(1), model.base(1));
    EXPECT_EQ(model.expected(2), model.base(2));
    EXPECT_EQ(model.expected(2)[model.days() - 1], 3.125);
    EXPECT_THROW(model.expected(3), Error);
}

TEST(RatePath, DrawOrderIsRegimeThenPricedMeetingsThenNoise) {
    // Market regime (60%): priced January, March and December meetings; the December one takes
    // effect after the last day (Jun 30) but is drawn all the same. Target regime (25%) and hold
    // (15%): the regime uniform, then the noise, as before priced meetings existed.
    const double k = 2.0, s = 0.3, dt = 1.0 / 252.0;
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  noise: {speed: 2.0, volatility: 0.3}\n"
                            "  regimes:\n"
                            "    - {name: market, probability: 0.6, priced: {2026-01-28: "
                            "{cut: 0.5}, 2026-03-18: {cut: 0.3, hike: 0.3, size_bp: 50}, "
                            "2026-12-09: {cut: 0.5}}}\n"
                            "    - {name: cuts, probability: 0.25, target: {level: 3.125, "
                            "by: 2026-12-31}}\n"
                            "    - {name: hold, probability: 0.15, steps: []}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 6, 30));
    const RatePathModel model(spec, days);
    const Index jan = indexOf(days, d(2026, 1, 29)), mar = indexOf(days, d(2026, 3, 19));
    const NormalZiggurat& normal = NormalZiggurat::instance();
    const double decay = std::exp(-k * dt);
    const double sd = s * std::sqrt((1.0 - std::exp(-2.0 * k * dt)) / (2.0 * k));
    std::vector<int> seen(3, 0);
    Vector out(model.days());
    for (std::uint64_t p = 0; p < 300; ++p) {
        Xoshiro256 hand(11, p);
        const double u = hand.uniform();
        const int regime = u < 0.6 ? 0 : u < 0.85 ? 1 : 2;
        double janMove = 0.0, marMove = 0.0;
        if (regime == 0) {
            const double u1 = hand.uniform(), u2 = hand.uniform();
            hand.uniform();  // December: drawn, not in the horizon
            janMove = u1 < 0.5 ? -0.25 : 0.0;
            marMove = u2 < 0.3 ? -0.5 : u2 < 0.6 ? 0.5 : 0.0;
        } else if (regime == 1) {
            janMove = -0.25;
            marMove = -0.25;
        }
        Xoshiro256 rng(11, p);
        int got = -1;
        model.generate(rng, out, &got);
        ASSERT_EQ(got, regime) << p;
        ++seen[static_cast<std::size_t>(regime)];
        double x = 0.0;
        for (Index t = 0; t < model.days(); ++t) {
            if (t > 0) x = x * decay + sd * normal(hand);
            const double level = 3.625 + (t >= jan ? janMove : 0.0) + (t >= mar ? marMove : 0.0);
            ASSERT_NEAR(out[t], level + x, 1e-12) << p << " day " << t;
        }
        EXPECT_EQ(rng(), hand()) << p;  // both streams are at the same place
    }
    for (const int c : seen) EXPECT_GT(c, 20);  // every regime was exercised
}

TEST(RatePath, PricedBlockWithoutRegimesDrawsNoRegimeUniform) {
    // Without `regimes:` the first uniform of the stream is the first priced meeting's.
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  priced: {2026-01-28: {cut: 0.5}}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 2, 27));
    const RatePathModel model(spec, days);
    Vector out(model.days());
    for (std::uint64_t p = 0; p < 100; ++p) {
        Xoshiro256 hand(3, p), rng(3, p);
        const double end = hand.uniform() < 0.5 ? 3.375 : 3.625;
        model.generate(rng, out);
        EXPECT_EQ(out[model.days() - 1], end) << p;
        EXPECT_EQ(rng(), hand()) << p;
    }
}

TEST(RatePath, PricedMeetingBeforeTheStartIsAConfigErrorAtItsEntry) {
    const std::string text = std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 + kPriced;
    const auto spec = parse(text);
    const ConfigError e = test::configErrorOf(
        [&] { RatePathModel m(spec, nyseTradingDays(d(2026, 2, 2), d(2026, 6, 30))); });
    const Loc loc = locate(text, "{cut: 0.15}");
    EXPECT_EQ(e.line(), loc.line);
    EXPECT_EQ(e.column(), loc.column);
    EXPECT_EQ(e.key(), "rate_path.priced.2026-01-28");
    EXPECT_NE(std::string(e.what()).find("decision dated 2026-01-28 is before the start "
                                         "2026-02-02"),
              std::string::npos)
        << e.what();
}

// --- YAML round trip and provenance ----------------------------------------------------------

TEST(RatePath, YamlRoundTripKeepsEverything) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  noise: {speed: 2.0, volatility: 0.3}\n  floor: 0.5\n" + kRegimes);
    // The written block is itself a rate_path map.
    const auto again = parseRatePath(loadYamlString(ratePathYaml(spec), "resolved.yaml"));
    EXPECT_EQ(again.start, 3.625);
    EXPECT_EQ(again.meetings, spec.meetings);
    ASSERT_TRUE(again.noise && again.floor);
    EXPECT_EQ(again.noise->speed, 2.0);
    EXPECT_EQ(again.noise->volatility, 0.3);
    EXPECT_EQ(*again.floor, 0.5);
    EXPECT_TRUE(again.drawsRegime);
    ASSERT_EQ(again.regimes.size(), 3u);
    EXPECT_EQ(again.regimes[0].name, "cuts_to_3");
    EXPECT_EQ(again.regimes[1].probability, 0.25);
    EXPECT_TRUE(again.regimes[1].steps.empty());
    ASSERT_TRUE(again.regimes[2].target);
    EXPECT_EQ(again.regimes[2].target->stepBp, 50);
    EXPECT_EQ(again.regimes[0].target->stepBp, 25);  // the default, written out
    EXPECT_EQ(again.regimes[0].target->by, d(2026, 6, 30));

    const auto steps = parse(
        "rate_path:\n  start: 5.33\n"
        "  steps: [{date: 2026-03-18, bp: -25}, {date: 2026-06-17, bp: 75.0}]\n");
    const auto y = ratePathYaml(steps);
    const auto back = parseRatePath(loadYamlString(y, "resolved.yaml"));
    EXPECT_FALSE(back.drawsRegime);
    ASSERT_EQ(back.regimes.size(), 1u);
    ASSERT_EQ(back.regimes[0].steps.size(), 2u);
    EXPECT_EQ(back.start, 5.33);
    EXPECT_EQ(back.regimes[0].steps[0].bp, -25);
    EXPECT_EQ(back.regimes[0].steps[1].bp, 75);
    EXPECT_EQ(back.regimes[0].steps[1].date, d(2026, 6, 17));

    const auto priced = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                              "  priced: {2026-01-28: {cut: 0.15}, 2026-03-18: {cut: 0.45, "
                              "hike: 0.05}, 2026-04-29: {hike: 0.5, size_bp: 50}}\n");
    const auto p = parseRatePath(loadYamlString(ratePathYaml(priced), "resolved.yaml"));
    ASSERT_EQ(p.regimes.size(), 1u);
    ASSERT_EQ(p.regimes[0].priced.size(), 3u);
    EXPECT_TRUE(p.regimes[0].steps.empty());
    EXPECT_FALSE(p.regimes[0].target);
    const auto& m = p.regimes[0].priced;
    EXPECT_EQ(m[0].date, d(2026, 1, 28));
    EXPECT_EQ(m[0].cut, 0.15);
    EXPECT_EQ(m[0].hike, 0.0);
    EXPECT_EQ(m[0].sizeBp, 25);  // the default, written out
    EXPECT_EQ(m[1].cut, 0.45);
    EXPECT_EQ(m[1].hike, 0.05);
    EXPECT_EQ(m[2].date, d(2026, 4, 29));
    EXPECT_EQ(m[2].hike, 0.5);
    EXPECT_EQ(m[2].sizeBp, 50);
}

TEST(RatePath, DescribeListsTheResolvedMoves) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  target: {level: 2.875, by: 2026-06-30}\n");
    const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
    const YAML::Node y = YAML::Load(model.describe());
    const YAML::Node last = y["regimes"][0]["moves"][2];
    EXPECT_EQ(y["regimes"][0]["name"].as<std::string>(), "base");
    EXPECT_EQ(last["decision"].as<std::string>(), "2026-04-29");
    EXPECT_EQ(last["effective"].as<std::string>(), "2026-04-30");
    EXPECT_EQ(last["bp"].as<double>(), -25.0);
    EXPECT_EQ(last["level"].as<double>(), 2.875);
    EXPECT_FALSE(y["regimes"][0]["priced"]);

    // A priced regime lists its meetings within the horizon (Dec 9 takes effect Dec 10, after
    // the last day Jun 30) and its expected level at the end: 3.625 - 0.15 x 0.25 = 3.5875.
    const auto priced = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                              "  priced: {2026-01-28: {cut: 0.15}, 2026-12-09: {hike: 1}}\n");
    const RatePathModel pm(priced, nyseTradingDays(d(2026, 1, 2), d(2026, 6, 30)));
    const YAML::Node py = YAML::Load(pm.describe());
    const YAML::Node meetings = py["regimes"][0]["priced"];
    ASSERT_EQ(meetings.size(), 1u);
    EXPECT_EQ(meetings[0]["decision"].as<std::string>(), "2026-01-28");
    EXPECT_EQ(meetings[0]["effective"].as<std::string>(), "2026-01-29");
    EXPECT_EQ(meetings[0]["cut"].as<double>(), 0.15);
    EXPECT_EQ(meetings[0]["size_bp"].as<int>(), 25);
    EXPECT_DOUBLE_EQ(py["regimes"][0]["expected_end"].as<double>(), 3.5875);
}

// --- YAML errors -----------------------------------------------------------------------------

struct BadYaml {
    const char* what;
    std::string text;
    std::string at;       // the text the error must point at (its first occurrence)
    std::string key;      // the key path in the error
    std::string message;  // a fragment of the message
};

TEST(RatePath, YamlErrorsNameFileLineColumnAndKey) {
    const std::string m = kMeetings2026;
    const std::vector<BadYaml> cases = {
        {"unknown key", "rate_path:\n  start: 3\n  steps: []\n  stepz: []\n", "stepz",
         "rate_path.stepz", "unknown key 'stepz'"},
        {"missing start", "rate_path:\n  steps: []\n", "steps", "rate_path",
         "missing required key 'start'"},
        {"no policy", "rate_path:\n  start: 3\n", "start", "rate_path",
         "missing 'steps', 'target', 'priced' or 'regimes'"},
        {"not a map", "rate_path: 3\n", "3", "rate_path", "expected a map"},
        {"bad date", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-30, bp: -25}]\n",
         "2026-02-30", "rate_path.steps[0].date", "expected a date YYYY-MM-DD"},
        {"bad number", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bp: lots}]\n", "lots",
         "rate_path.steps[0].bp", "expected a number"},
        {"steps out of order",
         "rate_path:\n  start: 3\n  steps: [{date: 2026-06-17, bp: -25}, "
         "{date: 2026-03-18, bp: -25}]\n",
         "2026-03-18", "rate_path.steps[1].date", "strictly ascending"},
        {"step not a map", "rate_path:\n  start: 3\n  steps: [-25]\n", "-25", "rate_path.steps[0]",
         "expected a step"},
        {"step unknown key", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bps: 5}]\n",
         "bps", "rate_path.steps[0].bps", "unknown key 'bps'"},
        {"meetings out of order",
         "rate_path:\n  start: 3\n  meetings: [2026-03-18, 2026-01-28]\n  steps: []\n",
         "2026-01-28", "rate_path.meetings[1]", "strictly ascending"},
        {"steps and target",
         "rate_path:\n  start: 3\n" + m + "  steps: []\n  target: {level: 2, by: 2026-12-31}\n",
         "target", "rate_path.target",
         "give one of 'steps', 'target' or 'priced', not 'steps' and 'target'"},
        {"target without meetings",
         "rate_path:\n  start: 3\n  target: {level: 2, by: 2026-12-31}\n", "{level",
         "rate_path.target", "give 'meetings'"},
        {"zero step",
         "rate_path:\n  start: 3\n" + m + "  target: {level: 2, by: 2026-12-31, step_bp: 0}\n",
         "0}", "rate_path.target.step_bp", "positive"},
        {"negative volatility",
         "rate_path:\n  start: 3\n  steps: []\n  noise: {speed: 1, volatility: -0.1}\n", "-0.1",
         "rate_path.noise.volatility", "expected a number in [0, 100], found -0.1"},
        {"noise missing speed", "rate_path:\n  start: 3\n  steps: []\n  noise: {volatility: 1}\n",
         "{volatility", "rate_path.noise", "missing required key 'speed'"},
        {"start below floor", "rate_path:\n  start: 0.5\n  steps: []\n  floor: 1\n", "0.5",
         "rate_path.start", "below the floor"},
        {"step below floor",
         "rate_path:\n  start: 0.5\n  floor: 0\n  steps: [{date: 2026-02-03, bp: -25}, "
         "{date: 2026-03-03, bp: -50}]\n",
         "{date: 2026-03-03", "rate_path.steps[1]", "takes the rate to -0.25, below the floor 0"},
        {"target below floor",
         "rate_path:\n  start: 3\n  floor: 2.5\n" + m + "  target: {level: 2, by: 2026-12-31}\n",
         "2, by", "rate_path.target.level", "below the floor"},
        {"regimes and steps", "rate_path:\n  start: 3\n  steps: []\n" + std::string(kRegimes),
         "steps", "rate_path.steps", "exclude each other"},
        {"probabilities do not sum to 1",
         "rate_path:\n  start: 3\n  regimes:\n    - {name: a, probability: 0.6, steps: []}\n"
         "    - {name: b, probability: 0.3, steps: []}\n",
         "- {name: a", "rate_path.regimes", "sum to 0.9"},
        {"zero probability",
         "rate_path:\n  start: 3\n  regimes:\n    - {name: a, probability: 1, steps: []}\n"
         "    - {name: b, probability: 0, steps: []}\n",
         "0, steps", "rate_path.regimes[1].probability", "expected a probability in (0, 1]"},
        {"duplicate regime",
         "rate_path:\n  start: 3\n  regimes:\n    - {name: a, probability: 0.4, steps: []}\n"
         "    - {name: a, probability: 0.6, steps: []}\n",
         "a, probability: 0.6", "rate_path.regimes[1].name", "duplicate regime name 'a'"},
        {"regime without policy",
         "rate_path:\n  start: 3\n  regimes:\n    - {name: a, probability: 1}\n", "{name: a",
         "rate_path.regimes[0]", "missing 'steps', 'target' or 'priced' for this regime"},
        {"empty regimes", "rate_path:\n  start: 3\n  regimes: []\n", "[]", "rate_path.regimes",
         "at least one regime"},
        // The 25 bp grid.
        {"step off the grid", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bp: 12.5}]\n",
         "12.5", "rate_path.steps[0].bp", "a policy move is a multiple of 25 bp, found 12.5"},
        {"zero step move", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bp: 0}]\n", "0}",
         "rate_path.steps[0].bp", "a policy move is a non-zero multiple of 25 bp, found 0"},
        {"target step off the grid",
         "rate_path:\n  start: 3\n" + m + "  target: {level: 2, by: 2026-12-31, step_bp: 30}\n",
         "30}", "rate_path.target.step_bp", "a policy move is a multiple of 25 bp, found 30"},
        {"target level off the grid",
         "rate_path:\n  start: 3.625\n" + m + "  target: {level: 3.0, by: 2026-12-31}\n", "3.0,",
         "rate_path.target.level",
         "3.0 is not reachable from 3.625 in 25 bp moves; the nearest levels are 2.875 and "
         "3.125"},
        {"target level off the grid upwards",
         "rate_path:\n  start: 3.625\n" + m +
             "  regimes:\n    - {name: up, probability: 1, target: {level: 4, by: 2026-12-31}}\n",
         "4, by", "rate_path.regimes[0].target.level",
         "4 is not reachable from 3.625 in 25 bp moves; the nearest levels are 3.875 and 4.125"},
        // Priced meetings.
        {"priced date not a meeting",
         "rate_path:\n  start: 3\n" + m +
             "  priced: {2026-01-28: {cut: 0.2}, 2026-02-18: {cut: 0.2}}\n",
         "2026-02-18", "rate_path.priced.2026-02-18", "2026-02-18 is not one of the meetings"},
        {"priced out of order",
         "rate_path:\n  start: 3\n" + m +
             "  priced: {2026-03-18: {cut: 0.2}, 2026-01-28: {cut: 0.2}}\n",
         "2026-01-28: {", "rate_path.priced.2026-01-28",
         "strictly ascending date order: 2026-01-28 does not follow 2026-03-18"},
        {"priced key not a date",
         "rate_path:\n  start: 3\n" + m + "  priced: {march: {cut: 0.2}}\n", "march",
         "rate_path.priced.march", "expected a meeting date YYYY-MM-DD, found 'march'"},
        {"priced without meetings", "rate_path:\n  start: 3\n  priced: {2026-01-28: {cut: 0.2}}\n",
         "{2026", "rate_path.priced", "give 'meetings'"},
        {"priced empty", "rate_path:\n  start: 3\n" + m + "  priced: {}\n", "{}",
         "rate_path.priced", "at least one meeting"},
        {"priced entry not a map", "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: 0.2}\n",
         "0.2", "rate_path.priced.2026-01-28", "expected {cut"},
        {"priced unknown key",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cuts: 0.2}}\n", "cuts",
         "rate_path.priced.2026-01-28.cuts", "unknown key 'cuts' (allowed: cut, hike, size_bp)"},
        {"priced probability above 1",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cut: 1.5}}\n", "1.5",
         "rate_path.priced.2026-01-28.cut", "expected a probability in [0, 1], found 1.5"},
        {"priced negative probability",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {hike: -0.1}}\n", "-0.1",
         "rate_path.priced.2026-01-28.hike", "expected a probability in [0, 1], found -0.1"},
        {"priced cut and hike above 1",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cut: 0.6, hike: 0.5}}\n",
         "{cut: 0.6", "rate_path.priced.2026-01-28", "cut 0.6 and hike 0.5 add up to 1.1"},
        {"priced size off the grid",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cut: 0.5, size_bp: 10}}\n",
         "10}", "rate_path.priced.2026-01-28.size_bp",
         "a policy move is a multiple of 25 bp, found 10"},
        {"priced negative size",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cut: 0.5, size_bp: -25}}\n",
         "-25", "rate_path.priced.2026-01-28.size_bp", "expected a positive move in bp"},
        {"priced and target",
         "rate_path:\n  start: 3\n" + m +
             "  target: {level: 2, by: 2026-12-31}\n  priced: {2026-01-28: {cut: 0.5}}\n",
         "priced", "rate_path.priced",
         "give one of 'steps', 'target' or 'priced', not 'target' and 'priced'"},
        {"regimes and priced",
         "rate_path:\n  start: 3\n" + m + "  priced: {2026-01-28: {cut: 0.5}}\n" + kRegimes,
         "priced", "rate_path.priced", "exclude each other"},
        {"priced below floor",
         "rate_path:\n  start: 0.375\n  floor: 0\n" + m +
             "  priced: {2026-01-28: {cut: 0.1}, 2026-03-18: {hike: 0.9}, "
             "2026-04-29: {cut: 0.1, size_bp: 50}}\n",
         "{cut: 0.1, size", "rate_path.priced.2026-04-29",
         "if every priced cut happens, this meeting takes the rate to -0.375, below the floor 0"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        try {
            parse(c.text);
            ADD_FAILURE() << "expected a ConfigError";
        } catch (const ConfigError& e) {
            const Loc loc = locate(c.text, c.at);
            EXPECT_EQ(e.file(), "test.yaml");
            EXPECT_EQ(e.line(), loc.line) << e.what();
            EXPECT_EQ(e.column(), loc.column) << e.what();
            EXPECT_EQ(e.key(), c.key);
            EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
        }
    }
}

// --- Given levels ----------------------------------------------------------------------------

TEST(RatePath, GivenLevelsAreThePathAndItsExpectationAndDrawNothing) {
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 1, 8));  // 5 trading days
    RatePathSpec spec;
    spec.start = 4.33;
    RateRegime r;
    r.name = "realised";
    r.levels = {4.33, 4.33, 4.31, 4.08, 3.64};  // off the 25 bp grid, as DFF is
    spec.regimes.push_back(r);
    const RatePathModel model(spec, days);
    ASSERT_EQ(model.days(), 5);
    for (Index t = 0; t < 5; ++t) {
        EXPECT_EQ(model.base(0)[t], r.levels[static_cast<std::size_t>(t)]);
        EXPECT_EQ(model.expected(0)[t], r.levels[static_cast<std::size_t>(t)]);
    }
    EXPECT_TRUE(model.moves(0).empty());
    EXPECT_FALSE(model.isPriced(0));
    // No regime draw, no noise: the stream is untouched.
    Xoshiro256 rng(3, 0), same(3, 0);
    Vector out(5);
    model.generate(rng, out);
    for (Index t = 0; t < 5; ++t) EXPECT_EQ(out[t], r.levels[static_cast<std::size_t>(t)]);
    EXPECT_EQ(rng.uniform(), same.uniform());
    EXPECT_NE(model.describe().find("given_levels: {days: 5, end: 3.64}"), std::string::npos)
        << model.describe();

    // The levels must cover the horizon, start at the start and come alone.
    RatePathSpec shortSpec = spec;
    shortSpec.regimes[0].levels.pop_back();
    EXPECT_THROW(RatePathModel(shortSpec, days), Error);
    RatePathSpec offStart = spec;
    offStart.start = 4.5;
    EXPECT_THROW(RatePathModel(offStart, days), Error);
    RatePathSpec withSteps = spec;
    withSteps.regimes[0].steps.push_back({d(2026, 1, 5), -25, {}});
    EXPECT_THROW(RatePathModel(withSteps, days), Error);
    // It has no YAML form.
    EXPECT_THROW((void)ratePathYaml(spec), Error);
}

}  // namespace rate_path_test
}  // namespace
}  // namespace rotor
