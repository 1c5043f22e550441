// SPDX-License-Identifier: MIT
// Sleeves calibrated from data: style weights recovered exactly from a parent built as a known
// mix, loadings and residual vols against a second least-squares method (Householder QR on
// [1, factor]), and the errors a sleeve without data gives.
#include "engine/core/error.hpp"
#include "engine/scenario/macro/bifurcation.hpp"
#include "tests/test_support.hpp"

#include <Eigen/QR>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace sleeve_calibration_test {

Date d(int y, int m, int day) { return Date::fromYmd(y, m, day); }

TEST(SleeveCalibration, StyleWeightsRecoverAMixAndStayInTheSimplex) {
    Xoshiro256 rng(5, 0);
    const auto& z = NormalZiggurat::instance();
    Matrix x(80, 3);
    for (Index i = 0; i < x.rows(); ++i)
        for (Index j = 0; j < 3; ++j) x(i, j) = 0.02 * z(rng);
    Vector w(3);
    w << 0.45, 0.40, 0.15;
    const Vector got = styleWeights(x, x * w);
    for (Index j = 0; j < 3; ++j) EXPECT_NEAR(got[j], w[j], 1e-10);
    // A target outside the simplex: y = 1.5 x_0 - 0.5 x_1 is best matched, with weights >= 0
    // summing to 1, by a point on the boundary; no weight is negative.
    const Vector edge = styleWeights(x, 1.5 * x.col(0) - 0.5 * x.col(1));
    EXPECT_NEAR(edge.sum(), 1.0, 1e-12);
    EXPECT_GE(edge.minCoeff(), 0.0);
    EXPECT_GT(edge[0], 0.9);
}

struct Files {
    std::string dir;
    TimeSeries parent;
    Matrix daily;   // days x 3 portfolio simple returns
    Vector factor;  // days
    std::vector<Date> days;
};

// Weekdays from 2015-01-05: three portfolios, a factor, and a parent whose weekly return is the
// 0.45 / 0.40 / 0.15 mix of the portfolios' weekly compounded returns.
Files makeFiles() {
    Files f;
    f.dir = test::scratchDir("sleeve_calibration");
    Xoshiro256 rng(11, 0);
    const auto& z = NormalZiggurat::instance();
    for (Date x = d(2015, 1, 5); f.days.size() < 600; x = x + 1)
        if (x.weekday() != 0 && x.weekday() != 6) f.days.push_back(x);
    const auto n = static_cast<Index>(f.days.size());
    f.daily.resize(n, 3);
    f.factor.resize(n);
    const double beta[3] = {0.3, 0.0, -0.5};
    for (Index t = 0; t < n; ++t) {
        f.factor[t] = 0.0002 + 0.004 * z(rng);
        const double market = 0.0003 + 0.01 * z(rng);
        for (Index j = 0; j < 3; ++j)
            f.daily(t, j) = market + beta[j] * f.factor[t] + 0.003 * z(rng);
    }
    // Full precision in percent units (the published two decimals would blur the check).
    std::ofstream p(f.dir + "/op.csv");
    p.precision(17);
    p << "date,lo,mid,hi\n";
    std::ofstream q(f.dir + "/ff.csv");
    q.precision(17);
    q << "date,rmw_pct\n";
    for (Index t = 0; t < n; ++t) {
        const auto k = static_cast<std::size_t>(t);
        p << f.days[k].iso() << ',' << 100 * f.daily(t, 2) << ',' << 100 * f.daily(t, 1) << ','
          << 100 * f.daily(t, 0) << '\n';
        q << f.days[k].iso() << ',' << 100 * f.factor[t] << '\n';
    }
    // Parent: flat inside a week, then the mix of the week's compounded returns on its last day.
    const double w[3] = {0.15, 0.40, 0.45};  // hi, mid, lo
    double close = 100.0;
    Vector growth = Vector::Ones(3);
    for (Index t = 0; t < n; ++t) {
        const auto k = static_cast<std::size_t>(t);
        for (Index j = 0; j < 3; ++j) growth[j] *= 1.0 + f.daily(t, j);
        const bool lastOfWeek = k + 1 == f.days.size() || f.days[k + 1].weekday() == 1;
        if (lastOfWeek) {
            // Every week has five days from a Monday; the first only supplies the start close.
            if (k >= 5) {
                double mix = 0.0;
                for (Index j = 0; j < 3; ++j) mix += w[j] * (growth[j] - 1.0);
                close *= 1.0 + mix;
            }
            growth.setOnes();
        }
        f.parent.dates.push_back(f.days[k]);
        f.parent.values.push_back(close);
    }
    return f;
}

