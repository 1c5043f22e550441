// SPDX-License-Identifier: MIT
// decodeTotals and decodePaths on a part's totals and per-path pieces written byte by byte here,
// after the layout of part_codec.cpp (not with encodeTotals/encodePaths): well-formed bytes
// decode to the values written; each kind of damage a shard file or a rank's message can carry
// (cut short, wrong counts, lengths that overflow, values no simulation gives) is
// rotor::InputError naming the problem. Round trips through the encoders are tested with a real
// generator in simulator_test.cpp.
#include "engine/montecarlo/part_codec.hpp"

#include "engine/core/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace part_codec_test {

constexpr std::uint64_t kNone = ~std::uint64_t{0};  // kNoPathFailure as the bytes carry it

// The receiver's part: 10 paths, 3 days, one asset, regimes calm and storm, strategies a and
// b, no checkpoint, attribution or overlay columns.
McPart like() {
    McPart p;
    McScenarioRun& r = p.run;
    r.name = "s";
    r.dates = {Date::fromYmd(2024, 1, 2), Date::fromYmd(2024, 1, 3), Date::fromYmd(2024, 1, 4)};
    r.assets = {"A"};
    r.paths = 10;
    r.regimeNames = {"calm", "storm"};
    r.strategies.resize(2);
    r.strategies[0].name = "a";
    r.strategies[1].name = "b";
    return p;
}

// One histogram day's content: runs of (first bin, counts).
struct Run {
    std::int32_t base;
    std::vector<std::uint32_t> counts;
};

// The totals of a part, every field in the order the bytes carry it. Defaults: paths 4:7 of
// the receiver's run, every value well formed.
struct Totals {
    std::string magic = "rotorMT1";
    std::uint64_t begin = 4, end = 7;
    std::uint64_t strategies = 2;
    std::int64_t rateDays = 3;
    // 5% a year lies in bin floor(5 * 2048) = 10240 of the rate grid (1/2048 point wide).
    std::vector<std::vector<Run>> rate{{{10240, {3}}}, {{10240, {3}}}, {{10240, {3}}}};
    std::vector<std::uint64_t> failure{kNone, kNone};
    std::vector<std::string> error{"", ""};
    std::uint64_t errorLengthA = 0;  // strategy a's error length as stored
    // Wealth 1 lies in bin ln(1) * 512 = 0 of the wealth grid (1/512 wide in ln).
    std::vector<std::vector<Run>> equity{{{0, {3}}}, {{0, {3}}}, {{0, {3}}}};
    std::vector<std::vector<Run>> equityB = equity;  // strategy b's
    std::string trailing;
};

// Per-path values of some paths of the part: paths 4:7 by default.
struct Paths {
    std::string magic = "rotorMP1";
    std::uint64_t begin = 4, end = 7;
    std::uint64_t strategies = 2;
    std::uint64_t regimeCount = 3;
    std::vector<std::int32_t> regimes{0, 1, 0};
    std::uint64_t attributionCount = 0;
    std::uint64_t overlayCount = 0;
    // Stored paths, path-major: 3 paths x 3 days x 1 asset prices, 3 paths x 3 days rates.
    std::uint64_t pricesCount = 9;
    std::vector<float> prices{100, 101, 102, 100, 99, 98, 100, 100.5f, 101};
    std::uint64_t ratesCount = 9;
    std::vector<float> rates{0.05f, 0.05f, 0.05f, 0.04f, 0.04f, 0.04f, 0.06f, 0.06f, 0.06f};
    std::uint64_t metricCount = 3;              // values in each per-path column
    std::vector<double> wealth{1.0, 1.1, 0.9};  // terminal wealth of paths 4, 5, 6
    std::vector<double> wealthB = wealth;       // strategy b's
    std::string trailing;
};

class Bytes {
public:
    template <class T>
    void put(T v) {
        const auto* c = reinterpret_cast<const char*>(&v);
        out.insert(out.end(), c, c + sizeof v);
    }
    void text(const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }
    void histogram(std::int64_t days, const std::vector<std::vector<Run>>& runs) {
        put(days);
        for (const auto& day : runs) {
            put<std::uint64_t>(day.size());
            for (const Run& r : day) {
                put(r.base);
                put<std::uint64_t>(r.counts.size());
                for (std::uint32_t c : r.counts) put(c);
            }
        }
    }
    std::vector<char> out;
};

