// SPDX-License-Identifier: MIT
#include "engine/spec/scenario_spec.hpp"

#include "engine/config/config_node.hpp"
#include "engine/config/yaml_writer.hpp"
#include "engine/core/error.hpp"
#include "engine/spec/model_table.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace rotor {

namespace {

// `missing: error|skip|ffill` (docs/data.md).
MissingPolicy parseMissing(const ConfigNode& n) {
    const std::string name = n.asString();
    const auto policy = parseMissingPolicy(name);
    if (!policy) n.fail("expected error, skip or ffill, found '" + name + "'");
    return *policy;
}

// One `universe.valuation` entry (docs/data.md, "Valuation series"). History: a file of
// multiples or returns. Forward: `model`, or `{model: true, <a history file>}`.
ValuationSourceSpec parseValuationSource(const ConfigNode& entry, bool forward) {
    ValuationSourceSpec spec;
    spec.where = entry.location();
    const char* historyOnly =
        "'model' applies to forward scenarios (mode: monte_carlo), whose "
        "paths carry the model's simulated multiple";
    if (entry.isScalar()) {
        if (!forward)
            entry.fail(entry.asString() == "model"
                           ? historyOnly
                           : "expected a map {multiple or returns, column, ...}");
        if (entry.asString() != "model")
            entry.fail(
                "expected 'model' or a map {model: true, multiple or returns, ...}, found '" +
                entry.asString() + "'");
        spec.model = true;
        return spec;
    }
    entry.allowOnly(
        {"model", "multiple", "returns", "column", "scale", "lag_days", "max_stale_days"});
    if (auto m = entry.find("model")) {
        if (!forward) entry.failKey("model", historyOnly);
        if (!m->asBool())
            m->fail(
                "expected true: a forward path's multiple comes from the model (the file is "
                "its history before day 0)");
        spec.model = true;
    } else if (forward) {
        entry.fail(
            "a forward path's valuation comes from the model: write 'model', or {model: true, "
            "multiple or returns: FILE, ...} to give it a history before day 0 (docs/data.md, "
            "\"Valuation series\")");
    }
    if (entry.has("multiple") == entry.has("returns"))
        entry.fail(spec.model ? "give one of 'multiple' or 'returns' (the history before day 0), "
                                "or write 'model' alone for none"
                              : "give exactly one of 'multiple' (a file of P/E-like levels) or "
                                "'returns' (a file of daily returns, the proxy)");
    spec.kind = entry.has("multiple") ? ValuationSourceSpec::Kind::Multiple
                                      : ValuationSourceSpec::Kind::Returns;
    spec.file = resolvePath(entry.at(entry.has("multiple") ? "multiple" : "returns"));
    spec.column = entry.getString("column", "");
    if (auto s = entry.find("scale")) {
        if (spec.kind == ValuationSourceSpec::Kind::Multiple)
            entry.failKey("scale", "'scale' applies to 'returns', not to 'multiple'");
        spec.scale = s->asDoubleIn(1e-6, 1e6);
    }
    if (auto l = entry.find("lag_days")) spec.lagDays = static_cast<int>(l->asIntIn(0, 3660));
    if (auto m = entry.find("max_stale_days"))
        spec.maxStaleDays = static_cast<int>(m->asIntIn(1, 3660));
    return spec;
}

UniverseSpec parseUniverse(const ConfigNode& n, bool forward) {
    n.allowOnly({"assets", "prices", "column", "table", "backfill", "missing", "valuation"});
    UniverseSpec u;
    const ConfigNode assets = n.at("assets");
    u.assets = assets.asStringList();
    if (u.assets.empty()) assets.fail("expected at least one asset");
    std::set<std::string> seen;
    for (const auto& item : assets.items()) {
        const std::string a = item.asString();
        if (a.empty() || a.find('/') != std::string::npos)
            item.fail("invalid asset name '" + a + "'");
        if (!seen.insert(a).second) item.fail("duplicate asset '" + a + "'");
    }
    if (n.has("prices") == n.has("table"))
        n.fail(
            "give exactly one of 'prices' (per-asset files with {asset}) or 'table' (a wide CSV)");
    if (auto p = n.find("prices")) {
        if (p->asString().find("{asset}") == std::string::npos)
            p->fail("expected a path containing {asset}, found '" + p->asString() + "'");
        u.prices.pattern = resolvePath(*p);
        u.prices.column = n.getString("column", "");
    } else {
        if (n.has("column")) n.failKey("column", "'column' applies to 'prices', not to 'table'");
        u.prices.table = resolvePath(n.at("table"));
    }
    if (auto m = n.find("missing")) u.prices.missing = parseMissing(*m);
    if (auto b = n.find("backfill")) {
        for (const auto& asset : b->keys()) {
            if (!seen.contains(asset))
                b->failKey(asset, "backfill for '" + asset + "', which is not in universe.assets");
            const ConfigNode entry = b->at(asset);
            BackfillSpec spec;
            if (entry.isScalar()) {
                if (entry.asString() != "cash")
                    entry.fail("expected 'cash' or a map {returns, column, scale}, found '" +
                               entry.asString() + "'");
                spec.kind = BackfillSpec::Kind::Cash;
            } else {
                entry.allowOnly({"returns", "column", "scale"});
                spec.kind = BackfillSpec::Kind::Returns;
                spec.file = resolvePath(entry.at("returns"));
                spec.column = entry.getString("column", "");
                if (auto s = entry.find("scale")) spec.scale = s->asDoubleIn(1e-6, 1e6);
            }
            u.backfill[asset] = spec;
        }
    }
    if (auto v = n.find("valuation")) {
        for (const auto& asset : v->keys()) {
            if (!seen.contains(asset))
                v->failKey(asset, "valuation for '" + asset + "', which is not in universe.assets");
            u.valuation[asset] = parseValuationSource(v->at(asset), forward);
        }
    }
    return u;
}

CashRateSpec parseCashRate(const ConfigNode& n) {
    CashRateSpec c;
    c.where = n.location();
    if (n.isScalar()) {
        c.constant = n.asDoubleIn(-10.0, 100.0);
        return c;
    }
    n.allowOnly({"series", "column", "constant", "max_stale_days", "missing"});
    if (n.has("series") == n.has("constant"))
        n.fail("give exactly one of 'series' (a rate file, annual percent) or 'constant'");
    if (auto k = n.find("constant")) {
        c.constant = k->asDoubleIn(-10.0, 100.0);
    } else {
        c.file = resolvePath(n.at("series"));
        c.column = n.getString("column", "");
        if (auto m = n.find("missing")) c.missing = parseMissing(*m);
    }
    if (n.has("missing") && c.constant)
        n.failKey("missing", "'missing' applies to a rate 'series', not to a 'constant'");
    if (auto s = n.find("max_stale_days")) c.maxStaleDays = static_cast<int>(s->asIntIn(1, 3660));
    return c;
}

CostModel parseCosts(const ConfigNode& n) {
    n.allowOnly({"commission_bps", "slippage_bps", "min_commission", "borrow_spread_bps"});
    CostModel c;
    if (auto v = n.find("commission_bps")) c.commissionBps = v->asDoubleIn(0.0, 10000.0);
    if (auto v = n.find("slippage_bps")) c.slippageBps = v->asDoubleIn(0.0, 10000.0);
    if (auto v = n.find("min_commission")) c.minCommission = v->asDoubleIn(0.0, 1e12);
    if (auto v = n.find("borrow_spread_bps")) c.borrowSpreadBps = v->asDoubleIn(0.0, 10000.0);
    return c;
}

// An override from the command line, checked against the bound its YAML key has.
long overridden(long long value, long lo, long hi, const char* flag) {
    if (value < lo || value > hi)
        throw InputError(std::string("run: ") + flag + " must be in [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "], found " + std::to_string(value));
    return static_cast<long>(value);
}

SimulationSpec parseSimulation(const ConfigNode& n, const SimulationOverrides& o) {
    using L = SimulationLimits;
    n.allowOnly({"start", "horizon", "end", "paths", "seed", "chunk", "threads", "percentiles",
                 "store", "history_days"});
    SimulationSpec sim;
    sim.start = n.at("start").asDate();
    if (n.has("horizon") && n.has("end"))
        n.at("end").fail("give either 'horizon' or 'end', not both");
    if (auto h = n.find("horizon")) sim.horizonDays = h->asIntIn(1, 25200L);
    if (auto e = n.find("end")) {
        sim.end = e->asDate();
        if (!(sim.start < *sim.end)) e->fail("end " + sim.end->iso() + " is not after start");
        // The same bound as `horizon` (100 years of trading days), in calendar days.
        if (*sim.end - sim.start > 36525)
            e->fail("end " + sim.end->iso() + " is more than 100 years after start");
    }
    // An override replaces the key before its check, so both meet one bound.
    if (o.paths)
        sim.paths = static_cast<std::uint64_t>(overridden(*o.paths, 1, L::kMaxPaths, "--paths"));
    else if (auto v = n.find("paths"))
        sim.paths = static_cast<std::uint64_t>(v->asIntIn(1, L::kMaxPaths));
    if (o.seed)
        sim.seed = static_cast<std::uint64_t>(overridden(*o.seed, 0, L::kMaxSeed, "--seed"));
    else if (auto v = n.find("seed"))
        sim.seed = static_cast<std::uint64_t>(v->asIntIn(0, L::kMaxSeed));
    if (auto v = n.find("chunk"))
        sim.chunk = static_cast<std::uint64_t>(v->asIntIn(1, L::kMaxChunk));
    if (o.threads)
        sim.threads = static_cast<int>(overridden(*o.threads, 0, L::kMaxThreads, "--threads"));
    else if (auto v = n.find("threads"))
        sim.threads = static_cast<int>(v->asIntIn(0, L::kMaxThreads));
    if (auto q = n.find("percentiles")) {
        sim.percentiles.clear();
        for (const auto& item : q->items()) {
            const double level = item.asDoubleIn(0.0, 100.0);
            if (!sim.percentiles.empty() && !(level > sim.percentiles.back()))
                item.fail("percentiles must ascend strictly");
            sim.percentiles.push_back(level);
        }
        if (sim.percentiles.empty()) q->fail("expected at least one percentile");
    }
    if (auto h = n.find("history_days")) sim.historyDays = h->asIntIn(0, 12600L);
    if (auto st = n.find("store")) {
        const std::string v = st->asString();
        if (v == "paths")
            sim.storePaths = true;
        else if (v != "summary")
            st->fail("unknown store '" + v + "' (known: summary, paths)");
    }
    return sim;
}

}  // namespace

