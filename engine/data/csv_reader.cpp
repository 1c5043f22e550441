// SPDX-License-Identifier: MIT
// One-pass CSV parsing over the whole file held in memory: no per-cell allocation, plain numbers
// by an exact fast path (others by std::from_chars), and a DataError with file:line for the
// first problem found.
#include "engine/data/csv_reader.hpp"

#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/data/fast_decimal.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

namespace rotor {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Cells quoted in messages are cut here so an error stays one readable line.
constexpr std::size_t kMaxQuoted = 40;

std::string quoted(std::string_view cell) {
    std::string out = "'";
    if (cell.size() > kMaxQuoted) {
        out.append(cell.substr(0, kMaxQuoted));
        out.append("...");
    } else {
        out.append(cell);
    }
    out.push_back('\'');
    return out;
}

// Column lists in messages stop after a dozen names, so a header of a million columns still
// gives a one-line error.
std::string joined(const std::vector<std::string>& names, std::string_view sep = ", ") {
    constexpr std::size_t kMaxListed = 12;
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i) {
        if (i > 0) out.append(sep);
        out.append(names[i].size() > kMaxQuoted ? names[i].substr(0, kMaxQuoted) + "..."
                                                : names[i]);
    }
    if (names.size() > kMaxListed)
        out.append(std::string(sep) + "... (" + std::to_string(names.size()) + " columns)");
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// An empty cell, FRED's '.' or Yahoo's 'null'.
bool isMissingMarker(std::string_view cell) {
    return cell.empty() || cell == "." || cell == "null";
}

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// Applies a Skip or Ffill policy to rows parsed with missing cells as NaN (a parsed number is
// never NaN: number() refuses it), keeping the rows left complete, in order.
void applyMissing(MissingPolicy policy, std::size_t width, std::vector<Date>& dates,
                  std::vector<double>& values) {
    std::vector<double> last(width, kMissing);
    std::size_t kept = 0;
    for (std::size_t r = 0; r < dates.size(); ++r) {
        double* row = values.data() + r * width;
        bool complete = true;
        for (std::size_t c = 0; c < width; ++c) {
            if (!std::isnan(row[c])) {
                last[c] = row[c];
            } else if (policy == MissingPolicy::Ffill && !std::isnan(last[c])) {
                row[c] = last[c];
            } else {
                complete = false;
            }
        }
        if (!complete) continue;
        dates[kept] = dates[r];
        std::copy(row, row + width, values.data() + kept * width);
        ++kept;
    }
    dates.resize(kept);
    values.resize(kept * width);
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; };
               return lower(x) == lower(y);
           });
}

// The file's bytes, read once: a regular file (never a FIFO or a device) within the data size
// limit (engine/core/input_file.hpp).
FileBytes readWholeFile(const std::string& file) {
    try {
        return readRegularFile(file, inputLimits().maxDataBytes, "--max-data-size");
    } catch (const FileReadError& e) {
        throw DataError(file, 0, e.reason());
    }
}

// The file after the header line has been read; parse() walks the data rows.
class CsvFile {
public:
    explicit CsvFile(const CsvText& text) : file_(text.file), text_(text.bytes) {
        std::string_view all = *text_;
        if (all.substr(0, kBom.size()) == kBom) all.remove_prefix(kBom.size());
        if (all.find_first_not_of(" \t\r\n") == std::string_view::npos)
            throw DataError(file_, 0,
                            "file is empty (expected a header line starting with 'date')");
        const std::size_t eol = all.find('\n');
        std::string_view header = all.substr(0, eol);
        body_ = eol == std::string_view::npos ? std::string_view() : all.substr(eol + 1);
        if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
        parseHeader(header);
    }

    const std::string& file() const { return file_; }
    const std::vector<std::string>& columns() const { return columns_; }

