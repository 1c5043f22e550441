// SPDX-License-Identifier: MIT
// The cash-rate path of a forward scenario: policy decisions in multiples of 25 bp (dated steps,
// a target reached at meetings, or moves priced per meeting), optional regimes drawn per path and
// Ornstein-Uhlenbeck noise. The rules and equations are in docs/rate-path.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/date.hpp"
#include "engine/core/rng.hpp"
#include "engine/core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// The FOMC moves its target range in multiples of 25 bp, so every policy move is one.
inline constexpr int kPolicyGridBp = 25;

// A policy decision announced on `date` (rates in annual percent, the move in basis points).
struct RateStep {
    Date date;
    int bp = 0;            // a non-zero multiple of kPolicyGridBp
    ConfigLocation where;  // the YAML entry, to locate errors found against the calendar
};

// Reach `level` by moves of `stepBp` at consecutive meetings on or before `by`; `level` is a
// whole number of kPolicyGridBp moves away from the start.
struct RateTarget {
    double level = 0.0;
    Date by;
    int stepBp = 25;            // a positive multiple of kPolicyGridBp
    ConfigLocation where;       // the target map
    ConfigLocation levelWhere;  // its `level`
};

// A meeting as markets price it: the policy moves by -sizeBp with probability `cut`, by +sizeBp
// with probability `hike`, and holds otherwise; drawn independently per path.
struct PricedMeeting {
    Date date;             // one of the block's meetings
    double cut = 0.0;      // in [0, 1]
    double hike = 0.0;     // in [0, 1], cut + hike <= 1
    int sizeBp = 25;       // a positive multiple of kPolicyGridBp
    ConfigLocation where;  // the meeting's entry
};

// One alternative policy: a step list, a target, or priced meetings (exactly one of them); or,
// built in code only (no YAML form), the level on every trading day of the horizon.
struct RateRegime {
    std::string name;
    double probability = 1.0;
    std::vector<RateStep> steps;  // strictly ascending dates; used when there is no target
    std::optional<RateTarget> target;
    std::vector<PricedMeeting> priced;  // strictly ascending dates; non-empty: a priced regime
    // Non-empty: the path itself, one level per trading day (day 0 first, equal to the start),
    // off the 25 bp grid if need be: a realised history (`rotor backtest-model`'s
    // realised_rates). Nothing else may be given with it. (Initialised so that aggregate
    // initialisations of the policy fields may leave it out.)
    std::vector<double> levels = {};

    bool isPriced() const { return !priced.empty(); }
};

// Ornstein-Uhlenbeck noise around the deterministic path.
struct RateNoise {
    double speed = 0.0;       // mean reversion k, per year (k = 0: Brownian motion)
    double volatility = 0.0;  // s, percentage points per sqrt(year)
};

struct RatePathSpec {
    double start = 0.0;          // level on day 0, annual percent
    std::vector<Date> meetings;  // strictly ascending; used by targets and priced regimes
    // Without `regimes:` in the YAML: one regime named "base" with probability 1.
    std::vector<RateRegime> regimes;
    bool drawsRegime = false;  // true when the YAML gave `regimes:` (one uniform per path)
    std::optional<RateNoise> noise;
    std::optional<double> floor;  // lower bound on the final rate, annual percent
};

// Parses and validates a `rate_path:` block (everything that does not need the calendar).
// Throws ConfigError located at the offending key.
RatePathSpec parseRatePath(const ConfigNode& node);

// Writes the block back as YAML (defaults filled in), for provenance; parseRatePath reads it.
void emitRatePath(YamlWriter& out, const RatePathSpec& spec);
std::string ratePathYaml(const RatePathSpec& spec);

// A decision resolved against the trading days.
struct RateMove {
    Date decision;   // announcement date
    Date effective;  // first trading day after `decision`
    Index day;       // index of `effective` in the trading days
    int bp;          // the move, basis points
    double level;    // the level from `effective` on, annual percent
};

class RatePathModel {
public:
    // `tradingDays`: the T >= 1 days of the horizon, strictly ascending; day 0 is the start.
    // Throws ConfigError (located when the spec came from YAML) for a decision before day 0, a
    // move off the 25 bp grid or a target that the meetings cannot reach. Decisions whose effect
    // falls after the last day are dropped.
    RatePathModel(const RatePathSpec& spec, const std::vector<Date>& tradingDays);

    Index days() const { return days_; }
    int regimes() const { return static_cast<int>(base_.size()); }
    const std::string& regimeName(int regime) const;
    double probability(int regime) const;
    bool isPriced(int regime) const;
    // The deterministic path of a regime (no noise, no floor; it respects the floor by
    // validation). A priced regime's is the start level on every day: its moves are drawn per
    // path on top of it.
    const Vector& base(int regime) const;
    // The moves of a regime that take effect within the horizon, in order (none when priced).
    const std::vector<RateMove>& moves(int regime) const;
    // The mean policy level of each day under the regime's own rules (no noise, no floor):
    // base(regime) for steps and targets; for a priced regime the start plus the sum of
    // size x (hike - cut) over the meetings in effect.
    const Vector& expected(int regime) const;
    // The probability-weighted mean of expected() over the regimes: the policy path expected on
    // day 0, before the regime is known.
    Vector expectedMixture() const;

    // The regime of a path: one uniform from `rng` when the spec has regimes, else 0 and no draw.
    int drawRegime(Xoshiro256& rng) const;
    // One path: draws the regime (as drawRegime), then the regime's own draws (one uniform per
    // priced meeting, in date order, for a priced regime; none otherwise), then T - 1 normals
    // for the noise (none when the noise is off). `out` must have T entries. Allocation-free.
    void generate(Xoshiro256& rng, Eigen::Ref<Vector> out, int* regimeOut = nullptr) const;
    // One path of a given regime (no regime draw; the priced meetings' and the noise's draws).
    void generate(Xoshiro256& rng, int regime, Eigen::Ref<Vector> out) const;
    // generate()'s draws alone, no path (PathGenerator::drawOnly): adds the variates to `sum`
    // and returns the regime.
    int drawOnly(Xoshiro256& rng, double& sum) const;

    // The resolved decisions of every regime as YAML, for provenance and for reading; for a
    // priced regime its meetings within the horizon and its expected level on the last day.
    std::string describe() const;

private:
    // A priced meeting placed on the calendar: the move is -sizeBp when u < cut, +sizeBp when
    // cut <= u < hikeBelow, none otherwise.
    struct PricedDraw {
        Date decision;
        Index day;  // first day in effect; days_ when after the horizon (drawn, not used)
        double cut;
        double hike;
        double hikeBelow;  // cut + hike
        int sizeBp;
    };

    Index days_ = 0;
    double start_ = 0.0;
    std::vector<Date> dates_;
    std::vector<std::string> names_;
    std::vector<double> probabilities_;
    std::vector<double> cumulative_;  // cumulative regime probabilities, last forced to 1
    bool drawsRegime_ = false;
    std::vector<Vector> base_;
    std::vector<std::vector<RateMove>> moves_;
    std::vector<std::vector<PricedDraw>> priced_;  // empty for steps and targets
    std::vector<Vector> expected_;
    std::vector<bool> given_;  // the regime gave its levels
    double decay_ = 1.0;       // e^{-k dt}
    double shockSd_ = 0.0;     // s sqrt((1 - e^{-2k dt}) / (2k)); 0 when the noise is off
    bool hasFloor_ = false;
    double floor_ = 0.0;
    const NormalZiggurat* normal_;
};

}  // namespace rotor
