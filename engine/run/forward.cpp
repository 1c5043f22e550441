// SPDX-License-Identifier: MIT
#include "engine/run/forward.hpp"

#include "engine/core/error.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/montecarlo/part_codec.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/run/commands.hpp"
#include "engine/run/runner.hpp"
#include "engine/spec/forward_model.hpp"

#include <cstring>
#include <optional>

namespace rotor {

namespace {

// The ranks' shares do not fit together (another model, other data, bytes that do not decode):
// not the model's fault, so not reported against its parameters. Exit code 1.
class RanksDisagree : public Error {
public:
    using Error::Error;
};
constexpr char kDisagree = '3';  // status code of a RanksDisagree

// A rank's share that could not be simulated travels as "!<exit code><message>".
std::vector<char> failureBytes(int code, const std::string& message) {
    const std::string text = "!" + std::to_string(code) + message;
    return {text.begin(), text.end()};
}

// What every rank must agree on before its paths can join the others': the checksums of every
// data file it read, in order, and the model's stated expectations to the bit (they follow from
// its calibration). Not the model's description, which names the files by the paths a rank
// found them at.
std::string fingerprint(const PathGenerator& gen, DataStore& data) {
    std::string f;
    for (const DataFileRecord& r : data.records()) f += r.sha256 + "\n";
    for (const AssetExpectation& e : gen.expectations()) {
        f += e.asset + "/" + e.regime + "/" + e.source;
        for (double v : {e.probability, e.expectedReturn, e.cash, e.premium, e.valuation,
                         e.volatility, e.sharpe})
            f.append(reinterpret_cast<const char*>(&v), sizeof v);
        f += "\n";
    }
    return f;
}

// A share of the paths as bytes: its fingerprint's length and bytes, then the encoded part.
std::vector<char> packShare(const std::string& print, const McPart& part) {
    const std::uint64_t n = print.size();
    const std::vector<char> encoded = encodePart(part);
    std::vector<char> bytes(sizeof n + print.size() + encoded.size());
    std::memcpy(bytes.data(), &n, sizeof n);
    if (n > 0) std::memcpy(bytes.data() + sizeof n, print.data(), print.size());
    if (!encoded.empty())
        std::memcpy(bytes.data() + sizeof n + print.size(), encoded.data(), encoded.size());
    return bytes;
}

// The part in `bytes`, whose fingerprint must be `print` (else RanksDisagree naming `who`).
McPart unpackShare(const std::vector<char>& bytes, const std::string& print, const McPart& like,
                   const std::string& who) {
    std::uint64_t n = 0;
    if (bytes.size() >= sizeof n) std::memcpy(&n, bytes.data(), sizeof n);
    if (bytes.size() < sizeof n || n > bytes.size() - sizeof n ||
        std::string(bytes.data() + sizeof n, n) != print)
        throw RanksDisagree(who +
                            " built another model or read other data than this run (each "
                            "share must come from the same scenario and data files)");
    const std::vector<char> encoded(bytes.begin() + static_cast<std::ptrdiff_t>(sizeof n + n),
                                    bytes.end());
    return decodePart(encoded, like);
}

// Rank 0 combines every rank's share; the status it broadcasts is "" or "<code><message>".
std::optional<McScenarioRun> simulateAcross(const PathGenerator& gen, const SimulationInput& in,
                                            DataStore& data, ProcessGroup& group) {
    const unsigned ranks = group.size();
    if (in.paths < ranks) {
        group.failureAgreed = true;  // every rank reads the same scenario and throws here
        throw InputError("Monte Carlo '" + in.name + "': " + std::to_string(in.paths) +
                         " paths cannot be shared by " + std::to_string(ranks) +
                         " MPI ranks (more ranks than paths; use fewer ranks or more paths)");
    }
    const PathRange mine = shareOfPaths(in.paths, group.rank(), ranks);
    SimulationInput local = in;
    if (in.progress) {
        // The meter counts all paths; rank 0's share stands for the whole run's progress.
        local.progress = [&in, mine](std::uint64_t done, std::uint64_t) {
            const long double share = static_cast<long double>(done) / mine.size();
            in.progress(static_cast<std::uint64_t>(share * in.paths), in.paths);
        };
    }
    std::optional<McPart> part;
    std::vector<char> bytes;
    std::string print;  // after the paths: the data's checksums finish in the background
    try {
        part = simulatePart(gen, local, mine);
        print = fingerprint(gen, data);
        bytes = packShare(print, *part);
    } catch (const InputError& e) {
        bytes = failureBytes(kExitBadInput, e.what());
    } catch (const std::exception& e) {
        bytes = failureBytes(kExitRuntimeFailure,
                             "MPI rank " + std::to_string(group.rank()) + ": " + e.what());
    }
    const std::vector<std::vector<char>> all = group.gather(bytes);

    std::string status;
    std::optional<McScenarioRun> run;
    if (group.root()) {
        for (const auto& b : all)
            if (!b.empty() && b.front() == '!') {
                status.assign(b.begin() + 1, b.end());
                break;
            }
        if (status.empty()) {
            try {
                std::vector<McPart> parts;
                parts.push_back(std::move(*part));
                for (std::size_t r = 1; r < all.size(); ++r)
                    parts.push_back(
                        unpackShare(all[r], print, parts.front(), "MPI rank " + std::to_string(r)));
                run = combineParts(std::move(parts), in);
                if (in.progress) in.progress(in.paths, in.paths);
            } catch (const std::exception& e) {
                status = kDisagree + std::string(e.what());
            }
        }
    }
    status = group.broadcast(status);
    if (!status.empty()) {
        group.failureAgreed = true;
        if (status.front() == kDisagree) throw RanksDisagree(status.substr(1));
        if (status.front() - '0' == kExitBadInput) throw InputError(status.substr(1));
        throw Error(status.substr(1));
    }
    return run;
}

// The run from shares stored by `rotor run --path-range` (rotor merge): nothing is simulated
// here. Shares of another model or data, ranges that overlap or leave gaps: bad input.
McScenarioRun combineStored(const PathGenerator& gen, const SimulationInput& in, DataStore& data,
                            const std::vector<StoredShare>& stored) {
    const std::string print = fingerprint(gen, data);
    SimulationInput shape = in;
    shape.progress = nullptr;
    const McPart like = simulatePart(gen, shape, PathRange{0, 0});  // the shared fields only
    std::vector<McPart> parts;
    for (const StoredShare& s : stored) {
        try {
            parts.push_back(unpackShare(s.bytes, print, like, s.source));
        } catch (const RanksDisagree& e) {
            throw InputError(e.what());
        } catch (const Error& e) {
            throw InputError(s.source + ": " + e.what());
        }
    }
    McScenarioRun run;
    try {
        run = combineParts(std::move(parts), in);
    } catch (const InputError&) {
        throw;
    } catch (const Error& e) {
        // Nothing is simulated here: parts that decode but do not add up are the shards' fault.
        throw InputError("merge: the shards of '" + in.name + "' do not combine: " + e.what());
    }
    if (in.progress) in.progress(in.paths, in.paths);
    return run;
}

// The simulation input of a forward cell, as runForward and simulateShare build it.
SimulationInput simulationInput(const ScenarioSpec& spec, const PathProgressFn& progress) {
    const SimulationSpec& sim = *spec.simulation;
    SimulationInput in;
    in.name = spec.name;
    in.description = spec.description;
    in.seed = sim.seed;
    in.strategies = spec.strategies;
    in.backtest = spec.backtest;
    in.benchmark = spec.benchmark;
    in.paths = sim.paths;
    in.threads = static_cast<unsigned>(sim.threads);
    in.chunkSize = sim.chunk;
    in.percentiles = sim.percentiles;
    in.storePaths = sim.storePaths;
    in.progress = progress;
    return in;
}

}  // namespace

std::vector<char> simulateShare(const ScenarioSpec& spec, DataStore& data, PathRange range,
                                const PathProgressFn& progress) {
    ForwardModel model = buildForwardModel(spec, data);
    RealisedCoverage coverage;
    const std::optional<Path> realised = realisedPath(spec, model.series, model.context.dates,
                                                      model.context.startPrices, data, &coverage);
    SimulationInput in = simulationInput(spec, progress);
    if (realised) in.checkpointDay = realised->days() - 1;  // as runForward: same per-path arrays
    const McPart part = simulatePart(*model.generator, in, range);
    return packShare(fingerprint(*model.generator, data), part);
}

McScenarioRun runForward(const ScenarioSpec& spec, DataStore& data,
                         const PathProgressFn& progress) {
    SingleProcess alone;
    return std::move(*runForward(spec, data, progress, alone));
}

std::optional<McScenarioRun> runForward(const ScenarioSpec& spec, DataStore& data,
                                        const PathProgressFn& progress, ProcessGroup& group,
                                        const std::vector<StoredShare>* stored, McPathSink* paths) {
    ForwardModel model = buildForwardModel(spec, data);

    // Which days data already covers decides only where per-path wealth is recorded; the
    // simulation itself never sees those prices (they are read after it, below).
    RealisedCoverage coverage;
    std::optional<Path> realised = realisedPath(spec, model.series, model.context.dates,
                                                model.context.startPrices, data, &coverage);

    SimulationInput in = simulationInput(spec, progress);
    if (realised) in.checkpointDay = realised->days() - 1;
    McScenarioRun run;
    try {
        if (stored != nullptr) {
            run = combineStored(*model.generator, in, data, *stored);
        } else if (group.size() == 1) {
            if (!in.storePaths) in.pathSink = paths;
            run = simulate(*model.generator, in);
        } else {
            std::optional<McScenarioRun> combined = simulateAcross(*model.generator, in, data,
                                                                   group);
            if (!combined) return std::nullopt;  // not rank 0: its share is with rank 0
            run = std::move(*combined);
        }
    } catch (const InputError&) {
        throw;
    } catch (const RanksDisagree&) {
        throw;
    } catch (const Error& e) {
        // A path the model could not produce (a price reaching 0 or overflowing): the model's
        // parameters are the cause, so the message points at them.
        const ConfigLocation& w = spec.modelWhere;
        throw Error(w.known() ? w.file + ":" + std::to_string(w.line) + ":" +
                                    std::to_string(w.column) + ": model: " + e.what() +
                                    " (the model's parameters drive prices out of range)"
                              : e.what());
    }
    run.model = model.generator->describe();
    run.regimeNames = model.generator->regimeNames();
    run.sweep = spec.sweep;

    if (realised) {
        realised->history = model.history;  // the strategies knew the same past
        // What the history's valuation files say on the realised days, on the same anchor.
        if (model.history && !spec.universe.valuation.empty())
            realised->valuation = anchoredValuation(spec, model.history->dates.back(),
                                                    realised->dates, data, true);
        const ScenarioRun replay = runOnPath(spec, model.context.universe, *realised);
        RealisedOutcome out;
        out.dates = realised->dates;
        out.cashRate = realised->cashRate;
        out.coverage = std::move(coverage.lines);
        out.endedBy = std::move(coverage.endedBy);
        out.rateLastObservation = coverage.rateLastObservation;
        for (std::size_t i = 0; i < replay.strategies.size(); ++i) {
            const StrategyRun& r = replay.strategies[i];
            if (!r.ok || !run.strategies[i].ok) continue;
            RealisedStrategy s;
            s.name = r.name;
            s.wealth = r.equity / spec.backtest.initialCapital;
            const double last = s.wealth[s.wealth.size() - 1];
            s.percentileRank = run.pathsStreamed
                                   ? percentileRankOfColumn(
                                         [&in, i](const ColumnBlock& block) {
                                             in.pathSink->readPaths(
                                                 i, McPathSink::Column::CheckpointWealth, block);
                                         },
                                         last)
                                   : percentileRank(run.strategies[i].paths.checkpointWealth, last);
            out.strategies.push_back(std::move(s));
        }
        run.realised = std::move(out);
    }
    return run;
}

}  // namespace rotor
