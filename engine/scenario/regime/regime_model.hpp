// SPDX-License-Identifier: MIT
// The regime model's parameters, as calibrated or given: every rate regime of the scenario is
// an episode class of history (soft landing, recession, hold, tightening) with its own factor
// means, covariance and asset loadings; equities carry an explicit expected return (cash +
// the class's risk premium + a valuation adjustment), bonds follow the path's yield. Equations
// and the calibration are in docs/regimes.md.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// How an asset's return is built.
enum class AssetKind {
    Equity,  // cash + premium (+ valuation) as drift, factor and idiosyncratic shocks
    Bond,    // carry at the path's yield, minus duration times the yield change
};

// One episode class's distribution (daily factor returns; factors are the calibration's factor
// columns followed by the daily change of the 2-year yield, in percentage points).
struct ClassParams {
    std::string name;   // "soft_landing", "recession", "hold", "tightening"
    long days = 0;      // calibration days in the class
    long spells = 0;    // separate runs of those days (independent episodes seen)
    Vector factorMean;  // K, annual excess returns (the yield change's entry is not used)
    Matrix factorCov;   // (K+1) x (K+1), daily
    // Each spell's days and, for spells of at least 21 days, ln of its daily factor variances
    // (K; empty otherwise): how much the episodes of one class differ (`class_vols: shrunk`).
    struct Spell {
        long days = 0;
        Vector logVar;
    };
    std::vector<Spell> spellStats;
};

// An equity's valuation inputs: the return over a year is carry + earnings growth + the change
// of the multiple; the adjustment to the class premium is how far today is from history's
// average state (docs/regimes.md, "Valuation channel").
struct ValuationInputs {
    double pe = 0.0;  // today's price / forward earnings (> 0)
    // The multiple it reverts to; none: history's (today's multiple scaled by the S&P's
    // average over its current trailing P/E, ValuationHistory::peGap).
    std::optional<double> fairPe;
    double carry = 0.0;  // annual cash yield to holders (dividends and buybacks)
    // Annual earnings growth expected now, by rate regime ("all": every regime without its
    // own); a regime without one expects normal growth.
    std::map<std::string, double> growth;

    double fair(double peGap) const { return fairPe ? *fairPe : pe * std::exp(peGap); }
    std::optional<double> growthIn(const std::string& regime) const {
        if (auto g = growth.find(regime); g != growth.end()) return g->second;
        if (auto g = growth.find("all"); g != growth.end()) return g->second;
        return std::nullopt;
    }
};

struct AssetParams {
    std::string name;
    AssetKind kind = AssetKind::Equity;
    // Per class (same order as RegimeModelSpec::classes): loadings on the K+1 factors, daily
    // idiosyncratic volatility.
    std::vector<Vector> beta;
    std::vector<double> idioSd;
    // Equity: annual risk premium per class (beta . class factor means), the expected excess
    // return over cash before valuation.
    std::vector<double> premium;
    std::optional<ValuationInputs> valuation;
    // Bond: years of duration on its yield, and which yield ("2y" or "10y").
    double duration = 0.0;
    std::string curve = "2y";
    bool sleeve = false;  // a bifurcation sleeve: the overlay writes its returns
};

// Historical averages the valuation channel measures today against (Shiller monthly data over
// the calibration window).
struct ValuationHistory {
    double multipleReversion = 0.0;  // kappa, per year: d ln(PE) = kappa ln(fair / PE) dt + ...
    double carry = 0.0;              // average dividend yield
    double growth = 0.0;             // average annual log earnings growth (normal growth)
    double growthReversion = 0.0;    // lambda, per year: a growth view decays as exp(-lambda t)
    double equityDuration = 0.0;     // % of the multiple per point of 10-year yield (reported)
    double erpShockSd = 0.0;         // annual sd of the multiple's shocks (reported)
    // ln(average trailing P/E over the window) - ln(trailing P/E at the start): how far
    // the S&P's multiple would fall to reach its average.
    double peGap = 0.0;
    long years = 0;
};

// Calm and turbulent months of the stock market (a two-state regime-switching lognormal model
// of monthly S&P total returns, fitted by maximum likelihood): equity shocks are scaled and the
// market's drift shifted by the month's state, both normalised so that the class means and
// volatilities are kept on average, which clusters volatility and skews the left tail as
// history does (docs/regimes.md, "Stress").
struct StressParams {
    bool enabled = false;
    double calmMean = 0.0, calmVol = 0.0;  // annual
    double turbulentMean = 0.0, turbulentVol = 0.0;
    double toTurbulent = 0.0;  // monthly P(calm -> turbulent)
    double toCalm = 0.0;       // monthly P(turbulent -> calm)
    long months = 0;
    double logLikelihood = 0.0;

    double stationaryTurbulent() const { return toTurbulent / (toTurbulent + toCalm); }
};

// How the 2-year yield follows the policy path: y(t) = y0 + b (E(t) - E(0)) + shocks, with
// E(t) the market's expected average policy rate over the next year (docs/regimes.md).
struct CurveParams {
    double start2y = 0.0;      // 2-year yield on the start day, percent
    double start10y = 0.0;     // 10-year yield on the start day, percent (0: not used)
    double policyBeta = 1.0;   // b
    double tenYearBeta = 0.0;  // daily change of the 10-year per point of 2-year change
    double learningDays = 63;  // tau: how fast the market learns the path's regime
    Date start2yDate;          // the observations the start levels come from
    Date start10yDate;
};

struct RegimeModelSpec {
    std::vector<std::string> factorNames;  // K (the yield change is factor K, named "d2y")
    std::vector<ClassParams> classes;      // the episode classes
    std::vector<AssetParams> assets;       // N, in universe order
    ValuationHistory valuation;
    CurveParams curve;
    StressParams stress;
    // How the classes follow one another (docs/regimes.md, "Class switching"), from the labelled
    // days sampled every 21 trading days: `classMonthly` (C x C, rows sum to 1) the month to
    // month transitions, `classAfter` (C x C) the class that followed a spell of each class.
    // Empty: a path keeps its class.
    Matrix classMonthly;
    Matrix classAfter;
    // Student-t factor shocks (one chi-square per day, shared by the factors); 0: normal.
    double dof = 0.0;
    // The calibration's window and data, for provenance.
    Date first;
    Date last;
    std::vector<std::string> files;
};

}  // namespace rotor
