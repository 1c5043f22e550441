// SPDX-License-Identifier: MIT
#include "engine/montecarlo/part_codec.hpp"

#include "engine/core/byte_codec.hpp"
#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

namespace rotor {

namespace {

// A part in pieces: its totals, then its per-path values a range of paths at a time.
constexpr char kTotalsMagic[8] = {'r', 'o', 't', 'o', 'r', 'M', 'T', '1'};
constexpr char kPathsMagic[8] = {'r', 'o', 't', 'o', 'r', 'M', 'P', '1'};

using Writer = ByteWriter;

class Reader : public ByteReader {
public:
    explicit Reader(const std::vector<char>& b) : ByteReader(b, "path range bytes") {}
};

// Every problem of the bytes is rotor::InputError: a part read back from a shard file
// (`rotor merge`) is the user's input.
[[noreturn]] void bad(const std::string& what) { throw InputError("path range bytes: " + what); }

// Per day: the number of runs, then each run's first bin and counts (the histogram's pages,
// so that only the bins its values fall in travel, not the span between its extremes).
void putHistogram(Writer& w, const BandHistogram& h) {
    w.put<std::int64_t>(h.days());
    for (Index t = 0; t < h.days(); ++t) {
        std::uint64_t runs = 0;
        h.forEachRun(t, [&](std::int32_t, const std::uint32_t*, std::size_t) { ++runs; });
        w.put(runs);
        h.forEachRun(t, [&](std::int32_t base, const std::uint32_t* counts, std::size_t n) {
            w.put(base);
            w.array(counts, n);
        });
    }
}

// Each day's counts must add up to at most `paths` (exactly `paths` when `exact`): every path
// of the range adds one value a day, or none after its strategy failed.
void getHistogram(Reader& r, BandHistogram& h, std::uint64_t paths, bool exact, const char* what) {
    const auto days = r.get<std::int64_t>();
    if (days != h.days())
        bad(std::string(what) + " histogram of " + std::to_string(days) + " days, expected " +
            std::to_string(h.days()));
    std::vector<std::uint32_t> counts;
    for (Index t = 0; t < days; ++t) {
        const auto runs = r.get<std::uint64_t>();
        for (std::uint64_t k = 0; k < runs; ++k) {
            const auto base = r.get<std::int32_t>();
            counts = r.vector<std::uint32_t>("histogram");
            try {
                h.addCounts(t, base, counts.data(), counts.size());
            } catch (const Error& e) {
                bad(std::string(what) + " histogram: " + e.what());
            }
            if (h.count(t) > paths) break;  // refused below, before the next run adds to it
        }
        if (h.count(t) > paths || (exact && h.count(t) != paths))
            bad(std::string(what) + " histogram counts " + std::to_string(h.count(t)) +
                " values on day " + std::to_string(t) + " for " + std::to_string(paths) + " paths");
    }
}

// The shared fields, without the sender's per-path arrays.
void copySharedFields(McScenarioRun& run, const McScenarioRun& shape) {
    run.name = shape.name;
    run.description = shape.description;
    run.assets = shape.assets;
    run.dates = shape.dates;
    run.paths = shape.paths;
    run.seed = shape.seed;
    run.percentiles = shape.percentiles;
    run.regimeNames = shape.regimeNames;
    run.benchmark = shape.benchmark;
    run.initialCapital = shape.initialCapital;
    run.checkpointDay = shape.checkpointDay;
    run.pathsStored = shape.pathsStored;
    run.attributionNames = shape.attributionNames;
    run.overlayReportNames = shape.overlayReportNames;
}

void getMagic(Reader& r, const char (&magic)[8], const char* what) {
    char m[8];
    r.raw(m, sizeof m);
    if (std::memcmp(m, magic, sizeof m) != 0) bad(std::string("not ") + what);
}

PathRange getRange(Reader& r, std::uint64_t paths) {
    PathRange range;
    range.begin = r.get<std::uint64_t>();
    range.end = r.get<std::uint64_t>();
    if (range.begin > range.end || range.end > paths)
        bad("range " + range.text() + " outside the " + std::to_string(paths) + " paths");
    return range;
}

void getStrategyCount(Reader& r, const McScenarioRun& shape) {
    const auto strategies = r.get<std::uint64_t>();
    if (strategies != shape.strategies.size())
        bad(std::to_string(strategies) + " strategies, expected " +
            std::to_string(shape.strategies.size()));
}

}  // namespace

std::vector<char> encodeTotals(const McPart& part) {
    Writer w;
    w.raw(kTotalsMagic, sizeof kTotalsMagic);
    w.put(part.range.begin);
    w.put(part.range.end);
    w.put<std::uint64_t>(part.run.strategies.size());
    putHistogram(w, part.rate);
    for (std::size_t s = 0; s < part.run.strategies.size(); ++s) {
        w.put(part.firstFailure[s]);
        w.text(part.errors[s]);
        putHistogram(w, part.equity[s]);
    }
    return std::move(w.out);
}

std::vector<char> encodePaths(const McPart& part, PathRange paths) {
    const McScenarioRun& run = part.run;
    ROTOR_REQUIRE(paths.begin >= part.range.begin && paths.end <= part.range.end &&
                      paths.begin <= paths.end,
                  "paths " << paths.begin << ":" << paths.end << " outside the part's "
                           << part.range.begin << ":" << part.range.end);
    const auto at = static_cast<Index>(paths.begin - part.range.begin);
    const auto n = static_cast<Index>(paths.size());
    Writer w;
    w.raw(kPathsMagic, sizeof kPathsMagic);
    w.put(paths.begin);
    w.put(paths.end);
    w.put<std::uint64_t>(run.strategies.size());
    const std::vector<std::int32_t> regimes(run.regimeOfPath.begin() + at,
                                            run.regimeOfPath.begin() + at + n);
    w.array(regimes.data(), regimes.size());
    const Matrix attribution = run.attribution.rows() > 0 ? run.attribution.middleRows(at, n)
                                                          : Matrix(0, run.attribution.cols());
    w.array(attribution.data(), static_cast<std::size_t>(attribution.size()));
    const Matrix overlay = run.overlayReport.rows() > 0 ? run.overlayReport.middleRows(at, n)
                                                        : Matrix(0, run.overlayReport.cols());
    w.array(overlay.data(), static_cast<std::size_t>(overlay.size()));
    // Stored paths, path-major: each path's days x assets prices and its days of rates.
    const std::size_t rates = run.storedRates.size() / std::max<std::size_t>(1, part.range.size());
    const std::size_t prices = run.storedPrices.size() /
                               std::max<std::size_t>(1, part.range.size());
    const auto k = static_cast<std::size_t>(at);
    const auto m = static_cast<std::size_t>(n);
    w.array(run.storedPrices.data() + k * prices, m * prices);
    w.array(run.storedRates.data() + k * rates, m * rates);
    for (const McStrategyRun& r : run.strategies)
        for (const Vector* v : r.paths.columns(run.checkpointDay >= 0)) w.array(v->data() + at, m);
    return std::move(w.out);
}

McPart decodeTotals(const std::vector<char>& bytes, const McPart& like) {
    Reader r(bytes);
    getMagic(r, kTotalsMagic, "the totals of a rotor Monte Carlo part");
    const McScenarioRun& shape = like.run;
    McPart part;
    part.range = getRange(r, shape.paths);
    getStrategyCount(r, shape);
    McScenarioRun& run = part.run;
    copySharedFields(run, shape);
    run.attribution.resize(0, shape.attribution.cols());
    run.overlayReport.resize(0, shape.overlayReport.cols());
    const auto T = static_cast<Index>(shape.dates.size());
    part.rate = BandHistogram::rate(T);
    getHistogram(r, part.rate, part.range.size(), true, "rate");
    run.strategies.resize(shape.strategies.size());
    for (std::size_t s = 0; s < shape.strategies.size(); ++s) {
        McStrategyRun& sr = run.strategies[s];
        sr.name = shape.strategies[s].name;
        sr.type = shape.strategies[s].type;
        const auto failure = r.get<std::uint64_t>();
        if (failure != kNoPathFailure &&
            (failure < part.range.begin ||
             (failure >= part.range.end && failure != part.range.begin)))
            bad("strategy '" + sr.name + "' failed on path " + std::to_string(failure) +
                ", outside its range " + part.range.text());
        part.firstFailure.push_back(failure);
        part.errors.push_back(r.text("error"));
        part.equity.push_back(BandHistogram::wealth(T));
        getHistogram(r, part.equity.back(), part.range.size(), failure == kNoPathFailure, "wealth");
    }
    if (!r.done()) bad("trailing bytes after the last strategy");
    return part;
}

McPart decodePaths(const std::vector<char>& bytes, const McPart& share) {
    Reader r(bytes);
    getMagic(r, kPathsMagic, "per-path values of a rotor Monte Carlo part");
    const McScenarioRun& shape = share.run;
    McPart part;
    part.range = getRange(r, shape.paths);
    if (part.range.begin < share.range.begin || part.range.end > share.range.end)
        bad("paths " + part.range.text() + " outside their part's range " + share.range.text());
    getStrategyCount(r, shape);
    const auto n = static_cast<Index>(part.range.size());
    McScenarioRun& run = part.run;
    copySharedFields(run, shape);
    std::vector<std::int32_t> regimes(static_cast<std::size_t>(n));
    r.array(regimes.data(), regimes.size(), "regime_of_path");
    for (const std::int32_t g : regimes)
        if (g < 0 || static_cast<std::size_t>(g) >= shape.regimeNames.size())
            bad("regime " + std::to_string(g) + " outside 0.." +
                std::to_string(shape.regimeNames.size()));
    run.regimeOfPath.assign(regimes.begin(), regimes.end());
    const auto ka = static_cast<Index>(shape.attributionNames.size());
    run.attribution.resize(ka > 0 ? n : 0, ka);
    r.array(run.attribution.data(), static_cast<std::size_t>(run.attribution.size()),
            "attribution");
    const auto ko = static_cast<Index>(shape.overlayReportNames.size());
    run.overlayReport.resize(ko > 0 ? n : 0, ko);
    r.array(run.overlayReport.data(), static_cast<std::size_t>(run.overlayReport.size()),
            "overlay report");
    run.storedPrices = r.vector<float>("stored prices");
    run.storedRates = r.vector<float>("stored rates");
    const std::size_t days = shape.dates.size();
    if (run.storedRates.size() != (run.storedRates.empty() ? 0 : regimes.size() * days) ||
        run.storedPrices.size() != run.storedRates.size() * shape.assets.size())
        bad("stored paths of another shape");
    run.strategies.resize(shape.strategies.size());
    for (std::size_t s = 0; s < shape.strategies.size(); ++s) {
        McStrategyRun& sr = run.strategies[s];
        sr.name = shape.strategies[s].name;
        sr.type = shape.strategies[s].type;
        for (Vector* v : sr.paths.columns(shape.checkpointDay >= 0)) {
            v->resize(n);
            r.array(v->data(), static_cast<std::size_t>(n), "per-path metric");
        }
        // What the summaries require of a strategy that ran on every path of its part.
        if (share.firstFailure.at(s) == kNoPathFailure)
            for (Index i = 0; i < n; ++i)
                if (!std::isfinite(sr.paths.terminalWealth(i)))
                    bad("strategy '" + sr.name + "' has terminal wealth " +
                        std::to_string(sr.paths.terminalWealth(i)) + " on path " +
                        std::to_string(part.range.begin + static_cast<std::uint64_t>(i)));
    }
    if (!r.done()) bad("trailing bytes after the last strategy");
    return part;
}

}  // namespace rotor