    // Index of the value column `name`; a DataError at the header naming the columns if absent.
    std::size_t column(const std::string& name) const {
        const auto it = std::find(columns_.begin(), columns_.end(), name);
        if (it == columns_.end())
            throw DataError(file_, 1,
                            "no column '" + name + "' (columns: " + joined(columns_) + ")");
        return static_cast<std::size_t>(it - columns_.begin());
    }

    // The one value column of a `date,value` file, or the named one.
    std::size_t singleOrNamed(const std::string& name) const {
        if (!name.empty()) return column(name);
        if (columns_.size() != 1)
            throw DataError(file_, 1,
                            std::to_string(columns_.size()) + " value columns (" +
                                joined(columns_) + "); name the column to read");
        return 0;
    }

    // Parses the data rows, keeping those `window` selects and their value columns `selected`
    // (in that order) row-major in `values`: T x selected.size().
    void parse(const std::vector<std::size_t>& selected, bool requirePositive,
               const ReadWindow& window, std::vector<Date>& dates,
               std::vector<double>& values) const {
        std::vector<std::size_t> slot(columns_.size(), kSkip);
        for (std::size_t k = 0; k < selected.size(); ++k) {
            if (slot[selected[k]] != kSkip)
                throw InputError(file_ + ": column '" + columns_[selected[k]] +
                                 "' requested twice");
            slot[selected[k]] = k;
        }
        const std::size_t width = selected.size();
        const std::size_t commas = columns_.size();
        dates.clear();
        values.clear();

        long line = 1;
        bool started = !window.from;  // inside the window: numbers are parsed and kept
        bool reserved = false;
        Date previous;                // date of the row before, for the strict-ascent check
        bool any = false;             // whether `previous` is set
        std::string_view prevailing;  // last row before the window (keepPrevailing)
        long prevailingLine = 0;
        const char* pos = body_.data();
        const char* const end = pos + body_.size();
        while (pos != end) {
            ++line;
            const auto* nl = static_cast<const char*>(
                std::memchr(pos, '\n', static_cast<std::size_t>(end - pos)));
            const char* rowEnd = nl != nullptr ? nl : end;
            std::string_view row(pos, static_cast<std::size_t>(rowEnd - pos));
            pos = nl != nullptr ? nl + 1 : end;
            if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
            if (trim(row).empty()) {
                // Blank lines are tolerated only at the very end of the file.
                const std::string_view rest(pos, static_cast<std::size_t>(end - pos));
                if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) break;
                fail(line, "empty line");
            }
            if (countCommas(row) != commas)
                fail(line, "expected " + std::to_string(commas + 1) + " cells (date," +
                               joined(columns_, ",") + "), found " +
                               std::to_string(countCommas(row) + 1));

            const std::size_t dateEnd = row.find(',');
            const std::string_view dateCell = trim(row.substr(0, dateEnd));
            const auto date = Date::parseIso(dateCell);
            if (!date)
                fail(line, "malformed date " + quoted(dateCell) +
                               " (expected an existing date as YYYY-MM-DD)");
            if (any && !(*date > previous))
                fail(line, "date " + date->iso() + " is not after " + previous.iso() +
                               " (dates must ascend strictly)");
            previous = *date;
            any = true;

            if (!started) {
                if (*date < *window.from) {
                    // Under skip or ffill the prevailing row is the last one with every selected
                    // value present: what the series holds before `from` once missing rows go.
                    if (window.missing == MissingPolicy::Error || complete(row, slot)) {
                        prevailing = row;
                        prevailingLine = line;
                    }
                    continue;
                }
                started = true;
                if (window.keepPrevailing && prevailingLine > 0) {
                    Date before = *Date::parseIso(trim(prevailing.substr(0, prevailing.find(','))));
                    keepRow(prevailing, prevailingLine, before, slot, width, requirePositive,
                            window.missing, dates, values);
                }
            }
            if (!reserved) {
                // One allocation for the rest of the file, assuming rows about this long.
                const auto rows = static_cast<std::size_t>(end - pos) / (row.size() + 1) + 2;
                dates.reserve(dates.size() + rows);
                values.reserve(values.size() + rows * width);
                reserved = true;
            }
            keepRow(row, line, *date, slot, width, requirePositive, window.missing, dates, values);
        }
        if (!started && window.keepPrevailing && prevailingLine > 0) {
            // Every row is before `from`: the last one still prevails on `from`.
            const Date before = *Date::parseIso(trim(prevailing.substr(0, prevailing.find(','))));
            keepRow(prevailing, prevailingLine, before, slot, width, requirePositive,
                    window.missing, dates, values);
        }
        if (window.missing != MissingPolicy::Error)
            applyMissing(window.missing, width, dates, values);
        if (dates.empty()) {
            if (!any || !window.from) throw DataError(file_, 0, "no data rows after the header");
            throw DataError(file_, 0,
                            "no data rows on or after " + window.from->iso() + " (the file ends " +
                                previous.iso() + ")");
        }
    }

