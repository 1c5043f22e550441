// SPDX-License-Identifier: MIT
// The factor model's YAML: the `model:` block parsed into a FactorModelConfig, and the
// resolved parameters written back (provenance, `rotor calibrate`).
#include "engine/config/yaml_writer.hpp"
#include "engine/core/error.hpp"
#include "engine/scenario/factor/factor_model.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace rotor {

namespace {

std::string fmt(double x) {
    std::ostringstream os;
    os.precision(17);
    os << x;
    return os.str();
}

// k numbers, each in [lo, hi].
Vector parseVector(const ConfigNode& node, Index k, double lo, double hi) {
    const auto items = node.items();
    if (static_cast<Index>(items.size()) != k)
        node.fail("expected " + std::to_string(k) + " numbers (one per factor), found " +
                  std::to_string(items.size()));
    Vector v(k);
    for (Index i = 0; i < k; ++i) v[i] = items[static_cast<std::size_t>(i)].asDoubleIn(lo, hi);
    return v;
}

// A map keyed by asset names of the universe; returns (column, value node) pairs.
std::vector<std::pair<Index, ConfigNode>> assetMap(const ConfigNode& node, const Universe& u) {
    std::vector<std::pair<Index, ConfigNode>> out;
    for (const auto& key : node.keys()) {
        const Index i = u.find(key);
        if (i < 0) node.failKey(key, "'" + key + "' is not in universe.assets");
        out.emplace_back(i, node.at(key));
    }
    return out;
}

void parseDistribution(const ConfigNode& model, FactorModelSpec& spec) {
    const auto d = model.find("distribution");
    if (!d) return;
    if (d->isScalar()) {
        if (d->asString() != "normal")
            d->fail("expected 'normal' or {student_t: {dof: N}}, found '" + d->asString() + "'");
        return;
    }
    if (!d->isMap()) d->fail("expected 'normal' or {student_t: {dof: N}}");
    d->allowOnly({"student_t"});
    const ConfigNode t = d->at("student_t");
    t.allowOnly({"dof"});
    const ConfigNode dof = t.at("dof");
    const double v = dof.asDouble();
    // Unit-variance scaling needs a finite variance, i.e. dof > 2.
    if (!(v > 2.0) || !(v <= 1e6)) dof.fail("dof must be a number in (2, 1e6], found " + fmt(v));
    spec.distribution = FactorDistribution::StudentT;
    spec.dof = v;
}

void checkCorrelation(const ConfigNode& node, const Matrix& c) {
    const Index k = c.rows();
    for (Index i = 0; i < k; ++i) {
        if (std::abs(c(i, i) - 1.0) > 1e-9)
            node.fail("the diagonal must be 1, found " + fmt(c(i, i)));
        for (Index j = 0; j < k; ++j) {
            if (std::abs(c(i, j) - c(j, i)) > 1e-9) node.fail("the matrix must be symmetric");
            if (std::abs(c(i, j)) > 1.0)
                node.fail("correlations must lie in [-1, 1], found " + fmt(c(i, j)));
        }
    }
    if (Eigen::LLT<Matrix>(c).info() != Eigen::Success)
        node.fail("the correlation matrix is not positive definite");
}

void parseFactors(const ConfigNode& f, FactorModelSpec& spec) {
    f.allowOnly({"names", "mean", "vol", "correlation"});
    spec.factorNames = f.at("names").asStringList();
    std::set<std::string> seen;
    for (const auto& n : spec.factorNames)
        if (!seen.insert(n).second) f.at("names").fail("duplicate factor name '" + n + "'");
    const auto k = static_cast<Index>(spec.factorNames.size());
    spec.factorMean = parseVector(f.at("mean"), k, -10.0, 10.0);
    spec.factorVol = parseVector(f.at("vol"), k, 0.0, 100.0);
    for (Index i = 0; i < k; ++i)
        if (!(spec.factorVol[i] >= 0.0))
            f.at("vol").fail("vols must be >= 0, found " + fmt(spec.factorVol[i]));
    if (const auto c = f.find("correlation")) {
        const auto rows = c->items();
        if (static_cast<Index>(rows.size()) != k)
            c->fail("expected " + std::to_string(k) + " rows, found " +
                    std::to_string(rows.size()));
        spec.correlation.resize(k, k);
        for (Index i = 0; i < k; ++i)
            spec.correlation.row(
                i) = parseVector(rows[static_cast<std::size_t>(i)], k, -1.0, 1.0).transpose();
        checkCorrelation(*c, spec.correlation);
    } else {
        if (k > 1) f.fail("missing required key 'correlation' (needed with more than one factor)");
        spec.correlation = Matrix::Identity(k, k);
    }
}

void parseAssets(const ConfigNode& a, const Universe& u, FactorModelSpec& spec) {
    const auto k = static_cast<Index>(spec.factorNames.size());
    spec.assets.assign(static_cast<std::size_t>(u.size()), FactorAssetParams{});
    std::vector<bool> given(static_cast<std::size_t>(u.size()), false);
    for (const auto& [i, e] : assetMap(a, u)) {
        e.allowOnly({"beta", "rate_beta", "idio_vol", "alpha"});
        FactorAssetParams& p = spec.assets[static_cast<std::size_t>(i)];
        p.name = u.assets[static_cast<std::size_t>(i)];
        p.beta = Vector::Zero(k);
        if (const auto b = e.find("beta")) {
            for (const auto& name : b->keys()) {
                const auto it = std::find(spec.factorNames.begin(), spec.factorNames.end(), name);
                if (it == spec.factorNames.end())
                    b->failKey(name, "'" + name + "' is not a factor (factors.names)");
                p.beta[it - spec.factorNames.begin()] = b->at(name).asDoubleIn(-100.0, 100.0);
            }
        }
        if (const auto r = e.find("rate_beta")) p.rateBeta = r->asDoubleIn(-100.0, 100.0);
        if (const auto iv = e.find("idio_vol")) p.idioVol = iv->asDoubleIn(0.0, 100.0);
        if (const auto al = e.find("alpha")) p.alpha = al->asDoubleIn(-10.0, 10.0);
        given[static_cast<std::size_t>(i)] = true;
    }
    for (std::size_t i = 0; i < given.size(); ++i)
        if (!given[i]) a.fail("no parameters for asset '" + u.assets[i] + "'");
}

void parseViews(const ConfigNode& v, const Universe& u, FactorModelSpec& spec) {
    v.allowOnly({"expected_return", "rerating", "vol_multiplier"});
    if (const auto er = v.find("expected_return")) {
        for (const auto& [i, e] : assetMap(*er, u)) {
            const double r = e.asDouble();
            if (!(r > -1.0) || !(r <= 10.0))
                e.fail("an expected return must be in (-1, 10] (annual), found " + fmt(r));
            spec.views[static_cast<std::size_t>(i)].expectedReturn = r;
        }
    }
    if (const auto rr = v.find("rerating")) {
        for (const auto& [i, e] : assetMap(*rr, u)) {
            e.allowOnly({"from_pe", "to_pe"});
            const double from = e.at("from_pe").asDoubleIn(0.01, 1e4);
            const double to = e.at("to_pe").asDoubleIn(0.01, 1e4);
            spec.views[static_cast<std::size_t>(i)].fromPe = from;
            spec.views[static_cast<std::size_t>(i)].toPe = to;
        }
    }
    if (const auto vm = v.find("vol_multiplier")) {
        for (const auto& [i, e] : assetMap(*vm, u)) {
            const double m = e.asDouble();
            if (!(m >= 0.0) || !(m <= 100.0))
                e.fail("a vol multiplier must be in [0, 100], found " + fmt(m));
            spec.views[static_cast<std::size_t>(i)].volMultiplier = m;
        }
    }
}

std::string stripPct(const std::string& column) {
    const std::string suffix = "_pct";
    if (column.size() > suffix.size() &&
        column.compare(column.size() - suffix.size(), suffix.size(), suffix) == 0)
        return column.substr(0, column.size() - suffix.size());
    return column;
}

// The calibrate block's own asset price source, if it names one.
bool readPriceSource(const ConfigNode& n, PriceSource& prices) {
    if (const auto p = n.find("prices")) {
        prices.pattern = resolvePath(*p);
        prices.column = n.getString("column", "");
        return true;
    }
    if (const auto t = n.find("table")) {
        prices.table = resolvePath(*t);
        return true;
    }
    return false;
}

}  // namespace

