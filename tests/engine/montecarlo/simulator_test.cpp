// SPDX-License-Identifier: MIT
// The Monte Carlo driver on a small GBM generator defined here: bit-identical results (in memory
// and in the HDF5 file) for any thread count and chunk size; a zero-volatility, constant-rate
// scenario against the closed-form equity curves of buy_and_hold and fixed_mix with costs; bands
// against exact percentiles of regenerated paths; failures isolated per strategy; progress.
#include "engine/montecarlo/simulator.hpp"

#include "engine/core/error.hpp"
#include "engine/core/rng.hpp"
#include "engine/io/hdf5_writer.hpp"
#include "engine/montecarlo/band_histogram.hpp"
#include "engine/montecarlo/part_codec.hpp"
#include "engine/montecarlo/piece_spool.hpp"
#include "engine/montecarlo/streamed_combine.hpp"
#include "engine/spec/scenario_spec.hpp"
#include "engine/strategy/market_view.hpp"
#include "strategies/register_builtin.hpp"
#include "tests/engine/io/hdf5_read.hpp"
#include "tests/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace rotor {
namespace {
namespace simulator_test {

// Weekdays from Monday 2024-01-29: month ends fall inside the horizon.
std::vector<Date> weekdays(int count) {
    std::vector<Date> out;
    for (Date d = Date::fromYmd(2024, 1, 29); static_cast<int>(out.size()) < count; d = d + 1)
        if (d.weekday() != 0 && d.weekday() != 6) out.push_back(d);
    return out;
}

// Geometric Brownian motion per asset (independent), start price 100, and a cash rate that starts
// at `rate` + regime and random-walks by `rateVol` percentage points a day. Path p draws only
// from Xoshiro256(seed, p): the regime first, then day by day the assets and the rate.
class TestGbm : public PathGenerator {
public:
    struct Params {
        std::vector<std::string> assets{"A", "B", "C"};
        int days = 40;
        std::vector<double> drift{0.05, 0.08, 0.02};  // annual log drift before the -vol^2/2
        std::vector<double> vol{0.2, 0.3, 0.1};       // annual
        double rate = 3.0;
        double rateVol = 0.0;
        int regimes = 1;
        long throwOnPath = -1;      // generator failure injection
        long zeroPriceOnPath = -1;  // this path's price of B on day 3 is 0
        long nanRateOnPath = -1;    // this path's cash rate on day 2 is NaN
    };
    TestGbm(Params p, std::uint64_t seed)
        : p_(std::move(p)), seed_(seed), dates_(weekdays(p_.days)) {
        universe_.assets = p_.assets;
    }
    const Universe& universe() const override { return universe_; }
    const std::vector<Date>& dates() const override { return dates_; }
    std::vector<std::string> regimeNames() const override {
        std::vector<std::string> names;
        for (int r = 0; r < p_.regimes; ++r) names.push_back("regime" + std::to_string(r));
        return names;
    }
    std::string describe() const override { return "model: test_gbm\n"; }
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch&) const override {
        if (static_cast<long>(p) == p_.throwOnPath) throw Error("generator broke on purpose");
        Xoshiro256 rng(seed_, p);
        const NormalZiggurat& z = NormalZiggurat::instance();
        PathInfo info;
        if (p_.regimes > 1)
            info.regime = static_cast<int>(rng() % static_cast<unsigned>(p_.regimes));
        const Index T = p_.days;
        const auto N = static_cast<Index>(p_.assets.size());
        out.dates = dates_;
        out.prices.resize(T, N);
        out.cashRate.resize(T);
        for (Index i = 0; i < N; ++i) out.prices(0, i) = 100.0;
        out.cashRate(0) = p_.rate + info.regime;
        for (Index t = 1; t < T; ++t) {
            for (Index i = 0; i < N; ++i) {
                const double mu = p_.drift[static_cast<std::size_t>(i)];
                const double sd = p_.vol[static_cast<std::size_t>(i)];
                const double step = (mu - 0.5 * sd * sd) / 252.0 + sd / std::sqrt(252.0) * z(rng);
                out.prices(t, i) = out.prices(t - 1, i) * std::exp(step);
            }
            out.cashRate(t) = out.cashRate(t - 1) + (p_.rateVol > 0 ? p_.rateVol * z(rng) : 0.0);
        }
        if (static_cast<long>(p) == p_.zeroPriceOnPath) out.prices(3, 1) = 0.0;
        if (static_cast<long>(p) == p_.nanRateOnPath) out.cashRate(2) = std::nan("");
        return info;
    }

private:
    Params p_;
    std::uint64_t seed_;
    std::vector<Date> dates_;
    Universe universe_;
};

// Holds asset 0 and throws once its price exceeds `limit`: a strategy that fails on some paths.
class Fragile : public Strategy {
public:
    Fragile(std::string name, double limit, Index n)
        : Strategy(std::move(name)), limit_(limit), n_(n) {}
    void start(const std::vector<Date>&) override {}
    std::unique_ptr<Strategy> clone() const override { return std::make_unique<Fragile>(*this); }

protected:
    bool decide(const MarketView& view, const Vector&, Vector& target) override {
        if (view.price(view.today(), 0) > limit_) throw Error("price above the limit");
        target.setZero(n_);
        target(0) = 1.0;
        return view.today() == 0;
    }

private:
    double limit_;
    Index n_;
};

// A strategy that cannot be copied for a worker: it fails alone, the others still run.
class Unclonable : public Fragile {
public:
    using Fragile::Fragile;
    std::unique_ptr<Strategy> clone() const override { throw Error("no such thing"); }
};

const StrategyRegistry& registry() {
    static const StrategyRegistry r = [] {
        StrategyRegistry x;
        strategies::registerBuiltinStrategies(x);
        x.add(
            "fragile",
            [](const std::string& name, const ConfigNode& spec, const Universe& u) {
                return std::make_unique<Fragile>(name, spec.getDouble("limit"), u.size());
            },
            "test: fails above a price");
        x.add(
            "unclonable",
            [](const std::string& name, const ConfigNode&, const Universe& u) {
                return std::make_unique<Unclonable>(name, 1e300, u.size());
            },
            "test: clone() throws");
        return x;
    }();
    return r;
}

// A strategy entry built as a scenario builds it, for the test generator's universe.
StrategySpec spec(const std::string& yaml,
                  const std::vector<std::string>& assets = {"A", "B", "C"}) {
    return parseStrategy(loadYamlString(yaml, "test.yaml"), registry(), Universe{assets});
}

std::vector<StrategySpec> mixedStrategies() {
    return {spec("name: hold\ntype: buy_and_hold\nweights: {A: 0.5, B: 0.3}\n"),
            spec("name: mix\ntype: fixed_mix\nweights: {A: 0.4, B: 0.4, C: 0.2}\nrebalance: "
                 "weekly\n"),
            spec("name: mom\ntype: relative_momentum\nassets: [A, B, C]\nlookback: 10\nskip: 0\n"
                 "top_k: 1\nrebalance: weekly\n"),
            spec("name: fragile\ntype: fragile\nlimit: 112\n")};
}

SimulationInput mixedInput(std::uint64_t paths) {
    SimulationInput in;
    in.name = "mc";
    in.description = "determinism check";
    in.seed = 99;
    in.strategies = mixedStrategies();
    in.backtest.initialCapital = 1000.0;
    in.backtest.costs.commissionBps = 2.0;
    in.backtest.costs.slippageBps = 1.0;
    in.benchmark = "hold";
    in.paths = paths;
    in.storePaths = true;
    in.checkpointDay = 20;
    in.percentiles = {2.5, 5, 50, 95};
    return in;
}

TestGbm::Params mixedParams() {
    TestGbm::Params p;
    p.rateVol = 0.05;
    p.regimes = 2;
    return p;
}

::testing::AssertionResult sameBits(const double* a, std::size_t na, const double* b,
                                    std::size_t nb) {
    if (na != nb) return ::testing::AssertionFailure() << "sizes " << na << " vs " << nb;
    if (na > 0 && std::memcmp(a, b, na * sizeof(double)) != 0) {
        for (std::size_t i = 0; i < na; ++i)
            if (std::memcmp(a + i, b + i, sizeof(double)) != 0)
                return ::testing::AssertionFailure()
                       << "differ at " << i << ": " << a[i] << " vs " << b[i];
    }
    return ::testing::AssertionSuccess();
}
template <class M>
::testing::AssertionResult sameBits(const M& a, const M& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return ::testing::AssertionFailure() << "shapes differ";
    return sameBits(a.data(), static_cast<std::size_t>(a.size()), b.data(),
                    static_cast<std::size_t>(b.size()));
}
::testing::AssertionResult sameBits(const std::vector<double>& a, const std::vector<double>& b) {
    return sameBits(a.data(), a.size(), b.data(), b.size());
}
::testing::AssertionResult sameBits(double a, double b) { return sameBits(&a, 1, &b, 1); }

void expectSameRun(const McScenarioRun& a, const McScenarioRun& b) {
    EXPECT_EQ(a.regimeOfPath, b.regimeOfPath);
    EXPECT_TRUE(sameBits(a.rateBands, b.rateBands));
    EXPECT_EQ(a.storedPrices, b.storedPrices);
    EXPECT_EQ(a.storedRates, b.storedRates);
    ASSERT_EQ(a.strategies.size(), b.strategies.size());
    for (std::size_t s = 0; s < a.strategies.size(); ++s) {
        const McStrategyRun& x = a.strategies[s];
        const McStrategyRun& y = b.strategies[s];
        SCOPED_TRACE(x.name);
        EXPECT_EQ(x.ok, y.ok);
        EXPECT_EQ(x.error, y.error);
        EXPECT_TRUE(sameBits(x.paths.terminalWealth, y.paths.terminalWealth));
        EXPECT_TRUE(sameBits(x.paths.cagr, y.paths.cagr));
        EXPECT_TRUE(sameBits(x.paths.volatility, y.paths.volatility));
        EXPECT_TRUE(sameBits(x.paths.sharpe, y.paths.sharpe));
        EXPECT_TRUE(sameBits(x.paths.maxDrawdown, y.paths.maxDrawdown));
        EXPECT_TRUE(sameBits(x.paths.turnover, y.paths.turnover));
        EXPECT_TRUE(sameBits(x.paths.checkpointWealth, y.paths.checkpointWealth));
        EXPECT_TRUE(sameBits(x.equityBands, y.equityBands));
        EXPECT_TRUE(sameBits(x.terminal.mean, y.terminal.mean));
        EXPECT_TRUE(sameBits(x.terminal.stdev, y.terminal.stdev));
        EXPECT_TRUE(sameBits(x.terminal.percentiles, y.terminal.percentiles));
        EXPECT_TRUE(sameBits(x.terminal.probLoss, y.terminal.probLoss));
        EXPECT_TRUE(sameBits(x.terminal.probBeatBenchmark, y.terminal.probBeatBenchmark));
        EXPECT_TRUE(sameBits(x.terminal.var95, y.terminal.var95));
        EXPECT_TRUE(sameBits(x.terminal.cvar95, y.terminal.cvar95));
    }
}

TEST(McSimulator, BitIdenticalForAnyThreadCountAndChunkSize) {
    const TestGbm gen(mixedParams(), 2024);
    SimulationInput in = mixedInput(300);
    in.threads = 1;
    in.chunkSize = 256;
    const McScenarioRun base = simulate(gen, in);
    // The run is not trivial: some paths fail the fragile strategy, regimes and rates vary.
    ASSERT_TRUE(base.strategies[0].ok);
    ASSERT_FALSE(base.strategies[3].ok);
    EXPECT_NE(std::count(base.regimeOfPath.begin(), base.regimeOfPath.end(), 1), 0);
    EXPECT_NE(base.rateBands(39, 0), base.rateBands(39, 3));

    for (auto [threads, chunk] :
         {std::pair<unsigned, std::uint64_t>{2, 256}, {2, 7}, {3, 1}, {1, 13}}) {
        SCOPED_TRACE(::testing::Message() << threads << " threads, chunks of " << chunk);
        in.threads = threads;
        in.chunkSize = chunk;
        expectSameRun(base, simulate(gen, in));
    }
}

// An InputError whose message contains `text`.
template <class F>
::testing::AssertionResult inputErrorWith(F f, const std::string& text) {
    try {
        f();
    } catch (const InputError& e) {
        if (std::string(e.what()).find(text) != std::string::npos)
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "message: " << e.what();
    }
    return ::testing::AssertionFailure() << "no InputError";
}

// Split by hand: 10 paths in 3 parts are 4 + 3 + 3; 2 paths in 3 parts leave the last empty.
TEST(McSimulator, ShareOfPathsSplitsEvenlyFirstPartsLonger) {
    const std::vector<std::pair<std::uint64_t, std::uint64_t>> ten = {{0, 4}, {4, 7}, {7, 10}};
    for (std::uint64_t k = 0; k < 3; ++k) {
        EXPECT_EQ(shareOfPaths(10, k, 3).begin, ten[k].first);
        EXPECT_EQ(shareOfPaths(10, k, 3).end, ten[k].second);
    }
    EXPECT_EQ(shareOfPaths(2, 1, 3).begin, 1u);
    EXPECT_EQ(shareOfPaths(2, 1, 3).end, 2u);
    EXPECT_EQ(shareOfPaths(2, 2, 3).size(), 0u);
    EXPECT_EQ(shareOfPaths(7, 0, 1).end, 7u);
}

// Path ranges simulated apart and combined are the run over all paths, bit for bit, for any
// split (uneven, one path, an empty range) and any order of the parts; the failing strategy
// still names the lowest failing path, which lies in a later range.
TEST(McSimulator, PartsOverPathRangesCombineToTheWholeRunBitForBit) {
    const TestGbm gen(mixedParams(), 2024);
    SimulationInput in = mixedInput(300);
    in.threads = 2;
    in.chunkSize = 16;
    const McScenarioRun whole = simulate(gen, in);
    ASSERT_FALSE(whole.strategies[3].ok);
    ASSERT_NE(whole.strategies[3].error.rfind("path 0:", 0), 0u);
    for (const std::vector<std::uint64_t>& cuts : std::vector<std::vector<std::uint64_t>>{
             {0, 150, 300}, {0, 1, 299, 300}, {0, 100, 100, 213, 300}}) {
        SCOPED_TRACE(::testing::Message() << cuts.size() - 1 << " ranges");
        std::vector<McPart> parts;
        for (std::size_t k = cuts.size() - 1; k-- > 0;)  // the last range first
            parts.push_back(simulatePart(gen, in, {cuts[k], cuts[k + 1]}));
        const McScenarioRun joined = combineParts(std::move(parts), in);
        EXPECT_EQ(joined.paths, 300u);
        expectSameRun(whole, joined);
        for (std::size_t s = 0; s < 3; ++s)
            EXPECT_EQ(joined.strategies[s].pathSummary.medianCagr,
                      whole.strategies[s].pathSummary.medianCagr);
    }
}

// Parts shipped as bytes (engine/montecarlo/part_codec, tested here with this file's
// generator): a part's totals, then its per-path values in pieces, decoded against the
// receiver's own part and reassembled (appendPaths), combine to the whole run bit for bit;
// damaged bytes are errors, never a crash or a silent mix.
McPart shipped(const McPart& part, const McPart& like, const std::vector<PathRange>& pieces) {
    McPart share = decodeTotals(encodeTotals(part), like);
    for (const PathRange r : pieces) appendPaths(share, decodePaths(encodePaths(part, r), share));
    return share;
}

TEST(McPartCodec, DecodedPartsCombineToTheWholeRunBitForBit) {
    const TestGbm gen(mixedParams(), 2024);
    SimulationInput in = mixedInput(120);
    const McScenarioRun whole = simulate(gen, in);
    std::vector<McPart> parts;
    parts.push_back(simulatePart(gen, in, {0, 50}));
    // One path in one piece; 69 paths in pieces of 1, 30 and 38.
    for (const auto& [r, pieces] : std::vector<std::pair<PathRange, std::vector<PathRange>>>{
             {{50, 51}, {{50, 51}}}, {{51, 120}, {{51, 52}, {52, 82}, {82, 120}}}}) {
        parts.push_back(shipped(simulatePart(gen, in, r), parts.front(), pieces));
        EXPECT_EQ(parts.back().range.begin, r.begin);
        EXPECT_EQ(parts.back().range.end, r.end);
        EXPECT_EQ(parts.back().run.regimeOfPath.size(), r.size());
    }
    expectSameRun(whole, combineParts(std::move(parts), in));
}

TEST(McPartCodec, DamagedBytesAreErrors) {
    const TestGbm gen(mixedParams(), 2024);
    SimulationInput in = mixedInput(30);
    const McPart head = simulatePart(gen, in, {0, 10});
    const McPart part = simulatePart(gen, in, {10, 30});
    const std::vector<char> goodTotals = encodeTotals(part);
    const std::vector<char> goodPaths = encodePaths(part, {10, 30});
    McPart totals;
    ASSERT_NO_THROW(totals = decodeTotals(goodTotals, head));
    EXPECT_NO_THROW((void)decodePaths(goodPaths, totals));
    for (const std::vector<char>* good : {&goodTotals, &goodPaths}) {
        const auto decode = [&](const std::vector<char>& bytes) {
            return good == &goodTotals ? decodeTotals(bytes, head) : decodePaths(bytes, totals);
        };
        std::vector<char> bytes = *good;
        bytes.resize(bytes.size() - 3);  // cut short
        EXPECT_THROW((void)decode(bytes), InputError);
        bytes = *good;
        bytes.push_back('x');  // trailing byte
        EXPECT_THROW((void)decode(bytes), InputError);
        bytes = *good;
        bytes[0] = 'X';  // not a part
        EXPECT_THROW((void)decode(bytes), InputError);
        // Truncated anywhere (40 points spread over the bytes, the first 64 one by one), an
        // error: no read past the end under the sanitizers.
        std::vector<std::size_t> cuts;
        for (std::size_t n = 0; n < 64; ++n) cuts.push_back(n);
        for (std::size_t k = 1; k < 40; ++k) cuts.push_back(good->size() * k / 40);
        for (const std::size_t n : cuts) {
            const std::vector<char> cut(good->begin(),
                                        good->begin() + static_cast<std::ptrdiff_t>(n));
            EXPECT_THROW((void)decode(cut), InputError) << n;
        }
    }
    // A part of a run with one strategy fewer does not fit this run's shape.
    SimulationInput fewer = in;
    fewer.strategies.pop_back();
    const McPart smaller = simulatePart(gen, fewer, {10, 30});
    EXPECT_THROW((void)decodeTotals(encodeTotals(smaller), head), InputError);
    EXPECT_THROW((void)decodePaths(encodePaths(smaller, {10, 30}), totals), InputError);
}

// A part in pieces (its totals, then its per-path values a range of paths at a time) decodes to
// the part encoded; a piece outside its part's range, or with a non-finite terminal
// wealth for a strategy that did not fail, is an error.
TEST(McPartCodec, TotalsAndPiecesDecodeToTheWholePart) {
    const TestGbm gen(mixedParams(), 2024);
    const SimulationInput in = mixedInput(30);  // stored paths too
    const McPart head = simulatePart(gen, in, {0, 10});
    const McPart part = simulatePart(gen, in, {10, 30});
    McPart pieced = decodeTotals(encodeTotals(part), head);
    EXPECT_EQ(pieced.range.begin, 10u);
    EXPECT_EQ(pieced.range.end, 30u);
    EXPECT_EQ(pieced.firstFailure, part.firstFailure);
    EXPECT_EQ(pieced.errors, part.errors);
    EXPECT_TRUE(pieced.run.regimeOfPath.empty());
    for (const PathRange r : {PathRange{10, 17}, PathRange{17, 30}}) {
        const McPart piece = decodePaths(encodePaths(part, r), pieced);
        EXPECT_EQ(piece.range.begin, r.begin);
        EXPECT_EQ(piece.range.end, r.end);
        appendPaths(pieced, piece);
    }
    // Combined with the head, the pieced part gives the run of all paths.
    std::vector<McPart> parts;
    parts.push_back(head);
    parts.push_back(std::move(pieced));
    expectSameRun(simulate(gen, in), combineParts(std::move(parts), in));

    const McPart totals = decodeTotals(encodeTotals(part), head);
    const McPart other = decodeTotals(encodeTotals(head), head);
    EXPECT_THROW((void)decodePaths(encodePaths(part, {10, 17}), other), InputError);
    EXPECT_THROW((void)decodeTotals(encodePaths(part, {10, 17}), head), InputError);
    McPart nan = part;
    nan.run.strategies[0].paths.terminalWealth(3) = std::numeric_limits<double>::quiet_NaN();
    ASSERT_EQ(totals.firstFailure[0], kNoPathFailure);
    EXPECT_THROW((void)decodePaths(encodePaths(nan, {10, 17}), totals), InputError);
    EXPECT_NO_THROW((void)decodePaths(encodePaths(nan, {17, 30}), totals));
    std::vector<char> bytes = encodePaths(part, {10, 17});
    bytes.push_back('x');
    EXPECT_THROW((void)decodePaths(bytes, totals), InputError);
}

TEST(McSimulator, RangesThatOverlapLeaveGapsOrComeFromAnotherRunDoNotCombine) {
    const TestGbm gen(mixedParams(), 2024);
    SimulationInput in = mixedInput(40);
    in.strategies.pop_back();
    const auto combine = [&](std::vector<PathRange> ranges, const SimulationInput& other) {
        std::vector<McPart> parts;
        parts.push_back(simulatePart(gen, in, ranges[0]));
        for (std::size_t k = 1; k < ranges.size(); ++k)
            parts.push_back(simulatePart(gen, other, ranges[k]));
        return combineParts(std::move(parts), in);
    };
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)combine({{0, 20}, {25, 40}}, in);
        },
        "paths 20:25 are in no range"));
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)combine({{0, 22}, {20, 40}}, in);
        },
        "range 20:40 overlaps"));
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)combine({{0, 20}}, in);
        },
        "paths 20:40 are in no range"));
    SimulationInput otherSeed = in;
    otherSeed.seed = 100;
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)combine({{0, 20}, {20, 40}}, otherSeed);
        },
        "from another simulation"));
    SimulationInput fewer = in;
    fewer.strategies.pop_back();
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)combine({{0, 20}, {20, 40}}, fewer);
        },
        "another set of strategies"));
    EXPECT_TRUE(inputErrorWith(
        [&] {
            (void)simulatePart(gen, in, {30, 41});
        },
        "path range 30:41 outside the 40 paths"));
}

