// SPDX-License-Identifier: MIT
// The factor path generator: closed-form prices without noise (drift, rate beta, re-rating),
// simulated factor moments and Student-t tails against the model with tolerances from the
// sample size, the expected-return view, overlays, determinism, and located YAML errors.
#include "engine/scenario/factor/factor_generator.hpp"

#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "tests/engine/scenario/factor/factor_test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace factor_generator_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

// T = returns + 1 forward trading days from 2026-01-02, start prices 100, 200, ...
GeneratorContext context(const std::vector<std::string>& assets, std::size_t returns,
                         std::uint64_t seed,
                         const std::string& rateYaml = "{start: 4.0, steps: []}") {
    GeneratorContext ctx;
    ctx.universe.assets = assets;
    ctx.dates = nyseTradingDaysFrom(d(2026, 1, 2), returns + 1);
    ctx.startPrices.resize(static_cast<Index>(assets.size()));
    for (Index i = 0; i < ctx.startPrices.size(); ++i)
        ctx.startPrices[i] = 100.0 * static_cast<double>(i + 1);
    ctx.seed = seed;
    ctx.rate = std::make_shared<const RatePathModel>(
        parseRatePath(loadYamlString("rate_path: " + rateYaml, "rate.yaml").at("rate_path")),
        ctx.dates);
    ctx.dataCutoff = ctx.dates.front();
    return ctx;
}

ConfigNode model(const std::string& text) { return loadYamlString(text, "model.yaml").at("model"); }

FactorPathGenerator make(const std::string& text, const GeneratorContext& ctx,
                         std::vector<std::shared_ptr<const ReturnOverlay>> overlays = {}) {
    return FactorPathGenerator(factortest::resolveFactorModel(model(text), ctx), ctx,
                               std::move(overlays));
}

TEST(FactorGenerator, ZeroVolConstantRateGivesClosedFormPrices) {
    const auto ctx = context({"SPY", "IWM"}, 20, 1);
    const auto gen = make(
        "model:\n"
        "  factors: {names: [mkt], mean: [0.0504], vol: [0.0]}\n"
        "  assets:\n"
        "    SPY: {beta: {mkt: 1.0}, alpha: 0.0252}\n"
        "    IWM: {beta: {mkt: 1.5}, alpha: -0.0252, rate_beta: -0.5}\n",
        ctx);
    Path path;
    GeneratorScratch scratch;
    gen.generate(3, path, scratch);
    validatePath(path, ctx.universe);
    // Daily log drift: SPY 0.0252/252 + 1.0 * 0.0504/252 = 0.0001 + 0.0002 = 0.0003;
    // IWM -0.0001 + 1.5 * 0.0002 = 0.0002. The rate is flat, so the rate beta does nothing.
    for (Index t = 0; t <= 20; ++t) {
        EXPECT_NEAR(path.prices(t, 0), 100.0 * std::exp(0.0003 * static_cast<double>(t)), 1e-11);
        EXPECT_NEAR(path.prices(t, 1), 200.0 * std::exp(0.0002 * static_cast<double>(t)), 1e-11);
        EXPECT_EQ(path.cashRate[t], 4.0);
    }
    EXPECT_EQ(path.dates, ctx.dates);
}

TEST(FactorGenerator, RateChangesMoveLogPricesByRateBeta) {
    // A 50 bp hike announced Friday 2026-01-16 takes effect on the next trading day, Tuesday
    // 2026-01-20 (Monday the 19th is Martin Luther King Day). Days 0..11 are Jan 2, 5, 6, 7, 8,
    // 9, 12, 13, 14, 15, 16, 20: the hike lands on day 11.
    const auto ctx = context({"SPY"}, 20, 1, "{start: 4.0, steps: [{date: 2026-01-16, bp: 50}]}");
    const auto gen = make("model:\n  assets: {SPY: {rate_beta: -0.04}}\n", ctx);
    Path path;
    GeneratorScratch scratch;
    gen.generate(0, path, scratch);
    ASSERT_EQ(ctx.dates[11], d(2026, 1, 20));
    for (Index t = 0; t <= 20; ++t) {
        const double rate = t >= 11 ? 4.5 : 4.0;
        EXPECT_NEAR(path.cashRate[t], rate, 1e-12) << t;
        // -0.04 per percentage point times 0.5 pp: a log move of -0.02 on day 11.
        EXPECT_NEAR(path.prices(t, 0), t >= 11 ? 100.0 * std::exp(-0.02) : 100.0, 1e-12) << t;
    }
}

