// SPDX-License-Identifier: MIT
#include "engine/scenario/regime/regime_calibration.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/regime/policy_episodes.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <map>

namespace rotor {

namespace {

constexpr double kDays = 252.0;
constexpr int kSoft = 0, kRecession = 1, kHold = 2, kTightening = 3;
constexpr int kClasses = 4;

struct Ols {
    Vector beta;
    double residualVar = 0.0;
    long n = 0;
};

// y = X b by least squares; InputError naming `what` when X has no full column rank.
Ols ols(const Matrix& x, const Vector& y, const std::string& what) {
    Ols out;
    out.n = static_cast<long>(x.rows());
    const Eigen::ColPivHouseholderQR<Matrix> qr(x);
    if (qr.rank() < x.cols() || x.rows() <= x.cols())
        throw InputError("regime calibration: " + what + ": " + std::to_string(x.rows()) +
                         " observations do not determine " + std::to_string(x.cols()) +
                         " coefficients");
    out.beta = qr.solve(y);
    const Vector r = y - x * out.beta;
    out.residualVar = r.squaredNorm() / static_cast<double>(x.rows() - x.cols());
    return out;
}

// Index of the last date <= d (dates ascending), or -1.
long lastOnOrBefore(const std::vector<Date>& dates, Date d) {
    return static_cast<long>(std::upper_bound(dates.begin(), dates.end(), d) - dates.begin()) - 1;
}

std::string classMessage(int c) { return regimeClassNames()[static_cast<std::size_t>(c)]; }

// Factor returns (scaled), the risk-free rate and the 2-year yield on the factor file's days.
struct FactorDays {
    std::vector<Date> days;
    Matrix f;                // T x K
    Vector rf;               // T, daily fraction (0 without a column)
    Vector y2;               // T, percent
    Vector y10;              // T, percent (empty without a long rate)
    std::vector<int> label;  // T, class index
};

// `s` without its observations after `last`.
TimeSeries truncatedTo(const TimeSeries& s, Date last) {
    TimeSeries out;
    out.name = s.name;
    out.file = s.file;
    const auto end = std::upper_bound(s.dates.begin(), s.dates.end(), last);
    out.dates.assign(s.dates.begin(), end);
    out.values.assign(s.values.begin(), s.values.begin() + (end - s.dates.begin()));
    return out;
}

FactorDays readFactorDays(const RegimeCalibrationSpec& s, Date from, Date to, Date cutoff,
                          DataStore& data) {
    std::vector<std::string> cols = s.factorColumns;
    if (!s.riskFreeColumn.empty()) cols.push_back(s.riskFreeColumn);
    const auto& series = data.columns(s.factorFile, cols);
    const auto& dates = series.front().dates;
    FactorDays fd;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < dates.size(); ++i)
        if (dates[i] >= from && dates[i] <= to) rows.push_back(i);
    if (rows.size() < 100)
        throw InputError(s.factorFile + ": fewer than 100 factor days between " + from.iso() +
                         " and " + to.iso());
    const auto k = static_cast<Index>(s.factorColumns.size());
    fd.f.resize(static_cast<Index>(rows.size()), k);
    fd.rf = Vector::Zero(static_cast<Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        fd.days.push_back(dates[rows[r]]);
        for (Index c = 0; c < k; ++c)
            fd.f(static_cast<Index>(r), c) = s.factorScale *
                                             series[static_cast<std::size_t>(c)].values[rows[r]];
        if (!s.riskFreeColumn.empty())
            fd.rf[static_cast<Index>(r)] = s.factorScale * series.back().values[rows[r]];
    }
    fd.y2 = forwardFill(data.series(s.rateFile, s.rateColumn), fd.days);
    if (!s.longRateFile.empty())
        fd.y10 = forwardFill(data.series(s.longRateFile, s.longRateColumn), fd.days);
    // Episodes are found from the policy and recession data known at the cut-off only: a later
    // cut or recession month must not relabel the window's days.
    fd.label = labelRegimeClasses(truncatedTo(data.series(s.policyFile, s.policyColumn), cutoff),
                                  truncatedTo(data.series(s.recessionFile, s.recessionColumn),
                                              cutoff),
                                  fd.days, s.easingDays);
    return fd;
}

// The regressors of day pair (t-1, t] on the factor grid: K factors, then the 2-year change.
Vector regressors(const FactorDays& fd, Index t) {
    const Index k = fd.f.cols();
    Vector x(k + 1);
    x.head(k) = fd.f.row(t).transpose();
    x[k] = fd.y2[t] - fd.y2[t - 1];
    return x;
}

ClassParams classStats(const FactorDays& fd, int c, Date from) {
    ClassParams p;
    p.name = classMessage(c);
    const Index k = fd.f.cols();
    std::vector<Index> rows;
    int previous = -1;
    for (Index t = 1; t < static_cast<Index>(fd.days.size()); ++t) {
        if (fd.days[static_cast<std::size_t>(t)] < from) continue;
        const int l = fd.label[static_cast<std::size_t>(t)];
        if (l == c) {
            rows.push_back(t);
            if (previous != c) ++p.spells;
        }
        previous = l;
    }
    p.days = static_cast<long>(rows.size());
    if (p.days < k + 10)
        throw InputError("regime calibration: the window has " + std::to_string(p.days) +
                         " days of class " + p.name + " (no episode of that kind): widen it");
    Matrix x(static_cast<Index>(rows.size()), k + 1);
    for (std::size_t i = 0; i < rows.size(); ++i)
        x.row(static_cast<Index>(i)) = regressors(fd, rows[i]).transpose();
    const Vector mean = x.colwise().mean().transpose();
    const Matrix centred = x.rowwise() - mean.transpose();
    p.factorCov = centred.transpose() * centred / static_cast<double>(rows.size() - 1);
    p.factorMean = mean.head(k) * kDays;
    // Each spell's own statistics (the rows of one spell are consecutive factor days).
    constexpr std::size_t kMinSpellDays = 21;
    std::size_t first = 0;
    for (std::size_t i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows[i] == rows[i - 1] + 1) continue;
        const Matrix block = x.block(static_cast<Index>(first), 0, static_cast<Index>(i - first),
                                     k);
        ClassParams::Spell sp;
        sp.days = static_cast<long>(i - first);
        if (i - first >= kMinSpellDays) {
            const Matrix dev = block.rowwise() - block.colwise().mean();
            sp.logVar = (dev.colwise().squaredNorm() / static_cast<double>(i - first - 1))
                            .array()
                            .log()
                            .transpose();
        }
        p.spellStats.push_back(std::move(sp));
        first = i;
    }
    return p;
}

