// SPDX-License-Identifier: MIT
// The cash-rate path of a forward scenario: deterministic policy decisions (dated steps or a
// target reached at meetings), optional regimes drawn per path and Ornstein-Uhlenbeck noise.
// The rules and equations are in docs/rate-path.md.
#pragma once

#include "engine/config/yaml_writer.hpp"
#include "engine/config/config_node.hpp"
#include "engine/core/date.hpp"
#include "engine/core/rng.hpp"
#include "engine/core/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// A policy decision announced on `date` (rates in annual percent, the move in basis points).
struct RateStep {
    Date date;
    double bp = 0.0;
    ConfigLocation where;  // the YAML entry, to locate errors found against the calendar
};

// Reach `level` by moves of `stepBp` at consecutive meetings on or before `by`.
struct RateTarget {
    double level = 0.0;
    Date by;
    double stepBp = 25.0;
    ConfigLocation where;       // the target map
    ConfigLocation levelWhere;  // its `level`
};

// One alternative policy; exactly one of a step list or a target.
struct RateRegime {
    std::string name;
    double probability = 1.0;
    std::vector<RateStep> steps;       // strictly ascending dates; used when there is no target
    std::optional<RateTarget> target;
};

// Ornstein-Uhlenbeck noise around the deterministic path.
struct RateNoise {
    double speed = 0.0;       // mean reversion k, per year (k = 0: Brownian motion)
    double volatility = 0.0;  // s, percentage points per sqrt(year)
};

struct RatePathSpec {
    double start = 0.0;            // level on day 0, annual percent
    std::vector<Date> meetings;    // strictly ascending; used by targets only
    // Without `regimes:` in the YAML: one regime named "base" with probability 1.
    std::vector<RateRegime> regimes;
    bool drawsRegime = false;      // true when the YAML gave `regimes:` (one uniform per path)
    std::optional<RateNoise> noise;
    std::optional<double> floor;   // lower bound on the final rate, annual percent
};

// Parses and validates a `rate_path:` block (everything that does not need the calendar).
// Throws ConfigError located at the offending key.
RatePathSpec parseRatePath(const ConfigNode& node);

// Writes the block back as YAML (defaults filled in), for provenance; parseRatePath reads it.
void emitRatePath(YamlWriter& out, const RatePathSpec& spec);
std::string ratePathYaml(const RatePathSpec& spec);

// A decision resolved against the trading days.
struct RateMove {
    Date decision;    // announcement date
    Date effective;   // first trading day after `decision`
    Index day;        // index of `effective` in the trading days
    double bp;        // the move, basis points
    double level;     // the level from `effective` on, annual percent
};

class RatePathModel {
public:
    // `tradingDays`: the T >= 1 days of the horizon, strictly ascending; day 0 is the start.
    // Throws ConfigError (located when the spec came from YAML) for a decision before day 0 or
    // a target that the meetings cannot reach. Decisions whose effect falls after the last day
    // are dropped.
    RatePathModel(const RatePathSpec& spec, const std::vector<Date>& tradingDays);

    Index days() const { return days_; }
    int regimes() const { return static_cast<int>(base_.size()); }
    const std::string& regimeName(int regime) const;
    double probability(int regime) const;
    // The deterministic path of a regime (no noise, no floor; it respects the floor by
    // validation).
    const Vector& base(int regime) const;
    // The moves of a regime that take effect within the horizon, in order.
    const std::vector<RateMove>& moves(int regime) const;

    // The regime of a path: one uniform from `rng` when the spec has regimes, else 0 and no draw.
    int drawRegime(Xoshiro256& rng) const;
    // One path: draws the regime (as drawRegime), then T - 1 normals for the noise (none when
    // the noise is off). `out` must have T entries. Allocation-free.
    void generate(Xoshiro256& rng, Eigen::Ref<Vector> out, int* regimeOut = nullptr) const;
    // One path of a given regime (no regime draw).
    void generate(Xoshiro256& rng, int regime, Eigen::Ref<Vector> out) const;

    // The resolved decisions of every regime as YAML, for provenance and for reading.
    std::string describe() const;

private:
    Index days_ = 0;
    std::vector<Date> dates_;
    std::vector<std::string> names_;
    std::vector<double> probabilities_;
    std::vector<double> cumulative_;  // cumulative regime probabilities, last forced to 1
    bool drawsRegime_ = false;
    std::vector<Vector> base_;
    std::vector<std::vector<RateMove>> moves_;
    double decay_ = 1.0;     // e^{-k dt}
    double shockSd_ = 0.0;   // s sqrt((1 - e^{-2k dt}) / (2k)); 0 when the noise is off
    bool hasFloor_ = false;
    double floor_ = 0.0;
    const NormalZiggurat* normal_;
};

}  // namespace rotor
