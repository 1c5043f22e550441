// SPDX-License-Identifier: MIT
// Rate paths: decision dates against hand-checked calendars, targets with the truncated last
// move, YAML errors with their locations, and the OU noise and regime draws against closed
// forms with tolerances derived from the sample size.
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
        "    - {date: 2026-01-16, bp: -25}\n"  // Friday before Martin Luther King Day (Jan 19)
        "    - {date: 2026-03-20, bp: -25}\n"  // a Friday
        "    - {date: 2026-04-02, bp: 50}\n"   // Thursday before Good Friday (Easter: Apr 5)
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
        "  steps: [{date: 2026-01-02, bp: 10}, {date: 2026-01-03, bp: 20}, "
        "{date: 2026-01-06, bp: -5}]\n");
    const RatePathModel model(spec, days);
    // Jan 2 (day 0) and Saturday Jan 3 both take effect Monday (day 1): 2.0 + 0.1 + 0.2 = 2.3;
    // Jan 6 takes effect Jan 7: 2.3 - 0.05 = 2.25.
    const Vector& b = model.base(0);
    EXPECT_EQ(b[0], 2.0);
    EXPECT_NEAR(b[1], 2.3, 1e-12);
    EXPECT_NEAR(b[2], 2.3, 1e-12);
    EXPECT_NEAR(b[3], 2.25, 1e-12);
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
    spec.regimes.push_back({"base", 1.0, {{d(2026, 1, 2), -25.0, ConfigLocation{}}}, std::nullopt});
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
}

// --- Targets ---------------------------------------------------------------------------------

TEST(RatePath, TargetLandsExactlyWithATruncatedLastMove) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  target: {level: 3.0, by: 2026-06-30}\n");
    const auto days = nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31));
    const RatePathModel model(spec, days);
    // 62.5 bp in moves of 25: -25, -25, -12.5 at the first three meetings (Wednesdays),
    // effective the Thursdays after.
    const auto& moves = model.moves(0);
    ASSERT_EQ(moves.size(), 3u);
    const std::vector<Date> decision = {d(2026, 1, 28), d(2026, 3, 18), d(2026, 4, 29)};
    const std::vector<Date> effective = {d(2026, 1, 29), d(2026, 3, 19), d(2026, 4, 30)};
    const std::vector<double> bp = {-25.0, -25.0, -12.5};
    const std::vector<double> level = {3.375, 3.125, 3.0};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(moves[i].decision, decision[i]);
        EXPECT_EQ(moves[i].effective, effective[i]);
        EXPECT_EQ(moves[i].bp, bp[i]);
        EXPECT_EQ(moves[i].level, level[i]);
    }
    const Vector& b = model.base(0);
    for (std::size_t i = 0; i < days.size(); ++i) {
        const Date t = days[i];
        const double expected = t < effective[0]   ? 3.625
                                : t < effective[1] ? 3.375
                                : t < effective[2] ? 3.125
                                                   : 3.0;
        EXPECT_EQ(b[static_cast<Index>(i)], expected) << t.iso();
    }
}