CalibrationSpec parseCalibrationSpec(const ConfigNode& c, const ModelParseContext& ctx) {
    c.allowOnly({"window", "prices", "column", "table", "factors", "rate"});
    CalibrationSpec spec;
    const ConfigNode w = c.at("window");
    w.allowOnly({"start", "end"});
    spec.start = w.at("start").asDate();
    spec.end = w.at("end").asDate();
    if (!(spec.start < spec.end)) w.at("end").fail("the window must end after it starts");
    // A forward scenario must not calibrate on its own future.
    if (spec.end > ctx.dataCutoff)
        w.at("end").fail("the calibration window ends " + spec.end.iso() +
                         ", after the data cut-off " + ctx.dataCutoff.iso() +
                         " (the simulation start)");

    if (c.has("prices") && c.has("table")) c.failKey("table", "give 'prices' or 'table', not both");
    if (c.has("column") && !c.has("prices")) c.failKey("column", "'column' applies to 'prices'");
    if (!readPriceSource(c, spec.prices)) {
        // Default: the scenario's universe, as composed (extends included).
        spec.prices = ctx.scenarioPrices;
        if (spec.prices.empty())
            c.fail(
                "no asset prices: give calibrate.prices (a file pattern with {asset}) "
                "or calibrate.table, or universe.prices in the scenario");
    }

    const ConfigNode f = c.at("factors");
    f.allowOnly({"file", "columns", "scale"});
    spec.factorFile = resolvePath(f.at("file"));
    spec.factorColumns = f.at("columns").asStringList();
    if (spec.factorColumns.empty()) f.at("columns").fail("list at least one factor column");
    std::set<std::string> seen;
    for (const auto& col : spec.factorColumns) {
        spec.factorNames.push_back(stripPct(col));
        if (!seen.insert(spec.factorNames.back()).second)
            f.at("columns").fail("duplicate factor '" + spec.factorNames.back() + "'");
    }
    const ConfigNode scale = f.at("scale");
    spec.factorScale = scale.asDouble();
    if (!(spec.factorScale > 0.0) || !(spec.factorScale <= 1e6))
        scale.fail("scale must be in (0, 1e6] (0.01 for *_pct columns)");

    if (const auto r = c.find("rate")) {
        r->allowOnly({"file", "column"});
        spec.rateFile = resolvePath(r->at("file"));
        spec.rateColumn = r->getString("column", "");
    }
    return spec;
}

