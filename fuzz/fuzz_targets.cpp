// SPDX-License-Identifier: MIT
#include "fuzz/fuzz_targets.hpp"

#include "engine/config/compose.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"
#include "engine/report/backtest_report.hpp"
#include "engine/report/compare.hpp"
#include "engine/report/html_report.hpp"
#include "engine/report/report_kind.hpp"
#include "engine/report/results_reader.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "strategies/register_builtin.hpp"

#include <unistd.h>

#include <cstdlib>
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

}  // namespace rotor::fuzz
