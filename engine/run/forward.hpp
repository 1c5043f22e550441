// SPDX-License-Identifier: MIT
// Wires a forward (Monte Carlo) scenario: calendar -> start prices -> rate path -> path
// generator (+ overlays) -> simulation of every strategy on every path -> realised outcome.
#pragma once

#include "engine/config/scenario_config.hpp"
#include "engine/results/results.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/strategy/registry.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// The forward trading days of a scenario: NYSE days from the first trading day on or after
// `start`, for horizon + 1 days or through `end`.
std::vector<Date> forwardDates(const SimulationSpec& sim);

// Price data of the assets. An asset with a `start_prices` entry has none (history and the
// realised outcome are then off), except a bifurcation sleeve: a sleeve never reads a price
// file (sleeve data does not exist) and takes its parent's series instead, scaled by (its given
// start price / the parent's last close on or before the start) when it has one, else as is
// (it starts at the parent's price). Its history and realised prices are thus the parent's:
// a strategy holding a sleeve is replayed as if it held the parent.

// Start prices: given ones, else each asset's last close on or before the start (never later).
Vector startPrices(const ScenarioSpec& spec, const std::vector<Date>& dates,
                   std::vector<std::string>& files);

// The last `simulation.history_days` trading days before day 0 on which every asset has a
// close (dates < day 0, never later), with the cash rate: what every forward path carries as
// its history. Null when history_days is 0 or an asset has no data (see above).
std::shared_ptr<const Path> historyPrefix(const ScenarioSpec& spec, Date day0,
                                          std::vector<std::string>& files);

struct ForwardModel {
    GeneratorContext context;
    std::unique_ptr<PathGenerator> generator;  // paths carry `history` when there is one
    std::shared_ptr<const Path> history;
};

// Builds the generator of a forward scenario without simulating (also used by `validate`).
ForwardModel buildForwardModel(const ScenarioSpec& spec, std::vector<std::string>& files);

// The realised part of the horizon: data after the start on the scenario's first T' days, for
// every asset (sleeves: their parent's, scaled), and the cash rate. nullopt when data has no day
// after the start, some asset has no data (see above), or the scenario has no `cash_rate`.
std::optional<Path> realisedPath(const ScenarioSpec& spec, const std::vector<Date>& dates,
                                 const Vector& start, std::vector<std::string>& files);

using PathProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

McScenarioRun runForward(const ScenarioSpec& spec, const StrategyRegistry& registry,
                         std::vector<DataFileRecord>& dataFiles,
                         const PathProgressFn& progress = {});

}  // namespace rotor
