// SPDX-License-Identifier: MIT
// Refinancing wall: YAML parsing, the deterministic interest/coverage/hazard path, and the
// daily drag-plus-jumps overlay on speculative small-cap assets.
#include "engine/scenario/macro/refinancing_wall.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace rotor {

namespace {

constexpr double kDt = 1.0 / 252.0;    // one trading day, in years
constexpr double kMinInterest = 1e-6;  // keeps coverage finite if rates collapse
constexpr double kFractionTol = 1e-9;
constexpr double kMaxCapitalised = 0.99;  // keeps ln(1 - L) finite: the equity keeps 1 %

// L = multiple (1 - tax) D/E dI, capped below 1.
double capitalisedLoss(const RefinancingWallSpec& s, double extraInterest) {
    return std::min(s.multiple * (1.0 - s.taxRate) * s.debtToEquity * extraInterest,
                    kMaxCapitalised);
}

std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

double doubleIn(const ConfigNode& parent, const std::string& key, double dflt, double lo,
                double hi) {
    if (auto n = parent.find(key)) return n->asDoubleIn(lo, hi);
    return dflt;
}

// A strictly positive number, at most 1e6.
double positive(const ConfigNode& parent, const std::string& key, double dflt) {
    auto n = parent.find(key);
    if (!n) return dflt;
    const double v = n->asDouble();
    if (!(v > 0.0) || !(v <= 1e6))
        n->fail("expected a positive number up to 1e6, found " + show(v));
    return v;
}

HazardCurve parseHazard(const ConfigNode& node, const HazardCurve& dflt) {
    if (!node.isMap())
        node.fail("expected {min, max, midpoint, width} or {points: [[coverage, hazard], ...]}");
    if (node.has("points")) {
        node.allowOnly({"points"});
        HazardCurve h;
        const ConfigNode pts = node.at("points");
        for (const auto& p : pts.items()) {
            const auto xy = p.items();
            if (!p.isSequence() || xy.size() != 2) p.fail("expected a pair [coverage, hazard]");
            const double c = xy[0].asDoubleIn(-1e3, 1e3);
            const double lam = xy[1].asDoubleIn(0.0, 1e3);
            if (!h.points.empty() && !(c > h.points.back().first))
                xy[0].fail("coverages must be strictly ascending: " + show(c) +
                           " does not follow " + show(h.points.back().first));
            h.points.emplace_back(c, lam);
        }
        if (h.points.empty()) pts.fail("expected at least one point");
        return h;
    }
    node.allowOnly({"min", "max", "midpoint", "width"});
    HazardCurve h = dflt;
    h.points.clear();
    h.lo = doubleIn(node, "min", dflt.lo, 0.0, 1e3);
    h.hi = doubleIn(node, "max", dflt.hi, 0.0, 1e3);
    if (h.hi < h.lo) node.fail("max hazard " + show(h.hi) + " is below min hazard " + show(h.lo));
    if (auto m = node.find("midpoint")) h.midpoint = m->asDoubleIn(-1e3, 1e3);
    h.width = positive(node, "width", dflt.width);
    return h;
}

std::vector<MaturityBucket> parseMaturities(const ConfigNode& node) {
    std::vector<MaturityBucket> out;
    double sum = 0.0;
    for (const auto& item : node.items()) {
        if (!item.isMap()) item.fail("expected a bucket {year: YYYY, fraction: <share of debt>}");
        item.allowOnly({"year", "fraction"});
        MaturityBucket b;
        const ConfigNode year = item.at("year");
        b.year = static_cast<int>(year.asIntIn(1900, 2200));
        if (!out.empty() && b.year <= out.back().year)
            year.fail("years must be strictly ascending: " + std::to_string(b.year) +
                      " does not follow " + std::to_string(out.back().year));
        b.fraction = item.at("fraction").asDoubleIn(0.0, 1.0);
        sum += b.fraction;
        out.push_back(b);
    }
    if (sum > 1.0 + kFractionTol)
        node.fail("maturity fractions sum to " + show(sum) + ", more than all the debt (1)");
    return out;
}

}  // namespace

