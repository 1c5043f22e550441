// SPDX-License-Identifier: MIT
// Helpers for the strategy tests: hand-made paths, a day-by-day driver that records every
// decision, a perturbation of everything after a day (for no-look-ahead checks) and YAML
// construction through the built-in registry.
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/scenario/path.hpp"
#include "engine/strategy/strategy.hpp"

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace rotor::test {

// Consecutive weekdays (Mon..Fri) starting at `first`, `count` of them.
std::vector<Date> weekdays(Date first, int count);

// A path from rows of prices (one row per day) and one cash rate per day (annual percent).
Path makePath(const std::vector<Date>& dates,
              std::initializer_list<std::initializer_list<double>> rows,
              const std::vector<double>& rates);

// A deterministic random walk over weekdays from 2023-12-20 (crossing month, quarter and year
// ends): prices move up to +-3% a day, the cash rate wanders around 3% and can turn negative.
Path randomPath(int days, int assets, unsigned seed);

// One day's decision: whether the strategy traded and, if so, its target weights.
struct Decision {
    bool traded = false;
    Vector target;
};

// Runs `strategy` over `path` day by day the way the engine does: start(dates), then
// rebalance(t) with the current weights of a frictionless portfolio (cash earns nothing) that
// trades to each target at that day's close.
std::vector<Decision> runDecisions(Strategy& strategy, const Path& path);

// How many different target vectors the traded days hold (to show a test exercises choices).
int distinctTargets(const std::vector<Decision>& decisions);

// Days with traded == true.
std::vector<Index> tradedDays(const std::vector<Decision>& decisions);

// A copy of `path` whose prices and cash rates after day t are scrambled (deterministically),
// so any decision up to t that depended on them would change.
Path perturbAfter(const Path& path, Index t);

// Checks, for every t, that the decisions on days 0..t are identical on `path` and on
// perturbAfter(path, t). Uses fresh strategies from `make` each time.
void expectNoLookAhead(const std::function<std::unique_ptr<Strategy>()>& make, const Path& path);

// Builds the strategy described by YAML `text` (one strategy map) with the built-in registry,
// as if read from "test.yaml".
std::unique_ptr<Strategy> strategyFromYaml(const std::string& text, const Universe& universe);

// Runs strategyFromYaml and returns the ConfigError's message ("" when nothing was thrown).
std::string yamlError(const std::string& text, const Universe& universe);

// Expects `target` == `expected` element-wise within 1e-12.
void expectWeights(const Vector& target, std::initializer_list<double> expected,
                   const std::string& where);

}  // namespace rotor::test
