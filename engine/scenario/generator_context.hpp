// SPDX-License-Identifier: MIT
// What every path-generator builder receives from the scenario: the universe, the forward
// trading days, the start prices, the seed, the rate path and the data cut-off.
#pragma once

#include "engine/scenario/path.hpp"
#include "engine/scenario/rate_path.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace rotor {

struct GeneratorContext {
    Universe universe;
    std::vector<Date> dates;  // T forward trading days (NYSE calendar); dates[0] = start
    Vector startPrices;       // N, prices on day 0
    std::uint64_t seed = 0;
    // The policy-rate path model of the scenario (never null in a forward scenario).
    std::shared_ptr<const RatePathModel> rate;
    // No data dated after this day may be read (calibration and analog windows included):
    // a forward scenario must not see its own future.
    Date dataCutoff;
};

}  // namespace rotor
