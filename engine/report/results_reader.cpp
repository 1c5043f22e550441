// SPDX-License-Identifier: MIT
// HDF5 C API reads behind readResults(); every layout problem becomes one InputError line.
#include "engine/report/results_reader.hpp"

#include "engine/core/date.hpp"
#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "engine/io/hdf5_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace rotor::report {

double RecordTable::number(const std::string& field, std::size_t row) const {
    const auto it = numbers.find(field);
    return it == numbers.end() || row >= it->second.size() ? kNaN : it->second[row];
}

std::string RecordTable::text(const std::string& field, std::size_t row) const {
    const auto it = strings.find(field);
    return it == strings.end() || row >= it->second.size() ? std::string() : it->second[row];
}

const std::vector<double>* McStrategy::path(const std::string& field) const {
    const auto it = paths.find(field);
    return it == paths.end() ? nullptr : &it->second;
}

const RealisedSeries* Realised::find(const std::string& strategy) const {
    for (const auto& s : strategies)
        if (s.name == strategy) return &s;
    return nullptr;
}

std::vector<std::string> ScenarioData::strategyNames() const {
    std::vector<std::string> out;
    for (const auto& s : history) out.push_back(s.name);
    for (const auto& s : mc) out.push_back(s.name);
    return out;
}

std::string ResultsData::attribute(const std::string& name) const {
    for (const auto& [k, v] : attributes)
        if (k == name) return v;
    return "";
}

namespace {

using h5::Handle;
using h5::QuietErrors;

// One open results file; every failure names the file and the object.
class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void bad(const std::string& what) const {
        H5Eclear2(H5E_DEFAULT);
        throw InputError(path_ + ": not a valid rotor results file: " + what);
    }

