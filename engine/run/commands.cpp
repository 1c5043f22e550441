// SPDX-License-Identifier: MIT
#include "engine/run/commands.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/core/json.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/core/version.hpp"
#include "engine/data/data_store.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_sink.hpp"
#include "engine/io/shard_file.hpp"
#include "engine/run/cell_schedule.hpp"
#include "engine/run/forward.hpp"
#include "engine/run/memory_estimate.hpp"
#include "engine/run/runner.hpp"
#include "engine/run/shared_cells.hpp"
#include "engine/run/summary_sinks.hpp"
#include "engine/run/walk_forward.hpp"
#include "engine/spec/forward_model.hpp"
#include "engine/spec/historical_path.hpp"
#include "engine/strategy/stack_steps.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>

namespace rotor {

std::string utcNowIso() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

std::string defaultOutput(const ScenarioSpec& spec) {
    if (!spec.output.empty()) return spec.output;
    return (std::filesystem::path("results") / (spec.name + ".h5")).string();
}

// Whether `file` lies in `dir` (both made absolute, `..` resolved).
bool isUnder(const std::string& file, const std::string& dir) {
    std::error_code ec;
    const auto f = std::filesystem::weakly_canonical(std::filesystem::absolute(file), ec);
    const auto d = std::filesystem::weakly_canonical(std::filesystem::absolute(dir), ec);
    if (ec) return false;
    auto fi = f.begin();
    for (auto di = d.begin(); di != d.end(); ++di, ++fi) {
        if (di->empty()) continue;  // a trailing separator
        if (fi == f.end() || *fi != *di) return false;
    }
    return true;
}

// A scenario installed with rotor keeps its outputs with the user: results/<file name> under
// the working directory, as a Unix tool writes where it is run rather than into its
// installation. Any other scenario's output: goes where it says (an unwritable folder there is
// an error with the system's reason, never a silent move).
std::string localOutput(const std::string& scenarioFile, const std::string& output,
                        const RunCommand* cmd) {
    const bool shared = cmd &&
                        std::any_of(cmd->sharedScenarioDirs.begin(), cmd->sharedScenarioDirs.end(),
                                    [&](const std::string& d) { return isUnder(scenarioFile, d); });
    if (!shared) return output;
    return (std::filesystem::path("results") / std::filesystem::path(output).filename()).string();
}

}  // namespace

namespace {

// A scenario file expanded into its cells, parsed and validated, with its output path.
struct FilePlan {
    std::string file;
    std::vector<ScenarioSpec> cells;
    std::vector<ScenarioSource> sources;  // the scenario file first, then parents, pack entries
    std::string output;
};

// A walk-forward's cells: consecutive cells of one sweep (same base name) with walk_forward.
struct WalkForwardGroup {
    std::size_t begin, end;
};

std::vector<WalkForwardGroup> walkForwardGroups(const std::vector<ScenarioSpec>& cells) {
    std::vector<WalkForwardGroup> groups;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (!cells[i].walkForward) continue;
        if (!groups.empty() && groups.back().end == i &&
            cells[groups.back().begin].baseName == cells[i].baseName)
            ++groups.back().end;
        else
            groups.push_back({i, i + 1});
    }
    return groups;
}

