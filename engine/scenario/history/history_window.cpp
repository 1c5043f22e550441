// SPDX-License-Identifier: MIT
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/history/history_window.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/core/error.hpp"
#include "engine/data/csv_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace rotor {
namespace {

// `{prices: file, column?}` or `{returns: file, column?, scale?}` for one asset.
HistorySource parseSource(const ConfigNode& node, const std::string& asset) {
    if (!node.isMap()) node.fail("expected a map {prices: file} or {returns: file, column, scale}");
    node.allowOnly({"prices", "returns", "column", "scale"});
    HistorySource s;
    s.asset = asset;
    const bool prices = node.has("prices");
    const bool returns = node.has("returns");
    if (prices && returns) node.failKey("returns", "give either 'prices' or 'returns', not both");
    if (!prices && !returns) node.fail("missing 'prices' or 'returns'");
    s.isReturns = returns;
    s.file = resolvePath(node.at(returns ? "returns" : "prices"));
    if (auto c = node.find("column")) s.column = c->asString();
    if (auto u = node.find("scale")) {
        if (!returns) node.failKey("scale", "'scale' converts a returns file's units; prices need none");
        s.unit = u->asDouble();
        if (!(s.unit > 0.0) || !std::isfinite(s.unit)) u->fail("expected a positive unit, e.g. 0.01 for percent");
    }
    return s;
}

// A returns file turned into a price index (1 on its first date), so alignment compounds the
// returns of days that another asset lacks instead of dropping them.
TimeSeries returnsIndex(const HistorySource& s, const ConfigNode& where) {
    TimeSeries r = readSeries(s.file, s.column);
    TimeSeries idx;
    idx.name = s.asset;
    idx.file = s.file;
    idx.dates = r.dates;
    idx.values.resize(r.values.size());
    double level = 1.0;
    idx.values[0] = level;
    for (std::size_t k = 1; k < r.values.size(); ++k) {
        const double growth = 1.0 + r.values[k] * s.unit;
        if (!(growth > 0.0))
            where.fail(s.file + ": the return on " + r.dates[k].iso() +
                       " is -100% or worse once multiplied by the unit");
        level *= growth;
        idx.values[k] = level;
    }
    return idx;
}

}  // namespace

