// SPDX-License-Identifier: MIT
// The regime model's YAML: the `model: {type: regime}` block parsed into a RegimeModelConfig,
// written back (resolved scenario), and the calibrated model described (provenance, `rotor
// calibrate`).
#include "engine/core/error.hpp"
#include "engine/scenario/regime/regime_generator.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace rotor {

namespace {

std::string stripPct(const std::string& column) {
    const std::string suffix = "_pct";
    if (column.size() > suffix.size() &&
        column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0)
        return column.substr(0, column.size() - suffix.size());
    return column;
}

// `{file, column}`, the column optional.
void fileColumn(const ConfigNode& n, std::string& file, std::string& column) {
    n.allowOnly({"file", "column"});
    file = resolvePath(n.at("file"));
    column = n.getString("column", "");
}

// A class estimate's choice: 'sample' (what `sample` says) or 'shrunk' (what `shrunk` says);
// true for 'shrunk'.
bool isShrunk(const ConfigNode& m, const std::string& sample, const std::string& shrunk) {
    const std::string v = m.asString();
    if (v != "sample" && v != "shrunk")
        m.fail("expected 'sample' (" + sample + ") or 'shrunk' (" + shrunk + "), found '" + v +
               "'");
    return v == "shrunk";
}

RegimeCalibrationSpec parseCalibration(const ConfigNode& c, const ModelParseContext& ctx) {
    c.allowOnly({"window", "assets_from", "prices", "column", "table", "factors", "policy",
                 "recessions", "yield_2y", "yield_10y", "valuation", "stress", "easing_days",
                 "prior_days", "class_means", "class_vols", "class_premia"});
    RegimeCalibrationSpec s;
    const ConfigNode w = c.at("window");
    w.allowOnly({"start", "end"});
    s.start = w.at("start").asDate();
    s.end = w.at("end").asDate();
    if (!(s.start < s.end)) w.at("end").fail("the window must end after it starts");
    if (s.end > ctx.dataCutoff)
        w.at("end").fail("the calibration window ends " + s.end.iso() +
                         ", after the data cut-off " + ctx.dataCutoff.iso() +
                         " (the simulation start)");
    if (auto a = c.find("assets_from")) {
        s.assetStart = a->asDate();
        if (*s.assetStart >= s.end) a->fail("must be before the window's end " + s.end.iso());
    }
    if (c.has("prices") && c.has("table")) c.failKey("table", "give 'prices' or 'table', not both");
    if (auto p = c.find("prices")) {
        s.prices.pattern = resolvePath(*p);
        s.prices.column = c.getString("column", "");
    } else if (auto t = c.find("table")) {
        s.prices.table = resolvePath(*t);
    } else {
        s.prices = ctx.scenarioPrices;
        if (s.prices.empty())
            c.fail("no asset prices: give calibrate.prices or universe.prices in the scenario");
    }
    const ConfigNode f = c.at("factors");
    f.allowOnly({"file", "columns", "scale", "risk_free"});
    s.factorFile = resolvePath(f.at("file"));
    s.factorColumns = f.at("columns").asStringList();
    if (s.factorColumns.empty()) f.at("columns").fail("list at least one factor column");
    std::set<std::string> seen;
    for (const auto& col : s.factorColumns) {
        s.factorNames.push_back(stripPct(col));
        if (!seen.insert(s.factorNames.back()).second)
            f.at("columns").fail("duplicate factor '" + s.factorNames.back() + "'");
    }
    s.factorScale = f.at("scale").asDoubleIn(1e-6, 1.0);
    s.riskFreeColumn = f.getString("risk_free", "");
    fileColumn(c.at("policy"), s.policyFile, s.policyColumn);
    fileColumn(c.at("recessions"), s.recessionFile, s.recessionColumn);
    fileColumn(c.at("yield_2y"), s.rateFile, s.rateColumn);
    if (auto y = c.find("yield_10y")) fileColumn(*y, s.longRateFile, s.longRateColumn);
    if (auto v = c.find("valuation")) {
        v->allowOnly({"file", "from"});
        s.valuationFile = resolvePath(v->at("file"));
        if (auto from = v->find("from")) {
            s.valuationStart = from->asDate();
            if (*s.valuationStart >= s.end)
                from->fail("must be before the window's end " + s.end.iso());
        }
    }
    if (auto st = c.find("stress")) {
        st->allowOnly({"from"});
        if (s.valuationFile.empty())
            c.failKey("stress", "the stress fit reads the Shiller file: give calibrate.valuation");
        s.stressStart = st->at("from").asDate();
        if (*s.stressStart >= s.end)
            st->at("from").fail("must be before the window's end " + s.end.iso());
    }
    if (auto e = c.find("easing_days")) s.easingDays = e->asIntIn(30, 1000);
    if (auto p = c.find("prior_days")) s.priorDays = p->asDoubleIn(0.0, 1e5);
    if (auto m = c.find("class_means"))
        s.shrinkClassMeans = isShrunk(*m, "each class's own mean",
                                      "toward the classes' common mean");
    if (auto m = c.find("class_vols"))
        s.shrinkClassVols = isShrunk(*m, "each class's own volatilities",
                                     "the style factors' toward the classes' common level");
    if (auto m = c.find("class_premia"))
        s.shrinkClassPremia = isShrunk(*m, "each class's own premium",
                                       "each equity's premium beyond its market loading toward the "
                                       "classes' common level");
    return s;
}

ValuationInputs parseValuation(const ConfigNode& v, const ModelParseContext& ctx) {
    v.allowOnly({"pe", "fair_pe", "carry", "growth"});
    ValuationInputs in;
    in.pe = v.at("pe").asDoubleIn(1.0, 500.0);
    if (auto f = v.find("fair_pe")) {
        if (!(f->isScalar() && f->asString() == "history")) in.fairPe = f->asDoubleIn(1.0, 500.0);
    }
    in.carry = v.at("carry").asDoubleIn(0.0, 0.5);
    if (auto g = v.find("growth")) {
        if (g->isScalar()) {
            in.growth["all"] = g->asDoubleIn(-1.0, 2.0);
        } else {
            for (const auto& regime : g->keys()) {
                if (regime != "all" && std::find(ctx.rateRegimes.begin(), ctx.rateRegimes.end(),
                                                 regime) == ctx.rateRegimes.end())
                    g->failKey(regime, "'" + regime + "' is not a regime of rate_path (nor 'all')");
                in.growth[regime] = g->at(regime).asDoubleIn(-1.0, 2.0);
            }
        }
    }
    return in;
}

}  // namespace

