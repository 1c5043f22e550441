// SPDX-License-Identifier: MIT
// The bifurcated small-cap market: an index asset (IWM) split into quality and speculative
// sleeves whose value-weighted simple returns recombine exactly into the index, with a
// two-state (normal / divergence) regime that widens the gap. Equations in docs/scenarios.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/date.hpp"
#include "engine/core/rng.hpp"
#include "engine/core/types.hpp"
#include "engine/data/data_store.hpp"
#include "engine/data/time_series.hpp"
#include "engine/scenario/macro/refinancing_wall.hpp"
#include "engine/scenario/path.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// A sleeve's terms are relative to the parent: only their value-weighted deviations reach the
// sleeve, so the parent's own return is untouched (except by the refinancing wall).
struct SleeveSpec {
    std::string name;           // the sleeve's column in the universe
    double weight = 0.0;        // initial value weight; the weights sum to 1
    double drift = 0.0;         // annual drift of the divergence term (simple-return units)
    double vol = 0.0;           // annual volatility of the sleeve's own divergence shock
    double rmwLoading = 0.0;    // loading on the profitability factor (RMW)
    double wallExposure = 0.0;  // share of the sleeve's value hit by the refinancing wall
    ConfigLocation where;       // its `name`, to locate an asset missing from the universe
};

// `calibrate:` -- sleeves estimated from portfolio returns instead of given numbers.
struct SleeveCalibrationSpec {
    std::string portfolios;       // file with one daily-return column per sleeve
    double portfoliosUnit = 1.0;  // raw value x unit = simple return (0.01 for percent)
    std::string factorFile, factorColumn;
    double factorUnit = 1.0;
    Date start;        // loadings, vols and the factor's moments: [start, cut-off]
    Date weightsFrom;  // value weights: style analysis of the parent from here
    ConfigLocation where, weightsWhere;
    // Per sleeve, in order: the portfolio column that is its history (and where it is named),
    // and what the calibration found besides the model's inputs (the annual intercept of the
    // relative return on the factor and its t statistic: reported, not used).
    std::vector<std::string> columns;
    std::vector<ConfigLocation> columnWhere;
    std::vector<double> alpha, alphaTStat;
    // Filled by calibrateBifurcation: the spans and counts actually used.
    Date first, last, weightsFirst, weightsLast;
    long days = 0, weeks = 0;
};

// Two states: 0 = normal, 1 = divergence. Markov with per-day switch probabilities, or fixed
// by dated windows (divergence on the days inside a window).
struct RegimeSwitchSpec {
    double enterProbability = 0.0;  // P(normal -> divergence) per day
    double exitProbability = 0.0;   // P(divergence -> normal) per day
    int initial = 0;
    std::vector<std::pair<Date, Date>> windows;  // inclusive; when non-empty, no draws
    double driftScale = 1.0;  // multiplies the drift gaps in the divergence state
    double volScale = 1.0;    // multiplies the divergence shocks in the divergence state
};

struct BifurcationSpec {
    std::string parent;
    std::vector<SleeveSpec> sleeves;
    double factorMean = 0.0316;  // RMW, annual (Fama-French 5-factor daily, 1963-07..2026-04)
    double factorVol = 0.0646;
    std::optional<RegimeSwitchSpec> regime;
    std::optional<RefinancingWallSpec> wall;  // nested block; sleeves carry the exposure
    std::optional<SleeveCalibrationSpec> calibrate;
    ConfigLocation parentWhere;  // `parent`
};

// A `calibrate:` block resolved from data up to `cutoff` (inclusive): the sleeves' value
// weights by style analysis of the parent's weekly returns on the sleeve portfolios (least
// squares, weights >= 0 summing to 1), then on daily returns over [start, cutoff] each sleeve's
// return relative to the weighted composite regressed on the factor: loading = slope, vol =
// residual sd (annualised), drift 0 (the intercept is reported, not used), the factor's mean
// and vol from the same days. A spec without `calibrate` is returned as it is. ConfigError at
// the key whose data is missing or too short.
BifurcationSpec calibrateBifurcation(const BifurcationSpec& spec, const TimeSeries& parentPrices,
                                     DataStore& data, Date cutoff);
// What calibrateBifurcation found (weights, drifts, vols, loadings, the dropped intercepts with
// their t statistics, the factor's moments and the spans used), for `rotor calibrate`.
void emitCalibratedSleeves(YamlWriter& out, const BifurcationSpec& spec);
// Least-squares weights >= 0 summing to 1 of y on the columns of X (every support tried).
Vector styleWeights(const Matrix& x, const Vector& y);

// Parses a `bifurcation:` block. Throws ConfigError located at the offending key.
BifurcationSpec parseBifurcation(const ConfigNode& node);
// The block with every default filled in (a map value), as parseBifurcation reads it.
void emitBifurcation(YamlWriter& out, const BifurcationSpec& spec);

// What one split did, for tests and reports. Row t of the matrices is day t.
struct BifurcationTrace {
    std::vector<int> regime;  // T, regime of the return into day t (row 0: initial)
    Matrix weights;           // T x K, value weights after day t's returns (row 0: initial)
    Matrix sleeveSimple;      // T x K, simple returns (row 0: 0)
    Vector parentSimple;      // T, recombined parent simple return
    Vector wallLoss;          // T, the wall's firm log loss (0 without a wall)
};

class Bifurcation {
public:
    Bifurcation(BifurcationSpec spec, std::vector<Date> dates);

    const BifurcationSpec& spec() const { return spec_; }
    Index sleeves() const { return static_cast<Index>(spec_.sleeves.size()); }

    // From the parent's modelled log returns (T, row 0 ignored), writes the sleeves' log
    // returns (T x K) and the recombined parent log returns (T; may alias `parentLog`).
    // Draws, in order: the wall's 2 (T - 1) uniforms (when nested), then per day t >= 1 the
    // regime uniform (Markov only), the factor normal and K sleeve normals.
    // Throws rotor::Error if a sleeve's gross return is not positive (divergence too wide).
    // `wallParts`, when given, receives the nested wall's flow / valuation / jump sums.
    void split(const Vector& rate, const Eigen::Ref<const Vector>& parentLog,
               Eigen::Ref<Matrix> sleeveLog, Eigen::Ref<Vector> parentOut, Xoshiro256& rng,
               BifurcationTrace* trace = nullptr, RefinancingWallParts* wallParts = nullptr) const;

private:
    BifurcationSpec spec_;
    std::vector<Date> dates_;
    std::optional<RefinancingWall> wall_;
    std::vector<int> windowRegime_;  // T, when the regime is given by windows
};

// The overlay on a universe holding the parent and every sleeve: the sleeves' columns are
// overwritten, the parent's becomes the recombination. Throws ConfigError for a missing asset.
std::shared_ptr<const ReturnOverlay> makeBifurcation(const BifurcationSpec& spec,
                                                     const Universe& universe,
                                                     const std::vector<Date>& dates);

}  // namespace rotor