// Every dataset of the Monte Carlo part of the file, read back through the C API.
std::vector<std::vector<double>> fileContents(const std::string& path, bool stored = true) {
    test::H5Reader r(path);
    std::vector<std::vector<double>> out;
    const std::string s = "/scenarios/mc";
    for (const char* d : {"percentiles", "rate_bands", "stored_prices", "stored_rates"})
        if (stored || d[0] != 's') out.push_back(r.doubles(s + "/" + d));
    std::vector<double> regimes;
    for (auto v : r.int64s(s + "/regime_of_path")) regimes.push_back(static_cast<double>(v));
    out.push_back(regimes);
    for (const char* st : {"hold", "mix", "mom"}) {
        const std::string g = s + "/strategies/" + st;
        out.push_back(r.doubles(g + "/equity_bands"));
        for (const char* d : {"terminal_wealth", "cagr", "volatility", "sharpe", "max_drawdown",
                              "turnover", "checkpoint_wealth"})
            out.push_back(r.doubles(g + "/paths/" + d));
        for (const auto& f : r.fields(g + "/summary"))
            if (f != "scenario" && f != "strategy" && f != "type" && f != "status" &&
                f != "group" && f != "paths")
                out.push_back(r.columnDoubles(g + "/summary", f));
    }
    for (const auto& f : r.fields("/mc_summary"))
        if (f != "scenario" && f != "strategy" && f != "type" && f != "status" && f != "group" &&
            f != "paths")
            out.push_back(r.columnDoubles("/mc_summary", f));
    out.push_back({static_cast<double>(r.exists(s + "/strategies/fragile/paths"))});
    return out;
}

