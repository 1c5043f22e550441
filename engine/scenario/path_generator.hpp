// SPDX-License-Identifier: MIT
// A source of scenario paths for Monte Carlo: path p is the same whatever thread asks for it and
// in whatever order, because all of its randomness comes from the stream Xoshiro256(seed, p).
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/rng.hpp"
#include "engine/core/types.hpp"
#include "engine/scenario/path.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Reusable buffers a generator may resize and use freely while generating one path; the
// simulator keeps one per worker so that the steady state allocates nothing.
struct GeneratorScratch {
    Matrix a, b, c;
    Vector u, v, w, x, y;
    // The path's attribution (PathGenerator::attributionNames order), when the model has one.
    Vector attribution;
    // What the overlays report about the path (PathGenerator::overlayReportNames order).
    Vector overlayReport;
    // T x N log multiples of the assets of Universe::valued, NaN elsewhere: a return model that
    // simulates them writes them here, and the path takes them (Path::valuation).
    Matrix valuation;
    // The path's stream where generate() left it (ReturnPathGenerator): lets a test check that
    // drawOnly makes the same number of draws.
    Xoshiro256 stream{0, 0};
};

// One asset's expected return under one rate regime, as the model sets it (docs/regimes.md):
// what `rotor run` prints and the results file stores, so no expectation is implicit.
struct AssetExpectation {
    std::string asset;
    std::string regime;
    double probability = 0.0;     // of the regime
    double expectedReturn = 0.0;  // annualised, continuously compounded, over the horizon
    double cash = 0.0;            // the regime's average cash rate over the horizon (same units)
    double premium = 0.0;         // the calibrated premium of the regime's episode class
    double valuation = 0.0;       // the valuation adjustment (carry, growth, multiple)
    double volatility = 0.0;      // annualised
    double sharpe = 0.0;          // (expected - cash) / volatility
    std::string source;           // "calibrated", "view" or "equilibrium"
};

// What a generator reports about a path besides the prices and rates.
struct PathInfo {
    int regime = 0;  // index of the rate regime drawn for the path (0 when there is one)
};

// A deterministic change to one path's daily log returns, applied by generators that build
// prices from returns (the refinancing wall's drag and jumps, regime switches between sleeves).
class ReturnOverlay {
public:
    virtual ~ReturnOverlay() = default;
    // `logReturns` is T x N: row t is the log return from day t-1 to day t (row 0 is 0).
    // `rate` is the path's cash rate (annual percent, T). `rng` is the path's own stream, after
    // the generator's draws, so an overlay's draws stay a function of (seed, path) only.
    virtual void apply(const Vector& rate, Eigen::Ref<Matrix> logReturns,
                       Xoshiro256& rng) const = 0;
    virtual std::string name() const = 0;
    // Per-path figures the overlay reports besides the returns (e.g. the refinancing wall's
    // flow and valuation losses), stored per path in the results; empty when none. A name
    // without '/' is stored under the overlay's name(), one with '/' as it is.
    virtual std::vector<std::string> reportNames() const { return {}; }
    // apply(), also filling `report` (reportNames().size() entries). Overlays with a report
    // override it; the same draws as apply() are made, so the path does not depend on it.
    virtual void applyAndReport(const Vector& rate, Eigen::Ref<Matrix> logReturns, Xoshiro256& rng,
                                Eigen::Ref<Vector> /*report*/) const {
        apply(rate, logReturns, rng);
    }
};

class PathGenerator {
public:
    virtual ~PathGenerator() = default;

    virtual const Universe& universe() const = 0;
    // The T trading days of every path; day 0 is the scenario's start, priced at the start prices.
    virtual const std::vector<Date>& dates() const = 0;
    // Fills path `p`: out.dates = dates(), out.prices (T x N, row 0 = start prices) and
    // out.cashRate (T). Must be const and thread-safe: all state lives in `out` and `scratch`.
    virtual PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const = 0;
    // Names of the rate regimes a path may draw (one entry when there is no choice).
    virtual std::vector<std::string> regimeNames() const { return {"base"}; }
    // A short YAML description of the resolved model (calibrated values included), for
    // provenance and for `rotor calibrate`.
    virtual std::string describe() const = 0;
    // What generate() leaves in GeneratorScratch::attribution for each path (names like
    // "SPY.carry"); empty when the model attributes nothing.
    virtual std::vector<std::string> attributionNames() const { return {}; }
    // What generate() leaves in GeneratorScratch::overlayReport for each path, named
    // "<overlay>/<figure>" (e.g. "refinancing_wall/flow"); empty without such overlays.
    virtual std::vector<std::string> overlayReportNames() const { return {}; }
    // Every asset's expected return per regime; empty when the model states none.
    virtual std::vector<AssetExpectation> expectations() const { return {}; }
    // Problems worth a user's attention that do not stop the run (e.g. a Sharpe ratio above 1).
    virtual std::vector<std::string> warnings() const { return {}; }
    // Path p's random draws alone: the same generator, variates and number of draws as
    // generate(), in its order, without the model's arithmetic and without a path. The floor
    // under the cost of a path (bench/mc_floor_bench.cpp). Returns the sum of the variates (so
    // that no draw can be optimised away) and, in `end`, the stream where generate() leaves it;
    // nullopt when the model does not provide it.
    virtual std::optional<double> drawOnly(std::uint64_t /*p*/, Xoshiro256* /*end*/) const {
        return std::nullopt;
    }
};

}  // namespace rotor
