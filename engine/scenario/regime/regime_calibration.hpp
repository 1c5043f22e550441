// SPDX-License-Identifier: MIT
// Calibration of the regime model from history: days are classified into policy episodes (easing
// with or without a recession, hold, tightening; engine/scenario/regime/policy_episodes), each
// class gets its own factor means and covariance, each asset its class loadings (shrunk toward
// its pooled loadings when the class has few days), the curve its policy beta, and the valuation
// channel its Shiller-based history. Equations: docs/regimes.md.
#pragma once

#include "engine/core/date.hpp"
#include "engine/data/data_store.hpp"
#include "engine/data/price_source.hpp"
#include "engine/scenario/regime/regime_model.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// The data and windows of a `calibrate:` block (paths resolved).
struct RegimeCalibrationSpec {
    Date start;                      // episodes and factor distributions: [start, end]
    Date end;                        // never after the scenario's start
    std::optional<Date> assetStart;  // asset loadings from here (default: start)
    PriceSource prices;
    std::string factorFile;
    std::vector<std::string> factorColumns;
    std::vector<std::string> factorNames;  // the columns without "_pct"
    double factorScale = 0.01;
    std::string riskFreeColumn;                  // in the factor file: excess returns of the assets
    std::string policyFile, policyColumn;        // daily effective funds rate (DFF)
    std::string recessionFile, recessionColumn;  // monthly NBER indicator (USREC)
    std::string rateFile, rateColumn;            // daily 2-year yield (DGS2)
    std::string longRateFile, longRateColumn;    // daily 10-year yield (DGS10), optional
    std::string valuationFile;                   // Shiller monthly file, optional
    std::optional<Date> valuationStart;          // its window's start (default: start)
    std::optional<Date> stressStart;             // the stress fit's window start (none: no stress)
    long easingDays = 365;   // calendar days after an easing start that belong to its class
    double priorDays = 252;  // weight of the pooled loadings in a class's loadings (days)
    // `class_means: shrunk`: the style factors' class means shrunk toward their common mean
    // (shrinkClassMeans); `sample` (default): each class's own sample mean.
    bool shrinkClassMeans = false;
    // `class_vols: shrunk`: the style factors' class volatilities shrunk toward their common
    // level, episodes as the sampling unit (shrinkClassVols); `sample` (default): as measured.
    bool shrinkClassVols = false;
    // `class_premia: shrunk`: each equity's class premium beyond its average market loading
    // shrunk toward its common level (shrinkClassPremia); `sample` (default): as computed.
    bool shrinkClassPremia = false;
    // Price series given directly (an asset extended back by a proxy), used instead of reading
    // `prices` for those assets.
    std::map<std::string, std::shared_ptr<const TimeSeries>> priceOverride;
};

// What the scenario says of each asset before calibration.
struct RegimeAssetInput {
    std::string name;
    AssetKind kind = AssetKind::Equity;
    std::optional<ValuationInputs> valuation;
    std::optional<double> duration;  // bonds: given, else calibrated
    std::string curve = "2y";
    std::string sleeveOf;  // a bifurcation sleeve: no data; takes its parent's loadings
};

// The episode classes in model order.
const std::vector<std::string>& regimeClassNames();

// Labels each of `days` with its class index (regimeClassNames order): a day after the start of
// an easing episode, up to `easingDays` calendar days after it or the episode's end if later,
// belongs to that episode's class (soft_landing or recession, the latest start winning); a day
// inside a tightening episode is tightening; any other day is hold.
std::vector<int> labelRegimeClasses(const TimeSeries& policy, const TimeSeries& recessions,
                                    const std::vector<Date>& days, long easingDays);

// The two-state regime-switching lognormal fit of monthly log returns (Baum-Welch, a fixed 500
// iterations from a fixed start, so the fit is reproducible): annual means and volatilities.
StressParams fitStress(const std::vector<double>& monthlyLogReturns);

// Class switching from a label sequence (one label per trading day): `monthly` counts the
// transitions between labels 21 trading days apart, `after` the class that follows each
// maximal run of one class (the last run has no successor); each row is normalised. A row
// without observations falls back: `after` to the off-diagonal of `monthly`, then either to
// staying in the class.
void classTransitions(const std::vector<int>& labels, int classes, Matrix& monthly, Matrix& after);

// The whole calibration. `cutoff` is the scenario's start (no data after it is used; a window
// ending later is refused by the parser). Data problems are InputError/DataError.
// Empirical-Bayes shrinkage of the classes' style-factor means (docs/regimes.md, "Class
// means"); the first factor (the market, as the stress channel takes it) keeps its class means,
// the classes' economic content. Per other factor, the classes' annual means are a random-effects
// meta-analysis with sampling variances 252^2 var_c / days_c; the between-class variance tau^2 is
// DerSimonian-Laird's, and each class mean becomes mu + tau^2 / (tau^2 + v_c) (m_c - mu), mu the
// random-effects mean. With tau^2 = 0 (class differences within their sampling noise) every class
// takes the precision-weighted mean. The yield change (the last factor) has no mean and is left
// alone.
void shrinkClassMeans(std::vector<ClassParams>& classes);

// Empirical-Bayes shrinkage of the classes' style-factor volatilities (docs/regimes.md, "Class
// volatilities"), the same random-effects rule as shrinkClassMeans on ln(daily variance), but
// with the episodes (spells) as the sampling unit: a class's log variance has sampling variance
// s^2 / n_c, s^2 the spells' log variances' dispersion around their class's mean, pooled over
// the classes, and n_c the class's spells of at least 21 days (at least 1). Each style factor's
// row and column of the class covariance are scaled by exp((shrunk - measured) / 2), so the
// class's correlations are kept and the matrix stays positive semi-definite. The market (the
// first factor) and the yield change (the last) are left alone, as are the classes when fewer
// spells than classes + 1 are seen.
void shrinkClassVols(std::vector<ClassParams>& classes);

// Empirical-Bayes shrinkage of each equity's class premia (docs/regimes.md, "Class premia"). A
// premium beta_c . m_c is split into the market's class mean at the asset's average market
// loading, bbar m_c[0] (bbar: the class loadings' average weighted by the classes' days; kept,
// the classes' economic content), and the rest r_c = b_c . m_c with b_c = beta_c - bbar e_0 (the
// style factors' part and the class's own market-loading deviation). The four r_c are a
// random-effects meta-analysis with sampling variances 252^2 b_c' Cov_c b_c / days_c (the class
// mean of the portfolio b_c's daily factor return), shrunk as in shrinkClassMeans; each premium
// moves by (shrunk - r_c). Bonds, and equities whose b_c has no variance, are left alone.
void shrinkClassPremia(std::vector<AssetParams>& assets, const std::vector<ClassParams>& classes);

RegimeModelSpec calibrateRegimes(const RegimeCalibrationSpec& spec,
                                 const std::vector<RegimeAssetInput>& assets, Date cutoff,
                                 DataStore& data);

}  // namespace rotor