StrategySpec parseStrategy(const ConfigNode& item, const StrategyRegistry& registry,
                           const Universe& universe) {
    if (!item.isMap()) item.fail("expected a strategy map with 'name' and 'type'");
    const ConfigNode n = item.at("name");
    StrategySpec spec{n.asString(), item.at("type").asString(), nullptr, item.toYaml()};
    if (spec.name.empty() || spec.name.find('/') != std::string::npos)
        n.fail("invalid strategy name '" + spec.name + "' (no '/', not empty)");
    spec.prototype = registry.create(spec.name, item, universe);  // validates every parameter
    return spec;
}

const std::vector<WalkForwardMetric>& walkForwardMetrics() {
    static const std::vector<WalkForwardMetric> metrics = {
        {"total_return", true}, {"cagr", true},        {"sharpe", true},        {"sortino", true},
        {"calmar", true},       {"volatility", false}, {"max_drawdown", false}, {"turnover", false},
    };
    return metrics;
}

namespace {

WalkForwardSpec parseWalkForward(const ConfigNode& n, const std::vector<StrategySpec>& strategies) {
    if (!n.isMap()) n.fail("expected a map with in_sample, out_of_sample and metric");
    n.allowOnly({"strategy", "metric", "goal", "in_sample", "out_of_sample", "step", "window"});
    WalkForwardSpec w;
    w.where = n.location();
    if (auto s = n.find("strategy")) {
        w.strategy = s->asString();
        const bool known = std::any_of(strategies.begin(), strategies.end(),
                                       [&](const StrategySpec& x) { return x.name == w.strategy; });
        if (!known) {
            std::string names;
            for (const auto& x : strategies) names += (names.empty() ? "" : ", ") + x.name;
            s->fail("strategy '" + w.strategy + "' is not one of the strategies (" + names + ")");
        }
    } else if (strategies.size() == 1) {
        w.strategy = strategies.front().name;
    } else {
        n.fail("missing required key 'strategy': the scenario has " +
               std::to_string(strategies.size()) +
               " strategies; name the one whose metric chooses");
    }
    const ConfigNode metric = n.at("metric");
    w.metric = metric.asString();
    const auto& known = walkForwardMetrics();
    const auto m = std::find_if(known.begin(), known.end(),
                                [&](const WalkForwardMetric& k) { return w.metric == k.name; });
    if (m == known.end()) {
        std::string names;
        for (const auto& k : known) names += std::string(names.empty() ? "" : ", ") + k.name;
        metric.fail("unknown metric '" + w.metric + "' (known: " + names + ")");
    }
    w.maximise = m->maximise;
    if (auto g = n.find("goal")) {
        const std::string goal = g->asString();
        if (goal == "maximise" || goal == "maximize")
            w.maximise = true;
        else if (goal == "minimise" || goal == "minimize")
            w.maximise = false;
        else
            g->fail("unknown goal '" + goal + "' (known: maximise, minimise)");
    }
    const ConfigNode is = n.at("in_sample");
    const ConfigNode oos = n.at("out_of_sample");
    w.inSample = is.asIntIn(1, WalkForwardSpec::kMaxDays);
    w.outOfSample = oos.asIntIn(1, WalkForwardSpec::kMaxDays);
    w.inSampleWhere = is.location();
    w.outOfSampleWhere = oos.location();
    w.step = w.outOfSample;
    if (auto st = n.find("step")) {
        w.step = st->asIntIn(1, WalkForwardSpec::kMaxDays);
        // A longer step would leave days between out-of-sample windows that nothing trades.
        if (w.step > w.outOfSample)
            st->fail("step " + std::to_string(w.step) + " is longer than out_of_sample " +
                     std::to_string(w.outOfSample) +
                     ": the stitched out-of-sample curve would have gaps");
    }
    if (auto win = n.find("window")) {
        const std::string kind = win->asString();
        if (kind == "anchored")
            w.anchored = true;
        else if (kind != "rolling")
            win->fail("unknown window '" + kind + "' (known: rolling, anchored)");
    }
    return w;
}

}  // namespace