double HazardCurve::operator()(double c) const {
    if (points.empty()) return lo + (hi - lo) / (1.0 + std::exp((c - midpoint) / width));
    if (c <= points.front().first) return points.front().second;
    if (c >= points.back().first) return points.back().second;
    const auto it = std::upper_bound(points.begin(), points.end(), c,
                                     [](double x, const auto& p) { return x < p.first; });
    const auto& [c1, h1] = *it;
    const auto& [c0, h0] = *(it - 1);
    return h0 + (h1 - h0) * (c - c0) / (c1 - c0);
}

std::vector<MaturityBucket> defaultMaturities() {
    // 75 % of Russell 2000 debt due by end-2029, split with the 2026:2027 ratio 368:341 of the
    // dollar figures (docs/scenarios.md explains why the dollar figures are not used as such).
    return {{2026, 0.25}, {2027, 0.23}, {2028, 0.15}, {2029, 0.12}};
}

HazardCurve defaultDefaultHazard() {
    HazardCurve h;
    h.lo = 0.01;
    h.hi = 0.20;
    h.midpoint = 1.0;
    h.width = 0.35;
    return h;
}

HazardCurve defaultDilutionHazard() {
    HazardCurve h;
    h.lo = 0.02;
    h.hi = 0.30;
    h.midpoint = 1.2;
    h.width = 0.40;
    return h;
}

RefinancingWallSpec parseRefinancingWall(const ConfigNode& node, bool standalone) {
    if (!node.isMap()) node.fail("expected a map (the refinancing_wall block)");
    std::vector<std::string> allowed = {
        "speculative_share", "floating_share",     "maturities",
        "spread_bp",         "old_coupon",         "debt_to_equity",
        "interest_coverage", "default_hazard",     "dilution_hazard",
        "event_size",        "loss_given_default", "dilution_loss",
        "compensate",        "multiple",           "tax_rate"};
    if (standalone) allowed.push_back("assets");
    node.allowOnly(allowed);

    RefinancingWallSpec s;
    if (standalone) {
        const ConfigNode assets = node.at("assets");
        s.assetsWhere = assets.location();
        s.assets = assets.asStringList();
        if (s.assets.empty()) assets.fail("expected at least one asset");
    }
    if (auto n = node.find("speculative_share")) {
        s.speculativeShare = n->asDoubleIn(0.0, 1.0);
        if (!(s.speculativeShare > 0.0)) n->fail("expected a share in (0, 1], found 0");
    }
    s.floatingShare = doubleIn(node, "floating_share", s.floatingShare, 0.0, 1.0);
    if (auto n = node.find("maturities")) s.maturities = parseMaturities(*n);
    s.spreadBp = doubleIn(node, "spread_bp", s.spreadBp, -1000.0, 5000.0);
    s.oldCoupon = positive(node, "old_coupon", s.oldCoupon);
    s.debtToEquity = doubleIn(node, "debt_to_equity", s.debtToEquity, 0.0, 100.0);
    s.interestCoverage = positive(node, "interest_coverage", s.interestCoverage);
    s.multiple = doubleIn(node, "multiple", s.multiple, 0.0, 1000.0);
    s.taxRate = doubleIn(node, "tax_rate", s.taxRate, 0.0, 1.0);
    if (auto n = node.find("default_hazard")) s.defaultHazard = parseHazard(*n, s.defaultHazard);
    if (auto n = node.find("dilution_hazard")) s.dilutionHazard = parseHazard(*n, s.dilutionHazard);
    if (auto n = node.find("event_size")) {
        s.eventSize = n->asDoubleIn(0.0, 1.0);
        if (!(s.eventSize > 0.0)) n->fail("expected an event size in (0, 1], found 0");
    }
    s.lossGivenDefault = doubleIn(node, "loss_given_default", s.lossGivenDefault, 0.0, 1.0);
    s.dilutionLoss = doubleIn(node, "dilution_loss", s.dilutionLoss, 0.0, 1.0);
    // A jump that removes all of a sleeve's value has no log return.
    if (!(s.eventSize * s.lossGivenDefault < 1.0))
        node.fail(
            "event_size x loss_given_default must be below 1 (a default event cannot "
            "wipe out the whole asset)");
    if (!(s.eventSize * s.dilutionLoss < 1.0))
        node.fail("event_size x dilution_loss must be below 1");
    if (auto n = node.find("compensate")) s.compensate = n->asBool();
    return s;
}