    void open() {
        // A regular file only (fstat on an open descriptor): HDF5 would block on a FIFO and
        // read a device forever.
        try {
            requireRegularFile(path_);
        } catch (const FileReadError& e) {
            throw InputError("cannot open results file '" + path_ + "': " +
                             (e.reason() == "file not found" ? "no such file" : e.reason()));
        }
        if (H5Fis_hdf5(path_.c_str()) <= 0)
            throw InputError(path_ + ": not a rotor results file (not an HDF5 file)");
        file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), Handle::Kind::File);
        if (!file_.valid()) throw InputError("cannot open results file '" + path_ + "'");
        hsize_t size = 0;
        if (H5Fget_filesize(file_.get(), &size) >= 0) fileBytes_ = size;
    }

    // A file image: HDF5's core driver reads it from a copy in memory.
    void openImage(const std::vector<char>& image) {
        Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Handle::Kind::PropertyList);
        if (H5Pset_fapl_core(fapl.get(), std::size_t{1} << 16, false) < 0 ||
            (!image.empty() &&
             H5Pset_file_image(fapl.get(), const_cast<char*>(image.data()), image.size()) < 0))
            throw InputError("cannot open results image '" + path_ + "'");
        static std::atomic<unsigned long> counter{0};
        const std::string internal = "rotor-image-" + std::to_string(++counter) + ".h5";
        file_ = Handle(H5Fopen(internal.c_str(), H5F_ACC_RDONLY, fapl.get()), Handle::Kind::File);
        if (!file_.valid()) throw InputError(path_ + ": not a rotor results file (not HDF5)");
    }

    hid_t root() const { return file_.get(); }
    const std::string& path() const { return path_; }

    bool exists(hid_t loc, const std::string& name) const {
        // Checks each link along a relative path so a missing parent is not an error.
        std::string sofar;
        std::istringstream parts(name);
        std::string part;
        while (std::getline(parts, part, '/')) {
            if (part.empty()) continue;
            sofar += sofar.empty() ? part : "/" + part;
            if (H5Lexists(loc, sofar.c_str(), H5P_DEFAULT) <= 0) return false;
        }
        return H5Oexists_by_name(loc, sofar.c_str(), H5P_DEFAULT) > 0;
    }

    Handle group(hid_t loc, const std::string& name, const std::string& where) const {
        if (!exists(loc, name)) bad("missing group " + where);
        Handle g(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Group);
        if (!g.valid()) bad("cannot open group " + where);
        return g;
    }

    Handle dataset(hid_t loc, const std::string& name, const std::string& where) const {
        if (!exists(loc, name)) bad("missing dataset " + where);
        Handle d(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Dataset);
        if (!d.valid()) bad("cannot open dataset " + where);
        return d;
    }

    // Names of the links directly under `loc`, in name order.
    std::vector<std::string> children(hid_t loc, const std::string& where) const {
        H5G_info_t info{};
        if (H5Gget_info(loc, &info) < 0) bad("cannot list " + where);
        std::vector<std::string> out;
        for (hsize_t i = 0; i < info.nlinks; ++i) {
            const ssize_t n = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr,
                                                 0, H5P_DEFAULT);
            if (n < 0) bad("cannot list " + where);
            std::string name(static_cast<std::size_t>(n) + 1, '\0');
            H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                               H5P_DEFAULT);
            name.resize(static_cast<std::size_t>(n));
            out.push_back(name);
        }
        return out;
    }

    static std::vector<hsize_t> dims(hid_t ds) {
        Handle space(H5Dget_space(ds), Handle::Kind::Dataspace);
        const int rank = H5Sget_simple_extent_ndims(space.get());
        std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
        if (rank > 0) H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
        return d;
    }

    // Elements of a dataset of shape `d`, each `bytes` large in memory: a corrupt or hostile
    // file can claim any shape, so the product is checked and held to the memory limit before
    // anything is allocated.
    std::size_t elements(const std::vector<hsize_t>& d, std::size_t bytes,
                         const std::string& where) const {
        std::uint64_t n = 1;
        for (hsize_t x : d) {
            const auto next = checkedMul(n, x);
            if (!next) bad(where + " has an impossible shape");
            n = *next;
        }
        const auto total = checkedMul(n, std::max<std::size_t>(bytes, 1));
        if (!total || *total > memoryLimitBytes())
            bad(where + " would need more memory than the limit of " +
                formatBytes(memoryLimitBytes()) + " (--max-memory raises it)");
        return static_cast<std::size_t>(n);
    }

    std::vector<double> doubles(hid_t loc, const std::string& name,
                                const std::string& where) const {
        Handle ds = dataset(loc, name, where);
        const auto d = dims(ds.get());
        const std::size_t n = elements(d, sizeof(double), where);
        std::vector<double> out(n);
        if (n > 0 &&
            H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
            bad("cannot read " + where + " as numbers");
        return out;
    }

    Grid grid(hid_t loc, const std::string& name, const std::string& where) const {
        Grid g;
        {
            Handle ds = dataset(loc, name, where);
            const auto d = dims(ds.get());
            if (d.size() != 2) bad(where + " is not two-dimensional");
            g.rows = static_cast<std::size_t>(d[0]);
            g.cols = static_cast<std::size_t>(d[1]);
        }
        g.data = doubles(loc, name, where);
        return g;
    }

    // Fixed- or variable-length strings of a dataset, or a scalar string dataset (one value).
    std::vector<std::string> strings(hid_t loc, const std::string& name,
                                     const std::string& where) const {
        Handle ds = dataset(loc, name, where);
        Handle type(H5Dget_type(ds.get()), Handle::Kind::Datatype);
        if (H5Tget_class(type.get()) != H5T_STRING) bad(where + " is not a string dataset");
        const auto d = dims(ds.get());
        const std::size_t n = elements(d, std::max<std::size_t>(H5Tget_size(type.get()), 16),
                                       where);
        Handle space(H5Dget_space(ds.get()), Handle::Kind::Dataspace);
        return readStrings(
            type.get(), n, where,
            [&](hid_t mem, void* buf) {
                return H5Dread(ds.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
            },
            space.get());
    }

    // A string attribute's values (a scalar gives one); empty when absent or not strings.
    std::vector<std::string> attrStrings(hid_t loc, const std::string& name) const {
        if (!hasAttribute(loc, name)) return {};
        Handle a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Attribute);
        Handle type(H5Aget_type(a.get()), Handle::Kind::Datatype);
        if (H5Tget_class(type.get()) != H5T_STRING) return {};
        Handle space(H5Aget_space(a.get()), Handle::Kind::Dataspace);
        const hssize_t n = H5Sget_simple_extent_npoints(space.get());
        return readStrings(
            type.get(), n > 0 ? static_cast<std::size_t>(n) : 0, name,
            [&](hid_t mem, void* buf) { return H5Aread(a.get(), mem, buf); }, space.get());
    }

    std::string string(hid_t loc, const std::string& name, const std::string& where) const {
        const auto v = strings(loc, name, where);
        return v.empty() ? std::string() : v.front();
    }

    // Reads n strings of file type `type` through `read(memType, buffer)`; `space` is the
    // dataspace the variable-length buffers are reclaimed with.
    template <class ReadFn>
    std::vector<std::string> readStrings(hid_t type, std::size_t n, const std::string& where,
                                         ReadFn read, hid_t space) const {
        std::vector<std::string> out(n);
        if (n == 0) return out;
        if (H5Tis_variable_str(type) > 0) {
            Handle mem(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
            H5Tset_size(mem.get(), H5T_VARIABLE);
            H5Tset_cset(mem.get(), H5Tget_cset(type));
            std::vector<char*> ptrs(n, nullptr);
            if (read(mem.get(), ptrs.data()) < 0) bad("cannot read strings of " + where);
            for (std::size_t i = 0; i < n; ++i) out[i] = ptrs[i] ? ptrs[i] : "";
            H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, ptrs.data());
        } else {
            const std::size_t width = H5Tget_size(type);
            Handle mem(H5Tcopy(type), Handle::Kind::Datatype);
            std::vector<char> buf(n * width, '\0');
            if (read(mem.get(), buf.data()) < 0) bad("cannot read strings of " + where);
            for (std::size_t i = 0; i < n; ++i) {
                const char* p = buf.data() + i * width;
                out[i].assign(p, strnlen(p, width));
            }
        }
        return out;
    }

    RecordTable table(hid_t loc, const std::string& name, const std::string& where) const {
        Handle ds = dataset(loc, name, where);
        Handle type(H5Dget_type(ds.get()), Handle::Kind::Datatype);
        if (H5Tget_class(type.get()) != H5T_COMPOUND) bad(where + " is not a table");
        const auto d = dims(ds.get());
        if (d.size() != 1) bad(where + " is not one-dimensional");
        RecordTable t;
        // Every field of every row is held (numbers as doubles, strings as std::string).
        t.rows = elements(d, std::max<std::size_t>(H5Tget_size(type.get()), 8) * 4, where);
        Handle space(H5Dget_space(ds.get()), Handle::Kind::Dataspace);
        const int members = H5Tget_nmembers(type.get());
        for (int m = 0; m < members; ++m) {
            const auto um = static_cast<unsigned>(m);
            char* raw = H5Tget_member_name(type.get(), um);
            const std::string field = raw ? raw : "";
            H5free_memory(raw);
            Handle memberType(H5Tget_member_type(type.get(), um), Handle::Kind::Datatype);
            const H5T_class_t cls = H5Tget_class(memberType.get());
            // A one-member compound reads just that field, converted to the memory type.
            auto readField = [&](hid_t fieldMem, void* buf) {
                Handle rec(H5Tcreate(H5T_COMPOUND, H5Tget_size(fieldMem)), Handle::Kind::Datatype);
                H5Tinsert(rec.get(), field.c_str(), 0, fieldMem);
                return H5Dread(ds.get(), rec.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
            };
            if (cls == H5T_STRING) {
                t.strings[field] = readStrings(
                    memberType.get(), t.rows, where + "." + field,
                    [&](hid_t mem, void* buf) { return readField(mem, buf); }, space.get());
            } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
                std::vector<double> v(t.rows);
                if (t.rows > 0 && readField(H5T_NATIVE_DOUBLE, v.data()) < 0)
                    bad("cannot read " + where + "." + field);
                t.numbers[field] = std::move(v);
            } else {
                continue;  // a field of another kind is not shown
            }
            t.fields.push_back(field);
        }
        return t;
    }

    bool hasAttribute(hid_t loc, const std::string& name) const {
        return H5Aexists(loc, name.c_str()) > 0;
    }

    // Any scalar or 1-D attribute as text: strings verbatim, numbers in full precision, arrays
    // joined with ", ".
    std::string attrText(hid_t loc, const std::string& name) const {
        if (!hasAttribute(loc, name)) return "";
        Handle a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Attribute);
        Handle type(H5Aget_type(a.get()), Handle::Kind::Datatype);
        Handle space(H5Aget_space(a.get()), Handle::Kind::Dataspace);
        const hssize_t npoints = H5Sget_simple_extent_npoints(space.get());
        // An attribute's values live in its object header, inside the file: a damaged header
        // claiming more (HDF5 would allocate and convert them all) is refused first.
        const std::uint64_t width = std::max<std::size_t>(H5Tget_size(type.get()), 1);
        if (npoints > 0 &&
            checkedMul(static_cast<std::uint64_t>(npoints), width).value_or(UINT64_MAX) >
                fileBytes_)
            bad("attribute " + name + " claims " + std::to_string(npoints) +
                " values, more than the file holds");
        const std::size_t n = npoints > 0
                                  ? elements({static_cast<hsize_t>(npoints)},
                                             std::max<std::size_t>(H5Tget_size(type.get()), 16),
                                             name)
                                  : 0;
        const H5T_class_t cls = H5Tget_class(type.get());
        std::vector<std::string> parts;
        if (cls == H5T_STRING) {
            parts = readStrings(
                type.get(), n, name,
                [&](hid_t mem, void* buf) { return H5Aread(a.get(), mem, buf); }, space.get());
        } else if (cls == H5T_INTEGER) {
            const bool isSigned = H5Tget_sign(type.get()) != H5T_SGN_NONE;
            if (isSigned) {
                std::vector<long long> v(n);
                if (n) H5Aread(a.get(), H5T_NATIVE_LLONG, v.data());
                for (long long x : v) parts.push_back(std::to_string(x));
            } else {
                std::vector<unsigned long long> v(n);
                if (n) H5Aread(a.get(), H5T_NATIVE_ULLONG, v.data());
                for (unsigned long long x : v) parts.push_back(std::to_string(x));
            }
        } else if (cls == H5T_FLOAT) {
            std::vector<double> v(n);
            if (n) H5Aread(a.get(), H5T_NATIVE_DOUBLE, v.data());
            for (double x : v) {
                std::ostringstream os;
                os.precision(17);
                os << x;
                parts.push_back(os.str());
            }
        } else {
            return "";
        }
        std::string out;
        for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
        H5Eclear2(H5E_DEFAULT);
        return out;
    }

    double attrDouble(hid_t loc, const std::string& name) const {
        if (!hasAttribute(loc, name)) return kNaN;
        Handle a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Attribute);
        double v = kNaN;
        if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0) return kNaN;
        return v;
    }

    template <class Int>
    Int attrInt(hid_t loc, const std::string& name, Int fallback, hid_t memType) const {
        if (!hasAttribute(loc, name)) return fallback;
        Handle a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), Handle::Kind::Attribute);
        Int v = fallback;
        if (H5Aread(a.get(), memType, &v) < 0) return fallback;
        return v;
    }

    std::vector<std::string> attrNames(hid_t loc) const {
        H5O_info_t info{};
        if (H5Oget_info2(loc, &info, H5O_INFO_NUM_ATTRS) < 0) return {};
        std::vector<std::string> out;
        for (hsize_t i = 0; i < info.num_attrs; ++i) {
            const ssize_t n = H5Aget_name_by_idx(loc, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i,
                                                 nullptr, 0, H5P_DEFAULT);
            // Attribute creation order is not tracked by default; fall back to name order.
            const H5_index_t index = n < 0 ? H5_INDEX_NAME : H5_INDEX_CRT_ORDER;
            if (n < 0) H5Eclear2(H5E_DEFAULT);
            const ssize_t m = H5Aget_name_by_idx(loc, ".", index, H5_ITER_INC, i, nullptr, 0,
                                                 H5P_DEFAULT);
            if (m < 0) continue;
            std::string name(static_cast<std::size_t>(m) + 1, '\0');
            H5Aget_name_by_idx(loc, ".", index, H5_ITER_INC, i, name.data(), name.size(),
                               H5P_DEFAULT);
            name.resize(static_cast<std::size_t>(m));
            out.push_back(name);
        }
        return out;
    }

