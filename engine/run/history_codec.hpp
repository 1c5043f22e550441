// SPDX-License-Identifier: MIT
// A historical cell's run as bytes, to send it from the MPI rank that ran it to rank 0, which
// writes it (engine/run/cell_schedule.hpp, docs/cluster.md). Every field travels, bit for bit.
#pragma once

#include "engine/results/results.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace rotor {

struct HistoryCell {
    std::vector<std::string> digests;  // checksums of the data files the cell read, in order
    ScenarioRun run;
    std::vector<std::size_t> order;  // strategies in the order they finished (benchmark first)
};

std::vector<char> encodeHistoryCell(const HistoryCell& cell);
// Throws rotor::InputError ("history cell bytes: ...") when the bytes do not decode.
HistoryCell decodeHistoryCell(const std::vector<char>& bytes);

}  // namespace rotor
