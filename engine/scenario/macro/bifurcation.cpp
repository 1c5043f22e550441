// SPDX-License-Identifier: MIT
// Bifurcated market: YAML parsing, the sleeve split with drifting value weights, the regime
// switch, and the overlay that writes sleeves and the recombined parent into a path.
#include "engine/scenario/macro/bifurcation.hpp"

#include "engine/core/error.hpp"

#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <utility>

namespace rotor {

namespace {

constexpr double kDt = 1.0 / 252.0;
constexpr double kWeightTol = 1e-9;

std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

double nonNegative(const ConfigNode& parent, const std::string& key, double dflt) {
    auto n = parent.find(key);
    if (!n) return dflt;
    const double v = n->asDouble();
    if (!(v >= 0.0) || !(v <= 1e3)) n->fail("expected a number in [0, 1000], found " + show(v));
    return v;
}

RegimeSwitchSpec parseRegime(const ConfigNode& node) {
    if (!node.isMap()) node.fail("expected a map (the regime switch)");
    node.allowOnly({"enter_probability", "exit_probability", "initial", "windows", "drift_scale",
                    "vol_scale"});
    RegimeSwitchSpec r;
    const bool markov = node.has("enter_probability") || node.has("exit_probability");
    if (node.has("windows")) {
        if (markov)
            node.failKey("windows", "give either 'windows' or the switch probabilities, not both");
        if (node.has("initial"))
            node.failKey("initial", "'initial' applies to the Markov switch, not to windows");
        for (const auto& w : node.at("windows").items()) {
            if (!w.isMap()) w.fail("expected a window {from: YYYY-MM-DD, to: YYYY-MM-DD}");
            w.allowOnly({"from", "to"});
            const Date from = w.at("from").asDate();
            const ConfigNode toNode = w.at("to");
            const Date to = toNode.asDate();
            if (to < from)
                toNode.fail("window ends " + to.iso() + ", before it starts " + from.iso());
            r.windows.emplace_back(from, to);
        }
    } else {
        if (!markov) node.fail("missing 'enter_probability' and 'exit_probability' (or 'windows')");
        r.enterProbability = node.at("enter_probability").asDoubleIn(0.0, 1.0);
        r.exitProbability = node.at("exit_probability").asDoubleIn(0.0, 1.0);
        if (auto n = node.find("initial")) {
            const std::string s = n->asString();
            if (s == "normal")
                r.initial = 0;
            else if (s == "divergence")
                r.initial = 1;
            else
                n->fail("expected 'normal' or 'divergence', found '" + s + "'");
        }
    }
    r.driftScale = nonNegative(node, "drift_scale", 1.0);
    r.volScale = nonNegative(node, "vol_scale", 1.0);
    return r;
}

}  // namespace

BifurcationSpec parseBifurcation(const ConfigNode& node) {
    if (!node.isMap()) node.fail("expected a map (the bifurcation block)");
    node.allowOnly(
        {"parent", "sleeves", "profitability_factor", "regime", "refinancing_wall", "calibrate"});
    BifurcationSpec s;
    if (auto c = node.find("calibrate")) {
        if (!c->isMap()) c->fail("expected {portfolios, factor, window, weights_from}");
        c->allowOnly({"portfolios", "factor", "window", "weights_from"});
        SleeveCalibrationSpec k;
        k.where = c->location();
        const ConfigNode pf = c->at("portfolios");
        pf.allowOnly({"file", "scale"});
        k.portfolios = resolvePath(pf.at("file"));
        if (auto u = pf.find("scale")) k.portfoliosUnit = u->asDoubleIn(1e-12, 1e12);
        const ConfigNode f = c->at("factor");
        f.allowOnly({"file", "column", "scale"});
        k.factorFile = resolvePath(f.at("file"));
        k.factorColumn = f.getString("column");
        if (auto u = f.find("scale")) k.factorUnit = u->asDoubleIn(1e-12, 1e12);
        const ConfigNode win = c->at("window");
        win.allowOnly({"start"});
        k.start = win.at("start").asDate();
        const ConfigNode wf = c->at("weights_from");
        k.weightsFrom = wf.asDate();
        k.weightsWhere = wf.location();
        if (node.has("profitability_factor"))
            node.failKey("profitability_factor",
                         "calibrated from 'calibrate.factor'; remove the given values");
        s.calibrate = k;
    }
    const bool calibrated = s.calibrate.has_value();
    const ConfigNode parent = node.at("parent");
    s.parentWhere = parent.location();
    s.parent = parent.asString();
    if (s.parent.empty()) parent.fail("expected a non-empty asset name");

    const ConfigNode sleeves = node.at("sleeves");
    const auto items = sleeves.items();
    if (items.size() < 2) sleeves.fail("expected at least two sleeves");
    std::set<std::string> names{s.parent};
    double sum = 0.0;
    bool exposed = false;
    for (const auto& item : items) {
        if (!item.isMap()) item.fail("expected a sleeve {name, weight, drift, vol, ...}");
        item.allowOnly(
            {"name", "weight", "drift", "vol", "rmw_loading", "wall_exposure", "column"});
        SleeveSpec sl;
        const ConfigNode name = item.at("name");
        sl.name = name.asString();
        sl.where = name.location();
        if (sl.name.empty()) name.fail("expected a non-empty asset name");
        if (!names.insert(sl.name).second)
            name.fail("'" + sl.name + "' is already the parent or another sleeve");
        if (calibrated) {
            // Calibrated sleeves take every number from data: pasted values are refused.
            for (const char* key : {"weight", "drift", "vol", "rmw_loading"})
                if (item.has(key))
                    item.failKey(key,
                                 std::string("calibrated from 'calibrate'; remove '") + key + "'");
            const ConfigNode col = item.at("column");
            s.calibrate->columns.push_back(col.asString());
            s.calibrate->columnWhere.push_back(col.location());
            s.sleeves.push_back(std::move(sl));
            if (auto n = item.find("wall_exposure")) {
                s.sleeves.back().wallExposure = n->asDoubleIn(0.0, 1.0);
                if (s.sleeves.back().wallExposure > 0.0 && !node.has("refinancing_wall"))
                    n->fail("wall_exposure needs a 'refinancing_wall' block in this bifurcation");
                exposed = exposed || s.sleeves.back().wallExposure > 0.0;
            }
            continue;
        }
        if (item.has("column"))
            item.failKey("column", "'column' names a sleeve's portfolio under 'calibrate'");
        const ConfigNode w = item.at("weight");
        sl.weight = w.asDoubleIn(0.0, 1.0);
        if (!(sl.weight > 0.0)) w.fail("expected a positive weight, found 0");
        sum += sl.weight;
        if (auto n = item.find("drift")) sl.drift = n->asDoubleIn(-10.0, 10.0);
        sl.vol = nonNegative(item, "vol", 0.0);
        if (auto n = item.find("rmw_loading")) sl.rmwLoading = n->asDoubleIn(-10.0, 10.0);
        if (auto n = item.find("wall_exposure")) {
            sl.wallExposure = n->asDoubleIn(0.0, 1.0);
            if (sl.wallExposure > 0.0 && !node.has("refinancing_wall"))
                n->fail("wall_exposure needs a 'refinancing_wall' block in this bifurcation");
            exposed = exposed || sl.wallExposure > 0.0;
        }
        s.sleeves.push_back(std::move(sl));
    }
    if (!calibrated && std::abs(sum - 1.0) > kWeightTol)
        sleeves.fail("sleeve weights sum to " + show(sum) + ", expected 1 (within 1e-9)");

    if (auto f = node.find("profitability_factor")) {
        if (!f->isMap()) f->fail("expected {mean: <annual>, vol: <annual>}");
        f->allowOnly({"mean", "vol"});
        if (auto m = f->find("mean")) s.factorMean = m->asDoubleIn(-10.0, 10.0);
        s.factorVol = nonNegative(*f, "vol", s.factorVol);
    }
    if (auto r = node.find("regime")) s.regime = parseRegime(*r);
    if (auto w = node.find("refinancing_wall")) {
        s.wall = parseRefinancingWall(*w, /*standalone=*/false);
        if (!exposed) node.failKey("refinancing_wall", "no sleeve has a positive wall_exposure");
    }
    return s;
}

Vector styleWeights(const Matrix& x, const Vector& y) {
    const Index k = x.cols();
    ROTOR_REQUIRE(k >= 1 && k <= 12 && x.rows() == y.size(), "styleWeights: bad shapes");
    Vector best;
    double bestSsr = std::numeric_limits<double>::infinity();
    // For each support S: min |y - X_S w|^2 subject to sum w = 1 (the KKT system); keep the
    // feasible (w >= 0) solution with the least residual.
    for (unsigned mask = 1; mask < (1U << k); ++mask) {
        std::vector<Index> idx;
        for (Index j = 0; j < k; ++j)
            if (mask & (1U << j)) idx.push_back(j);
        const auto m = static_cast<Index>(idx.size());
        Matrix xs(x.rows(), m);
        for (Index j = 0; j < m; ++j) xs.col(j) = x.col(idx[static_cast<std::size_t>(j)]);
        Matrix a = Matrix::Zero(m + 1, m + 1);
        a.topLeftCorner(m, m) = 2.0 * xs.transpose() * xs;
        a.block(0, m, m, 1).setOnes();
        a.block(m, 0, 1, m).setOnes();
        Vector b(m + 1);
        b.head(m) = 2.0 * xs.transpose() * y;
        b[m] = 1.0;
        const Vector sol = a.fullPivLu().solve(b);
        if ((sol.head(m).array() < -1e-12).any() || !sol.allFinite()) continue;
        Vector w = Vector::Zero(k);
        for (Index j = 0; j < m; ++j) w[idx[static_cast<std::size_t>(j)]] = std::max(0.0, sol[j]);
        w /= w.sum();
        const double ssr = (y - x * w).squaredNorm();
        if (ssr < bestSsr) {
            bestSsr = ssr;
            best = w;
        }
    }
    ROTOR_REQUIRE(best.size() == k, "styleWeights: no feasible weights");
    return best;
}

namespace {

// A daily-return column read through `data`; a missing column or file is a ConfigError at
// `where`.
const TimeSeries& column(DataStore& data, const std::string& file, const std::string& col,
                         const ConfigLocation& where) {
    try {
        return data.series(file, col);
    } catch (const ConfigError&) {
        throw;
    } catch (const Error& e) {
        where.fail(e.what(), "bifurcation.calibrate");
    }
}

// Value of `s` on `d`, if it has a row.
std::optional<double> at(const TimeSeries& s, Date d) {
    const auto it = std::lower_bound(s.dates.begin(), s.dates.end(), d);
    if (it == s.dates.end() || *it != d) return std::nullopt;
    return s.values[static_cast<std::size_t>(it - s.dates.begin())];
}

Date weekOf(Date d) { return d + (-d.weekday()); }  // the Sunday opening d's week

}  // namespace

BifurcationSpec calibrateBifurcation(const BifurcationSpec& spec, const TimeSeries& parentPrices,
                                     DataStore& data, Date cutoff) {
    if (!spec.calibrate) return spec;
    BifurcationSpec out = spec;
    SleeveCalibrationSpec& c = *out.calibrate;
    const auto k = static_cast<Index>(out.sleeves.size());
    std::vector<const TimeSeries*> port;
    for (std::size_t j = 0; j < out.sleeves.size(); ++j)
        port.push_back(&column(data, c.portfolios, c.columns[j], c.columnWhere[j]));
    c.alpha.assign(out.sleeves.size(), 0.0);
    c.alphaTStat.assign(out.sleeves.size(), 0.0);
    const TimeSeries& factor = column(data, c.factorFile, c.factorColumn, c.where);
    // The sleeve portfolios' returns on day d (fractions) into r; false when one has no row.
    const auto portfolioReturns = [&](Date d, Vector& r) {
        r.resize(k);
        for (Index j = 0; j < k; ++j) {
            const auto v = at(*port[static_cast<std::size_t>(j)], d);
            if (!v) return false;
            r[j] = *v * c.portfoliosUnit;
        }
        return true;
    };

    // --- Value weights: weekly style analysis of the parent on the sleeve portfolios ---
    std::vector<Vector> rows;
    std::vector<double> parentWeekly;
    {
        // Week by week (Sunday to Saturday): the portfolios' compounded daily returns against
        // the parent's close-to-close return; the first week only supplies a starting close.
        Vector growth = Vector::Ones(k);
        Date week;
        bool started = false;
        double prevClose = std::numeric_limits<double>::quiet_NaN();
        double close = prevClose;
        auto finish = [&]() {
            if (!std::isnan(prevClose)) {
                rows.push_back(growth.array() - 1.0);
                parentWeekly.push_back(close / prevClose - 1.0);
            }
            prevClose = close;
        };
        for (Date d : port.front()->dates) {
            if (d < c.weightsFrom || d > cutoff) continue;
            const auto p = at(parentPrices, d);
            if (!p) continue;
            Vector r;
            if (!portfolioReturns(d, r)) continue;
            if (!started || weekOf(d) != week) {
                if (started) finish();
                week = weekOf(d);
                started = true;
                growth.setOnes();
            }
            growth.array() *= 1.0 + r.array();
            close = *p;
            if (c.weeks == 0 && c.weightsFirst == Date()) c.weightsFirst = d;
            c.weightsLast = d;
        }
        if (started) finish();
    }
    c.weeks = static_cast<long>(rows.size());
    if (c.weeks < 52)
        c.weightsWhere.fail("the parent '" + spec.parent + "' and the sleeve portfolios share " +
                            std::to_string(c.weeks) + " weeks from " + c.weightsFrom.iso() +
                            " to the cut-off " + cutoff.iso() + ", fewer than 52");
    Matrix x(c.weeks, k);
    Vector y(c.weeks);
    for (Index i = 0; i < c.weeks; ++i) {
        x.row(i) = rows[static_cast<std::size_t>(i)].transpose();
        y[i] = parentWeekly[static_cast<std::size_t>(i)];
    }
    const Vector w = styleWeights(x, y);
    for (Index j = 0; j < k; ++j) out.sleeves[static_cast<std::size_t>(j)].weight = w[j];

    // --- Loadings and vols: daily relative returns on the factor ---
    std::vector<double> f;
    std::vector<Vector> rel;
    for (Date d : factor.dates) {
        if (d < c.start || d > cutoff) continue;
        Vector r;
        if (!portfolioReturns(d, r)) continue;
        const double composite = w.dot(r);
        rel.push_back(r.array() - composite);
        f.push_back(*at(factor, d) * c.factorUnit);
        if (c.first == Date() || d < c.first) c.first = d;
        c.last = d;
    }
    c.days = static_cast<long>(f.size());
    if (c.days < 252)
        c.where.fail("the sleeve portfolios and the factor share " + std::to_string(c.days) +
                         " days from " + c.start.iso() + " to the cut-off " + cutoff.iso() +
                         ", fewer than 252",
                     "bifurcation.calibrate");
    const auto n = static_cast<double>(c.days);
    double fm = 0.0;
    for (double v : f) fm += v;
    fm /= n;
    double sff = 0.0;
    for (double v : f) sff += (v - fm) * (v - fm);
    out.factorMean = fm * 252.0;
    out.factorVol = std::sqrt(sff / (n - 1.0) * 252.0);
    for (Index j = 0; j < k; ++j) {
        double m = 0.0;
        for (const auto& r : rel) m += r[j];
        m /= n;
        double sdf = 0.0;
        for (std::size_t i = 0; i < f.size(); ++i) sdf += (rel[i][j] - m) * (f[i] - fm);
        const double beta = sdf / sff;
        const double alpha = m - beta * fm;
        double ssr = 0.0;
        for (std::size_t i = 0; i < f.size(); ++i) {
            const double e = rel[i][j] - alpha - beta * f[i];
            ssr += e * e;
        }
        const double s2 = ssr / (n - 2.0);
        SleeveSpec& sl = out.sleeves[static_cast<std::size_t>(j)];
        sl.rmwLoading = beta;
        sl.vol = std::sqrt(s2 * 252.0);
        sl.drift = 0.0;  // in-sample alpha is not a forecast: only the factor premium is kept
        c.alpha[static_cast<std::size_t>(j)] = alpha * 252.0;
        c.alphaTStat[static_cast<std::size_t>(j)] = alpha /
                                                    std::sqrt(s2 * (1.0 / n + fm * fm / sff));
    }
    return out;
}

Bifurcation::Bifurcation(BifurcationSpec spec, std::vector<Date> dates)
    : spec_(std::move(spec)), dates_(std::move(dates)) {
    ROTOR_REQUIRE(spec_.sleeves.size() >= 2, "bifurcation: needs two sleeves");
    if (spec_.wall) wall_.emplace(*spec_.wall, dates_);
    if (spec_.regime && !spec_.regime->windows.empty()) {
        windowRegime_.assign(dates_.size(), 0);
        for (std::size_t t = 0; t < dates_.size(); ++t)
            for (const auto& [from, to] : spec_.regime->windows)
                if (dates_[t] >= from && dates_[t] <= to) windowRegime_[t] = 1;
    }
}

void Bifurcation::split(const Vector& rate, const Eigen::Ref<const Vector>& parentLog,
                        Eigen::Ref<Matrix> sleeveLog, Eigen::Ref<Vector> parentOut, Xoshiro256& rng,
                        BifurcationTrace* trace, RefinancingWallParts* wallParts) const {
    const Index n = static_cast<Index>(dates_.size());
    const Index k = sleeves();
    ROTOR_REQUIRE(parentLog.size() == n && parentOut.size() == n && sleeveLog.rows() == n &&
                      sleeveLog.cols() == k,
                  "bifurcation: shapes " << parentLog.size() << ", " << parentOut.size() << ", "
                                         << sleeveLog.rows() << "x" << sleeveLog.cols()
                                         << ", expected " << n << " days and " << k << " sleeves");
    Vector wallLoss = Vector::Zero(n);
    if (wall_) wall_->firmLogLosses(rate, wallLoss, rng, wallParts);

    Vector w(k), delta(k), simple(k);
    for (Index j = 0; j < k; ++j) w[j] = spec_.sleeves[static_cast<std::size_t>(j)].weight;
    int g = spec_.regime ? spec_.regime->initial : 0;
    if (!windowRegime_.empty()) g = windowRegime_.front();
    if (trace) {
        trace->regime.assign(static_cast<std::size_t>(n), 0);
        trace->weights.setZero(n, k);
        trace->sleeveSimple.setZero(n, k);
        trace->parentSimple.setZero(n);
        trace->wallLoss = wallLoss;
        if (n > 0) {
            trace->regime[0] = g;
            trace->weights.row(0) = w.transpose();
        }
    }
    if (n == 0) return;
    sleeveLog.row(0).setZero();
    parentOut[0] = 0.0;

    const NormalZiggurat& normal = NormalZiggurat::instance();
    const double sqrtDt = std::sqrt(kDt);
    for (Index t = 1; t < n; ++t) {
        if (spec_.regime) {
            if (!windowRegime_.empty()) {
                g = windowRegime_[static_cast<std::size_t>(t)];
            } else {
                const double u = rng.uniform();
                const double p = g == 0 ? spec_.regime->enterProbability
                                        : spec_.regime->exitProbability;
                if (u < p) g = 1 - g;
            }
        }
        const double driftScale = g == 1 ? spec_.regime->driftScale : 1.0;
        const double volScale = g == 1 ? spec_.regime->volScale : 1.0;
        const double zf = normal(rng);
        double mean = 0.0;  // value-weighted divergence, removed so the parent is untouched
        for (Index j = 0; j < k; ++j) {
            const SleeveSpec& s = spec_.sleeves[static_cast<std::size_t>(j)];
            const double z = normal(rng);
            delta[j] = driftScale * (s.drift + s.rmwLoading * spec_.factorMean) * kDt +
                       volScale * (s.vol * z + s.rmwLoading * spec_.factorVol * zf) * sqrtDt;
            mean += w[j] * delta[j];
        }
        const double parentBase = std::expm1(parentLog[t]);
        double parentSimple = 0.0;
        double total = 0.0;
        for (Index j = 0; j < k; ++j) {
            const SleeveSpec& s = spec_.sleeves[static_cast<std::size_t>(j)];
            const double gross = 1.0 + parentBase + delta[j] - mean;
            ROTOR_REQUIRE(gross > 0.0, "bifurcation: sleeve '"
                                           << s.name << "' gross return " << gross << " on day "
                                           << t << " is not positive; divergence too wide");
            double lr = std::log(gross);
            if (s.wallExposure > 0.0)
                lr += RefinancingWall::assetLogChange(wallLoss[t], s.wallExposure);
            sleeveLog(t, j) = lr;
            simple[j] = std::expm1(lr);
            parentSimple += w[j] * simple[j];
        }
        // Value weights drift with the sleeves: w_t ~ w_{t-1} (1 + r_t).
        for (Index j = 0; j < k; ++j) {
            w[j] *= 1.0 + simple[j];
            total += w[j];
        }
        w /= total;
        parentOut[t] = std::log1p(parentSimple);
        if (trace) {
            trace->regime[static_cast<std::size_t>(t)] = g;
            trace->weights.row(t) = w.transpose();
            trace->sleeveSimple.row(t) = simple.transpose();
            trace->parentSimple[t] = parentSimple;
        }
    }
}

namespace {

class BifurcationOverlay final : public ReturnOverlay {
public:
    BifurcationOverlay(Bifurcation b, Index parent, std::vector<Index> sleeves)
        : b_(std::move(b)), parent_(parent), sleeves_(std::move(sleeves)) {}