TEST(FactorGenerator, ReratingAddsLogOfPeRatioOverHorizon) {
    const auto ctx = context({"SPY", "IWM"}, 40, 1);
    const auto gen = make(
        "model:\n"
        "  assets: {SPY: {alpha: 0.0}, IWM: {alpha: 0.0252}}\n"
        "  views: {rerating: {IWM: {from_pe: 15, to_pe: 17}}}\n",
        ctx);
    Path path;
    GeneratorScratch scratch;
    gen.generate(0, path, scratch);
    // IWM: 40 days of 0.0001 alpha plus the whole re-rating 17/15 by the last day.
    EXPECT_NEAR(path.prices(40, 1) / 200.0, std::exp(0.004) * 17.0 / 15.0, 1e-12);
    EXPECT_NEAR(path.prices(20, 1) / 200.0, std::exp(0.002) * std::sqrt(17.0 / 15.0), 1e-12);
    EXPECT_NEAR(path.prices(40, 0), 100.0, 1e-12);
}

// Assets with identity loadings reproduce the factors exactly: their daily log returns are f_t.
const char* kThreeFactors =
    "  factors:\n"
    "    names: [a, b, c]\n"
    "    mean: [0.06, 0.02, -0.03]\n"
    "    vol: [0.16, 0.08, 0.10]\n"
    "    correlation: [[1, 0.3, -0.2], [0.3, 1, 0.1], [-0.2, 0.1, 1]]\n"
    "  assets:\n"
    "    X: {beta: {a: 1}}\n"
    "    Y: {beta: {b: 1}}\n"
    "    Z: {beta: {c: 1}}\n";

void checkFactorMoments(const std::string& distribution) {
    const std::size_t days = 252;
    const std::uint64_t paths = 400;
    const auto ctx = context({"X", "Y", "Z"}, days, 99);
    const auto gen = make("model:\n  distribution: " + distribution + "\n" + kThreeFactors, ctx);
    const double mean[] = {0.06 / 252, 0.02 / 252, -0.03 / 252};
    const double vol[] = {0.16 / std::sqrt(252.0), 0.08 / std::sqrt(252.0),
                          0.10 / std::sqrt(252.0)};
    const double corr[3][3] = {{1, 0.3, -0.2}, {0.3, 1, 0.1}, {-0.2, 0.1, 1}};

    // Samples are i.i.d. over days and paths; accumulate sums of x and of products.
    double s1[3] = {}, s2[3][3] = {}, s4[3][3] = {};
    double n = 0;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < paths; ++p) {
        gen.generate(p, path, scratch);
        for (Index t = 1; t <= static_cast<Index>(days); ++t) {
            double x[3];
            for (Index i = 0; i < 3; ++i)
                x[i] = std::log(path.prices(t, i) / path.prices(t - 1, i));
            for (int i = 0; i < 3; ++i) {
                s1[i] += x[i];
                for (int j = 0; j < 3; ++j) {
                    const double dx = (x[i] - mean[i]) * (x[j] - mean[j]);
                    s2[i][j] += dx;
                    s4[i][j] += dx * dx;
                }
            }
            n += 1;
        }
    }
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(s1[i] / n, mean[i], 4.5 * vol[i] / std::sqrt(n))
            << distribution << " mean " << i;
        for (int j = 0; j < 3; ++j) {
            const double cov = corr[i][j] * vol[i] * vol[j];
            const double m = s2[i][j] / n;
            // Standard error of a mean of products, from the sample's own second moment of
            // the products (valid for the Student-t case too).
            const double se = std::sqrt((s4[i][j] / n - m * m) / n);
            EXPECT_NEAR(m, cov, 4.5 * se) << distribution << " cov " << i << j;
        }
    }
}

TEST(FactorGenerator, SimulatedFactorMomentsMatchModelNormal) { checkFactorMoments("normal"); }
TEST(FactorGenerator, SimulatedFactorMomentsMatchModelStudentT) {
    checkFactorMoments("{student_t: {dof: 12}}");
}

