// SPDX-License-Identifier: MIT
// The synthetic benchmark universe: N assets of geometric Brownian motion on business days.
#pragma once

#include "engine/scenario/path.hpp"

#include <string>

namespace rotor::bench {

// N assets x T business days (Mon-Fri from 2000-01-03), GBM with drift 7%/yr and vol 20%/yr,
// fixed seed; cash rate constant 2%.
Path syntheticPath(Index assets, Index days, unsigned long long seed);
Universe syntheticUniverse(Index assets);  // A00, A01, ...
// Writes the path's prices as a wide CSV (date,A00,A01,...).
void writeWideCsv(const Path& path, const Universe& universe, const std::string& file);

}  // namespace rotor::bench