std::shared_ptr<const ModelSpec> parseRegimeModel(const ConfigNode& model,
                                                  const ModelParseContext& ctx) {
    model.allowOnly({"type", "distribution", "calibrate", "regimes", "class_switching", "curve",
                     "assets", "views"});
    auto config = std::make_shared<RegimeModelConfig>();
    RegimeModelConfig& m = *config;
    if (auto d = model.find("distribution")) {
        if (d->isScalar()) {
            if (d->asString() != "normal")
                d->fail("expected 'normal' or {student_t: {dof: N}}, found '" + d->asString() +
                        "'");
        } else {
            d->allowOnly({"student_t"});
            const ConfigNode t = d->at("student_t");
            t.allowOnly({"dof"});
            m.dof = t.at("dof").asDoubleIn(2.000001, 1000.0);
        }
    }
    m.calibrate = parseCalibration(model.at("calibrate"), ctx);
    m.calibrateWhere = model.at("calibrate").location();

    // Every rate regime is an episode class of history: by the `regimes` map, else by its name.
    const auto& classes = regimeClassNames();
    m.rateRegimes = ctx.rateRegimes;
    std::map<std::string, std::string> given;
    if (auto r = model.find("regimes")) {
        for (const auto& key : r->keys()) {
            if (std::find(ctx.rateRegimes.begin(), ctx.rateRegimes.end(), key) ==
                ctx.rateRegimes.end())
                r->failKey(key, "'" + key + "' is not a regime of rate_path");
            const ConfigNode v = r->at(key);
            const std::string c = v.asString();
            if (std::find(classes.begin(), classes.end(), c) == classes.end())
                v.fail("unknown episode class '" + c +
                       "' (known: soft_landing, recession, hold, tightening)");
            given[key] = c;
        }
    }
    for (const auto& regime : ctx.rateRegimes) {
        if (auto g = given.find(regime); g != given.end()) {
            m.regimeClass.push_back(g->second);
        } else if (std::find(classes.begin(), classes.end(), regime) != classes.end()) {
            m.regimeClass.push_back(regime);
        } else {
            (model.has("regimes") ? model.at("regimes") : model)
                .fail("rate regime '" + regime +
                      "' has no episode class: map it in model.regimes (soft_landing, "
                      "recession, hold or tightening)");
        }
    }
    if (auto sw = model.find("class_switching")) {
        if (sw->isScalar()) {
            if (sw->asString() != "none")
                sw->fail("expected 'none' or {after_days: N}, found '" + sw->asString() + "'");
            m.switchAfterDays.reset();
        } else {
            sw->allowOnly({"after_days"});
            m.switchAfterDays = static_cast<int>(sw->at("after_days").asIntIn(0, 100000));
        }
    }
    if (auto c = model.find("curve")) {
        c->allowOnly({"learning_days"});
        if (auto l = c->find("learning_days")) m.learningDays = l->asDoubleIn(1.0, 10000.0);
    }

    // Assets: equities by default; `valuation:` inputs or `bond:`.
    for (const auto& name : ctx.universe.assets) {
        RegimeAssetInput in;
        in.name = name;
        if (auto s = ctx.sleeveParent.find(name); s != ctx.sleeveParent.end())
            in.sleeveOf = s->second;
        m.assets.push_back(in);
    }
    if (auto a = model.find("assets")) {
        for (const auto& key : a->keys()) {
            const Index i = ctx.universe.find(key);
            if (i < 0) a->failKey(key, "'" + key + "' is not in universe.assets");
            const ConfigNode e = a->at(key);
            e.allowOnly({"valuation", "bond"});
            RegimeAssetInput& in = m.assets[static_cast<std::size_t>(i)];
            if (e.has("valuation") && e.has("bond"))
                e.failKey("bond", "an asset is an equity with a valuation or a bond, not both");
            if (auto v = e.find("valuation")) {
                in.valuation = parseValuation(*v, ctx);
                if (m.calibrate.valuationFile.empty())
                    v->fail("valuation inputs need calibrate.valuation (the Shiller file)");
            }
            if (auto b = e.find("bond")) {
                b->allowOnly({"duration", "curve"});
                in.kind = AssetKind::Bond;
                if (auto d = b->find("duration")) in.duration = d->asDoubleIn(0.01, 50.0);
                in.curve = b->getString("curve", "2y");
                if (in.curve != "2y" && in.curve != "10y")
                    b->at("curve").fail("expected '2y' or '10y', found '" + in.curve + "'");
                if (in.curve == "10y" && m.calibrate.longRateFile.empty())
                    b->at("curve").fail("a 10-year bond needs calibrate.yield_10y");
            }
            if (!in.sleeveOf.empty())
                e.fail("'" + key + "' is a bifurcation sleeve: the overlay sets its returns");
        }
    }

    // Views: `views: {REGIME or all: {expected_return: {ASSET: R or {return,
    // includes_rate_effect}}}}`.
    if (auto views = model.find("views")) {
        for (const auto& regime : views->keys()) {
            if (regime != "all" && std::find(ctx.rateRegimes.begin(), ctx.rateRegimes.end(),
                                             regime) == ctx.rateRegimes.end())
                views->failKey(regime, "'" + regime + "' is not a regime of rate_path (nor 'all')");
            const ConfigNode block = views->at(regime);
            block.allowOnly({"expected_return"});
            const ConfigNode er = block.at("expected_return");
            for (const auto& asset : er.keys()) {
                const Index i = ctx.universe.find(asset);
                if (i < 0) er.failKey(asset, "'" + asset + "' is not in universe.assets");
                const RegimeAssetInput& in = m.assets[static_cast<std::size_t>(i)];
                const ConfigNode v = er.at(asset);
                RegimeView view;
                view.where = v.location();
                if (in.kind == AssetKind::Bond) {
                    if (!v.isMap())
                        v.fail(
                            "a view on a bond says whether it includes the rate effect: "
                            "{return: R, includes_rate_effect: true|false}");
                    v.allowOnly({"return", "includes_rate_effect"});
                    view.expectedReturn = v.at("return").asDoubleIn(-0.99, 1.0);
                    view.includesRateEffect = v.at("includes_rate_effect").asBool();
                } else {
                    view.expectedReturn = v.asDoubleIn(-0.99, 2.0);
                }
                if (!in.sleeveOf.empty())
                    v.fail("'" + asset + "' is a bifurcation sleeve: the overlay sets its returns");
                m.views[regime][asset] = view;
            }
        }
    }
    return config;
}