std::shared_ptr<const FactorModelConfig> parseFactorModel(const ConfigNode& model,
                                                          const ModelParseContext& ctx) {
    model.allowOnly(
        {"type", "distribution", "calibrate", "factors", "assets", "views", "calibration"});
    if (const auto t = model.find("type"); t && t->asString() != "factor")
        t->fail("expected 'factor', found '" + t->asString() + "'");
    auto config = std::make_shared<FactorModelConfig>();
    config->assets = ctx.universe.assets;
    FactorModelSpec& spec = config->params;
    parseDistribution(model, spec);
    spec.views.assign(static_cast<std::size_t>(ctx.universe.size()), AssetView{});

    if (const auto c = model.find("calibrate")) {
        for (const char* key : {"factors", "assets"})
            if (model.has(key))
                model.failKey(key, std::string("give either 'calibrate' or explicit '") + key +
                                       "', not both");
        config->calibrate = parseCalibrationSpec(*c, ctx);
        config->calibrateWhere = c->location();
    } else {
        if (const auto f = model.find("factors")) {
            parseFactors(*f, spec);
        } else {
            spec.factorMean.resize(0);
            spec.factorVol.resize(0);
            spec.correlation.resize(0, 0);
        }
        parseAssets(model.at("assets"), ctx.universe, spec);
    }
    if (const auto v = model.find("views")) parseViews(*v, ctx.universe, spec);
    return config;
}