// One asset's loadings: pooled over every day of its window, then per class shrunk toward the
// pooled ones with `prior` days of weight.
void assetLoadings(const RegimeCalibrationSpec& s, const FactorDays& fd, const TimeSeries& prices,
                   const RegimeAssetInput& in, AssetParams& out) {
    const Index k = fd.f.cols();
    const bool tenYear = in.kind == AssetKind::Bond && in.curve == "10y";
    // Common days: the asset's dates that are factor days, after its first date.
    std::vector<Index> at;  // factor rows
    std::vector<double> px;
    for (std::size_t i = 0; i < prices.dates.size(); ++i) {
        const long r = lastOnOrBefore(fd.days, prices.dates[i]);
        if (r < 0 || fd.days[static_cast<std::size_t>(r)] != prices.dates[i]) continue;
        at.push_back(r);
        px.push_back(prices.values[i]);
    }
    if (at.size() < 300)
        throw InputError(prices.file + ": " + in.name + " has " + std::to_string(at.size()) +
                         " days in the calibration window; the regime model needs at least 300");
    const auto n = static_cast<Index>(at.size()) - 1;
    Matrix x(n, k + 2);
    Vector y(n);
    std::vector<int> label(static_cast<std::size_t>(n));
    for (Index j = 1; j <= n; ++j) {
        const Index a = at[static_cast<std::size_t>(j - 1)], b = at[static_cast<std::size_t>(j)];
        Vector f = Vector::Zero(k);
        double rf = 0.0;
        for (Index t = a + 1; t <= b; ++t) {
            f += fd.f.row(t).transpose();
            rf += fd.rf[t];
        }
        x(j - 1, 0) = 1.0;
        x.block(j - 1, 1, 1, k) = f.transpose();
        x(j - 1, k + 1) = tenYear ? fd.y10[b] - fd.y10[a] : fd.y2[b] - fd.y2[a];
        y[j - 1] = std::log(px[static_cast<std::size_t>(j)] / px[static_cast<std::size_t>(j - 1)]) -
                   rf;
        label[static_cast<std::size_t>(j - 1)] = fd.label[static_cast<std::size_t>(b)];
    }
    const Ols pooled = ols(x, y, in.name + " (all days)");
    out.beta.assign(kClasses, Vector());
    out.idioSd.assign(kClasses, 0.0);
    for (int c = 0; c < kClasses; ++c) {
        std::vector<Index> rows;
        for (Index j = 0; j < n; ++j)
            if (label[static_cast<std::size_t>(j)] == c) rows.push_back(j);
        double w = 0.0;
        Vector b = pooled.beta;
        double v = pooled.residualVar;
        if (static_cast<Index>(rows.size()) > k + 10) {
            Matrix xc(static_cast<Index>(rows.size()), k + 2);
            Vector yc(static_cast<Index>(rows.size()));
            for (std::size_t i = 0; i < rows.size(); ++i) {
                xc.row(static_cast<Index>(i)) = x.row(rows[i]);
                yc[static_cast<Index>(i)] = y[rows[i]];
            }
            const Ols fit = ols(xc, yc, in.name + " (" + classMessage(c) + " days)");
            w = static_cast<double>(rows.size());
            b = fit.beta;
            v = fit.residualVar;
        }
        const double prior = s.priorDays;
        // The intercept (in-sample alpha) is dropped: expected returns come from the factors.
        out.beta[static_cast<std::size_t>(c)] =
            ((w * b + prior * pooled.beta) / (w + prior)).tail(k + 1);
        out.idioSd[static_cast<std::size_t>(c)] = std::sqrt((w * v + prior * pooled.residualVar) /
                                                            (w + prior));
    }
    if (in.kind == AssetKind::Bond) {
        // ln(P_t / P_t-1) = carry - D dy / 100: the pooled yield loading is -D / 100.
        out.duration = in.duration ? *in.duration : -100.0 * pooled.beta[k + 1];
        if (!(out.duration > 0.0))
            throw InputError(in.name + ": its calibrated duration is " +
                             std::to_string(out.duration) + " years (not a bond); give `duration`");
    }
}