TEST(McSimulator, Hdf5DatasetsBitIdenticalForOneAndTwoThreadsAndTwoChunkSizes) {
    const TestGbm gen(mixedParams(), 7);
    const std::string dir = test::scratchDir("mc_simulator_hdf5");
    std::vector<std::vector<std::vector<double>>> contents;
    for (auto [threads, chunk] : {std::pair<unsigned, std::uint64_t>{1, 256}, {2, 256}, {2, 5}}) {
        SimulationInput in = mixedInput(120);
        in.threads = threads;
        in.chunkSize = chunk;
        RunResults res;
        res.monteCarlo.push_back(simulate(gen, in));
        const std::string path = dir + "/t" + std::to_string(threads) + "_c" +
                                 std::to_string(chunk) + ".h5";
        writeResultsHdf5(res, path);
        contents.push_back(fileContents(path));
    }
    ASSERT_EQ(contents[0].size(), contents[1].size());
    EXPECT_GT(contents[0].size(), 30u);
    EXPECT_EQ(contents[0][2].size(), 120u * 40u * 3u);  // stored_prices P x T x N
    for (std::size_t k = 1; k < contents.size(); ++k)
        for (std::size_t i = 0; i < contents[0].size(); ++i)
            EXPECT_TRUE(sameBits(contents[0][i], contents[k][i]))
                << "run " << k << " dataset " << i;
}