namespace {
void emitHazard(YamlWriter& out, const HazardCurve& h) {
    out << yaml::Flow << yaml::BeginMap;
    if (!h.points.empty()) {
        out << yaml::Key << "points" << yaml::Value << yaml::BeginSeq;
        for (const auto& [c, lam] : h.points)
            out << yaml::Flow << yaml::BeginSeq << c << lam << yaml::EndSeq;
        out << yaml::EndSeq;
    } else {
        out << yaml::Key << "min" << yaml::Value << h.lo << yaml::Key << "max" << yaml::Value
            << h.hi << yaml::Key << "midpoint" << yaml::Value << h.midpoint << yaml::Key << "width"
            << yaml::Value << h.width;
    }
    out << yaml::EndMap;
}
}  // namespace

void emitRefinancingWall(YamlWriter& out, const RefinancingWallSpec& s, bool standalone) {
    out << yaml::BeginMap;
    if (standalone) out << yaml::Key << "assets" << yaml::Value << yaml::Flow << s.assets;
    out << yaml::Key << "speculative_share" << yaml::Value << s.speculativeShare;
    out << yaml::Key << "floating_share" << yaml::Value << s.floatingShare;
    out << yaml::Key << "maturities" << yaml::Value << yaml::BeginSeq;
    for (const auto& b : s.maturities)
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "year" << yaml::Value << b.year
            << yaml::Key << "fraction" << yaml::Value << b.fraction << yaml::EndMap;
    out << yaml::EndSeq;
    out << yaml::Key << "spread_bp" << yaml::Value << s.spreadBp;
    out << yaml::Key << "old_coupon" << yaml::Value << s.oldCoupon;
    out << yaml::Key << "debt_to_equity" << yaml::Value << s.debtToEquity;
    out << yaml::Key << "interest_coverage" << yaml::Value << s.interestCoverage;
    out << yaml::Key << "multiple" << yaml::Value << s.multiple;
    out << yaml::Key << "tax_rate" << yaml::Value << s.taxRate;
    out << yaml::Key << "default_hazard" << yaml::Value;
    emitHazard(out, s.defaultHazard);
    out << yaml::Key << "dilution_hazard" << yaml::Value;
    emitHazard(out, s.dilutionHazard);
    out << yaml::Key << "event_size" << yaml::Value << s.eventSize;
    out << yaml::Key << "loss_given_default" << yaml::Value << s.lossGivenDefault;
    out << yaml::Key << "dilution_loss" << yaml::Value << s.dilutionLoss;
    out << yaml::Key << "compensate" << yaml::Value << s.compensate;
    out << yaml::EndMap;
}

Vector maturedFraction(const std::vector<MaturityBucket>& buckets, const std::vector<Date>& dates) {
    const Index n = static_cast<Index>(dates.size());
    Vector m = Vector::Zero(n);
    if (n == 0) return m;
    const Date d0 = dates.front();
    for (const auto& b : buckets) {
        const Date y0 = Date::fromYmd(b.year, 1, 1);
        const Date y1 = Date::fromYmd(b.year + 1, 1, 1);
        const double len = static_cast<double>(y1 - y0);
        const Date from = std::max(y0, d0);
        for (Index t = 0; t < n; ++t) {
            const Date to = std::min(y1, dates[static_cast<std::size_t>(t)]);
            if (to > from) m[t] += b.fraction * static_cast<double>(to - from) / len;
        }
    }
    return m;
}