// One factor with unit daily variance: the log return is the unit-variance t draw itself.
TEST(FactorGenerator, StudentTExcessKurtosisAndSharedMixing) {
    // nu = 12: excess kurtosis 6/(nu-4) = 0.75. nu = 8 would have an infinite eighth moment,
    // hence an estimator with infinite variance; 12 keeps the tolerance computable.
    const double nu = 12.0;
    const std::size_t days = 250;
    const std::uint64_t paths = 2000;
    const auto ctx = context({"X", "Y"}, days, 2026);
    const double annualVol = std::sqrt(252.0);  // daily stdev 1
    const auto gen = make(
        "model:\n  distribution: {student_t: {dof: 12}}\n"
        "  factors: {names: [a, b], mean: [0, 0], vol: [" +
            std::to_string(annualVol) + ", " + std::to_string(annualVol) +
            "], correlation: [[1, 0], [0, 1]]}\n"
            "  assets: {X: {beta: {a: 1}}, Y: {beta: {b: 1}}}\n",
        ctx);
    double m2 = 0, m4 = 0, cross = 0, n = 0;
    Path path;
    GeneratorScratch scratch;
    const double sd = std::sqrt(252.0) / std::sqrt(252.0);
    for (std::uint64_t p = 0; p < paths; ++p) {
        gen.generate(p, path, scratch);
        for (Index t = 1; t <= static_cast<Index>(days); ++t) {
            const double x = std::log(path.prices(t, 0) / path.prices(t - 1, 0)) / sd;
            const double y = std::log(path.prices(t, 1) / path.prices(t - 1, 1)) / sd;
            m2 += x * x;
            m4 += x * x * x * x;
            cross += x * x * y * y;
            n += 1;
        }
    }
    m2 /= n;
    m4 /= n;
    cross /= n;
    const double kurt = m4 / (m2 * m2) - 3.0;
    // Moments of the unit-variance t: mu4 = 3(nu-2)/(nu-4), mu6 = 15(nu-2)^2/((nu-4)(nu-6)),
    // mu8 = 105(nu-2)^3/((nu-4)(nu-6)(nu-8)); delta method for m4/m2^2 (gradient (-2 mu4, 1)):
    // var = [Var(X^4) - 4 mu4 Cov(X^2, X^4) + 4 mu4^2 Var(X^2)] / n.
    const double mu4 = 3.0 * (nu - 2) / (nu - 4);
    const double mu6 = 15.0 * (nu - 2) * (nu - 2) / ((nu - 4) * (nu - 6));
    const double mu8 = 105.0 * std::pow(nu - 2, 3) / ((nu - 4) * (nu - 6) * (nu - 8));
    const double v = (mu8 - mu4 * mu4) - 4.0 * mu4 * (mu6 - mu4) + 4.0 * mu4 * mu4 * (mu4 - 1.0);
    EXPECT_NEAR(kurt, 6.0 / (nu - 4.0), 5.0 * std::sqrt(v / n));
    // One chi-square per day shared by both factors: E[x^2 y^2] = E[w^2] with
    // w = (nu-2)/chi2, i.e. (nu-2)/(nu-4) = 1.25, not 1 as for independent draws.
    // Var(x^2 y^2) = 9 E[w^4] - E[w^2]^2, E[w^4] = (nu-2)^3/((nu-4)(nu-6)(nu-8)).
    const double ew2 = (nu - 2) / (nu - 4);
    const double ew4 = std::pow(nu - 2, 3) / ((nu - 4) * (nu - 6) * (nu - 8));
    EXPECT_NEAR(cross, ew2, 5.0 * std::sqrt((9.0 * ew4 - ew2 * ew2) / n));
}