TEST(RatePath, TargetUpwardsWithInexactDecimalsStillLandsExactly) {
    // 4.33 -> 5.0 is 67 bp: +25, +25, +17, at Jan 28, Mar 18, Apr 29.
    const auto spec = parse(std::string("rate_path:\n  start: 4.33\n") + kMeetings2026 +
                            "  target: {level: 5.0, by: 2026-12-31}\n");
    const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
    const auto& moves = model.moves(0);
    ASSERT_EQ(moves.size(), 3u);
    EXPECT_NEAR(moves[0].level, 4.58, 1e-12);
    EXPECT_NEAR(moves[1].level, 4.83, 1e-12);
    EXPECT_EQ(moves[2].level, 5.0);
    EXPECT_NEAR(moves[2].bp, 17.0, 1e-9);
    EXPECT_EQ(model.base(0)[model.days() - 1], 5.0);
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
    // 3.625 -> 2.0 is 162.5 bp: 4 moves of 50; only Jan 28, Mar 18, Apr 29 are before Apr 30.
    const std::string text = std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                             "  target: {level: 2.0, by: 2026-04-30, step_bp: 50}\n";
    const auto spec = parse(text);
    try {
        RatePathModel m(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        const Loc loc = locate(text, "{level: 2.0");
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
    "    - {name: cuts_to_3, probability: 0.60, target: {level: 3.0, by: 2026-06-30}}\n"
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
    const std::string body = "rate_path:\n  start: 0.25\n  steps: []\n"
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
    EXPECT_EQ(again.regimes[2].target->stepBp, 50.0);
    EXPECT_EQ(again.regimes[0].target->stepBp, 25.0);  // the default, written out
    EXPECT_EQ(again.regimes[0].target->by, d(2026, 6, 30));

    const auto steps = parse(
        "rate_path:\n  start: 5.33\n"
        "  steps: [{date: 2026-03-18, bp: -12.5}, {date: 2026-06-17, bp: 7}]\n");
    const auto y = ratePathYaml(steps);
    const auto back = parseRatePath(loadYamlString(y, "resolved.yaml"));
    EXPECT_FALSE(back.drawsRegime);
    ASSERT_EQ(back.regimes.size(), 1u);
    ASSERT_EQ(back.regimes[0].steps.size(), 2u);
    EXPECT_EQ(back.start, 5.33);
    EXPECT_EQ(back.regimes[0].steps[0].bp, -12.5);
    EXPECT_EQ(back.regimes[0].steps[1].date, d(2026, 6, 17));
}

TEST(RatePath, DescribeListsTheResolvedMoves) {
    const auto spec = parse(std::string("rate_path:\n  start: 3.625\n") + kMeetings2026 +
                            "  target: {level: 3.0, by: 2026-06-30}\n");
    const RatePathModel model(spec, nyseTradingDays(d(2026, 1, 2), d(2026, 12, 31)));
    const YAML::Node y = YAML::Load(model.describe());
    const YAML::Node last = y["regimes"][0]["moves"][2];
    EXPECT_EQ(y["regimes"][0]["name"].as<std::string>(), "base");
    EXPECT_EQ(last["decision"].as<std::string>(), "2026-04-29");
    EXPECT_EQ(last["effective"].as<std::string>(), "2026-04-30");
    EXPECT_EQ(last["bp"].as<double>(), -12.5);
    EXPECT_EQ(last["level"].as<double>(), 3.0);
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
         "missing 'steps', 'target' or 'regimes'"},
        {"not a map", "rate_path: 3\n", "3", "rate_path", "expected a map"},
        {"bad date", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-30, bp: -25}]\n",
         "2026-02-30", "rate_path.steps[0].date", "expected a date YYYY-MM-DD"},
        {"bad number", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bp: lots}]\n",
         "lots", "rate_path.steps[0].bp", "expected a number"},
        {"steps out of order",
         "rate_path:\n  start: 3\n  steps: [{date: 2026-06-17, bp: -25}, "
         "{date: 2026-03-18, bp: -25}]\n",
         "2026-03-18", "rate_path.steps[1].date", "strictly ascending"},
        {"step not a map", "rate_path:\n  start: 3\n  steps: [-25]\n", "-25",
         "rate_path.steps[0]", "expected a step"},
        {"step unknown key", "rate_path:\n  start: 3\n  steps: [{date: 2026-02-03, bps: 5}]\n",
         "bps", "rate_path.steps[0].bps", "unknown key 'bps'"},
        {"meetings out of order",
         "rate_path:\n  start: 3\n  meetings: [2026-03-18, 2026-01-28]\n  steps: []\n",
         "2026-01-28", "rate_path.meetings[1]", "strictly ascending"},
        {"steps and target",
         "rate_path:\n  start: 3\n" + m + "  steps: []\n  target: {level: 2, by: 2026-12-31}\n",
         "target", "rate_path.target", "either 'steps' or 'target'"},
        {"target without meetings",
         "rate_path:\n  start: 3\n  target: {level: 2, by: 2026-12-31}\n", "{level",
         "rate_path.target", "give 'meetings'"},
        {"zero step", "rate_path:\n  start: 3\n" + m +
                          "  target: {level: 2, by: 2026-12-31, step_bp: 0}\n",
         "0}", "rate_path.target.step_bp", "positive"},
        {"negative volatility",
         "rate_path:\n  start: 3\n  steps: []\n  noise: {speed: 1, volatility: -0.1}\n", "-0.1",
         "rate_path.noise.volatility", "volatility >= 0"},
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
         "rate_path.regimes[0]", "missing 'steps' or 'target' for this regime"},
        {"empty regimes", "rate_path:\n  start: 3\n  regimes: []\n", "[]", "rate_path.regimes",
         "at least one regime"},
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

}  // namespace
}  // namespace rotor
