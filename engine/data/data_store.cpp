// SPDX-License-Identifier: MIT
#include "engine/data/data_store.hpp"

#include "engine/core/error.hpp"
#include "engine/core/serial_worker.hpp"
#include "engine/data/sha256.hpp"

#include <algorithm>
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
    k += '\x1f';
    k += missingPolicyName(w.missing);
    return k;
}

}  // namespace

DataStore::DataStore(SerialWorker* hasher) : hasher_(hasher) {}

DataStore::~DataStore() {
    // A checksum still queued reads bytes this store owns: let it finish first.
    for (auto& [path, f] : files_)
        if (f.digest.valid()) f.digest.wait();
}

void DataStore::used(const std::string& id) {
    if (std::find(cell_.begin(), cell_.end(), id) == cell_.end()) cell_.push_back(id);
}

DataStore::File& DataStore::file(const std::string& path) {
    const std::string id = canonical(path);
    auto it = files_.find(id);
    if (it != files_.end()) {
        used(id);
        return it->second;
    }
    File f;
    f.path = path;
    f.text = readCsvText(path);
    for (const auto& out : outputs_)
        if (out.id == f.text.id)
            throw InputError("data file " + path + " is the output " + out.path +
                             " of this run; write the results elsewhere");
    if (hasher_) {
        std::shared_ptr<const std::string> bytes = f.text.bytes;
        f.digest = hasher_->submit([bytes] { return sha256Hex(*bytes); }).share();
    }
    order_.push_back(id);
    used(id);
    return files_.emplace(id, std::move(f)).first->second;
}

CsvText DataStore::text(const std::string& path) {
    File& f = file(path);
    if (!f.text.bytes) {
        // Parsed once already and dropped: read again, and refuse a file that changed since.
        CsvText again = readCsvText(path);
        if (sha256Hex(*again.bytes) != digestOf(f))
            throw DataError(path, 0, "changed on disk while the run was reading it");
        f.text = std::move(again);
    }
    return f.text;
}

std::string DataStore::digestOf(File& f) {
    if (f.sha256.empty()) f.sha256 = f.digest.valid() ? f.digest.get() : sha256Hex(*f.text.bytes);
    return f.sha256;
}

template <class Cache, class Parse>
const typename Cache::mapped_type& DataStore::parsed(Cache& cache, const std::string& key,
                                                     const std::string& path, Parse parse) {
    if (auto it = cache.find(key); it != cache.end()) {
        used(canonical(path));
        return it->second;
    }
    const CsvText text = this->text(path);
    auto value = parse(text);
    // The bytes are dropped once parsed (the checksum keeps its own reference until done):
    // a run holds one file's text at a time, as it would without the store.
    File& f = file(path);
    if (!f.digest.valid()) digestOf(f);
    f.text.bytes.reset();
    return cache.emplace(key, std::move(value)).first->second;
}

void DataStore::release() {
    series_.clear();
    columns_.clear();
    tables_.clear();
}

const TimeSeries& DataStore::series(const std::string& path, const std::string& column,
                                    const ReadWindow& window) {
    return parsed(series_, key("series", canonical(path), column, window), path,
                  [&](const CsvText& t) { return readSeries(t, column, window); });
}

const TimeSeries& DataStore::priceSeries(const std::string& path, const std::string& asset,
                                         const std::string& column, const ReadWindow& window) {
    return parsed(series_, key("price", canonical(path), column + '\x1f' + asset, window), path,
                  [&](const CsvText& t) { return readPriceSeries(t, asset, column, window); });
}

const std::vector<TimeSeries>& DataStore::columns(const std::string& path,
                                                  const std::vector<std::string>& names,
                                                  const ReadWindow& window) {
    std::string joined;
    for (const auto& n : names) joined += n + '\x1e';
    return parsed(columns_, key("columns", canonical(path), joined, window), path,
                  [&](const CsvText& t) { return readColumns(t, names, window); });
}

const PriceTable& DataStore::priceTable(const std::string& path, const PriceTableOptions& options) {
    std::string joined = options.requirePositive ? "+" : "-";
    for (const auto& n : options.columns) joined += n + '\x1e';
    return parsed(tables_, key("table", canonical(path), joined, options.window), path,
                  [&](const CsvText& t) { return readPriceTable(t, options); });
}

std::vector<DataFileRecord> DataStore::records() {
    std::vector<DataFileRecord> out;
    out.reserve(order_.size());
    for (const auto& id : order_) {
        File& f = files_.at(id);
        out.push_back({f.path, digestOf(f)});
    }
    return out;
}

std::vector<std::string> DataStore::cellDigests() {
    std::vector<std::string> out;
    out.reserve(cell_.size());
    for (const auto& id : cell_) out.push_back(digestOf(files_.at(id)));
    return out;
}

}  // namespace rotor