    void apply(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng) const override {
        RefinancingWallParts parts;
        applySplit(rate, logReturns, rng, parts);
    }
    std::string name() const override { return "bifurcation"; }
    // The nested wall reports under its own name, as a standalone one would.
    std::vector<std::string> reportNames() const override {
        std::vector<std::string> out;
        if (b_.spec().wall)
            for (const auto& n : RefinancingWall::partNames())
                out.push_back("refinancing_wall/" + n);
        return out;
    }
    void applyAndReport(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng,
                        Eigen::Ref<Vector> report) const override {
        RefinancingWallParts parts;
        applySplit(rate, logReturns, rng, parts);
        if (report.size() == 3) report << parts.flow, parts.valuation, parts.jumps;
    }

private:
    void applySplit(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng,
                    RefinancingWallParts& parts) const {
        const Index k = static_cast<Index>(sleeves_.size());
        Matrix sleeveLog(logReturns.rows(), k);
        b_.split(rate, logReturns.col(parent_), sleeveLog, logReturns.col(parent_), rng, nullptr,
                 &parts);
        for (Index j = 0; j < k; ++j)
            logReturns.col(sleeves_[static_cast<std::size_t>(j)]) = sleeveLog.col(j);
    }

    Bifurcation b_;
    Index parent_;
    std::vector<Index> sleeves_;
};

Index column(const BifurcationSpec& spec, const Universe& universe, const std::string& asset,
             const char* key) {
    const Index c = universe.find(asset);
    if (c >= 0) return c;
    const std::string msg = "asset '" + asset + "' is not in the scenario's universe";
    if (std::string(key) == "parent") spec.parentWhere.fail(msg, "bifurcation");
    for (const auto& s : spec.sleeves)
        if (s.name == asset) s.where.fail(msg, "bifurcation");
    throw InputError("bifurcation: " + msg);
}

}  // namespace

void emitBifurcation(YamlWriter& out, const BifurcationSpec& s) {
    out << yaml::BeginMap;
    out << yaml::Key << "parent" << yaml::Value << s.parent;
    if (s.calibrate) {
        const SleeveCalibrationSpec& c = *s.calibrate;
        out << yaml::Key << "calibrate" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "portfolios" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << c.portfolios << yaml::Key << "scale" << yaml::Value
            << c.portfoliosUnit << yaml::EndMap;
        out << yaml::Key << "factor" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << c.factorFile << yaml::Key << "column" << yaml::Value
            << c.factorColumn << yaml::Key << "scale" << yaml::Value << c.factorUnit
            << yaml::EndMap;
        out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "start" << yaml::Value << c.start.iso() << yaml::EndMap;
        out << yaml::Key << "weights_from" << yaml::Value << c.weightsFrom.iso();
        out << yaml::EndMap;
    }
    out << yaml::Key << "sleeves" << yaml::Value << yaml::BeginSeq;
    for (std::size_t j = 0; j < s.sleeves.size(); ++j) {
        const SleeveSpec& sl = s.sleeves[j];
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "name" << yaml::Value << sl.name;
        if (s.calibrate)
            out << yaml::Key << "column" << yaml::Value << s.calibrate->columns[j];
        else
            out << yaml::Key << "weight" << yaml::Value << sl.weight << yaml::Key << "drift"
                << yaml::Value << sl.drift << yaml::Key << "vol" << yaml::Value << sl.vol
                << yaml::Key << "rmw_loading" << yaml::Value << sl.rmwLoading;
        out << yaml::Key << "wall_exposure" << yaml::Value << sl.wallExposure << yaml::EndMap;
    }
    out << yaml::EndSeq;
    if (!s.calibrate)
        out << yaml::Key << "profitability_factor" << yaml::Value << yaml::Flow << yaml::BeginMap
            << yaml::Key << "mean" << yaml::Value << s.factorMean << yaml::Key << "vol"
            << yaml::Value << s.factorVol << yaml::EndMap;
    if (s.regime) {
        const RegimeSwitchSpec& r = *s.regime;
        out << yaml::Key << "regime" << yaml::Value << yaml::BeginMap;
        if (!r.windows.empty()) {
            out << yaml::Key << "windows" << yaml::Value << yaml::BeginSeq;
            for (const auto& [from, to] : r.windows)
                out << yaml::Flow << yaml::BeginMap << yaml::Key << "from" << yaml::Value
                    << from.iso() << yaml::Key << "to" << yaml::Value << to.iso() << yaml::EndMap;
            out << yaml::EndSeq;
        } else {
            out << yaml::Key << "enter_probability" << yaml::Value << r.enterProbability;
            out << yaml::Key << "exit_probability" << yaml::Value << r.exitProbability;
            out << yaml::Key << "initial" << yaml::Value << (r.initial ? "divergence" : "normal");
        }
        out << yaml::Key << "drift_scale" << yaml::Value << r.driftScale;
        out << yaml::Key << "vol_scale" << yaml::Value << r.volScale;
        out << yaml::EndMap;
    }
    if (s.wall) {
        out << yaml::Key << "refinancing_wall" << yaml::Value;
        emitRefinancingWall(out, *s.wall, /*standalone=*/false);
    }
    out << yaml::EndMap;
}

std::shared_ptr<const ReturnOverlay> makeBifurcation(const BifurcationSpec& spec,
                                                     const Universe& universe,
                                                     const std::vector<Date>& dates) {
    const Index parent = column(spec, universe, spec.parent, "parent");
    std::vector<Index> sleeves;
    for (const auto& s : spec.sleeves) sleeves.push_back(column(spec, universe, s.name, "name"));
    return std::make_shared<BifurcationOverlay>(Bifurcation(spec, dates), parent,
                                                std::move(sleeves));
}

}  // namespace rotor