ScenarioSpec parseScenario(const ConfigNode& root, const StrategyRegistry& registry,
                           const SimulationOverrides& overrides) {
    if (!root.isMap()) root.fail("expected a scenario map at the top of the file");
    const ConfigNode mode = root.at("mode");
    const std::string modeName = mode.asString();
    if (modeName == "historical") {
        root.allowOnly({"name", "description", "mode", "universe", "window", "cash_rate", "costs",
                        "execution", "initial_capital", "benchmark", "strategies", "output",
                        "walk_forward"});
    } else if (modeName == "monte_carlo") {
        if (root.has("walk_forward"))
            root.failKey("walk_forward",
                         "walk_forward needs a historical scenario (mode: historical); a forward "
                         "scenario has no single history to choose on");
        root.allowOnly({"name", "description", "mode", "universe", "simulation", "start_prices",
                        "rate_path", "model", "refinancing_wall", "bifurcation", "cash_rate",
                        "costs", "execution", "initial_capital", "benchmark", "strategies",
                        "output"});
    } else {
        mode.fail("unknown mode '" + modeName + "' (known: historical, monte_carlo)");
    }
    ScenarioSpec s;
    s.file = root.file();
    const ConfigNode nameNode = root.at("name");
    s.name = nameNode.asString();
    if (s.name.empty() || s.name.find('/') != std::string::npos || s.name.find('.') == 0)
        nameNode.fail("invalid scenario name '" + s.name + "' (no '/', not empty)");
    s.description = root.getString("description", "");
    s.mode = modeName;

    s.universe = parseUniverse(root.at("universe"), modeName == "monte_carlo");
    Universe universe{s.universe.assets};
    for (const auto& [asset, v] : s.universe.valuation) universe.valued.push_back(asset);

    s.endWhere = root.at("universe").location();
    if (auto w = root.find("window")) {
        w->allowOnly({"start", "end"});
        s.endWhere = w->location();
        if (auto v = w->find("start")) s.start = v->asDate();
        if (auto v = w->find("end")) {
            s.end = v->asDate();
            s.endWhere = v->location();
        }
        if (s.start && s.end && !(*s.start < *s.end))
            w->at("end").fail("window end " + s.end->iso() + " is not after start " +
                              s.start->iso());
    }
    if (s.mode == "monte_carlo") {
        s.simulation = parseSimulation(root.at("simulation"), overrides);
        // Located errors now; the checks against the calendar come when the model is built.
        s.ratePath = parseRatePath(root.at("rate_path"));
        if (auto w = root.find("refinancing_wall")) s.refinancingWall = parseRefinancingWall(*w);
        if (auto b = root.find("bifurcation")) s.bifurcation = parseBifurcation(*b);
        ModelParseContext mc{universe, s.simulation->start, s.universe.prices, {}, {}};
        for (const auto& r : s.ratePath->regimes) mc.rateRegimes.push_back(r.name);
        if (s.bifurcation)
            for (const auto& sleeve : s.bifurcation->sleeves)
                mc.sleeveParent[sleeve.name] = s.bifurcation->parent;
        s.model = parseModel(root.at("model"), mc);
        s.modelWhere = root.at("model").location();
        // Every `model` valuation must be one the model simulates.
        for (const auto& [asset, v] : s.universe.valuation) {
            if (s.model->startMultiple(asset)) continue;
            const ConfigNode entry = root.at("universe").at("valuation").at(asset);
            if (s.model->type() == "regime")
                entry.fail("the regime model simulates no multiple for '" + asset +
                           "': give it valuation inputs (model.assets." + asset +
                           ".valuation: {pe, fair_pe, carry}; docs/regimes.md, \"Valuation "
                           "channel\")");
            entry.fail("the '" + s.model->type() +
                       "' model simulates no valuation multiple (only the regime model does, "
                       "for equities with valuation inputs)");
        }
        if (auto sp = root.find("start_prices")) {
            for (const auto& asset : sp->keys()) {
                if (universe.find(asset) < 0)
                    sp->failKey(asset,
                                "start price for '" + asset + "', which is not in universe.assets");
                const double price = sp->at(asset).asDouble();
                if (!(price > 0.0) || !(price <= 1e12))
                    sp->at(asset).fail("expected a positive price up to 1e12");
                s.startPrices[asset] = price;
            }
        }
        s.hasCashRate = root.has("cash_rate");
        if (s.universe.prices.empty()) {
            for (const auto& a : s.universe.assets)
                if (!s.startPrices.contains(a))
                    root.at("universe")
                        .fail("asset '" + a + "' has no price source and no start price");
        }
    }
    if (s.mode == "historical" || root.has("cash_rate"))
        s.cashRate = parseCashRate(root.at("cash_rate"));
    if (auto c = root.find("costs")) s.backtest.costs = parseCosts(*c);
    if (auto e = root.find("execution")) {
        const std::string x = e->asString();
        if (x == "close")
            s.backtest.execution = Execution::Close;
        else if (x == "next_close")
            s.backtest.execution = Execution::NextClose;
        else
            e->fail("unknown execution '" + x + "' (known: close, next_close)");
    }
    s.backtest.initialCapital = root.getDouble("initial_capital", 1e6);
    if (!(s.backtest.initialCapital > 0.0) || !(s.backtest.initialCapital <= 1e15))
        root.at("initial_capital").fail("expected a positive amount up to 1e15");

    const ConfigNode strategies = root.at("strategies");
    std::set<std::string> names;
    for (const auto& item : strategies.items()) {
        StrategySpec spec = parseStrategy(item, registry, universe);
        if (!names.insert(spec.name).second)
            item.at("name").fail("duplicate strategy name '" + spec.name + "'");
        s.strategies.push_back(std::move(spec));
    }
    if (s.strategies.empty()) strategies.fail("expected at least one strategy");
    if (auto b = root.find("benchmark")) {
        s.benchmark = b->asString();
        if (!names.contains(s.benchmark)) {
            std::string known;
            for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
            b->fail("benchmark '" + s.benchmark + "' is not one of the strategies (" + known + ")");
        }
    }
    if (auto o = root.find("output")) s.output = resolvePath(*o);
    if (auto w = root.find("walk_forward")) s.walkForward = parseWalkForward(*w, s.strategies);
    s.baseName = s.name;
    return s;
}

