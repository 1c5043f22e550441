// SPDX-License-Identifier: MIT
// The regime calibration on the shipped data against tools/research/regime_calibration.py, a
// second implementation in numpy/pandas: class days, spells, factor means and covariances,
// every asset's class loadings, idiosyncratic volatilities and premia, a bond's duration, the
// curve and the valuation history. Plus the refusals a scenario can run into.
#include "engine/scenario/regime/regime_calibration.hpp"

#include "engine/core/error.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rotor {
namespace {
namespace regime_calibration_test {

const std::string kData = std::string(ROTOR_SOURCE_DIR) + "/data";
Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

RegimeCalibrationSpec shippedSpec() {
    RegimeCalibrationSpec s;
    s.start = d(1984, 1, 1);
    s.end = d(2025, 12, 31);
    s.assetStart = d(2003, 1, 2);
    s.prices.pattern = kData + "/adj_etf/{asset}.csv";
    s.factorFile = kData + "/french/ff5_factors_daily.csv";
    s.factorColumns = {"mkt_rf_pct", "smb_pct", "hml_pct", "rmw_pct", "cma_pct"};
    s.factorNames = {"mkt_rf", "smb", "hml", "rmw", "cma"};
    s.riskFreeColumn = "rf_pct";
    s.policyFile = kData + "/fred/DFF.csv";
    s.recessionFile = kData + "/fred/USREC.csv";
    s.rateFile = kData + "/fred/DGS2.csv";
    s.valuationFile = kData + "/shiller/shiller_monthly.csv";
    s.valuationStart = d(1954, 1, 1);
    s.stressStart = d(1926, 1, 1);
    return s;
}

std::vector<RegimeAssetInput> shippedAssets() {
    std::vector<RegimeAssetInput> a(3);
    a[0].name = "SPY";
    a[1].name = "IWM";
    a[2].name = "SHY";
    a[2].kind = AssetKind::Bond;
    return a;
}

TEST(RegimeCalibration, MatchesTheResearchScriptOnTheShippedData) {
    const char* python = "/usr/bin/python3";
    const std::string out = test::scratchDir("regime_calibration_py") + "/out.txt";
    const std::string cmd = std::string(python) + " " + ROTOR_SOURCE_DIR +
                            "/tools/research/regime_calibration.py --data " + kData +
                            " --start 1984-01-01 --end 2025-12-31 --assets-from 2003-01-02"
                            " --cutoff 2026-01-02 --valuation-from 1954-01-01 --assets SPY,IWM"
                            " --bonds SHY --stress-from 1926-01-01 > " +
                            out;
    if (!std::filesystem::exists(python) ||
        test::runShell(std::string(python) + " -c 'import numpy, pandas'").status != 0)
        GTEST_SKIP() << "no /usr/bin/python3 with numpy and pandas";
    const test::ShellRun run = test::runShell(cmd);
    ASSERT_EQ(run.status, 0) << run.output;
    std::map<std::string, double> want;
    std::ifstream in(out);
    for (std::string name; in >> name;) in >> want[name];
    ASSERT_GT(want.size(), 150u);

    DataStore data;
    const RegimeModelSpec m = calibrateRegimes(shippedSpec(), shippedAssets(), d(2026, 1, 2), data);
    std::map<std::string, double> got;
    const auto& names = regimeClassNames();
    for (std::size_t c = 0; c < m.classes.size(); ++c) {
        const ClassParams& p = m.classes[c];
        EXPECT_EQ(p.name, names[c]);
        got["class." + p.name + ".days"] = static_cast<double>(p.days);
        got["class." + p.name + ".spells"] = static_cast<double>(p.spells);
        for (Index j = 0; j < p.factorMean.size(); ++j)
            got["class." + p.name + ".mean." + std::to_string(j)] = p.factorMean[j];
        for (Index i = 0; i < p.factorCov.rows(); ++i)
            for (Index j = 0; j < p.factorCov.cols(); ++j)
                got["class." + p.name + ".cov." + std::to_string(i) + "." + std::to_string(j)] =
                    p.factorCov(i, j);
        long spells = 0, days = 0;
        for (const auto& sp : p.spellStats) {
            days += sp.days;
            if (sp.logVar.size() == 0) continue;
            for (Index j = 0; j < sp.logVar.size(); ++j)
                got["class." + p.name + ".spell." + std::to_string(spells) + ".logvar." +
                    std::to_string(j)] = sp.logVar[j];
            ++spells;
        }
        got["class." + p.name + ".long_spells"] = static_cast<double>(spells);
        // Every day of the class is in one of its spells, one spell per run.
        EXPECT_EQ(days, p.days);
        EXPECT_EQ(static_cast<long>(p.spellStats.size()), p.spells);
    }
    for (const AssetParams& a : m.assets) {
        for (std::size_t c = 0; c < 4; ++c) {
            for (Index j = 0; j < a.beta[c].size(); ++j)
                got["asset." + a.name + ".beta." + std::to_string(c) + "." + std::to_string(j)] =
                    a.beta[c][j];
            got["asset." + a.name + ".idio." + std::to_string(c)] = a.idioSd[c];
            if (a.kind == AssetKind::Equity)
                got["asset." + a.name + ".premium." + std::to_string(c)] = a.premium[c];
        }
        if (a.kind == AssetKind::Bond) got["asset." + a.name + ".duration"] = a.duration;
    }
    for (Index i = 0; i < 4; ++i)
        for (Index j = 0; j < 4; ++j) {
            const std::string ij = std::to_string(i) + "." + std::to_string(j);
            got["switch.monthly." + ij] = m.classMonthly(i, j);
            got["switch.after." + ij] = m.classAfter(i, j);
        }
    got["curve.start_2y"] = m.curve.start2y;
    got["curve.policy_beta"] = m.curve.policyBeta;
    const ValuationHistory& v = m.valuation;
    got["valuation.carry"] = v.carry;
    got["valuation.pe_gap"] = v.peGap;
    got["valuation.growth"] = v.growth;
    got["valuation.growth_reversion"] = v.growthReversion;
    got["valuation.multiple_reversion"] = v.multipleReversion;
    got["valuation.equity_duration"] = v.equityDuration;
    got["valuation.erp_shock_sd"] = v.erpShockSd;
    got["valuation.years"] = static_cast<double>(v.years);
    const StressParams& st = m.stress;
    got["stress.calm_mean"] = st.calmMean;
    got["stress.calm_vol"] = st.calmVol;
    got["stress.turbulent_mean"] = st.turbulentMean;
    got["stress.turbulent_vol"] = st.turbulentVol;
    got["stress.to_turbulent"] = st.toTurbulent;
    got["stress.to_calm"] = st.toCalm;
    got["stress.months"] = static_cast<double>(st.months);
    got["stress.log_likelihood"] = st.logLikelihood;

    for (const auto& [name, value] : want) {
        const auto it = got.find(name);
        ASSERT_NE(it, got.end()) << name;
        // Least squares and sums in another order: agreement to 1e-9 of the value's size (the
        // 500 EM iterations of the stress fit accumulate more rounding: 1e-7).
        const double tol = name.rfind("stress.", 0) == 0 ? 1e-7 : 1e-9;
        EXPECT_NEAR(it->second, value, tol * std::max(1.0, std::abs(value)) + 1e-15) << name;
    }
    EXPECT_EQ(got.size(), want.size());
}

TEST(RegimeCalibration, AClassWithoutEpisodesInTheWindowIsRefused) {
    RegimeCalibrationSpec s = shippedSpec();
    // 2010-2014: the Fed held at zero, no easing episode started (the last was 2007-08).
    s.start = d(2010, 1, 1);
    s.end = d(2014, 12, 31);
    s.assetStart = d(2010, 1, 1);
    DataStore data;
    try {
        calibrateRegimes(s, shippedAssets(), d(2015, 1, 2), data);
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("of class soft_landing (no episode of that kind)"),
                  std::string::npos)
            << e.what();
    }
}

TEST(RegimeCalibration, LabelsGiveTheYearAfterAnEasingStartItsClass) {
    DataStore data;
    const TimeSeries& dff = data.series(kData + "/fred/DFF.csv");
    const TimeSeries& usrec = data.series(kData + "/fred/USREC.csv");
    // 2024-09-19 (soft landing): the next 365 days belong to it; 2007-08-10 starts a recession
    // easing; 2022-03-17..2023 is tightening; 2015-06-01 is hold (zero rates, no move).
    const std::vector<Date> days = {d(2024, 9, 19), d(2024, 9, 20), d(2025, 9, 19), d(2025, 9, 20),
                                    d(2007, 8, 13), d(2022, 6, 1),  d(2015, 6, 1)};
    const std::vector<int> got = labelRegimeClasses(dff, usrec, days, 365);
    // 2025-09-20 is inside the 2025-09-18 resumption's year (soft landing, provisional).
    EXPECT_EQ(got, (std::vector<int>{2, 0, 0, 0, 1, 3, 2}));
}

// class_means: shrunk. Four classes, three factors: the market's means are kept; the second
// factor's class differences are within their sampling noise (DerSimonian-Laird Q = 0.38 < 3,
// tau^2 = 0: every class takes the precision-weighted mean), the third's are not (Q = 8.27,
// tau^2 = 0.00112: partial pooling). Expected values from an independent NumPy computation
// of the random-effects estimates (v_c = 252^2 var_c / days_c).
TEST(RegimeCalibration, ShrunkClassMeansAreTheRandomEffectsEstimates) {
    const std::vector<std::vector<double>> means = {
        {0.15, -0.015, 0.00}, {-0.04, 0.011, 0.08}, {0.12, 0.0, 0.06}, {0.05, -0.015, -0.01}};
    const std::vector<std::vector<double>> var = {{1.0e-4, 3.6e-5, 2.5e-5},
                                                  {2.7e-4, 5.0e-5, 4.0e-5},
                                                  {1.2e-4, 3.0e-5, 2.0e-5},
                                                  {9e-5, 3.2e-5, 2.2e-5}};
    const std::vector<long> days = {2534, 1384, 4638, 2026};
    std::vector<ClassParams> classes(4);
    for (std::size_t c = 0; c < 4; ++c) {
        classes[c].days = days[c];
        classes[c].factorMean = Vector(3);
        classes[c].factorCov = Matrix::Zero(4, 4);  // the yield change last
        for (Index f = 0; f < 3; ++f) {
            classes[c].factorMean[f] = means[c][static_cast<std::size_t>(f)];
            classes[c].factorCov(f, f) = var[c][static_cast<std::size_t>(f)];
        }
        classes[c].factorCov(3, 3) = 1e-4;
    }
    shrinkClassMeans(classes);
    const std::vector<double> hml = {0.010637996886101914, 0.04868368011309808, 0.05401999909130404,
                                     0.005115927600018954};
    for (std::size_t c = 0; c < 4; ++c) {
        SCOPED_TRACE(c);
        EXPECT_EQ(classes[c].factorMean[0], means[c][0]);
        EXPECT_NEAR(classes[c].factorMean[1], -0.00538335766962365, 1e-15);
        EXPECT_NEAR(classes[c].factorMean[2], hml[c], 1e-14);
    }
}

// class_vols: shrunk. Four classes, three factors and the yield change. The second factor's
// spells differ within each class about as much as the classes differ (Q = 4.22 on 3 degrees
// of freedom, tau^2 = 0.0539: the fourth class, one spell at twice the others' variance, is
// pulled most of the way back); the third factor's classes differ far beyond their spells'
// dispersion (Q = 323, tau^2 = 0.461: almost kept). Expected values from an independent NumPy
// computation of the random-effects estimates on ln(variance) with v_c = s^2 / spells_c.
TEST(RegimeCalibration, ShrunkClassVolsAreTheRandomEffectsEstimatesOverSpells) {
    const std::vector<double> var1 = {3.6e-5, 5.0e-5, 3.0e-5, 1.0e-4};
    const std::vector<double> var2 = {2.5e-5, 9.0e-5, 2.0e-5, 2.2e-5};
    const std::vector<std::vector<double>> spells1 = {
        {2.0e-5, 6.0e-5, 3.0e-5}, {3.0e-5, 8.0e-5}, {1.5e-5, 4.5e-5, 2.5e-5, 4.0e-5}, {1.0e-4}};
    const std::vector<std::vector<double>> spells2 = {
        {2.4e-5, 2.7e-5, 2.3e-5}, {8.0e-5, 1.0e-4}, {1.9e-5, 2.2e-5, 2.0e-5, 1.8e-5}, {2.2e-5}};
    std::vector<ClassParams> classes(4);
    std::vector<Matrix> before;
    for (std::size_t c = 0; c < 4; ++c) {
        classes[c].days = 1000;
        classes[c].factorMean = Vector::Zero(3);
        Matrix sd = Vector{{1.2e-2, std::sqrt(var1[c]), std::sqrt(var2[c]), 5e-2}}.asDiagonal();
        Matrix corr(4, 4);
        corr << 1.0, -0.3, 0.2, 0.1, -0.3, 1.0, -0.4, 0.05, 0.2, -0.4, 1.0, -0.1, 0.1, 0.05, -0.1,
            1.0;
        classes[c].factorCov = sd * corr * sd;
        for (std::size_t j = 0; j < spells1[c].size(); ++j) {
            ClassParams::Spell sp;
            sp.days = 63;
            sp.logVar = Vector{{std::log(2e-4), std::log(spells1[c][j]), std::log(spells2[c][j])}};
            classes[c].spellStats.push_back(sp);
        }
        // A spell under 21 days has no variance of its own and is not counted.
        classes[c].spellStats.push_back(ClassParams::Spell{5, Vector()});
        before.push_back(classes[c].factorCov);
    }
    shrinkClassVols(classes);
    const std::vector<double> want1 = {3.9445870644502043e-05, 4.3457507116950226e-05,
                                       3.6254323059049952e-05, 4.7180123108923777e-05};
    const std::vector<double> want2 = {2.5042149100599043e-05, 8.8984637091840303e-05,
                                       2.0049657920809772e-05, 2.2170474143427675e-05};
    for (std::size_t c = 0; c < 4; ++c) {
        SCOPED_TRACE(c);
        const Matrix& got = classes[c].factorCov;
        EXPECT_NEAR(got(1, 1), want1[c], 1e-18);
        EXPECT_NEAR(got(2, 2), want2[c], 1e-18);
        // The market's and the yield's variances and covariance are kept, and so are all the
        // correlations (each row and column scaled by the same factor).
        EXPECT_EQ(got(0, 0), before[c](0, 0));
        EXPECT_EQ(got(3, 3), before[c](3, 3));
        EXPECT_EQ(got(0, 3), before[c](0, 3));
        for (Index i = 0; i < 4; ++i)
            for (Index j = 0; j < 4; ++j)
                EXPECT_NEAR(got(i, j) / std::sqrt(got(i, i) * got(j, j)),
                            before[c](i, j) / std::sqrt(before[c](i, i) * before[c](j, j)), 1e-14);
    }
}

// class_premia: shrunk. Four classes, three factors and the yield change; each equity's premium
// beyond its day-weighted average market loading is shrunk by DerSimonian-Laird with sampling
// variances 252^2 b_c' Cov_c b_c / days_c. A (a large-cap) and B (a small-cap) differ by class
// within their sampling noise (Q = 0.18 and 0.26: tau^2 = 0, the common level); C's class market
// loadings differ (Q = 6.09, tau^2 = 0.00058: partial pooling); D has nothing beyond the market
// (b_c = 0) and the bond E has no premium: both are left alone. Expected values from an
// independent NumPy computation (premium = beta . m, then the random-effects estimates).
TEST(RegimeCalibration, ShrunkClassPremiaAreTheRandomEffectsEstimates) {
    const std::vector<long> days = {2534, 1384, 4638, 2026};
    const std::vector<std::vector<double>> means = {
        {0.15, -0.015, 0.01}, {-0.04, 0.011, 0.08}, {0.12, 0.0, 0.06}, {0.05, -0.015, -0.01}};
    const std::vector<std::vector<double>> sd = {{0.0095, 0.006, 0.005},
                                                 {0.0165, 0.007, 0.0063},
                                                 {0.0108, 0.0055, 0.0045},
                                                 {0.0096, 0.0057, 0.0047}};
    Matrix corr(4, 4);  // the yield change last: its covariances are not part of a premium
    corr << 1.0, -0.3, 0.2, 0.3, -0.3, 1.0, -0.4, 0.2, 0.2, -0.4, 1.0, -0.1, 0.3, 0.2, -0.1, 1.0;
    std::vector<ClassParams> classes(4);
    for (std::size_t c = 0; c < 4; ++c) {
        classes[c].days = days[c];
        classes[c].factorMean = Vector{{means[c][0], means[c][1], means[c][2]}};
        const Matrix s = Vector{{sd[c][0], sd[c][1], sd[c][2], 0.05}}.asDiagonal();
        classes[c].factorCov = s * corr * s;
    }
    const std::map<std::string, std::vector<std::vector<double>>> betas = {
        {"A",
         {{1.00, -0.10, 0.06, -0.002},
          {1.01, -0.12, 0.08, -0.003},
          {0.99, -0.11, 0.065, 0.0},
          {0.995, -0.12, 0.05, -0.001}}},
        {"B",
         {{1.01, 0.88, -0.13, 0.004},
          {1.03, 0.85, -0.04, 0.004},
          {1.02, 0.87, -0.07, -0.001},
          {1.04, 0.87, -0.03, -0.001}}},
        {"C",
         {{1.2, 0.0, 0.9, 0.0}, {0.8, 0.0, 0.9, 0.0}, {1.0, 0.0, 0.9, 0.0}, {1.0, 0.0, 0.9, 0.0}}},
        {"D",
         {{1.1, 0.0, 0.0, 0.3}, {1.1, 0.0, 0.0, 0.3}, {1.1, 0.0, 0.0, 0.3}, {1.1, 0.0, 0.0, 0.3}}},
        {"E",
         {{0.0, 0.0, 0.0, -0.02},
          {0.0, 0.0, 0.0, -0.02},
          {0.0, 0.0, 0.0, -0.02},
          {0.0, 0.0, 0.0, -0.02}}}};
    std::vector<AssetParams> assets;
    for (const auto& [name, b] : betas) {
        AssetParams a;
        a.name = name;
        a.kind = name == "E" ? AssetKind::Bond : AssetKind::Equity;
        for (std::size_t c = 0; c < 4; ++c) {
            a.beta.push_back(Vector{{b[c][0], b[c][1], b[c][2], b[c][3]}});
            a.premium.push_back(
                a.kind == AssetKind::Bond ? 0.0 : a.beta[c].head(3).dot(classes[c].factorMean));
        }
        assets.push_back(std::move(a));
    }
    const std::vector<double> sampleA = {0.15209999999999999, -0.03532, 0.12269999999999999,
                                         0.051050000000000005};
    for (std::size_t c = 0; c < 4; ++c) EXPECT_NEAR(assets[0].premium[c], sampleA[c], 1e-15);
    const std::vector<double> premiumD = assets[3].premium;
    shrinkClassPremia(assets, classes);
    const std::map<std::string, std::vector<double>> want = {
        {"A", {0.15216291621701294, -0.03707094316684637, 0.12228388578798255, 0.0525661481202449}},
        {"B",
         {0.14591169949141758, -0.04840935512963704, 0.11522942770914579, 0.043637460217178306}},
        {"C",
         {0.1888066863483095, 0.0060402496815454565, 0.16959528109467953, 0.06314501941399155}}};
    for (const AssetParams& a : assets) {
        SCOPED_TRACE(a.name);
        for (std::size_t c = 0; c < 4; ++c) {
            if (a.name == "D") {
                EXPECT_EQ(a.premium[c], premiumD[c]);
            } else if (a.name == "E") {
                EXPECT_EQ(a.premium[c], 0.0);
            } else {
                EXPECT_NEAR(a.premium[c], want.at(a.name)[c], 1e-14);
            }
        }
    }
}

// Fewer spells than classes + 1: no dispersion to measure, the volatilities are kept.
TEST(RegimeCalibration, ShrunkClassVolsNeedSpellsToCompare) {
    std::vector<ClassParams> classes(4);
    for (std::size_t c = 0; c < 4; ++c) {
        classes[c].factorMean = Vector::Zero(2);
        classes[c].factorCov = Matrix::Identity(3, 3) * (1e-4 * static_cast<double>(c + 1));
        classes[c].spellStats.push_back(
            ClassParams::Spell{400, Vector{{0.0, std::log(1e-4 * static_cast<double>(c + 1))}}});
    }
    shrinkClassVols(classes);
    for (std::size_t c = 0; c < 4; ++c)
        EXPECT_EQ(classes[c].factorCov(1, 1), 1e-4 * static_cast<double>(c + 1));
}

}  // namespace regime_calibration_test
}  // namespace
}  // namespace rotor