private:
    static constexpr std::size_t kSkip = static_cast<std::size_t>(-1);

    void parseHeader(std::string_view header) {
        std::size_t begin = 0;
        std::size_t index = 0;
        // Column name -> header cell: a hash lookup per cell keeps a header of a million
        // columns linear (a scan of the columns so far made it quadratic).
        std::unordered_map<std::string_view, std::size_t> seen;
        while (true) {
            const std::size_t end = header.find(',', begin);
            const std::string_view cell = trim(header.substr(begin, end - begin));
            ++index;
            if (index == 1) {
                if (!equalsNoCase(cell, "date") && cell != "observation_date")
                    fail(1, "first header cell must be 'date', found " + quoted(cell));
            } else {
                if (cell.empty()) fail(1, "header cell " + std::to_string(index) + " is empty");
                const auto [dup, fresh] = seen.emplace(cell, index);
                if (!fresh)
                    fail(1, "column " + quoted(cell) + " appears twice in the header (cells " +
                                std::to_string(dup->second) + " and " + std::to_string(index) +
                                ")");
                columns_.emplace_back(cell);
            }
            if (end == std::string_view::npos) break;
            begin = end + 1;
        }
        if (columns_.empty()) fail(1, "header has a 'date' column but no value columns");
    }

    // Commas in `row`, eight bytes at a time: the cell count of every row is checked, and most
    // rows of a long history are only counted and dated, not parsed.
    static std::size_t countCommas(std::string_view row) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
        constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
        std::size_t n = 0;
        std::size_t i = 0;
        for (; i + 8 <= row.size(); i += 8) {
            std::uint64_t word = 0;
            std::memcpy(&word, row.data() + i, 8);
            // Exact zero-byte test (no false positives): high bit set where a byte was ','.
            const std::uint64_t x = word ^ (kOnes * static_cast<unsigned char>(','));
            const std::uint64_t zero = ~(((x & kLow7) + kLow7) | x | kLow7) & kHigh;
            // Count the flags by multiplication: std::popcount is a library call without -mpopcnt.
            n += static_cast<std::size_t>(((zero >> 7) * kOnes) >> 56);
        }
        for (; i < row.size(); ++i)
            if (row[i] == ',') ++n;
        return n;
    }

    // Whether none of the row's selected cells is a missing marker.
    bool complete(std::string_view row, const std::vector<std::size_t>& slot) const {
        std::size_t begin = row.find(',') + 1;
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const std::size_t end = std::min(row.find(',', begin), row.size());
            if (slot[c] != kSkip && isMissingMarker(trim(row.substr(begin, end - begin))))
                return false;
            begin = end + 1;
        }
        return true;
    }

    // Appends one row's date and selected values. Cells are read where they start: the exact
    // fast path parses a plain number directly followed by its comma (or the row's end); any
    // other cell (spaces, exponents, errors) goes through number() and std::from_chars.
    void keepRow(std::string_view row, long line, Date date, const std::vector<std::size_t>& slot,
                 std::size_t width, bool requirePositive, MissingPolicy missing,
                 std::vector<Date>& dates, std::vector<double>& values) const {
        dates.push_back(date);
        const std::size_t base = values.size();
        values.resize(base + width);
        double* out = values.data() + base;
        const char* const rowEnd = row.data() + row.size();
        const char* p = static_cast<const char*>(std::memchr(row.data(), ',', row.size()));
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const char* cell = p + 1;  // the row has exactly columns_.size() commas
            const auto* comma = static_cast<const char*>(
                std::memchr(cell, ',', static_cast<std::size_t>(rowEnd - cell)));
            const char* cellEnd = comma != nullptr ? comma : rowEnd;
            p = cellEnd;
            if (slot[c] == kSkip) continue;
            double v = 0.0;
            const char* stop = parseDecimalFast(cell, cellEnd, v);
            if (stop == cellEnd && (!requirePositive || v > 0.0)) {
                out[slot[c]] = v;
                continue;
            }
            const std::string_view text(cell, static_cast<std::size_t>(cellEnd - cell));
            out[slot[c]] = number(line, c, trim(text), requirePositive, missing);
        }
    }

    double number(long line, std::size_t column, std::string_view cell, bool requirePositive,
                  MissingPolicy missing) const {
        const std::string& name = columns_[column];
        if (isMissingMarker(cell)) {
            if (missing != MissingPolicy::Error) return kMissing;  // resolved by applyMissing
            if (cell.empty()) fail(line, "column '" + name + "': empty cell");
            fail(line, "column '" + name + "': missing value " + quoted(cell) +
                           " (missing: error; `missing: skip` drops such rows, `missing: ffill` "
                           "carries the previous value)");
        }
        double v = 0.0;
        const char* first = cell.data();
        const char* last = first + cell.size();
        const auto [ptr, ec] = std::from_chars(first, last, v);
        if (ec == std::errc::invalid_argument || ptr != last)
            fail(line, "column '" + name + "': " + quoted(cell) + " is not a number");
        if (ec == std::errc::result_out_of_range)
            fail(line, "column '" + name + "': " + quoted(cell) + " is out of range");
        // from_chars accepts "nan" and "inf": they parse but are refused here.
        if (!std::isfinite(v))
            fail(line, "column '" + name + "': value " + quoted(cell) + " is not finite");
        if (requirePositive && !(v > 0.0))
            fail(line, "column '" + name + "': price " + quoted(cell) + " is not positive");
        return v;
    }

    [[noreturn]] void fail(long line, const std::string& msg) const {
        throw DataError(file_, line, msg);
    }

    std::string file_;
    std::shared_ptr<const std::string> text_;
    std::string_view body_;             // into *text_: everything after the header line
    std::vector<std::string> columns_;  // value columns (the header without 'date')
};