FilePlan planFile(const ScenarioInput& source, const RunCommand* cmd,
                  const StrategyRegistry& registry) {
    FilePlan plan;
    const std::string& file = source.file;
    plan.file = file;
    const SimulationOverrides none;
    ExpandedScenario expanded = source.text ? expandScenarioText(*source.text, file)
                                            : expandScenario(file);
    plan.sources = std::move(expanded.sources);
    for (const ScenarioCell& cell : expanded.cells) {
        // Every node of cell.root knows its own file, so errors and paths need no fixing up.
        plan.cells.push_back(parseScenario(cell.root, registry, cmd ? cmd->overrides : none));
        ScenarioSpec& spec = plan.cells.back();
        spec.sweep = cell.sweep;
        spec.baseName = cell.baseName;
        if (spec.walkForward && cell.sweep.empty())
            spec.walkForward->where.fail(
                "walk_forward needs a grid to choose from: give the scenario a sweep: "
                "(docs/walk-forward.md)");
    }
    if (plan.cells.empty()) throw InputError(file + ": no scenario to run");
    for (const WalkForwardGroup& g : walkForwardGroups(plan.cells))
        for (std::size_t i = g.begin + 1; i < g.end; ++i)
            if (!plan.cells[i].walkForward->sameSettings(*plan.cells[g.begin].walkForward))
                plan.cells[i].walkForward->where.fail(
                    "cell '" + plan.cells[i].name + "' has other walk_forward settings than '" +
                    plan.cells[g.begin].name + "': the sweep may not change walk_forward itself");
    if (cmd && cmd->output && !cmd->inMemory) {
        plan.output = *cmd->output;
    } else if (plan.cells.size() == 1) {
        plan.output = defaultOutput(plan.cells.front());
    } else {
        // A sweep or a pack: every cell goes into one file named after the scenario file.
        const ScenarioSpec& first = plan.cells.front();
        plan.output = !first.output.empty()
                          ? first.output
                          : (std::filesystem::path("results") /
                             (std::filesystem::path(file).stem().string() + ".h5"))
                                .string();
    }
    if (!(cmd && cmd->output) && !source.text) plan.output = localOutput(file, plan.output, cmd);
    return plan;
}

// Every file the plans read that is known before any data is loaded: the scenario files, their
// parents and pack entries, and the data files the scenarios name outside their models.
std::vector<FileRef> knownInputs(const std::vector<FilePlan>& plans) {
    std::vector<FileRef> inputs;
    for (const auto& plan : plans) {
        for (const auto& src : plan.sources)
            if (src.id != FileId{}) inputs.push_back({src.path, src.id});  // not text in memory
        for (const auto& cell : plan.cells)
            for (const auto& f : scenarioDataFiles(cell))
                if (auto id = fileIdOf(f)) inputs.push_back({f, *id});
    }
    return inputs;
}

std::string joinedResolvedYaml(const FilePlan& plan) {
    std::string out;
    for (const auto& spec : plan.cells) {
        if (!out.empty()) out += "---\n";
        out += resolvedYaml(spec);
    }
    return out;
}

// The walk-forward of cells[begin, end), whose ordinary runs are already in `done`: their
// chosen strategy's metrics are the hindsight choice's, not run a second time.
WalkForwardRun walkForwardOf(const std::vector<ScenarioSpec>& cells, std::size_t begin,
                             std::size_t end, DataStore& data,
                             const std::vector<ScenarioRun>& done) {
    std::vector<HistoricalData> histories;
    histories.reserve(end - begin);
    std::vector<WalkForwardCell> grid;
    for (std::size_t i = begin; i < end; ++i) {
        histories.push_back(loadHistorical(cells[i], data));
        const Metrics* full = nullptr;
        for (const ScenarioRun& r : done)
            if (r.name == cells[i].name && cells[i].walkForward)
                for (const StrategyRun& s : r.strategies)
                    if (s.ok && s.name == cells[i].walkForward->strategy) full = &s.metrics;
        grid.push_back({&cells[i], &histories.back().path, full});
    }
    return runWalkForward(grid);
}

// A historical cell one rank computed (shared_cells.hpp) into `out`, through the sinks as
// runHistorical would: its data is read here too, so that the file lists the data files in the
// order one process reads them, and must be the data the rank read.
void writeHistory(const ScenarioSpec& spec, unsigned rank, HistoryCell cell, DataStore& data,
                  ScenarioRun& out, const RunHooks& hooks) {
    data.beginCell();
    loadHistorical(spec, data);
    if (data.cellDigests() != cell.digests)
        throw RankError("MPI rank " + std::to_string(rank) + " read other data than rank 0 for '" +
                        spec.name + "' (each rank must see the same scenario and data files)");
    out = std::move(cell.run);
    if (hooks.started) hooks.started(out);
    std::size_t done = 0;
    for (std::size_t k : cell.order) {
        if (hooks.strategyDone) hooks.strategyDone(out, k);
        if (hooks.progress) hooks.progress(spec.name, ++done, cell.order.size());
    }
}

