// SPDX-License-Identifier: MIT
// One home for a run's input files. Each file is read from disk once, its SHA-256 is taken from
// those same bytes (so provenance names exactly what was parsed, even if the file changes while
// the run goes on), and every series is parsed from them and cached: a forward run's start
// prices, history, calibration and realised replay share one parse of each price file. The
// bytes are dropped once parsed; a second, different parse of the same file (another column
// or window) reads it again and refuses it if its checksum changed.
#pragma once

#include "engine/data/csv_reader.hpp"
#include "engine/data/data_files.hpp"
#include "engine/data/time_series.hpp"

#include <cstddef>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rotor {

class SerialWorker;

class DataStore {
public:
    // Checksums are computed on `hasher` as files are read (in the background while the run
    // goes on); without one, records() computes them.
    explicit DataStore(SerialWorker* hasher = nullptr);
    ~DataStore();
    DataStore(const DataStore&) = delete;
    DataStore& operator=(const DataStore&) = delete;

    // The file's bytes (DataError when it cannot be read). Two spellings of one file
    // (relative, absolute, through a symlink) are one file.
    CsvText text(const std::string& path);

    // The readers of engine/data/csv_reader.hpp over the cached bytes, themselves cached: the
    // references stay valid for the store's lifetime.
    const TimeSeries& series(const std::string& path, const std::string& column = "",
                             const ReadWindow& window = {});
    const TimeSeries& priceSeries(const std::string& path, const std::string& asset,
                                  const std::string& column = "", const ReadWindow& window = {});
    const std::vector<TimeSeries>& columns(const std::string& path,
                                           const std::vector<std::string>& names,
                                           const ReadWindow& window = {});
    const PriceTable& priceTable(const std::string& path, const PriceTableOptions& options = {});

    // Drops the parsed series: a run calls it once nothing later needs them, so the memory is
    // reused. References handed out before are invalid afterwards.
    void release();

    // Every file read so far, in first-read order, with the digest of the bytes read; waits
    // for checksums still being computed.
    std::vector<DataFileRecord> records();

    // The files one cell of a run reads, whether or not an earlier cell read them first: what
    // two processes that built the same cell from their own stores must agree on (MPI ranks,
    // shards; engine/run/forward.cpp). beginCell() starts the list; cellDigests() gives the
    // checksums of the files read or looked up since, in first-use order, waiting for any still
    // being computed.
    void beginCell() { cell_.clear(); }
    std::vector<std::string> cellDigests();

    // The run's outputs that already exist: reading one of them as data is bad input
    // (InputError naming both), so a results file can never replace a file it was computed
    // from. Compared by device and inode, whatever the spelling or the symlinks.
    void refuseOutputs(std::vector<FileRef> outputs) { outputs_ = std::move(outputs); }

private:
    struct File {
        std::string path;  // as first given
        CsvText text;
        std::shared_future<std::string> digest;  // valid when a hasher computes it
        std::string sha256;                      // once known
    };
    File& file(const std::string& path);
    void used(const std::string& id);  // notes `id` (canonical) as read by the current cell
    std::string digestOf(File& f);     // waits for the background checksum when there is one
    template <class Cache, class Parse>
    const typename Cache::mapped_type& parsed(Cache& cache, const std::string& key,
                                              const std::string& path, Parse parse);

    SerialWorker* hasher_;
    std::vector<FileRef> outputs_;
    std::map<std::string, File> files_;         // by canonical path
    std::vector<std::string> order_;            // canonical paths in first-read order
    std::vector<std::string> cell_;             // canonical paths used since beginCell()
    std::map<std::string, TimeSeries> series_;  // by reader, path, column and window
    std::map<std::string, std::vector<TimeSeries>> columns_;
    std::map<std::string, PriceTable> tables_;
};

}  // namespace rotor