CurveParams calibrateCurve(const RegimeCalibrationSpec& s, const FactorDays& fd, Date cutoff,
                           DataStore& data) {
    CurveParams c;
    const TimeSeries& y2 = data.series(s.rateFile, s.rateColumn);
    const long i2 = lastOnOrBefore(y2.dates, cutoff);
    if (i2 < 0 || cutoff - y2.dates[static_cast<std::size_t>(i2)] > kDefaultMaxStaleDays)
        throw InputError(s.rateFile + ": no 2-year yield within " +
                         std::to_string(kDefaultMaxStaleDays) + " days before the start " +
                         cutoff.iso());
    c.start2y = y2.values[static_cast<std::size_t>(i2)];
    c.start2yDate = y2.dates[static_cast<std::size_t>(i2)];
    // b: DGS2 on the realised average policy rate over the next 252 factor days (ex post).
    const Vector policy = forwardFill(data.series(s.policyFile, s.policyColumn), fd.days);
    const auto t = static_cast<Index>(fd.days.size());
    const Index h = 252;
    if (t <= h + 250) throw InputError("regime calibration: the window is too short for the curve");
    Matrix x(t - h, 2);
    Vector y(t - h);
    for (Index i = 0; i < t - h; ++i) {
        x(i, 0) = 1.0;
        x(i, 1) = policy.segment(i + 1, h).mean();
        y[i] = fd.y2[i];
    }
    c.policyBeta = ols(x, y, "2-year yield on the next year's policy rate").beta[1];
    if (!s.longRateFile.empty()) {
        const TimeSeries& y10 = data.series(s.longRateFile, s.longRateColumn);
        const long i10 = lastOnOrBefore(y10.dates, cutoff);
        if (i10 < 0 || cutoff - y10.dates[static_cast<std::size_t>(i10)] > kDefaultMaxStaleDays)
            throw InputError(s.longRateFile + ": no 10-year yield near the start " + cutoff.iso());
        c.start10y = y10.values[static_cast<std::size_t>(i10)];
        c.start10yDate = y10.dates[static_cast<std::size_t>(i10)];
        Matrix dx(t - 1, 2);
        Vector dy(t - 1);
        for (Index i = 1; i < t; ++i) {
            dx(i - 1, 0) = 1.0;
            dx(i - 1, 1) = fd.y2[i] - fd.y2[i - 1];
            dy[i - 1] = fd.y10[i] - fd.y10[i - 1];
        }
        c.tenYearBeta = ols(dx, dy, "10-year on 2-year yield changes").beta[1];
    }
    return c;
}

