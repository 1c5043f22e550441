// SPDX-License-Identifier: MIT
// The backtest-model report's data layer (binomial bands, PIT histogram counts, coverage) on
// hand-worked numbers, the reader on a hand-written file in the documented layout, the page
// drawn from it, and damaged files.
#include "engine/report/backtest_report.hpp"

#include "engine/core/error.hpp"
#include "engine/io/hdf5_file.hpp"
#include "engine/report/backtest_reader.hpp"
#include "engine/report/pit_calibration.hpp"
#include "engine/report/report_kind.hpp"
#include "tests/engine/report/mc_fixture.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace backtest_report_test {

// unconditional / SPY: 12 starts. Bins of width 0.1 by floor(10 pit) (0.1 is bin 1, 1.0 bin 9):
// 0.03 0.07 | 0.15 0.1 | 0.25 0.25 | - | - | 0.5 0.55 | - | - | - | 0.91 0.95 0.99 1.0
// counts 2 2 2 0 0 2 0 0 0 4. In the 50% band (0.25 <= pit <= 0.75): 0.25 0.25 0.5 0.55 = 4;
// in the 90% band (0.05 <= pit <= 0.95): all but 0.03, 0.99, 1.0 = 9.
const std::vector<double> kPit = {0.03, 0.07, 0.15, 0.1,  0.25, 0.25,
                                  0.5,  0.55, 0.91, 0.95, 0.99, 1.0};
const std::vector<long> kCounts = {2, 2, 2, 0, 0, 2, 0, 0, 0, 4};

enum class Damage { None, PitAboveOne, NoSummaryRow, EndsShort, KsIndexPastStarts, WrongHistogram };

std::vector<double> flags(const std::vector<double>& pit, double lo, double hi) {
    std::vector<double> out;
    for (double u : pit) out.push_back(u >= lo && u <= hi ? 1.0 : 0.0);
    return out;
}

void writeBacktestGroup(h5::Group g, Damage damage);

// Conditionings unconditional and realised_regime, targets SPY and IWM-SPY, 12 month-end
// starts 2000-01-31 .. 2000-12-29 with 3-month horizons (non-overlapping: 0, 3, 6, 9). Every
// series but unconditional / SPY has all 12 PITs at 0.5.
void writeBacktestFixture(const std::string& path, Damage damage = Damage::None) {
    h5::File f(path);
    f.setAttribute("format", "rotor-backtest-model");
    f.setAttribute("format_version", std::int64_t{1});
    f.setAttribute("rotor_version", "0.1.0");
    f.setAttribute("git_commit", "abc1234");
    f.setAttribute("created_utc", "2026-12-01T10:00:00Z");
    f.setAttribute("scenario_file", "checks/b.yaml");
    f.setAttribute("seed", std::uint64_t{7});
    f.createGroup("provenance").writeString("scenario_yaml", "name: b\n");
    writeBacktestGroup(f.createGroup("backtest"), damage);
    f.close();
}