// Counts the paths generated so far (any thread) of the generator it forwards to.
class CountingGenerator : public PathGenerator {
public:
    explicit CountingGenerator(const PathGenerator& g) : g_(g) {}
    const Universe& universe() const override { return g_.universe(); }
    const std::vector<Date>& dates() const override { return g_.dates(); }
    std::vector<std::string> regimeNames() const override { return g_.regimeNames(); }
    std::string describe() const override { return g_.describe(); }
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& s) const override {
        ++generated;
        return g_.generate(p, out, s);
    }
    mutable std::atomic<std::uint64_t> generated{0};

private:
    const PathGenerator& g_;
};

// The results file as the path sink, as the HDF5 sink of `rotor run` drives it; records how
// far the generator ran ahead of the paths written out.
class WriterPaths : public McPathSink {
public:
    WriterPaths(ResultsWriter& w, const CountingGenerator& g) : w_(w), g_(g) {}
    void beginPaths(const McScenarioRun& shape) override { w_.beginMonteCarloPaths(shape); }
    void writePaths(std::uint64_t first, const McScenarioRun& block) override {
        EXPECT_EQ(first, written);  // in path order, no gap
        written += block.regimeOfPath.size();
        ++blocks;
        const std::uint64_t generated = g_.generated.load();
        if (generated > written) lead = std::max(lead, generated - written);
        // A slow disk: without the window the workers would run far ahead of it.
        std::this_thread::sleep_for(std::chrono::microseconds(300));
        w_.writeMonteCarloPaths(first, block);
    }
    void readPaths(std::size_t strategy, Column column, const Block& block) override {
        w_.readMonteCarloPaths(strategy, column, block);
    }
    std::uint64_t written = 0, blocks = 0, lead = 0;

private:
    ResultsWriter& w_;
    const CountingGenerator& g_;
};

// Streamed to the file while the paths run, the file holds every dataset of the file written at
// the end from the run held in memory, bit for bit (summaries included: the beat counts, the
// columns read back); the blocks come in path order, and the generator never runs more than the
// window (kWindowChunks chunks per thread) ahead of the paths written, whatever the path count:
// that window is all of the per-path values in memory.
TEST(McSimulator, PerPathValuesStreamToTheFileInPathOrderWithinAWindow) {
    const TestGbm base(mixedParams(), 11);
    const std::string dir = test::scratchDir("mc_simulator_stream");
    SimulationInput in = mixedInput(1000);
    in.storePaths = false;
    in.threads = 2;
    in.chunkSize = 7;  // 1000 = 142 x 7 + 6: a short last chunk
    RunResults held;
    held.monteCarlo.push_back(simulate(base, in));
    ASSERT_FALSE(held.monteCarlo[0].strategies[3].ok);  // its paths group is removed
    writeResultsHdf5(held, dir + "/held.h5");

    const CountingGenerator counting(base);
    McScenarioRun streamed;
    {
        ResultsWriter w(dir + "/streamed.h5");
        WriterPaths paths(w, counting);
        in.pathSink = &paths;
        streamed = simulate(counting, in);
        EXPECT_EQ(paths.written, 1000u);
        EXPECT_EQ(paths.blocks, 143u);
        EXPECT_LE(paths.lead, kWindowChunks * 2 * 7);
        EXPECT_TRUE(streamed.pathsStreamed);
        EXPECT_TRUE(streamed.regimeOfPath.empty());
        EXPECT_EQ(streamed.strategies[0].paths.terminalWealth.size(), 0);
        w.addMonteCarlo(streamed);
        w.finish(Provenance{});
    }
    EXPECT_EQ(counting.generated.load(), 1000u);
    const auto a = fileContents(dir + "/held.h5", false);
    const auto b = fileContents(dir + "/streamed.h5", false);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GT(a.size(), 30u);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(sameBits(a[i], b[i])) << "dataset " << i;
    EXPECT_EQ(a.back(), std::vector<double>{0.0});  // no paths of the failed strategy
    for (std::size_t s = 0; s < streamed.strategies.size(); ++s) {
        const McStrategyRun& x = held.monteCarlo[0].strategies[s];
        const McStrategyRun& y = streamed.strategies[s];
        EXPECT_EQ(x.error, y.error);
        EXPECT_TRUE(sameBits(x.pathSummary.medianCagr, y.pathSummary.medianCagr));
        EXPECT_TRUE(sameBits(x.pathSummary.medianMaxDrawdown, y.pathSummary.medianMaxDrawdown));
        EXPECT_TRUE(sameBits(x.terminal.probBeatBenchmark, y.terminal.probBeatBenchmark));
    }
}

// Every path's prices and cash rates as `store: paths` keeps them (float32, path-major),
// regenerated here one path at a time from the generator, as doubles (float32 widens exactly).
std::pair<std::vector<double>, std::vector<double>> regeneratedPaths(const PathGenerator& gen,
                                                                     std::uint64_t paths) {
    std::pair<std::vector<double>, std::vector<double>> out;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < paths; ++p) {
        gen.generate(p, path, scratch);
        for (Index t = 0; t < path.days(); ++t) {
            for (Index a = 0; a < path.assets(); ++a)
                out.first.push_back(static_cast<float>(path.prices(t, a)));
            out.second.push_back(static_cast<float>(path.cashRate(t)));
        }
    }
    return out;
}