private:
    std::string path_;
    Handle file_;
    std::uint64_t fileBytes_ = UINT64_MAX;
};

void readInfo(const Reader& r, hid_t g, const std::string& where, StrategyInfo& s) {
    s.group = where;
    s.name = r.attrText(g, "name");
    s.type = r.attrText(g, "type");
    s.status = r.attrText(g, "status");
    s.error = r.attrText(g, "error");
    if (s.status.empty()) r.bad("strategy group " + where + " has no status attribute");
}

// Every group under <scenario>/strategies, in name order, appended to `out`: its attributes,
// then `readRun(group, where, strategy)` when the run succeeded (a failed one has no series).
template <class Strategy, class ReadRun>
void readStrategies(const Reader& r, hid_t sg, const std::string& scenarioGroup,
                    std::vector<Strategy>& out, ReadRun readRun) {
    const std::string parent = scenarioGroup + "/strategies";
    Handle strategies = r.group(sg, "strategies", parent);
    for (const std::string& link : r.children(strategies.get(), parent)) {
        const std::string where = parent + "/" + link;
        Handle g = r.group(strategies.get(), link, where);
        Strategy st;
        readInfo(r, g.get(), where, st);
        if (st.ok()) readRun(g.get(), where, st);
        out.push_back(std::move(st));
    }
}