RefinancingWallPath computeRefinancingWall(const RefinancingWallSpec& spec,
                                           const std::vector<Date>& dates, const Vector& rate) {
    const Index n = static_cast<Index>(dates.size());
    ROTOR_REQUIRE(rate.size() == n,
                  "refinancing wall: rate path has " << rate.size() << " days, expected " << n);
    RefinancingWallPath p;
    p.matured = maturedFraction(spec.maturities, dates);
    p.extraInterest.resize(n);
    p.interestCost.resize(n);
    p.coverage.resize(n);
    p.defaultHazard.resize(n);
    p.dilutionHazard.resize(n);
    p.drag.resize(n);
    p.capitalised.resize(n);
    const double c0 = spec.oldCoupon / 100.0;
    const double ebitToDebt = spec.interestCoverage * c0;
    const double phi = spec.floatingShare;
    const double s = spec.spreadBp / 1e4;
    for (Index t = 0; t < n; ++t) {
        const double r = rate[t] / 100.0;
        const double r0 = rate[0] / 100.0;
        const double di = phi * (r - r0) + (1.0 - phi) * p.matured[t] * (r + s - c0);
        p.extraInterest[t] = di;
        p.interestCost[t] = std::max(c0 + di, kMinInterest);
        p.coverage[t] = ebitToDebt / p.interestCost[t];
        p.defaultHazard[t] = spec.defaultHazard(p.coverage[t]);
        p.dilutionHazard[t] = spec.dilutionHazard(p.coverage[t]);
        p.drag[t] = spec.debtToEquity * di * kDt;
        p.capitalised[t] = capitalisedLoss(spec, di);
    }
    return p;
}

long poissonInverse(double mean, double u) {
    long k = 0;
    double pk = std::exp(-mean);
    double cdf = pk;
    // The cap only matters for absurd means; the loop stops once the tail mass is below u's grid.
    while (u >= cdf && k < 100000) {
        ++k;
        pk *= mean / static_cast<double>(k);
        if (pk <= 0.0) break;
        cdf += pk;
    }
    return k;
}

RefinancingWall::RefinancingWall(RefinancingWallSpec spec, std::vector<Date> dates)
    : spec_(std::move(spec)), dates_(std::move(dates)) {
    matured_ = maturedFraction(spec_.maturities, dates_);
    defaultJump_ = -std::log1p(-spec_.eventSize * spec_.lossGivenDefault);
    dilutionJump_ = -std::log1p(-spec_.eventSize * spec_.dilutionLoss);
    if (spec_.compensate) {
        const double c = spec_.interestCoverage;  // coverage at today's interest cost
        compensation_ = (spec_.defaultHazard(c) * defaultJump_ +
                         spec_.dilutionHazard(c) * dilutionJump_) /
                        spec_.eventSize * kDt;
    }
}

std::vector<std::string> RefinancingWall::partNames() { return {"flow", "valuation", "jumps"}; }