// With `store: paths`, the stored prices and rates stream to the file with the other per-path
// values, a chunk at a time, for 1 and 2 threads: the file equals the one written at the end
// from the run held in memory, bit for bit, stored datasets included and chunked and compressed
// alike; the stored paths equal the generator's own paths regenerated one by one; the run keeps
// none of them (the window's are dropped) and the generator stays within the window.
TEST(McSimulator, StoredPathsStreamToTheFileAsTheRunHeldInMemoryWritesThem) {
    const TestGbm base(mixedParams(), 13);
    const std::string dir = test::scratchDir("mc_simulator_stream_stored");
    const auto [prices, rates] = regeneratedPaths(base, 300);
    ASSERT_EQ(prices.size(), 300u * 40u * 3u);
    for (const unsigned threads : {1U, 2U}) {
        SCOPED_TRACE(threads);
        SimulationInput in = mixedInput(300);
        ASSERT_TRUE(in.storePaths);
        in.threads = threads;
        in.chunkSize = 7;  // 300 = 42 x 7 + 6
        RunResults held;
        held.monteCarlo.push_back(simulate(base, in));
        ASSERT_EQ(held.monteCarlo[0].storedPrices.size(), prices.size());
        const std::string t = std::to_string(threads);
        writeResultsHdf5(held, dir + "/held" + t + ".h5");

        const CountingGenerator counting(base);
        McScenarioRun streamed;
        {
            ResultsWriter w(dir + "/streamed" + t + ".h5");
            WriterPaths paths(w, counting);
            in.pathSink = &paths;
            streamed = simulate(counting, in);
            EXPECT_EQ(paths.written, 300u);
            EXPECT_EQ(paths.blocks, 43u);
            EXPECT_LE(paths.lead, kWindowChunks * threads * 7);
            EXPECT_TRUE(streamed.pathsStreamed);
            EXPECT_TRUE(streamed.pathsStored);
            EXPECT_TRUE(streamed.storedPrices.empty());
            EXPECT_TRUE(streamed.storedRates.empty());
            w.addMonteCarlo(streamed);
            w.finish(Provenance{});
        }
        const auto a = fileContents(dir + "/held" + t + ".h5");
        const auto b = fileContents(dir + "/streamed" + t + ".h5");
        ASSERT_EQ(a.size(), b.size());
        EXPECT_GT(a.size(), 30u);
        for (std::size_t i = 0; i < a.size(); ++i)
            EXPECT_TRUE(sameBits(a[i], b[i])) << "dataset " << i;
        EXPECT_TRUE(sameBits(b[2], prices));  // stored_prices
        EXPECT_TRUE(sameBits(b[3], rates));   // stored_rates
        test::H5Reader x(dir + "/held" + t + ".h5");
        test::H5Reader y(dir + "/streamed" + t + ".h5");
        for (const char* d : {"/scenarios/mc/stored_prices", "/scenarios/mc/stored_rates"}) {
            EXPECT_EQ(x.typeClass(d), H5T_FLOAT);
            EXPECT_EQ(y.typeClass(d), H5T_FLOAT);
            EXPECT_EQ(y.typeSize(d), 4u);
            EXPECT_EQ(x.dims(d), y.dims(d));
            EXPECT_TRUE(y.isCompressed(d));
            EXPECT_EQ(x.storage(d), y.storage(d)) << d;
        }
        // 65536 values a chunk, whole paths: 546 paths of 40 x 3 prices (all 300 here), and
        // 300 paths of 40 rates.
        EXPECT_EQ(y.dims("/scenarios/mc/stored_prices"), (std::vector<hsize_t>{300, 40, 3}));
        EXPECT_EQ(y.storage("/scenarios/mc/stored_prices")[0], 300u);
    }
}

// As MPI rank 0 does: its own paths stream to the file while they run; then the other ranges
// (one of a single path) arrive as totals and pieces, kept meanwhile in the spool of the
// process that simulated them, and are written a piece at a time. The file holds every dataset
// of the file written from the run held in memory, bit for bit, in path order; with stored
// paths too, which also equal the generator's paths regenerated one by one.
void rangesCombinedInPieces(bool store) {
    const TestGbm base(mixedParams(), 11);
    const std::string dir = test::scratchDir(store ? "mc_simulator_pieces_stored"
                                                   : "mc_simulator_pieces");
    SimulationInput in = mixedInput(1000);
    in.storePaths = store;
    in.threads = 2;
    in.chunkSize = 7;  // pieces of 16 chunks: 112 paths
    RunResults held;
    held.monteCarlo.push_back(simulate(base, in));
    ASSERT_FALSE(held.monteCarlo[0].strategies[3].ok);
    writeResultsHdf5(held, dir + "/held.h5");

    const CountingGenerator counting(base);
    const McPart like = simulatePart(base, in, {0, 0});
    McScenarioRun combined;
    {
        ResultsWriter w(dir + "/pieces.h5");
        WriterPaths paths(w, counting);
        SimulationInput streamed = in;
        streamed.pathSink = &paths;
        StreamedCombine combine(simulatePart(counting, streamed, {0, 400}), streamed);
        EXPECT_EQ(paths.written, 400u);
        for (const PathRange r : {PathRange{400, 401}, PathRange{401, 1000}}) {
            PieceSpool spool(16 * in.chunkSize);
            SimulationInput other = in;
            other.pathSink = &spool;
            const McPart part = simulatePart(base, other, r);
            EXPECT_EQ(part.run.regimeOfPath.size(), std::min<std::size_t>(r.size(), 8 * 7));
            // The spool has the stored paths; the part holds the window's only.
            EXPECT_EQ(part.run.storedRates.size(),
                      store ? std::min<std::size_t>(r.size(), 8 * 7) * 40 : 0);
            McPart totals = decodeTotals(encodeTotals(part), like);
            combine.addTotals(totals);
            const std::uint64_t pieces = spool.pieces();
            EXPECT_EQ(pieces, (r.size() + 111) / 112);
            for (std::uint64_t k = 0; k < pieces; ++k)
                combine.addPaths(decodePaths(spool.nextPiece(), totals));
        }
        EXPECT_EQ(paths.written, 1000u);
        combined = combine.finish();
        EXPECT_TRUE(combined.pathsStreamed);
        w.addMonteCarlo(combined);
        w.finish(Provenance{});
    }
    const auto a = fileContents(dir + "/held.h5", store);
    const auto b = fileContents(dir + "/pieces.h5", store);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GT(a.size(), 30u);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(sameBits(a[i], b[i])) << "dataset " << i;
    for (std::size_t s = 0; s < combined.strategies.size(); ++s) {
        const McStrategyRun& x = held.monteCarlo[0].strategies[s];
        const McStrategyRun& y = combined.strategies[s];
        EXPECT_EQ(x.error, y.error);
        EXPECT_TRUE(sameBits(x.terminal.probBeatBenchmark, y.terminal.probBeatBenchmark));
        EXPECT_TRUE(sameBits(x.pathSummary.medianCagr, y.pathSummary.medianCagr));
    }
    if (store) {
        const auto [prices, rates] = regeneratedPaths(base, 1000);
        EXPECT_TRUE(sameBits(b[2], prices));
        EXPECT_TRUE(sameBits(b[3], rates));
        EXPECT_TRUE(combined.storedPrices.empty());
    }
}

TEST(McSimulator, RangesCombinedInPiecesStreamToTheFileOfTheWholeRun) {
    rangesCombinedInPieces(false);
}

TEST(McSimulator, RangesWithStoredPathsCombinedInPiecesStreamToTheFileOfTheWholeRun) {
    rangesCombinedInPieces(true);
}