// Runs one scenario file's cells into `sink`. The results stay in place until endFile (the
// vectors never reallocate), so sinks may keep pointers to them.
bool runFile(const FilePlan& plan, const RunCommand& cmd, const std::vector<FileRef>& outputs,
             const std::string& tagPrefix, ResultSink& sink, std::ostream& err,
             std::vector<std::string>& warnings) {
    sink.beginFile(plan.file, plan.output);
    Provenance p;
    p.rotorVersion = version();
    p.gitCommit = gitCommit();
    p.createdUtc = utcNowIso();
    p.commandLine = cmd.commandLine;
    p.scenarioFile = plan.file;
    // The bytes the run parsed, not a second read that could see a changed file.
    p.scenarioYaml = plan.sources.front().text;
    p.resolvedYaml = joinedResolvedYaml(plan);

    std::vector<ScenarioRun> scenarios;
    std::vector<McScenarioRun> monteCarlo;
    std::size_t mcCells = 0;
    for (const auto& spec : plan.cells)
        if (spec.monteCarlo()) ++mcCells;
    monteCarlo.reserve(mcCells);
    std::vector<WalkForwardRun> walkForward;  // in place until endFile, as the others
    walkForward.reserve(plan.cells.size());
    scenarios.reserve(plan.cells.size() - mcCells);

    try {
        // One read of each data file for every cell of this file; checksums in the background.
        SerialWorker hasher;
        DataStore data(&hasher);
        // A model's data files are only known as they are read: no output may be one of them.
        data.refuseOutputs(outputs);
        SingleProcess alone;
        ProcessGroup& group = cmd.group != nullptr ? *cmd.group : alone;
        ProgressMeter meter(err, cmd.quiet || !group.root() ? ProgressMode::Never : cmd.progress,
                            cmd.terminal);
        RunHooks hooks;
        hooks.started = [&](const ScenarioRun& s) {
            sink.scenarioStarted(s);
            // One cell: its data is loaded, so the file bytes can go (their memory is reused by
            // the backtests; a pack's later cells still parse from them).
            if (plan.cells.size() == 1 && !plan.cells.front().walkForward) data.release();
        };
        hooks.strategyDone = [&](const ScenarioRun& s, std::size_t k) { sink.strategyDone(s, k); };
        const std::vector<WalkForwardGroup> groups = walkForwardGroups(plan.cells);
        // Under MPI, small cells go whole to one rank (cell_schedule.hpp, shared_cells.hpp):
        // rank 0 runs its own in place, as one process would, while the others compute theirs;
        // it takes and writes each of theirs in file order.
        const std::vector<unsigned> owner = scheduleCells(plan.cells, group.size());
        OwnCells own;
        std::size_t cellIndex = 0;
        for (const auto& spec : plan.cells) {
            const std::size_t index = cellIndex++;
            const auto wf = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
                return index >= g.begin && index < g.end;
            });
            // Windows the history cannot hold are bad input: found before the grid runs.
            if (group.root() && wf != groups.end() && wf->begin == index)
                checkWalkForwardWindows(*spec.walkForward, loadHistorical(spec, data).path.dates);
            const unsigned who = owner[index];
            if (!group.root() && who != kEveryRank) {  // a whole cell: rank 0 writes it
                if (who != group.rank()) continue;
                computeOwnCell(own, index, spec, data);
                sendOwnCell(own, index, group);  // when rank 0 comes to it
                continue;
            }
            // Rank 0's own cells, and the split ones, run in place as in one process.
            const bool inPlace = who == kEveryRank || who == 0;
            const std::string tag = tagPrefix + spec.name;
            const char* unit = spec.monteCarlo() ? "paths" : "strategies";
            // Reports progress on stderr and to the observer, which may stop the run.
            auto report = [&cmd, &meter, &spec, unit](std::uint64_t done, std::uint64_t total) {
                meter.update(done);
                if (cmd.observer) cmd.observer(RunProgress{spec.name, unit, done, total});
            };
            const std::uint64_t units = spec.monteCarlo() ? spec.simulation->paths
                                                          : spec.strategies.size();
            meter.start(tag, unit, units);
            report(0, units);
            sink.cellStarting(spec.name, spec.monteCarlo());
            if (spec.monteCarlo()) {
                p.seed = spec.simulation->seed;
                const auto stored = cmd.storedShares.find(spec.name);
                if (!cmd.storedShares.empty() && stored == cmd.storedShares.end())
                    throw InputError("merge: the shards hold no paths of the forward cell '" +
                                     spec.name + "'");
                std::optional<McScenarioRun> shared;
                if (who == kEveryRank) {
                    shared = runForward(spec, data, report, group,
                                        stored == cmd.storedShares.end() ? nullptr
                                                                         : &stored->second,
                                        sink.pathSink());
                } else if (inPlace) {
                    shared = runForward(spec, data, report, alone, nullptr, sink.pathSink());
                } else {  // computed whole by one rank: combined here as one share
                    const std::vector<StoredShare> whole = receiveForward(index, who, group);
                    shared = runForward(spec, data, report, alone, &whole, sink.pathSink());
                }
                if (!shared) continue;  // not rank 0: its share of the paths went there
                const McScenarioRun& run = monteCarlo.emplace_back(std::move(*shared));
                for (const auto& w : run.warnings) {
                    warnings.push_back(spec.name + ": " + w);
                    err << "rotor: warning: " << spec.name << ": " << w << '\n';
                }
                sink.monteCarloDone(run);
            } else {
                hooks.progress = [&report](const std::string&, std::size_t done,
                                           std::size_t total) { report(done, total); };
                if (inPlace)
                    runHistorical(spec, data, scenarios.emplace_back(), hooks);
                else
                    writeHistory(spec, who, receiveHistory(index, who, group), data,
                                 scenarios.emplace_back(), hooks);
                if (wf != groups.end() && wf->end == index + 1)
                    sink.walkForwardDone(walkForward.emplace_back(
                        walkForwardOf(plan.cells, wf->begin, wf->end, data, scenarios)));
            }
        }
        p.dataFiles = data.records();
    } catch (...) {
        sink.abortFile();  // before the results it writes from go away
        throw;
    }
    sink.endFile(p);

    bool ok = true;
    for (const auto& s : scenarios)
        for (const auto& r : s.strategies) ok = ok && r.ok;
    for (const auto& s : monteCarlo)
        for (const auto& r : s.strategies) ok = ok && r.ok;
    return ok;
}

}  // namespace

