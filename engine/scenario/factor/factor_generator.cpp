// SPDX-License-Identifier: MIT
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/factor/factor_generator.hpp"

#include "engine/core/error.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

namespace rotor {

namespace {

constexpr double kDays = 252.0;

std::string fmt(double x) {
    std::ostringstream os;
    os.precision(17);
    os << x;
    return os.str();
}

Vector parseVector(const ConfigNode& node, Index k) {
    const auto items = node.items();
    if (static_cast<Index>(items.size()) != k)
        node.fail("expected " + std::to_string(k) + " numbers (one per factor), found " +
                  std::to_string(items.size()));
    Vector v(k);
    for (Index i = 0; i < k; ++i) v[i] = items[static_cast<std::size_t>(i)].asDouble();
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
    if (!(v > 2.0) || !std::isfinite(v)) dof.fail("dof must be a number > 2, found " + fmt(v));
    spec.distribution = FactorDistribution::StudentT;
    spec.dof = v;
}

void checkCorrelation(const ConfigNode& node, const Matrix& c) {
    const Index k = c.rows();
    for (Index i = 0; i < k; ++i) {
        if (std::abs(c(i, i) - 1.0) > 1e-9) node.fail("the diagonal must be 1, found " + fmt(c(i, i)));
        for (Index j = 0; j < k; ++j) {
            if (std::abs(c(i, j) - c(j, i)) > 1e-9) node.fail("the matrix must be symmetric");
            if (std::abs(c(i, j)) > 1.0) node.fail("correlations must lie in [-1, 1], found " + fmt(c(i, j)));
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
    spec.factorMean = parseVector(f.at("mean"), k);
    spec.factorVol = parseVector(f.at("vol"), k);
    for (Index i = 0; i < k; ++i)
        if (!(spec.factorVol[i] >= 0.0)) f.at("vol").fail("vols must be >= 0, found " + fmt(spec.factorVol[i]));
    if (const auto c = f.find("correlation")) {
        const auto rows = c->items();
        if (static_cast<Index>(rows.size()) != k)
            c->fail("expected " + std::to_string(k) + " rows, found " + std::to_string(rows.size()));
        spec.correlation.resize(k, k);
        for (Index i = 0; i < k; ++i)
            spec.correlation.row(i) = parseVector(rows[static_cast<std::size_t>(i)], k).transpose();
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
                p.beta[it - spec.factorNames.begin()] = b->getDouble(name);
            }
        }
        p.rateBeta = e.getDouble("rate_beta", 0.0);
        p.idioVol = e.getDouble("idio_vol", 0.0);
        if (!(p.idioVol >= 0.0)) e.at("idio_vol").fail("idio_vol must be >= 0");
        p.alpha = e.getDouble("alpha", 0.0);
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
            if (!(r > -1.0)) e.fail("an expected return must be > -1, found " + fmt(r));
            spec.views[static_cast<std::size_t>(i)].expectedReturn = r;
        }
    }
    if (const auto rr = v.find("rerating")) {
        for (const auto& [i, e] : assetMap(*rr, u)) {
            e.allowOnly({"from_pe", "to_pe"});
            const double from = e.getDouble("from_pe");
            const double to = e.getDouble("to_pe");
            if (!(from > 0.0)) e.at("from_pe").fail("a P/E must be > 0");
            if (!(to > 0.0)) e.at("to_pe").fail("a P/E must be > 0");
            spec.views[static_cast<std::size_t>(i)].fromPe = from;
            spec.views[static_cast<std::size_t>(i)].toPe = to;
        }
    }
    if (const auto vm = v.find("vol_multiplier")) {
        for (const auto& [i, e] : assetMap(*vm, u)) {
            const double m = e.asDouble();
            if (!(m >= 0.0) || !std::isfinite(m)) e.fail("a vol multiplier must be >= 0, found " + fmt(m));
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

// The asset price source of a `universe:` block (the scenario's, or the calibrate block's own).
bool readPriceSource(const ConfigNode& n, CalibrationSpec& spec) {
    if (const auto p = n.find("prices")) {
        spec.pricePattern = resolvePath(*p);
        spec.priceColumn = n.getString("column", "");
        return true;
    }
    if (const auto t = n.find("table")) {
        spec.priceTable = resolvePath(*t);
        return true;
    }
    return false;
}

}  // namespace

CalibrationSpec parseCalibrationSpec(const ConfigNode& c, const GeneratorContext& ctx) {
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
    if (!readPriceSource(c, spec)) {
        // Default: the universe block of the scenario file this model was read from.
        bool found = false;
        if (std::filesystem::is_regular_file(c.file())) {
            const ConfigNode root = loadYamlFile(c.file());
            if (const auto u = root.find("universe"); u && u->isMap()) found = readPriceSource(*u, spec);
        }
        if (!found) c.fail("no asset prices: give calibrate.prices (a file pattern with {asset}) "
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
    if (!(spec.factorScale > 0.0)) scale.fail("scale must be > 0 (0.01 for *_pct columns)");

    if (const auto r = c.find("rate")) {
        r->allowOnly({"file", "column"});
        spec.rateFile = resolvePath(r->at("file"));
        spec.rateColumn = r->getString("column", "");
    }
    return spec;
}

void applyCalibration(FactorModelSpec& spec, const CalibrationResult& r) {
    spec.factorNames = r.factorNames;
    spec.factorMean = r.factorMean;
    spec.factorVol = r.factorVol;
    spec.correlation = r.correlation;
    spec.assets.clear();
    for (const auto& a : r.assets)
        spec.assets.push_back(FactorAssetParams{a.asset, a.beta, a.rateBeta, a.idioVol, a.alpha});
    spec.calibration = r;
}

FactorModelSpec parseFactorModel(const ConfigNode& model, const GeneratorContext& ctx) {
    model.allowOnly({"type", "distribution", "calibrate", "factors", "assets", "views", "calibration"});
    if (const auto t = model.find("type"); t && t->asString() != "factor")
        t->fail("expected 'factor', found '" + t->asString() + "'");
    FactorModelSpec spec;
    parseDistribution(model, spec);
    spec.views.assign(static_cast<std::size_t>(ctx.universe.size()), AssetView{});

    if (const auto c = model.find("calibrate")) {
        for (const char* key : {"factors", "assets"})
            if (model.has(key))
                model.failKey(key, std::string("give either 'calibrate' or explicit '") + key +
                                       "', not both");
        const CalibrationSpec cs = parseCalibrationSpec(*c, ctx);
        CalibrationResult result;
        try {
            CalibrationData data = loadCalibrationData(cs, ctx.universe.assets);
            for (const auto& f : data.files) ctx.recordFile(f);
            result = calibrate(data);
        } catch (const ConfigError&) {
            throw;
        } catch (const DataError&) {
            throw;  // located in the data file already
        } catch (const InputError& e) {
            c->fail(e.what());  // a window the regression cannot use: point at the block
        }
        applyCalibration(spec, result);
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
    return spec;
}

// ---------------------------------------------------------------- YAML output

namespace {

void emitModel(YamlWriter& out, const FactorModelSpec& s) {
    const auto k = static_cast<Index>(s.factorNames.size());
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << "factor";
    out << yaml::Key << "distribution" << yaml::Value;
    if (s.distribution == FactorDistribution::Normal) {
        out << "normal";
    } else {
        out << yaml::Flow << yaml::BeginMap << yaml::Key << "student_t" << yaml::Value
            << yaml::BeginMap << yaml::Key << "dof" << yaml::Value << s.dof << yaml::EndMap
            << yaml::EndMap;
    }
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
            out << yaml::Key << s.factorNames[static_cast<std::size_t>(j)] << yaml::Value << a.beta[j];
        out << yaml::EndMap;
        out << yaml::Key << "rate_beta" << yaml::Value << a.rateBeta;
        out << yaml::Key << "idio_vol" << yaml::Value << a.idioVol;
        out << yaml::Key << "alpha" << yaml::Value << a.alpha << yaml::EndMap;
    }
    out << yaml::EndMap;

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
                    out << yaml::Key << s.assets[i].name << yaml::Value << *s.views[i].expectedReturn;
            out << yaml::EndMap;
        }
        if (anyP) {
            out << yaml::Key << "rerating" << yaml::Value << yaml::BeginMap;
            for (std::size_t i = 0; i < s.views.size(); ++i)
                if (s.views[i].fromPe)
                    out << yaml::Key << s.assets[i].name << yaml::Value << yaml::Flow
                        << yaml::BeginMap << yaml::Key << "from_pe" << yaml::Value
                        << *s.views[i].fromPe << yaml::Key << "to_pe" << yaml::Value
                        << *s.views[i].toPe << yaml::EndMap;
            out << yaml::EndMap;
        }
        if (anyM) {
            out << yaml::Key << "vol_multiplier" << yaml::Value << yaml::Flow << yaml::BeginMap;
            for (std::size_t i = 0; i < s.views.size(); ++i)
                if (s.views[i].volMultiplier != 1.0)
                    out << yaml::Key << s.assets[i].name << yaml::Value << s.views[i].volMultiplier;
            out << yaml::EndMap;
        }
        out << yaml::EndMap;
    }

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

}  // namespace

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

// ---------------------------------------------------------------- generator

FactorPathGenerator::FactorPathGenerator(FactorModelSpec spec, const GeneratorContext& ctx,
                                         std::vector<std::shared_ptr<const ReturnOverlay>> overlays)
    : spec_(std::move(spec)),
      universe_(ctx.universe),
      dates_(ctx.dates),
      startPrices_(ctx.startPrices),
      seed_(ctx.seed),
      rate_(ctx.rate),
      overlays_(std::move(overlays)) {
    const Index n = universe_.size();
    const auto k = static_cast<Index>(spec_.factorNames.size());
    const auto t = static_cast<Index>(dates_.size());
    ROTOR_REQUIRE(t >= 2, "a factor path needs at least 2 days, got " << t);
    ROTOR_REQUIRE(rate_ && rate_->days() == t, "the rate model must cover the " << t << " days");
    ROTOR_REQUIRE(startPrices_.size() == n, "start prices: " << startPrices_.size() << " for " << n << " assets");
    ROTOR_REQUIRE(static_cast<Index>(spec_.assets.size()) == n, "parameters for " << spec_.assets.size() << " assets, universe has " << n);
    ROTOR_REQUIRE(spec_.factorMean.size() == k && spec_.factorVol.size() == k &&
                      spec_.correlation.rows() == k && spec_.correlation.cols() == k,
                  "factor parameters do not match the " << k << " factor names");
    if (spec_.views.empty()) spec_.views.assign(static_cast<std::size_t>(n), AssetView{});
    ROTOR_REQUIRE(static_cast<Index>(spec_.views.size()) == n, "views for " << spec_.views.size() << " assets");
    for (Index i = 0; i < n; ++i) {
        const auto& a = spec_.assets[static_cast<std::size_t>(i)];
        ROTOR_REQUIRE(a.name == universe_.assets[static_cast<std::size_t>(i)],
                      "parameters for '" << a.name << "' in the column of '" << universe_.assets[static_cast<std::size_t>(i)] << "'");
        ROTOR_REQUIRE(a.beta.size() == k, a.name << ": " << a.beta.size() << " betas for " << k << " factors");
    }
    if (spec_.distribution == FactorDistribution::StudentT) {
        ROTOR_REQUIRE(spec_.dof > 2.0, "Student-t needs dof > 2, got " << spec_.dof);
        chi2_.emplace(spec_.dof);
        tScale_ = std::sqrt(spec_.dof - 2.0);
    }

    // Daily Cholesky factor of the covariance: diag(vol / sqrt(252)) times that of the
    // correlation, which stays defined when a vol is zero.
    Matrix lower = Matrix::Zero(k, k);
    if (k > 0) {
        const Eigen::LLT<Matrix> llt(spec_.correlation);
        ROTOR_REQUIRE(llt.info() == Eigen::Success, "the factor correlation is not positive definite");
        lower = (spec_.factorVol / std::sqrt(kDays)).asDiagonal() * Matrix(llt.matrixL());
    }
    const Vector factorMeanDaily = spec_.factorMean / kDays;
    const double returnsInHorizon = static_cast<double>(t - 1);

    mean_.resize(n);
    loading_.resize(n, k);
    idioSd_.resize(n);
    rateBeta_.resize(n);
    for (Index i = 0; i < n; ++i) {
        const auto& a = spec_.assets[static_cast<std::size_t>(i)];
        const auto& v = spec_.views[static_cast<std::size_t>(i)];
        const double m = v.volMultiplier;
        loading_.row(i) = m * (a.beta.transpose() * lower);
        idioSd_[i] = m * a.idioVol / std::sqrt(kDays);
        rateBeta_[i] = a.rateBeta;
        const double factorMean = a.beta.dot(factorMeanDaily);
        double drift = a.alpha / kDays;
        if (v.expectedReturn) {
            // E[exp(sum of 252 daily returns)] = 1 + R with a flat rate: the log drift gives
            // up half the daily variance and the mean factor contribution.
            const double variance = loading_.row(i).squaredNorm() + idioSd_[i] * idioSd_[i];
            drift = std::log1p(*v.expectedReturn) / kDays - 0.5 * variance - factorMean;
        }
        if (v.fromPe) drift += std::log(*v.toPe / *v.fromPe) / returnsInHorizon;
        mean_[i] = drift + factorMean;
    }
}

std::vector<std::string> FactorPathGenerator::regimeNames() const {
    std::vector<std::string> out;
    for (int r = 0; r < rate_->regimes(); ++r) out.push_back(rate_->regimeName(r));
    return out;
}

PathInfo FactorPathGenerator::generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const {
    const auto t = static_cast<Index>(dates_.size());
    const Index n = universe_.size();
    const Index k = loading_.cols();
    Xoshiro256 rng(seed_, p);
    PathInfo info;

    out.dates = dates_;  // same size after the first path: no allocation
    if (out.cashRate.size() != t) out.cashRate.resize(t);
    rate_->generate(rng, out.cashRate, &info.regime);

    Matrix& r = scratch.a;
    if (r.rows() != t || r.cols() != n) r.resize(t, n);
    Vector& z = scratch.u;
    if (z.size() != k) z.resize(k);
    const NormalZiggurat& normal = NormalZiggurat::instance();

    r.row(0).setZero();
    for (Index day = 1; day < t; ++day) {
        for (Index j = 0; j < k; ++j) z[j] = normal(rng);
        if (chi2_) z *= tScale_ / std::sqrt((*chi2_)(rng));  // z n sqrt((dof-2)/chi2): unit variance
        const double dRate = out.cashRate[day] - out.cashRate[day - 1];
        for (Index i = 0; i < n; ++i) {
            double x = mean_[i] + rateBeta_[i] * dRate;
            for (Index j = 0; j < k; ++j) x += loading_(i, j) * z[j];
            r(day, i) = x + idioSd_[i] * normal(rng);
        }
    }
    for (const auto& overlay : overlays_) overlay->apply(out.cashRate, r, rng);

    if (out.prices.rows() != t || out.prices.cols() != n) out.prices.resize(t, n);
    for (Index i = 0; i < n; ++i) {
        const double p0 = startPrices_[i];
        double cum = 0.0;
        out.prices(0, i) = p0;
        for (Index day = 1; day < t; ++day) {
            cum += r(day, i);
            out.prices(day, i) = p0 * std::exp(cum);
        }
    }
    return info;
}

std::unique_ptr<PathGenerator> buildFactorGenerator(
    const ConfigNode& model, const GeneratorContext& ctx,
    std::vector<std::shared_ptr<const ReturnOverlay>> overlays) {
    return std::make_unique<FactorPathGenerator>(parseFactorModel(model, ctx), ctx,
                                                 std::move(overlays));
}

}  // namespace rotor
