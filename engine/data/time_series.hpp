// SPDX-License-Identifier: MIT
// One dated column of numbers as read from a file: the unit the data stage hands to alignment.
#pragma once

#include "engine/core/date.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace rotor {

// Invariants when produced by the CSV readers: dates ascend strictly, dates.size() ==
// values.size() >= 1, every value is finite (and > 0 for price readers).
struct TimeSeries {
    std::string name;  // column name, or the asset name for price series
    std::string file;  // where it was read from ("" for hand-made series); used in messages
    std::vector<Date> dates;
    std::vector<double> values;

    std::size_t size() const { return dates.size(); }
    bool empty() const { return dates.empty(); }
    Date firstDate() const { return dates.front(); }  // precondition: !empty()
    Date lastDate() const { return dates.back(); }    // precondition: !empty()
};

}  // namespace rotor