std::vector<TimeSeries> splitColumns(const CsvFile& csv, const std::vector<std::size_t>& selected,
                                     std::vector<Date>& dates, const std::vector<double>& values) {
    const std::size_t width = selected.size();
    const std::size_t rows = dates.size();
    std::vector<TimeSeries> out(width);
    for (std::size_t k = 0; k < width; ++k) {
        TimeSeries& s = out[k];
        s.name = csv.columns()[selected[k]];
        s.file = csv.file();
        s.values.resize(rows);
        for (std::size_t r = 0; r < rows; ++r) s.values[r] = values[r * width + k];
        // The last column takes the dates; the others copied them before.
        if (k + 1 == width)
            s.dates = std::move(dates);  // NOLINT(bugprone-use-after-move): moved on the last pass
        else
            s.dates = dates;
    }
    return out;
}

TimeSeries readOne(const CsvText& text, const std::string& column, bool requirePositive,
                   const ReadWindow& window) {
    const CsvFile csv(text);
    const std::size_t index = csv.singleOrNamed(column);
    TimeSeries s;
    csv.parse({index}, requirePositive, window, s.dates, s.values);
    s.name = csv.columns()[index];
    s.file = text.file;
    return s;
}

}  // namespace

namespace {
std::atomic<std::size_t> gFileReads{0};
}