namespace {

// rotor run --path-range: paths [A, B) of every forward cell of `plan` into one shard file.
void runShard(const FilePlan& plan, const RunCommand& cmd, const std::vector<FileRef>& outputs,
              std::ostream& out, std::ostream& err) {
    const PathRange range = *cmd.pathRange;
    ShardContents shard;
    shard.rotorVersion = version();
    shard.gitCommit = gitCommit();
    shard.createdUtc = utcNowIso();
    shard.commandLine = cmd.commandLine;
    shard.scenarioFile = plan.file;
    shard.scenarioYaml = plan.sources.front().text;
    shard.pathsOverride = cmd.overrides.paths.value_or(-1);
    shard.seedOverride = cmd.overrides.seed.value_or(-1);
    shard.threadsOverride = cmd.overrides.threads.value_or(-1);
    shard.pathBegin = range.begin;
    shard.pathEnd = range.end;
    SerialWorker hasher;
    DataStore data(&hasher);
    data.refuseOutputs(outputs);
    ProgressMeter meter(err, cmd.quiet ? ProgressMode::Never : cmd.progress, cmd.terminal);
    for (const ScenarioSpec& spec : plan.cells) {
        if (!spec.monteCarlo()) continue;  // one path each: the merge runs them
        meter.start(spec.name, "paths", range.size());
        ShareBytes share = simulateShare(
            spec, data, range, [&meter](std::uint64_t done, std::uint64_t) { meter.update(done); });
        shard.cells.push_back(
            {spec.name, std::move(share.head), share.pieces, std::move(share.nextPiece)});
    }
    writeShardFile(shard, plan.output, cmd.force);
    const std::string what = "paths " + range.text() + " of " + std::to_string(shard.cells.size()) +
                             " forward cell(s)";
    if (cmd.json)
        out << "{\"shard\":" << jsonString(plan.output) << ",\"path_begin\":" << range.begin
            << ",\"path_end\":" << range.end << ",\"cells\":" << shard.cells.size() << "}\n";
    else if (!cmd.quiet)
        out << what << " -> " << plan.output << " (combine the shards with rotor merge)\n";
}

// Checks every input and output before any computation (exit 2 on bad input).
std::vector<FilePlan> prepareRun(const RunCommand& cmd, const StrategyRegistry& registry,
                                 RunOutcome& outcome, std::vector<FileRef>& outputs) {
    if (cmd.scenarios.empty()) throw InputError("run: no scenario file given");
    if (cmd.output && cmd.scenarios.size() != 1 && !cmd.inMemory)
        throw InputError("run: -o/--output needs exactly one scenario file");
    if (cmd.output && cmd.output->empty()) throw InputError("run: -o/--output is empty");
    checkOverrides(cmd.overrides);
    if (cmd.pathRange) {
        if (!cmd.output || cmd.inMemory)
            throw InputError("run: --path-range writes a shard: give its file with -o");
        if (cmd.group != nullptr && cmd.group->size() > 1)
            throw InputError("run: --path-range and mpirun share the paths two ways; use one");
        if (cmd.pathRange->begin >= cmd.pathRange->end)
            throw InputError("run: --path-range " + std::to_string(cmd.pathRange->begin) + ":" +
                             std::to_string(cmd.pathRange->end) + " is empty or reversed");
    }

    // Everything that can be wrong with the input is found before any computation.
    std::vector<FilePlan> plans;
    for (const auto& source : cmd.scenarios) {
        plans.push_back(planFile(source, &cmd, registry));
        outcome.outputs.push_back(plans.back().output);
    }
    if (cmd.pathRange) {
        std::size_t forward = 0;
        for (const ScenarioSpec& spec : plans.front().cells) {
            if (!spec.monteCarlo()) continue;
            ++forward;
            if (cmd.pathRange->end > spec.simulation->paths)
                throw InputError("run: --path-range " + std::to_string(cmd.pathRange->begin) + ":" +
                                 std::to_string(cmd.pathRange->end) + " is outside the " +
                                 std::to_string(spec.simulation->paths) + " paths of '" +
                                 spec.name + "'");
        }
        if (forward == 0)
            throw InputError("run: --path-range needs a forward (Monte Carlo) scenario; " +
                             plans.front().file + " has none");
    }

    // Outputs: new or --force, regular files, distinct, and none of them a file the run reads.
    if (!cmd.inMemory) {
        const std::vector<FileRef> inputs = knownInputs(plans);
        std::set<std::string> seen;
        for (const auto& plan : plans) {
            checkOutputWritable(plan.output, cmd.force);
            std::error_code ec;
            const std::string canonical =
                std::filesystem::weakly_canonical(plan.output, ec).string();
            if (!seen.insert(ec ? plan.output : canonical).second)
                throw InputError("run: two scenario files write to the same output " + plan.output);
            checkOutputNotInput(plan.output, inputs);
            if (auto id = fileIdOf(plan.output)) outputs.push_back({plan.output, *id});
        }
    }

    // A run too large for the machine is refused now, not by std::bad_alloc half-way.
    const std::uint64_t limit = memoryLimitBytes();
    for (const auto& plan : plans) {
        const MemoryEstimate need = estimateMemory(plan.cells);
        if (need.bytes > limit)
            throw InputError("run: " + plan.file + " needs an estimated " +
                             formatBytes(need.bytes) + " of memory (" + need.detail +
                             "), over the limit of " + formatBytes(limit) +
                             " (--max-memory raises it; fewer paths lower it)");
    }

    return plans;
}

// Runs `prepare` on every rank of `group` and makes the ranks agree on its outcome: when any
// rank failed, every rank throws the lowest failing rank's error (marked agreed), so that none
// goes on to wait for the others in the simulation.
void agreeOnInput(ProcessGroup* group, const std::function<void()>& prepare) {
    if (group == nullptr || group->size() == 1) {
        prepare();
        return;
    }
    std::string mine;  // "" or "<exit code><message>"
    try {
        prepare();
    } catch (const InputError& e) {
        mine = std::to_string(kExitBadInput) + e.what();
    } catch (const std::exception& e) {
        mine = std::to_string(kExitRuntimeFailure) + e.what();
    }
    std::string first;
    const std::vector<std::vector<char>> all = group->gather({mine.begin(), mine.end()});
    for (std::size_t r = 0; r < all.size() && first.empty(); ++r)
        if (!all[r].empty()) {
            first.assign(all[r].begin(), all[r].end());
            if (r > 0) first.insert(1, "MPI rank " + std::to_string(r) + ": ");
        }
    first = group->broadcast(first);
    if (first.empty()) return;
    group->failureAgreed = true;
    if (first.front() - '0' == kExitBadInput) throw InputError(first.substr(1));
    throw Error(first.substr(1));
}

}  // namespace

