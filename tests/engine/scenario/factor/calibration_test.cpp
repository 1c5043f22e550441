// SPDX-License-Identifier: MIT
// Calibration: alignment of prices, factors and rates checked by hand on a tiny fixture; OLS
// against the closed form of a one-regressor fit; recovery of known betas, alpha and idio vol
// from synthetic data (tolerances from standard errors computed here); data cut-off refusal.
#include "engine/scenario/factor/calibration.hpp"

#include "engine/calendar/nyse_calendar.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/factor/factor_generator.hpp"
#include "tests/engine/scenario/factor/factor_test_support.hpp"
#include "tests/test_support.hpp"

#include <Eigen/LU>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>

namespace rotor {
namespace {
namespace calibration_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

CalibrationSpec fixtureSpec() {
    CalibrationSpec s;
    s.start = d(2024, 1, 2);
    s.end = d(2024, 1, 9);
    s.prices.pattern = ROTOR_TEST_INPUT("{asset}.csv");
    s.factorFile = ROTOR_TEST_INPUT("factors.csv");
    s.factorColumns = {"mkt_rf_pct", "smb_pct"};
    s.factorNames = {"mkt_rf", "smb"};
    s.factorScale = 0.01;
    s.rateFile = ROTOR_TEST_INPUT("rate.csv");
    s.rateColumn = "dff_pct";
    return s;
}

TEST(Calibration, AlignsPricesFactorsAndRateByHand) {
    DataStore store;
    const CalibrationData data = loadCalibrationData(fixtureSpec(), {"AAA", "BBB"}, store);
    // BBB has no 2024-01-04, so the days are 01-02, 01-03, 01-05, 01-08, 01-09 (01-10 is after
    // the window) and the returns are dated 01-03, 01-05, 01-08, 01-09.
    const std::vector<Date> days = {d(2024, 1, 3), d(2024, 1, 5), d(2024, 1, 8), d(2024, 1, 9)};
    ASSERT_EQ(data.dates, days);
    ASSERT_EQ(data.assetReturns.rows(), 4);
    const double aaa[] = {std::log(101.0 / 100.0), std::log(100.0 / 101.0), std::log(102.0 / 100.0),
                          std::log(103.0 / 102.0)};
    const double bbb[] = {std::log(50.5 / 50.0), std::log(51.0 / 50.5), std::log(50.0 / 51.0),
                          std::log(52.0 / 50.0)};
    // The 01-05 return spans 01-04 and 01-05: its factor returns are summed.
    const double mkt[] = {0.008, -0.012 + 0.004, 0.015, 0.009};
    const double smb[] = {-0.001, 0.003 + 0.0005, -0.002, 0.004};
    // DFF forward-filled: 5.33 (01-02, 01-03), 5.08 (01-05), 5.33 (01-08), 5.33 (01-09, filled).
    const double rate[] = {0.0, -0.25, 0.25, 0.0};
    ASSERT_TRUE(data.rateChange.has_value());
    for (Index t = 0; t < 4; ++t) {
        const auto k = static_cast<std::size_t>(t);
        EXPECT_NEAR(data.assetReturns(t, 0), aaa[k], 1e-15);
        EXPECT_NEAR(data.assetReturns(t, 1), bbb[k], 1e-15);
        EXPECT_NEAR(data.factors(t, 0), mkt[k], 1e-15);
        EXPECT_NEAR(data.factors(t, 1), smb[k], 1e-15);
        EXPECT_NEAR((*data.rateChange)[t], rate[k], 1e-12);
    }
    EXPECT_EQ(data.files.size(), 4u);
    // Four observations cannot carry four regressors plus a residual variance.
    EXPECT_THROW(calibrate(data), InputError);
}

TEST(Calibration, RefusesWindowOutsideFactorFile) {
    CalibrationSpec s = fixtureSpec();
    s.start = d(2024, 1, 2);
    s.end = d(2024, 1, 10);
    s.factorFile = ROTOR_TEST_INPUT("factors.csv");
    DataStore store;
    EXPECT_NO_THROW(loadCalibrationData(s, {"AAA"}, store));
    // The factors stop on 01-10; a price-only day after that would shorten the sample.
    std::vector<std::string> rows = {"date,adj_close", "2024-01-02,1", "2024-01-10,1.1",
                                     "2024-01-11,1.2"};
    const std::string dir = test::scratchDir("calibration_outside");
    std::ofstream(dir + "/CCC.csv") << rows[0] << '\n'
                                    << rows[1] << '\n'
                                    << rows[2] << '\n'
                                    << rows[3] << '\n';
    s.prices.pattern = dir + "/{asset}.csv";
    s.end = d(2024, 1, 11);
    s.rateFile.clear();
    EXPECT_THROW(loadCalibrationData(s, {"CCC"}, store), DataError);
}

// One regressor, no rate: OLS in closed form (sums written out here).
TEST(Calibration, OneRegressorMatchesClosedForm) {
    std::mt19937_64 gen(42);
    std::normal_distribution<double> nd(0.0, 1.0);
    const Index n = 300;
    CalibrationData data;
    data.assets = {"A"};
    data.factorNames = {"mkt"};
    data.assetReturns.resize(n, 1);
    data.factors.resize(n, 1);
    for (Index t = 0; t < n; ++t) {
        data.dates.push_back(d(2020, 1, 1) + static_cast<int>(t));
        const double x = 0.0003 + 0.01 * nd(gen);
        data.factors(t, 0) = x;
        data.assetReturns(t, 0) = 0.0001 + 0.8 * x + 0.004 * nd(gen);
    }
    double sx = 0, sy = 0;
    for (Index t = 0; t < n; ++t) {
        sx += data.factors(t, 0);
        sy += data.assetReturns(t, 0);
    }
    const double dn = static_cast<double>(n);
    const double mx = sx / dn, my = sy / dn;
    double sxx = 0, sxy = 0, syy = 0;
    for (Index t = 0; t < n; ++t) {
        const double a = data.factors(t, 0) - mx, b = data.assetReturns(t, 0) - my;
        sxx += a * a;
        sxy += a * b;
        syy += b * b;
    }
    const double beta = sxy / sxx;
    const double alpha = my - beta * mx;
    const double rss = syy - beta * sxy;
    const double s2 = rss / (dn - 2.0);

    const CalibrationResult r = calibrate(data);
    ASSERT_EQ(r.assets.size(), 1u);
    const AssetFit& f = r.assets[0];
    EXPECT_NEAR(f.beta[0], beta, 1e-12);
    EXPECT_NEAR(f.alpha, alpha * 252.0, 1e-12);
    EXPECT_NEAR(f.betaSe[0], std::sqrt(s2 / sxx), 1e-12);
    EXPECT_NEAR(f.alphaSe, 252.0 * std::sqrt(s2 * (1.0 / dn + mx * mx / sxx)), 1e-12);
    EXPECT_NEAR(f.idioVol, std::sqrt(s2 * 252.0), 1e-12);
    EXPECT_NEAR(f.r2, sxy * sxy / (sxx * syy), 1e-12);
    EXPECT_FALSE(r.hasRate);
    EXPECT_EQ(r.observations, n);
    EXPECT_NEAR(r.factorMean[0], mx * 252.0, 1e-14);
    EXPECT_NEAR(r.factorVol[0], std::sqrt(sxx / (dn - 1.0) * 252.0), 1e-14);
    EXPECT_EQ(r.correlation(0, 0), 1.0);
}

// Synthetic returns with known loadings: two correlated factors and a sparse rate change.
struct Truth {
    double alpha;                // daily
    double b1, b2, gamma, idio;  // idio: daily stdev
};
const Truth kTruth[] = {{0.0002, 1.1, 0.4, -0.03, 0.006}, {-0.0001, 0.6, -0.5, 0.01, 0.003}};

CalibrationData synthetic(Index n, std::uint64_t seed) {
    std::mt19937_64 gen(seed);
    std::normal_distribution<double> nd(0.0, 1.0);
    std::uniform_real_distribution<double> ud(0.0, 1.0);
    CalibrationData data;
    data.assets = {"A", "B"};
    data.factorNames = {"f1", "f2"};
    data.assetReturns.resize(n, 2);
    data.factors.resize(n, 2);
    Vector dr(n);
    for (Index t = 0; t < n; ++t) {
        data.dates.push_back(d(2010, 1, 1) + static_cast<int>(t));
        const double z1 = nd(gen), z2 = nd(gen);
        const double f1 = 0.0004 + 0.01 * z1;
        const double f2 = 0.0001 + 0.005 * (0.3 * z1 + std::sqrt(1.0 - 0.09) * z2);
        const double u = ud(gen);
        dr[t] = u < 0.05 ? (u < 0.025 ? 0.25 : -0.25) : 0.01 * nd(gen);
        data.factors(t, 0) = f1;
        data.factors(t, 1) = f2;
        for (Index i = 0; i < 2; ++i) {
            const Truth& tr = kTruth[i];
            data.assetReturns(t, i) = tr.alpha + tr.b1 * f1 + tr.b2 * f2 + tr.gamma * dr[t] +
                                      tr.idio * nd(gen);
        }
    }
    data.rateChange = dr;
    return data;
}

TEST(Calibration, RecoversKnownLoadingsWithinStandardErrors) {
    const Index n = 2500;
    const CalibrationData data = synthetic(n, 7);
    const CalibrationResult r = calibrate(data);
    ASSERT_TRUE(r.hasRate);
    // Theoretical standard errors: sigma_eps * sqrt(diag((X'X)^-1)), with the true sigma.
    Matrix x(n, 4);
    x.col(0).setOnes();
    x.middleCols(1, 2) = data.factors;
    x.col(3) = *data.rateChange;
    const Matrix inv = (x.transpose() * x).inverse();
    for (std::size_t i = 0; i < 2; ++i) {
        const Truth& tr = kTruth[i];
        const AssetFit& f = r.assets[i];
        const double c = tr.idio;
        const double se[] = {c * std::sqrt(inv(0, 0)), c * std::sqrt(inv(1, 1)),
                             c * std::sqrt(inv(2, 2)), c * std::sqrt(inv(3, 3))};
        EXPECT_NEAR(f.alpha / 252.0, tr.alpha, 4.0 * se[0]) << f.asset;
        EXPECT_NEAR(f.beta[0], tr.b1, 4.0 * se[1]) << f.asset;
        EXPECT_NEAR(f.beta[1], tr.b2, 4.0 * se[2]) << f.asset;
        EXPECT_NEAR(f.rateBeta, tr.gamma, 4.0 * se[3]) << f.asset;
        // The reported standard errors use the estimated sigma: within a few % of the truth
        // (the relative error of a sample stdev is about 1/sqrt(2n) = 1.4%).
        EXPECT_NEAR(f.betaSe[0] / se[1], 1.0, 0.06) << f.asset;
        EXPECT_NEAR(f.rateBetaSe / se[3], 1.0, 0.06) << f.asset;
        EXPECT_NEAR(f.alphaSe / 252.0 / se[0], 1.0, 0.06) << f.asset;
        // Idio vol: annualised residual stdev, stdev of the estimate ~ sigma / sqrt(2n).
        const double idioAnnual = tr.idio * std::sqrt(252.0);
        EXPECT_NEAR(f.idioVol, idioAnnual,
                    4.0 * idioAnnual / std::sqrt(2.0 * static_cast<double>(n)));
    }
    // Factor moments against the sample computed here.
    for (Index k = 0; k < 2; ++k) {
        double m = 0;
        for (Index t = 0; t < n; ++t) m += data.factors(t, k);
        m /= static_cast<double>(n);
        double v = 0;
        for (Index t = 0; t < n; ++t) v += (data.factors(t, k) - m) * (data.factors(t, k) - m);
        v /= static_cast<double>(n - 1);
        EXPECT_NEAR(r.factorMean[k], 252.0 * m, 1e-12);
        EXPECT_NEAR(r.factorVol[k], std::sqrt(252.0 * v), 1e-12);
    }
    // Sample correlation of the factors, true value 0.3: stdev about (1 - 0.09) / sqrt(n).
    EXPECT_NEAR(r.correlation(0, 1), 0.3, 4.0 * 0.91 / std::sqrt(static_cast<double>(n)));
    EXPECT_EQ(r.correlation(0, 1), r.correlation(1, 0));
}

TEST(Calibration, RefusesRegressorWithoutVariation) {
    CalibrationData data = synthetic(100, 3);
    data.rateChange->setZero();
    try {
        calibrate(data);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("rate change does not vary"), std::string::npos)
            << e.what();
    }
}

// ----------------------------------------------------------- from a scenario file

// Writes `data` as price, factor (percent) and rate files plus a scenario whose model
// calibrates from them; returns the scenario path.
std::string writeScenario(const std::string& dir, const std::vector<Date>& days,
                          const Matrix& logRet, const Matrix& factors, const Vector& rateLevel,
                          const std::string& windowEnd) {
    const char* names[] = {"A", "B"};
    for (Index i = 0; i < 2; ++i) {
        std::ofstream f(dir + "/" + names[i] + ".csv");
        f << "date,adj_close\n";
        double p = 100.0;
        char buf[64];
        for (std::size_t t = 0; t < days.size(); ++t) {
            if (t > 0) p *= std::exp(logRet(static_cast<Index>(t - 1), i));
            std::snprintf(buf, sizeof buf, "%.17g", p);
            f << days[t].iso() << ',' << buf << '\n';
        }
    }
    std::ofstream ff(dir + "/ff.csv");
    ff << "date,f1_pct,f2_pct\n";
    std::ofstream rf(dir + "/rate.csv");
    rf << "date,dff_pct\n";
    char buf[128];
    for (std::size_t t = 0; t < days.size(); ++t) {
        const double a = t ? 100.0 * factors(static_cast<Index>(t - 1), 0) : 0.0;
        const double b = t ? 100.0 * factors(static_cast<Index>(t - 1), 1) : 0.0;
        std::snprintf(buf, sizeof buf, "%.17g,%.17g", a, b);
        ff << days[t].iso() << ',' << buf << '\n';
        std::snprintf(buf, sizeof buf, "%.17g", rateLevel[static_cast<Index>(t)]);
        rf << days[t].iso() << ',' << buf << '\n';
    }
    const std::string scenario = dir + "/scenario.yaml";
    std::ofstream(scenario) << "mode: monte_carlo\n"
                               "universe: {assets: [A, B], prices: '{asset}.csv'}\n"
                               "model:\n"
                               "  type: factor\n"
                               "  calibrate:\n"
                               "    window: {start: "
                            << days.front().iso() << ", end: " << windowEnd
                            << "}\n"
                               "    factors: {file: ff.csv, columns: [f1_pct, f2_pct], scale: "
                               "0.01}\n"
                               "    rate: {file: rate.csv, column: dff_pct}\n"
                               "  views:\n"
                               "    vol_multiplier: {B: 2}\n";
    return scenario;
}

TEST(Calibration, ParseFactorModelCalibratesFromScenarioFiles) {
    const Index n = 1500;
    const CalibrationData truth = synthetic(n, 11);
    const std::vector<Date> days = nyseTradingDaysFrom(d(2015, 1, 2),
                                                       static_cast<std::size_t>(n + 1));
    Vector level(n + 1);
    level[0] = 2.0;
    for (Index t = 0; t < n; ++t) level[t + 1] = level[t] + (*truth.rateChange)[t];
    const std::string dir = test::scratchDir("calibration_scenario");
    const std::string file = writeScenario(dir, days, truth.assetReturns, truth.factors, level,
                                           days.back().iso());

    GeneratorContext ctx;
    ctx.universe.assets = {"A", "B"};
    ctx.dataCutoff = days.back();
    DataStore store;
    const PriceSource prices{dir + "/{asset}.csv", "", ""};  // the scenario's universe.prices
    const FactorModelSpec spec = factortest::resolveFactorModel(loadYamlFile(file).at("model"), ctx,
                                                                store, prices);
    EXPECT_EQ(store.records().size(), 4u);  // A.csv, B.csv, ff.csv, rate.csv
    ASSERT_TRUE(spec.calibration.has_value());
    EXPECT_EQ(spec.calibration->observations, n);
    EXPECT_EQ(spec.factorNames, (std::vector<std::string>{"f1", "f2"}));
    // Same numbers as an in-memory calibration of the same returns, up to the files' rounding.
    const CalibrationResult direct = calibrate(truth);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_NEAR(spec.assets[i].beta[0], direct.assets[i].beta[0], 1e-8);
        EXPECT_NEAR(spec.assets[i].beta[1], direct.assets[i].beta[1], 1e-8);
        EXPECT_NEAR(spec.assets[i].rateBeta, direct.assets[i].rateBeta, 1e-8);
        EXPECT_NEAR(spec.assets[i].idioVol, direct.assets[i].idioVol, 1e-8);
        EXPECT_NEAR(spec.assets[i].alpha, direct.assets[i].alpha, 1e-8);
    }
    EXPECT_EQ(spec.views[1].volMultiplier, 2.0);