void writeBacktestGroup(h5::Group g, Damage damage) {
    g.setAttribute("name", "b");
    g.setAttribute("scenario", "great_rotation_2026.yaml");
    g.setAttribute("horizon_months", std::int64_t{3});
    g.setAttribute("paths", std::uint64_t{500});
    g.setAttribute("outcome", "log total return over the horizon (adjusted closes)");
    g.setAttribute("pit_rule", "(#{x < y} + #{x == y} / 2) / N");
    g.setAttribute("ks_starts", "non-overlapping: each on or after the previous one's end");
    g.setAttribute("conditioning", std::vector<std::string>{"unconditional", "realised_regime"});
    g.setAttribute("targets", std::vector<std::string>{"SPY", "IWM-SPY"});
    const std::vector<std::string> starts = {"2000-01-31", "2000-02-29", "2000-03-31",
                                             "2000-04-28", "2000-05-31", "2000-06-30",
                                             "2000-07-31", "2000-08-31", "2000-09-29",
                                             "2000-10-31", "2000-11-30", "2000-12-29"};
    std::vector<std::string> ends = {"2000-04-28", "2000-05-31", "2000-06-30", "2000-07-31",
                                     "2000-08-31", "2000-09-29", "2000-10-31", "2000-11-30",
                                     "2000-12-29", "2001-01-31", "2001-02-28", "2001-03-30"};
    if (damage == Damage::EndsShort) ends.pop_back();
    g.writeStrings("starts", starts);
    g.writeStrings("ends", ends);
    g.writeInt64s("ks_start_index", damage == Damage::KsIndexPastStarts
                                        ? std::vector<std::int64_t>{0, 3, 6, 12}
                                        : std::vector<std::int64_t>{0, 3, 6, 9});
    h5::Table summary(damage == Damage::NoSummaryRow ? 3 : 4);
    const std::vector<std::string> cond = {"unconditional", "unconditional", "realised_regime",
                                           "realised_regime"};
    const std::vector<std::string> target = {"SPY", "IWM-SPY", "SPY", "IWM-SPY"};
    const auto rows = [&](std::vector<double> v) {
        v.resize(summary.rows());
        return v;
    };
    const auto used = static_cast<std::ptrdiff_t>(summary.rows());
    summary.addString("conditioning", {cond.begin(), cond.begin() + used});
    summary.addString("target", {target.begin(), target.begin() + used});
    summary.addDouble("coverage50", rows({4.0 / 12, 1, 1, 1}));
    summary.addDouble("coverage90", rows({9.0 / 12, 1, 1, 1}));
    summary.addDouble("mean_crps", rows({0.1, 0.05, 0.09, 0.06}));
    summary.addDouble("ks_statistic", rows({0.2, 0.5, 0.5, 0.5}));
    summary.addDouble("ks_pvalue", rows({0.95, 0.004, 0.004, 0.004}));
    summary.addInt64("ks_starts", std::vector<std::int64_t>(summary.rows(), 4));
    g.writeTable("summary", summary);
    for (const std::string c : {"unconditional", "realised_regime"}) {
        h5::Group cg = g.createGroup(c);
        for (const std::string t : {"SPY", "IWM-SPY"}) {
            h5::Group tg = cg.createGroup(t);
            tg.setAttribute("target", t);
            const bool first = c == "unconditional" && t == "SPY";
            std::vector<double> pit = first ? kPit : std::vector<double>(12, 0.5);
            if (first && damage == Damage::PitAboveOne) pit[4] = 1.5;
            h5::Table s(12);
            s.addString("start", starts);
            s.addDouble("realised", std::vector<double>(12, 0.01));
            s.addDouble("pit", pit);
            std::vector<std::int64_t> in50, in90;
            for (double u : flags(pit, 0.25, 0.75)) in50.push_back(static_cast<std::int64_t>(u));
            for (double u : flags(pit, 0.05, 0.95)) in90.push_back(static_cast<std::int64_t>(u));
            s.addInt64("in50", in50);
            s.addInt64("in90", in90);
            s.addDouble("crps", std::vector<double>(12, 0.1));
            tg.writeTable("scores", s);
            std::vector<std::int64_t> hist(10, 0);
            if (first)
                hist.assign(kCounts.begin(), kCounts.end());
            else
                hist[5] = 12;
            if (damage == Damage::WrongHistogram && c == "realised_regime" && t == "IWM-SPY") {
                hist[5] = 11;
                hist[6] = 1;
            }
            tg.writeInt64s("pit_histogram", hist);
        }
    }
}

std::string fixture(const std::string& name, Damage damage = Damage::None) {
    const std::string path = test::scratchDir("backtest_report") + "/" + name + ".h5";
    writeBacktestFixture(path, damage);
    return path;
}

std::size_t countOf(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto i = text.find(what); i != std::string::npos; i = text.find(what, i + 1)) ++n;
    return n;
}

// Against exact quantiles from Python (fractions, math.comb): the smallest k with
// P(X <= k) >= 0.05 and >= 0.95.
TEST(PitCalibration, BinomialBandIsTheExactQuantilePair) {
    struct Case {
        long n;
        double p, lo, hi;
    };
    for (const Case& c : std::vector<Case>{{12, 0.1, 0, 3},
                                           {4, 0.1, 0, 2},
                                           {30, 0.1, 1, 6},
                                           {360, 0.1, 27, 46},
                                           {20, 0.9, 16, 20},
                                           {20, 0.5, 6, 14},
                                           {12, 0.5, 3, 9},
                                           {4, 0.9, 2, 4}}) {
        const report::CountBand b = report::binomialBand(c.n, c.p, 0.9);
        EXPECT_EQ(b.lo, c.lo) << c.n << " " << c.p;
        EXPECT_EQ(b.hi, c.hi) << c.n << " " << c.p;
    }
    // By hand, n = 4, p = 1/2: P(X <= k) = 1/16, 5/16, 11/16, 15/16, 1: 1/16 >= 0.05, and only
    // k = 4 reaches 0.95.
    EXPECT_EQ(report::binomialBand(4, 0.5, 0.9).lo, 0.0);
    EXPECT_EQ(report::binomialBand(4, 0.5, 0.9).hi, 4.0);
    EXPECT_EQ(report::binomialBand(0, 0.1, 0.9).hi, 0.0);
}

