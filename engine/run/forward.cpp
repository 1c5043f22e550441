// SPDX-License-Identifier: MIT
#include "engine/run/forward.hpp"

#include "engine/core/error.hpp"
#include "engine/montecarlo/distribution.hpp"
#include "engine/montecarlo/simulator.hpp"
#include "engine/run/runner.hpp"
#include "engine/spec/forward_model.hpp"

#include <optional>

namespace rotor {

McScenarioRun runForward(const ScenarioSpec& spec, DataStore& data,
                         const PathProgressFn& progress) {
    ForwardModel model = buildForwardModel(spec, data);
    const SimulationSpec& sim = *spec.simulation;

    // Which days data already covers decides only where per-path wealth is recorded; the
    // simulation itself never sees those prices (they are read after it, below).
    RealisedCoverage coverage;
    std::optional<Path> realised = realisedPath(spec, model.series, model.context.dates,
                                                model.context.startPrices, data, &coverage);

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
    if (realised) in.checkpointDay = realised->days() - 1;
    in.progress = progress;
    McScenarioRun run;
    try {
        run = simulate(*model.generator, in);
    } catch (const InputError&) {
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
        const ScenarioRun replay = runOnPath(spec, model.context.universe, *realised);
        RealisedOutcome out;
        out.dates = realised->dates;
        out.cashRate = realised->cashRate;
        out.coverage = std::move(coverage.lines);
        out.endedBy = std::move(coverage.endedBy);
        for (std::size_t i = 0; i < replay.strategies.size(); ++i) {
            const StrategyRun& r = replay.strategies[i];
            if (!r.ok || !run.strategies[i].ok) continue;
            RealisedStrategy s;
            s.name = r.name;
            s.wealth = r.equity / spec.backtest.initialCapital;
            s.percentileRank = percentileRank(run.strategies[i].paths.checkpointWealth,
                                              s.wealth[s.wealth.size() - 1]);
            out.strategies.push_back(std::move(s));
        }
        run.realised = std::move(out);
    }
    return run;
}

}  // namespace rotor