namespace rotor {

void emitCalibratedSleeves(YamlWriter& out, const BifurcationSpec& s) {
    ROTOR_REQUIRE(s.calibrate, "emitCalibratedSleeves: the bifurcation is not calibrated");
    const SleeveCalibrationSpec& c = *s.calibrate;
    out << yaml::BeginMap;
    out << yaml::Key << "weights_from" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "first" << yaml::Value << c.weightsFirst.iso() << yaml::Key << "last" << yaml::Value
        << c.weightsLast.iso() << yaml::Key << "weeks" << yaml::Value << c.weeks << yaml::EndMap;
    out << yaml::Key << "loadings_from" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "first" << yaml::Value << c.first.iso() << yaml::Key << "last" << yaml::Value
        << c.last.iso() << yaml::Key << "days" << yaml::Value << c.days << yaml::EndMap;
    out << yaml::Key << "profitability_factor" << yaml::Value << yaml::Flow << yaml::BeginMap
        << yaml::Key << "mean" << yaml::Value << s.factorMean << yaml::Key << "vol" << yaml::Value
        << s.factorVol << yaml::EndMap;
    out << yaml::Key << "sleeves" << yaml::Value << yaml::BeginSeq;
    for (std::size_t j = 0; j < s.sleeves.size(); ++j) {
        const SleeveSpec& sl = s.sleeves[j];
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "name" << yaml::Value << sl.name
            << yaml::Key << "column" << yaml::Value << c.columns[j] << yaml::Key << "weight"
            << yaml::Value << sl.weight << yaml::Key << "drift" << yaml::Value << sl.drift
            << yaml::Key << "vol" << yaml::Value << sl.vol << yaml::Key << "rmw_loading"
            << yaml::Value << sl.rmwLoading << yaml::Key << "alpha_dropped" << yaml::Value
            << c.alpha[j] << yaml::Key << "alpha_t" << yaml::Value << c.alphaTStat[j]
            << yaml::EndMap;
    }
    out << yaml::EndSeq;
    out << yaml::EndMap;
}

}  // namespace rotor
