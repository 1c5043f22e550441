// SPDX-License-Identifier: MIT
#include "engine/run/forward.hpp"

#include "engine/core/error.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/montecarlo/part_codec.hpp"
#include "engine/montecarlo/piece_spool.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/montecarlo/streamed_combine.hpp"
#include "engine/run/commands.hpp"
#include "engine/run/runner.hpp"
#include "engine/spec/forward_model.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

namespace rotor {

namespace {

// The ranks' shares do not fit together (another model, other data, bytes that do not decode):
// not the model's fault, so not reported against its parameters; the message names the rank.
// Exit code 1.
class RanksDisagree : public RankError {
public:
    using RankError::RankError;
};
constexpr char kDisagree = '3';  // status code of a RanksDisagree
// Status code of a PathError: "<code><path number>:<detail>" (no number: ":<detail>"), so that
// rank 0 throws the PathError the rank caught, with the same text.
constexpr char kPathFailed = '4';

// A rank's share that could not be simulated travels as "!<exit code><message>", or as
// "!<kPathFailed>..." when one of its paths failed.
std::vector<char> failureBytes(int code, const std::string& message) {
    const std::string text = "!" + std::to_string(code) + message;
    return {text.begin(), text.end()};
}

std::vector<char> failureBytes(const PathError& e) {
    const std::string text = std::string("!") + kPathFailed +
                             (e.path() ? std::to_string(*e.path()) : "") + ":" + e.detail();
    return {text.begin(), text.end()};
}

// The PathError of a kPathFailed status (without its code).
PathError pathFailure(const std::string& status) {
    const std::size_t colon = status.find(':');
    const std::string number = status.substr(0, colon);
    const std::string detail = colon == std::string::npos ? "" : status.substr(colon + 1);
    if (number.empty()) return {std::nullopt, detail};
    return {std::stoull(number), detail};
}

// What every rank must agree on before its paths can join the others': the checksums of every
// data file the cell read, in order, and the model's stated expectations to the bit (they follow
// from its calibration). Not the model's description, which names the files by the paths a rank
// found them at; not the files of other cells, which another rank need not have read.
std::string fingerprint(const PathGenerator& gen, DataStore& data) {
    std::string f;
    for (const std::string& digest : data.cellDigests()) f += digest + "\n";
    for (const AssetExpectation& e : gen.expectations()) {
        f += e.asset + "/" + e.regime + "/" + e.source;
        for (double v : {e.probability, e.expectedReturn, e.cash, e.premium, e.valuation,
                         e.volatility, e.sharpe})
            f.append(reinterpret_cast<const char*>(&v), sizeof v);
        f += "\n";
    }
    return f;
}

// A share of the paths as bytes: its fingerprint's length and bytes, then `encoded` (the whole
// part, or its totals when the paths follow in pieces).
std::vector<char> packShare(const std::string& print, const std::vector<char>& encoded) {
    const std::uint64_t n = print.size();
    std::vector<char> bytes(sizeof n + print.size() + encoded.size());
    std::memcpy(bytes.data(), &n, sizeof n);
    if (n > 0) std::memcpy(bytes.data() + sizeof n, print.data(), print.size());
    if (!encoded.empty())
        std::memcpy(bytes.data() + sizeof n + print.size(), encoded.data(), encoded.size());
    return bytes;
}

// The encoded bytes in `bytes`, whose fingerprint must be `print` (else RanksDisagree naming
// `who`).
std::vector<char> unpackShare(const std::vector<char>& bytes, const std::string& print,
                              const std::string& who) {
    std::uint64_t n = 0;
    if (bytes.size() >= sizeof n) std::memcpy(&n, bytes.data(), sizeof n);
    if (bytes.size() < sizeof n || n > bytes.size() - sizeof n ||
        std::string(bytes.data() + sizeof n, n) != print)
        throw RanksDisagree(who +
                            " built another model or read other data than this run (each "
                            "share must come from the same scenario and data files)");
    return {bytes.begin() + static_cast<std::ptrdiff_t>(sizeof n + n), bytes.end()};
}

// Paths per piece of a share sent to rank 0: a whole number of the simulation's chunks (4,096
// paths, about 2.4 MB for the base scenario, at the default chunk). With `store: paths` one
// chunk: a path then carries its T x (N + 1) floats (5 kB for the base scenario, far more for
// long horizons), and the sender's spool, rank 0 and merge each hold a piece or two at a time.
std::uint64_t piecePaths(const SimulationInput& in) {
    return in.storePaths ? in.chunkSize : in.chunkSize * 16;
}

// The pieces of a share simulated with `spool` as its path sink: how many, and a function giving
// each in turn.
std::pair<std::uint64_t, std::function<std::vector<char>()>> pieces(
    const std::shared_ptr<PieceSpool>& spool) {
    return {spool->pieces(), [spool] { return spool->nextPiece(); }};
}

// Ends the cell on every rank when rank 0 broadcast a failure ("<code><message>").
void agree(ProcessGroup& group, const std::string& fromRoot) {
    const std::string status = group.broadcast(fromRoot);
    if (status.empty()) return;
    group.failureAgreed = true;
    if (status.front() == kDisagree) throw RanksDisagree(status.substr(1));
    if (status.front() == kPathFailed) throw pathFailure(status.substr(1));
    if (status.front() - '0' == kExitBadInput) throw InputError(status.substr(1));
    throw Error(status.substr(1));
}

// Each rank simulates its share; the others send rank 0 their totals (histograms, failures),
// then, once every rank's totals arrived and agree, their per-path values in pieces, in rank
// order. Rank 0 streams its own share to the results file while it computes (in.pathSink) and
// then every other share, a piece at a time, so it holds one piece, not the paths (stored paths
// included); without a path sink it assembles the shares in memory. Rank 0 broadcasts the status
// ("" or "<code><message>") after the totals and after the pieces, so a failure ends every rank.
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
    // Ranks other than 0 keep their per-path values in a temporary file until rank 0 takes them.
    std::shared_ptr<PieceSpool> spool;
    local.pathSink = group.root() ? in.pathSink : nullptr;
    if (in.progress) {
        // The meter counts all paths; rank 0's share stands for the whole run's progress.
        local.progress = [&in, mine](std::uint64_t done, std::uint64_t) {
            const long double share = static_cast<long double>(done) / mine.size();
            in.progress(static_cast<std::uint64_t>(share * in.paths), in.paths);
        };
    }
    std::shared_ptr<McPart> part;
    std::vector<char> head;
    std::string print;  // after the paths: the data's checksums finish in the background
    std::pair<std::uint64_t, std::function<std::vector<char>()>> spooled;
    try {
        if (!group.root()) {
            spool = std::make_shared<PieceSpool>(piecePaths(in));
            local.pathSink = spool.get();
        }
        part = std::make_shared<McPart>(simulatePart(gen, local, mine));
        print = fingerprint(gen, data);
        if (!group.root()) {
            spooled = pieces(spool);  // the spool's last write fails here, if at all
            head = packShare(print, encodeTotals(*part));
        }
    } catch (const InputError& e) {
        head = failureBytes(kExitBadInput, e.what());
    } catch (const PathError& e) {
        head = failureBytes(e);  // "path N" names it: the same text as from one process
    } catch (const std::exception& e) {
        head = failureBytes(kExitRuntimeFailure,
                            "MPI rank " + std::to_string(group.rank()) + ": " + e.what());
    }
    const std::uint64_t step = piecePaths(in);