    // The printed block parses back as explicit parameters with the same values.
    const ConfigNode back = loadYamlString(calibrationYaml(spec), "printed.yaml").at("model");
    const FactorModelSpec again = factortest::resolveFactorModel(back, ctx);
    EXPECT_FALSE(again.calibration.has_value());
    ASSERT_EQ(again.factorNames, spec.factorNames);
    for (Index k = 0; k < 2; ++k) {
        EXPECT_NEAR(again.factorMean[k], spec.factorMean[k], 1e-9 * std::abs(spec.factorMean[k]));
        EXPECT_NEAR(again.factorVol[k], spec.factorVol[k], 1e-9 * spec.factorVol[k]);
    }
    EXPECT_NEAR(again.correlation(0, 1), spec.correlation(0, 1), 1e-9);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_NEAR(again.assets[i].beta[0], spec.assets[i].beta[0], 1e-9);
        EXPECT_NEAR(again.assets[i].rateBeta, spec.assets[i].rateBeta,
                    1e-9 * std::abs(spec.assets[i].rateBeta));
        EXPECT_NEAR(again.assets[i].idioVol, spec.assets[i].idioVol, 1e-9 * spec.assets[i].idioVol);
    }
    EXPECT_EQ(again.views[1].volMultiplier, 2.0);
}

