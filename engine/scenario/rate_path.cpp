// SPDX-License-Identifier: MIT
// Rate paths: YAML parsing, resolution of decisions on the trading days, path generation.
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/rate_path.hpp"

#include "engine/core/error.hpp"


#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace rotor {

namespace {

constexpr double kDt = 1.0 / 252.0;          // one trading day, in years
constexpr double kProbabilityTol = 1e-9;     // regime probabilities must sum to 1 within this
constexpr double kMoveTol = 1e-9;            // bp: distances below this count as "arrived"

// Shortest text that reads back to the same double ("3.625", "-12.5").
std::string num(double v) {
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

// A number for a message: 12 significant digits hide binary noise (0.6 + 0.3 -> "0.9").
std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.12g", v);
    return buf;
}

[[noreturn]] void failAt(const ConfigLocation& where, const std::string& msg) {
    where.fail(msg, "rate_path");
}

std::vector<Date> parseMeetings(const ConfigNode& node) {
    std::vector<Date> out;
    for (const auto& item : node.items()) {
        const Date d = item.asDate();
        if (!out.empty() && d <= out.back())
            item.fail("meetings must be in strictly ascending order: " + d.iso() +
                      " does not follow " + out.back().iso());
        out.push_back(d);
    }
    return out;
}

std::vector<RateStep> parseSteps(const ConfigNode& node) {
    std::vector<RateStep> out;
    for (const auto& item : node.items()) {
        if (!item.isMap()) item.fail("expected a step {date: YYYY-MM-DD, bp: <move>}");
        item.allowOnly({"date", "bp"});
        const ConfigNode date = item.at("date");
        RateStep s{date.asDate(), item.getDouble("bp"), item.location()};
        if (!out.empty() && s.date <= out.back().date)
            date.fail("steps must be in strictly ascending date order: " + s.date.iso() +
                      " does not follow " + out.back().date.iso());
        out.push_back(std::move(s));
    }
    return out;
}

RateTarget parseTarget(const ConfigNode& node) {
    if (!node.isMap()) node.fail("expected a target {level: <percent>, by: YYYY-MM-DD}");
    node.allowOnly({"level", "by", "step_bp"});
    RateTarget t;
    t.level = node.getDouble("level");
    t.by = node.at("by").asDate();
    if (auto step = node.find("step_bp")) {
        t.stepBp = step->asDouble();
        if (!(t.stepBp > 0.0))
            step->fail("expected a positive move in bp, found " + show(t.stepBp));
    }
    t.where = node.location();
    t.levelWhere = node.at("level").location();
    return t;
}

// The steps or the target of `owner` (the block itself or one regime).
void parsePolicy(const ConfigNode& owner, RateRegime& r, const char* missing) {
    const bool hasSteps = owner.has("steps");
    const bool hasTarget = owner.has("target");
    if (hasSteps && hasTarget) owner.failKey("target", "give either 'steps' or 'target', not both");
    if (!hasSteps && !hasTarget) owner.fail(missing);
    if (hasSteps) r.steps = parseSteps(owner.at("steps"));
    if (hasTarget) r.target = parseTarget(owner.at("target"));
}

std::vector<RateRegime> parseRegimes(const ConfigNode& node) {
    const auto items = node.items();
    if (items.empty()) node.fail("expected at least one regime");
    std::vector<RateRegime> out;
    std::set<std::string> names;
    double sum = 0.0;
    for (const auto& item : items) {
        if (!item.isMap()) item.fail("expected a regime {name, probability, steps or target}");
        item.allowOnly({"name", "probability", "steps", "target"});
        RateRegime r;
        const ConfigNode name = item.at("name");
        r.name = name.asString();
        if (r.name.empty()) name.fail("expected a non-empty regime name");
        if (!names.insert(r.name).second) name.fail("duplicate regime name '" + r.name + "'");
        const ConfigNode p = item.at("probability");
        r.probability = p.asDouble();
        if (!(r.probability > 0.0 && r.probability <= 1.0))
            p.fail("expected a probability in (0, 1], found " + show(r.probability));
        sum += r.probability;
        parsePolicy(item, r, "missing 'steps' or 'target' for this regime");
        out.push_back(std::move(r));
    }
    if (std::abs(sum - 1.0) > kProbabilityTol)
        node.fail("regime probabilities sum to " + show(sum) + ", expected 1 (within 1e-9)");
    return out;
}

// A deterministic path below the floor is a contradiction in the config, not something noise
// should be clipped into, so it is refused where it is written.
void checkFloor(const ConfigNode& block, const RatePathSpec& spec) {
    if (!spec.floor) return;
    const double f = *spec.floor;
    if (spec.start < f)
        block.at("start").fail("start " + show(spec.start) + " is below the floor " + show(f));
    for (const auto& r : spec.regimes) {
        if (r.target && r.target->level < f)
            r.target->levelWhere.fail("target level " + show(r.target->level) +
                                              " is below the floor " + show(f));
        double level = spec.start;
        for (const auto& s : r.steps) {
            level += s.bp / 100.0;
            if (level < f)
                failAt(s.where, "this step takes the rate to " + show(level) +
                                    ", below the floor " + show(f));
        }
    }
}

}  // namespace