// A piece whose stored paths the run does not expect (or that lacks those it does) is refused.
TEST(McSimulator, StreamedCombinationRefusesPiecesWithoutTheRunsStoredPaths) {
    const TestGbm gen(mixedParams(), 11);
    const std::string dir = test::scratchDir("mc_simulator_pieces_stored_shape");
    for (const bool store : {false, true}) {
        SimulationInput in = mixedInput(60);
        in.storePaths = store;
        SimulationInput other = in;
        other.storePaths = !store;
        ResultsWriter w(dir + "/x" + std::to_string(store) + ".h5");
        const CountingGenerator counting(gen);
        WriterPaths paths(w, counting);
        SimulationInput streamed = in;
        streamed.pathSink = &paths;
        const McPart like = simulatePart(gen, in, {0, 0});
        StreamedCombine combine(simulatePart(counting, streamed, {0, 20}), streamed);
        const McPart part = simulatePart(gen, other, {20, 60});
        McPart totals = decodeTotals(encodeTotals(part), like);
        combine.addTotals(totals);
        EXPECT_TRUE(inputErrorWith(
            [&] {
                combine.addPaths(decodePaths(encodePaths(part, {20, 30}), totals));
            },
            store ? "lack stored prices" : "bring stored prices"));
        EXPECT_EQ(paths.written, 20u);
    }
}

// Paths that do not follow the paths written, or lie in no range given, are refused.
TEST(McSimulator, StreamedCombinationRefusesPathsOutOfOrder) {
    const TestGbm gen(mixedParams(), 11);
    SimulationInput in = mixedInput(100);
    in.storePaths = false;
    const std::string dir = test::scratchDir("mc_simulator_pieces_order");
    ResultsWriter w(dir + "/x.h5");
    const CountingGenerator counting(gen);
    WriterPaths paths(w, counting);
    SimulationInput streamed = in;
    streamed.pathSink = &paths;
    const McPart like = simulatePart(gen, in, {0, 0});
    StreamedCombine combine(simulatePart(counting, streamed, {0, 40}), streamed);
    const McPart part = simulatePart(gen, in, {40, 100});
    McPart totals = decodeTotals(encodeTotals(part), like);
    EXPECT_THROW(combine.addPaths(decodePaths(encodePaths(part, {40, 50}), totals)),
                 InputError);  // its range's totals are not in yet
    combine.addTotals(totals);
    McPart again = decodeTotals(encodeTotals(part), like);
    EXPECT_THROW(combine.addTotals(again), InputError);  // overlaps
    EXPECT_THROW(combine.addPaths(decodePaths(encodePaths(part, {50, 60}), totals)),
                 InputError);  // a gap before it
    combine.addPaths(decodePaths(encodePaths(part, {40, 50}), totals));
    EXPECT_THROW((void)combine.finish(), InputError);  // paths 50:100 missing
}

// Zero volatility and a constant rate: every path is the same deterministic curve, so the
// equity of each strategy has a closed form, computed here independently of the backtester.
class Degenerate : public ::testing::Test {
protected:
    static constexpr double kCapital = 1000.0;
    static constexpr double kCost = (5.0 + 3.0) * 1e-4;  // commission + slippage per notional
    static constexpr double kRate = 4.0;
    static constexpr double kDriftA = 0.10, kDriftB = 0.04;
    static constexpr int kDays = 60;

    TestGbm::Params params() const {
        TestGbm::Params p;
        p.assets = {"A", "B"};
        p.days = kDays;
        p.drift = {kDriftA, kDriftB};
        p.vol = {0.0, 0.0};
        p.rate = kRate;
        return p;
    }
    SimulationInput input(std::optional<Index> checkpoint) const {
        SimulationInput in;
        in.name = "flat";
        in.strategies = {spec("name: hold\ntype: buy_and_hold\nweights: {A: 0.6, B: 0.3}\n",
                              {"A", "B"}),
                         spec("name: mix\ntype: fixed_mix\nweights: {A: 0.5, B: 0.5}\n"
                              "rebalance: monthly\n",
                              {"A", "B"})};
        in.backtest.initialCapital = kCapital;
        in.backtest.costs.commissionBps = 5.0;
        in.backtest.costs.slippageBps = 3.0;
        in.paths = 3;
        in.threads = 2;
        in.chunkSize = 1;
        in.checkpointDay = checkpoint;
        return in;
    }
    // Price relative of an asset with log drift m after t days: exp(m t / 252).
    static double growth(double m, int t) { return std::exp(m * t / 252.0); }

    // buy_and_hold 60/30 with 10% cash: day 0 buys 0.9 E' of assets at cost c: E' = C / (1 + 0.9c),
    // cash left 0.1 E', which accrues ACT/360 at the constant rate over calendar days.
    std::vector<double> holdWealth() const {
        const std::vector<Date> d = weekdays(kDays);
        const double post = kCapital / (1.0 + 0.9 * kCost);
        std::vector<double> w;
        double cash = 0.1 * post;
        for (int t = 0; t < kDays; ++t) {
            if (t > 0)
                cash *= 1.0 +
                        kRate / 100.0 *
                            (d[static_cast<std::size_t>(t)] - d[static_cast<std::size_t>(t - 1)]) /
                            360.0;
            w.push_back((0.6 * post * growth(kDriftA, t) + 0.3 * post * growth(kDriftB, t) + cash) /
                        kCapital);
        }
        return w;
    }
    // fixed_mix 50/50 fully invested, rebalanced on month ends (day t with t+1 in another month,
    // t < T-1). A outgrows B, so a rebalance sells vA - E'/2 of A and buys E'/2 - vB of B: the
    // traded notional vA - vB does not depend on E', so E' = E - c (vA - vB) exactly.
    std::vector<double> mixWealth() const {
        const std::vector<Date> d = weekdays(kDays);
        double post = kCapital / (1.0 + kCost);  // day 0: buy E' of assets
        int last = 0;
        std::vector<double> w;
        for (int t = 0; t < kDays; ++t) {
            const double vA = 0.5 * post * growth(kDriftA, t) / growth(kDriftA, last);
            const double vB = 0.5 * post * growth(kDriftB, t) / growth(kDriftB, last);
            double e = vA + vB;
            const bool monthEnd = t + 1 < kDays && d[static_cast<std::size_t>(t + 1)].month() !=
                                                       d[static_cast<std::size_t>(t)].month();
            if (t > 0 && monthEnd) {
                e -= kCost * (vA - vB);
                post = e;
                last = t;
            }
            w.push_back(e / kCapital);
        }
        return w;
    }
};

TEST_F(Degenerate, CheckpointWealthFollowsTheClosedFormEveryDay) {
    const TestGbm gen(params(), 1);
    const std::vector<double> hold = holdWealth();
    const std::vector<double> mix = mixWealth();
    // The horizon holds three month ends (Jan 31, Feb 29, Mar 29), so fixed_mix does trade.
    int monthEnds = 0;
    const std::vector<Date> d = weekdays(kDays);
    for (int t = 0; t + 1 < kDays; ++t)
        monthEnds += d[static_cast<std::size_t>(t + 1)].month() !=
                     d[static_cast<std::size_t>(t)].month();
    EXPECT_EQ(monthEnds, 3);
    for (Index t = 0; t < kDays; ++t) {
        const McScenarioRun run = simulate(gen, input(t));
        for (int p = 0; p < 3; ++p) {
            EXPECT_NEAR(run.strategies[0].paths.checkpointWealth(p) /
                            hold[static_cast<std::size_t>(t)],
                        1.0, 1e-12)
                << "hold day " << t;
            EXPECT_NEAR(run.strategies[1].paths.checkpointWealth(p) /
                            mix[static_cast<std::size_t>(t)],
                        1.0, 1e-12)
                << "mix day " << t;
        }
    }
}

