// SPDX-License-Identifier: MIT
#include "engine/run/commands.hpp"

#include "engine/config/compose.hpp"
#include "engine/config/scenario_config.hpp"
#include "engine/core/error.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/core/version.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/run/forward.hpp"
#include "engine/run/report_text.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/historical_replay.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
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

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string defaultOutput(const ScenarioSpec& spec) {
    if (!spec.output.empty()) return spec.output;
    return (std::filesystem::path("results") / (spec.name + ".h5")).string();
}

}  // namespace

namespace {

// A scenario file expanded into its cells, parsed and validated, with its output path.
struct FilePlan {
    std::string file;
    std::vector<ScenarioSpec> cells;
    std::vector<std::string> sources;  // each cell's composed YAML
    std::string output;
};

FilePlan planFile(const std::string& file, const RunCommand* cmd, const StrategyRegistry& registry) {
    FilePlan plan;
    plan.file = file;
    for (const ScenarioCell& cell : expandScenarioFile(file)) {
        // Every node of cell.root knows its own file, so errors and paths need no fixing up.
        plan.cells.push_back(parseScenario(cell.root, registry));
        plan.sources.push_back(cell.sourceYaml);
        ScenarioSpec& spec = plan.cells.back();
        if (cmd && spec.simulation) {
            if (cmd->paths) spec.simulation->paths = *cmd->paths;
            if (cmd->seed) spec.simulation->seed = *cmd->seed;
            if (cmd->threads) spec.simulation->threads = *cmd->threads;
        }
    }
    if (cmd && !cmd->output.empty()) {
        plan.output = cmd->output;
    } else if (plan.cells.size() == 1) {
        plan.output = defaultOutput(plan.cells.front());
    } else {
        // A sweep or a pack: every cell goes into one file named after the scenario file.
        const ScenarioSpec& first = plan.cells.front();
        plan.output = !first.output.empty() ? first.output
                                            : (std::filesystem::path("results") /
                                               (std::filesystem::path(file).stem().string() + ".h5"))
                                                  .string();
    }
    return plan;
}

std::string joinedResolvedYaml(const FilePlan& plan) {
    std::string out;
    for (const auto& spec : plan.cells) {
        if (!out.empty()) out += "---\n";
        out += resolvedYaml(spec);
    }
    return out;
}

}  // namespace