RatePathSpec parseRatePath(const ConfigNode& node) {
    if (!node.isMap()) node.fail("expected a map with 'start' and 'steps', 'target' or 'regimes'");
    node.allowOnly({"start", "meetings", "steps", "target", "noise", "floor", "regimes"});
    RatePathSpec spec;
    spec.start = node.getDouble("start");
    if (auto m = node.find("meetings")) spec.meetings = parseMeetings(*m);
    if (auto f = node.find("floor")) spec.floor = f->asDouble();
    if (auto n = node.find("noise")) {
        if (!n->isMap()) n->fail("expected {speed: <per year>, volatility: <pp per sqrt(year)>}");
        n->allowOnly({"speed", "volatility"});
        RateNoise noise;
        const ConfigNode speed = n->at("speed");
        noise.speed = speed.asDouble();
        if (noise.speed < 0.0) speed.fail("expected a speed >= 0, found " + show(noise.speed));
        const ConfigNode vol = n->at("volatility");
        noise.volatility = vol.asDouble();
        if (noise.volatility < 0.0)
            vol.fail("expected a volatility >= 0, found " + show(noise.volatility));
        spec.noise = noise;
    }

    if (node.has("regimes")) {
        for (const char* key : {"steps", "target"}) {
            if (node.has(key))
                node.failKey(key, std::string("'") + key +
                                      "' and 'regimes' exclude each other: give each regime "
                                      "its own 'steps' or 'target'");
        }
        spec.regimes = parseRegimes(node.at("regimes"));
        spec.drawsRegime = true;
    } else {
        RateRegime r;
        r.name = "base";
        parsePolicy(node, r, "missing 'steps', 'target' or 'regimes'");
        spec.regimes.push_back(std::move(r));
    }

    if (!node.has("meetings")) {
        for (const auto& r : spec.regimes) {
            if (r.target)
                r.target->where.fail("a target moves at meetings: give 'meetings' in the "
                                      "rate_path block");
        }
    }
    checkFloor(node, spec);
    return spec;
}

namespace {
void emitPolicy(YamlWriter& out, const RateRegime& r) {
    if (r.target) {
        out << yaml::Key << "target" << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "level" << yaml::Value << num(r.target->level);
        out << yaml::Key << "by" << yaml::Value << r.target->by.iso();
        out << yaml::Key << "step_bp" << yaml::Value << num(r.target->stepBp);
        out << yaml::EndMap;
    } else {
        out << yaml::Key << "steps" << yaml::Value;
        if (r.steps.empty()) out << yaml::Flow;
        out << yaml::BeginSeq;
        for (const auto& s : r.steps) {
            out << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "date" << yaml::Value << s.date.iso();
            out << yaml::Key << "bp" << yaml::Value << num(s.bp);
            out << yaml::EndMap;
        }
        out << yaml::EndSeq;
    }
}
}  // namespace

void emitRatePath(YamlWriter& out, const RatePathSpec& spec) {
    out << yaml::BeginMap;
    out << yaml::Key << "start" << yaml::Value << num(spec.start);
    out << yaml::Key << "meetings" << yaml::Value << yaml::Flow << yaml::BeginSeq;
    for (const Date d : spec.meetings) out << d.iso();
    out << yaml::EndSeq;
    if (spec.drawsRegime) {
        out << yaml::Key << "regimes" << yaml::Value << yaml::BeginSeq;
        for (const auto& r : spec.regimes) {
            out << yaml::BeginMap;
            out << yaml::Key << "name" << yaml::Value << r.name;
            out << yaml::Key << "probability" << yaml::Value << num(r.probability);
            emitPolicy(out, r);
            out << yaml::EndMap;
        }
        out << yaml::EndSeq;
    } else {
        ROTOR_REQUIRE(spec.regimes.size() == 1, "a rate path without regimes has one policy");
        emitPolicy(out, spec.regimes.front());
    }
    if (spec.noise) {
        out << yaml::Key << "noise" << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "speed" << yaml::Value << num(spec.noise->speed);
        out << yaml::Key << "volatility" << yaml::Value << num(spec.noise->volatility);
        out << yaml::EndMap;
    }
    if (spec.floor) out << yaml::Key << "floor" << yaml::Value << num(*spec.floor);
    out << yaml::EndMap;
}

