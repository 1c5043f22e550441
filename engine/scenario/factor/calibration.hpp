// SPDX-License-Identifier: MIT
// Calibration of the factor return model: per-asset OLS of daily log returns on factor returns
// and the daily change of the policy rate, with classical standard errors; factor moments from
// the same days. Equations and outputs are in docs/factor-model.md.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/data_store.hpp"
#include "engine/data/price_source.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Where the data comes from (paths resolved) and the window.
struct CalibrationSpec {
    Date start;
    Date end;            // inclusive; never after the scenario's data cut-off
    PriceSource prices;  // the assets' prices
    std::string factorFile;
    std::vector<std::string> factorColumns;
    std::vector<std::string> factorNames;  // the columns without a trailing "_pct"
    double factorScale = 1.0;              // to a fraction per day (0.01 for *_pct columns)
    std::string rateFile;                  // "" = no rate regressor
    std::string rateColumn;
};

// The regression sample: n return days on which every asset has a price.
struct CalibrationData {
    std::vector<Date> dates;          // n, the later day of each return's interval
    std::vector<std::string> assets;  // N
    Matrix assetReturns;              // n x N daily log returns ln(P_t / P_prev)
    std::vector<std::string> factorNames;
    Matrix factors;                    // n x K, scaled; summed over factor days in (prev, t]
    std::optional<Vector> rateChange;  // n, rate(t) - rate(prev), percentage points
    std::vector<std::string> files;    // every file read, in reading order
};

// Reads (through `data`) and aligns the files of `spec` for `assets`. The days are those on which
// every asset has a price within [start, end] and the factor file has a row. InputError (located in
// the data) for a window outside a file's dates or a stale rate.
CalibrationData loadCalibrationData(const CalibrationSpec& spec,
                                    const std::vector<std::string>& assets, DataStore& store);

struct AssetFit {
    std::string asset;
    Vector beta;            // K, per unit factor return
    Vector betaSe;          // K, classical OLS standard errors
    double rateBeta = 0.0;  // log return per percentage point of rate change (0 without rate)
    double rateBetaSe = 0.0;
    double alpha = 0.0;    // annual: the daily intercept x 252
    double alphaSe = 0.0;  // annual, x 252
    double idioVol = 0.0;  // annual: sqrt(RSS / (n - p)) x sqrt(252)
    double r2 = 0.0;       // 1 - RSS / TSS (centred)
};

struct CalibrationResult {
    Date first;  // first and last return days used
    Date last;
    Index observations = 0;  // n
    std::vector<std::string> factorNames;
    Vector factorMean;   // K, annual: daily mean x 252
    Vector factorVol;    // K, annual: daily sample stdev (n - 1) x sqrt(252)
    Matrix correlation;  // K x K sample correlation
    bool hasRate = false;
    std::vector<AssetFit> assets;
    std::vector<std::string> files;
};

// Regresses each asset on [1, factors, rate change]. InputError when there are fewer
// observations than regressors + 2 or a regressor has no variation (rank deficient).
CalibrationResult calibrate(const CalibrationData& data);

}  // namespace rotor