TEST(FactorGenerator, ExpectedReturnViewSetsMeanGrowthOverOneYear) {
    const std::size_t days = 252;
    const std::uint64_t paths = 4000;
    const auto ctx = context({"SPY", "IWM"}, days, 7);
    const auto gen = make(
        "model:\n"
        "  factors: {names: [mkt], mean: [0.05], vol: [0.2]}\n"
        "  assets:\n"
        "    SPY: {beta: {mkt: 1.0}, idio_vol: 0.1, alpha: 0.03}\n"
        "    IWM: {beta: {mkt: 1.2}, idio_vol: 0.15}\n"
        "  views:\n"
        "    expected_return: {SPY: 0.12, IWM: 0.195}\n"
        "    vol_multiplier: {IWM: 1.5}\n",
        ctx);
    double s[2] = {}, ss[2] = {}, lr2 = 0, lrn = 0, lr1 = 0;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < paths; ++p) {
        gen.generate(p, path, scratch);
        for (Index i = 0; i < 2; ++i) {
            const double g = path.prices(252, i) / path.prices(0, i);
            s[i] += g;
            ss[i] += g * g;
        }
        for (Index t = 1; t <= 252; ++t) {
            const double x = std::log(path.prices(t, 1) / path.prices(t - 1, 1));
            lr1 += x;
            lr2 += x * x;
            lrn += 1;
        }
    }
    const double n = static_cast<double>(paths);
    const double target[] = {1.12, 1.195};
    for (int i = 0; i < 2; ++i) {
        const double mean = s[i] / n;
        const double se = std::sqrt((ss[i] / n - mean * mean) / n);
        EXPECT_NEAR(mean, target[i], 4.0 * se) << i;
    }
    // IWM's daily stdev: 1.5 * sqrt(1.2^2 * 0.2^2 + 0.15^2) / sqrt(252) = 1.5 *
    // sqrt(0.0801)/sqrt(252).
    const double sigma = 1.5 * std::sqrt(1.44 * 0.04 + 0.0225) / std::sqrt(252.0);
    const double m = lr1 / lrn;
    const double sampleSd = std::sqrt(lr2 / lrn - m * m);
    EXPECT_NEAR(sampleSd, sigma, 4.0 * sigma / std::sqrt(2.0 * lrn));
}

TEST(FactorGenerator, DeterministicWhateverTheOrder) {
    const auto ctx = context({"X", "Y", "Z"}, 60, 31,
                             "{start: 3.0, steps: [], noise: {speed: 0.5, volatility: 0.8}}");
    const auto gen = make(
        "model:\n  distribution: {student_t: {dof: 5}}\n" + std::string(kThreeFactors), ctx);
    std::vector<Path> forward(6), backward(6);
    GeneratorScratch a, b;
    for (std::uint64_t p = 0; p < 6; ++p) gen.generate(p, forward[p], a);
    for (std::uint64_t p = 6; p-- > 0;) gen.generate(p, backward[p], b);
    for (std::size_t p = 0; p < 6; ++p) {
        ASSERT_EQ(forward[p].prices.rows(), 61);
        EXPECT_TRUE((forward[p].prices.array() == backward[p].prices.array()).all()) << p;
        EXPECT_TRUE((forward[p].cashRate.array() == backward[p].cashRate.array()).all()) << p;
    }
    // Distinct paths differ, and the noisy rate moves.
    EXPECT_FALSE((forward[0].prices.array() == forward[1].prices.array()).all());
    EXPECT_NE(forward[0].cashRate[60], 3.0);
    // A second generator built from the same context reproduces path 4.
    const auto gen2 = make(
        "model:\n  distribution: {student_t: {dof: 5}}\n" + std::string(kThreeFactors), ctx);
    Path again;
    gen2.generate(4, again, b);
    EXPECT_TRUE((again.prices.array() == forward[4].prices.array()).all());
}

// Adds a constant to one asset's log returns and draws one number from the path's stream.
class ConstantTilt : public ReturnOverlay {
public:
    void apply(const Vector& rate, Eigen::Ref<Matrix> r, Xoshiro256& rng) const override {
        EXPECT_EQ(rate.size(), r.rows());
        (void)rng();
        r.col(0).tail(r.rows() - 1).array() += 0.001;
    }
    std::string name() const override { return "tilt"; }
};

TEST(FactorGenerator, OverlaysActOnLogReturnsBeforePricesAreBuilt) {
    const auto ctx = context({"X", "Y", "Z"}, 30, 5);
    const auto plain = make("model:\n" + std::string(kThreeFactors), ctx);
    const auto tilted = make("model:\n" + std::string(kThreeFactors), ctx,
                             {std::make_shared<ConstantTilt>()});
    Path a, b;
    GeneratorScratch s;
    plain.generate(2, a, s);
    tilted.generate(2, b, s);
    // 30 tilted returns of 0.001: X ends exp(0.03) higher; Y and Z are untouched.
    EXPECT_NEAR(b.prices(30, 0) / a.prices(30, 0), std::exp(0.03), 1e-12);
    EXPECT_TRUE((a.prices.col(1).array() == b.prices.col(1).array()).all());
    EXPECT_TRUE((a.prices.col(2).array() == b.prices.col(2).array()).all());
}

