// SPDX-License-Identifier: MIT
// Shared by the history-generator tests: the data slices in tests/fixtures/history_data/, a
// CSV reader written independently of the engine's, and a generator context on a 2026 horizon.
#pragma once

#include "engine/calendar/nyse_calendar.hpp"
#include "engine/config/config_node.hpp"
#include "engine/core/error.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/history/analog_generator.hpp"
#include "engine/scenario/history/bootstrap_generator.hpp"
#include "engine/scenario/history/history_generator.hpp"
#include "engine/scenario/rate_path.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace rotor::histtest {

// tests/fixtures/history_data/<name>: SPY, QQQ, IWM adjusted closes, French size deciles (daily
// percent) and DFF, 2007-2009 slices of data/.
inline std::string dataPath(const std::string& name) {
    return ::rotor::test::fixturePath("history_data.cpp", name);
}

// A plain `date,a,b,...` reader: std::getline and std::stod, nothing shared with csv_reader.
struct Csv {
    std::vector<std::string> header;  // without "date"
    std::vector<Date> dates;
    std::vector<std::vector<double>> rows;

    std::vector<double> column(const std::string& name) const {
        std::size_t c = header.size();
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) c = i;
        EXPECT_LT(c, header.size()) << name;
        std::vector<double> out;
        for (const auto& r : rows) out.push_back(r.at(c));
        return out;
    }
    // Index of the last date <= d (d must not precede the first date).
    std::size_t asOf(Date d) const {
        std::size_t i = 0;
        while (i + 1 < dates.size() && dates[i + 1] <= d) ++i;
        return i;
    }
};

inline Csv readCsv(const std::string& file) {
    std::ifstream in(file);
    EXPECT_TRUE(in.good()) << file;
    Csv csv;
    std::string line;
    std::getline(in, line);
    {
        std::stringstream ss(line);
        std::string cell;
        std::getline(ss, cell, ',');
        while (std::getline(ss, cell, ',')) csv.header.push_back(cell);
    }
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string cell;
        std::getline(ss, cell, ',');
        csv.dates.push_back(*Date::parseIso(cell));
        std::vector<double> row;
        while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
        csv.rows.push_back(std::move(row));
    }
    return csv;
}

// A forward scenario of `days` NYSE days from 2026-01-02, start prices 100, 200, ...
struct TestContext {
    GeneratorContext ctx;
    DataStore data;  // what the generators read through

    // The files read so far, in reading order.
    std::vector<std::string> files() {
        std::vector<std::string> out;
        for (const auto& r : data.records()) out.push_back(r.path);
        return out;
    }
    ModelParseContext parseContext() const { return {ctx.universe, ctx.dataCutoff, {}, {}, {}}; }

    TestContext(std::vector<std::string> assets, std::size_t days, Date cutoff,
                const std::string& ratePath = "rate_path: {start: 4.0, steps: []}",
                std::uint64_t seed = 20260102) {
        ctx.universe.assets = std::move(assets);
        ctx.dates = nyseTradingDaysFrom(Date::fromYmd(2026, 1, 2), days);
        ctx.startPrices.resize(ctx.universe.size());
        for (Index j = 0; j < ctx.universe.size(); ++j)
            ctx.startPrices[j] = 100.0 * static_cast<double>(j + 1);
        ctx.seed = seed;
        const RatePathSpec spec = parseRatePath(
            loadYamlString(ratePath, "rate.yaml").at("rate_path"));
        ctx.rate = std::make_shared<const RatePathModel>(spec, ctx.dates);
        ctx.dataCutoff = cutoff;
    }
};

// Parse then build, as a scenario does (the parse needs no data; the build reads it).
inline std::unique_ptr<PathGenerator> buildAnalogGenerator(const ConfigNode& model, TestContext& tc,
                                                           ReturnOverlays overlays = {}) {
    const auto spec = parseAnalogModel(model, tc.parseContext());
    return spec->build(tc.ctx, tc.data, std::move(overlays));
}
inline std::unique_ptr<PathGenerator> buildBootstrapGenerator(const ConfigNode& model,
                                                              TestContext& tc,
                                                              ReturnOverlays overlays = {}) {
    const auto spec = parseBootstrapModel(model, tc.parseContext());
    return spec->build(tc.ctx, tc.data, std::move(overlays));
}

// The `model:` block of `text`, read as if from a file in the data folder (relative paths
// resolve there).
inline ConfigNode modelBlock(const std::string& text) {
    return loadYamlString(text, dataPath("scenario.yaml")).at("model");
}

// 1-based line and column of the first `needle` in `text`, found without yaml-cpp.
using Loc = test::TextLocation;
using test::locate;

// Runs `build`, expects a ConfigError at the position of `needle` whose message holds `words`.
template <class Build>
void expectConfigError(Build build, const std::string& text, const std::string& needle,
                       const std::string& words) {
    const Loc at = locate(text, needle);
    try {
        build();
        ADD_FAILURE() << "no error; expected one at " << needle;
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.line(), at.line) << e.what();
        EXPECT_EQ(e.column(), at.column) << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

}  // namespace rotor::histtest