// The Shiller columns both the valuation history and the stress fit use, read once over the
// union of their windows (the file is parsed once; CAPE starts in 1881).
const std::vector<TimeSeries>& shillerColumns(const RegimeCalibrationSpec& s, DataStore& data) {
    ReadWindow window;
    window.from = Date::fromYmd(toYmd(s.valuationStart.value_or(s.start)).year - 1, 1, 1);
    if (s.stressStart) window.from = std::min(*window.from, *s.stressStart + (-40));
    return data.columns(s.valuationFile,
                        {"sp_composite_price", "dividend_12m", "earnings_12m", "gs10_pct", "cape"},
                        window);
}

ValuationHistory calibrateValuation(const RegimeCalibrationSpec& spec, Date cutoff,
                                    DataStore& data) {
    // The valuation window may start earlier than the episodes' (more years of the multiple).
    RegimeCalibrationSpec s = spec;
    s.start = spec.valuationStart.value_or(spec.start);
    ValuationHistory v;
    const auto& series = shillerColumns(spec, data);
    const auto& dates = series[0].dates;
    double carrySum = 0.0, lnPeSum = 0.0, lnPeNow = 0.0;
    long months = 0;
    std::map<int, std::size_t> december;  // year -> row
    for (std::size_t i = 0; i < dates.size(); ++i) {
        if (dates[i] > s.end) break;
        if (dates[i] >= s.start) {
            carrySum += series[1].values[i] / series[0].values[i];
            lnPeSum += std::log(series[0].values[i] / series[2].values[i]);
            ++months;
        }
        if (toYmd(dates[i]).month == 12) december[toYmd(dates[i]).year] = i;
    }
    if (months < 60) throw InputError(s.valuationFile + ": fewer than 5 years in the window");
    v.carry = carrySum / static_cast<double>(months);
    // Today's trailing multiple: the last month on or before the start.
    const long now = lastOnOrBefore(dates, cutoff);
    if (now < 0 || cutoff - dates[static_cast<std::size_t>(now)] > 92)
        throw InputError(s.valuationFile + ": no month within 3 months before the start " +
                         cutoff.iso());
    lnPeNow = std::log(series[0].values[static_cast<std::size_t>(now)] /
                       series[2].values[static_cast<std::size_t>(now)]);
    v.peGap = lnPeSum / static_cast<double>(months) - lnPeNow;
    // Annual (December to December) changes within the window.
    std::vector<double> growth, dCape, dYield, lagCape;
    for (const auto& [year, row] : december) {
        const auto prev = december.find(year - 1);
        if (prev == december.end() || dates[row] > s.end ||
            dates[prev->second] < Date::fromYmd(toYmd(s.start).year - 1, 12, 1))
            continue;
        const std::size_t p = prev->second;
        growth.push_back(std::log(series[2].values[row] / series[2].values[p]));
        dCape.push_back(std::log(series[4].values[row] / series[4].values[p]));
        dYield.push_back(series[3].values[row] - series[3].values[p]);
        lagCape.push_back(std::log(series[4].values[p]));
    }
    const auto n = static_cast<Index>(growth.size());
    if (n < 5) throw InputError(s.valuationFile + ": fewer than 5 whole years in the window");
    v.years = static_cast<long>(n);
    double g = 0.0;
    for (double x : growth) g += x;
    v.growth = g / static_cast<double>(n);
    // Growth persistence: AR(1) of annual growth; a coefficient at or below 0.05 (history since
    // the 1950s shows none) is floored there, so a growth view decays within months.
    Matrix gx(n - 1, 2);
    Vector gy(n - 1);
    for (Index i = 1; i < n; ++i) {
        gx(i - 1, 0) = 1.0;
        gx(i - 1, 1) = growth[static_cast<std::size_t>(i - 1)];
        gy[i - 1] = growth[static_cast<std::size_t>(i)];
    }
    const double phi = ols(gx, gy, "earnings growth persistence").beta[1];
    v.growthReversion = -std::log(std::clamp(phi, 0.05, 0.99));
    // The multiple: d ln CAPE = a + b dGS10 + c ln CAPE(-1); kappa = -c, duration = -100 b.
    Matrix ex(n, 3);
    Vector ey(n);
    for (Index i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        ex(i, 0) = 1.0;
        ex(i, 1) = dYield[k];
        ex(i, 2) = lagCape[k];
        ey[i] = dCape[k];
    }
    const Ols ecm = ols(ex, ey, "multiple mean reversion");
    v.multipleReversion = std::max(0.0, -ecm.beta[2]);
    v.equityDuration = -100.0 * ecm.beta[1];
    v.erpShockSd = std::sqrt(ecm.residualVar);
    return v;
}

