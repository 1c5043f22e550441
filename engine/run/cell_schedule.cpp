// SPDX-License-Identifier: MIT
#include "engine/run/cell_schedule.hpp"

#include <algorithm>

namespace rotor {

namespace {

// Trading days in `calendarDays` calendar days (252 a year).
double tradingDays(int calendarDays) { return std::max(1.0, calendarDays * 252.0 / 365.0); }

// Strategies x trading days: the cost of one path of the cell.
double pathCost(const ScenarioSpec& cell) {
    const auto strategies = static_cast<double>(std::max<std::size_t>(1, cell.strategies.size()));
    if (cell.monteCarlo()) {
        const SimulationSpec& sim = *cell.simulation;
        return strategies *
               (sim.end ? tradingDays(*sim.end - sim.start) : static_cast<double>(sim.horizonDays));
    }
    // A window open at either end: about 20 years, as the bundled histories.
    return strategies *
           (cell.start && cell.end ? tradingDays(*cell.end - *cell.start) : 20 * 252.0);
}

}  // namespace

double cellCost(const ScenarioSpec& cell) {
    if (!cell.monteCarlo()) return pathCost(cell);
    return pathCost(cell) * (static_cast<double>(cell.simulation->paths) + kCellPaths);
}

double writeCost(const ScenarioSpec& cell) {
    if (!cell.monteCarlo()) return kWriteHistory * cellCost(cell);
    return pathCost(cell) *
           (kCellPaths + kWritePerPath * static_cast<double>(cell.simulation->paths));
}

std::vector<unsigned> scheduleCells(const std::vector<ScenarioSpec>& cells, unsigned ranks) {
    std::vector<unsigned> owner(cells.size(), kEveryRank);
    if (ranks <= 1) return owner;
    std::vector<double> cost(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) cost[i] = cellCost(cells[i]);
    // The estimated time rank 0 has written the cells so far, and each other rank is free.
    double written = 0;
    std::vector<double> free(ranks, 0.0);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        // A forward cell splits whenever every rank gets a path of it: measured on two ranks
        // (docs/performance.md, "Cells to ranks"), split cells beat whole ones from 2,000 paths
        // a cell up and tie at 200, since rank 0 rebuilds the model of a cell another rank ran
        // whole. A file's only cell splits whatever its paths, and so fails as before when it
        // has fewer paths than there are ranks.
        if (cells[i].monteCarlo() && (cells[i].simulation->paths >= ranks || cells.size() == 1)) {
            written = std::max(written, *std::max_element(free.begin() + 1, free.end())) +
                      cost[i] / ranks;
            std::fill(free.begin(), free.end(), written);
            continue;
        }
        // Rank 0 runs it in place after the cells before it; another rank computes it when
        // free, and rank 0 writes it once both are done (the rank is free again then).
        unsigned best = 0;
        double end = written + cost[i];
        for (unsigned r = 1; r < ranks; ++r) {
            const double there = std::max(written, free[r] + cost[i]) + writeCost(cells[i]);
            if (there < end) {
                best = r;
                end = there;
            }
        }
        owner[i] = best;
        written = end;
        if (best != 0) free[best] = end;
    }
    return owner;
}

}  // namespace rotor
