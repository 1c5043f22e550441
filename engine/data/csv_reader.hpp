// SPDX-License-Identifier: MIT
// Strict readers for dated CSV files (`date,<col>,...`): every problem is a rotor::DataError
// carrying the file and 1-based line, so bad data stops a run before any computation.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/types.hpp"
#include "engine/data/time_series.hpp"

#include <string>
#include <vector>

namespace rotor {

// Accepted format (see docs/data.md): a header whose first cell is `date` (any case) followed by
// unique, non-empty column names; then one row per date, `YYYY-MM-DD` strictly ascending, every
// row with as many cells as the header. Cells are unquoted; spaces around a cell are ignored.
// Only the selected columns' cells must be numbers, finite and non-empty. LF or CRLF line
// endings, an optional trailing newline and an optional UTF-8 byte-order mark are accepted.

// Reads one column. With `column` empty the file must have exactly one value column (a
// `date,value` file); otherwise the named column is read. The series' name is the column name.
TimeSeries readSeries(const std::string& file, const std::string& column = "");

// Reads several columns in one pass, returned in the order of `columns`.
std::vector<TimeSeries> readColumns(const std::string& file,
                                    const std::vector<std::string>& columns);

// As readSeries, but values must be > 0 (a price) and the series is named `asset`.
TimeSeries readPriceSeries(const std::string& file, const std::string& asset,
                           const std::string& column = "");

// A wide price table `date,A,B,C,...`, one column per asset.
struct PriceTable {
    std::string file;
    std::vector<Date> dates;          // T, strictly ascending
    std::vector<std::string> assets;  // N column names, in the order read
    PriceMatrix prices;               // T x N, row-major
};

struct PriceTableOptions {
    // Columns to read, in this order; empty reads every column in file order.
    std::vector<std::string> columns;
    // Refuse zero and negative values (prices); off for tables of returns or spreads.
    bool requirePositive = true;
};

PriceTable readPriceTable(const std::string& file, const PriceTableOptions& options = {});

}  // namespace rotor
