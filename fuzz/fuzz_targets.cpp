// SPDX-License-Identifier: MIT
#include "fuzz/fuzz_targets.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/data/data_store.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/io/shard_file.hpp"
#include "engine/report/backtest_report.hpp"
#include "engine/report/compare.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/report_kind.hpp"
#include "engine/report/results_reader.hpp"
#include "engine/run/forward.hpp"
#include "engine/run/process_group.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

namespace rotor::fuzz {

namespace {

// A private folder for the files a target writes, made once per process.
const std::string& workDir() {
    static const std::string dir = [] {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "rotor-fuzz-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        return pattern;
    }();
    return dir;
}

void writeFile(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int scenario(const std::uint8_t* data, std::size_t size) {
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    const std::string marker = "\n#%parent\n";
    const auto split = all.find(marker);
    const std::string dir = workDir();
    writeFile(dir + "/s.yaml", all.substr(0, split));
    if (split != std::string_view::npos)
        writeFile(dir + "/parent.yaml", all.substr(split + marker.size()));
    else
        std::filesystem::remove(dir + "/parent.yaml");
    try {
        for (const ScenarioCell& cell : expandScenarioFile(dir + "/s.yaml")) {
            const ScenarioSpec spec = parseScenario(cell.root, strategies::builtinRegistry());
            (void)resolvedYaml(spec);
            (void)scenarioDataFiles(spec);
        }
    } catch (const InputError&) {
        // Bad input, reported with its location: the expected outcome.
    }
    return 0;
}

int csv(const std::uint8_t* data, std::size_t size) {
    const CsvText text{"fuzz.csv",
                       std::make_shared<const std::string>(reinterpret_cast<const char*>(data),
                                                           size),
                       {}};
    ReadWindow window;
    if (size > 0) {
        // 1990-01-01 plus up to 255 x 60 days, and every other start keeping the prevailing row.
        window.from = Date::fromYmd(1990, 1, 1) + static_cast<int>(data[0]) * 60;
        window.keepPrevailing = (data[0] & 1) != 0;
    }
    for (const ReadWindow& w : {ReadWindow{}, window}) {
        try {
            (void)readPriceTable(text, PriceTableOptions{{}, true, w});
        } catch (const InputError&) {
        }
        try {
            (void)readPriceTable(text, PriceTableOptions{{}, false, w});
        } catch (const InputError&) {
        }
        try {
            (void)readSeries(text, "", w);
        } catch (const InputError&) {
        }
        try {
            (void)readPriceSeries(text, "X", "adj_close", w);
        } catch (const InputError&) {
        }
        try {
            (void)readColumns(text, {"a", "b"}, w);
        } catch (const InputError&) {
        }
    }
    return 0;
}

int results(const std::uint8_t* data, std::size_t size) {
    const std::string path = workDir() + "/r.h5";
    writeFile(path, std::string_view(reinterpret_cast<const char*>(data), size));
    try {
        // A backtest-model file takes the other reader and page, as `rotor report` does.
        if (report::reportKindOf(path) == report::ReportKind::BacktestModel) {
            (void)report::renderBacktestReport(report::readBacktestModel(path));
            return 0;
        }
        const report::ResultsData r = report::readResults(path);
        std::vector<report::ResultsData> all{r};
        for (const auto by : {report::CompareBy::Scenario, report::CompareBy::Strategy})
            (void)report::buildComparison(all, "", by);
        (void)report::renderReport(r);
    } catch (const InputError&) {
    }
    return 0;
}

namespace {

// The forward cell every part is decoded against: tests/fixtures/invalid_input_test/common/
// fwd.yaml (50 paths, 20 days, two strategies) on its bundled data, parsed once.
const ScenarioSpec& partScenario() {
    static const ScenarioSpec spec = [] {
        const std::string file = std::string(ROTOR_SOURCE_DIR) +
                                 "/tests/fixtures/invalid_input_test/common/fwd.yaml";
        const std::vector<ScenarioCell> cells = expandScenarioFile(file);
        return parseScenario(cells.front().root, strategies::builtinRegistry());
    }();
    return spec;
}

// The pieces of `all` between the markers (one piece when there is none).
std::vector<std::string_view> splitAt(std::string_view all, std::string_view marker) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0;;) {
        const auto next = all.find(marker, at);
        out.push_back(all.substr(at, next - at));
        if (next == std::string_view::npos) return out;
        at = next + marker.size();
    }
}

}  // namespace

int part(const std::uint8_t* data, std::size_t size) {
    static const char kHdf5[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    const ScenarioSpec& spec = partScenario();
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    std::vector<StoredShare> shares;
    try {
        if (size >= sizeof kHdf5 && std::memcmp(data, kHdf5, sizeof kHdf5) == 0) {
            const std::string path = workDir() + "/shard.h5";
            writeFile(path, all);
            ShardContents shard = readShardFile(path);
            for (std::size_t i = 0; i < shard.cells.size(); ++i) {
                ShardCell& c = shard.cells[i];
                if (c.name == spec.name)
                    shares.push_back(
                        {path, std::move(c.share), c.pieceCount,
                         [path, i](std::uint64_t k) { return readShardPiece(path, i, k); }});
            }
        } else {
            for (const std::string_view one : splitAt(all, kShareSeparator)) {
                // Its head, then its pieces.
                auto pieces = std::make_shared<std::vector<std::vector<char>>>();
                for (const std::string_view piece : splitAt(one, kPieceSeparator))
                    pieces->emplace_back(piece.begin(), piece.end());
                std::vector<char> head = std::move(pieces->front());
                pieces->erase(pieces->begin());
                shares.push_back({"share" + std::to_string(shares.size()), std::move(head),
                                  pieces->size(),
                                  [pieces](std::uint64_t k) { return pieces->at(k); }});
            }
        }
        if (shares.empty()) return 0;
        // As `rotor merge` does for the cell: decode, combine, and write the results (here in
        // memory), whose writer checks what it is given.
        DataStore store;
        SingleProcess alone;
        std::optional<McScenarioRun> run = runForward(spec, store, nullptr, alone, &shares);
        ResultsWriter writer(ResultsWriter::InMemory{"fuzz-part.h5"});
        writer.addMonteCarlo(*run);
        writer.finish(Provenance{});
        (void)writer.takeImage();
    } catch (const InputError&) {
    }
    return 0;
}

}  // namespace rotor::fuzz
