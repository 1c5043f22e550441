// SPDX-License-Identifier: MIT
// Assembles a forward (Monte Carlo) scenario from its spec and data: the forward trading days,
// the start prices, the rate path model, the path generator with its overlays, the real
// history every path carries and the realised part of the horizon. Every series comes from
// one read of its file (DataStore); nothing the simulation sees is dated after the start.
#pragma once

#include "engine/data/data_store.hpp"
#include "engine/data/time_series.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/path.hpp"
#include "engine/scenario/path_generator.hpp"
#include "engine/spec/scenario_spec.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// The forward trading days of a scenario: NYSE days from the last trading day on or before
// `start`, for horizon + 1 days or through `end`.
std::vector<Date> forwardDates(const SimulationSpec& sim);

// Price data of the assets, in universe order. An asset with a `start_prices` entry has none
// (history and the realised outcome are then off), except a bifurcation sleeve: a sleeve never
// reads a price file (sleeve data does not exist) and takes its parent's series instead, scaled
// by (its given start price / the parent's last close on or before the start) when it has one,
// else as is (it starts at the parent's price). Its history and realised prices are thus the
// parent's: a strategy holding a sleeve is replayed as if it held the parent.
std::vector<TimeSeries> universeSeries(const ScenarioSpec& spec, DataStore& data);

// Start prices: given ones, else each asset's last close on or before the start (never later).
Vector startPrices(const ScenarioSpec& spec, const std::vector<TimeSeries>& series);

// The last `simulation.history_days` trading days before day 0 on which every asset has a
// close (dates < day 0, never later), with the cash rate and, when the scenario has
// `universe.valuation`, the anchored valuation below: what every forward path carries as its
// history. Null when history_days is 0 or an asset has no data (see above).
std::shared_ptr<const Path> historyPrefix(const ScenarioSpec& spec,
                                          const std::vector<TimeSeries>& universe, Date day0,
                                          DataStore& data);

// Log valuation multiples on `days` (T' x N) from the history files of the scenario's `model`
// valuation entries (docs/data.md, "Valuation series"), each shifted in log so that its value
// known on `eve` (the last day before day 0) is ln of the model's multiple on day 0: the
// history meets the simulated multiple without a jump. NaN for assets without such a file, on
// days before its first known observation, all days when nothing is known on `eve`, and, with
// `staleIsMissing`, days past its staleness limit (else an error at the entry).
Matrix anchoredValuation(const ScenarioSpec& spec, Date eve, const std::vector<Date>& days,
                         DataStore& data, bool staleIsMissing);

struct ForwardModel {
    GeneratorContext context;
    std::unique_ptr<PathGenerator> generator;  // paths carry `history` when there is one
    std::shared_ptr<const Path> history;
    std::vector<TimeSeries> series;  // universeSeries(), for the realised replay
};

// Builds the generator of a forward scenario without simulating (also used by `validate`).
ForwardModel buildForwardModel(const ScenarioSpec& spec, DataStore& data);

// Which series bounded the realised part of the horizon (RealisedOutcome::coverage, endedBy).
struct RealisedCoverage {
    std::vector<std::string> lines;
    std::string endedBy;
    std::optional<Date> rateLastObservation;  // a cash rate read from a file: its last row
};

// The realised part of the horizon: data after the start on the scenario's first T' days, for
// every asset (sleeves: their parent's, scaled), and the cash rate. It ends on the last day on
// which every asset has a close and the cash rate is within its staleness limit (no value is
// carried further). nullopt when data has no day after the start, some asset has no data (see
// above), or the scenario has no `cash_rate`. `coverage`, when given, says where each series
// ends and which ended the replay.
std::optional<Path> realisedPath(const ScenarioSpec& spec, const std::vector<TimeSeries>& series,
                                 const std::vector<Date>& dates, const Vector& start,
                                 DataStore& data, RealisedCoverage* coverage = nullptr);

}  // namespace rotor