int runCommand(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
               std::ostream& err) {
    if (cmd.files.empty()) throw InputError("run: no scenario file given");
    if (!cmd.output.empty() && cmd.files.size() != 1)
        throw InputError("run: -o/--output needs exactly one scenario file");
    if (cmd.paths && *cmd.paths == 0) throw InputError("run: --paths must be at least 1");

    // Everything that can be wrong with the input is found before any computation.
    std::vector<FilePlan> plans;
    std::set<std::string> seen;
    for (const auto& f : cmd.files) {
        plans.push_back(planFile(f, &cmd, registry));
        const std::string canonical = std::filesystem::weakly_canonical(plans.back().output).string();
        if (!seen.insert(canonical).second)
            throw InputError("run: two scenario files write to the same output " + plans.back().output);
        checkOutputWritable(plans.back().output, cmd.force);
    }

    RunResults all;
    all.provenance.rotorVersion = version();
    std::vector<std::string> outputs, mcOutputs;
    bool ok = true;
    const bool showProgress = cmd.progress && !cmd.quiet;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const FilePlan& plan = plans[i];
        RunResults results;
        Provenance& p = results.provenance;
        p.rotorVersion = version();
        p.gitCommit = gitCommit();
        p.createdUtc = utcNowIso();
        p.commandLine = cmd.commandLine;
        p.scenarioFile = plan.file;
        p.scenarioYaml = readFile(plan.file);
        p.resolvedYaml = joinedResolvedYaml(plan);

        // The results file is written on a background thread while the run computes: the
        // checksums during loading, each strategy while the next one runs. The results stay in
        // place for it (the vectors never reallocate), and the worker, declared last, stops
        // before the writer, the temporary file and the results go.
        std::size_t mcCells = 0;
        for (const auto& spec : plan.cells) if (spec.monteCarlo()) ++mcCells;
        results.monteCarlo.reserve(mcCells);
        results.scenarios.reserve(plan.cells.size() - mcCells);
        AtomicOutput file(plan.output, cmd.force);
        std::optional<ResultsWriter> writer;
        SerialWorker io;
        io.post([&writer, path = file.tempPath()] { writer.emplace(path); });
        RunHooks hooks;
        hooks.started = [&](const ScenarioRun& s) {
            io.post([&writer, &s] { writer->beginScenario(s); });
        };
        hooks.strategyDone = [&](const ScenarioRun& s, std::size_t k) {
            io.post([&writer, &file, &s, k] {
                writer->addStrategy(s, k);
                file.flushAhead();  // the disk writes while the rest computes
            });
        };
        for (const auto& spec : plan.cells) {
            const std::string tag = "[" + std::to_string(i + 1) + "/" + std::to_string(plans.size()) +
                                    "] " + spec.name;
            if (spec.monteCarlo()) {
                io.wait();  // a results file that cannot be written stops the run before it simulates
                p.seed = spec.simulation->seed;
                PathProgressFn progress;
                if (showProgress) {
                    progress = [&err, tag](std::uint64_t done, std::uint64_t total) {
                        err << "\r" << tag << ": " << done << '/' << total << " paths" << std::flush;
                        if (done == total) err << '\n';
                    };
                }
                const McScenarioRun& run =
                    results.monteCarlo.emplace_back(runForward(spec, registry, p.dataFiles, progress));
                io.post([&writer, &run] { writer->addMonteCarlo(run); });
            } else {
                hooks.progress = nullptr;
                if (showProgress) {
                    hooks.progress = [&err, tag](const std::string&, std::size_t done,
                                                 std::size_t total) {
                        err << "\r" << tag << ": strategy " << done << '/' << total << std::flush;
                        if (done == total) err << '\n';
                    };
                }
                runHistorical(spec, registry, results.scenarios.emplace_back(), p.dataFiles, hooks,
                              &io);
            }
        }
        io.post([&writer, &p] { writer->finish(p); });
        io.wait();
        file.commit();

        ok = ok && allSucceeded(results);
        if (!cmd.quiet && !cmd.json) {
            for (const auto& s : results.scenarios) {
                printSummaryTable(s, out);
                out << '\n';
            }
            for (const auto& s : results.monteCarlo) {
                printMcSummaryTable(s, out);
                out << '\n';
            }
            out << "wrote " << plan.output << "\n\n";
        }
        for (auto& s : results.scenarios) {
            outputs.push_back(plan.output);
            all.scenarios.push_back(std::move(s));
        }
        for (auto& s : results.monteCarlo) {
            mcOutputs.push_back(plan.output);
            all.monteCarlo.push_back(std::move(s));
        }
    }
    if (cmd.json) out << summaryJson(all, outputs, mcOutputs);
    if (!ok) err << "rotor: some strategies failed; see the table or the 'status' column\n";
    return ok ? kExitOk : kExitRuntimeFailure;
}

int validateCommand(const std::vector<std::string>& files, const StrategyRegistry& registry,
                    std::ostream& out) {
    if (files.empty()) throw InputError("validate: no scenario file given");
    for (const auto& f : files) {
        const FilePlan plan = planFile(f, nullptr, registry);
        for (const auto& spec : plan.cells) {
            // The data and the model too: a window no data covers is bad input `run` refuses.
            std::vector<std::string> read;
            if (spec.monteCarlo()) buildForwardModel(spec, read);
            else loadHistorical(spec);
            out << f << ": ok (" << spec.name << ", " << spec.mode << ", "
                << spec.universe.assets.size() << " assets, " << spec.strategies.size()
                << " strategies)\n";
        }
    }
    return kExitOk;
}

void listStrategies(const StrategyRegistry& registry, std::ostream& out) {
    std::size_t width = 0;
    for (const auto& t : registry.types()) width = std::max(width, t.size());
    for (const auto& t : registry.types())
        out << std::left << std::setw(static_cast<int>(width)) << t << "  " << registry.summary(t)
            << '\n';
}

}  // namespace rotor