void readHistory(const Reader& r, hid_t sg, ScenarioData& s) {
    s.cashRate = r.doubles(sg, "cash_rate", s.group + "/cash_rate");
    readStrategies(r, sg, s.group, s.history,
                   [&](hid_t g, const std::string& where, HistoryStrategy& h) {
                       h.equity = r.doubles(g, "equity", where + "/equity");
                       h.returns = r.doubles(g, "returns", where + "/returns");
                       h.weights = r.grid(g, "weights", where + "/weights");
                       if (r.exists(g, "trades"))
                           h.trades = r.table(g, "trades", where + "/trades");
                       if (h.equity.size() != s.dates.size() || h.weights.rows != s.dates.size())
                           r.bad(where + ": series length differs from the " +
                                 std::to_string(s.dates.size()) + " dates");
                   });
}

// A dates dataset: every value an ISO date (YYYY-MM-DD), as the writer stores them; the report
// computes periods from them.
std::vector<std::string> isoDates(const Reader& r, hid_t g, const std::string& where) {
    std::vector<std::string> dates = r.strings(g, "dates", where);
    for (const std::string& d : dates)
        if (d.size() != 10 || !Date::parseIso(d)) r.bad(where + ": '" + d + "' is not an ISO date");
    return dates;
}

void readMonteCarlo(const Reader& r, hid_t sg, ScenarioData& s) {
    s.paths = r.attrInt<std::uint64_t>(sg, "paths", 0, H5T_NATIVE_UINT64);
    s.seed = r.attrInt<std::uint64_t>(sg, "seed", 0, H5T_NATIVE_UINT64);
    s.checkpointDay = r.attrInt<std::int64_t>(sg, "checkpoint_day", -1, H5T_NATIVE_INT64);
    s.percentiles = r.doubles(sg, "percentiles", s.group + "/percentiles");
    s.rateBands = r.grid(sg, "rate_bands", s.group + "/rate_bands");
    if (r.exists(sg, "regime_names"))
        s.regimeNames = r.strings(sg, "regime_names", s.group + "/regime_names");
    if (r.exists(sg, "regime_of_path"))
        s.regimeOfPath = r.doubles(sg, "regime_of_path", s.group + "/regime_of_path");
    if (r.exists(sg, "model")) s.model = r.string(sg, "model", s.group + "/model");

    readStrategies(r, sg, s.group, s.mc, [&](hid_t g, const std::string& where, McStrategy& m) {
        m.equityBands = r.grid(g, "equity_bands", where + "/equity_bands");
        if (m.equityBands.cols != s.percentiles.size())
            r.bad(where + "/equity_bands has " + std::to_string(m.equityBands.cols) +
                  " columns for " + std::to_string(s.percentiles.size()) + " percentiles");
        if (r.exists(g, "paths")) {
            Handle p = r.group(g, "paths", where + "/paths");
            for (const std::string& name : r.children(p.get(), where + "/paths"))
                m.paths[name] = r.doubles(p.get(), name, where + "/paths/" + name);
        }
    });

    if (r.exists(sg, "realised")) {
        const std::string where = s.group + "/realised";
        Handle g = r.group(sg, "realised", where);
        Realised real;
        real.dates = isoDates(r, g.get(), where + "/dates");
        if (r.exists(g.get(), "cash_rate"))
            real.cashRate = r.doubles(g.get(), "cash_rate", where + "/cash_rate");
        std::istringstream coverage(r.attrText(g.get(), "coverage"));
        for (std::string line; std::getline(coverage, line);)
            if (!line.empty()) real.coverage.push_back(line);
        real.endedBy = r.attrText(g.get(), "ended_by");
        if (r.exists(g.get(), "strategies")) {
            Handle sts = r.group(g.get(), "strategies", where + "/strategies");
            for (const std::string& link : r.children(sts.get(), where + "/strategies")) {
                const std::string sw = where + "/strategies/" + link;
                Handle st = r.group(sts.get(), link, sw);
                Handle ds = r.dataset(st.get(), "wealth", sw + "/wealth");
                RealisedSeries rs;
                const std::string name = r.attrText(st.get(), "name");
                rs.name = name.empty() ? link : name;
                rs.wealth = r.doubles(st.get(), "wealth", sw + "/wealth");
                rs.percentileRank = r.attrDouble(ds.get(), "percentile_rank");
                real.strategies.push_back(std::move(rs));
            }
        }
        s.realised = std::move(real);
    }
}

