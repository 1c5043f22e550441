// SPDX-License-Identifier: MIT
#include "engine/scenario/regime/regime_generator.hpp"

#include "engine/core/error.hpp"
#include "engine/scenario/regime/factor_shocks.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace rotor {

namespace {

constexpr double kDays = 252.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr Index kYearDays = 252;

int classIndex(const std::string& name) {
    const auto& names = regimeClassNames();
    const auto it = std::find(names.begin(), names.end(), name);
    ROTOR_REQUIRE(it != names.end(), "unknown episode class " << name);
    return static_cast<int>(it - names.begin());
}

// Average of `path` over the year after day t (days t+1 .. t+252), the last level held past
// the horizon: what a 2-year yield prices of the policy rate.
Vector nextYearAverage(const Vector& path) {
    const Index t = path.size();
    Vector out(t);
    for (Index d = 0; d < t; ++d) {
        double sum = 0.0;
        for (Index j = d + 1; j <= d + kYearDays; ++j) sum += path[std::min(j, t - 1)];
        out[d] = sum / static_cast<double>(kYearDays);
    }
    return out;
}

std::string pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
    return buf;
}

}  // namespace

RegimePathGenerator::RegimePathGenerator(RegimeModelSpec spec, const RegimeModelConfig& config,
                                         const GeneratorContext& ctx, ReturnOverlays overlays)
    : ReturnPathGenerator(ctx, std::move(overlays), Compounding::CumulativeSum),
      spec_(std::move(spec)) {
    const auto t = static_cast<Index>(dates().size());
    const Index n = universe().size();
    const auto k1 = static_cast<Index>(spec_.factorNames.size());  // the yield change is last
    const Index dy = k1 - 1;
    const RatePathModel& rate = *context().rate;
    const int regimes = rate.regimes();
    ROTOR_REQUIRE(static_cast<Index>(spec_.assets.size()) == n,
                  "regime model: parameters for " << spec_.assets.size() << " assets, universe has "
                                                  << n);
    ROTOR_REQUIRE(static_cast<int>(config.rateRegimes.size()) == regimes,
                  "regime model: " << config.rateRegimes.size()
                                   << " regimes mapped, the rate path has " << regimes);
    for (int r = 0; r < regimes; ++r) {
        ROTOR_REQUIRE(config.rateRegimes[static_cast<std::size_t>(r)] == rate.regimeName(r),
                      "regime model: regime " << r << " is " << rate.regimeName(r));
        classOf_.push_back(classIndex(config.regimeClass[static_cast<std::size_t>(r)]));
        regimeNames_.push_back(rate.regimeName(r));
    }
    for (const AssetParams& a : spec_.assets) tenYear_.push_back(a.curve == "10y");
    if (config.dof > 0.0) {
        ROTOR_REQUIRE(config.dof > 2.0, "Student-t needs dof > 2, got " << config.dof);
        chi2_.emplace(config.dof);
        tScale_ = std::sqrt(config.dof - 2.0);
    }

    if (spec_.stress.enabled) {
        const StressParams& s = spec_.stress;
        const double pt = s.stationaryTurbulent();
        const double vol = std::sqrt((1.0 - pt) * s.calmVol * s.calmVol +
                                     pt * s.turbulentVol * s.turbulentVol);
        const double mean = (1.0 - pt) * s.calmMean + pt * s.turbulentMean;
        stress_ = true;
        stressScale_[0] = s.calmVol / vol;
        stressScale_[1] = s.turbulentVol / vol;
        stressShift_[0] = (s.calmMean - mean) / kDays;
        stressShift_[1] = (s.turbulentMean - mean) / kDays;
    }

    // Per class: the Cholesky factor of the daily factor covariance, the loadings (bonds load
    // on the yield shock through their duration) and the idiosyncratic volatilities.
    const CurveParams& curve = spec_.curve;
    std::vector<Vector> variance;  // per class, N daily variances
    for (std::size_t c = 0; c < spec_.classes.size(); ++c) {
        const Matrix& cov = spec_.classes[c].factorCov;
        ROTOR_REQUIRE(cov.rows() == k1 && cov.cols() == k1, "class covariance of the wrong size");
        const Eigen::LLT<Matrix> llt(cov);
        ROTOR_REQUIRE(llt.info() == Eigen::Success,
                      "the " << spec_.classes[c].name
                             << " factor covariance is not positive definite");
        chol_.push_back(llt.matrixL());
        Matrix load = Matrix::Zero(n, k1);
        Vector idio(n), var(n);
        for (Index i = 0; i < n; ++i) {
            const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
            ROTOR_REQUIRE(a.name == universe().assets[static_cast<std::size_t>(i)],
                          "regime model: parameters for " << a.name << " in column " << i);
            if (a.kind == AssetKind::Bond) {
                const double perPoint = a.curve == "10y" ? curve.tenYearBeta : 1.0;
                load(i, dy) = -a.duration / 100.0 * perPoint;
            } else {
                ROTOR_REQUIRE(a.beta[c].size() == k1, a.name << ": loadings of the wrong size");
                load.row(i) = a.beta[c].transpose();
            }
            idio[i] = a.idioSd[c];
            var[i] = load.row(i) * cov * load.row(i).transpose() + idio[i] * idio[i];
        }
        loading_.push_back(std::move(load));
        idio_.push_back(idio);
        variance.push_back(var);
    }

    // The market's expected policy path: a mixture of the regimes at day 0, the path's own
    // regime as the market learns it (weight 1 - exp(-t / tau)).
    std::vector<Vector> nextYear;
    Vector mixture = Vector::Zero(t);
    for (int r = 0; r < regimes; ++r) {
        nextYear.push_back(nextYearAverage(rate.expected(r)));
        mixture += rate.probability(r) * nextYear.back();
    }
    const double years = static_cast<double>(t - 1) / kDays;
    const ValuationHistory& hist = spec_.valuation;
    cashDrift_.assign(static_cast<std::size_t>(regimes) * static_cast<std::size_t>(n), true);
    // An equity's valuation adjustment and expected earnings growth, per regime and day. With
    // the multiple reverting at kappa, ln PE(t) - ln fair decays as exp(-kappa t); a growth
    // view decays at lambda toward normal growth.
    growthPath_.assign(static_cast<std::size_t>(regimes) * static_cast<std::size_t>(n), Vector());
    std::vector<Vector> valuationPath(
        static_cast<std::size_t>(regimes) * static_cast<std::size_t>(n), Vector::Zero(t));
    for (int r = 0; r < regimes; ++r) {
        for (Index i = 0; i < n; ++i) {
            const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
            if (!a.valuation || a.kind != AssetKind::Equity) continue;
            const ValuationInputs& in = *a.valuation;
            const auto slot = static_cast<std::size_t>(r) * static_cast<std::size_t>(n) +
                              static_cast<std::size_t>(i);
            const double g0 =
                in.growthIn(regimeNames_[static_cast<std::size_t>(r)]).value_or(hist.growth);
            const double gap = std::log(in.fair(hist.peGap) / in.pe);
            Vector growth(t);
            Vector& v = valuationPath[slot];
            // Row d is the return from day d - 1 to day d: the state at the start of it.
            for (Index d = 0; d < t; ++d) {
                const double y = static_cast<double>(std::max<Index>(d - 1, 0)) / kDays;
                const double excess = (g0 - hist.growth) * std::exp(-hist.growthReversion * y);
                growth[d] = hist.growth + excess;
                v[d] = (in.carry - hist.carry) +
                       hist.multipleReversion * gap * std::exp(-hist.multipleReversion * y) +
                       excess;
            }
            growthPath_[slot] = growth;
        }
    }
    // The simulated multiple (docs/regimes.md, "The simulated multiple"): its expected path
    // accumulates the re-rating term of the drift above, kappa ln(fair / pe) e^(-kappa y) / 252
    // for the return of day d (y = (d - 1) / 252), from ln pe on day 0.
    for (const auto& name : universe().valued) {
        const Index i = universe().find(name);
        ROTOR_REQUIRE(i >= 0,
                      "regime model: valuation asked for " << name << ", not in the universe");
        const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
        ROTOR_REQUIRE(a.kind == AssetKind::Equity && a.valuation && !a.sleeve,
                      "regime model: " << name << " has no valuation inputs to simulate");
        const ValuationInputs& in = *a.valuation;
        const double gap = std::log(in.fair(hist.peGap) / in.pe);
        Vector m(t);
        m[0] = std::log(in.pe);
        for (Index d = 1; d < t; ++d) {
            const double y = static_cast<double>(d - 1) / kDays;
            m[d] = m[d - 1] +
                   hist.multipleReversion * gap * std::exp(-hist.multipleReversion * y) / kDays;
        }
        valuedColumns_.push_back(i);
        expectedMultiple_.push_back(std::move(m));
    }
    // Class switching: each regime's probability of each class on each day, for the
    // expectations (the paths draw the switches).
    const auto classes = static_cast<Index>(spec_.classes.size());
    if (config.switchAfterDays && spec_.classMonthly.rows() == classes &&
        spec_.classAfter.rows() == classes) {
        switchAfter_ = *config.switchAfterDays;
        switchMonthly_ = spec_.classMonthly;
        switchAfterSpell_ = spec_.classAfter;
    }
    const auto classPath = [&](int c0) {
        Matrix p(t, classes);
        Vector now = Vector::Zero(classes);
        now[c0] = 1.0;
        for (Index d = 0; d < t; ++d) {
            if (switchDay(d)) now = switchRow(c0, d).transpose() * now;
            p.row(d) = now.transpose();
        }
        return p;
    };
    for (int r = 0; r < regimes; ++r) {
        const int c0 = classOf_[static_cast<std::size_t>(r)];
        const Matrix inClass = classPath(c0);
        for (Index c = 0; c < classes; ++c) {
            Vector part = Vector::Zero(n);
            for (Index i = 0; i < n; ++i) {
                const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
                if (a.kind == AssetKind::Bond) continue;
                part[i] = -0.5 * variance[static_cast<std::size_t>(c)][i];
            }
            classDrift_.push_back(part);
        }
        Vector expected(t), step = Vector::Zero(t), level(t);
        for (Index d = 0; d < t; ++d) {
            const double w = 1.0 - std::exp(-static_cast<double>(d) / config.learningDays);
            expected[d] = w * nextYear[static_cast<std::size_t>(r)][d] + (1.0 - w) * mixture[d];
        }
        for (Index d = 0; d < t; ++d) {
            level[d] = curve.start2y + curve.policyBeta * (expected[d] - expected[0]);
            if (d > 0) step[d] = level[d] - level[d - 1];
        }
        yieldStep_.push_back(step);
        expectedYield_.push_back(level);
        const Vector& base = rate.expected(r);
        const double cash = base.head(t - 1).mean() / 100.0;

        Matrix drift(t, n);
        for (Index i = 0; i < n; ++i) {
            const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
            const auto view = [&]() -> const RegimeView* {
                for (const char* key : {regimeNames_[static_cast<std::size_t>(r)].c_str(), "all"}) {
                    const auto v = config.views.find(key);
                    if (v == config.views.end()) continue;
                    const auto e = v->second.find(a.name);
                    if (e != v->second.end()) return &e->second;
                }
                return nullptr;
            }();
            // The class mixture's average daily variance and annual premium over the path.
            double var = 0.0, premium = 0.0;
            for (Index d = 1; d < t; ++d)
                for (Index c = 0; c < classes; ++c) {
                    var += inClass(d, c) * variance[static_cast<std::size_t>(c)][i];
                    if (a.kind == AssetKind::Equity)
                        premium += inClass(d, c) * a.premium[static_cast<std::size_t>(c)];
                }
            var /= static_cast<double>(t - 1);
            premium /= static_cast<double>(t - 1);
            AssetExpectation e;
            e.asset = a.name;
            e.regime = regimeNames_[static_cast<std::size_t>(r)];
            e.probability = rate.probability(r);
            e.cash = cash;
            e.volatility = std::sqrt(var * kDays);
            const auto slot = static_cast<std::size_t>(r) * static_cast<std::size_t>(n) +
                              static_cast<std::size_t>(i);
            if (a.kind == AssetKind::Bond) {
                const double perPoint = a.curve == "10y" ? curve.tenYearBeta : 1.0;
                const double dur = a.duration / 100.0 * perPoint;
                const double start = a.curve == "10y" ? curve.start10y : curve.start2y;
                // Carry at the expected yield, the duration effect of its expected change.
                double carry = 0.0;
                for (Index d = 1; d < t; ++d)
                    carry += (start + perPoint * (level[d - 1] - level[0])) / 100.0 / kDays;
                const double rateEffect = -dur * (level[t - 1] - level[0]);
                const double model = (carry + rateEffect) / years + 0.5 * var * kDays;
                for (Index d = 0; d < t; ++d) drift(d, i) = -dur * step[d];
                e.source = "equilibrium";
                e.expectedReturn = model;
                if (view) {
                    const double target = std::log1p(view->expectedReturn);
                    e.source = "view";
                    if (*view->includesRateEffect) {
                        drift.col(i).array() += (target - model) / kDays;
                        e.expectedReturn = target;
                    } else {
                        // The view is the carry: the yield no longer accrues, duration stays.
                        cashDrift_[slot] = false;
                        drift.col(i).array() += target / kDays;
                        e.expectedReturn = target + rateEffect / years + 0.5 * var * kDays;
                    }
                }
                drift.row(0).setZero();
                e.premium = e.expectedReturn - cash;
            } else if (view) {
                cashDrift_[slot] = false;
                const double target = std::log1p(view->expectedReturn);
                drift.col(i).setConstant(target / kDays);
                e.source = "view";
                e.expectedReturn = target;
                e.premium = target - cash;
            } else {
                // Cash (added per path) + the class premium (with the class's variance) + the
                // valuation adjustment.
                const Vector& v = valuationPath[slot];
                drift.col(i) = v / kDays;
                for (Index c = 0; c < classes; ++c)
                    classDrift_[static_cast<std::size_t>(r * classes + c)][i] +=
                        a.premium[static_cast<std::size_t>(c)] / kDays;
                const double valuationSum = v.tail(t - 1).sum();
                e.source = "calibrated";
                e.premium = premium;
                e.valuation = valuationSum / kDays / years;
                e.expectedReturn = cash + premium + e.valuation;
            }
            e.sharpe = (e.expectedReturn - e.cash) / e.volatility;
            expectations_.push_back(e);
        }
        drift_.push_back(std::move(drift));
    }

    // No free lunch: over the scenario's regime mixture, an excess return above the volatility
    // (Sharpe ratio above 1) is more than any broad asset earned over long history.
    for (Index i = 0; i < n; ++i) {
        double mean = 0.0, cash = 0.0, second = 0.0;
        for (int r = 0; r < regimes; ++r) {
            const AssetExpectation& e =
                expectations_[static_cast<std::size_t>(r) * static_cast<std::size_t>(n) +
                              static_cast<std::size_t>(i)];
            mean += e.probability * e.expectedReturn;
            cash += e.probability * e.cash;
            second += e.probability *
                      (e.volatility * e.volatility + e.expectedReturn * e.expectedReturn);
        }
        const double vol = std::sqrt(std::max(0.0, second - mean * mean));
        const double sharpe = vol > 0.0 ? (mean - cash) / vol : 0.0;
        if (sharpe > 1.0)
            warnings_.push_back(universe().assets[static_cast<std::size_t>(i)] +
                                ": implied Sharpe ratio " + std::to_string(sharpe).substr(0, 4) +
                                " over the scenario (expected excess return " + pct(mean - cash) +
                                ", volatility " + pct(vol) + ") is above 1.0");
    }

    // What the day loop needs of each asset, per regime, flat (no per-day struct walks).
    for (int r = 0; r < regimes; ++r)
        for (Index i = 0; i < n; ++i) {
            const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
            const auto slot = static_cast<std::size_t>(r) * static_cast<std::size_t>(n) +
                              static_cast<std::size_t>(i);
            const bool ten = tenYear_[static_cast<std::size_t>(i)] != 0;
            AssetStep s;
            s.bond = a.kind == AssetKind::Bond;
            s.valued = a.valuation.has_value() && a.kind == AssetKind::Equity;
            s.tenYear = ten;
            s.accrues = cashDrift_[slot];
            s.rateLoad = (ten ? curve.tenYearBeta : 1.0) * -a.duration / 100.0;
            steps_.push_back(s);
        }
}

