// SPDX-License-Identifier: MIT
#include "engine/run/commands.hpp"

#include "engine/config/scenario_config.hpp"
#include "engine/core/error.hpp"
#include "engine/core/version.hpp"
#include "engine/io/atomic_file.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/run/report_text.hpp"
#include "engine/run/runner.hpp"
#include "engine/scenario/historical_replay.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
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

int runCommand(const RunCommand& cmd, const StrategyRegistry& registry, std::ostream& out,
               std::ostream& err) {
    if (cmd.files.empty()) throw InputError("run: no scenario file given");
    if (!cmd.output.empty() && cmd.files.size() != 1)
        throw InputError("run: -o/--output needs exactly one scenario file");

    // Everything that can be wrong with the input is found before any computation.
    std::vector<ScenarioSpec> specs;
    std::vector<std::string> outputs;
    std::set<std::string> seen;
    for (const auto& f : cmd.files) {
        specs.push_back(loadScenario(f, registry));
        outputs.push_back(cmd.output.empty() ? defaultOutput(specs.back()) : cmd.output);
        const std::string canonical = std::filesystem::weakly_canonical(outputs.back()).string();
        if (!seen.insert(canonical).second)
            throw InputError("run: two scenarios write to the same output " + outputs.back());
        checkOutputWritable(outputs.back(), cmd.force);
    }

    RunResults all;
    all.provenance.rotorVersion = version();
    bool ok = true;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const ScenarioSpec& spec = specs[i];
        RunResults results;
        Provenance& p = results.provenance;
        p.rotorVersion = version();
        p.gitCommit = gitCommit();
        p.createdUtc = utcNowIso();
        p.commandLine = cmd.commandLine;
        p.scenarioFile = spec.file;
        p.scenarioYaml = readFile(spec.file);
        p.resolvedYaml = resolvedYaml(spec);
        ProgressFn progress;
        if (cmd.progress && !cmd.quiet) {
            progress = [&err, i, n = specs.size()](const std::string& name, std::size_t done,
                                                   std::size_t total) {
                err << "\r[" << i + 1 << '/' << n << "] " << name << ": strategy " << done << '/'
                    << total << std::flush;
                if (done == total) err << '\n';
            };
        }
        results.scenarios.push_back(runHistorical(spec, registry, p.dataFiles, progress));

        AtomicOutput file(outputs[i], cmd.force);
        writeResultsHdf5(results, file.tempPath());
        file.commit();

        ok = ok && allSucceeded(results);
        if (!cmd.quiet && !cmd.json) {
            printSummaryTable(results.scenarios.front(), out);
            out << "wrote " << outputs[i] << "\n\n";
        }
        all.scenarios.push_back(std::move(results.scenarios.front()));
    }
    if (cmd.json) out << summaryJson(all, outputs);
    if (!ok) err << "rotor: some strategies failed; see the table or the 'status' column\n";
    return ok ? kExitOk : kExitRuntimeFailure;
}

int validateCommand(const std::vector<std::string>& files, const StrategyRegistry& registry,
                    std::ostream& out) {
    if (files.empty()) throw InputError("validate: no scenario file given");
    for (const auto& f : files) {
        const ScenarioSpec spec = loadScenario(f, registry);
        // The data too: a window no data covers is bad input that `run` would refuse.
        if (!spec.monteCarlo()) loadHistorical(spec);
        out << f << ": ok (" << spec.name << ", " << spec.universe.assets.size() << " assets, "
            << spec.strategies.size() << " strategies)\n";
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
