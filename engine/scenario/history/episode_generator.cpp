// SPDX-License-Identifier: MIT
#include "engine/scenario/history/episode_generator.hpp"

#include "engine/config/yaml_writer.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/regime/policy_episodes.hpp"
#include "engine/scenario/return_path_generator.hpp"

#include <algorithm>
#include <limits>

namespace rotor {
namespace {

constexpr Index kBootstrapEpisodeRows = 252;  // a first cut's year, when days are bootstrapped

// The series cut at `last` (inclusive): an episode may not be found with data after the start.
TimeSeries upTo(const TimeSeries& s, Date last) {
    TimeSeries out = s;
    const auto cut = std::upper_bound(out.dates.begin(), out.dates.end(), last);
    out.values.resize(static_cast<std::size_t>(cut - out.dates.begin()));
    out.dates.erase(cut, out.dates.end());
    return out;
}

// floor(u n) for u uniform on [0, 1), kept below n.
Index uniformIndex(Xoshiro256& rng, Index n) {
    const auto k = static_cast<Index>(rng.uniform() * static_cast<double>(n));
    return k < n ? k : n - 1;
}

class EpisodeGenerator final : public ReturnPathGenerator {
public:
    EpisodeGenerator(HistoryWindow w, std::vector<Episode> episodes,
                     std::vector<std::vector<std::size_t>> pools, const EpisodeModelConfig& cfg,
                     const GeneratorContext& ctx, ReturnOverlays overlays)
        : ReturnPathGenerator(ctx, std::move(overlays), Compounding::DayByDay),
          window_(std::move(w)),
          episodes_(std::move(episodes)),
          pools_(std::move(pools)),
          draw_(cfg.draw),
          meanBlock_(cfg.meanBlock),
          regimes_(cfg.regimes) {}