const Matrix& RegimePathGenerator::switchRow(int c0, Index day) const {
    // An easing class is the year after an episode's start: once that year is over the path
    // moves to what followed such episodes; later switches follow the monthly chain.
    const std::string& name = spec_.classes[static_cast<std::size_t>(c0)].name;
    const bool easing = name == "soft_landing" || name == "recession";
    return easing && day - 1 == switchAfter_ ? switchAfterSpell_ : switchMonthly_;
}

std::vector<std::string> RegimePathGenerator::attributionNames() const {
    std::vector<std::string> out;
    for (const auto& a : universe().assets)
        for (const char* part : {"carry", "growth", "rerating", "rate_effect"})
            out.push_back(a + "." + part);
    return out;
}

void RegimePathGenerator::setClassSchedule(std::vector<int> classes) {
    if (!classes.empty()) {
        ROTOR_REQUIRE(classes.size() == dates().size() && classes.size() >= 2,
                      "class schedule of " << classes.size() << " days for a horizon of "
                                           << dates().size());
        for (int c : classes)
            ROTOR_REQUIRE(c >= 0 && c < static_cast<int>(spec_.classes.size()),
                          "class index " << c << " out of range");
    }
    schedule_ = std::move(classes);
}

void RegimePathGenerator::drawReturns(Xoshiro256& rng, int regime, Vector& rate, Matrix& logReturns,
                                      GeneratorScratch& scratch) const {
    Matrix& r = logReturns;
    const auto t = static_cast<Index>(dates().size());
    const Index n = universe().size();
    const auto reg = static_cast<std::size_t>(regime);
    const int c0 = classOf_[reg];
    auto c = static_cast<std::size_t>(schedule_.empty() ? c0 : schedule_[1]);
    const auto classes = static_cast<std::size_t>(spec_.classes.size());
    const Index k1 = chol_[c].rows();
    const Index dy = k1 - 1;
    const CurveParams& curve = spec_.curve;
    const NormalZiggurat& normal = NormalZiggurat::instance();
    const AssetStep* steps = steps_.data() + reg * static_cast<std::size_t>(n);
    // The day loop reads raw column-major arrays: chol (K+1 x K+1), loadings (N x K+1), the
    // idiosyncratic volatilities and the class drift (N) of the day's class.
    const double* chol = chol_[c].data();
    const double* load = loading_[c].data();
    const double* idio = idio_[c].data();
    const double* classDrift = classDrift_[reg * classes + c].data();
    const double* drift = drift_[reg].data();  // T x N
    const double* step = yieldStep_[reg].data();
    const double* cashRate = rate.data();
    double* out = r.data();  // T x N

    Vector& zv = scratch.u;
    Vector& shockv = scratch.v;
    Vector& rateEffectv = scratch.w;
    if (zv.size() != k1 + n) zv.resize(k1 + n);
    if (shockv.size() != k1) shockv.resize(k1);
    if (rateEffectv.size() != n) rateEffectv.resize(n);
    rateEffectv.setZero();
    double* z = zv.data();
    double* e = z + k1;  // the day's idiosyncratic normals
    double* shock = shockv.data();
    double* rateEffect = rateEffectv.data();
    Vector& attribution = scratch.attribution;
    if (attribution.size() != 4 * n) attribution.resize(4 * n);

    double y2 = curve.start2y;
    Vector& carryv = scratch.x;
    carryv.setZero(n);
    double* carry = carryv.data();
    // An equity with valuation inputs: how far its log multiple is from the expected path. A
    // price shock moves the multiple (earnings move slowly) and the gap reverts at kappa, so a
    // fall raises the expected return after it, as history's long-horizon returns show.
    Vector& gapv = scratch.y;
    gapv.setZero(n);
    double* gap = gapv.data();
    const double revert = spec_.valuation.multipleReversion / kDays;
    Matrix& multiple = scratch.valuation;  // T x N when valuedColumns_ is not empty
    for (std::size_t k = 0; k < valuedColumns_.size(); ++k)
        multiple(0, valuedColumns_[k]) = expectedMultiple_[k][0];
    const StressParams& st = spec_.stress;
    // The stream as a local: its state can stay in registers across the day's draws.
    Xoshiro256 g = rng;
    int state = 0;
    if (stress_) state = g.uniform() < st.stationaryTurbulent() ? 1 : 0;
    for (Index day = 1; day < t; ++day) {
        if (stress_ && day > 1 && (day - 1) % 21 == 0) {
            const double u = g.uniform();
            state = state == 0 ? (u < st.toTurbulent ? 1 : 0) : (u < st.toCalm ? 0 : 1);
        }
        if (!schedule_.empty() ? schedule_[static_cast<std::size_t>(day)] != static_cast<int>(c)
                               : switchDay(day)) {
            std::size_t next = 0;
            if (!schedule_.empty()) {
                next = static_cast<std::size_t>(schedule_[static_cast<std::size_t>(day)]);
            } else {
                const double u = g.uniform();
                const auto row = switchRow(c0, day).row(static_cast<Index>(c));
                double cumulative = row[0];
                while (next + 1 < classes && u >= cumulative)
                    cumulative += row[static_cast<Index>(++next)];
            }
            c = next;
            chol = chol_[c].data();
            load = loading_[c].data();
            idio = idio_[c].data();
            classDrift = classDrift_[reg * classes + c].data();
        }
        // The day's draws in their order, all before the arithmetic on them: the scale's square
        // root and division then run while the idiosyncratic normals are drawn.
        for (Index j = 0; j < k1; ++j) z[j] = normal(g);
        const double chi2 = chi2_ ? (*chi2_)(g) : 0.0;
        for (Index i = 0; i < n; ++i) e[i] = normal(g);
        // x * 1 is x, bit for bit: without Student-t shocks the normals go in as drawn.
        const double scale = chi2_ ? tScale_ / std::sqrt(chi2) : 1.0;
        const double stress[2] = {stressScale_[state], stressShift_[state]};
        dailyFactorShocks(k1, chol, z, scale, stress_ ? stress : nullptr, shock);
        const double previous = y2;
        const double yieldMove = step[day] + shock[dy];
        y2 += yieldMove;
        const double cash = cashRate[day - 1] / 100.0 / kDays;
        for (Index i = 0; i < n; ++i) {
            const AssetStep& a = steps[i];
            double x = drift[day + i * t] + classDrift[i];
            // Row i of the loadings times the shocks, in column order (Eigen's dot of a row).
            double dot = load[i] * shock[0];
            for (Index j = 1; j < k1; ++j) dot += load[i + j * n] * shock[j];
            double deviation = dot + idio[i] * e[i];
            if (a.valued) {
                deviation -= revert * gap[i];
                gap[i] += deviation;
            }
            x += deviation;
            if (a.bond) {
                if (a.accrues) {
                    const double y = a.tenYear ? curve.start10y +
                                                     curve.tenYearBeta * (previous - curve.start2y)
                                               : previous;
                    x += y / 100.0 / kDays;
                    carry[i] += y / 100.0 / kDays;
                }
                rateEffect[i] += a.rateLoad * yieldMove;
            } else {
                if (a.accrues) x += cash;
                rateEffect[i] += load[i + dy * n] * shock[dy];
            }
            out[day + i * t] = x;
        }
        for (std::size_t k = 0; k < valuedColumns_.size(); ++k) {
            const Index i = valuedColumns_[k];
            multiple(day, i) = expectedMultiple_[k][day] + gap[i];
        }
    }
    rng = g;
    // Attribution of each asset's log return over the path (before any overlay).
    const double years = static_cast<double>(t - 1) / kDays;
    for (Index i = 0; i < n; ++i) {
        const AssetParams& a = spec_.assets[static_cast<std::size_t>(i)];
        double* attr = attribution.data() + 4 * i;
        if (a.sleeve) {
            attr[0] = attr[1] = attr[2] = attr[3] = kNaN;
            continue;
        }
        const double total = r.col(i).tail(t - 1).sum();
        double known = rateEffect[i];
        attr[0] = attr[1] = kNaN;
        if (a.kind == AssetKind::Bond) {
            attr[0] = carry[i];
            known += carry[i];
        } else if (a.valuation &&
                   growthPath_[reg * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)]
                           .size() == t) {
            attr[0] = a.valuation->carry * years;
            attr[1] = growthPath_[reg * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)]
                          .tail(t - 1)
                          .sum() /
                      kDays;
            known += attr[0] + attr[1];
        }
        attr[2] = total - known;
        attr[3] = rateEffect[i];
    }
}

std::optional<double> RegimePathGenerator::drawReturnsOnly(Xoshiro256& rng, int /*regime*/) const {
    const auto t = static_cast<Index>(dates().size());
    const Index n = universe().size();
    const Index k1 = chol_.front().rows();
    const NormalZiggurat& normal = NormalZiggurat::instance();
    double sum = 0.0;
    if (stress_) sum += rng.uniform();
    for (Index day = 1; day < t; ++day) {
        if (stress_ && day > 1 && (day - 1) % 21 == 0) sum += rng.uniform();
        if (schedule_.empty() && switchDay(day)) sum += rng.uniform();
        for (Index j = 0; j < k1; ++j) sum += normal(rng);
        if (chi2_) sum += (*chi2_)(rng);
        for (Index i = 0; i < n; ++i) sum += normal(rng);
    }
    return sum;
}

}  // namespace rotor