// Monthly S&P total log returns from the Shiller file: ln((P_t + D_t / 12) / P_(t-1)).
std::vector<double> shillerMonthly(const RegimeCalibrationSpec& s, Date from, DataStore& data) {
    const auto& series = shillerColumns(s, data);
    const auto& dates = series[0].dates;
    std::vector<double> out;
    for (std::size_t i = 1; i < dates.size(); ++i) {
        if (dates[i] < from || dates[i] > s.end) continue;
        const double p = series[0].values[i], prev = series[0].values[i - 1];
        out.push_back(std::log((p + series[1].values[i] / 12.0) / prev));
    }
    if (out.size() < 120)
        throw InputError(s.valuationFile + ": fewer than 10 years for the stress fit");
    return out;
}

}  // namespace

StressParams fitStress(const std::vector<double>& monthlyLogReturns) {
    const std::vector<double>& r = monthlyLogReturns;
    const std::size_t n = r.size();
    double mu[2] = {0.01, -0.01}, sd[2] = {0.035, 0.08};
    double P[2][2] = {{0.96, 0.04}, {0.2, 0.8}}, pi[2] = {0.8, 0.2};
    std::vector<double> a(2 * n), b(2 * n), c(n), B(2 * n), g(2 * n);
    const double norm = std::sqrt(2.0 * 3.14159265358979323846);
    double logLik = 0.0;
    for (int iteration = 0; iteration < 500; ++iteration) {
        for (std::size_t t = 0; t < n; ++t)
            for (int s = 0; s < 2; ++s) {
                const double z = (r[t] - mu[s]) / sd[s];
                B[2 * t + static_cast<std::size_t>(s)] = std::exp(-0.5 * z * z) / (sd[s] * norm);
            }
        // Forward pass, scaled.
        for (int s = 0; s < 2; ++s)
            a[static_cast<std::size_t>(s)] = pi[s] * B[static_cast<std::size_t>(s)];
        c[0] = a[0] + a[1];
        a[0] /= c[0];
        a[1] /= c[0];
        for (std::size_t t = 1; t < n; ++t) {
            for (int s = 0; s < 2; ++s)
                a[2 * t + static_cast<std::size_t>(s)] = (a[2 * t - 2] * P[0][s] +
                                                          a[2 * t - 1] * P[1][s]) *
                                                         B[2 * t + static_cast<std::size_t>(s)];
            c[t] = a[2 * t] + a[2 * t + 1];
            a[2 * t] /= c[t];
            a[2 * t + 1] /= c[t];
        }
        // Backward pass.
        b[2 * n - 2] = b[2 * n - 1] = 1.0;
        for (std::size_t t = n - 1; t-- > 0;)
            for (int s = 0; s < 2; ++s)
                b[2 * t + static_cast<std::size_t>(s)] = (P[s][0] * B[2 * t + 2] * b[2 * t + 2] +
                                                          P[s][1] * B[2 * t + 3] * b[2 * t + 3]) /
                                                         c[t + 1];
        double xi[2][2] = {{0, 0}, {0, 0}};
        for (std::size_t t = 0; t < n; ++t) {
            const double g0 = a[2 * t] * b[2 * t], g1 = a[2 * t + 1] * b[2 * t + 1];
            g[2 * t] = g0 / (g0 + g1);
            g[2 * t + 1] = g1 / (g0 + g1);
            if (t + 1 == n) continue;
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 2; ++j)
                    xi[i][j] += a[2 * t + static_cast<std::size_t>(i)] * P[i][j] *
                                B[2 * t + 2 + static_cast<std::size_t>(j)] *
                                b[2 * t + 2 + static_cast<std::size_t>(j)] / c[t + 1];
        }
        for (int i = 0; i < 2; ++i) {
            const double row = xi[i][0] + xi[i][1];
            P[i][0] = xi[i][0] / row;
            P[i][1] = xi[i][1] / row;
            pi[i] = g[static_cast<std::size_t>(i)];
        }
        for (int s = 0; s < 2; ++s) {
            double w = 0.0, m = 0.0;
            for (std::size_t t = 0; t < n; ++t) {
                w += g[2 * t + static_cast<std::size_t>(s)];
                m += g[2 * t + static_cast<std::size_t>(s)] * r[t];
            }
            mu[s] = m / w;
            double v = 0.0;
            for (std::size_t t = 0; t < n; ++t)
                v += g[2 * t + static_cast<std::size_t>(s)] * (r[t] - mu[s]) * (r[t] - mu[s]);
            sd[s] = std::sqrt(v / w);
        }
        logLik = 0.0;
        for (double x : c) logLik += std::log(x);
    }
    // The turbulent state is the one with the larger volatility.
    const int calm = sd[0] <= sd[1] ? 0 : 1, turb = 1 - calm;
    StressParams out;
    out.enabled = true;
    out.calmMean = 12.0 * mu[calm];
    out.calmVol = std::sqrt(12.0) * sd[calm];
    out.turbulentMean = 12.0 * mu[turb];
    out.turbulentVol = std::sqrt(12.0) * sd[turb];
    out.toTurbulent = P[calm][turb];
    out.toCalm = P[turb][calm];
    out.months = static_cast<long>(n);
    out.logLikelihood = logLik;
    return out;
}

