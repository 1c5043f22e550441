// SPDX-License-Identifier: MIT
// What the report's readers hold a file's datasets in: compound tables field by field, and
// row-major matrices. No HDF5 types here.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace rotor::report {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A compound dataset read field by field: numeric fields (any integer or float type) as doubles,
// string fields (fixed or variable length) as strings. `fields` keeps the file's order.
struct RecordTable {
    std::size_t rows = 0;
    std::vector<std::string> fields;
    std::map<std::string, std::vector<double>> numbers;
    std::map<std::string, std::vector<std::string>> strings;

    bool hasNumber(const std::string& field) const { return numbers.contains(field); }
    // NaN / "" when the field does not exist.
    double number(const std::string& field, std::size_t row) const;
    std::string text(const std::string& field, std::size_t row) const;
};

// A rows x cols float64 dataset, row-major.
struct Grid {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> data;
    double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
};

}  // namespace rotor::report