// Position of `name` in `order`, or order.size() when absent (so unknown names sort last).
std::size_t rankIn(const std::vector<std::string>& order, const std::string& name) {
    return static_cast<std::size_t>(std::find(order.begin(), order.end(), name) - order.begin());
}

// Summary tables list scenarios and strategies in run order; group iteration is by name.
void orderLikeTables(ResultsData& d) {
    std::vector<std::string> scenarioOrder;
    std::map<std::string, std::vector<std::string>> strategyOrder;
    for (const auto* t :
         {d.metrics ? &*d.metrics : nullptr, d.mcSummary ? &*d.mcSummary : nullptr}) {
        if (!t) continue;
        for (std::size_t i = 0; i < t->rows; ++i) {
            const std::string s = t->text("scenario", i);
            if (rankIn(scenarioOrder, s) == scenarioOrder.size()) scenarioOrder.push_back(s);
            auto& st = strategyOrder[s];
            const std::string name = t->text("strategy", i);
            if (rankIn(st, name) == st.size()) st.push_back(name);
        }
    }
    std::stable_sort(d.scenarios.begin(), d.scenarios.end(),
                     [&](const ScenarioData& a, const ScenarioData& b) {
                         return rankIn(scenarioOrder, a.name) < rankIn(scenarioOrder, b.name);
                     });
    for (auto& s : d.scenarios) {
        const auto& order = strategyOrder[s.name];
        auto byOrder = [&](const StrategyInfo& a, const StrategyInfo& b) {
            return rankIn(order, a.name) < rankIn(order, b.name);
        };
        std::stable_sort(s.history.begin(), s.history.end(), byOrder);
        std::stable_sort(s.mc.begin(), s.mc.end(), byOrder);
        if (s.realised)
            std::stable_sort(s.realised->strategies.begin(), s.realised->strategies.end(),
                             [&](const RealisedSeries& a, const RealisedSeries& b) {
                                 return rankIn(order, a.name) < rankIn(order, b.name);
                             });
    }
}

