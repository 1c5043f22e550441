// SPDX-License-Identifier: MIT
#include "engine/scenario/history/history_window.hpp"

#include "engine/calendar/alignment.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/error.hpp"
#include "engine/data/price_source.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace rotor {
namespace {

// `{prices: file, column?}` or `{returns: file, column?, scale?}` for one asset.
HistorySource parseSource(const ConfigNode& node, const std::string& asset) {
    if (!node.isMap()) node.fail("expected a map {prices: file} or {returns: file, column, scale}");
    node.allowOnly({"prices", "returns", "column", "scale", "before"});
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
        if (!returns)
            node.failKey("scale", "'scale' converts a returns file's units; prices need none");
        s.unit = u->asDouble();
        if (!(s.unit > 0.0) || !(s.unit <= 1e6))
            u->fail("expected a positive unit up to 1e6, e.g. 0.01 for percent");
    }
    if (auto b = node.find("before")) {
        if (b->isMap() && b->has("before")) b->failKey("before", "a proxy cannot have a proxy");
        auto proxy = std::make_shared<HistorySource>(parseSource(*b, asset));
        proxy->where = b->location();
        s.before = std::move(proxy);
    }
    return s;
}

// A returns file turned into a price index (1 on its first date), so alignment compounds the
// returns of days that another asset lacks instead of dropping them.
TimeSeries returnsIndex(const HistorySource& s, DataStore& data) {
    const TimeSeries& r = data.series(s.file, s.column);
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
            s.where.fail(s.file + ": the return on " + r.dates[k].iso() +
                         " is -100% or worse once multiplied by the unit");
        level *= growth;
        idx.values[k] = level;
    }
    return idx;
}

// The source's own series: a price series, or a returns file as an index.
TimeSeries ownSeries(const HistorySource& s, DataStore& data) {
    return s.isReturns ? returnsIndex(s, data) : data.priceSeries(s.file, s.asset, s.column);
}

// The source's series with its proxy's on the days before its first date, the proxy rescaled
// to meet it there: the spliced index's daily ratios are the proxy's up to the source's first
// date (the proxy's close on or before it) and the source's from then on.
TimeSeries sourceSeries(const HistorySource& s, DataStore& data) {
    TimeSeries own = ownSeries(s, data);
    if (!s.before || own.empty()) return own;
    const TimeSeries proxy = ownSeries(*s.before, data);
    const Date first = own.firstDate();
    const auto at = std::upper_bound(proxy.dates.begin(), proxy.dates.end(), first);
    if (at == proxy.dates.begin())
        s.before->where.fail(s.before->file + " starts on " + proxy.firstDate().iso() + ", after " +
                             s.file + " (" + first.iso() + "): nothing to splice");
    const auto k = static_cast<std::size_t>(at - proxy.dates.begin()) - 1;  // last <= first
    const double ratio = own.values.front() / proxy.values[k];
    TimeSeries out;
    out.name = own.name;
    out.file = own.file;
    for (std::size_t i = 0; i < proxy.size() && proxy.dates[i] < first; ++i) {
        out.dates.push_back(proxy.dates[i]);
        out.values.push_back(proxy.values[i] * ratio);
    }
    out.dates.insert(out.dates.end(), own.dates.begin(), own.dates.end());
    out.values.insert(out.values.end(), own.values.begin(), own.values.end());
    return out;
}

void emitSourceMap(YamlWriter& out, const HistorySource& s) {
    out << yaml::Flow << yaml::BeginMap;
    out << yaml::Key << (s.isReturns ? "returns" : "prices") << yaml::Value << s.file;
    if (!s.column.empty()) out << yaml::Key << "column" << yaml::Value << s.column;
    if (s.isReturns) out << yaml::Key << "scale" << yaml::Value << s.unit;
    if (s.before) {
        out << yaml::Key << "before" << yaml::Value;
        emitSourceMap(out, *s.before);
    }
    out << yaml::EndMap;
}

// One asset's source as a flow map {prices|returns: file, column?, scale?, before?} under its key.
void emitSource(YamlWriter& out, const HistorySource& s) {
    out << yaml::Key << s.asset << yaml::Value;
    emitSourceMap(out, s);
}

// The `scale`, `rate` and `rate_series` entries shared by the block and its resolved form.
void emitScalesAndRate(YamlWriter& out, const std::vector<HistorySource>& sources, HistoryRate rate,
                       const std::string& rateFile, const std::string& rateColumn) {
    out << yaml::Key << "scale" << yaml::Value << yaml::Flow << yaml::BeginMap;
    for (const auto& s : sources) out << yaml::Key << s.asset << yaml::Value << s.scale;
    out << yaml::EndMap;
    out << yaml::Key << "rate" << yaml::Value << (rate == HistoryRate::Replay ? "replay" : "path");
    if (rate == HistoryRate::Replay) {
        out << yaml::Key << "rate_series" << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "file" << yaml::Value << rateFile;
        if (!rateColumn.empty()) out << yaml::Key << "column" << yaml::Value << rateColumn;
        out << yaml::EndMap;
    }
}

}  // namespace

