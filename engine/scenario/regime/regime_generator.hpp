// SPDX-License-Identifier: MIT
// The regime model: each rate regime of the scenario is an episode class of history with its
// own factor covariance and asset loadings; equities drift at the path's cash rate plus the
// class premium plus a valuation adjustment (or a view), bonds earn their yield minus duration
// times the yield's change, and the 2-year yield follows the market's expected policy path.
// Equations, draw order and the attribution are in docs/regimes.md.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/factor/chi_square.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/regime/regime_calibration.hpp"
#include "engine/scenario/regime/regime_model.hpp"
#include "engine/scenario/return_path_generator.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// A view on one asset's expected return in one regime (or in every regime: key `all`).
struct RegimeView {
    double expectedReturn = 0.0;             // annual total return R: E[P_1y / P_0] = 1 + R
    std::optional<bool> includesRateEffect;  // bonds: true, the view is the whole return;
                                             // false, it replaces the carry (duration on top)
    ConfigLocation where;
};

// The `model: {type: regime}` block.
class RegimeModelConfig final : public ModelSpec {
public:
    RegimeCalibrationSpec calibrate;
    ConfigLocation calibrateWhere;
    std::vector<RegimeAssetInput> assets;  // universe order
    std::vector<std::string> rateRegimes;  // the rate path's regimes, in order
    std::vector<std::string> regimeClass;  // their episode classes, same order
    std::map<std::string, std::map<std::string, RegimeView>> views;  // regime (or all) -> asset
    double dof = 0.0;          // Student-t factor shocks; 0 for normal
    double learningDays = 63;  // the curve's tau
    // A path keeps its regime's class this many trading days (the year an easing class
    // describes), then switches class every 21 days as history did; none: keeps it throughout.
    std::optional<int> switchAfterDays = 252;

    std::string type() const override { return "regime"; }
    // The calibrated parameters (reads the data through `data`).
    RegimeModelSpec resolve(Date cutoff, DataStore& data) const;
    std::unique_ptr<PathGenerator> build(const GeneratorContext& ctx, DataStore& data,
                                         ReturnOverlays overlays) const override;
    void emit(YamlWriter& out) const override;
    // An equity's `valuation.pe` (its multiple on day 0).
    std::optional<double> startMultiple(const std::string& asset) const override;
};

std::shared_ptr<const ModelSpec> parseRegimeModel(const ConfigNode& model,
                                                  const ModelParseContext& ctx);

class RegimePathGenerator final : public ReturnPathGenerator {
public:
    // Throws rotor::Error when the parameters do not fit the context (sizes, a covariance that
    // is not positive definite, a regime without a class).
    RegimePathGenerator(RegimeModelSpec spec, const RegimeModelConfig& config,
                        const GeneratorContext& ctx, ReturnOverlays overlays = {});

    std::string describe() const override;
    std::vector<std::string> attributionNames() const override;
    std::vector<AssetExpectation> expectations() const override { return expectations_; }
    std::vector<std::string> warnings() const override { return warnings_; }

    const RegimeModelSpec& spec() const { return spec_; }
    // Conditions every path on a class per day (T entries, indices into spec().classes; day
    // 0's is not used): each day's shocks come from its scheduled class, and the class switching
    // draws no uniforms. Empty: the classes follow the rate regime and switching. Throws
    // rotor::Error on a size or index out of range.
    void setClassSchedule(std::vector<int> classes);
    // The 2-year yield the market expects on each day of regime r's path (no shocks).
    const Vector& expectedYield(int regime) const {
        return expectedYield_[static_cast<std::size_t>(regime)];
    }

protected:
    // With stress, one uniform for the first month's state, then one at the start of every
    // later 21-day month; with class switching, one uniform at each switching day (after the
    // stress one); per day t = 1..T-1: K + 1 normals (the factors and the 2-year yield's
    // shock), one chi-square when the shocks are Student-t, then N idiosyncratic normals.
    // With valued assets, writes their log multiple ln PE(t) = (expected path) + gap(t) into
    // scratch.valuation (docs/regimes.md, "The simulated multiple"); no draws of its own.
    void drawReturns(Xoshiro256& rng, int regime, Vector& rate, Matrix& logReturns,
                     GeneratorScratch& scratch) const override;
    // The draws above alone, in their order (kept next to drawReturns: change both together).
    std::optional<double> drawReturnsOnly(Xoshiro256& rng, int regime) const override;

private:
    // Whether the class may change at the start of return day `day`, and the transition
    // matrix it uses (c0: the path's first class).
    bool switchDay(Index day) const {
        return switchMonthly_.size() > 0 && day - 1 >= switchAfter_ &&
               (day - 1 - switchAfter_) % 21 == 0;
    }
    const Matrix& switchRow(int c0, Index day) const;

    RegimeModelSpec spec_;
    std::vector<int> classOf_;     // per rate regime
    std::vector<Matrix> chol_;     // per class, (K+1) x (K+1), daily
    std::vector<Matrix> loading_;  // per class, N x (K+1)
    std::vector<Vector> idio_;     // per class, N, daily
    // Daily drift without cash: per rate regime, T x N, the part that does not depend on the
    // class; per rate regime x class, N, the part that does (premium, -variance / 2).
    std::vector<Matrix> drift_;
    std::vector<Vector> classDrift_;
    // Class switching (empty matrices: none): the first switch after switchAfter_ days uses
    // the `after` row for easing classes (their year is over), the monthly row otherwise.
    int switchAfter_ = 0;
    std::vector<int> schedule_;  // setClassSchedule; empty when not conditioned
    Matrix switchMonthly_;
    Matrix switchAfterSpell_;
    std::vector<Vector> yieldStep_;      // per rate regime, T: expected 2-year change
    std::vector<Vector> expectedYield_;  // per rate regime, T
    std::vector<Vector> growthPath_;     // per regime x asset, T: expected earnings growth
    // The assets whose log multiple the paths carry (Universe::valued), and its expected path
    // per day (T each): ln pe plus the expected re-rating the drift holds.
    std::vector<Index> valuedColumns_;
    std::vector<Vector> expectedMultiple_;
    // Per regime x asset: an equity's drift adds the path's cash rate, a bond earns its yield
    // (false where a view replaces them).
    std::vector<bool> cashDrift_;
    std::vector<char> tenYear_;  // per asset: on the 10-year curve (not compared as text per day)
    // Per regime x asset, what the day loop of drawReturns reads.
    struct AssetStep {
        bool bond = false;
        bool valued = false;    // an equity with valuation inputs (its multiple's gap)
        bool tenYear = false;   // a bond on the 10-year curve
        bool accrues = true;    // cashDrift_
        double rateLoad = 0.0;  // a bond's rate effect per point of yield move
    };
    std::vector<AssetStep> steps_;
    std::optional<ChiSquareSampler> chi2_;
    double tScale_ = 1.0;
    // Stress (calm 0 / turbulent 1): scale of the equity factor shocks and daily shift of the
    // market factor in each state, normalised to keep the class moments on average.
    bool stress_ = false;
    double stressScale_[2] = {1.0, 1.0};
    double stressShift_[2] = {0.0, 0.0};
    std::vector<AssetExpectation> expectations_;
    std::vector<std::string> warnings_;
    std::vector<std::string> regimeNames_;
};

}  // namespace rotor