namespace {

void emitDistribution(YamlWriter& out, const FactorModelSpec& s) {
    out << yaml::Key << "distribution" << yaml::Value;
    if (s.distribution == FactorDistribution::Normal) {
        out << "normal";
    } else {
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "student_t" << yaml::Value
            << yaml::BeginMap << yaml::Key << "dof" << yaml::Value << s.dof << yaml::EndMap
            << yaml::EndMap;
    }
}

void emitViews(YamlWriter& out, const FactorModelSpec& s, const std::vector<std::string>& names);

void emitModel(YamlWriter& out, const FactorModelSpec& s) {
    const auto k = static_cast<Index>(s.factorNames.size());
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << "factor";
    emitDistribution(out, s);
    if (k > 0) {
        out << yaml::Key << "factors" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "names" << yaml::Value << yaml::Flow << s.factorNames;
        out << yaml::Key << "mean" << yaml::Value << yaml::Flow
            << std::vector<double>(s.factorMean.data(), s.factorMean.data() + k);
        out << yaml::Key << "vol" << yaml::Value << yaml::Flow
            << std::vector<double>(s.factorVol.data(), s.factorVol.data() + k);
        out << yaml::Key << "correlation" << yaml::Value << yaml::BeginSeq;
        for (Index i = 0; i < k; ++i) {
            std::vector<double> row(static_cast<std::size_t>(k));
            for (Index j = 0; j < k; ++j) row[static_cast<std::size_t>(j)] = s.correlation(i, j);
            out << yaml::Flow << row;
        }
        out << yaml::EndSeq << yaml::EndMap;
    }
    out << yaml::Key << "assets" << yaml::Value << yaml::BeginMap;
    for (const auto& a : s.assets) {
        out << yaml::Key << a.name << yaml::Value << yaml::Flow << yaml::BeginMap;
        out << yaml::Key << "beta" << yaml::Value << yaml::BeginMap;
        for (Index j = 0; j < k; ++j)
            out << yaml::Key << s.factorNames[static_cast<std::size_t>(j)] << yaml::Value
                << a.beta[j];
        out << yaml::EndMap;
        out << yaml::Key << "rate_beta" << yaml::Value << a.rateBeta;
        out << yaml::Key << "idio_vol" << yaml::Value << a.idioVol;
        out << yaml::Key << "alpha" << yaml::Value << a.alpha << yaml::EndMap;
    }
    out << yaml::EndMap;

    std::vector<std::string> names;
    for (const auto& a : s.assets) names.push_back(a.name);
    emitViews(out, s, names);

    if (s.calibration) {
        const CalibrationResult& c = *s.calibration;
        // Informational: read back and ignored, so the block pastes back as parameters.
        out << yaml::Key << "calibration" << yaml::Value << yaml::BeginMap;
        out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "first" << yaml::Value << c.first.iso() << yaml::Key << "last" << yaml::Value
            << c.last.iso() << yaml::EndMap;
        out << yaml::Key << "observations" << yaml::Value << static_cast<long>(c.observations);
        out << yaml::Key << "r2" << yaml::Value << yaml::Flow << yaml::BeginMap;
        for (const auto& a : c.assets) out << yaml::Key << a.asset << yaml::Value << a.r2;
        out << yaml::EndMap;
        out << yaml::Key << "standard_errors" << yaml::Value << yaml::BeginMap;
        for (const auto& a : c.assets) {
            out << yaml::Key << a.asset << yaml::Value << yaml::Flow << yaml::BeginMap;
            out << yaml::Key << "beta" << yaml::Value << yaml::BeginMap;
            for (Index j = 0; j < k; ++j)
                out << yaml::Key << c.factorNames[static_cast<std::size_t>(j)] << yaml::Value
                    << a.betaSe[j];
            out << yaml::EndMap;
            if (c.hasRate) out << yaml::Key << "rate_beta" << yaml::Value << a.rateBetaSe;
            out << yaml::Key << "alpha" << yaml::Value << a.alphaSe << yaml::EndMap;
        }
        out << yaml::EndMap;
        if (!c.files.empty()) out << yaml::Key << "files" << yaml::Value << c.files;
        out << yaml::EndMap;
    }
    out << yaml::EndMap;
}

void emitViews(YamlWriter& out, const FactorModelSpec& s, const std::vector<std::string>& names) {
    bool anyR = false, anyP = false, anyM = false;
    for (const auto& v : s.views) {
        anyR = anyR || v.expectedReturn.has_value();
        anyP = anyP || v.fromPe.has_value();
        anyM = anyM || v.volMultiplier != 1.0;
    }
    if (anyR || anyP || anyM) {
        out << yaml::Key << "views" << yaml::Value << yaml::BeginMap;
        if (anyR) {
            out << yaml::Key << "expected_return" << yaml::Value << yaml::Flow << yaml::BeginMap;
            for (std::size_t i = 0; i < s.views.size(); ++i)
                if (s.views[i].expectedReturn)
                    out << yaml::Key << names[i] << yaml::Value << *s.views[i].expectedReturn;
            out << yaml::EndMap;
        }
        if (anyP) {
            out << yaml::Key << "rerating" << yaml::Value << yaml::BeginMap;
            for (std::size_t i = 0; i < s.views.size(); ++i)
                if (s.views[i].fromPe)
                    out << yaml::Key << names[i] << yaml::Value << yaml::Flow << yaml::BeginMap
                        << yaml::Key << "from_pe" << yaml::Value << *s.views[i].fromPe << yaml::Key
                        << "to_pe" << yaml::Value << *s.views[i].toPe << yaml::EndMap;
            out << yaml::EndMap;
        }
        if (anyM) {
            out << yaml::Key << "vol_multiplier" << yaml::Value << yaml::Flow << yaml::BeginMap;
            for (std::size_t i = 0; i < s.views.size(); ++i)
                if (s.views[i].volMultiplier != 1.0)
                    out << yaml::Key << names[i] << yaml::Value << s.views[i].volMultiplier;
            out << yaml::EndMap;
        }
        out << yaml::EndMap;
    }
}
}  // namespace