RunOutcome executeRun(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
                      std::ostream& err) {
    RunOutcome outcome;
    std::vector<FileRef> outputs;
    std::vector<FilePlan> plans;
    agreeOnInput(cmd.group, [&] { plans = prepareRun(cmd, registry, outcome, outputs); });
    if (cmd.pathRange) {
        runShard(plans.front(), cmd, outputs, out, err);
        return outcome;
    }

    Hdf5Sink hdf5(cmd.force, cmd.inMemory ? Hdf5Sink::Target::Memory : Hdf5Sink::Target::Files);
    SummaryTableSink table(out);
    JsonSummarySink json(out, version());
    SinkList sinks;
    const bool root = cmd.group == nullptr || cmd.group->root();
    if (root) {  // other ranks only compute their share of the paths
        sinks.add(&hdf5);
        if (cmd.json)
            sinks.add(&json);
        else if (!cmd.quiet)
            sinks.add(&table);
    }

    bool ok = true;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const std::string tag = "[" + std::to_string(i + 1) + "/" + std::to_string(plans.size()) +
                                "] ";
        ok = runFile(plans[i], cmd, outputs, tag, sinks, err, outcome.warnings) && ok;
    }
    sinks.endRun();
    if (!ok && root) err << "rotor: some strategies failed; see the table or the 'status' column\n";
    outcome.exitCode = ok ? kExitOk : kExitRuntimeFailure;
    outcome.images = std::move(hdf5.images());
    return outcome;
}

