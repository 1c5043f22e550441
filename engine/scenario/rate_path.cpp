// SPDX-License-Identifier: MIT
// Rate paths: YAML parsing, the 25 bp grid, resolution of decisions on the trading days, path
// generation and expected paths.
#include "engine/scenario/rate_path.hpp"

#include "engine/config/yaml_writer.hpp"
#include "engine/core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace rotor {

namespace {

constexpr double kDt = 1.0 / 252.0;       // one trading day, in years
constexpr double kProbabilityTol = 1e-9;  // regime probabilities must sum to 1 within this
constexpr double kMoveTol = 1e-9;         // bp: decimal noise allowed off the 25 bp grid
constexpr double kMaxMoveBp = 1e6;        // bp: keeps grid counts far inside an int
// Policy rate levels (annual percent): the bounds of a constant cash rate.
constexpr double kMinRatePct = -10.0;
constexpr double kMaxRatePct = 100.0;

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

// `bp` as a whole number of grid moves, or nullopt when it is off the 25 bp grid. YAML numbers
// are decimal: (2.05 - 0.3) x 100 is 174.99999999999997 in binary, and means 175.
std::optional<long> gridMoves(double bp) {
    if (!(std::abs(bp) <= kMaxMoveBp)) return std::nullopt;
    const double moves = std::round(bp / kPolicyGridBp);
    if (std::abs(bp - moves * kPolicyGridBp) > kMoveTol) return std::nullopt;
    return static_cast<long>(moves);
}

// A policy move written in the YAML: a non-zero multiple of 25 bp (positive when `positive`).
int parseMoveBp(const ConfigNode& node, bool positive) {
    const double bp = node.asDouble();
    if (positive && !(bp > 0.0)) node.fail("expected a positive move in bp, found " + show(bp));
    const auto moves = gridMoves(bp);
    if (!moves) node.fail("a policy move is a multiple of 25 bp, found " + show(bp));
    if (*moves == 0) node.fail("a policy move is a non-zero multiple of 25 bp, found 0");
    return static_cast<int>(*moves) * kPolicyGridBp;
}

// The distance from `start` to a target's level in bp, a multiple of 25 bp; refused at the level
// otherwise, naming the two reachable levels around it. `levelText` is the level as written.
int targetDistanceBp(const RateTarget& t, double start, const std::string& levelText) {
    const double bp = (t.level - start) * 100.0;
    if (const auto moves = gridMoves(bp)) return static_cast<int>(*moves) * kPolicyGridBp;
    if (!(std::abs(bp) <= kMaxMoveBp))
        failAt(t.levelWhere,
               levelText + " is more than " + show(kMaxMoveBp) + " bp from " + show(start));
    // Levels from the start (not by accumulation), as the path computes them.
    const double below = std::floor(bp / kPolicyGridBp) * kPolicyGridBp;
    failAt(t.levelWhere, levelText + " is not reachable from " + show(start) +
                             " in 25 bp moves; the nearest levels are " +
                             show(start + below / 100.0) + " and " +
                             show(start + (below + kPolicyGridBp) / 100.0));
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
        RateStep s{date.asDate(), parseMoveBp(item.at("bp"), false), item.location()};
        if (!out.empty() && s.date <= out.back().date)
            date.fail("steps must be in strictly ascending date order: " + s.date.iso() +
                      " does not follow " + out.back().date.iso());
        out.push_back(std::move(s));
    }
    return out;
}

RateTarget parseTarget(const ConfigNode& node, double start) {
    if (!node.isMap()) node.fail("expected a target {level: <percent>, by: YYYY-MM-DD}");
    node.allowOnly({"level", "by", "step_bp"});
    RateTarget t;
    const ConfigNode level = node.at("level");
    t.level = level.asDoubleIn(kMinRatePct, kMaxRatePct);
    t.by = node.at("by").asDate();
    if (auto step = node.find("step_bp")) t.stepBp = parseMoveBp(*step, true);
    t.where = node.location();
    t.levelWhere = level.location();
    targetDistanceBp(t, start, level.asString());
    return t;
}