    if (!group.root()) {
        group.send(head, 0);
        agree(group, "");
        for (std::uint64_t k = 0; k < spooled.first; ++k) group.send(spooled.second(), 0);
        agree(group, "");
        return std::nullopt;
    }

    // Rank 0: every rank's totals, the first failure in rank order wins.
    std::string status;
    if (!head.empty() && head.front() == '!') status.assign(head.begin() + 1, head.end());
    const bool streamed = local.pathSink != nullptr;
    std::optional<StreamedCombine> combine;
    McPart like;  // the shared fields, which the other ranks' shares take
    if (status.empty()) {
        like.run = part->run;
        if (streamed) combine.emplace(std::move(*part), in);
    }
    std::vector<McPart> shares;  // per rank after 0: its totals (and, in memory, its paths)
    for (unsigned r = 1; r < ranks; ++r) {
        const std::vector<char> bytes = group.receive(r);
        if (!status.empty()) continue;
        if (!bytes.empty() && bytes.front() == '!') {
            status.assign(bytes.begin() + 1, bytes.end());
            continue;
        }
        try {
            const std::string who = "MPI rank " + std::to_string(r);
            shares.push_back(decodeTotals(unpackShare(bytes, print, who), like));
            const PathRange expected = shareOfPaths(in.paths, r, ranks);
            if (shares.back().range.begin != expected.begin ||
                shares.back().range.end != expected.end)
                throw RanksDisagree(who + " sent paths of another range");
            if (combine) combine->addTotals(shares.back());
        } catch (const std::exception& e) {
            status = kDisagree + std::string(e.what());
        }
    }
    agree(group, status);

