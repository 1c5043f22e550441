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
        return strategies * days * (static_cast<double>(sim.paths) + kCellPaths);
    }
    // A window open at either end: about 20 years, as the bundled histories.
    return strategies *
           (cell.start && cell.end ? tradingDays(*cell.end - *cell.start) : 20 * 252.0);
}

std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks) {
    std::vector<unsigned> owner(cells.size(), kEveryRank);
    if (ranks <= 1) return owner;
    std::vector<double> cost(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) cost[i] = cellCost(cells[i]);
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    // A forward cell of more than a rank's share splits (one alone in its file always does, and
    // so fails as before when it has fewer paths than there are ranks).
    const auto split = [&](std::size_t i) {
        return cells[i].monteCarlo() && cost[i] * ranks > total;
    };
    for (std::size_t begin = 0; begin < cells.size();) {
        if (split(begin)) {
            ++begin;
            continue;
        }
        // The whole cells up to the next split one, cut into consecutive blocks of about equal
        // cost: each cell goes to the rank whose share its middle falls in, counted from the
        // first cell's rank (rank 0 runs its block in place: a cell alone goes to it).
        std::size_t end = begin;
        double segment = 0;
        for (; end < cells.size() && !split(end); ++end) segment += cost[end];
        double before = 0;
        for (std::size_t i = begin; i < end; ++i) {
            const double middle = (before + cost[i] / 2) / segment;
            owner[i] = std::min(ranks - 1, static_cast<unsigned>(middle * ranks));
            before += cost[i];
        }
        for (std::size_t i = end; i-- > begin;) owner[i] -= owner[begin];
        begin = end;
    }
    return owner;
}

}  // namespace rotor