int runCommand(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
               std::ostream& err) {
    return executeRun(cmd, registry, out, err).exitCode;
}

int mergeCommand(const MergeCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
                 std::ostream& err) {
    if (cmd.output.empty()) throw InputError("merge: no output file given");
    if (cmd.shards.empty()) throw InputError("merge: no shard given");
    std::vector<ShardContents> shards;
    for (const std::string& path : cmd.shards) shards.push_back(readShardFile(path));
    // One scenario file, the same overrides and the same build of rotor in every shard.
    const ShardContents& a = shards.front();
    for (std::size_t i = 1; i < shards.size(); ++i) {
        const ShardContents& b = shards[i];
        const auto differ = [&](const char* what) {
            throw InputError("merge: " + cmd.shards[i] + " and " + cmd.shards.front() +
                             " differ in " + what + "; shards must come from one scenario run");
        };
        if (b.scenarioFile != a.scenarioFile || b.scenarioYaml != a.scenarioYaml)
            differ("their scenario file");
        if (b.pathsOverride != a.pathsOverride || b.seedOverride != a.seedOverride)
            differ("--paths or --seed");
        if (b.rotorVersion != a.rotorVersion || b.gitCommit != a.gitCommit)
            differ("the rotor that wrote them (version and commit)");
        if (b.cells.size() != a.cells.size()) differ("their forward cells");
        for (std::size_t c = 0; c < a.cells.size(); ++c)
            if (b.cells[c].name != a.cells[c].name) differ("their forward cells");
    }
    if (a.rotorVersion != version() || a.gitCommit != gitCommit())
        throw InputError("merge: " + cmd.shards.front() + " was written by rotor " +
                         a.rotorVersion + " (" + a.gitCommit + "), this is " + version() + " (" +
                         gitCommit() + "); merge with the rotor that ran the shards");
    // Ranges: named by file, before any cell is run.
    std::vector<std::size_t> order(shards.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return shards[x].pathBegin < shards[y].pathBegin;
    });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const ShardContents& prev = shards[order[k - 1]];
        const ShardContents& next = shards[order[k]];
        const std::string names = cmd.shards[order[k - 1]] + " (paths " +
                                  std::to_string(prev.pathBegin) + ":" +
                                  std::to_string(prev.pathEnd) + ") and " + cmd.shards[order[k]] +
                                  " (paths " + std::to_string(next.pathBegin) + ":" +
                                  std::to_string(next.pathEnd) + ")";
        if (next.pathBegin < prev.pathEnd) throw InputError("merge: " + names + " overlap");
        if (next.pathBegin > prev.pathEnd) throw InputError("merge: " + names + " leave a gap");
    }

    RunCommand run;
    run.scenarios.push_back({a.scenarioFile, a.scenarioYaml});
    run.output = cmd.output;
    run.force = cmd.force;
    run.quiet = cmd.quiet;
    run.json = cmd.json;
    run.progress = cmd.progress;
    run.terminal = cmd.terminal;
    run.commandLine = cmd.commandLine;
    if (a.pathsOverride >= 0) run.overrides.paths = a.pathsOverride;
    if (a.seedOverride >= 0) run.overrides.seed = a.seedOverride;
    if (a.threadsOverride >= 0) run.overrides.threads = a.threadsOverride;
    // Each piece of per-path values is read when its turn comes, not before.
    for (std::size_t i = 0; i < shards.size(); ++i)
        for (std::size_t c = 0; c < shards[i].cells.size(); ++c) {
            ShardCell& cell = shards[i].cells[c];
            const std::string& path = cmd.shards[i];
            run.storedShares[cell.name].push_back(
                {path, std::move(cell.share), cell.pieceCount,
                 [path, c](std::uint64_t k) { return readShardPiece(path, c, k); }});
        }
    return executeRun(run, registry, out, err).exitCode;
}