    std::string describe() const override {
        YamlWriter out;
        out << yaml::BeginMap;
        out << yaml::Key << "type" << yaml::Value << "episodes";
        emitHistoryWindow(out, window_);
        out << yaml::Key << "draw" << yaml::Value
            << (draw_ == EpisodeDraw::Replay ? "replay" : "bootstrap");
        if (draw_ == EpisodeDraw::Bootstrap)
            out << yaml::Key << "mean_block" << yaml::Value << meanBlock_;
        out << yaml::Key << "episodes" << yaml::Value << yaml::BeginSeq;
        for (const auto& e : episodes_) {
            const auto first = static_cast<std::size_t>(e.firstRow);
            out << yaml::Flow << yaml::BeginMap << yaml::Key << "name" << yaml::Value << e.name
                << yaml::Key << "label" << yaml::Value << e.label << yaml::Key << "from"
                << yaml::Value << window_.days[first].iso() << yaml::Key << "to" << yaml::Value
                << window_.days[first + static_cast<std::size_t>(e.rows)].iso() << yaml::Key
                << "days" << yaml::Value << e.rows << yaml::EndMap;
        }
        out << yaml::EndSeq;
        out << yaml::Key << "regimes" << yaml::Value << yaml::BeginMap;
        const auto names = regimeNames();
        for (std::size_t r = 0; r < names.size(); ++r) {
            out << yaml::Key << names[r] << yaml::Value << yaml::Flow << yaml::BeginSeq;
            for (std::size_t e : pools_[r]) out << episodes_[e].name;
            out << yaml::EndSeq;
        }
        out << yaml::EndMap;
        if (!overlays().empty())
            out << yaml::Key << "overlays" << yaml::Value << yaml::Flow << overlayNames();
        out << yaml::EndMap;
        return out.str();
    }

protected:
    // Replay: one uniform picks the episode. Bootstrap: on day 1 two uniforms (episode, day in
    // it); on each later day one uniform, below 1 / mean_block a new block (two more uniforms),
    // else the episode's next day, wrapping to its first.
    void drawReturns(Xoshiro256& rng, int regime, Vector& /*rate*/, Matrix& logReturns,
                     GeneratorScratch& /*scratch*/) const override {
        const auto& pool = pools_[static_cast<std::size_t>(regime)];
        const auto T = static_cast<Index>(dates().size());
        const Episode* e = &episodes_[pool[static_cast<std::size_t>(
            uniformIndex(rng, static_cast<Index>(pool.size())))]];
        if (draw_ == EpisodeDraw::Replay) {
            for (Index t = 1; t < T; ++t)
                logReturns.row(t) = window_.logReturns.row(e->firstRow + t - 1);
            return;
        }
        Index pos = uniformIndex(rng, e->rows);
        const double jump = 1.0 / meanBlock_;
        for (Index t = 1; t < T; ++t) {
            if (t > 1) {
                if (rng.uniform() < jump) {
                    e = &episodes_[pool[static_cast<std::size_t>(
                        uniformIndex(rng, static_cast<Index>(pool.size())))]];
                    pos = uniformIndex(rng, e->rows);
                } else {
                    pos = pos + 1 == e->rows ? 0 : pos + 1;
                }
            }
            logReturns.row(t) = window_.logReturns.row(e->firstRow + pos);
        }
    }

private:
    HistoryWindow window_;
    std::vector<Episode> episodes_;
    std::vector<std::vector<std::size_t>> pools_;  // per rate regime: indices into episodes_
    EpisodeDraw draw_;
    double meanBlock_;
    std::map<std::string, std::string> regimes_;
};

std::string fileOf(const ConfigNode& node) { return resolvePath(node.at("file")); }

}  // namespace

std::vector<Episode> cutEpisodes(const std::vector<Date>& days,
                                 const std::vector<std::pair<Date, std::string>>& firstCuts,
                                 const std::vector<EpisodeWindowSpec>& windows, Index horizonRows) {
    std::vector<Episode> out;
    const auto returns = static_cast<Index>(days.size()) - 1;
    // Index of the last window day strictly before `d` (-1 when none).
    auto lastBefore = [&](Date d) {
        return static_cast<Index>(std::lower_bound(days.begin(), days.end(), d) - days.begin()) - 1;
    };
    for (const auto& [date, label] : firstCuts) {
        Date decision = date + (-1);
        while (decision.weekday() == 0 || decision.weekday() == 6) decision = decision + (-1);
        Episode e;
        e.name = "first_cut_" + date.iso();
        e.label = label;
        e.anchor = date;
        e.firstRow = lastBefore(decision);
        e.rows = e.firstRow < 0 ? 0 : std::min(horizonRows, returns - e.firstRow);
        out.push_back(e);
    }
    for (const auto& w : windows) {
        Episode e;
        e.name = w.name;
        e.label = w.name;
        e.anchor = w.start;
        e.firstRow = lastBefore(w.start + 1);  // the close on the start day, or the last before
        const Index last = lastBefore(w.end + 1);
        e.rows = e.firstRow < 0 ? 0 : last - e.firstRow;
        out.push_back(e);
    }
    return out;
}

std::shared_ptr<const ModelSpec> parseEpisodeModel(const ConfigNode& model,
                                                   const ModelParseContext& ctx) {
    if (model.isMap() && model.getString("type") != "episodes")
        model.at("type").fail("expected 'episodes'");
    auto cfg = std::make_shared<EpisodeModelConfig>();
    cfg->window = parseHistoryWindow(model, ctx, {"episodes", "draw", "mean_block", "regimes"});
    if (cfg->window.rate != HistoryRate::Path)
        model.failKey("rate", "episodes draw their returns only: use 'rate: path'");

    const ConfigNode eps = model.at("episodes");
    if (!eps.isMap()) eps.fail("expected a map {first_cuts: {...}, windows: [...]}");
    eps.allowOnly({"first_cuts", "windows"});
    cfg->episodesWhere = eps.location();
    if (auto fc = eps.find("first_cuts")) {
        if (!fc->isMap()) fc->fail("expected a map {since, classes, policy, recessions}");
        fc->allowOnly({"since", "classes", "policy", "recessions"});
        FirstCutsSpec f;
        f.where = fc->location();
        f.since = fc->at("since").asDate();
        f.classes = {"soft_landing", "recession"};
        if (auto c = fc->find("classes")) {
            f.classes = c->asStringList();
            for (const auto& name : f.classes)
                if (name != "soft_landing" && name != "recession")
                    c->fail("unknown class '" + name +
                            "' (first cuts are soft_landing or recession)");
            if (f.classes.empty()) c->fail("expected at least one class");
        }
        const ConfigNode pol = fc->at("policy");
        pol.allowOnly({"file", "column"});
        f.policyFile = fileOf(pol);
        f.policyColumn = pol.getString("column", "");
        const ConfigNode rec = fc->at("recessions");
        rec.allowOnly({"file", "column"});
        f.recessionFile = fileOf(rec);
        f.recessionColumn = rec.getString("column", "");
        cfg->firstCuts = f;
    }
    if (auto ws = eps.find("windows")) {
        for (const auto& item : ws->items()) {
            if (!item.isMap()) item.fail("expected {name, start, end}");
            item.allowOnly({"name", "start", "end"});
            EpisodeWindowSpec w;
            w.where = item.location();
            w.name = item.getString("name");
            if (w.name == "all" || w.name == "soft_landing" || w.name == "recession")
                item.failKey("name", "'" + w.name + "' is reserved; choose another name");
            w.start = item.at("start").asDate();
            const ConfigNode end = item.at("end");
            w.end = end.asDate();
            if (!(w.end > w.start))
                end.fail("the window must end after its start " + w.start.iso());
            if (w.end > ctx.dataCutoff)
                end.fail("the window ends on " + w.end.iso() + ", after the data cut-off " +
                         ctx.dataCutoff.iso() + ": a scenario may not replay its own future");
            for (const auto& other : cfg->windows)
                if (other.name == w.name) item.failKey("name", "'" + w.name + "' is listed twice");
            cfg->windows.push_back(w);
        }
    }
    if (!cfg->firstCuts && cfg->windows.empty())
        eps.fail("expected 'first_cuts' or 'windows' (the episodes to draw from)");

    const std::string draw = model.getString("draw", "replay");
    if (draw == "replay") {
        cfg->draw = EpisodeDraw::Replay;
        if (model.has("mean_block"))
            model.failKey("mean_block", "'mean_block' is only read with 'draw: bootstrap'");
    } else if (draw == "bootstrap") {
        cfg->draw = EpisodeDraw::Bootstrap;
        cfg->meanBlock = model.at("mean_block").asDoubleIn(1.0, std::numeric_limits<double>::max());
    } else {
        model.at("draw").fail("expected 'replay' or 'bootstrap', found '" + draw + "'");
    }

    if (auto r = model.find("regimes")) {
        if (!r->isMap())
            r->fail("expected a map: rate regime -> soft_landing | recession | all | window");
        cfg->regimesWhere = r->location();
        for (const auto& name : r->keys()) {
            if (std::find(ctx.rateRegimes.begin(), ctx.rateRegimes.end(), name) ==
                ctx.rateRegimes.end())
                r->failKey(name, "'" + name + "' is not a regime of the scenario's rate_path");
            const std::string sel = r->at(name).asString();
            bool known = sel == "all" || sel == "soft_landing" || sel == "recession";
            for (const auto& w : cfg->windows) known = known || w.name == sel;
            if (!known)
                r->at(name).fail("unknown episodes '" + sel +
                                 "' (soft_landing, recession, all or a window's name)");
            cfg->regimes[name] = sel;
        }
    }
    return cfg;
}

std::unique_ptr<PathGenerator> EpisodeModelConfig::build(const GeneratorContext& ctx,
                                                         DataStore& data,
                                                         ReturnOverlays overlays) const {
    HistoryWindow w = loadHistoryWindow(window, ctx, data, std::nullopt);
    const auto T = static_cast<Index>(ctx.dates.size());

    std::vector<std::pair<Date, std::string>> cuts;
    if (firstCuts) {
        const FirstCutsSpec& f = *firstCuts;
        EpisodeHistory history;
        try {
            const TimeSeries dff = upTo(data.series(f.policyFile, f.policyColumn), ctx.dataCutoff);
            const TimeSeries usrec = upTo(data.series(f.recessionFile, f.recessionColumn),
                                          ctx.dataCutoff);
            history = policyEpisodes(dff, usrec);
        } catch (const ConfigError&) {
            throw;
        } catch (const Error& e) {
            f.where.fail(e.what(), "model.episodes.first_cuts");
        }
        for (const auto& e : rotor::firstCuts(history, f.since)) {
            const std::string cls = episodeClassName(episodeClass(e));
            if (std::find(f.classes.begin(), f.classes.end(), cls) != f.classes.end())
                cuts.emplace_back(e.start, cls);
        }
    }
    const Index horizon = draw == EpisodeDraw::Replay ? T - 1 : kBootstrapEpisodeRows;
    std::vector<Episode> episodes = cutEpisodes(w.days, cuts, windows, horizon);

    // Every episode must lie inside the loaded window, and a replay needs the whole horizon.
    for (const auto& e : episodes) {
        if (e.firstRow < 0 || e.rows < 1)
            episodesWhere.fail("episode " + e.name + " (" + e.anchor.iso() +
                                   ") is not inside the model's window " + w.days.front().iso() +
                                   ".." + w.days.back().iso(),
                               "model.episodes");
        if (draw == EpisodeDraw::Replay && e.rows < T - 1)
            episodesWhere.fail("episode " + e.name + " has " + std::to_string(e.rows) +
                                   " trading days of data after it (to " + w.days.back().iso() +
                                   "), the horizon needs " + std::to_string(T - 1) +
                                   "; use 'draw: bootstrap' or a shorter horizon",
                               "model.episodes");
    }

    std::vector<std::vector<std::size_t>> pools;
    for (int r = 0; r < ctx.rate->regimes(); ++r) {
        const std::string name = ctx.rate->regimeName(r);
        const auto it = regimes.find(name);
        const std::string sel = it == regimes.end() ? "all" : it->second;
        std::vector<std::size_t> pool;
        for (std::size_t i = 0; i < episodes.size(); ++i)
            if (sel == "all" || episodes[i].label == sel) pool.push_back(i);
        if (pool.empty()) {
            const ConfigLocation& at = it == regimes.end() ? episodesWhere : regimesWhere;
            at.fail("rate regime '" + name + "' draws '" + sel +
                        "' episodes, and the pool has none",
                    "model.regimes");
        }
        pools.push_back(std::move(pool));
    }
    return std::make_unique<EpisodeGenerator>(std::move(w), std::move(episodes), std::move(pools),
                                              *this, ctx, std::move(overlays));
}

void EpisodeModelConfig::emit(YamlWriter& out) const {
    out << yaml::BeginMap;
    emitHistoryWindowSpec(out, window);
    out << yaml::Key << "episodes" << yaml::Value << yaml::BeginMap;
    if (firstCuts) {
        const FirstCutsSpec& f = *firstCuts;
        out << yaml::Key << "first_cuts" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "since" << yaml::Value << f.since.iso();
        out << yaml::Key << "classes" << yaml::Value << yaml::Flow << f.classes;
        out << yaml::Key << "policy" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << f.policyFile << yaml::Key << "column" << yaml::Value
            << f.policyColumn << yaml::EndMap;
        out << yaml::Key << "recessions" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << f.recessionFile << yaml::Key << "column" << yaml::Value
            << f.recessionColumn << yaml::EndMap;
        out << yaml::EndMap;
    }
    if (!windows.empty()) {
        out << yaml::Key << "windows" << yaml::Value << yaml::BeginSeq;
        for (const auto& w : windows)
            out << yaml::Flow << yaml::BeginMap << yaml::Key << "name" << yaml::Value << w.name
                << yaml::Key << "start" << yaml::Value << w.start.iso() << yaml::Key << "end"
                << yaml::Value << w.end.iso() << yaml::EndMap;
        out << yaml::EndSeq;
    }
    out << yaml::EndMap;
    out << yaml::Key << "draw" << yaml::Value
        << (draw == EpisodeDraw::Replay ? "replay" : "bootstrap");
    if (draw == EpisodeDraw::Bootstrap)
        out << yaml::Key << "mean_block" << yaml::Value << meanBlock;
    if (!regimes.empty()) {
        out << yaml::Key << "regimes" << yaml::Value << yaml::Flow << yaml::BeginMap;
        for (const auto& [k, v] : regimes) out << yaml::Key << k << yaml::Value << v;
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
}

}  // namespace rotor
