// SPDX-License-Identifier: MIT
#include "engine/montecarlo/streamed_combine.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <string>

namespace rotor {

namespace {

bool overlap(PathRange a, PathRange b) { return a.begin < b.end && b.begin < a.end; }

}  // namespace

StreamedCombine::StreamedCombine(McPart head, const SimulationInput& in)
    : part_(std::move(head)), in_(in), next_(part_.range.end) {
    ROTOR_REQUIRE(in.pathSink != nullptr && part_.range.begin == 0,
                  "a streamed combination begins with the streamed paths 0:" << part_.range.end);
    for (std::size_t s = 0; s < in.strategies.size(); ++s)
        if (in.strategies[s].name == in.benchmark) benchmark_ = s;
}

void StreamedCombine::addTotals(McPart& totals) {
    const std::size_t strategies = part_.run.strategies.size();
    if (totals.equity.size() != strategies || totals.firstFailure.size() != strategies ||
        totals.errors.size() != strategies)
        cannotCombine("range " + totals.range.text() + " has another set of strategies");
    for (const PathRange& r : ranges_)
        if (overlap(totals.range, r))
            cannotCombine("range " + totals.range.text() + " overlaps " + r.text());
    if (overlap(totals.range, part_.range))
        cannotCombine("range " + totals.range.text() + " overlaps " + part_.range.text());
    ranges_.push_back(totals.range);
    part_.rate.merge(totals.rate);
    totals.rate = BandHistogram::rate(0);
    for (std::size_t s = 0; s < strategies; ++s) {
        part_.equity[s].merge(totals.equity[s]);
        if (totals.firstFailure[s] < part_.firstFailure[s]) {
            part_.firstFailure[s] = totals.firstFailure[s];
            part_.errors[s] = totals.errors[s];
        }
    }
    totals.equity.clear();  // what decodePaths needs of the range stays: shape, range, failures
}

void StreamedCombine::addPaths(const McPart& piece) {
    const PathRange p = piece.range;
    if (p.begin != next_)
        cannotCombine("paths " + p.text() + " arrive where path " + std::to_string(next_) +
                      " was expected");
    const bool known = std::any_of(ranges_.begin(), ranges_.end(), [&](const PathRange& r) {
        return p.begin >= r.begin && p.end <= r.end;
    });
    if (!known) cannotCombine("paths " + p.text() + " are in no range given");
    if (p.size() > 0 && piece.run.storedRates.empty() == part_.run.pathsStored)
        cannotCombine("paths " + p.text() + (part_.run.pathsStored ? " lack" : " bring") +
                      " stored prices and rates (store: paths)");
    in_.pathSink->writePaths(p.begin, piece.run);
    tallyStreamedPaths(part_, benchmark_, piece.run);
    next_ = p.end;
}

McScenarioRun StreamedCombine::finish() {
    if (next_ != in_.paths)
        cannotCombine("paths " + std::to_string(next_) + ":" + std::to_string(in_.paths) +
                      " are in no range");
    return finishStreamed(std::move(part_), in_);
}

void appendPaths(McPart& part, const McPart& piece) {
    McScenarioRun& run = part.run;
    const McScenarioRun& add = piece.run;
    const auto at = static_cast<Index>(run.regimeOfPath.size());
    const auto n = static_cast<Index>(add.regimeOfPath.size());
    ROTOR_REQUIRE(part.range.begin + static_cast<std::uint64_t>(at) == piece.range.begin &&
                      piece.range.end <= part.range.end,
                  "paths " << piece.range.text() << " do not follow the " << at
                           << " paths of range " << part.range.text());
    run.regimeOfPath.insert(run.regimeOfPath.end(), add.regimeOfPath.begin(),
                            add.regimeOfPath.end());
    const auto rows = [&](Matrix& to, const Matrix& from) {
        if (from.rows() == 0) return;
        to.conservativeResize(at + n, from.cols());
        to.bottomRows(n) = from;
    };
    rows(run.attribution, add.attribution);
    rows(run.overlayReport, add.overlayReport);
    run.storedPrices.insert(run.storedPrices.end(), add.storedPrices.begin(),
                            add.storedPrices.end());
    run.storedRates.insert(run.storedRates.end(), add.storedRates.begin(), add.storedRates.end());
    const bool checkpoint = run.checkpointDay >= 0;
    for (std::size_t s = 0; s < run.strategies.size(); ++s) {
        const auto to = run.strategies[s].paths.columns(checkpoint);
        const auto from = add.strategies[s].paths.columns(checkpoint);
        for (std::size_t c = 0; c < to.size(); ++c) {
            to[c]->conservativeResize(at + n);
            to[c]->tail(n) = *from[c];
        }
    }
}

}  // namespace rotor