    // Their paths, a piece at a time, in path order (rank order).
    std::optional<McScenarioRun> run;
    for (unsigned r = 1; r < ranks; ++r) {
        McPart& share = shares[r - 1];
        for (std::uint64_t b = share.range.begin; b < share.range.end; b += step) {
            const std::vector<char> bytes = group.receive(r);
            if (!status.empty()) continue;  // the rest is received, and dropped
            try {
                const McPart piece = decodePaths(bytes, share);
                if (piece.range.begin != b ||
                    piece.range.end != std::min(share.range.end, b + step))
                    throw RanksDisagree("MPI rank " + std::to_string(r) +
                                        " sent paths out of order");
                if (streamed)
                    combine->addPaths(piece);
                else
                    appendPaths(share, piece);
            } catch (const std::exception& e) {
                status = kDisagree + std::string(e.what());
            }
        }
    }
    if (status.empty()) {
        try {
            if (streamed) {
                run = combine->finish();
            } else {
                shares.insert(shares.begin(), std::move(*part));
                run = combineParts(std::move(shares), in);
            }
            if (in.progress) in.progress(in.paths, in.paths);
        } catch (const std::exception& e) {
            status = kDisagree + std::string(e.what());
        }
    }
    agree(group, status);
    return run;
}

// The run from shares stored by `rotor run --path-range` (rotor merge): nothing is simulated
// here. Shares of another model or data, ranges that overlap or leave gaps: bad input. With a
// path sink the shares go to it a piece at a time, in path order (StreamedCombine), so memory
// holds one piece and each share's totals without their histograms; otherwise in memory.
McScenarioRun combineStored(const PathGenerator& gen, const SimulationInput& in, DataStore& data,
                            const std::vector<StoredShare>& stored) {
    // A whole cell another rank simulated: what does not fit is the run's failure, not the
    // user's input; a write of this process that failed stays its own.
    if (!stored.empty() && stored.front().fromRank) {
        try {
            std::vector<StoredShare> asInput = stored;
            for (StoredShare& s : asInput) s.fromRank = false;
            return combineStored(gen, in, data, asInput);
        } catch (const IoError&) {
            throw;
        } catch (const Error& e) {
            throw RanksDisagree(e.what());
        }
    }
    const std::string print = fingerprint(gen, data);
    SimulationInput shape = in;
    shape.progress = nullptr;
    // The shared fields only; with a path sink, its paths begin here.
    McPart like = simulatePart(gen, shape, PathRange{0, 0});
    const bool streamed = in.pathSink != nullptr;
    std::optional<StreamedCombine> combine;
    if (streamed) combine.emplace(McPart(like), in);
    // A share's damage is named by its source; a problem of the set of shares is the merge's; a
    // write that failed (the path sink) is neither.
    const auto named = [](const StoredShare& s, const auto& step) {
        try {
            return step();
        } catch (const IoError&) {
            throw;
        } catch (const RanksDisagree& e) {
            throw InputError(e.what());
        } catch (const Error& e) {
            throw InputError(s.source + ": " + e.what());
        }
    };
    struct Share {
        McPart totals;  // and the paths, when assembled in memory
        const StoredShare* stored;
    };
    std::vector<Share> shares;
    McScenarioRun run;
    try {
        for (const StoredShare& s : stored) {
            McPart totals = named(s, [&] {
                return decodeTotals(unpackShare(s.bytes, print, s.source), like);
            });
            if (combine) combine->addTotals(totals);
            shares.push_back({std::move(totals), &s});
        }
        std::sort(shares.begin(), shares.end(), [](const Share& a, const Share& b) {
            return a.totals.range.begin < b.totals.range.begin;
        });
        std::vector<McPart> parts;
        for (Share& share : shares) {
            const StoredShare& s = *share.stored;
            std::uint64_t next = share.totals.range.begin;
            for (std::uint64_t k = 0; k < s.pieces; ++k)
                next = named(s, [&] {
                    const McPart piece = decodePaths(s.piece(k), share.totals);
                    if (combine)
                        combine->addPaths(piece);
                    else
                        appendPaths(share.totals, piece);
                    return piece.range.end;
                });
            if (next != share.totals.range.end)
                throw InputError(s.source + ": paths " + std::to_string(next) + ":" +
                                 std::to_string(share.totals.range.end) + " are missing");
            if (!combine) parts.push_back(std::move(share.totals));
        }
        run = combine ? combine->finish() : combineParts(std::move(parts), in);
    } catch (const InputError&) {
        throw;
    } catch (const IoError&) {
        throw;
    } catch (const Error& e) {
        // Nothing is simulated here: parts that decode but do not add up are the shards' fault.
        throw InputError("merge: the shards of '" + in.name + "' do not combine: " + e.what());
    }
    if (in.progress) in.progress(in.paths, in.paths);
    return run;
}

// A path the model could not produce (a price reaching 0 or overflowing, a cash rate that is not
// finite): the model's parameters are the cause, so the message points at them. Other failures
// (an MPI call, a write, a rank's share) are not labelled so: their messages say what failed.
Error modelFailure(const ScenarioSpec& spec, const PathError& e) {
    const ConfigLocation& w = spec.modelWhere;
    return Error(w.known() ? w.file + ":" + std::to_string(w.line) + ":" +
                                 std::to_string(w.column) + ": model: " + e.what() +
                                 " (the model's parameters drive prices out of range)"
                           : e.what());
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

ShareBytes simulateShare(const ScenarioSpec& spec, DataStore& data, PathRange range,
                         const PathProgressFn& progress) {
    data.beginCell();
    ForwardModel model = buildForwardModel(spec, data);
    RealisedCoverage coverage;
    const std::optional<Path> realised = realisedPath(spec, model.series, model.context.dates,
                                                      model.context.startPrices, data, &coverage);
    SimulationInput in = simulationInput(spec, progress);
    if (realised) in.checkpointDay = realised->days() - 1;  // as runForward: same per-path arrays
    // The per-path values (stored paths included) go to a file, not to memory.
    const auto spool = std::make_shared<PieceSpool>(piecePaths(in));
    in.pathSink = spool.get();
    std::shared_ptr<McPart> part;
    try {
        part = std::make_shared<McPart>(simulatePart(*model.generator, in, range));
    } catch (const PathError& e) {
        throw modelFailure(spec, e);
    }
    ShareBytes bytes;
    bytes.head = packShare(fingerprint(*model.generator, data), encodeTotals(*part));
    std::tie(bytes.pieces, bytes.nextPiece) = pieces(spool);
    return bytes;
}

McScenarioRun runForward(const ScenarioSpec& spec, DataStore& data,
                         const PathProgressFn& progress) {
    SingleProcess alone;
    return std::move(*runForward(spec, data, progress, alone));
}

std::optional<McScenarioRun> runForward(const ScenarioSpec& spec, DataStore& data,
                                        const PathProgressFn& progress, ProcessGroup& group,
                                        const std::vector<StoredShare>* stored, McPathSink* paths) {
    data.beginCell();
    ForwardModel model = buildForwardModel(spec, data);

    // Which days data already covers decides only where per-path wealth is recorded; the
    // simulation itself never sees those prices (they are read after it, below).
    RealisedCoverage coverage;
    std::optional<Path> realised = realisedPath(spec, model.series, model.context.dates,
                                                model.context.startPrices, data, &coverage);

    SimulationInput in = simulationInput(spec, progress);
    if (realised) in.checkpointDay = realised->days() - 1;
    // Rank 0 (or the one process, or merge) streams the per-path values to the results file.
    in.pathSink = paths;
    McScenarioRun run;
    try {
        if (stored != nullptr) {
            run = combineStored(*model.generator, in, data, *stored);
        } else if (group.size() == 1) {
            run = simulate(*model.generator, in);
        } else {
            std::optional<McScenarioRun> combined = simulateAcross(*model.generator, in, data,
                                                                   group);
            if (!combined) return std::nullopt;  // not rank 0: its share is with rank 0
            run = std::move(*combined);
        }
    } catch (const PathError& e) {  // on this rank or another (simulateAcross)
        throw modelFailure(spec, e);
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