std::optional<MissingPolicy> parseMissingPolicy(const std::string& name) {
    if (name == "error") return MissingPolicy::Error;
    if (name == "skip") return MissingPolicy::Skip;
    if (name == "ffill") return MissingPolicy::Ffill;
    return std::nullopt;
}

const char* missingPolicyName(MissingPolicy policy) {
    switch (policy) {
        case MissingPolicy::Skip: return "skip";
        case MissingPolicy::Ffill: return "ffill";
        case MissingPolicy::Error: break;
    }
    return "error";
}

CsvText readCsvText(const std::string& file) {
    gFileReads.fetch_add(1, std::memory_order_relaxed);
    FileBytes read = readWholeFile(file);
    return {file, std::make_shared<const std::string>(std::move(read.bytes)), read.id};
}

std::size_t dataFileReads() { return gFileReads.load(std::memory_order_relaxed); }

TimeSeries readSeries(const CsvText& text, const std::string& column, const ReadWindow& window) {
    return readOne(text, column, false, window);
}

TimeSeries readSeries(const std::string& file, const std::string& column,
                      const ReadWindow& window) {
    return readSeries(readCsvText(file), column, window);
}

TimeSeries readPriceSeries(const CsvText& text, const std::string& asset, const std::string& column,
                           const ReadWindow& window) {
    TimeSeries s = readOne(text, column, true, window);
    s.name = asset;
    return s;
}

TimeSeries readPriceSeries(const std::string& file, const std::string& asset,
                           const std::string& column, const ReadWindow& window) {
    return readPriceSeries(readCsvText(file), asset, column, window);
}

std::vector<TimeSeries> readColumns(const std::string& file,
                                    const std::vector<std::string>& columns,
                                    const ReadWindow& window) {
    return readColumns(readCsvText(file), columns, window);
}

std::vector<TimeSeries> readColumns(const CsvText& text, const std::vector<std::string>& columns,
                                    const ReadWindow& window) {
    const CsvFile csv(text);
    const std::string& file = text.file;
    if (columns.empty()) throw InputError(file + ": no columns requested");
    std::vector<std::size_t> selected;
    selected.reserve(columns.size());
    for (const auto& name : columns) selected.push_back(csv.column(name));
    std::vector<Date> dates;
    std::vector<double> values;
    csv.parse(selected, false, window, dates, values);
    return splitColumns(csv, selected, dates, values);
}

PriceTable readPriceTable(const std::string& file, const PriceTableOptions& options) {
    return readPriceTable(readCsvText(file), options);
}

PriceTable readPriceTable(const CsvText& text, const PriceTableOptions& options) {
    const CsvFile csv(text);
    const std::string& file = text.file;
    std::vector<std::size_t> selected;
    if (options.columns.empty()) {
        selected.resize(csv.columns().size());
        for (std::size_t k = 0; k < selected.size(); ++k) selected[k] = k;
    } else {
        selected.reserve(options.columns.size());
        for (const auto& name : options.columns) selected.push_back(csv.column(name));
    }
    PriceTable table;
    table.file = file;
    std::vector<double> values;
    csv.parse(selected, options.requirePositive, options.window, table.dates, values);
    for (const std::size_t k : selected) table.assets.push_back(csv.columns()[k]);
    const auto rows = static_cast<Index>(table.dates.size());
    const auto cols = static_cast<Index>(selected.size());
    table.prices = Eigen::Map<const PriceMatrix>(values.data(), rows, cols);
    return table;
}

}  // namespace rotor