HistoryWindowSpec parseHistoryWindow(const ConfigNode& model, const ModelParseContext& ctx,
                                     const std::vector<std::string>& extraKeys) {
    if (!model.isMap()) model.fail("expected a map with 'type', 'window' and the asset sources");
    std::vector<std::string> allowed = {"type",  "window", "assets",     "prices",
                                        "scale", "rate",   "rate_series"};
    allowed.insert(allowed.end(), extraKeys.begin(), extraKeys.end());
    model.allowOnly(allowed);

    HistoryWindowSpec w;
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
        w.rateWhere = rateNode->location();
    }

    // --- Window ---
    const ConfigNode win = model.at("window");
    if (!win.isMap()) win.fail("expected a map {start, end}");
    win.allowOnly({"start", "end"});
    w.windowWhere = win.location();
    const ConfigNode startNode = win.at("start");
    w.start = startNode.asDate();
    if (w.start > ctx.dataCutoff)
        startNode.fail("the window starts on " + w.start.iso() + ", after the data cut-off " +
                       ctx.dataCutoff.iso() + ": a scenario may not replay its own future");
    if (auto e = win.find("end")) {
        w.end = e->asDate();
        if (*w.end > ctx.dataCutoff)
            e->fail("the window ends on " + w.end->iso() + ", after the data cut-off " +
                    ctx.dataCutoff.iso() + ": a scenario may not replay its own future");
        if (*w.end <= w.start) e->fail("the window must end after its start " + w.start.iso());
    }

    // --- Sources, in universe order ---
    std::map<std::string, HistorySource> given;
    if (auto assets = model.find("assets")) {
        if (!assets->isMap())
            assets->fail("expected a map: asset -> {prices: file} or {returns: file}");
        for (const auto& a : assets->keys()) {
            if (ctx.universe.find(a) < 0)
                assets->failKey(a, "'" + a + "' is not an asset of the scenario's universe");
            HistorySource src = parseSource(assets->at(a), a);
            src.where = assets->at(a).location();
            given.emplace(a, std::move(src));
            w.givenAssets[a] = true;
        }
    }
    ConfigLocation patternWhere;
    if (auto p = model.find("prices")) {
        w.pattern = resolvePath(*p);
        patternWhere = p->location();
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
        } else if (!w.pattern.empty()) {
            s.asset = a;
            s.file = expandAssetPattern(w.pattern, a);
            s.where = patternWhere;
        } else {
            model.fail("no history for asset '" + a +
                       "': list it under 'assets' or give a 'prices' pattern with {asset}");
        }
        if (auto sc = scales.find(a); sc != scales.end()) s.scale = sc->second;
        w.sources.push_back(std::move(s));
    }
    return w;
}

void emitHistoryWindowSpec(YamlWriter& out, const HistoryWindowSpec& w) {
    out << yaml::Key << "type" << yaml::Value << w.type;
    out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap;
    out << yaml::Key << "start" << yaml::Value << w.start.iso();
    if (w.end) out << yaml::Key << "end" << yaml::Value << w.end->iso();
    out << yaml::EndMap;
    if (!w.pattern.empty()) out << yaml::Key << "prices" << yaml::Value << w.pattern;
    if (!w.givenAssets.empty()) {
        out << yaml::Key << "assets" << yaml::Value << yaml::BeginMap;
        for (const auto& s : w.sources) {
            if (!w.givenAssets.contains(s.asset)) continue;
            emitSource(out, s);
        }
        out << yaml::EndMap;
    }
    emitScalesAndRate(out, w.sources, w.rate, w.rateFile, w.rateColumn);
}

HistoryWindow loadHistoryWindow(const HistoryWindowSpec& spec, const GeneratorContext& ctx,
                                DataStore& data, std::optional<Index> needDays) {
    HistoryWindow w;
    w.type = spec.type;
    w.sources = spec.sources;
    w.rate = spec.rate;
    w.rateFile = spec.rateFile;
    w.rateColumn = spec.rateColumn;

    // --- Read and align ---
    std::vector<TimeSeries> series;
    series.reserve(w.sources.size());
    for (const auto& s : w.sources) series.push_back(sourceSeries(s, data));
    Date dataEnd = series.front().lastDate();
    for (const auto& s : series) dataEnd = std::min(dataEnd, s.lastDate());
    const Date last = spec.end.value_or(std::min(dataEnd, ctx.dataCutoff));
    AlignedPrices aligned;
    try {
        aligned = alignPrices(series, spec.start, last);
    } catch (const ConfigError&) {
        throw;
    } catch (const InputError& e) {
        spec.windowWhere.fail(e.what(), "model.window");
    }

    const auto have = static_cast<Index>(aligned.dates.size());
    if (needDays) {
        if (have < *needDays) {
            const char* why = spec.end ? "its end"
                                       : (ctx.dataCutoff < dataEnd ? "the data cut-off"
                                                                   : "the end of the data");
            spec.windowWhere.fail("the window has " + std::to_string(have) +
                                      " common trading days from " + aligned.dates.front().iso() +
                                      " to " + aligned.dates.back().iso() + " (stopped by " + why +
                                      "), the horizon needs " + std::to_string(*needDays),
                                  "model.window");
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
        const TimeSeries& r = data.series(w.rateFile, w.rateColumn);
        Vector level;
        try {
            level = forwardFill(r, w.days);
        } catch (const ConfigError&) {
            throw;
        } catch (const InputError& e) {
            spec.rateWhere.fail(e.what(), "model.rate_series");
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
        emitSource(out, s);
    }
    out << yaml::EndMap;
    emitScalesAndRate(out, w.sources, w.rate, w.rateFile, w.rateColumn);
}

}  // namespace rotor