std::vector<char> encode(const Totals& f) {
    Bytes b;
    b.text(f.magic);
    b.put(f.begin);
    b.put(f.end);
    b.put(f.strategies);
    b.histogram(f.rateDays, f.rate);
    for (std::size_t s = 0; s < 2; ++s) {
        b.put(f.failure[s]);
        b.put<std::uint64_t>(s == 0 && f.errorLengthA != 0 ? f.errorLengthA : f.error[s].size());
        b.text(f.error[s]);
        b.histogram(3, s == 0 ? f.equity : f.equityB);
    }
    b.text(f.trailing);
    return b.out;
}

// Column c of path i: its terminal wealth for c = 0 (terminal wealth), c + i / 4 for the others
// (cagr, volatility, sharpe, drawdown, turnover).
double column(const Paths& f, std::size_t s, int c, std::size_t i) {
    return c == 0 ? (s == 0 ? f.wealth : f.wealthB)[i] : c + 0.25 * static_cast<double>(i);
}

std::vector<char> encode(const Paths& f) {
    Bytes b;
    b.text(f.magic);
    b.put(f.begin);
    b.put(f.end);
    b.put(f.strategies);
    b.put(f.regimeCount);
    for (std::int32_t g : f.regimes) b.put(g);
    b.put(f.attributionCount);
    for (std::uint64_t k = 0; k < f.attributionCount; ++k) b.put(0.0);
    b.put(f.overlayCount);
    for (std::uint64_t k = 0; k < f.overlayCount; ++k) b.put(0.0);
    b.put(f.pricesCount);
    for (float v : f.prices) b.put(v);
    b.put(f.ratesCount);
    for (float v : f.rates) b.put(v);
    for (std::size_t s = 0; s < 2; ++s)
        for (int c = 0; c < 6; ++c) {
            b.put(f.metricCount);
            for (std::size_t i = 0; i < f.wealth.size(); ++i) b.put(column(f, s, c, i));
        }
    b.text(f.trailing);
    return b.out;
}

// The share the pieces decode against: the hand-written totals `t`.
McPart share(const Totals& t = Totals{}) { return decodeTotals(encode(t), like()); }