TEST_F(Degenerate, TerminalMetricsSummaryAndBands) {
    const TestGbm gen(params(), 1);
    const McScenarioRun run = simulate(gen, input(std::nullopt));
    const double bandTolerance = std::exp(1.0 / 1024.0) - 1.0;
    const double n = kDays - 1;  // daily returns
    int k = 0;
    for (const std::vector<double>& expected : {holdWealth(), mixWealth()}) {
        const McStrategyRun& r = run.strategies[static_cast<std::size_t>(k++)];
        SCOPED_TRACE(r.name);
        ASSERT_TRUE(r.ok) << r.error;
        const double w = expected.back();
        // Independent max drawdown of the expected curve.
        double high = 0.0, dd = 0.0;
        for (double x : expected) {
            high = std::max(high, x);
            dd = std::max(dd, 1.0 - x / high);
        }
        for (int p = 0; p < 3; ++p) {
            EXPECT_NEAR(r.paths.terminalWealth(p) / w, 1.0, 1e-12);
            EXPECT_NEAR(r.paths.cagr(p), std::pow(w, 252.0 / n) - 1.0, 1e-10);  // metrics.md
            EXPECT_NEAR(r.paths.maxDrawdown(p), dd, 1e-12);
        }
        // All paths equal: no dispersion, every percentile is W, P(loss) = [W < 1].
        EXPECT_NEAR(r.terminal.mean / w, 1.0, 1e-12);
        EXPECT_NEAR(r.terminal.stdev, 0.0, 1e-15);
        for (double q : r.terminal.percentiles) EXPECT_NEAR(q / w, 1.0, 1e-12);
        EXPECT_EQ(r.terminal.probLoss, w < 1.0 ? 1.0 : 0.0);
        EXPECT_NEAR(r.terminal.var95, 1.0 - w, 1e-12);
        EXPECT_NEAR(r.terminal.cvar95, 1.0 - w, 1e-12);
        EXPECT_TRUE(std::isnan(r.terminal.probBeatBenchmark));  // no benchmark
        for (Index t = 0; t < kDays; ++t)
            for (Index j = 0; j < r.equityBands.cols(); ++j)
                EXPECT_LE(std::abs(r.equityBands(t, j) / expected[static_cast<std::size_t>(t)] -
                                   1.0),
                          bandTolerance)
                    << "day " << t;
    }
    // buy_and_hold turnover: day 0 buys 0.9 E' out of cash; one-way turnover
    // (traded + |net cash|) / (2 C) = 0.9 E' / C, annualised by 252 / n.
    const double post = kCapital / (1.0 + 0.9 * kCost);
    EXPECT_NEAR(run.strategies[0].paths.turnover(0), 0.9 * post / kCapital * 252.0 / n, 1e-12);
    // Constant rate: every rate band is 4% within the 1/4096 pp bins.
    for (Index t = 0; t < kDays; ++t)
        for (Index j = 0; j < run.rateBands.cols(); ++j)
            EXPECT_NEAR(run.rateBands(t, j), kRate, 1.0 / 4096.0);
}

// Exact percentiles per day from paths regenerated here, against the bands of a 100% A holding
// without costs (wealth = S_A(t) / S_A(0)).
TEST(McSimulator, BandsMatchExactPercentilesOfRegeneratedPaths) {
    TestGbm::Params params = mixedParams();
    params.days = 30;
    const TestGbm gen(params, 11);
    SimulationInput in;
    in.strategies = {spec("name: a\ntype: buy_and_hold\nweights: {A: 1.0}\n")};
    in.paths = 1500;
    in.threads = 2;
    in.chunkSize = 100;
    in.percentiles = {1, 5, 25, 50, 75, 95, 99};
    const McScenarioRun run = simulate(gen, in);
    ASSERT_TRUE(run.strategies[0].ok);

    const auto T = static_cast<std::size_t>(params.days);
    std::vector<std::vector<double>> wealth(T), rates(T);
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 0; p < 1500; ++p) {
        const PathInfo info = gen.generate(p, path, scratch);
        EXPECT_EQ(run.regimeOfPath[p], info.regime);
        const double w = path.prices(params.days - 1, 0) / path.prices(0, 0);
        EXPECT_NEAR(run.strategies[0].paths.terminalWealth(static_cast<Index>(p)) / w, 1.0, 1e-13)
            << "path " << p;
        for (std::size_t t = 0; t < T; ++t) {
            wealth[t].push_back(path.prices(static_cast<Index>(t), 0) / path.prices(0, 0));
            rates[t].push_back(path.cashRate(static_cast<Index>(t)));
        }
    }
    auto exact = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        const double h = static_cast<double>(v.size() - 1) * q / 100.0;
        const auto k = static_cast<std::size_t>(h);
        return k + 1 < v.size() ? v[k] + (h - static_cast<double>(k)) * (v[k + 1] - v[k]) : v[k];
    };
    const double tolerance = std::exp(1.0 / 1024.0) - 1.0 + 1e-13;
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t j = 0; j < in.percentiles.size(); ++j) {
            const auto ti = static_cast<Index>(t);
            const auto ji = static_cast<Index>(j);
            EXPECT_LE(std::abs(run.strategies[0].equityBands(ti, ji) /
                                   exact(wealth[t], in.percentiles[j]) -
                               1.0),
                      tolerance)
                << "day " << t << " level " << in.percentiles[j];
            EXPECT_LE(std::abs(run.rateBands(ti, ji) - exact(rates[t], in.percentiles[j])),
                      1.0 / 4096.0 + 1e-12);
        }
}

