// SPDX-License-Identifier: MIT
// Reads the /backtest layout of a backtest-model file; every layout problem is one InputError.
#include "engine/report/backtest_reader.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_quiet_errors.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/report/hdf5_reader.hpp"

#include <hdf5.h>

#include <cmath>

namespace rotor::report {

namespace {

constexpr const char* kKind = "rotor backtest-model file";

using h5::Handle;

// A per-start column of `t` with one value per start.
std::vector<double> column(const Hdf5Reader& r, const RecordTable& t, const std::string& field,
                           std::size_t starts, const std::string& where) {
    const auto it = t.numbers.find(field);
    if (it == t.numbers.end()) r.bad(where + " has no numeric field '" + field + "'");
    if (it->second.size() != starts)
        r.bad(where + " has " + std::to_string(it->second.size()) + " rows for " +
              std::to_string(starts) + " starts");
    return it->second;
}

void readSeries(const Hdf5Reader& r, hid_t backtest, const BacktestData& d, BacktestSeries& s) {
    const std::string cw = "/backtest/" + s.conditioning;
    Handle cg = r.group(backtest, s.conditioning, cw);
    const std::string link = hdf5GroupName(s.target);
    const std::string where = cw + "/" + link;
    Handle tg = r.group(cg.get(), link, where);
    const RecordTable scores = r.table(tg.get(), "scores", where + "/scores");
    const std::size_t n = d.starts.size();
    const std::string sw = where + "/scores";
    s.realised = column(r, scores, "realised", n, sw);
    s.pit = column(r, scores, "pit", n, sw);
    s.crps = column(r, scores, "crps", n, sw);
    s.in50 = column(r, scores, "in50", n, sw);
    s.in90 = column(r, scores, "in90", n, sw);
    for (std::size_t i = 0; i < n; ++i) {
        // The histogram bins by floor(pit * bins): a NaN or out-of-range PIT has no bin.
        if (!(s.pit[i] >= 0.0 && s.pit[i] <= 1.0))
            r.bad(sw + ": pit of start " + std::to_string(i) + " is not in [0, 1]");
        for (const double flag : {s.in50[i], s.in90[i]})
            if (flag != 0.0 && flag != 1.0)
                r.bad(sw + ": band flag of start " + std::to_string(i) + " is not 0 or 1");
    }
    const std::vector<double> hist = r.doubles(tg.get(), "pit_histogram", where + "/pit_histogram");
    for (const double c : hist) {
        if (!(c >= 0.0 && c <= static_cast<double>(n)))
            r.bad(where + "/pit_histogram holds a count outside 0.." + std::to_string(n));
        s.storedHistogram.push_back(static_cast<std::int64_t>(c));
    }
}

// The /backtest/summary row of each series.
void readSummary(const Hdf5Reader& r, hid_t backtest, BacktestData& d) {
    const RecordTable t = r.table(backtest, "summary", "/backtest/summary");
    for (auto& s : d.series) {
        std::size_t row = t.rows;
        for (std::size_t i = 0; i < t.rows && row == t.rows; ++i)
            if (t.text("conditioning", i) == s.conditioning && t.text("target", i) == s.target)
                row = i;
        if (row == t.rows)
            r.bad("/backtest/summary has no row for " + s.conditioning + " / " + s.target);
        s.coverage50 = t.number("coverage50", row);
        s.coverage90 = t.number("coverage90", row);
        s.meanCrps = t.number("mean_crps", row);
        s.ksStatistic = t.number("ks_statistic", row);
        s.ksPValue = t.number("ks_pvalue", row);
        const double ksn = t.number("ks_starts", row);
        if (!(ksn >= 0.0 && ksn <= static_cast<double>(d.starts.size())))
            r.bad("/backtest/summary: ks_starts of " + s.conditioning + " / " + s.target +
                  " is not a count of starts");
        s.ksStarts = static_cast<std::int64_t>(ksn);
    }
}

BacktestData readOpen(const Hdf5Reader& r) {
    BacktestData d;
    readRotorRoot(r, kBacktestModelFormat, kBacktestModelFormatVersion, "backtest-model", d);
    Handle g = r.group(r.root(), "backtest", "/backtest");
    d.name = r.attrText(g.get(), "name");
    d.scenario = r.attrText(g.get(), "scenario");
    d.outcome = r.attrText(g.get(), "outcome");
    d.pitRule = r.attrText(g.get(), "pit_rule");
    d.ksRule = r.attrText(g.get(), "ks_starts");
    d.horizonMonths = r.attrInt<std::int64_t>(g.get(), "horizon_months", 0, H5T_NATIVE_INT64);
    d.paths = r.attrInt<std::uint64_t>(g.get(), "paths", 0, H5T_NATIVE_UINT64);
    d.conditioning = r.attrStrings(g.get(), "conditioning");
    d.targets = r.attrStrings(g.get(), "targets");
    if (d.conditioning.empty()) r.bad("/backtest has no conditioning attribute");
    if (d.targets.empty()) r.bad("/backtest has no targets attribute");
    d.starts = r.strings(g.get(), "starts", "/backtest/starts");
    d.ends = r.strings(g.get(), "ends", "/backtest/ends");
    if (d.starts.empty()) r.bad("/backtest/starts is empty");
    if (d.ends.size() != d.starts.size())
        r.bad("/backtest/ends has " + std::to_string(d.ends.size()) + " dates for " +
              std::to_string(d.starts.size()) + " starts");
    for (const double i : r.doubles(g.get(), "ks_start_index", "/backtest/ks_start_index")) {
        if (!(i >= 0.0 && i < static_cast<double>(d.starts.size())) || i != std::floor(i))
            r.bad("/backtest/ks_start_index holds " + std::to_string(i) +
                  ", not the index of a start");
        d.ksStartIndex.push_back(static_cast<std::size_t>(i));
    }
    if (r.exists(g.get(), "realised_start_class")) {
        d.realisedStartClass = r.strings(g.get(), "realised_start_class",
                                         "/backtest/realised_start_class");
        if (d.realisedStartClass.size() != d.starts.size())
            r.bad("/backtest/realised_start_class does not have one class per start");
    }
    for (const auto& c : d.conditioning)
        for (const auto& t : d.targets) {
            BacktestSeries s;
            s.conditioning = c;
            s.target = t;
            readSeries(r, g.get(), d, s);
            d.series.push_back(std::move(s));
        }
    readSummary(r, g.get(), d);
    return d;
}

}  // namespace

const BacktestSeries* BacktestData::find(const std::string& cond, const std::string& target) const {
    for (const auto& s : series)
        if (s.conditioning == cond && s.target == target) return &s;
    return nullptr;
}

BacktestData readBacktestModel(const std::string& path) {
    h5::QuietErrors quiet;
    Hdf5Reader r(path, kKind);
    r.open();
    return readOpen(r);
}

BacktestData readBacktestModelImage(const std::vector<char>& image, const std::string& name) {
    h5::QuietErrors quiet;
    Hdf5Reader r(name, kKind);
    r.openImage(image);
    return readOpen(r);
}

}  // namespace rotor::report