// 50 synthetic days written as a calibrating scenario with a rate flat at 2%, and a context
// whose data cut-off is the last day.
struct FlatRateScenario {
    explicit FlatRateScenario(const std::string& name) {
        const Index n = 50;
        const CalibrationData truth = synthetic(n, 5);
        days = nyseTradingDaysFrom(d(2015, 1, 2), static_cast<std::size_t>(n + 1));
        dir = test::scratchDir(name);
        file = writeScenario(dir, days, truth.assetReturns, truth.factors,
                             Vector::Constant(n + 1, 2.0), days.back().iso());
        ctx.universe.assets = {"A", "B"};
        ctx.dataCutoff = days.back();
    }
    FactorModelSpec parse() const {
        return factortest::resolveFactorModel(loadYamlFile(file).at("model"), ctx,
                                              PriceSource{dir + "/{asset}.csv", "", ""});
    }
    std::vector<Date> days;
    std::string dir, file;
    GeneratorContext ctx;
};

TEST(Calibration, RefusesWindowEndingAfterCutoff) {
    FlatRateScenario sc("calibration_cutoff");
    sc.ctx.dataCutoff = sc.days.back() + (-1);
    try {
        sc.parse();
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        // "    window: {start: ..., end: ...}" is line 6; the value of `end` is located there.
        EXPECT_EQ(e.line(), 6);
        EXPECT_EQ(e.key(), "model.calibrate.window.end");
        EXPECT_NE(std::string(e.what()).find("after the data cut-off"), std::string::npos)
            << e.what();
    }
}

TEST(Calibration, AWindowTheRegressionCannotUseIsLocatedAtTheCalibrateBlock) {
    // The rate file is flat at 2%: the rate change never varies. The error points at the
    // `calibrate` block of the scenario file (its first key, `window`), not at nothing.
    FlatRateScenario sc("calibration_flat_rate");
    std::ifstream in(sc.file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const test::TextLocation where = test::locate(text, "window:");
    try {
        sc.parse();
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.file(), sc.file);
        EXPECT_EQ(e.line(), where.line);
        EXPECT_EQ(e.column(), where.column);
        EXPECT_EQ(e.key(), "model.calibrate");
        EXPECT_NE(std::string(e.what()).find("rate change does not vary"), std::string::npos)
            << e.what();
    }
    // A problem inside a data file keeps the data file's own location.
    std::ofstream(sc.dir + "/rate.csv") << "date,dff_pct\n2015-01-02,2.0\n2015-01-05,abc\n";
    try {
        sc.parse();
        FAIL() << "expected DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("rate.csv:3:"), std::string::npos) << e.what();
    }
}

}  // namespace calibration_test
}  // namespace
}  // namespace rotor