TEST(McSimulator, StoredPathsCheckpointAndBenchmark) {
    const TestGbm gen(mixedParams(), 5);
    SimulationInput in = mixedInput(50);
    in.threads = 2;
    in.chunkSize = 8;
    const McScenarioRun run = simulate(gen, in);
    EXPECT_EQ(run.name, "mc");
    EXPECT_EQ(run.seed, 99u);
    EXPECT_EQ(run.paths, 50u);
    EXPECT_EQ(run.model, "model: test_gbm\n");
    EXPECT_EQ(run.regimeNames, (std::vector<std::string>{"regime0", "regime1"}));
    EXPECT_EQ(run.checkpointDay, 20);
    EXPECT_EQ(run.assets, (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(run.dates, weekdays(40));
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p : {0u, 17u, 49u}) {
        gen.generate(p, path, scratch);
        for (Index t = 0; t < 40; ++t) {
            for (Index i = 0; i < 3; ++i)
                EXPECT_EQ(run.storedPrices[(p * 40 + static_cast<std::uint64_t>(t)) * 3 +
                                           static_cast<std::uint64_t>(i)],
                          static_cast<float>(path.prices(t, i)));
            EXPECT_EQ(run.storedRates[p * 40 + static_cast<std::uint64_t>(t)],
                      static_cast<float>(path.cashRate(t)));
        }
    }
    // P(beat) counted here from the per-path arrays; NaN for the benchmark itself.
    const Vector& bench = run.strategies[0].paths.terminalWealth;
    EXPECT_TRUE(std::isnan(run.strategies[0].terminal.probBeatBenchmark));
    for (std::size_t s = 1; s < 3; ++s) {
        const Vector& w = run.strategies[s].paths.terminalWealth;
        int beats = 0;
        for (Index p = 0; p < 50; ++p) beats += w(p) > bench(p);
        EXPECT_EQ(run.strategies[s].terminal.probBeatBenchmark, beats / 50.0);
        double sum = 0.0;
        for (Index p = 0; p < 50; ++p) sum += w(p);
        EXPECT_NEAR(run.strategies[s].terminal.mean, sum / 50.0, 1e-14);
        EXPECT_EQ(run.strategies[s].paths.checkpointWealth.size(), 50);
        EXPECT_EQ(run.strategies[s].equityBands.rows(), 40);
        EXPECT_EQ(run.strategies[s].equityBands.cols(), 4);
    }
}

TEST(McSimulator, FailingStrategyIsIsolatedAndNamesItsLowestFailingPath) {
    const TestGbm gen(mixedParams(), 2024);
    // Which paths push A above 112 at some close, found by regenerating them here.
    std::uint64_t firstFailing = 0;
    int failing = 0;
    Path path;
    GeneratorScratch scratch;
    for (std::uint64_t p = 300; p-- > 0;) {
        gen.generate(p, path, scratch);
        if (path.prices.col(0).maxCoeff() > 112.0) {
            firstFailing = p;
            ++failing;
        }
    }
    ASSERT_GT(failing, 1);
    ASSERT_LT(failing, 300);

    SimulationInput in = mixedInput(300);
    for (unsigned threads : {1u, 3u}) {
        in.threads = threads;
        in.chunkSize = 16;
        const McScenarioRun run = simulate(gen, in);
        const McStrategyRun& f = run.strategies[3];
        EXPECT_FALSE(f.ok);
        EXPECT_EQ(f.error, "path " + std::to_string(firstFailing) + ": price above the limit");
        EXPECT_EQ(f.paths.terminalWealth.size(), 0);
        EXPECT_EQ(f.equityBands.size(), 0);
        EXPECT_TRUE(std::isnan(f.terminal.mean));
        for (std::size_t s = 0; s < 3; ++s) EXPECT_TRUE(run.strategies[s].ok);
    }
    // The other strategies' results are exactly those of a run without the failing one.
    in.threads = 2;
    const McScenarioRun with = simulate(gen, in);
    in.strategies.pop_back();
    const McScenarioRun without = simulate(gen, in);
    for (std::size_t s = 0; s < 3; ++s) {
        EXPECT_TRUE(sameBits(with.strategies[s].paths.terminalWealth,
                             without.strategies[s].paths.terminalWealth));
        EXPECT_TRUE(sameBits(with.strategies[s].equityBands, without.strategies[s].equityBands));
    }
}

TEST(McSimulator, AStrategyThatCannotBeClonedFailsAlone) {
    const TestGbm gen(TestGbm::Params{}, 3);
    SimulationInput in;
    in.paths = 10;
    in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n"),
                     spec("name: broken\ntype: unclonable\n")};
    const McScenarioRun run = simulate(gen, in);
    EXPECT_TRUE(run.strategies[0].ok);
    EXPECT_FALSE(run.strategies[1].ok);
    EXPECT_EQ(run.strategies[1].error, "cannot build the strategy: no such thing");
}

TEST(McSimulator, GeneratorFailureIsAnErrorNotACrash) {
    TestGbm::Params p;
    p.throwOnPath = 37;
    const TestGbm gen(p, 3);
    SimulationInput in;
    in.paths = 100;
    in.threads = 2;
    in.chunkSize = 4;
    in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n")};
    try {
        simulate(gen, in);
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "generator broke on purpose");
    }
}

// The PathError of `run`, or a failure.
template <typename Run>
std::optional<PathError> pathErrorOf(const Run& run) {
    try {
        run();
    } catch (const PathError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a PathError: " << e.what();
        return std::nullopt;
    }
    ADD_FAILURE() << "no error";
    return std::nullopt;
}

// A generated path the engine cannot run is a PathError naming it by its number in the whole
// run: the same text for any thread count and chunk size, and from a range of the paths that
// holds it (as an MPI rank or a shard runs it). Day 3 is 2024-02-01 (weekdays from Monday
// 2024-01-29), asset B the second.
TEST(McSimulator, AnUnrunnablePathIsAPathErrorNamingIt) {
    TestGbm::Params zeroPrice;
    zeroPrice.zeroPriceOnPath = 37;
    TestGbm::Params nanRate;
    nanRate.nanRateOnPath = 12;
    const struct {
        TestGbm gen;
        std::uint64_t path;
        std::string detail;
    } cases[] = {{TestGbm(zeroPrice, 3), 37, "price of B on 2024-02-01 is 0"},
                 {TestGbm(nanRate, 3), 12, "cash rate on day 2 is nan"}};
    for (const auto& c : cases) {
        const std::string what = "path " + std::to_string(c.path) + ": " + c.detail;
        SimulationInput in;
        in.paths = 100;
        in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n")};
        for (const unsigned threads : {1u, 3u})
            for (const std::uint64_t chunk : {4u, 64u}) {
                in.threads = threads;
                in.chunkSize = chunk;
                const auto e = pathErrorOf([&] { simulate(c.gen, in); });
                ASSERT_TRUE(e.has_value()) << what;
                EXPECT_EQ(e->path(), std::optional<std::uint64_t>(c.path)) << what;
                EXPECT_EQ(e->detail(), c.detail);
                EXPECT_EQ(std::string(e->what()), what) << threads << " threads, chunk " << chunk;
            }
        in.threads = 2;
        in.chunkSize = 4;
        const auto e = pathErrorOf([&] { simulatePart(c.gen, in, PathRange{10, 60}); });
        ASSERT_TRUE(e.has_value()) << what;
        EXPECT_EQ(std::string(e->what()), what) << "paths 10:60";
        // A range without it runs.
        EXPECT_NO_THROW(simulatePart(c.gen, in, PathRange{c.path + 1, 100}));
    }
}

TEST(McSimulator, ProgressIsReportedOnTheCallingThreadUpToTheTotal) {
    const TestGbm gen(TestGbm::Params{}, 3);
    SimulationInput in;
    in.paths = 103;
    in.threads = 2;
    in.chunkSize = 10;
    in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n")};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    bool otherThread = false;
    const auto caller = std::this_thread::get_id();
    in.progress = [&](std::uint64_t done, std::uint64_t total) {
        calls.emplace_back(done, total);
        otherThread = otherThread || std::this_thread::get_id() != caller;
    };
    simulate(gen, in);
    ASSERT_FALSE(calls.empty());
    EXPECT_FALSE(otherThread);
    EXPECT_EQ(calls.back(), (std::pair<std::uint64_t, std::uint64_t>{103, 103}));
    for (std::size_t i = 0; i < calls.size(); ++i) {
        EXPECT_EQ(calls[i].second, 103u);
        if (i > 0) {
            EXPECT_GT(calls[i].first, calls[i - 1].first);
        }
    }
}

TEST(McSimulator, ProgressCallbackThatThrowsStopsTheRunCleanly) {
    const TestGbm gen(TestGbm::Params{}, 3);
    SimulationInput in;
    in.paths = 200;
    in.threads = 2;
    in.chunkSize = 5;
    in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n")};
    in.progress = [](std::uint64_t, std::uint64_t) { throw std::runtime_error("cancelled"); };
    EXPECT_THROW(simulate(gen, in), std::runtime_error);
}

TEST(McSimulator, InvalidParametersAreInputErrors) {
    const TestGbm gen(TestGbm::Params{}, 3);
    auto base = [] {
        SimulationInput in;
        in.paths = 10;
        in.strategies = {spec("name: ok\ntype: buy_and_hold\nweights: {A: 1}\n")};
        return in;
    };
    SimulationInput in = base();
    in.paths = 0;
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.chunkSize = 0;
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.percentiles = {50, 25};
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.percentiles = {5, 101};
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.benchmark = "nope";
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.checkpointDay = 40;  // days 0..39
    EXPECT_THROW(simulate(gen, in), InputError);
    in = base();
    in.strategies.push_back(in.strategies.front());
    EXPECT_THROW(simulate(gen, in), InputError);
}

}  // namespace simulator_test
}  // namespace
}  // namespace rotor