std::string ratePathYaml(const RatePathSpec& spec) {
    YamlWriter out;
    emitRatePath(out, spec);
    return out.str();
}

namespace {

// A decision before it is placed on the calendar: its date and the level it sets.
struct Decision {
    Date date;
    double bp;
    double level;
};

std::vector<Decision> targetDecisions(const RateTarget& t, double start,
                                      const std::vector<Date>& meetings, Date day0) {
    const double distanceBp = std::abs(t.level - start) * 100.0;
    const long needed = distanceBp <= kMoveTol
                            ? 0
                            : static_cast<long>(std::ceil(distanceBp / t.stepBp - kMoveTol));
    std::vector<Date> usable;
    for (const Date m : meetings) {
        if (m >= day0 && m <= t.by) usable.push_back(m);
    }
    if (static_cast<long>(usable.size()) < needed) {
        std::string list;
        for (const Date m : usable) list += (list.empty() ? "" : ", ") + m.iso();
        failAt(t.where, "reaching " + show(t.level) + " from " + show(start) + " in moves of " +
                            show(t.stepBp) + " bp needs " + std::to_string(needed) +
                            " meetings, but " + std::to_string(usable.size()) +
                            " meetings fall between the start " + day0.iso() + " and " +
                            t.by.iso() + (list.empty() ? "" : " (" + list + ")"));
    }
    const double sign = t.level < start ? -1.0 : 1.0;
    std::vector<Decision> out;
    double level = start;
    for (long i = 0; i < needed; ++i) {
        // Levels from the start (not by accumulation) so rounding cannot drift; the last move
        // is truncated to land exactly on the target.
        const double next = i + 1 == needed
                                 ? t.level
                                 : start + sign * static_cast<double>(i + 1) * t.stepBp / 100.0;
        out.push_back({usable[static_cast<std::size_t>(i)], (next - level) * 100.0, next});
        level = next;
    }
    return out;
}

std::vector<Decision> stepDecisions(const std::vector<RateStep>& steps, double start, Date day0) {
    std::vector<Decision> out;
    double level = start;
    for (const auto& s : steps) {
        if (s.date < day0)
            failAt(s.where, "decision dated " + s.date.iso() + " is before the start " +
                                day0.iso() + " (the start level already includes it)");
        level += s.bp / 100.0;
        out.push_back({s.date, s.bp, level});
    }
    return out;
}

}  // namespace

RatePathModel::RatePathModel(const RatePathSpec& spec, const std::vector<Date>& tradingDays)
    : days_(static_cast<Index>(tradingDays.size())),
      dates_(tradingDays),
      drawsRegime_(spec.drawsRegime),
      normal_(&NormalZiggurat::instance()) {
    ROTOR_REQUIRE(!tradingDays.empty(), "a rate path needs at least one trading day");
    for (std::size_t i = 1; i < tradingDays.size(); ++i)
        ROTOR_REQUIRE(tradingDays[i - 1] < tradingDays[i],
                      "trading days must ascend strictly: " << tradingDays[i].iso()
                                                            << " follows "
                                                            << tradingDays[i - 1].iso());
    ROTOR_REQUIRE(!spec.regimes.empty(), "a rate path needs at least one regime");
    ROTOR_REQUIRE(spec.drawsRegime || spec.regimes.size() == 1,
                  "without a regime draw a rate path has exactly one regime");
    const Date day0 = tradingDays.front();

    double cumulative = 0.0;
    for (const auto& r : spec.regimes) {
        names_.push_back(r.name);
        probabilities_.push_back(r.probability);
        cumulative += r.probability;
        cumulative_.push_back(cumulative);

        const auto decisions = r.target
                                   ? targetDecisions(*r.target, spec.start, spec.meetings, day0)
                                   : stepDecisions(r.steps, spec.start, day0);
        Vector base = Vector::Constant(days_, spec.start);
        std::vector<RateMove> moves;
        for (const auto& d : decisions) {
            // The effective rate moves on the first trading day after the announcement.
            const auto it = std::upper_bound(dates_.begin(), dates_.end(), d.date);
            if (it == dates_.end()) break;  // takes effect after the horizon; so do later ones
            const Index day = static_cast<Index>(it - dates_.begin());
            base.tail(days_ - day).setConstant(d.level);
            moves.push_back({d.date, *it, day, d.bp, d.level});
        }
        base_.push_back(std::move(base));
        moves_.push_back(std::move(moves));
    }
    ROTOR_REQUIRE(std::abs(cumulative - 1.0) <= kProbabilityTol,
                  "regime probabilities sum to " << cumulative << ", expected 1");
    cumulative_.back() = 1.0;  // the sum is 1 within 1e-9; close the last interval exactly

    if (spec.noise && spec.noise->volatility > 0.0) {
        const double k = spec.noise->speed;
        decay_ = std::exp(-k * kDt);
        // Exact OU transition variance per unit s^2; its k -> 0 limit is dt (Brownian motion).
        const double variance = k > 0.0 ? -std::expm1(-2.0 * k * kDt) / (2.0 * k) : kDt;
        shockSd_ = spec.noise->volatility * std::sqrt(variance);
    }
    if (spec.floor) {
        hasFloor_ = true;
        floor_ = *spec.floor;
    }
}