// `priced: {YYYY-MM-DD: {cut, hike, size_bp}, ...}`; `meetings` is null when the block has none.
std::vector<PricedMeeting> parsePriced(const ConfigNode& node, const std::vector<Date>* meetings) {
    if (!node.isMap())
        node.fail(
            "expected a map of meetings {YYYY-MM-DD: {cut: <probability>, hike: "
            "<probability>, size_bp: <bp>}, ...}");
    if (!meetings)
        node.fail("priced moves happen at meetings: give 'meetings' in the rate_path block");
    const auto keys = node.keys();
    if (keys.empty()) node.fail("expected at least one meeting (a regime that holds is steps: [])");
    std::vector<PricedMeeting> out;
    for (const auto& key : keys) {
        const auto date = Date::parseIso(key);
        if (!date) node.failKey(key, "expected a meeting date YYYY-MM-DD, found '" + key + "'");
        if (!out.empty() && *date <= out.back().date)
            node.failKey(key, "priced meetings must be in strictly ascending date order: " + key +
                                  " does not follow " + out.back().date.iso());
        if (!std::binary_search(meetings->begin(), meetings->end(), *date))
            node.failKey(key, key + " is not one of the meetings");
        const ConfigNode item = node.at(key);
        if (!item.isMap())
            item.fail("expected {cut: <probability>, hike: <probability>, size_bp: <bp>}");
        item.allowOnly({"cut", "hike", "size_bp"});
        PricedMeeting m;
        m.date = *date;
        for (auto [name, value] : {std::pair{"cut", &m.cut}, std::pair{"hike", &m.hike}}) {
            const auto p = item.find(name);
            if (!p) continue;
            *value = p->asDouble();
            if (!(*value >= 0.0 && *value <= 1.0))
                p->fail("expected a probability in [0, 1], found " + show(*value));
        }
        if (m.cut + m.hike > 1.0 + kProbabilityTol)
            item.fail("cut " + show(m.cut) + " and hike " + show(m.hike) + " add up to " +
                      show(m.cut + m.hike) + ", more than 1");
        if (auto size = item.find("size_bp")) m.sizeBp = parseMoveBp(*size, true);
        m.where = item.location();
        out.push_back(std::move(m));
    }
    return out;
}

// The steps, the target or the priced meetings of `owner` (the block itself or one regime).
void parsePolicy(const ConfigNode& owner, RateRegime& r, const char* missing, double start,
                 const std::vector<Date>* meetings) {
    const char* given = nullptr;
    for (const char* key : {"steps", "target", "priced"}) {
        if (!owner.has(key)) continue;
        if (given)
            owner.failKey(key, std::string("give one of 'steps', 'target' or 'priced', not '") +
                                   given + "' and '" + key + "'");
        given = key;
    }
    if (!given) owner.fail(missing);
    if (owner.has("steps")) r.steps = parseSteps(owner.at("steps"));
    if (owner.has("target")) r.target = parseTarget(owner.at("target"), start);
    if (owner.has("priced")) r.priced = parsePriced(owner.at("priced"), meetings);
}

std::vector<RateRegime> parseRegimes(const ConfigNode& node, double start,
                                     const std::vector<Date>* meetings) {
    const auto items = node.items();
    if (items.empty()) node.fail("expected at least one regime");
    std::vector<RateRegime> out;
    std::set<std::string> names;
    double sum = 0.0;
    for (const auto& item : items) {
        if (!item.isMap())
            item.fail("expected a regime {name, probability, steps, target or priced}");
        item.allowOnly({"name", "probability", "steps", "target", "priced"});
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
        parsePolicy(item, r, "missing 'steps', 'target' or 'priced' for this regime", start,
                    meetings);
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
        // Levels from the start in whole bp, as the path computes them.
        int movedBp = 0;
        for (const auto& s : r.steps) {
            movedBp += s.bp;
            const double level = spec.start + movedBp / 100.0;
            if (level < f)
                failAt(s.where, "this step takes the rate to " + show(level) +
                                    ", below the floor " + show(f));
        }
        // A priced path goes lowest when every meeting that may cut does.
        movedBp = 0;
        for (const auto& m : r.priced) {
            if (m.cut > 0.0) movedBp -= m.sizeBp;
            const double level = spec.start + movedBp / 100.0;
            if (level < f)
                failAt(m.where, "if every priced cut happens, this meeting takes the rate to " +
                                    show(level) + ", below the floor " + show(f));
        }
    }
}

}  // namespace