const std::vector<std::string>& regimeClassNames() {
    static const std::vector<std::string> names = {"soft_landing", "recession", "hold",
                                                   "tightening"};
    return names;
}

std::vector<int> labelRegimeClasses(const TimeSeries& policy, const TimeSeries& recessions,
                                    const std::vector<Date>& days, long easingDays) {
    const std::vector<PolicyEpisode> episodes = policyEpisodes(policy, recessions).episodes;
    std::vector<int> label(days.size(), kHold);
    for (const auto& e : episodes) {
        if (e.direction <= 0) continue;
        for (std::size_t i = 0; i < days.size(); ++i)
            if (days[i] >= e.start && days[i] <= e.end) label[i] = kTightening;
    }
    // Easing years last: the year after a cut belongs to it even when a hike follows.
    for (const auto& e : episodes) {
        if (e.direction >= 0) continue;
        const int c = e.recession() ? kRecession : kSoft;
        // The easing year, or the whole episode when the cutting goes on longer (2007-09..2008-12).
        const Date last = std::max(e.end, e.start + static_cast<int>(easingDays));
        for (std::size_t i = 0; i < days.size(); ++i)
            if (days[i] > e.start && days[i] <= last) label[i] = c;
    }
    return label;
}

void classTransitions(const std::vector<int>& labels, int classes, Matrix& monthly, Matrix& after) {
    monthly = Matrix::Zero(classes, classes);
    after = Matrix::Zero(classes, classes);
    for (std::size_t t = 21; t < labels.size(); t += 21) monthly(labels[t - 21], labels[t]) += 1.0;
    for (std::size_t t = 1; t < labels.size(); ++t)
        if (labels[t] != labels[t - 1]) after(labels[t - 1], labels[t]) += 1.0;
    for (Index c = 0; c < classes; ++c) {
        if (after.row(c).sum() == 0.0) {
            after.row(c) = monthly.row(c);
            after(c, c) = 0.0;
        }
        if (after.row(c).sum() == 0.0) after(c, c) = 1.0;
        if (monthly.row(c).sum() == 0.0) monthly(c, c) = 1.0;
        monthly.row(c) /= monthly.row(c).sum();
        after.row(c) /= after.row(c).sum();
    }
}