const std::string& RatePathModel::regimeName(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return names_[static_cast<std::size_t>(regime)];
}

double RatePathModel::probability(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return probabilities_[static_cast<std::size_t>(regime)];
}

const Vector& RatePathModel::base(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return base_[static_cast<std::size_t>(regime)];
}

const std::vector<RateMove>& RatePathModel::moves(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return moves_[static_cast<std::size_t>(regime)];
}

int RatePathModel::drawRegime(Xoshiro256& rng) const {
    if (!drawsRegime_) return 0;
    const double u = rng.uniform();
    int r = 0;
    while (u >= cumulative_[static_cast<std::size_t>(r)]) ++r;  // cumulative_.back() == 1 > u
    return r;
}

void RatePathModel::generate(Xoshiro256& rng, Eigen::Ref<Vector> out, int* regimeOut) const {
    const int regime = drawRegime(rng);
    if (regimeOut) *regimeOut = regime;
    generate(rng, regime, out);
}

void RatePathModel::generate(Xoshiro256& rng, int regime, Eigen::Ref<Vector> out) const {
    ROTOR_REQUIRE(out.size() == days_, "rate path buffer has " << out.size() << " days, expected "
                                                               << days_);
    const Vector& b = base(regime);
    if (shockSd_ > 0.0) {
        // Exact OU discretisation on the trading-day grid, x_0 = 0.
        double x = 0.0;
        out[0] = b[0];
        for (Index t = 1; t < days_; ++t) {
            x = x * decay_ + shockSd_ * (*normal_)(rng);
            out[t] = b[t] + x;
        }
    } else {
        out = b;
    }
    if (hasFloor_) out = out.cwiseMax(floor_);
}

std::string RatePathModel::describe() const {
    YamlWriter out;
    out << yaml::BeginMap;
    out << yaml::Key << "start_day" << yaml::Value << dates_.front().iso();
    out << yaml::Key << "end_day" << yaml::Value << dates_.back().iso();
    out << yaml::Key << "regimes" << yaml::Value << yaml::BeginSeq;
    for (std::size_t r = 0; r < base_.size(); ++r) {
        out << yaml::BeginMap;
        out << yaml::Key << "name" << yaml::Value << names_[r];
        out << yaml::Key << "probability" << yaml::Value << num(probabilities_[r]);
        out << yaml::Key << "start" << yaml::Value << show(base_[r][0]);
        out << yaml::Key << "moves" << yaml::Value;
        if (moves_[r].empty()) out << yaml::Flow;
        out << yaml::BeginSeq;
        for (const auto& m : moves_[r]) {
            out << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "decision" << yaml::Value << m.decision.iso();
            out << yaml::Key << "effective" << yaml::Value << m.effective.iso();
            out << yaml::Key << "day" << yaml::Value << m.day;
            out << yaml::Key << "bp" << yaml::Value << show(m.bp);
            out << yaml::Key << "level" << yaml::Value << show(m.level);
            out << yaml::EndMap;
        }
        out << yaml::EndSeq;
        out << yaml::EndMap;
    }
    out << yaml::EndSeq;
    out << yaml::EndMap;
    return out.str();
}

}  // namespace rotor