RatePathSpec parseRatePath(const ConfigNode& node) {
    if (!node.isMap())
        node.fail("expected a map with 'start' and 'steps', 'target', 'priced' or 'regimes'");
    node.allowOnly({"start", "meetings", "steps", "target", "priced", "noise", "floor", "regimes"});
    RatePathSpec spec;
    spec.start = node.at("start").asDoubleIn(kMinRatePct, kMaxRatePct);
    if (auto m = node.find("meetings")) spec.meetings = parseMeetings(*m);
    const std::vector<Date>* meetings = node.has("meetings") ? &spec.meetings : nullptr;
    if (auto f = node.find("floor")) spec.floor = f->asDoubleIn(kMinRatePct, kMaxRatePct);
    if (auto n = node.find("noise")) {
        if (!n->isMap()) n->fail("expected {speed: <per year>, volatility: <pp per sqrt(year)>}");
        n->allowOnly({"speed", "volatility"});
        RateNoise noise;
        const ConfigNode speed = n->at("speed");
        noise.speed = speed.asDoubleIn(0.0, 1000.0);
        const ConfigNode vol = n->at("volatility");
        noise.volatility = vol.asDoubleIn(0.0, 100.0);
        spec.noise = noise;
    }

    if (node.has("regimes")) {
        for (const char* key : {"steps", "target", "priced"}) {
            if (node.has(key))
                node.failKey(key, std::string("'") + key +
                                      "' and 'regimes' exclude each other: give each regime "
                                      "its own 'steps', 'target' or 'priced'");
        }
        spec.regimes = parseRegimes(node.at("regimes"), spec.start, meetings);
        spec.drawsRegime = true;
    } else {
        RateRegime r;
        r.name = "base";
        parsePolicy(node, r, "missing 'steps', 'target', 'priced' or 'regimes'", spec.start,
                    meetings);
        spec.regimes.push_back(std::move(r));
    }

    if (!node.has("meetings")) {
        for (const auto& r : spec.regimes) {
            if (r.target)
                r.target->where.fail(
                    "a target moves at meetings: give 'meetings' in the "
                    "rate_path block");
        }
    }
    checkFloor(node, spec);
    return spec;
}