void RefinancingWall::firmLogLosses(const Vector& rate, Eigen::Ref<Vector> out, Xoshiro256& rng,
                                    RefinancingWallParts* parts) const {
    const Index n = static_cast<Index>(dates_.size());
    ROTOR_REQUIRE(rate.size() == n && out.size() == n, "refinancing wall: rate has "
                                                           << rate.size() << " days and output "
                                                           << out.size() << ", expected " << n);
    if (n == 0) return;
    const double c0 = spec_.oldCoupon / 100.0;
    const double ebitToDebt = spec_.interestCoverage * c0;
    const double phi = spec_.floatingShare;
    const double s = spec_.spreadBp / 1e4;
    const double r0 = rate[0] / 100.0;
    const double perEvent = kDt / spec_.eventSize;
    auto extraInterest = [&](Index t) {
        const double r = rate[t] / 100.0;
        return phi * (r - r0) + (1.0 - phi) * matured_[t] * (r + s - c0);
    };
    RefinancingWallParts sum;
    out[0] = 0.0;
    double logKept = 0.0;  // ln(1 - L) of the previous day; L_0 = 0 (dI_0 = 0)
    for (Index t = 1; t < n; ++t) {
        // Interest over (t-1, t] is charged at the state prevailing on day t-1.
        const double di = extraInterest(t - 1);
        const double coverage = ebitToDebt / std::max(c0 + di, kMinInterest);
        const long nd = poissonInverse(spec_.defaultHazard(coverage) * perEvent, rng.uniform());
        const long nu = poissonInverse(spec_.dilutionHazard(coverage) * perEvent, rng.uniform());
        const double flow = spec_.debtToEquity * di * kDt;
        const double jumps = static_cast<double>(nd) * defaultJump_ +
                             static_cast<double>(nu) * dilutionJump_ - compensation_;
        // The price re-rates as soon as day t's refinancing state is known.
        const double kept = std::log1p(-capitalisedLoss(spec_, extraInterest(t)));
        const double valuation = logKept - kept;
        logKept = kept;
        out[t] = flow + valuation + jumps;
        sum.flow += flow;
        sum.valuation += valuation;
        sum.jumps += jumps;
    }
    if (parts) *parts = sum;
}

double RefinancingWall::assetLogChange(double firmLogLoss, double share) {
    return std::log1p(share * std::expm1(-firmLogLoss));
}

namespace {

class RefinancingWallOverlay final : public ReturnOverlay {
public:
    RefinancingWallOverlay(RefinancingWall wall, std::vector<Index> columns)
        : wall_(std::move(wall)), columns_(std::move(columns)) {}

    void apply(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng) const override {
        RefinancingWallParts parts;
        applyWall(rate, logReturns, rng, parts);
    }
    std::string name() const override { return "refinancing_wall"; }
    std::vector<std::string> reportNames() const override { return RefinancingWall::partNames(); }
    void applyAndReport(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng,
                        Eigen::Ref<Vector> report) const override {
        RefinancingWallParts parts;
        applyWall(rate, logReturns, rng, parts);
        report << parts.flow, parts.valuation, parts.jumps;
    }

private:
    void applyWall(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng,
                   RefinancingWallParts& parts) const {
        Vector x(logReturns.rows());
        wall_.firmLogLosses(rate, x, rng, &parts);
        const double h = wall_.spec().speculativeShare;
        for (Index t = 1; t < x.size(); ++t) {
            const double change = RefinancingWall::assetLogChange(x[t], h);
            for (Index c : columns_) logReturns(t, c) += change;
        }
    }

    RefinancingWall wall_;
    std::vector<Index> columns_;
};

}  // namespace

std::shared_ptr<const ReturnOverlay> makeRefinancingWall(const RefinancingWallSpec& spec,
                                                         const Universe& universe,
                                                         const std::vector<Date>& dates) {
    std::vector<Index> cols;
    for (const auto& a : spec.assets) {
        const Index c = universe.find(a);
        if (c < 0) {
            const std::string msg = "asset '" + a + "' is not in the scenario's universe";
            spec.assetsWhere.fail(msg, "refinancing_wall");
        }
        if (std::find(cols.begin(), cols.end(), c) != cols.end()) {
            const std::string msg = "asset '" + a + "' is listed twice";
            spec.assetsWhere.fail(msg, "refinancing_wall");
        }
        cols.push_back(c);
    }
    if (cols.empty()) throw InputError("refinancing_wall: no target assets");
    return std::make_shared<RefinancingWallOverlay>(RefinancingWall(spec, dates), std::move(cols));
}

}  // namespace rotor
