// SPDX-License-Identifier: MIT
// The small-cap refinancing wall: debt repricing at each path's own policy rate drags on the
// equity of speculative firms, and the falling interest coverage raises default and dilution
// hazards that arrive as jump losses. Equations and defaults are in docs/scenarios.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/date.hpp"
#include "engine/core/rng.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Annual hazard (events per year, as a fraction of the firms' value) as a function of interest
// coverage C. Logistic: lo + (hi - lo) / (1 + exp((C - midpoint) / width)), falling in C.
// Piecewise linear: through `points` (coverage ascending), flat beyond the end points.
struct HazardCurve {
    double lo = 0.0;
    double hi = 0.0;
    double midpoint = 1.0;
    double width = 0.5;
    std::vector<std::pair<double, double>> points;  // (coverage, hazard); used when non-empty

    double operator()(double coverage) const;
};

// Debt of the year `year` matures uniformly over that calendar year.
struct MaturityBucket {
    int year = 0;
    double fraction = 0.0;  // of total debt
};

// The documented defaults (docs/scenarios.md); a default-constructed spec holds them.
std::vector<MaturityBucket> defaultMaturities();
HazardCurve defaultDefaultHazard();
HazardCurve defaultDilutionHazard();

struct RefinancingWallSpec {
    std::vector<std::string> assets;  // target columns (standalone block only)
    double speculativeShare = 0.40;   // share of a target's value made of speculative firms
    double floatingShare = 0.33;      // share of debt at floating rates
    std::vector<MaturityBucket> maturities = defaultMaturities();
    double spreadBp = 450.0;        // refinancing spread over the policy rate
    double oldCoupon = 7.1;         // today's average interest cost, percent of debt
    double debtToEquity = 0.50;     // debt / market value of equity
    double interestCoverage = 1.5;  // today's EBIT / interest of the speculative firms
    // The valuation channel: the extra after-tax interest is a lasting loss of earnings, worth
    // `multiple` times itself (the firms' price / earnings); 0 switches the channel off.
    double multiple = 15.0;
    double taxRate = 0.21;  // the interest tax shield (US federal rate; 0 for loss-makers)
    HazardCurve defaultHazard = defaultDefaultHazard();
    HazardCurve dilutionHazard = defaultDilutionHazard();
    double eventSize = 0.01;         // share of the firms' value hit by one event
    double lossGivenDefault = 0.70;  // equity value lost by a defaulting firm
    double dilutionLoss = 0.15;      // value lost by existing holders in one issuance
    // Add back the expected jump loss at today's coverage as drift, so that with unchanged
    // coverage the overlay changes the variance and not the mean (the generator's drift is
    // calibrated on history, which already holds the normal rate of defaults).
    bool compensate = true;
    ConfigLocation assetsWhere;  // `assets`, to locate errors against the universe
};

// Parses a `refinancing_wall:` block. `standalone` blocks need `assets:`; a block nested in
// `bifurcation:` must not have one (its sleeves carry the exposure). Throws ConfigError.
RefinancingWallSpec parseRefinancingWall(const ConfigNode& node, bool standalone = true);
// The block with every default filled in (a map value), as parseRefinancingWall reads it.
void emitRefinancingWall(YamlWriter& out, const RefinancingWallSpec& spec, bool standalone = true);

// The deterministic pieces for one rate path (all annual, fractions of debt unless stated).
struct RefinancingWallPath {
    Vector matured;         // M_t: share of fixed-rate debt matured in (dates[0], dates[t]]
    Vector extraInterest;   // dI_t = phi (r_t - r_0) + (1 - phi) M_t (r_t + s - c_0)
    Vector interestCost;    // I_t = c_0 + dI_t (floored at 1e-6)
    Vector coverage;        // C_t = C_0 c_0 / I_t
    Vector defaultHazard;   // lambda_D(C_t)
    Vector dilutionHazard;  // lambda_U(C_t)
    Vector drag;            // daily log-return drag on the firms' equity: D/E dI_t / 252
    // Share of the equity's value lost to capitalised extra interest on day t:
    // L_t = min(multiple (1 - tax) D/E dI_t, 0.99) (negative when interest falls).
    Vector capitalised;
};

// One path's wall losses over the horizon, as log losses of the speculative firms' equity
// (positive = loss): the cash-flow drag, the capitalised valuation loss -ln(1 - L_{T-1}), and
// the default and dilution jumps net of their compensation. They add up to sum_t X_t.
struct RefinancingWallParts {
    double flow = 0.0;
    double valuation = 0.0;
    double jumps = 0.0;
};

// Share of fixed-rate debt maturing in (dates[0], dates[t]]: each bucket's debt matures
// uniformly over its calendar year (ACT days); buckets before dates[0] are already refinanced.
Vector maturedFraction(const std::vector<MaturityBucket>& buckets, const std::vector<Date>& dates);

// `rate`: the path's policy rate, annual percent, one entry per date.
RefinancingWallPath computeRefinancingWall(const RefinancingWallSpec& spec,
                                           const std::vector<Date>& dates, const Vector& rate);

// Draws the wall's daily log losses of the speculative firms for one path (T entries, row 0 is
// 0): X_t = drag_t + N_D a_D + N_U a_U - compensation, with N ~ Poisson(lambda / eventSize / 252)
// from two uniforms per day (default, then dilution) by inversion, so a higher hazard never
// gives fewer events for the same draws; plus the valuation term ln(1 - L_{t-1}) - ln(1 - L_t),
// the re-pricing of capitalised extra interest as the state of day t is known. Allocation-free
// when `out` has T entries.
class RefinancingWall {
public:
    RefinancingWall(RefinancingWallSpec spec, std::vector<Date> dates);

    const RefinancingWallSpec& spec() const { return spec_; }
    // `parts`, when given, receives the horizon's sums of the three components.
    void firmLogLosses(const Vector& rate, Eigen::Ref<Vector> out, Xoshiro256& rng,
                       RefinancingWallParts* parts = nullptr) const;
    // Names of the per-path report: "flow", "valuation", "jumps" (RefinancingWallParts order).
    static std::vector<std::string> partNames();
    // The log-return change of an asset whose value is a share h of these firms:
    // log(1 + h (exp(-X) - 1)).
    static double assetLogChange(double firmLogLoss, double share);

private:
    RefinancingWallSpec spec_;
    std::vector<Date> dates_;
    Vector matured_;
    double defaultJump_ = 0.0;   // a_D = -log(1 - eventSize * LGD)
    double dilutionJump_ = 0.0;  // a_U = -log(1 - eventSize * dilutionLoss)
    double compensation_ = 0.0;  // daily expected jump log loss at today's coverage
};

// Poisson(mean) by inversion of one uniform u in [0, 1): nondecreasing in `mean` for fixed u.
long poissonInverse(double mean, double u);

// The overlay on `spec.assets` (each scaled by speculativeShare). Throws ConfigError for an
// asset missing from the universe.
std::shared_ptr<const ReturnOverlay> makeRefinancingWall(const RefinancingWallSpec& spec,
                                                         const Universe& universe,
                                                         const std::vector<Date>& dates);

}  // namespace rotor