HistoryWindow loadHistoryWindow(const ConfigNode& model, const GeneratorContext& ctx,
                                std::optional<Index> needDays,
                                const std::vector<std::string>& extraKeys) {
    if (!model.isMap()) model.fail("expected a map with 'type', 'window' and the asset sources");
    std::vector<std::string> allowed = {"type", "window", "assets", "prices",
                                        "scale", "rate", "rate_series"};
    allowed.insert(allowed.end(), extraKeys.begin(), extraKeys.end());
    model.allowOnly(allowed);

    HistoryWindow w;
    w.type = model.getString("type");
    const auto& universe = ctx.universe.assets;
    ROTOR_REQUIRE(!universe.empty(), "a history generator needs at least one asset");

    // --- Rate ---
    const std::string rate = model.getString("rate", "path");
    if (rate == "replay") {
        w.rate = HistoryRate::Replay;
    } else if (rate == "path") {
        w.rate = HistoryRate::Path;
    } else {
        model.at("rate").fail("expected 'replay' or 'path', found '" + rate + "'");
    }
    std::optional<ConfigNode> rateNode = model.find("rate_series");
    if (w.rate == HistoryRate::Path && rateNode)
        model.failKey("rate_series", "'rate_series' is only read with 'rate: replay'");
    if (w.rate == HistoryRate::Replay) {
        if (!rateNode) model.fail("'rate: replay' needs 'rate_series: {file, column}'");
        if (!rateNode->isMap()) rateNode->fail("expected a map {file, column}");
        rateNode->allowOnly({"file", "column"});
        w.rateFile = resolvePath(rateNode->at("file"));
        w.rateColumn = rateNode->getString("column", "");
    }

    // --- Window ---
    const ConfigNode win = model.at("window");
    if (!win.isMap()) win.fail("expected a map {start, end}");
    win.allowOnly({"start", "end"});
    const ConfigNode startNode = win.at("start");
    const Date start = startNode.asDate();
    if (start > ctx.dataCutoff)
        startNode.fail("the window starts on " + start.iso() + ", after the data cut-off " +
                       ctx.dataCutoff.iso() + ": a scenario may not replay its own future");
    std::optional<Date> end;
    if (auto e = win.find("end")) {
        end = e->asDate();
        if (*end > ctx.dataCutoff)
            e->fail("the window ends on " + end->iso() + ", after the data cut-off " +
                    ctx.dataCutoff.iso() + ": a scenario may not replay its own future");
        if (*end <= start) e->fail("the window must end after its start " + start.iso());
    }

    // --- Sources, in universe order ---
    std::map<std::string, HistorySource> given;
    if (auto assets = model.find("assets")) {
        if (!assets->isMap()) assets->fail("expected a map: asset -> {prices: file} or {returns: file}");
        for (const auto& a : assets->keys()) {
            if (ctx.universe.find(a) < 0)
                assets->failKey(a, "'" + a + "' is not an asset of the scenario's universe");
            given.emplace(a, parseSource(assets->at(a), a));
        }
    }
    std::optional<std::string> pattern;
    if (auto p = model.find("prices")) {
        pattern = resolvePath(*p);
        if (p->asString().find("{asset}") == std::string::npos)
            p->fail("expected a file pattern containing {asset}, e.g. ../data/adj_etf/{asset}.csv");
    }
    std::map<std::string, double> scales;
    if (auto sc = model.find("scale")) {
        if (!sc->isMap()) sc->fail("expected a map: asset -> multiplier of daily log returns");
        for (const auto& a : sc->keys()) {
            if (ctx.universe.find(a) < 0)
                sc->failKey(a, "'" + a + "' is not an asset of the scenario's universe");
            scales[a] = sc->at(a).asDoubleIn(0.0, 100.0);
        }
    }
    for (const auto& a : universe) {
        auto it = given.find(a);
        HistorySource s;
        if (it != given.end()) {
            s = it->second;
        } else if (pattern) {
            s.asset = a;
            s.file = expandAssetPattern(*pattern, a);
        } else {
            model.fail("no history for asset '" + a +
                       "': list it under 'assets' or give a 'prices' pattern with {asset}");
        }
        if (auto sc = scales.find(a); sc != scales.end()) s.scale = sc->second;
        w.sources.push_back(std::move(s));
    }

    // --- Read and align ---
    std::vector<TimeSeries> series;
    series.reserve(w.sources.size());
    for (const auto& s : w.sources) {
        ctx.recordFile(s.file);
        const ConfigNode where = model.find("assets") && given.count(s.asset)
                                     ? model.at("assets").at(s.asset)
                                     : model.at("prices");
        series.push_back(s.isReturns ? returnsIndex(s, where)
                                     : readPriceSeries(s.file, s.asset, s.column));
    }
    Date dataEnd = series.front().lastDate();
    for (const auto& s : series) dataEnd = std::min(dataEnd, s.lastDate());
    const Date last = end.value_or(std::min(dataEnd, ctx.dataCutoff));
    AlignedPrices aligned;
    try {
        aligned = alignPrices(series, start, last);
    } catch (const ConfigError&) {
        throw;
    } catch (const InputError& e) {
        win.fail(e.what());
    }

    const auto have = static_cast<Index>(aligned.dates.size());
    if (needDays) {
        if (have < *needDays) {
            const char* why = end ? "its end" : (ctx.dataCutoff < dataEnd ? "the data cut-off"
                                                                          : "the end of the data");
            win.fail("the window has " + std::to_string(have) + " common trading days from " +
                     aligned.dates.front().iso() + " to " + aligned.dates.back().iso() +
                     " (stopped by " + why + "), the horizon needs " +
                     std::to_string(*needDays));
        }
        aligned.dates.resize(static_cast<std::size_t>(*needDays));
    }
    const Index days = static_cast<Index>(aligned.dates.size());
    const Index n = static_cast<Index>(w.sources.size());
    w.days = aligned.dates;
    w.logReturns.resize(days - 1, n);
    for (Index j = 0; j < n; ++j) {
        const double scale = w.sources[static_cast<std::size_t>(j)].scale;
        for (Index k = 0; k + 1 < days; ++k)
            w.logReturns(k, j) = scale * std::log(aligned.prices(k + 1, j) / aligned.prices(k, j));
    }

    if (w.rate == HistoryRate::Replay) {
        ctx.recordFile(w.rateFile);
        const TimeSeries r = readSeries(w.rateFile, w.rateColumn);
        Vector level;
        try {
            level = forwardFill(r, w.days);
        } catch (const ConfigError&) {
            throw;
        } catch (const InputError& e) {
            rateNode->fail(e.what());
        }
        w.rateChanges = level.tail(days - 1) - level.head(days - 1);
    }
    return w;
}

void emitHistoryWindow(YamlWriter& out, const HistoryWindow& w) {
    out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap;
    out << yaml::Key << "start" << yaml::Value << w.days.front().iso();
    out << yaml::Key << "end" << yaml::Value << w.days.back().iso();
    out << yaml::Key << "days" << yaml::Value << w.days.size();
    out << yaml::EndMap;
    out << yaml::Key << "assets" << yaml::Value << yaml::BeginMap;
    for (const auto& s : w.sources) {
        out << yaml::Key << s.asset << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << (s.isReturns ? "returns" : "prices") << yaml::Value << s.file;
        if (!s.column.empty()) out << yaml::Key << "column" << yaml::Value << s.column;
        if (s.isReturns) out << yaml::Key << "scale" << yaml::Value << s.unit;
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    out << yaml::Key << "scale" << yaml::Value << yaml::Flow << yaml::BeginMap;
    for (const auto& s : w.sources) out << yaml::Key << s.asset << yaml::Value << s.scale;
    out << yaml::EndMap;
    out << yaml::Key << "rate" << yaml::Value
        << (w.rate == HistoryRate::Replay ? "replay" : "path");
    if (w.rate == HistoryRate::Replay) {
        out << yaml::Key << "rate_series" << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "file" << yaml::Value << w.rateFile;
        if (!w.rateColumn.empty()) out << yaml::Key << "column" << yaml::Value << w.rateColumn;
        out << yaml::EndMap;
    }
}

}  // namespace rotor