TEST(FactorGenerator, DescribeParsesBack) {
    const auto ctx = context({"X", "Y", "Z"}, 10, 5);
    const auto gen = make(
        "model:\n  distribution: {student_t: {dof: 6.5}}\n" + std::string(kThreeFactors) +
            "  views: {expected_return: {X: 0.1}, rerating: {Y: {from_pe: 15, to_pe: 17}}, "
            "vol_multiplier: {Z: 1.2}}\n",
        ctx);
    const FactorModelSpec back = factortest::resolveFactorModel(
        loadYamlString(
            "model:\n" +
                [&] {
                    std::string s, line;
                    std::istringstream in(gen.describe());
                    while (std::getline(in, line)) s += "  " + line + "\n";
                    return s;
                }(),
            "described.yaml")
            .at("model"),
        ctx);
    EXPECT_EQ(back.distribution, FactorDistribution::StudentT);
    EXPECT_EQ(back.dof, 6.5);
    EXPECT_EQ(back.factorNames, (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(back.correlation(0, 2), -0.2);
    EXPECT_EQ(back.assets[1].beta[1], 1.0);
    EXPECT_EQ(*back.views[0].expectedReturn, 0.1);
    EXPECT_EQ(*back.views[1].toPe, 17.0);
    EXPECT_EQ(back.views[2].volMultiplier, 1.2);
    EXPECT_FALSE(back.views[1].expectedReturn.has_value());
}

// 1-based line and column of the first occurrence of `needle` in `text`: where an error must
// point, found without yaml-cpp's marks.
std::pair<int, int> locate(const std::string& text, const std::string& needle) {
    const auto pos = text.find(needle);
    EXPECT_NE(pos, std::string::npos) << needle;
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < pos; ++i)
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    return {line, static_cast<int>(pos - lineStart) + 1};
}

// Parses `text` and expects a ConfigError at the first `at` whose message holds `what`.
void expectError(const std::string& text, const std::string& at, const std::string& what) {
    const auto ctx = context({"X", "Y", "Z"}, 10, 1);
    const auto [line, column] = locate(text, at);
    try {
        FactorPathGenerator(factortest::resolveFactorModel(model(text), ctx), ctx);
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_EQ(e.column(), column) << e.what();
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(FactorGenerator, YamlErrorsAreLocated) {
    const std::string assets = "  assets: {X: {}, Y: {}, Z: {}}\n";
    expectError("model:\n  assets: {X: {}, Y: {}, Z: {}}\n  drift: 1\n", "drift", "drift");
    expectError("model:\n  assets: {X: {}, Y: {}, W: {}}\n", "W", "not in universe");
    expectError("model:\n  assets: {X: {}, Y: {}}\n", "{X", "no parameters for asset 'Z'");
    expectError("model:\n  distribution: {student_t: {dof: 2}}\n" + assets, "2}", "dof must be");
    expectError("model:\n  distribution: cauchy\n" + assets, "cauchy", "expected 'normal'");
    expectError(
        "model:\n  factors: {names: [a, b], mean: [0, 0], vol: [0.1, 0.1], "
        "correlation: [[1, 1.5], [1.5, 1]]}\n" +
            assets,
        "1.5]", "expected a number in [-1, 1], found 1.5");
    expectError(
        "model:\n  factors: {names: [a, b, c], mean: [0, 0, 0], vol: [0.1, 0.1, 0.1], "
        "correlation: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]}\n" +
            assets,
        "[[", "not positive definite");
    expectError(
        "model:\n  factors: {names: [a], mean: [0], vol: [0.1]}\n"
        "  assets: {X: {beta: {b: 1}}, Y: {}, Z: {}}\n",
        "b: 1", "'b' is not a factor");
    expectError("model:\n  factors: {names: [a, b], mean: [0], vol: [0.1, 0.1]}\n" + assets, "[0]",
                "expected 2 numbers");
    expectError("model:\n" + assets + "  views: {expected_return: {Y: -1.5}}\n", "-1.5",
                "must be in (-1, 10]");
    expectError("model:\n" + assets + "  views: {rerating: {Y: {from_pe: 0, to_pe: 3}}}\n", "0,",
                "expected a number in [0.01, 10000], found 0");
    expectError("model:\n  type: garch\n" + assets, "garch", "expected 'factor'");
    expectError("model:\n  calibrate: {}\n  assets: {X: {}}\n", "assets", "not both");
}

}  // namespace factor_generator_test
}  // namespace
}  // namespace rotor
