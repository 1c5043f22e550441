// SPDX-License-Identifier: MIT
// What a run will allocate, estimated from its specs before it starts, so that a run too big
// for the machine is refused up front (--max-memory) instead of dying of std::bad_alloc or
// the OOM killer half-way. An upper-leaning estimate of what grows with the inputs: paths x
// days x strategies x assets, threads; not the fixed cost of the program and its data files.
#pragma once

#include "engine/spec/scenario_spec.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rotor {

struct MemoryEstimate {
    std::uint64_t bytes = 0;  // saturates at UINT64_MAX instead of overflowing
    std::string detail;       // what drives it, e.g. "10000 paths x 253 days x 5 strategies"
};

// One cell (docs/cli.md, "Memory estimate", gives the formula).
MemoryEstimate estimateMemory(const ScenarioSpec& spec);

// Every cell of one scenario file: their results all stay in memory until the file is written.
MemoryEstimate estimateMemory(const std::vector<ScenarioSpec>& cells);

}  // namespace rotor