BifurcationSpec calibratedSpec(const Files& f) {
    BifurcationSpec s;
    s.parent = "IWM";
    s.sleeves.resize(3);
    s.sleeves[0].name = "Q";
    s.sleeves[1].name = "C";
    s.sleeves[2].name = "S";
    SleeveCalibrationSpec c;
    c.portfolios = f.dir + "/op.csv";
    c.portfoliosUnit = 0.01;
    c.factorFile = f.dir + "/ff.csv";
    c.factorColumn = "rmw_pct";
    c.factorUnit = 0.01;
    c.start = d(2015, 1, 1);
    c.weightsFrom = d(2015, 1, 1);
    c.columns = {"hi", "mid", "lo"};
    c.columnWhere.resize(3);
    s.calibrate = c;
    return s;
}

TEST(SleeveCalibration, WeightsLoadingsAndVolsAgainstASecondMethod) {
    const Files f = makeFiles();
    DataStore data;
    const BifurcationSpec out = calibrateBifurcation(calibratedSpec(f), f.parent, data,
                                                     f.days.back());
    // Weights: the mix the parent was built from (hi, mid, lo).
    EXPECT_NEAR(out.sleeves[0].weight, 0.15, 1e-9);
    EXPECT_NEAR(out.sleeves[1].weight, 0.40, 1e-9);
    EXPECT_NEAR(out.sleeves[2].weight, 0.45, 1e-9);
    EXPECT_EQ(out.calibrate->weeks, 119);  // 120 weeks of 5 days; the first starts the closes
    EXPECT_EQ(out.calibrate->days, 600);

    // Second method: QR least squares of each relative return on [1, factor].
    const auto n = static_cast<Index>(f.days.size());
    const double w[3] = {0.15, 0.40, 0.45};
    Matrix design(n, 2);
    design.col(0).setOnes();
    design.col(1) = f.factor;
    double sumSq = 0.0;
    const double mean = f.factor.mean();
    for (Index t = 0; t < n; ++t) sumSq += (f.factor[t] - mean) * (f.factor[t] - mean);
    EXPECT_NEAR(out.factorMean, 252.0 * mean, 1e-12);
    EXPECT_NEAR(out.factorVol, std::sqrt(sumSq / static_cast<double>(n - 1) * 252.0), 1e-12);
    const int col[3] = {0, 1, 2};  // daily columns: hi = beta 0.3, mid, lo = -0.5
    for (int j = 0; j < 3; ++j) {
        Vector rel(n);
        for (Index t = 0; t < n; ++t) {
            double composite = 0.0;
            for (int k = 0; k < 3; ++k) composite += w[k] * f.daily(t, col[k]);
            rel[t] = f.daily(t, col[j]) - composite;
        }
        const Vector coef = design.householderQr().solve(rel);
        const Vector resid = rel - design * coef;
        const double vol = std::sqrt(resid.squaredNorm() / static_cast<double>(n - 2) * 252.0);
        const SleeveSpec& s = out.sleeves[static_cast<std::size_t>(j)];
        EXPECT_NEAR(s.rmwLoading, coef[1], 1e-7) << j;
        EXPECT_NEAR(s.vol, vol, 1e-9) << j;
        EXPECT_EQ(s.drift, 0.0);
        EXPECT_NEAR(out.calibrate->alpha[static_cast<std::size_t>(j)], 252.0 * coef[0], 1e-9);
    }
    // The loadings of a value-weighted set of relative returns sum to zero (the index's own
    // exposure is untouched), and they are near the construction's 0.3 - mix, 0 - mix, -0.5 - mix.
    EXPECT_NEAR(0.15 * out.sleeves[0].rmwLoading + 0.40 * out.sleeves[1].rmwLoading +
                    0.45 * out.sleeves[2].rmwLoading,
                0.0, 1e-9);
    EXPECT_NEAR(out.sleeves[0].rmwLoading, 0.3 - (0.15 * 0.3 - 0.45 * 0.5), 0.1);
}

TEST(SleeveCalibration, ASleeveWithoutDataIsLocated) {
    const Files f = makeFiles();
    BifurcationSpec s = calibratedSpec(f);
    s.calibrate->columns[1] = "nope";
    s.calibrate->columnWhere[1] = ConfigLocation{"c.yaml", 7, 30, "bifurcation.sleeves.column"};
    DataStore data;
    try {
        calibrateBifurcation(s, f.parent, data, f.days.back());
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("c.yaml:7:30: bifurcation.sleeves.column"),
                  std::string::npos)
            << e.what();
    }
    // A cut-off before a year of data: too few days, at the calibrate block.
    s = calibratedSpec(f);
    s.calibrate->where = ConfigLocation{"c.yaml", 3, 3, "bifurcation.calibrate"};
    s.calibrate->weightsWhere = ConfigLocation{"c.yaml", 6, 19,
                                               "bifurcation.calibrate.weights_from"};
    EXPECT_THROW(calibrateBifurcation(s, f.parent, data, d(2015, 6, 30)), ConfigError);
}

}  // namespace sleeve_calibration_test
}  // namespace
}  // namespace rotor
