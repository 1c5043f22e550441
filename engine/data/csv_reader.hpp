// SPDX-License-Identifier: MIT
// Strict readers for dated CSV files (`date,<col>,...`): every problem is a rotor::DataError
// carrying the file and 1-based line, so bad data stops a run before any computation.
#pragma once

#include "engine/core/date.hpp"
#include "engine/core/input_file.hpp"
#include "engine/core/types.hpp"
#include "engine/data/time_series.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// Accepted format (see docs/data.md): a header whose first cell is `date` (any case) or FRED's
// `observation_date`, followed by unique, non-empty column names; then one row per date,
// `YYYY-MM-DD` strictly ascending, every row with as many cells as the header. Cells are
// unquoted; spaces around a cell are ignored. Only the selected columns' cells must be numbers,
// finite and non-empty, or missing under a MissingPolicy that accepts it. LF or CRLF line
// endings, an optional trailing newline and an optional UTF-8 byte-order mark are accepted.
// So FRED downloads (`observation_date,DFF`, `.` for missing) and Yahoo Finance downloads
// (`Date,Open,High,Low,Close,Adj Close,Volume`, `null` for missing) read as they are.

// What a missing value in a selected column does: an empty cell, `.` (FRED) or `null` (Yahoo).
enum class MissingPolicy {
    Error,  // a DataError at its line (the default: nothing is filled without being asked)
    Skip,   // the row is dropped (every selected column of it)
    Ffill,  // the column's previous value is carried forward; rows before any value are dropped
};
// "error", "skip", "ffill"; nullopt for anything else.
std::optional<MissingPolicy> parseMissingPolicy(const std::string& name);
const char* missingPolicyName(MissingPolicy policy);

// Which rows to keep. By default every row; with `from`, a run that needs 2000-2025 out of a
// file going back to 1926 parses the numbers of its window only.
struct ReadWindow {  // and how to treat missing values in them
    // Keep rows dated on or after `from`. Every row of the file is still checked for its cell
    // count, its date (format, existence, strict ascent) and blank lines; only the numbers of
    // rows not kept are neither parsed nor checked (a malformed value before the window is not
    // an error, as it is never used).
    std::optional<Date> from;
    // Also keep the last row dated before `from`: the observation still prevailing on `from`,
    // which forward-filling a rate to `from` needs.
    bool keepPrevailing = false;
    // Missing values in the kept rows' selected columns (applied after `from`/`keepPrevailing`
    // chose the rows; a prevailing row that is missing is dropped like any other).
    MissingPolicy missing = MissingPolicy::Error;
};

// The bytes of one data file, read from disk once; every reader below also takes this form, so
// the bytes a run parses are the bytes it checksums (engine/data/data_store.hpp).
struct CsvText {
    std::string file;                          // the name messages use
    std::shared_ptr<const std::string> bytes;  // never null
    FileId id;                                 // of the file read (zero for text made in memory)
};
// DataError for a missing file, anything but a regular file (a directory, a FIFO, a device), a
// file over the data size limit (inputLimits().maxDataBytes) or a read error.
CsvText readCsvText(const std::string& file);
// How many files this process has read from disk so far (every reader goes through
// readCsvText): tests compare it before and after a run to count reads.
std::size_t dataFileReads();

// Reads one column. With `column` empty the file must have exactly one value column (a
// `date,value` file); otherwise the named column is read. The series' name is the column name.
// Within a window, a file without a kept row is a DataError ("no data rows on or after ...").
TimeSeries readSeries(const std::string& file, const std::string& column = "",
                      const ReadWindow& window = {});
TimeSeries readSeries(const CsvText& text, const std::string& column = "",
                      const ReadWindow& window = {});

// Reads several columns in one pass, returned in the order of `columns`.
std::vector<TimeSeries> readColumns(const std::string& file,
                                    const std::vector<std::string>& columns,
                                    const ReadWindow& window = {});
std::vector<TimeSeries> readColumns(const CsvText& text, const std::vector<std::string>& columns,
                                    const ReadWindow& window = {});

// As readSeries, but values must be > 0 (a price) and the series is named `asset`.
TimeSeries readPriceSeries(const std::string& file, const std::string& asset,
                           const std::string& column = "", const ReadWindow& window = {});
TimeSeries readPriceSeries(const CsvText& text, const std::string& asset,
                           const std::string& column = "", const ReadWindow& window = {});

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
    // Rows to keep (see ReadWindow); positivity is checked on kept rows only.
    ReadWindow window;
};

PriceTable readPriceTable(const std::string& file, const PriceTableOptions& options = {});
PriceTable readPriceTable(const CsvText& text, const PriceTableOptions& options = {});

}  // namespace rotor
