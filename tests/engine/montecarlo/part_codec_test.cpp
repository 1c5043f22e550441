// SPDX-License-Identifier: MIT
// decodePart on parts written byte by byte here, after the layout of part_codec.cpp (not with
// encodePart): a well-formed part decodes to the values written; each kind of damage a shard
// file can carry (cut short, wrong counts, lengths that overflow, values no simulation gives)
// is rotor::InputError naming the problem. Round trips through encodePart are tested with a
// real generator in simulator_test.cpp.
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

// The receiver's part: 10 paths, 3 days, regimes calm and storm, strategies a and b, no
// checkpoint, attribution or overlay columns.
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

// What a part holds, every field in the order the bytes carry it. Defaults: paths 4:7 of the
// receiver's run, every value well formed.
struct Fields {
    std::string magic = "rotorMC2";
    std::uint64_t begin = 4, end = 7;
    std::uint64_t strategies = 2;
    std::uint64_t regimeCount = 3;
    std::vector<std::int32_t> regimes{0, 1, 0};
    std::uint64_t storedPricesCount = 0;
    std::int64_t rateDays = 3;
    // 5% a year lies in bin floor(5 * 2048) = 10240 of the rate grid (1/2048 point wide).
    std::vector<std::vector<Run>> rate{{{10240, {3}}}, {{10240, {3}}}, {{10240, {3}}}};
    std::vector<std::uint64_t> failure{~std::uint64_t{0}, ~std::uint64_t{0}};
    std::uint64_t errorLength = 0;
    std::vector<double> wealth{1.0, 1.1, 0.9};  // terminal wealth of paths 4, 5, 6
    // Wealth 1 lies in bin ln(1) * 512 = 0 of the wealth grid (1/512 wide in ln).
    std::vector<std::vector<Run>> equity{{{0, {3}}}, {{0, {3}}}, {{0, {3}}}};
    // Strategy b's, the same unless set.
    std::vector<double> wealthB = wealth;
    std::vector<std::vector<Run>> equityB = equity;
    std::string trailing;
};