ScenarioSpec loadScenario(const std::string& file, const StrategyRegistry& registry,
                          const SimulationOverrides& overrides) {
    return parseScenario(loadYamlFile(file), registry, overrides);
}

std::string resolvedYaml(const ScenarioSpec& s) {
    YamlWriter out;
    out << yaml::BeginMap;
    out << yaml::Key << "name" << yaml::Value << s.name;
    out << yaml::Key << "description" << yaml::Value << s.description;
    out << yaml::Key << "mode" << yaml::Value << s.mode;
    out << yaml::Key << "universe" << yaml::Value << yaml::BeginMap;
    out << yaml::Key << "assets" << yaml::Value << yaml::Flow << s.universe.assets;
    if (!s.universe.prices.table.empty()) {
        out << yaml::Key << "table" << yaml::Value << s.universe.prices.table;
    } else {
        out << yaml::Key << "prices" << yaml::Value << s.universe.prices.pattern;
        out << yaml::Key << "column" << yaml::Value << s.universe.prices.column;
    }
    // Only when set: the default writes what it always wrote.
    if (s.universe.prices.missing != MissingPolicy::Error)
        out << yaml::Key << "missing" << yaml::Value
            << missingPolicyName(s.universe.prices.missing);
    if (!s.universe.backfill.empty()) {
        out << yaml::Key << "backfill" << yaml::Value << yaml::BeginMap;
        for (const auto& [asset, b] : s.universe.backfill) {
            out << yaml::Key << asset << yaml::Value;
            if (b.kind == BackfillSpec::Kind::Cash) {
                out << "cash";
            } else {
                out << yaml::BeginMap << yaml::Key << "returns" << yaml::Value << b.file
                    << yaml::Key << "column" << yaml::Value << b.column << yaml::Key << "scale"
                    << yaml::Value << b.scale << yaml::EndMap;
            }
        }
        out << yaml::EndMap;
    }
    if (!s.universe.valuation.empty()) {
        out << yaml::Key << "valuation" << yaml::Value << yaml::BeginMap;
        for (const auto& [asset, v] : s.universe.valuation) {
            const bool multiple = v.kind == ValuationSourceSpec::Kind::Multiple;
            out << yaml::Key << asset << yaml::Value;
            if (!v.hasFile()) {
                out << "model";
                continue;
            }
            out << yaml::BeginMap;
            if (v.model) out << yaml::Key << "model" << yaml::Value << true;
            out << yaml::Key << (multiple ? "multiple" : "returns") << yaml::Value << v.file
                << yaml::Key << "column" << yaml::Value << v.column;
            if (!multiple) out << yaml::Key << "scale" << yaml::Value << v.scale;
            out << yaml::Key << "lag_days" << yaml::Value << v.lagDays << yaml::Key
                << "max_stale_days" << yaml::Value << v.maxStaleDays << yaml::EndMap;
        }
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    if (s.simulation) {
        const SimulationSpec& m = *s.simulation;
        out << yaml::Key << "simulation" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "start" << yaml::Value << m.start.iso();
        if (m.end)
            out << yaml::Key << "end" << yaml::Value << m.end->iso();
        else
            out << yaml::Key << "horizon" << yaml::Value << m.horizonDays;
        out << yaml::Key << "paths" << yaml::Value << m.paths;
        out << yaml::Key << "seed" << yaml::Value << m.seed;
        out << yaml::Key << "chunk" << yaml::Value << m.chunk;
        out << yaml::Key << "threads" << yaml::Value << m.threads;
        out << yaml::Key << "percentiles" << yaml::Value << yaml::Flow << m.percentiles;
        out << yaml::Key << "store" << yaml::Value << (m.storePaths ? "paths" : "summary");
        out << yaml::Key << "history_days" << yaml::Value << m.historyDays;
        out << yaml::EndMap;
        if (!s.startPrices.empty()) {
            out << yaml::Key << "start_prices" << yaml::Value << yaml::BeginMap;
            for (const auto& [a, p] : s.startPrices) out << yaml::Key << a << yaml::Value << p;
            out << yaml::EndMap;
        }
        out << yaml::Key << "rate_path" << yaml::Value;
        emitRatePath(out, *s.ratePath);
        out << yaml::Key << "model" << yaml::Value;
        s.model->emit(out);
        if (s.refinancingWall) {
            out << yaml::Key << "refinancing_wall" << yaml::Value;
            emitRefinancingWall(out, *s.refinancingWall);
        }
        if (s.bifurcation) {
            out << yaml::Key << "bifurcation" << yaml::Value;
            emitBifurcation(out, *s.bifurcation);
        }
    } else {
        out << yaml::Key << "window" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "start" << yaml::Value
            << (s.start ? s.start->iso() : "first common date");
        out << yaml::Key << "end" << yaml::Value << (s.end ? s.end->iso() : "last common date");
        out << yaml::EndMap;
    }
    if (s.mode == "historical" || s.hasCashRate) {
        out << yaml::Key << "cash_rate" << yaml::Value << yaml::BeginMap;
        if (s.cashRate.constant) {
            out << yaml::Key << "constant" << yaml::Value << *s.cashRate.constant;
        } else {
            out << yaml::Key << "series" << yaml::Value << s.cashRate.file;
            out << yaml::Key << "column" << yaml::Value << s.cashRate.column;
            out << yaml::Key << "max_stale_days" << yaml::Value << s.cashRate.maxStaleDays;
            if (s.cashRate.missing != MissingPolicy::Error)
                out << yaml::Key << "missing" << yaml::Value
                    << missingPolicyName(s.cashRate.missing);
        }
        out << yaml::EndMap;
    }
    const CostModel& c = s.backtest.costs;
    out << yaml::Key << "costs" << yaml::Value << yaml::BeginMap;
    out << yaml::Key << "commission_bps" << yaml::Value << c.commissionBps;
    out << yaml::Key << "slippage_bps" << yaml::Value << c.slippageBps;
    out << yaml::Key << "min_commission" << yaml::Value << c.minCommission;
    out << yaml::Key << "borrow_spread_bps" << yaml::Value << c.borrowSpreadBps;
    out << yaml::EndMap;
    out << yaml::Key << "execution" << yaml::Value
        << (s.backtest.execution == Execution::Close ? "close" : "next_close");
    out << yaml::Key << "initial_capital" << yaml::Value << s.backtest.initialCapital;
    out << yaml::Key << "benchmark" << yaml::Value << s.benchmark;
    out << yaml::Key << "strategies" << yaml::Value << yaml::BeginSeq;
    for (const auto& st : s.strategies) out.embed(st.yaml);
    out << yaml::EndSeq;
    out << yaml::Key << "output" << yaml::Value << s.output;
    if (s.walkForward) {
        const WalkForwardSpec& w = *s.walkForward;
        out << yaml::Key << "walk_forward" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "strategy" << yaml::Value << w.strategy;
        out << yaml::Key << "metric" << yaml::Value << w.metric;
        out << yaml::Key << "goal" << yaml::Value << (w.maximise ? "maximise" : "minimise");
        out << yaml::Key << "in_sample" << yaml::Value << w.inSample;
        out << yaml::Key << "out_of_sample" << yaml::Value << w.outOfSample;
        out << yaml::Key << "step" << yaml::Value << w.step;
        out << yaml::Key << "window" << yaml::Value << (w.anchored ? "anchored" : "rolling");
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    return std::string(out.str()) + "\n";
}

std::vector<std::string> scenarioDataFiles(const ScenarioSpec& s) {
    std::vector<std::string> out;
    if (!s.universe.prices.table.empty())
        out.push_back(s.universe.prices.table);
    else if (!s.universe.prices.pattern.empty())
        for (const auto& a : s.universe.assets)
            out.push_back(expandAssetPattern(s.universe.prices.pattern, a));
    for (const auto& [asset, b] : s.universe.backfill)
        if (b.kind == BackfillSpec::Kind::Returns) out.push_back(b.file);
    for (const auto& [asset, v] : s.universe.valuation)
        if (v.hasFile()) out.push_back(v.file);
    if (!s.cashRate.file.empty()) out.push_back(s.cashRate.file);
    return out;
}

void checkOverrides(const SimulationOverrides& o) {
    using L = SimulationLimits;
    if (o.paths) overridden(*o.paths, 1, L::kMaxPaths, "--paths");
    if (o.seed) overridden(*o.seed, 0, L::kMaxSeed, "--seed");
    if (o.threads) overridden(*o.threads, 0, L::kMaxThreads, "--threads");
}

}  // namespace rotor