RegimeModelSpec RegimeModelConfig::resolve(Date cutoff, DataStore& data) const {
    try {
        return calibrateRegimes(calibrate, assets, cutoff, data);
    } catch (const ConfigError&) {
        throw;
    } catch (const DataError&) {
        throw;
    } catch (const InputError& e) {
        calibrateWhere.fail(e.what(), "model.calibrate");
    }
}

std::optional<double> RegimeModelConfig::startMultiple(const std::string& asset) const {
    for (const auto& a : assets)
        if (a.name == asset && a.kind == AssetKind::Equity && a.valuation && a.sleeveOf.empty())
            return a.valuation->pe;
    return std::nullopt;
}

std::unique_ptr<PathGenerator> RegimeModelConfig::build(const GeneratorContext& ctx,
                                                        DataStore& data,
                                                        ReturnOverlays overlays) const {
    return std::make_unique<RegimePathGenerator>(resolve(ctx.dataCutoff, data), *this, ctx,
                                                 std::move(overlays));
}

void RegimeModelConfig::emit(YamlWriter& out) const {
    const RegimeCalibrationSpec& c = calibrate;
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << "regime";
    out << yaml::Key << "distribution" << yaml::Value;
    if (dof > 0.0)
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "student_t" << yaml::Value
            << yaml::BeginMap << yaml::Key << "dof" << yaml::Value << dof << yaml::EndMap
            << yaml::EndMap;
    else
        out << "normal";
    out << yaml::Key << "calibrate" << yaml::Value << yaml::BeginMap;
    out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "start" << yaml::Value << c.start.iso() << yaml::Key << "end" << yaml::Value
        << c.end.iso() << yaml::EndMap;
    if (c.assetStart) out << yaml::Key << "assets_from" << yaml::Value << c.assetStart->iso();
    if (!c.prices.table.empty()) {
        out << yaml::Key << "table" << yaml::Value << c.prices.table;
    } else {
        out << yaml::Key << "prices" << yaml::Value << c.prices.pattern;
        out << yaml::Key << "column" << yaml::Value << c.prices.column;
    }
    out << yaml::Key << "factors" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "file" << yaml::Value << c.factorFile << yaml::Key << "columns" << yaml::Value
        << c.factorColumns << yaml::Key << "scale" << yaml::Value << c.factorScale << yaml::Key
        << "risk_free" << yaml::Value << c.riskFreeColumn << yaml::EndMap;
    const auto fc = [&](const char* key, const std::string& file, const std::string& column) {
        if (file.empty()) return;
        out << yaml::Key << key << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << file << yaml::Key << "column" << yaml::Value << column
            << yaml::EndMap;
    };
    fc("policy", c.policyFile, c.policyColumn);
    fc("recessions", c.recessionFile, c.recessionColumn);
    fc("yield_2y", c.rateFile, c.rateColumn);
    fc("yield_10y", c.longRateFile, c.longRateColumn);
    if (!c.valuationFile.empty()) {
        out << yaml::Key << "valuation" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << c.valuationFile;
        if (c.valuationStart) out << yaml::Key << "from" << yaml::Value << c.valuationStart->iso();
        out << yaml::EndMap;
    }
    if (c.stressStart)
        out << yaml::Key << "stress" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "from" << yaml::Value << c.stressStart->iso() << yaml::EndMap;
    out << yaml::Key << "easing_days" << yaml::Value << c.easingDays;
    out << yaml::Key << "prior_days" << yaml::Value << c.priorDays;
    if (c.shrinkClassMeans) out << yaml::Key << "class_means" << yaml::Value << "shrunk";
    if (c.shrinkClassVols) out << yaml::Key << "class_vols" << yaml::Value << "shrunk";
    if (c.shrinkClassPremia) out << yaml::Key << "class_premia" << yaml::Value << "shrunk";
    out << yaml::EndMap;
    out << yaml::Key << "regimes" << yaml::Value << yaml::BeginMap;
    for (std::size_t r = 0; r < rateRegimes.size(); ++r)
        out << yaml::Key << rateRegimes[r] << yaml::Value << regimeClass[r];
    out << yaml::EndMap;
    out << yaml::Key << "class_switching" << yaml::Value;
    if (switchAfterDays)
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "after_days" << yaml::Value
            << *switchAfterDays << yaml::EndMap;
    else
        out << "none";
    out << yaml::Key << "curve" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "learning_days" << yaml::Value << learningDays << yaml::EndMap;
    out << yaml::Key << "assets" << yaml::Value << yaml::BeginMap;
    for (const auto& a : assets) {
        out << yaml::Key << a.name << yaml::Value << yaml::Flow << yaml::BeginMap;
        if (a.kind == AssetKind::Bond) {
            out << yaml::Key << "bond" << yaml::Value << yaml::BeginMap << yaml::Key << "curve"
                << yaml::Value << a.curve;
            if (a.duration) out << yaml::Key << "duration" << yaml::Value << *a.duration;
            out << yaml::EndMap;
        } else if (a.valuation) {
            const ValuationInputs& v = *a.valuation;
            out << yaml::Key << "valuation" << yaml::Value << yaml::BeginMap << yaml::Key << "pe"
                << yaml::Value << v.pe << yaml::Key << "fair_pe" << yaml::Value;
            if (v.fairPe)
                out << *v.fairPe;
            else
                out << "history";
            out << yaml::Key << "carry" << yaml::Value << v.carry;
            if (!v.growth.empty()) {
                out << yaml::Key << "growth" << yaml::Value << yaml::Flow << yaml::BeginMap;
                for (const auto& [regime, g] : v.growth)
                    out << yaml::Key << regime << yaml::Value << g;
                out << yaml::EndMap;
            }
            out << yaml::EndMap;
        }
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    if (!views.empty()) {
        out << yaml::Key << "views" << yaml::Value << yaml::BeginMap;
        for (const auto& [regime, byAsset] : views) {
            out << yaml::Key << regime << yaml::Value << yaml::BeginMap << yaml::Key
                << "expected_return" << yaml::Value << yaml::Flow << yaml::BeginMap;
            for (const auto& [asset, v] : byAsset) {
                out << yaml::Key << asset << yaml::Value;
                if (v.includesRateEffect)
                    out << yaml::BeginMap << yaml::Key << "return" << yaml::Value
                        << v.expectedReturn << yaml::Key << "includes_rate_effect" << yaml::Value
                        << *v.includesRateEffect << yaml::EndMap;
                else
                    out << v.expectedReturn;
            }
            out << yaml::EndMap << yaml::EndMap;
        }
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
}

std::string RegimePathGenerator::describe() const {
    YamlWriter out;
    out.setDoublePrecision(8);
    const auto k1 = static_cast<Index>(spec_.factorNames.size());
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << "regime";
    out << yaml::Key << "calibration" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "first" << yaml::Value << spec_.first.iso() << yaml::Key << "last" << yaml::Value
        << spec_.last.iso() << yaml::EndMap;
    out << yaml::Key << "regimes" << yaml::Value << yaml::BeginMap;
    for (std::size_t r = 0; r < regimeNames_.size(); ++r)
        out << yaml::Key << regimeNames_[r] << yaml::Value
            << spec_.classes[static_cast<std::size_t>(classOf_[r])].name;
    out << yaml::EndMap;
    out << yaml::Key << "factors" << yaml::Value << yaml::Flow << spec_.factorNames;
    out << yaml::Key << "classes" << yaml::Value << yaml::BeginMap;
    for (const auto& c : spec_.classes) {
        out << yaml::Key << c.name << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "days" << yaml::Value << c.days << yaml::Key << "spells" << yaml::Value
            << c.spells;
        out << yaml::Key << "mean" << yaml::Value << yaml::Flow
            << std::vector<double>(c.factorMean.data(), c.factorMean.data() + c.factorMean.size());
        std::vector<double> vol;
        for (Index j = 0; j < k1; ++j) vol.push_back(std::sqrt(c.factorCov(j, j) * 252.0));
        out << yaml::Key << "vol" << yaml::Value << yaml::Flow << vol;
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    if (switchMonthly_.size() > 0) {
        // Per class (rows in the order of `classes`): the probabilities of each class next.
        const auto rows = [&](const char* key, const Matrix& m) {
            out << yaml::Key << key << yaml::Value << yaml::BeginSeq;
            for (Index c = 0; c < m.rows(); ++c) {
                std::vector<double> row;
                for (Index j = 0; j < m.cols(); ++j) row.push_back(m(c, j));
                out << yaml::Flow << row;
            }
            out << yaml::EndSeq;
        };
        out << yaml::Key << "class_switching" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "after_days" << yaml::Value << switchAfter_;
        rows("monthly", switchMonthly_);
        rows("after_spell", switchAfterSpell_);
        out << yaml::EndMap;
    }
    out << yaml::Key << "assets" << yaml::Value << yaml::BeginMap;
    for (const auto& a : spec_.assets) {
        out << yaml::Key << a.name << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "kind" << yaml::Value
            << (a.kind == AssetKind::Bond ? "bond" : "equity");
        if (a.kind == AssetKind::Bond)
            out << yaml::Key << "duration" << yaml::Value << a.duration << yaml::Key << "curve"
                << yaml::Value << a.curve;
        else
            out << yaml::Key << "premium" << yaml::Value << yaml::Flow << a.premium;
        out << yaml::Key << "beta" << yaml::Value << yaml::BeginSeq;
        for (const auto& b : a.beta)
            out << yaml::Flow << std::vector<double>(b.data(), b.data() + b.size());
        out << yaml::EndSeq;
        std::vector<double> idio;
        for (double s : a.idioSd) idio.push_back(s * std::sqrt(252.0));
        out << yaml::Key << "idio_vol" << yaml::Value << yaml::Flow << idio;
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
    const ValuationHistory& v = spec_.valuation;
    out << yaml::Key << "valuation" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "multiple_reversion" << yaml::Value << v.multipleReversion << yaml::Key << "carry"
        << yaml::Value << v.carry << yaml::Key << "growth" << yaml::Value << v.growth << yaml::Key
        << "growth_reversion" << yaml::Value << v.growthReversion << yaml::Key << "pe_gap"
        << yaml::Value << v.peGap << yaml::Key << "equity_duration" << yaml::Value
        << v.equityDuration << yaml::Key << "erp_shock_sd" << yaml::Value << v.erpShockSd
        << yaml::Key << "years" << yaml::Value << v.years << yaml::EndMap;
    if (spec_.stress.enabled) {
        const StressParams& s = spec_.stress;
        out << yaml::Key << "stress" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "calm" << yaml::Value << yaml::BeginMap << yaml::Key << "mean" << yaml::Value
            << s.calmMean << yaml::Key << "vol" << yaml::Value << s.calmVol << yaml::EndMap
            << yaml::Key << "turbulent" << yaml::Value << yaml::BeginMap << yaml::Key << "mean"
            << yaml::Value << s.turbulentMean << yaml::Key << "vol" << yaml::Value << s.turbulentVol
            << yaml::EndMap << yaml::Key << "to_turbulent" << yaml::Value << s.toTurbulent
            << yaml::Key << "to_calm" << yaml::Value << s.toCalm << yaml::Key << "months"
            << yaml::Value << s.months << yaml::EndMap;
    }
    const CurveParams& c = spec_.curve;
    out << yaml::Key << "curve" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "start_2y" << yaml::Value << c.start2y << yaml::Key << "start_10y" << yaml::Value
        << c.start10y << yaml::Key << "policy_beta" << yaml::Value << c.policyBeta << yaml::Key
        << "ten_year_beta" << yaml::Value << c.tenYearBeta << yaml::EndMap;
    if (!overlays().empty())
        out << yaml::Key << "overlays" << yaml::Value << yaml::Flow << overlayNames();
    out << yaml::Key << "files" << yaml::Value << spec_.files;
    out << yaml::EndMap;
    return std::string(out.str()) + "\n";
}

}  // namespace rotor