namespace {
void emitPolicy(YamlWriter& out, const RateRegime& r) {
    ROTOR_REQUIRE(r.levels.empty(), "regime '" << r.name << "' gives levels, which have no YAML");
    if (r.target) {
        out << yaml::Key << "target" << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "level" << yaml::Value << num(r.target->level);
        out << yaml::Key << "by" << yaml::Value << r.target->by.iso();
        out << yaml::Key << "step_bp" << yaml::Value << r.target->stepBp;
        out << yaml::EndMap;
    } else if (r.isPriced()) {
        out << yaml::Key << "priced" << yaml::Value << yaml::BeginMap;
        for (const auto& m : r.priced) {
            out << yaml::Key << m.date.iso() << yaml::Value << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "cut" << yaml::Value << num(m.cut);
            out << yaml::Key << "hike" << yaml::Value << num(m.hike);
            out << yaml::Key << "size_bp" << yaml::Value << m.sizeBp;
            out << yaml::EndMap;
        }
        out << yaml::EndMap;
    } else {
        out << yaml::Key << "steps" << yaml::Value;
        if (r.steps.empty()) out << yaml::Flow;
        out << yaml::BeginSeq;
        for (const auto& s : r.steps) {
            out << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "date" << yaml::Value << s.date.iso();
            out << yaml::Key << "bp" << yaml::Value << s.bp;
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

// A decision before it is placed on the calendar: its date, its move and the level it sets.
struct Decision {
    Date date;
    int bp;
    double level;
};

// Specs built in code skip parseRatePath, so the model checks the grid again.
void checkMoveBp(int bp, bool positive, const ConfigLocation& where) {
    if (bp == 0 || bp % kPolicyGridBp != 0 || (positive && bp < 0))
        failAt(where, std::string("a policy move is a ") + (positive ? "positive" : "non-zero") +
                          " multiple of 25 bp, found " + std::to_string(bp));
}

void checkNotBeforeStart(Date date, Date day0, const ConfigLocation& where) {
    if (date < day0)
        failAt(where, "decision dated " + date.iso() + " is before the start " + day0.iso() +
                          " (the start level already includes it)");
}

std::vector<Decision> targetDecisions(const RateTarget& t, double start,
                                      const std::vector<Date>& meetings, Date day0) {
    checkMoveBp(t.stepBp, true, t.where);
    const int distanceBp = targetDistanceBp(t, start, show(t.level));
    const int sign = distanceBp < 0 ? -1 : 1;
    const int totalBp = std::abs(distanceBp);
    const long needed = (totalBp + t.stepBp - 1) / t.stepBp;
    std::vector<Date> usable;
    for (const Date m : meetings) {
        if (m >= day0 && m <= t.by) usable.push_back(m);
    }
    if (static_cast<long>(usable.size()) < needed) {
        std::string list;
        for (const Date m : usable) list += (list.empty() ? "" : ", ") + m.iso();
        failAt(t.where, "reaching " + show(t.level) + " from " + show(start) + " in moves of " +
                            std::to_string(t.stepBp) + " bp needs " + std::to_string(needed) +
                            " meetings, but " + std::to_string(usable.size()) +
                            " meetings fall between the start " + day0.iso() + " and " +
                            t.by.iso() + (list.empty() ? "" : " (" + list + ")"));
    }
    std::vector<Decision> out;
    int movedBp = 0;
    for (long i = 0; i < needed; ++i) {
        // Whole steps, the last one shorter when the distance is not a multiple of the step
        // (it is still a multiple of 25 bp). Levels from the start in whole bp, so rounding
        // cannot drift; the last is the target as written.
        const int bp = sign * std::min(t.stepBp, totalBp - std::abs(movedBp));
        movedBp += bp;
        const double level = i + 1 == needed ? t.level : start + movedBp / 100.0;
        out.push_back({usable[static_cast<std::size_t>(i)], bp, level});
    }
    return out;
}

std::vector<Decision> stepDecisions(const std::vector<RateStep>& steps, double start, Date day0) {
    std::vector<Decision> out;
    int movedBp = 0;
    for (const auto& s : steps) {
        checkNotBeforeStart(s.date, day0, s.where);
        checkMoveBp(s.bp, false, s.where);
        movedBp += s.bp;
        out.push_back({s.date, s.bp, start + movedBp / 100.0});
    }
    return out;
}

}  // namespace

RatePathModel::RatePathModel(const RatePathSpec& spec, const std::vector<Date>& tradingDays)
    : days_(static_cast<Index>(tradingDays.size())),
      start_(spec.start),
      dates_(tradingDays),
      drawsRegime_(spec.drawsRegime),
      normal_(&NormalZiggurat::instance()) {
    ROTOR_REQUIRE(!tradingDays.empty(), "a rate path needs at least one trading day");
    for (std::size_t i = 1; i < tradingDays.size(); ++i)
        ROTOR_REQUIRE(tradingDays[i - 1] < tradingDays[i],
                      "trading days must ascend strictly: " << tradingDays[i].iso() << " follows "
                                                            << tradingDays[i - 1].iso());
    ROTOR_REQUIRE(!spec.regimes.empty(), "a rate path needs at least one regime");
    ROTOR_REQUIRE(spec.drawsRegime || spec.regimes.size() == 1,
                  "without a regime draw a rate path has exactly one regime");
    const Date day0 = tradingDays.front();
    // The first trading day strictly after a decision (days_ when after the horizon): the
    // effective rate moves the day after the announcement.
    const auto effectiveDay = [&](Date decision) {
        return static_cast<Index>(std::upper_bound(dates_.begin(), dates_.end(), decision) -
                                  dates_.begin());
    };

    double cumulative = 0.0;
    for (const auto& r : spec.regimes) {
        ROTOR_REQUIRE(!(r.isPriced() && (r.target || !r.steps.empty())),
                      "regime '" << r.name << "' gives priced meetings and steps or a target");
        names_.push_back(r.name);
        probabilities_.push_back(r.probability);
        cumulative += r.probability;
        cumulative_.push_back(cumulative);

        std::vector<PricedDraw> priced;
        Vector expected = Vector::Constant(days_, spec.start);
        double meanMovedBp = 0.0;
        for (std::size_t i = 0; i < r.priced.size(); ++i) {
            const PricedMeeting& m = r.priced[i];
            checkNotBeforeStart(m.date, day0, m.where);
            checkMoveBp(m.sizeBp, true, m.where);
            ROTOR_REQUIRE(m.cut >= 0.0 && m.hike >= 0.0 && m.cut + m.hike <= 1.0 + kProbabilityTol,
                          "priced meeting " << m.date.iso() << ": cut " << m.cut << " and hike "
                                            << m.hike << " are not probabilities of one draw");
            // Effective days must not go back, or a later meeting's level would be overwritten.
            ROTOR_REQUIRE(i == 0 || r.priced[i - 1].date < m.date,
                          "priced meetings must ascend strictly: " << m.date.iso());
            const Index day = effectiveDay(m.date);
            priced.push_back({m.date, day, m.cut, m.hike, m.cut + m.hike, m.sizeBp});
            if (day == days_) continue;  // drawn per path, takes effect after the horizon
            meanMovedBp += m.sizeBp * (m.hike - m.cut);
            expected.tail(days_ - day).setConstant(spec.start + meanMovedBp / 100.0);
        }

        if (!r.levels.empty()) {
            ROTOR_REQUIRE(!r.isPriced() && !r.target && r.steps.empty(),
                          "regime '" << r.name << "' gives its levels and a policy");
            ROTOR_REQUIRE(static_cast<Index>(r.levels.size()) == days_,
                          "regime '" << r.name << "' gives " << r.levels.size() << " levels for "
                                     << days_ << " days");
            ROTOR_REQUIRE(r.levels.front() == spec.start,
                          "regime '" << r.name << "' starts at " << r.levels.front()
                                     << ", the path at " << spec.start);
            base_.emplace_back(
                Eigen::Map<const Vector>(r.levels.data(), static_cast<Index>(r.levels.size())));
            expected_.push_back(base_.back());
            moves_.emplace_back();
            priced_.emplace_back();
            given_.push_back(true);
            continue;
        }
        const auto decisions = r.target
                                   ? targetDecisions(*r.target, spec.start, spec.meetings, day0)
                                   : stepDecisions(r.steps, spec.start, day0);
        Vector base = Vector::Constant(days_, spec.start);
        std::vector<RateMove> moves;
        for (const auto& d : decisions) {
            const Index day = effectiveDay(d.date);
            if (day == days_) break;  // takes effect after the horizon; so do later ones
            base.tail(days_ - day).setConstant(d.level);
            moves.push_back({d.date, dates_[static_cast<std::size_t>(day)], day, d.bp, d.level});
        }
        if (!r.isPriced()) expected = base;
        base_.push_back(std::move(base));
        moves_.push_back(std::move(moves));
        priced_.push_back(std::move(priced));
        expected_.push_back(std::move(expected));
        given_.push_back(false);
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

bool RatePathModel::isPriced(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return !priced_[static_cast<std::size_t>(regime)].empty();
}

const Vector& RatePathModel::base(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return base_[static_cast<std::size_t>(regime)];
}

const std::vector<RateMove>& RatePathModel::moves(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return moves_[static_cast<std::size_t>(regime)];
}

const Vector& RatePathModel::expected(int regime) const {
    ROTOR_REQUIRE(regime >= 0 && regime < regimes(), "no regime " << regime);
    return expected_[static_cast<std::size_t>(regime)];
}

Vector RatePathModel::expectedMixture() const {
    Vector out = Vector::Zero(days_);
    for (std::size_t r = 0; r < expected_.size(); ++r) out += probabilities_[r] * expected_[r];
    return out;
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
    ROTOR_REQUIRE(out.size() == days_,
                  "rate path buffer has " << out.size() << " days, expected " << days_);
    const Vector& b = base(regime);
    const auto& priced = priced_[static_cast<std::size_t>(regime)];
    if (priced.empty()) {
        out = b;
    } else {
        // One uniform per priced meeting in date order, also for meetings that take effect
        // after the horizon: the draws a path makes depend on the spec only, not on its length.
        int movedBp = 0;
        Index from = 0;
        for (const auto& m : priced) {
            const double u = rng.uniform();
            const int bp = u < m.cut ? -m.sizeBp : u < m.hikeBelow ? m.sizeBp : 0;
            if (bp == 0 || m.day == days_) continue;
            out.segment(from, m.day - from).setConstant(start_ + movedBp / 100.0);
            movedBp += bp;
            from = m.day;
        }
        out.tail(days_ - from).setConstant(start_ + movedBp / 100.0);
    }
    if (shockSd_ > 0.0) {
        // Exact OU discretisation on the trading-day grid, x_0 = 0.
        double x = 0.0;
        for (Index t = 1; t < days_; ++t) {
            x = x * decay_ + shockSd_ * (*normal_)(rng);
            out[t] += x;
        }
    }
    if (hasFloor_) out = out.cwiseMax(floor_);
}

int RatePathModel::drawOnly(Xoshiro256& rng, double& sum) const {
    const int regime = drawRegime(rng);
    for (std::size_t m = 0; m < priced_[static_cast<std::size_t>(regime)].size(); ++m)
        sum += rng.uniform();
    if (shockSd_ > 0.0)
        for (Index t = 1; t < days_; ++t) sum += (*normal_)(rng);
    return regime;
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
        if (given_[r]) {
            // A given path: its last level (the moves would be every change of a daily series).
            out << yaml::Key << "given_levels" << yaml::Value << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "days" << yaml::Value << days_;
            out << yaml::Key << "end" << yaml::Value << show(base_[r][days_ - 1]);
            out << yaml::EndMap << yaml::EndMap;
            continue;
        }
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
        if (!priced_[r].empty()) {
            // The priced meetings that take effect within the horizon.
            out << yaml::Key << "priced" << yaml::Value << yaml::BeginSeq;
            for (const auto& m : priced_[r]) {
                if (m.day == days_) continue;
                out << yaml::Flow << yaml::BeginMap;
                out << yaml::Key << "decision" << yaml::Value << m.decision.iso();
                out << yaml::Key << "effective" << yaml::Value
                    << dates_[static_cast<std::size_t>(m.day)].iso();
                out << yaml::Key << "day" << yaml::Value << m.day;
                out << yaml::Key << "cut" << yaml::Value << num(m.cut);
                out << yaml::Key << "hike" << yaml::Value << num(m.hike);
                out << yaml::Key << "size_bp" << yaml::Value << m.sizeBp;
                out << yaml::EndMap;
            }
            out << yaml::EndSeq;
            out << yaml::Key << "expected_end" << yaml::Value << show(expected_[r][days_ - 1]);
        }
        out << yaml::EndMap;
    }
    out << yaml::EndSeq;
    out << yaml::EndMap;
    return out.str();
}

}  // namespace rotor