namespace {

// The random-effects (DerSimonian–Laird) estimate of each of n estimates y with sampling
// variances v: pulled toward the precision-weighted common level by v / (v + tau^2), where tau^2
// is the between-estimate variance beyond sampling noise (0 when there is none).
std::vector<double> randomEffectsShrink(const std::vector<double>& y,
                                        const std::vector<double>& v) {
    const std::size_t n = y.size();
    double sw = 0.0, sw2 = 0.0, swy = 0.0;
    for (std::size_t c = 0; c < n; ++c) {
        const double w = 1.0 / v[c];
        sw += w;
        sw2 += w * w;
        swy += w * y[c];
    }
    double q = 0.0;
    for (std::size_t c = 0; c < n; ++c) q += (y[c] - swy / sw) * (y[c] - swy / sw) / v[c];
    const double tau2 = std::max(0.0, (q - static_cast<double>(n - 1)) / (sw - sw2 / sw));
    double num = 0.0, den = 0.0;
    for (std::size_t c = 0; c < n; ++c) {
        num += y[c] / (v[c] + tau2);
        den += 1.0 / (v[c] + tau2);
    }
    const double mu = num / den;
    std::vector<double> out(n);
    for (std::size_t c = 0; c < n; ++c) out[c] = mu + tau2 / (tau2 + v[c]) * (y[c] - mu);
    return out;
}

}  // namespace

void shrinkClassMeans(std::vector<ClassParams>& classes) {
    const std::size_t n = classes.size();
    if (n < 2) return;
    const Index k = classes.front().factorMean.size();
    for (Index f = 1; f < k; ++f) {
        std::vector<double> m(n), v(n);
        for (std::size_t c = 0; c < n; ++c) {
            m[c] = classes[c].factorMean[f];
            v[c] = kDays * kDays * classes[c].factorCov(f, f) /
                   static_cast<double>(classes[c].days);
        }
        const std::vector<double> shrunk = randomEffectsShrink(m, v);
        for (std::size_t c = 0; c < n; ++c) classes[c].factorMean[f] = shrunk[c];
    }
}

void shrinkClassVols(std::vector<ClassParams>& classes) {
    const std::size_t n = classes.size();
    if (n < 2) return;
    const Index k = classes.front().factorMean.size();
    for (Index f = 1; f < k; ++f) {
        // Between-spell dispersion of the log variances within the classes, pooled.
        double ss = 0.0;
        long spells = 0, groups = 0;
        std::vector<long> counted(n, 0);
        for (std::size_t c = 0; c < n; ++c) {
            double mean = 0.0;
            for (const auto& sp : classes[c].spellStats) {
                if (sp.logVar.size() == 0) continue;
                mean += sp.logVar[f];
                ++counted[c];
            }
            if (counted[c] == 0) continue;
            mean /= static_cast<double>(counted[c]);
            for (const auto& sp : classes[c].spellStats)
                if (sp.logVar.size() != 0) ss += (sp.logVar[f] - mean) * (sp.logVar[f] - mean);
            spells += counted[c];
            ++groups;
        }
        if (spells - groups < 1 || !(ss > 0.0)) continue;
        const double s2 = ss / static_cast<double>(spells - groups);
        std::vector<double> y(n), v(n);
        for (std::size_t c = 0; c < n; ++c) {
            y[c] = std::log(classes[c].factorCov(f, f));
            v[c] = s2 / static_cast<double>(std::max<long>(1, counted[c]));
        }
        const std::vector<double> shrunk = randomEffectsShrink(y, v);
        for (std::size_t c = 0; c < n; ++c) {
            const double scale = std::exp(0.5 * (shrunk[c] - y[c]));
            classes[c].factorCov.row(f) *= scale;
            classes[c].factorCov.col(f) *= scale;
        }
    }
}

void shrinkClassPremia(std::vector<AssetParams>& assets, const std::vector<ClassParams>& classes) {
    const std::size_t n = classes.size();
    if (n < 2) return;
    const Index k = classes.front().factorMean.size();
    double days = 0.0;
    for (const auto& c : classes) days += static_cast<double>(c.days);
    for (AssetParams& a : assets) {
        if (a.kind != AssetKind::Equity || a.premium.size() != n || a.beta.size() != n) continue;
        double bbar = 0.0;
        for (std::size_t c = 0; c < n; ++c)
            bbar += static_cast<double>(classes[c].days) * a.beta[c][0];
        bbar /= days;
        std::vector<double> r(n), v(n);
        bool measurable = true;
        for (std::size_t c = 0; c < n; ++c) {
            Vector b = a.beta[c].head(k);
            b[0] -= bbar;
            r[c] = b.dot(classes[c].factorMean);
            v[c] = kDays * kDays * b.dot(classes[c].factorCov.topLeftCorner(k, k) * b) /
                   static_cast<double>(classes[c].days);
            measurable = measurable && v[c] > 0.0 && std::isfinite(v[c]);
        }
        if (!measurable) continue;
        const std::vector<double> shrunk = randomEffectsShrink(r, v);
        for (std::size_t c = 0; c < n; ++c) a.premium[c] += shrunk[c] - r[c];
    }
}