std::vector<CellSummary> validateScenarios(const std::vector<ScenarioInput>& sources,
                                           const StrategyRegistry& registry) {
    if (sources.empty()) throw InputError("validate: no scenario file given");
    std::vector<CellSummary> out;
    for (const auto& source : sources) {
        const FilePlan plan = planFile(source, nullptr, registry);
        for (const auto& spec : plan.cells) {
            // The data and the model too: a window no data covers is bad input `run` refuses.
            DataStore data;
            if (spec.monteCarlo())
                buildForwardModel(spec, data);
            else if (spec.walkForward)
                checkWalkForwardWindows(*spec.walkForward, loadHistorical(spec, data).path.dates);
            else
                loadHistorical(spec, data);
            out.push_back({source.file, spec.name, spec.mode, spec.universe.assets.size(),
                           spec.strategies.size(), spec.sweep});
        }
    }
    return out;
}

int validateCommand(const std::vector<std::string>& files, const StrategyRegistry& registry,
                    std::ostream& out) {
    if (files.empty()) throw InputError("validate: no scenario file given");
    for (const auto& f : files)  // each file's lines before the next file is checked
        for (const CellSummary& c : validateScenarios({ScenarioInput{f, std::nullopt}}, registry))
            out << c.file << ": ok (" << c.name << ", " << c.mode << ", " << c.assets << " assets, "
                << c.strategies << " strategies)\n";
    return kExitOk;
}

namespace {
void printParameter(std::ostream& out, const StrategyParameter& p, const char* indent) {
    out << indent << p.key << ": " << p.kind;
    if (p.required)
        out << ", required";
    else if (!p.defaultValue.empty())
        out << " (default " << p.defaultValue << ")";
    out << "; " << p.rule << '\n';
}
}  // namespace

void listStrategies(const StrategyRegistry& registry, std::ostream& out) {
    std::size_t width = 0;
    for (const auto& t : registry.types()) width = std::max(width, t.size());
    for (const auto& t : registry.types()) {
        out << std::left << std::setw(static_cast<int>(width)) << t << "  " << registry.summary(t)
            << '\n';
        for (const StrategyParameter& p : registry.parameters(t)) printParameter(out, p, "    ");
    }
    const auto steps = registry.steps().names();
    if (steps.empty()) return;
    out << "\nstack steps (type: stack; list them in this phase order):\n";
    for (const auto& n : steps) {
        const StepDefinition& s = registry.steps().at(n);
        out << "  " << phaseName(s.phase) << ' ' << n << "  " << s.summary << '\n';
        for (const StrategyParameter& p : s.parameters) printParameter(out, p, "      ");
    }
}

}  // namespace rotor