TEST(PitCalibration, HistogramCountsAndBandsByHand) {
    const report::PitHistogramData h = report::pitHistogramData(kPit, 10, 4, 0.9);
    EXPECT_EQ(h.counts, kCounts);
    EXPECT_EQ(h.starts, 12);
    EXPECT_DOUBLE_EQ(h.expected, 1.2);
    // Binomial(12, 0.1): P(X <= 2) = 0.889, P(X <= 3) = 0.974, so {0, 3}.
    EXPECT_EQ(h.bands.independent.lo, 0.0);
    EXPECT_EQ(h.bands.independent.hi, 3.0);
    // Binomial(4, 0.1): P(0) = 0.656, P(X <= 1) = 0.948, P(X <= 2) = 0.996: {0, 2}, times 12 / 4.
    EXPECT_EQ(h.bands.overlapping.lo, 0.0);
    EXPECT_EQ(h.bands.overlapping.hi, 6.0);
    EXPECT_EQ(h.outsideIndependent, 1u);  // the 4 in the last bin
    EXPECT_EQ(h.outsideOverlapping, 0u);
    // With every start non-overlapping the two bands are one.
    const report::PitHistogramData all = report::pitHistogramData(kPit, 10, 12, 0.9);
    EXPECT_EQ(all.bands.overlapping.hi, 3.0);
}

TEST(PitCalibration, CoverageByHand) {
    const report::CoverageData c50 = report::coverageData(flags(kPit, 0.25, 0.75), 0.5, 4, 0.9);
    EXPECT_EQ(c50.inside, 4);
    EXPECT_EQ(c50.starts, 12);
    EXPECT_DOUBLE_EQ(c50.realised, 4.0 / 12.0);
    EXPECT_EQ(c50.bands.independent.lo, 3.0);  // Binomial(12, 0.5)
    EXPECT_EQ(c50.bands.independent.hi, 9.0);
    EXPECT_EQ(c50.bands.overlapping.lo, 0.0);  // Binomial(4, 0.5) = {0, 4}, times 3
    EXPECT_EQ(c50.bands.overlapping.hi, 12.0);
    const report::CoverageData c90 = report::coverageData(flags(kPit, 0.05, 0.95), 0.9, 4, 0.9);
    EXPECT_EQ(c90.inside, 9);
    EXPECT_DOUBLE_EQ(c90.realised, 0.75);
    EXPECT_EQ(c90.bands.independent.lo, 9.0);  // Binomial(12, 0.9)
    EXPECT_EQ(c90.bands.overlapping.lo, 6.0);  // Binomial(4, 0.9) = {2, 4}, times 3
    EXPECT_EQ(c90.bands.overlapping.hi, 12.0);
}

TEST(BacktestReport, ReadsTheLayout) {
    const report::BacktestData d = report::readBacktestModel(fixture("ok"));
    EXPECT_EQ(d.attribute("format"), "rotor-backtest-model");
    EXPECT_EQ(d.attribute("seed"), "7");
    EXPECT_EQ(d.name, "b");
    EXPECT_EQ(d.horizonMonths, 3);
    EXPECT_EQ(d.paths, 500u);
    EXPECT_EQ(d.starts.size(), 12u);
    EXPECT_EQ(d.ksStartIndex, (std::vector<std::size_t>{0, 3, 6, 9}));
    ASSERT_EQ(d.series.size(), 4u);
    const report::BacktestSeries* s = d.find("unconditional", "SPY");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->pit, kPit);
    EXPECT_EQ(s->in50, flags(kPit, 0.25, 0.75));
    EXPECT_DOUBLE_EQ(s->meanCrps, 0.1);
    EXPECT_EQ(s->ksStarts, 4);
    EXPECT_DOUBLE_EQ(d.find("realised_regime", "IWM-SPY")->ksPValue, 0.004);
    EXPECT_EQ(report::reportKindOf(fixture("kind")), report::ReportKind::BacktestModel);
}