void FactorModelConfig::emit(YamlWriter& out) const {
    if (!calibrate) {
        emitModel(out, params);
        return;
    }
    const CalibrationSpec& c = *calibrate;
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << "factor";
    emitDistribution(out, params);
    out << yaml::Key << "calibrate" << yaml::Value << yaml::BeginMap;
    out << yaml::Key << "window" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "start" << yaml::Value << c.start.iso() << yaml::Key << "end" << yaml::Value
        << c.end.iso() << yaml::EndMap;
    if (!c.prices.table.empty()) {
        out << yaml::Key << "table" << yaml::Value << c.prices.table;
    } else {
        out << yaml::Key << "prices" << yaml::Value << c.prices.pattern;
        out << yaml::Key << "column" << yaml::Value << c.prices.column;
    }
    out << yaml::Key << "factors" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
        << "file" << yaml::Value << c.factorFile << yaml::Key << "columns" << yaml::Value
        << c.factorColumns << yaml::Key << "scale" << yaml::Value << c.factorScale << yaml::EndMap;
    if (!c.rateFile.empty())
        out << yaml::Key << "rate" << yaml::Value << yaml::Flow << yaml::BeginMap << yaml::Key
            << "file" << yaml::Value << c.rateFile << yaml::Key << "column" << yaml::Value
            << c.rateColumn << yaml::EndMap;
    out << yaml::EndMap;
    // Views are per universe column; the universe is the scenario's.
    emitViews(out, params, assets);
    out << yaml::EndMap;
}

std::string factorModelYaml(const FactorModelSpec& spec) {
    YamlWriter out;
    out.setDoublePrecision(10);
    emitModel(out, spec);
    return std::string(out.str()) + "\n";
}

std::string calibrationYaml(const FactorModelSpec& spec) {
    YamlWriter out;
    out.setDoublePrecision(10);
    out << yaml::BeginMap << yaml::Key << "model" << yaml::Value;
    emitModel(out, spec);
    out << yaml::EndMap;
    return std::string(out.str()) + "\n";
}

}  // namespace rotor