// Reads the file `r` has open.
ResultsData readOpen(const Reader& r) {
    const std::string& path = r.path();
    ResultsData d;
    d.path = path;
    const hid_t root = r.root();
    const std::string format = r.attrText(root, "format");
    if (format != kResultsFormat)
        throw InputError(path + ": not a rotor results file (root attribute format is '" + format +
                         "', expected '" + kResultsFormat + "')");
    const auto version = r.attrInt<std::int64_t>(root, "format_version", -1, H5T_NATIVE_INT64);
    if (version > kResultsFormatVersion)
        throw InputError(path + ": results format version " + std::to_string(version) +
                         " was written by a newer rotor; this one reads versions up to " +
                         std::to_string(kResultsFormatVersion) + " (upgrade rotor)");
    if (version < 1) r.bad("root attribute format_version is missing or below 1");
    for (const std::string& name : r.attrNames(root))
        d.attributes.emplace_back(name, r.attrText(root, name));

    if (r.exists(root, "provenance")) {
        Handle p = r.group(root, "provenance", "/provenance");
        if (r.exists(p.get(), "scenario_yaml"))
            d.scenarioYaml = r.string(p.get(), "scenario_yaml", "/provenance/scenario_yaml");
        if (r.exists(p.get(), "resolved_yaml"))
            d.resolvedYaml = r.string(p.get(), "resolved_yaml", "/provenance/resolved_yaml");
        if (r.exists(p.get(), "data_files"))
            d.dataFiles = r.table(p.get(), "data_files", "/provenance/data_files");
    }
    if (r.exists(root, "metrics")) d.metrics = r.table(root, "metrics", "/metrics");
    if (r.exists(root, "mc_summary")) d.mcSummary = r.table(root, "mc_summary", "/mc_summary");
    if (!d.metrics && !d.mcSummary) r.bad("neither /metrics nor /mc_summary present");

    Handle scenarios = r.group(root, "scenarios", "/scenarios");
    for (const std::string& link : r.children(scenarios.get(), "/scenarios")) {
        ScenarioData s;
        s.group = "/scenarios/" + link;
        Handle g = r.group(scenarios.get(), link, s.group);
        s.name = r.attrText(g.get(), "name");
        if (s.name.empty()) s.name = link;
        s.description = r.attrText(g.get(), "description");
        s.mode = r.attrText(g.get(), "mode");
        s.benchmark = r.attrText(g.get(), "benchmark");
        s.initialCapital = r.attrDouble(g.get(), "initial_capital");
        const auto keys = r.attrStrings(g.get(), "sweep_keys");
        const auto labels = r.attrStrings(g.get(), "sweep_labels");
        const auto values = r.attrStrings(g.get(), "sweep_values");
        if (labels.size() != keys.size() || values.size() != keys.size())
            r.bad(s.group + ": sweep_keys, sweep_labels and sweep_values differ in length");
        for (std::size_t i = 0; i < keys.size(); ++i)
            s.sweep.push_back({keys[i], labels[i], values[i]});
        s.dates = isoDates(r, g.get(), s.group + "/dates");
        s.assets = r.strings(g.get(), "assets", s.group + "/assets");
        if (s.monteCarlo())
            readMonteCarlo(r, g.get(), s);
        else
            readHistory(r, g.get(), s);
        d.scenarios.push_back(std::move(s));
    }
    orderLikeTables(d);
    return d;
}

}  // namespace

ResultsData readResults(const std::string& path) {
    QuietErrors quiet;
    Reader r(path);
    r.open();
    return readOpen(r);
}

ResultsData readResultsImage(const std::vector<char>& image, const std::string& name) {
    QuietErrors quiet;
    Reader r(name);
    r.openImage(image);
    return readOpen(r);
}

}  // namespace rotor::report