TEST(BacktestReport, PageHoldsHistogramsCountsAndTables) {
    const std::string html = report::renderBacktestReport(report::readBacktestModel(fixture("ok")));
    EXPECT_EQ(countOf(html, "<svg class=\"chart pit-histogram\""), 4u);
    EXPECT_EQ(countOf(html, "<section class=\"target\""), 2u);
    // unconditional / SPY: the counts, the 4 flagged (outside {0, 3}) but not starred (inside
    // the non-overlapping band {0, 6}); expected 1.2; the bands.
    EXPECT_NE(html.find("<tr><th>unconditional</th><td class=\"n\">2</td><td class=\"n\">2</td>"
                        "<td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">0</td>"
                        "<td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">0</td>"
                        "<td class=\"n\">0</td><td class=\"n flag\" title=\"outside the "
                        "independent-starts band\">4</td><td class=\"n\">12</td>"
                        "<td class=\"n\">1.2</td><td class=\"n\">0–3</td><td class=\"n\">0–6</td>"),
              std::string::npos);
    // all 12 in one bin: outside both bands.
    EXPECT_NE(html.find("title=\"outside the independent-starts band\">12*</td>"),
              std::string::npos);
    // Coverage: 4 / 12 in the 50% band (range 25-75% independent, 0-100% as 4 starts), 9 / 12
    // in the 90% band (75-100%, 50-100%).
    EXPECT_NE(html.find("<td class=\"n\">33.3%</td><td class=\"n\">4 / 12</td><td class=\"n\">"
                        "25.0%–75.0%</td><td class=\"n\">0.0%–100.0%</td>"),
              std::string::npos);
    EXPECT_NE(html.find("<td class=\"n\">75.0%</td><td class=\"n\">9 / 12</td><td class=\"n\">"
                        "75.0%–100.0%</td><td class=\"n\">50.0%–100.0%</td>"),
              std::string::npos);
    // CRPS side by side: 0.0900 / 0.1000 - 1 = -10.0%; KS p below 1% flagged.
    EXPECT_NE(html.find("<th>SPY</th><td class=\"n\">0.1000</td><td class=\"n\">0.0900</td>"
                        "<td class=\"n\">-10.0%</td>"),
              std::string::npos);
    EXPECT_NE(html.find("<td class=\"n flag\">0.004</td><td class=\"n\">4</td>"),
              std::string::npos);
    EXPECT_NE(html.find("id=\"provenance\""), std::string::npos);
    EXPECT_EQ(html.find("differs from the counts"), std::string::npos);

    // The first chart's bars: heights proportional to the counts 2 2 2 0 0 2 0 0 0 4, and the
    // uniform line at 1.2 of the 4-count bar's height above its base.
    const std::string chart = html.substr(html.find("<svg class=\"chart pit-histogram\""));
    const std::regex bar(
        R"re(<rect class="bar" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)")re");
    std::vector<double> top, height;
    for (std::sregex_iterator it(chart.begin(), chart.end(), bar), end;
         it != end && top.size() < 10; ++it) {
        top.push_back(std::stod((*it)[1]));
        height.push_back(std::stod((*it)[2]));
    }
    ASSERT_EQ(height.size(), 10u);
    for (std::size_t k = 0; k < 10; ++k)
        if (kCounts[k] > 0) {
            EXPECT_NEAR(height[k] / height[9], static_cast<double>(kCounts[k]) / 4.0, 0.01) << k;
        }
    std::smatch level;
    ASSERT_TRUE(std::regex_search(
        chart, level, std::regex(R"re(<line class="level" x1="[^"]+" y1="([^"]+)")re")));
    const double base = top[9] + height[9];
    EXPECT_NEAR((base - std::stod(level[1])) / height[9], 1.2 / 4.0, 0.01);
}

TEST(BacktestReport, StoredHistogramDisagreeingWithThePitsIsSaid) {
    const std::string html = report::renderBacktestReport(
        report::readBacktestModel(fixture("hist", Damage::WrongHistogram)));
    EXPECT_EQ(countOf(html, "differs from the counts"), 1u);
}

TEST(BacktestReport, DamagedFilesAreInputErrors) {
    const std::vector<std::pair<Damage, std::string>> cases = {
        {Damage::PitAboveOne, "pit of start 4 is not in [0, 1]"},
        {Damage::NoSummaryRow, "no row for realised_regime / IWM-SPY"},
        {Damage::EndsShort, "/backtest/ends has 11 dates for 12 starts"},
        {Damage::KsIndexPastStarts, "not the index of a start"},
    };
    for (const auto& [damage, message] : cases) {
        const std::string path = fixture("bad", damage);
        try {
            (void)report::readBacktestModel(path);
            ADD_FAILURE() << message;
        } catch (const InputError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("not a valid rotor backtest-model file"), std::string::npos)
                << what;
            EXPECT_NE(what.find(message), std::string::npos) << what;
        }
    }
    // A results file is not a backtest-model file; a foreign HDF5 file is neither kind.
    const std::string dir = test::scratchDir("backtest_report");
    test::writeMcFixture(dir + "/mc.h5");
    EXPECT_EQ(report::reportKindOf(dir + "/mc.h5"), report::ReportKind::Results);
    try {
        (void)report::readBacktestModel(dir + "/mc.h5");
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not a rotor backtest-model file (root attribute "
                                             "format is 'rotor-results'"),
                  std::string::npos)
            << e.what();
    }
    test::writeForeignHdf5(dir + "/foreign.h5");
    try {
        (void)report::reportKindOf(dir + "/foreign.h5");
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "not a rotor results file, nor a backtest-model file (root "
                      "attribute format is '', expected 'rotor-results' "
                      "or 'rotor-backtest-model')"),
                  std::string::npos)
            << e.what();
    }
    std::ofstream(dir + "/text.h5") << "not hdf5\n";
    EXPECT_THROW((void)report::reportKindOf(dir + "/text.h5"), InputError);
}

}  // namespace backtest_report_test
}  // namespace
}  // namespace rotor
