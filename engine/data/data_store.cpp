// SPDX-License-Identifier: MIT
#include "engine/data/data_store.hpp"

#include "engine/core/serial_worker.hpp"
#include "engine/data/sha256.hpp"

#include <filesystem>
#include <system_error>

namespace rotor {

namespace {

// The identity of a file: its canonical path when it exists, else the path as given (reading
// it then fails with the given name).
std::string canonical(const std::string& path) {
    std::error_code ec;
    const auto c = std::filesystem::canonical(path, ec);
    return ec ? path : c.string();
}

// A cache key: the reader, the file and every option that changes the result.
std::string key(const char* reader, const std::string& file, const std::string& column,
                const ReadWindow& w) {
    std::string k = reader;
    k += '\x1f';
    k += file;
    k += '\x1f';
    k += column;
    k += '\x1f';
    if (w.from) k += w.from->iso();
    k += w.keepPrevailing ? "+p" : "";
    return k;
}

}  // namespace

DataStore::DataStore(SerialWorker* hasher) : hasher_(hasher) {}

DataStore::~DataStore() {
    // A checksum still queued reads bytes this store owns: let it finish first.
    for (auto& [path, f] : files_)
        if (f.digest.valid()) f.digest.wait();
}

DataStore::File& DataStore::file(const std::string& path) {
    const std::string id = canonical(path);
    auto it = files_.find(id);
    if (it != files_.end()) return it->second;
    File f;
    f.path = path;
    f.text = readCsvText(path);
    if (hasher_) {
        std::shared_ptr<const std::string> bytes = f.text.bytes;
        f.digest = hasher_->submit([bytes] { return sha256Hex(*bytes); }).share();
    }
    order_.push_back(id);
    return files_.emplace(id, std::move(f)).first->second;
}

const CsvText& DataStore::text(const std::string& path) { return file(path).text; }

const TimeSeries& DataStore::series(const std::string& path, const std::string& column,
                                    const ReadWindow& window) {
    const std::string k = key("series", canonical(path), column, window);
    if (auto it = series_.find(k); it != series_.end()) return it->second;
    TimeSeries s = readSeries(text(path), column, window);
    return series_.emplace(k, std::move(s)).first->second;
}

const TimeSeries& DataStore::priceSeries(const std::string& path, const std::string& asset,
                                         const std::string& column, const ReadWindow& window) {
    const std::string k = key("price", canonical(path), column + '\x1f' + asset, window);
    if (auto it = series_.find(k); it != series_.end()) return it->second;
    TimeSeries s = readPriceSeries(text(path), asset, column, window);
    return series_.emplace(k, std::move(s)).first->second;
}

const std::vector<TimeSeries>& DataStore::columns(const std::string& path,
                                                  const std::vector<std::string>& names,
                                                  const ReadWindow& window) {
    std::string joined;
    for (const auto& n : names) joined += n + '\x1e';
    const std::string k = key("columns", canonical(path), joined, window);
    if (auto it = columns_.find(k); it != columns_.end()) return it->second;
    std::vector<TimeSeries> s = readColumns(text(path), names, window);
    return columns_.emplace(k, std::move(s)).first->second;
}

const PriceTable& DataStore::priceTable(const std::string& path,
                                        const PriceTableOptions& options) {
    std::string joined = options.requirePositive ? "+" : "-";
    for (const auto& n : options.columns) joined += n + '\x1e';
    const std::string k = key("table", canonical(path), joined, options.window);
    if (auto it = tables_.find(k); it != tables_.end()) return it->second;
    PriceTable t = readPriceTable(text(path), options);
    return tables_.emplace(k, std::move(t)).first->second;
}

std::vector<DataFileRecord> DataStore::records() {
    std::vector<DataFileRecord> out;
    out.reserve(order_.size());
    for (const auto& id : order_) {
        File& f = files_.at(id);
        out.push_back({f.path, f.digest.valid() ? f.digest.get() : sha256Hex(*f.text.bytes)});
    }
    return out;
}

}  // namespace rotor