class Bytes {
public:
    template <class T>
    void put(T v) {
        const auto* c = reinterpret_cast<const char*>(&v);
        out.insert(out.end(), c, c + sizeof v);
    }
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

std::vector<char> encode(const Fields& f) {
    Bytes b;
    b.out.insert(b.out.end(), f.magic.begin(), f.magic.end());
    b.put(f.begin);
    b.put(f.end);
    b.put(f.strategies);
    b.put(f.regimeCount);
    for (std::int32_t g : f.regimes) b.put(g);
    b.put<std::uint64_t>(0);  // attribution values
    b.put<std::uint64_t>(0);  // overlay report values
    b.put(f.storedPricesCount);
    b.put<std::uint64_t>(0);  // stored rates
    b.histogram(f.rateDays, f.rate);
    for (std::size_t s = 0; s < 2; ++s) {
        b.put(f.failure[s]);
        b.put(f.errorLength);
        // Six per-path columns: terminal wealth, then cagr, volatility, sharpe, drawdown, turnover.
        for (int c = 0; c < 6; ++c) {
            b.put<std::uint64_t>(3);
            for (double w : s == 0 ? f.wealth : f.wealthB) b.put(c == 0 ? w : 0.0);
        }
        b.histogram(3, s == 0 ? f.equity : f.equityB);
    }
    b.out.insert(b.out.end(), f.trailing.begin(), f.trailing.end());
    return b.out;
}

// The message of the InputError decoding `bytes` throws ("" and a failure when none).
std::string refusal(const std::vector<char>& bytes) {
    try {
        (void)decodePart(bytes, like());
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not an InputError: " << e.what();
        return e.what();
    }
    ADD_FAILURE() << "decoded";
    return "";
}

#define EXPECT_REFUSED(fields, needle)                                           \
    do {                                                                         \
        const std::string what_ = refusal(encode(fields));                       \
        EXPECT_NE(what_.find("path range bytes: "), std::string::npos) << what_; \
        EXPECT_NE(what_.find(needle), std::string::npos) << what_;               \
    } while (false)

TEST(PartCodec, AHandWrittenPartDecodesToTheValuesWritten) {
    const McPart p = decodePart(encode(Fields{}), like());
    EXPECT_EQ(p.range.begin, 4u);
    EXPECT_EQ(p.range.end, 7u);
    EXPECT_EQ(p.run.regimeOfPath, (std::vector<int>{0, 1, 0}));
    ASSERT_EQ(p.run.strategies.size(), 2u);
    EXPECT_EQ(p.run.strategies[1].name, "b");
    EXPECT_DOUBLE_EQ(p.run.strategies[0].paths.terminalWealth(1), 1.1);
    for (Index t = 0; t < 3; ++t) {
        EXPECT_EQ(p.rate.binCount(t, 10240), 3u);
        EXPECT_EQ(p.equity[1].binCount(t, 0), 3u);
    }
    EXPECT_EQ(p.firstFailure, (std::vector<std::uint64_t>{kNoPathFailure, kNoPathFailure}));
}

TEST(PartCodec, AStrategyThatFailedOnAPathOfTheRangeDecodes) {
    Fields f;
    f.failure[1] = 5;
    // Its histogram counts only path 4, before the failure, and its wealth may be anything.
    f.equityB = {{{0, {1}}}, {{0, {1}}}, {{0, {1}}}};
    f.wealthB = {1.0, std::numeric_limits<double>::quiet_NaN(), 0.0};
    const McPart p = decodePart(encode(f), like());
    EXPECT_EQ(p.firstFailure, (std::vector<std::uint64_t>{kNoPathFailure, 5}));
    EXPECT_EQ(p.equity[1].count(0), 1u);
    // A strategy that failed on no path must count every path.
    f.failure[1] = kNoPathFailure;
    f.wealthB = f.wealth;
    EXPECT_REFUSED(f, "wealth histogram counts 1 values on day 0 for 3 paths");
}

TEST(PartCodec, CutShortAnywhereIsBadInput) {
    const std::vector<char> whole = encode(Fields{});
    for (std::size_t n = 0; n < whole.size(); ++n) {
        const std::vector<char> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
        const std::string what = refusal(cut);
        EXPECT_TRUE(what.find("end early") != std::string::npos ||
                    what.find("runs past the end") != std::string::npos)
            << n << ": " << what;
    }
}

TEST(PartCodec, WrongSizesAndCountsAreBadInput) {
    Fields f;
    f.magic = "rotorMC1";
    EXPECT_REFUSED(f, "not a rotor Monte Carlo part");
    f = Fields{};
    f.begin = 7;
    f.end = 4;
    EXPECT_REFUSED(f, "range 7:4 outside the 10 paths");
    f = Fields{};
    f.end = 11;
    EXPECT_REFUSED(f, "range 4:11 outside the 10 paths");
    f = Fields{};
    f.strategies = 3;
    EXPECT_REFUSED(f, "3 strategies, expected 2");
    f = Fields{};
    f.regimeCount = 2;
    EXPECT_REFUSED(f, "regime_of_path has 2 values, expected 3");
    f = Fields{};
    f.rateDays = 4;
    EXPECT_REFUSED(f, "rate histogram of 4 days, expected 3");
    f = Fields{};
    f.trailing = "x";
    EXPECT_REFUSED(f, "trailing bytes after the last strategy");
}

TEST(PartCodec, LengthsThatWouldOverflowAreBadInputBeforeAnyAllocation) {
    Fields f;
    // 2^62 floats are 2^64 bytes: the count times the size would wrap to 0.
    f.storedPricesCount = std::uint64_t{1} << 62;
    EXPECT_REFUSED(f, "stored prices runs past the end");
    f = Fields{};
    f.errorLength = ~std::uint64_t{0};
    EXPECT_REFUSED(f, "error runs past the end");
    // A histogram run claiming 2^61 counts (2^63 bytes).
    std::vector<char> bytes = encode(Fields{});
    // The rate histogram's first run count sits after magic, range, strategies (8 + 24),
    // regimes (8 + 12), four empty arrays (32), the days (8), the day's run count (8) and the
    // run's first bin (4).
    const std::size_t at = 8 + 24 + 20 + 32 + 8 + 8 + 4;
    std::uint64_t stored = 0;
    std::memcpy(&stored, bytes.data() + at, sizeof stored);
    ASSERT_EQ(stored, 1u);  // the layout above: one count in the run
    const std::uint64_t huge = std::uint64_t{1} << 61;
    std::memcpy(bytes.data() + at, &huge, sizeof huge);
    const std::string what = refusal(bytes);
    EXPECT_NE(what.find("histogram runs past the end"), std::string::npos) << what;
}

TEST(PartCodec, ValuesNoSimulationGivesAreBadInput) {
    Fields f;
    f.regimes[1] = 2;
    EXPECT_REFUSED(f, "regime 2 outside 0..2");
    f = Fields{};
    f.regimes[1] = -1;
    EXPECT_REFUSED(f, "regime -1 outside 0..2");
    f = Fields{};
    f.failure[0] = 9;
    EXPECT_REFUSED(f, "strategy 'a' failed on path 9, outside its range 4:7");
    f = Fields{};
    f.wealth[2] = std::numeric_limits<double>::infinity();
    EXPECT_REFUSED(f, "strategy 'a' has terminal wealth inf on path 6");
    // Histograms must count each of the range's paths once a day.
    f = Fields{};
    f.rate[1] = {{10240, {2}}, {10300, {2}}};
    EXPECT_REFUSED(f, "rate histogram counts 4 values on day 1 for 3 paths");
    f = Fields{};
    f.rate[2] = {{10240, {2}}};
    EXPECT_REFUSED(f, "rate histogram counts 2 values on day 2 for 3 paths");
    f = Fields{};
    f.equity[0] = {{0, {std::numeric_limits<std::uint32_t>::max()}}, {0, {1}}};
    EXPECT_REFUSED(f, "wealth histogram counts 4294967295 values on day 0 for 3 paths");
    // Bins outside the grid: the rate grid spans -100..100 points, bins -204800..204800.
    f = Fields{};
    f.rate[0] = {{204800, {1, 2}}};
    EXPECT_REFUSED(f, "rate histogram: histogram bins 204800..204801 outside");
    f = Fields{};
    f.rate[0] = {{std::numeric_limits<std::int32_t>::max(), {3}}};
    EXPECT_REFUSED(f, "outside");
}

}  // namespace part_codec_test
}  // namespace
}  // namespace rotor
