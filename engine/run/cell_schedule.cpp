// SPDX-License-Identifier: MIT
#include "engine/run/cell_schedule.hpp"

#include <algorithm>
#include <numeric>

namespace rotor {

namespace {

// Trading days in `calendarDays` calendar days (252 a year).
double tradingDays(int calendarDays) { return std::max(1.0, calendarDays * 252.0 / 365.0); }

}  // namespace

double cellCost(const ScenarioSpec& cell) {
    const auto strategies = static_cast<double>(std::max<std::size_t>(1, cell.strategies.size()));
    if (cell.monteCarlo()) {
        const SimulationSpec& sim = *cell.simulation;
        const double days = sim.end ? tradingDays(*sim.end - sim.start)
                                    : static_cast<double>(sim.horizonDays);
        return strategies * days * static_cast<double>(sim.paths);
    }
    // A window open at either end: about 20 years, as the bundled histories.
    const double days = cell.start && cell.end ? tradingDays(*cell.end - *cell.start) : 20 * 252.0;
    return strategies * days;
}

std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks) {
    std::vector<unsigned> owner(cells.size(), kEveryRank);
    if (ranks <= 1) return owner;
    std::vector<double> cost(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) cost[i] = cellCost(cells[i]);
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    std::vector<std::size_t> whole;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        // A forward cell of more than a rank's share splits (one alone in its file always does,
        // and so fails as before when it has fewer paths than there are ranks).
        const bool split = cells[i].monteCarlo() && cost[i] * ranks > total;
        if (!split) whole.push_back(i);
    }
    // Largest first, each to the least loaded rank (the lowest of equals): the longest
    // processing time rule, within 4/3 of the best balance.
    std::stable_sort(whole.begin(), whole.end(),
                     [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    std::vector<double> load(ranks, 0.0);
    for (std::size_t i : whole) {
        const auto r = static_cast<unsigned>(std::min_element(load.begin(), load.end()) -
                                             load.begin());
        owner[i] = r;
        load[r] += cost[i];
    }
    return owner;
}

}  // namespace rotor