RegimeModelSpec calibrateRegimes(const RegimeCalibrationSpec& s,
                                 const std::vector<RegimeAssetInput>& assets, Date cutoff,
                                 DataStore& data) {
    ROTOR_REQUIRE(s.end <= cutoff, "calibration window ends after the cut-off");
    RegimeModelSpec m;
    m.factorNames = s.factorNames;
    m.factorNames.push_back("d2y");
    const Date assetStart = s.assetStart.value_or(s.start);
    const FactorDays fd = readFactorDays(s, std::min(s.start, assetStart), s.end, cutoff, data);
    m.first = fd.days.front();
    m.last = fd.days.back();
    for (int c = 0; c < kClasses; ++c) m.classes.push_back(classStats(fd, c, s.start));
    // Means first: their sampling variances are the classes' measured ones.
    if (s.shrinkClassMeans) shrinkClassMeans(m.classes);
    if (s.shrinkClassVols) shrinkClassVols(m.classes);

    std::map<std::string, std::size_t> at;
    for (const auto& in : assets) {
        AssetParams p;
        p.name = in.name;
        p.kind = in.kind;
        p.valuation = in.valuation;
        p.curve = in.curve;
        p.sleeve = !in.sleeveOf.empty();
        if (in.sleeveOf.empty()) {
            const auto given = s.priceOverride.find(in.name);
            const TimeSeries& prices = given != s.priceOverride.end()
                                           ? *given->second
                                           : data.priceSeries(s.prices.fileOf(in.name), in.name,
                                                              s.prices.column);
            TimeSeries window;
            window.name = prices.name;
            window.file = prices.file;
            for (std::size_t i = 0; i < prices.dates.size(); ++i)
                if (prices.dates[i] >= assetStart && prices.dates[i] <= s.end) {
                    window.dates.push_back(prices.dates[i]);
                    window.values.push_back(prices.values[i]);
                }
            assetLoadings(s, fd, window, in, p);
        }
        at[in.name] = m.assets.size();
        m.assets.push_back(std::move(p));
    }
    // Sleeves have no data: they take their parent's loadings (the overlay rewrites them).
    for (std::size_t i = 0; i < assets.size(); ++i) {
        if (assets[i].sleeveOf.empty()) continue;
        const auto parent = at.find(assets[i].sleeveOf);
        ROTOR_REQUIRE(parent != at.end(), "sleeve " << assets[i].name << " without its parent");
        AssetParams& p = m.assets[i];
        p.beta = m.assets[parent->second].beta;
        p.idioSd = m.assets[parent->second].idioSd;
    }
    const auto k = static_cast<Index>(s.factorNames.size());
    for (auto& p : m.assets) {
        p.premium.assign(kClasses, 0.0);
        if (p.kind != AssetKind::Equity) continue;
        for (int c = 0; c < kClasses; ++c)
            p.premium[static_cast<std::size_t>(c)] =
                p.beta[static_cast<std::size_t>(c)].head(k).dot(
                    m.classes[static_cast<std::size_t>(c)].factorMean);
    }
    if (s.shrinkClassPremia) shrinkClassPremia(m.assets, m.classes);
    // Switching: the labels of the episode window (the asset window may start earlier).
    const auto from = static_cast<std::size_t>(
        std::lower_bound(fd.days.begin(), fd.days.end(), s.start) - fd.days.begin());
    classTransitions(std::vector<int>(fd.label.begin() + static_cast<std::ptrdiff_t>(from),
                                      fd.label.end()),
                     kClasses, m.classMonthly, m.classAfter);
    m.curve = calibrateCurve(s, fd, cutoff, data);
    if (!s.valuationFile.empty()) m.valuation = calibrateValuation(s, cutoff, data);
    if (s.stressStart) m.stress = fitStress(shillerMonthly(s, *s.stressStart, data));
    for (const std::string& f :
         {s.factorFile, s.policyFile, s.recessionFile, s.rateFile, s.longRateFile, s.valuationFile})
        if (!f.empty()) m.files.push_back(f);
    return m;
}

}  // namespace rotor
