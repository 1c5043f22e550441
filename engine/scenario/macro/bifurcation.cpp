// SPDX-License-Identifier: MIT
// Bifurcated market: YAML parsing, the sleeve split with drifting value weights, the regime
// switch, and the overlay that writes sleeves and the recombined parent into a path.
#include "engine/scenario/macro/bifurcation.hpp"

#include "engine/core/error.hpp"

#include <cmath>
#include <cstdio>
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
    if (!(v >= 0.0) || !std::isfinite(v))
        n->fail("expected a non-negative number, found " + show(v));
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
    node.allowOnly({"parent", "sleeves", "profitability_factor", "regime", "refinancing_wall"});
    BifurcationSpec s;
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
        item.allowOnly({"name", "weight", "drift", "vol", "rmw_loading", "wall_exposure"});
        SleeveSpec sl;
        const ConfigNode name = item.at("name");
        sl.name = name.asString();
        sl.where = name.location();
        if (sl.name.empty()) name.fail("expected a non-empty asset name");
        if (!names.insert(sl.name).second)
            name.fail("'" + sl.name + "' is already the parent or another sleeve");
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
    if (std::abs(sum - 1.0) > kWeightTol)
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
                        BifurcationTrace* trace) const {
    const Index n = static_cast<Index>(dates_.size());
    const Index k = sleeves();
    ROTOR_REQUIRE(parentLog.size() == n && parentOut.size() == n && sleeveLog.rows() == n &&
                      sleeveLog.cols() == k,
                  "bifurcation: shapes " << parentLog.size() << ", " << parentOut.size() << ", "
                                         << sleeveLog.rows() << "x" << sleeveLog.cols()
                                         << ", expected " << n << " days and " << k << " sleeves");
    Vector wallLoss = Vector::Zero(n);
    if (wall_) wall_->firmLogLosses(rate, wallLoss, rng);

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
        const Index k = static_cast<Index>(sleeves_.size());
        Matrix sleeveLog(logReturns.rows(), k);
        b_.split(rate, logReturns.col(parent_), sleeveLog, logReturns.col(parent_), rng);
        for (Index j = 0; j < k; ++j)
            logReturns.col(sleeves_[static_cast<std::size_t>(j)]) = sleeveLog.col(j);
    }
    std::string name() const override { return "bifurcation"; }

private:
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
    out << yaml::Key << "sleeves" << yaml::Value << yaml::BeginSeq;
    for (const auto& sl : s.sleeves) {
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "name" << yaml::Value << sl.name
            << yaml::Key << "weight" << yaml::Value << sl.weight << yaml::Key << "drift"
            << yaml::Value << sl.drift << yaml::Key << "vol" << yaml::Value << sl.vol << yaml::Key
            << "rmw_loading" << yaml::Value << sl.rmwLoading << yaml::Key << "wall_exposure"
            << yaml::Value << sl.wallExposure << yaml::EndMap;
    }
    out << yaml::EndSeq;
    out << yaml::Key << "profitability_factor" << yaml::Value << yaml::Flow << yaml::BeginMap
        << yaml::Key << "mean" << yaml::Value << s.factorMean << yaml::Key << "vol" << yaml::Value
        << s.factorVol << yaml::EndMap;
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