// The message of the InputError decoding `bytes` throws ("" and a failure when none).
template <class Decode>
std::string refusal(Decode decode) {
    try {
        (void)decode();
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not an InputError: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "decoded";
    return "";
}
std::string refusal(const Totals& f) {
    return refusal([&] { return decodeTotals(encode(f), like()); });
}
std::string refusal(const Paths& f, const McPart& totals = share()) {
    return refusal([&] { return decodePaths(encode(f), totals); });
}

#define EXPECT_REFUSED(what, needle)                                  \
    do {                                                              \
        const std::string what_ = (what);                             \
        EXPECT_EQ(what_.rfind("path range bytes: ", 0), 0u) << what_; \
        EXPECT_NE(what_.find(needle), std::string::npos) << what_;    \
    } while (false)

TEST(PartCodec, HandWrittenTotalsDecodeToTheValuesWritten) {
    const McPart p = share();
    EXPECT_EQ(p.range.begin, 4u);
    EXPECT_EQ(p.range.end, 7u);
    EXPECT_EQ(p.run.paths, 10u);
    ASSERT_EQ(p.run.strategies.size(), 2u);
    EXPECT_EQ(p.run.strategies[1].name, "b");
    EXPECT_TRUE(p.run.regimeOfPath.empty());  // no per-path values in the totals
    EXPECT_EQ(p.run.strategies[0].paths.terminalWealth.size(), 0);
    ASSERT_EQ(p.equity.size(), 2u);
    for (Index t = 0; t < 3; ++t) {
        EXPECT_EQ(p.rate.binCount(t, 10240), 3u);
        EXPECT_EQ(p.rate.count(t), 3u);
        EXPECT_EQ(p.equity[1].binCount(t, 0), 3u);
    }
    EXPECT_EQ(p.firstFailure, (std::vector<std::uint64_t>{kNoPathFailure, kNoPathFailure}));
    EXPECT_EQ(p.errors, (std::vector<std::string>{"", ""}));
}

TEST(PartCodec, HandWrittenPathsDecodeToTheValuesWritten) {
    const McPart p = decodePaths(encode(Paths{}), share());
    EXPECT_EQ(p.range.begin, 4u);
    EXPECT_EQ(p.range.end, 7u);
    EXPECT_EQ(p.run.regimeOfPath, (std::vector<int>{0, 1, 0}));
    ASSERT_EQ(p.run.strategies.size(), 2u);
    EXPECT_EQ(p.run.strategies[1].name, "b");
    const PathMetrics& m = p.run.strategies[0].paths;
    ASSERT_EQ(m.terminalWealth.size(), 3);
    EXPECT_EQ(m.terminalWealth(1), 1.1);
    EXPECT_EQ(m.cagr(0), 1.0);
    EXPECT_EQ(m.turnover(2), 5.5);  // 5 + 2 / 4
    EXPECT_EQ(p.run.strategies[1].paths.maxDrawdown(1), 4.25);
    EXPECT_EQ(p.run.storedPrices,
              (std::vector<float>{100, 101, 102, 100, 99, 98, 100, 100.5f, 101}));
    EXPECT_EQ(p.run.storedRates.size(), 9u);
    EXPECT_EQ(p.run.storedRates[3], 0.04f);
    EXPECT_TRUE(p.firstFailure.empty());
    EXPECT_TRUE(p.equity.empty());
    // A piece of the share's paths, and a run without stored paths.
    Paths f;
    f.begin = 5;
    f.end = 6;
    f.regimeCount = 1;
    f.regimes = {1};
    f.metricCount = 1;
    f.wealth = {1.1};
    f.wealthB = {0.8};
    f.pricesCount = f.ratesCount = 0;
    f.prices.clear();
    f.rates.clear();
    const McPart q = decodePaths(encode(f), share());
    EXPECT_EQ(q.range.begin, 5u);
    EXPECT_EQ(q.range.end, 6u);
    EXPECT_EQ(q.run.regimeOfPath, (std::vector<int>{1}));
    EXPECT_EQ(q.run.strategies[1].paths.terminalWealth(0), 0.8);
    EXPECT_TRUE(q.run.storedPrices.empty());
}

TEST(PartCodec, AStrategyThatFailedOnAPathOfTheRangeDecodes) {
    Totals t;
    t.failure[1] = 5;
    t.error[1] = "path 5: no price";
    // Its histogram counts only path 4, before the failure.
    t.equityB = {{{0, {1}}}, {{0, {1}}}, {{0, {1}}}};
    const McPart totals = share(t);
    EXPECT_EQ(totals.firstFailure, (std::vector<std::uint64_t>{kNoPathFailure, 5}));
    EXPECT_EQ(totals.errors[1], "path 5: no price");
    EXPECT_EQ(totals.equity[1].count(0), 1u);
    // Its wealth may be anything; strategy a's, which did not fail, may not.
    Paths f;
    f.wealthB = {1.0, std::numeric_limits<double>::quiet_NaN(), 0.0};
    const McPart p = decodePaths(encode(f), totals);
    EXPECT_TRUE(std::isnan(p.run.strategies[1].paths.terminalWealth(1)));
    f.wealth[1] = std::numeric_limits<double>::quiet_NaN();
    EXPECT_REFUSED(refusal(f, totals), "strategy 'a' has terminal wealth nan on path 5");
    // Failed when it was built: recorded on the range's first path, even an empty range's.
    t = Totals{};
    t.begin = t.end = 4;
    t.rate = t.equity = t.equityB = {{}, {}, {}};
    t.failure[0] = 4;
    EXPECT_EQ(share(t).firstFailure[0], 4u);
    // A strategy that failed on no path must count every path.
    t = Totals{};
    t.equityB = {{{0, {1}}}, {{0, {1}}}, {{0, {1}}}};
    EXPECT_REFUSED(refusal(t), "wealth histogram counts 1 values on day 0 for 3 paths");
}

// Every cut of the bytes ends inside a value the decoder reads: an error, and no read past the
// end under the sanitizers.
TEST(PartCodec, CutShortAnywhereIsBadInput) {
    Totals t;
    t.error[0] = "xy";
    t.failure[0] = 6;
    t.equity = {{{0, {2}}}, {{0, {2}}}, {{0, {2}}}};
    const std::vector<std::vector<char>> wholes{encode(t), encode(Paths{})};
    const McPart totals = share();
    for (std::size_t k = 0; k < 2; ++k) {
        const std::vector<char>& whole = wholes[k];
        ASSERT_NO_THROW(k == 0 ? (void)decodeTotals(whole, like())
                               : (void)decodePaths(whole, totals));
        for (std::size_t n = 0; n < whole.size(); ++n) {
            const std::vector<char> cut(whole.begin(),
                                        whole.begin() + static_cast<std::ptrdiff_t>(n));
            const std::string what = refusal(
                [&] { return k == 0 ? decodeTotals(cut, like()) : decodePaths(cut, totals); });
            EXPECT_TRUE(what.find("end early") != std::string::npos ||
                        what.find("runs past the end") != std::string::npos)
                << (k == 0 ? "totals " : "paths ") << n << ": " << what;
        }
    }
}

TEST(PartCodec, WrongSizesAndCountsInTheTotalsAreBadInput) {
    Totals t;
    t.magic = "rotorMC2";  // the whole-part encoding, read no more
    EXPECT_REFUSED(refusal(t), "not the totals of a rotor Monte Carlo part");
    t.magic = "rotorMP1";
    EXPECT_REFUSED(refusal(t), "not the totals of a rotor Monte Carlo part");
    t = Totals{};
    t.begin = 7;
    t.end = 4;
    EXPECT_REFUSED(refusal(t), "range 7:4 outside the 10 paths");
    t = Totals{};
    t.end = 11;
    EXPECT_REFUSED(refusal(t), "range 4:11 outside the 10 paths");
    t = Totals{};
    t.strategies = 3;
    EXPECT_REFUSED(refusal(t), "3 strategies, expected 2");
    t.strategies = 1;
    EXPECT_REFUSED(refusal(t), "1 strategies, expected 2");
    t = Totals{};
    t.rateDays = 4;
    EXPECT_REFUSED(refusal(t), "rate histogram of 4 days, expected 3");
    t = Totals{};
    t.trailing = "x";
    EXPECT_REFUSED(refusal(t), "trailing bytes after the last strategy");
}

TEST(PartCodec, WrongSizesAndCountsInThePathsAreBadInput) {
    Paths f;
    f.magic = "rotorMT1";
    EXPECT_REFUSED(refusal(f), "not per-path values of a rotor Monte Carlo part");
    f = Paths{};
    f.begin = 7;
    f.end = 4;
    EXPECT_REFUSED(refusal(f), "range 7:4 outside the 10 paths");
    f = Paths{};
    f.end = 11;
    EXPECT_REFUSED(refusal(f), "range 4:11 outside the 10 paths");
    // Paths of the run, but not of the share they are decoded against (4:7).
    f = Paths{};
    f.begin = 3;
    f.end = 6;
    EXPECT_REFUSED(refusal(f), "paths 3:6 outside their part's range 4:7");
    f = Paths{};
    f.begin = 5;
    f.end = 8;
    EXPECT_REFUSED(refusal(f), "paths 5:8 outside their part's range 4:7");
    f = Paths{};
    f.strategies = 3;
    EXPECT_REFUSED(refusal(f), "3 strategies, expected 2");
    f = Paths{};
    f.regimeCount = 2;
    EXPECT_REFUSED(refusal(f), "regime_of_path has 2 values, expected 3");
    f = Paths{};
    f.attributionCount = 1;  // the run has no attribution columns
    EXPECT_REFUSED(refusal(f), "attribution has 1 values, expected 0");
    f = Paths{};
    f.overlayCount = 3;
    EXPECT_REFUSED(refusal(f), "overlay report has 3 values, expected 0");
    f = Paths{};
    f.metricCount = 2;
    EXPECT_REFUSED(refusal(f), "per-path metric has 2 values, expected 3");
    f = Paths{};
    f.trailing = "x";
    EXPECT_REFUSED(refusal(f), "trailing bytes after the last strategy");
    // Stored paths must be days x paths rates and as many prices per asset.
    f = Paths{};
    f.ratesCount = 6;
    f.rates.resize(6);
    EXPECT_REFUSED(refusal(f), "stored paths of another shape");
    f = Paths{};
    f.pricesCount = 8;
    f.prices.resize(8);
    EXPECT_REFUSED(refusal(f), "stored paths of another shape");
    f = Paths{};
    f.ratesCount = 0;
    f.rates.clear();
    EXPECT_REFUSED(refusal(f), "stored paths of another shape");
}

TEST(PartCodec, LengthsThatWouldOverflowAreBadInputBeforeAnyAllocation) {
    Paths f;
    // 2^62 floats are 2^64 bytes: the count times the size would wrap to 0.
    f.pricesCount = std::uint64_t{1} << 62;
    EXPECT_REFUSED(refusal(f), "stored prices runs past the end");
    f = Paths{};
    f.ratesCount = std::uint64_t{1} << 62;
    EXPECT_REFUSED(refusal(f), "stored rates runs past the end");
    Totals t;
    t.errorLengthA = ~std::uint64_t{0};
    EXPECT_REFUSED(refusal(t), "error runs past the end");
    // A histogram run claiming 2^61 counts (2^63 bytes).
    std::vector<char> bytes = encode(Totals{});
    // The rate histogram's first run count sits after magic and range (8 + 16), the strategy
    // count (8), the days (8), the day's run count (8) and the run's first bin (4).
    const std::size_t at = 8 + 16 + 8 + 8 + 8 + 4;
    std::uint64_t stored = 0;
    std::memcpy(&stored, bytes.data() + at, sizeof stored);
    ASSERT_EQ(stored, 1u);  // the layout above: one count in the run
    const std::uint64_t huge = std::uint64_t{1} << 61;
    std::memcpy(bytes.data() + at, &huge, sizeof huge);
    const std::string what = refusal([&] { return decodeTotals(bytes, like()); });
    EXPECT_NE(what.find("histogram runs past the end"), std::string::npos) << what;
}

TEST(PartCodec, ValuesNoSimulationGivesAreBadInput) {
    Paths f;
    f.regimes[1] = 2;
    EXPECT_REFUSED(refusal(f), "regime 2 outside 0..2");
    f = Paths{};
    f.regimes[1] = -1;
    EXPECT_REFUSED(refusal(f), "regime -1 outside 0..2");
    f = Paths{};
    f.wealth[2] = std::numeric_limits<double>::infinity();
    EXPECT_REFUSED(refusal(f), "strategy 'a' has terminal wealth inf on path 6");
    f = Paths{};
    f.wealthB[0] = -std::numeric_limits<double>::infinity();
    EXPECT_REFUSED(refusal(f), "strategy 'b' has terminal wealth -inf on path 4");
    // A failure outside the range: before it, at its end (a non-empty range records a build
    // failure on its first path), or past it.
    Totals t;
    t.failure[0] = 9;
    EXPECT_REFUSED(refusal(t), "strategy 'a' failed on path 9, outside its range 4:7");
    t.failure[0] = 7;
    EXPECT_REFUSED(refusal(t), "strategy 'a' failed on path 7, outside its range 4:7");
    t.failure[0] = 3;
    EXPECT_REFUSED(refusal(t), "strategy 'a' failed on path 3, outside its range 4:7");
    // Histograms must count each of the range's paths once a day.
    t = Totals{};
    t.rate[1] = {{10240, {2}}, {10300, {2}}};
    EXPECT_REFUSED(refusal(t), "rate histogram counts 4 values on day 1 for 3 paths");
    t = Totals{};
    t.rate[2] = {{10240, {2}}};
    EXPECT_REFUSED(refusal(t), "rate histogram counts 2 values on day 2 for 3 paths");
    t = Totals{};
    t.equity[0] = {{0, {std::numeric_limits<std::uint32_t>::max()}}, {0, {1}}};
    EXPECT_REFUSED(refusal(t), "wealth histogram counts 4294967295 values on day 0 for 3 paths");
    // A failed strategy may count fewer paths, never more.
    t = Totals{};
    t.failure[1] = 5;
    t.equityB[2] = {{0, {4}}};
    EXPECT_REFUSED(refusal(t), "wealth histogram counts 4 values on day 2 for 3 paths");
    // Bins outside the grid: the rate grid spans -100..100 points, bins -204800..204800.
    t = Totals{};
    t.rate[0] = {{204800, {1, 2}}};
    EXPECT_REFUSED(refusal(t), "rate histogram: histogram bins 204800..204801 outside");
    t = Totals{};
    t.rate[0] = {{std::numeric_limits<std::int32_t>::max(), {3}}};
    EXPECT_REFUSED(refusal(t), "outside");
}

}  // namespace part_codec_test
}  // namespace
}  // namespace rotor
