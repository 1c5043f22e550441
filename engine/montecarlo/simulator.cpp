// SPDX-License-Identifier: MIT
#include "engine/montecarlo/simulator.hpp"

#include "engine/core/error.hpp"
#include "engine/core/input_file.hpp"
#include "engine/metrics/metrics.hpp"
#include "engine/montecarlo/band_histogram.hpp"
#include "engine/montecarlo/distribution.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

namespace rotor {

namespace {

constexpr std::uint64_t kNoFailure = kNoPathFailure;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Paths whose histogram bins a worker buffers before adding them to the shared histograms.
constexpr std::size_t kBinBatch = 64;

// One strategy's shared state. The histogram is shared by all workers under its own mutex:
// memory does not grow with the thread count, and integer counts make the order irrelevant.
struct StrategyState {
    explicit StrategyState(Index days) : bands(BandHistogram::wealth(days)) {}
    // Lowest path on which the strategy threw; paths above it are skipped, paths below it still
    // run, so the reported failure is the same for any thread count.
    std::atomic<std::uint64_t> firstFailure{kNoFailure};
    std::string error;  // guarded by Shared::mutex
    std::mutex bandMutex;
    BandHistogram bands;
};

struct Shared {
    Shared(const PathGenerator& g, const SimulationInput& i, McScenarioRun& r, Index days,
           PathRange pr)
        : gen(g), in(i), run(r), T(days), range(pr), rateBands(BandHistogram::rate(days)) {}

    const PathGenerator& gen;
    const SimulationInput& in;
    McScenarioRun& run;
    const Index T;
    const PathRange range;
    // Where path p's per-path values go: the run holds the range's paths only, or with a path
    // sink a window of `windowChunks` chunks reused in turn.
    Index slot(std::uint64_t p) const {
        const std::uint64_t k = p - range.begin;
        return static_cast<Index>(in.pathSink != nullptr ? k % windowPaths : k);
    }
    std::uint64_t chunks = 0;
    std::uint64_t windowChunks = 0;
    std::uint64_t windowPaths = 0;
    std::atomic<std::uint64_t> nextChunk{0};
    std::atomic<bool> abort{false};

    std::mutex mutex;  // guards everything below, and StrategyState::error
    std::condition_variable cv;
    std::uint64_t done = 0;
    unsigned finished = 0;
    std::exception_ptr fatal;
    std::uint64_t fatalPath = kNoFailure;
    // With a path sink: chunks written out (in order), and per window place the chunk done in it
    // last, plus one (0: none), so that a place is only ever taken for the chunk it holds.
    std::uint64_t committed = 0;
    std::vector<std::uint64_t> chunkDone;

    std::vector<std::unique_ptr<StrategyState>> strategies;
    std::mutex rateMutex;
    BandHistogram rateBands;
};

// Everything one worker thread owns: after the first path of each size nothing is allocated
// per path (the Backtester, its result, the path and the generator scratch are reused).
struct Worker {
    explicit Worker(const BacktestConfig& cfg) : backtester(cfg) {}
    std::vector<std::unique_ptr<Strategy>> strategies;  // null: the strategy could not be built
    Backtester backtester;
    std::vector<BacktestResult> results;  // per strategy, for the path at hand
    std::vector<char> ran;                // per strategy: its backtest of this path succeeded
    Path path;
    GeneratorScratch scratch;
    // Per strategy (and the cash rate last): up to kBinBatch paths of T bins, path-major.
    std::vector<std::vector<std::int32_t>> bins;
    std::vector<std::size_t> binned;  // paths buffered in each
    // The history last validated (paths share one; holding it keeps its address unique).
    std::shared_ptr<const Path> checkedHistory;
};

// Adds worker w's buffered bins of histogram h (index h of Worker::bins) to the shared one.
void flushBins(Shared& sh, Worker& w, std::size_t h) {
    if (w.binned[h] == 0) return;
    const bool rate = h == sh.strategies.size();
    std::lock_guard<std::mutex> lock(rate ? sh.rateMutex : sh.strategies[h]->bandMutex);
    (rate ? sh.rateBands : sh.strategies[h]->bands).add(w.bins[h].data(), w.binned[h]);
    w.binned[h] = 0;
}

void flushAllBins(Shared& sh, Worker& w) {
    for (std::size_t h = 0; h < w.bins.size(); ++h) flushBins(sh, w, h);
}

// The slot for one more path's T bins in histogram h's buffer, flushing it first when full.
std::int32_t* nextBinSlot(Shared& sh, Worker& w, std::size_t h) {
    if (w.binned[h] == kBinBatch) flushBins(sh, w, h);
    return w.bins[h].data() + w.binned[h] * static_cast<std::size_t>(sh.T);
}

void recordFailure(Shared& sh, std::size_t s, std::uint64_t p, const char* what) {
    StrategyState& st = *sh.strategies[s];
    std::lock_guard<std::mutex> lock(sh.mutex);
    if (p < st.firstFailure.load()) {
        st.firstFailure.store(p);
        std::ostringstream os;
        os << "path " << p << ": " << what;
        st.error = os.str();
    }
}

void checkPath(const Shared& sh, Worker& w, const Path& path, const PathInfo& info,
               std::uint64_t p) {
    ROTOR_REQUIRE(path.days() == sh.T, "path generator gave path " << p << " " << path.days()
                                                                   << " days, expected " << sh.T);
    try {
        validatePath(path, sh.gen.universe(), w.checkedHistory.get());
    } catch (const PathError& e) {
        throw PathError(p, e.detail());
    }
    w.checkedHistory = path.history;  // valid: not checked again on the worker's next paths
    for (Index t = 0; t < sh.T; ++t)
        if (!std::isfinite(path.cashRate(t))) {
            std::ostringstream os;
            os << "cash rate on day " << t << " is " << path.cashRate(t);
            throw PathError(p, os.str());
        }
    ROTOR_REQUIRE(
        info.regime >= 0 && static_cast<std::size_t>(info.regime) < sh.run.regimeNames.size(),
        "path " << p << ": regime " << info.regime << " outside 0.." << sh.run.regimeNames.size());
}

MetricsInput metricsInput(const Shared& sh, const BacktestResult& r) {
    MetricsInput mi;
    mi.equity = &r.equity;
    mi.cashReturn = &r.cashReturn;
    mi.turnover = &r.turnover;
    mi.totalCosts = r.totalCosts();
    mi.rebalances = r.rebalances;
    mi.initialCapital = sh.in.backtest.initialCapital;
    return mi;
}

// Strategy s's per-path values and bins from its backtest and figures.
void keepStrategy(Shared& sh, Worker& w, std::size_t s, std::uint64_t p, const PathFigures& m) {
    const double capital = sh.in.backtest.initialCapital;
    const BacktestResult& r = w.results[s];
    PathMetrics& out = sh.run.strategies[s].paths;
    const Index i = sh.slot(p);
    out.terminalWealth(i) = r.equity(sh.T - 1) / capital;
    out.cagr(i) = m.cagr;
    out.volatility(i) = m.volatility;
    out.sharpe(i) = m.sharpe;
    out.maxDrawdown(i) = m.maxDrawdown;
    out.turnover(i) = m.turnover;
    if (sh.run.checkpointDay >= 0)
        out.checkpointWealth(i) = r.equity(sh.run.checkpointDay) / capital;

    const BandHistogram& grid = sh.strategies[s]->bands;  // bin() is const and thread-safe
    std::int32_t* bins = nextBinSlot(sh, w, s);
    const double inv = 1.0 / capital;
    if (std::isnormal(capital) && std::isnormal(inv))
        grid.binsOfQuotient(r.equity.data(), static_cast<std::size_t>(sh.T), capital, inv, bins);
    else
        for (Index t = 0; t < sh.T; ++t) bins[t] = grid.bin(r.equity(t) / capital);
    ++w.binned[s];
}

// Strategy s's figures on its own (the figures throw on bad input), then its values.
void finishStrategy(Shared& sh, Worker& w, std::size_t s, std::uint64_t p) {
    try {
        keepStrategy(sh, w, s, p, computePathFigures(metricsInput(sh, w.results[s])));
    } catch (const std::exception& e) {
        recordFailure(sh, s, p, e.what());
    }
}

// Strategies a and b's figures side by side (see computePathFigures), then their values.
void finishPair(Shared& sh, Worker& w, std::size_t a, std::size_t b, std::uint64_t p) {
    PathFigures fa, fb;
    if (!computePathFigures(metricsInput(sh, w.results[a]), metricsInput(sh, w.results[b]), fa,
                            fb)) {
        finishStrategy(sh, w, a, p);
        finishStrategy(sh, w, b, p);
        return;
    }
    for (const auto& [s, f] : {std::pair{a, fa}, std::pair{b, fb}}) {
        try {
            keepStrategy(sh, w, s, p, f);
        } catch (const std::exception& e) {
            recordFailure(sh, s, p, e.what());
        }
    }
}

void runPath(Shared& sh, Worker& w, std::uint64_t p) {
    const PathInfo info = sh.gen.generate(p, w.path, w.scratch);
    checkPath(sh, w, w.path, info, p);
    fillCashAccrual(w.path);  // for the 8 or so strategies that run on it
    const Index i = sh.slot(p);
    sh.run.regimeOfPath[static_cast<std::size_t>(i)] = info.regime;
    if (sh.run.attribution.cols() > 0) {
        ROTOR_REQUIRE(w.scratch.attribution.size() == sh.run.attribution.cols(),
                      "path " << p << ": " << w.scratch.attribution.size()
                              << " attribution values, expected " << sh.run.attribution.cols());
        sh.run.attribution.row(i) = w.scratch.attribution.transpose();
    }
    if (sh.run.overlayReport.cols() > 0) {
        ROTOR_REQUIRE(w.scratch.overlayReport.size() == sh.run.overlayReport.cols(),
                      "path " << p << ": " << w.scratch.overlayReport.size()
                              << " overlay figures, expected " << sh.run.overlayReport.cols());
        sh.run.overlayReport.row(i) = w.scratch.overlayReport.transpose();
    }

    const Index T = sh.T;
    if (sh.in.storePaths) {
        const Index N = w.path.assets();
        const auto k = static_cast<std::size_t>(i);
        float* prices = sh.run.storedPrices.data() + k * static_cast<std::size_t>(T * N);
        for (Index t = 0; t < T; ++t)
            for (Index a = 0; a < N; ++a) *prices++ = static_cast<float>(w.path.prices(t, a));
        float* rates = sh.run.storedRates.data() + k * static_cast<std::size_t>(T);
        for (Index t = 0; t < T; ++t) rates[t] = static_cast<float>(w.path.cashRate(t));
    }

    const std::size_t rate = sh.strategies.size();
    std::int32_t* bins = nextBinSlot(sh, w, rate);
    sh.rateBands.bins(w.path.cashRate.data(), static_cast<std::size_t>(T), bins);
    ++w.binned[rate];

    // Every backtest first, then their figures two at a time.
    const std::size_t strategies = w.strategies.size();
    for (std::size_t s = 0; s < strategies; ++s) {
        w.ran[s] = 0;
        if (!w.strategies[s] || p > sh.strategies[s]->firstFailure.load(std::memory_order_relaxed))
            continue;
        try {
            w.backtester.run(w.path, *w.strategies[s], w.results[s]);
            w.ran[s] = 1;
        } catch (const std::exception& e) {
            recordFailure(sh, s, p, e.what());
        }
    }
    std::size_t waiting = strategies;  // a strategy that ran, waiting for a partner
    for (std::size_t s = 0; s < strategies; ++s) {
        if (w.ran[s] == 0) continue;
        if (waiting == strategies) {
            waiting = s;
        } else {
            finishPair(sh, w, waiting, s, p);
            waiting = strategies;
        }
    }
    if (waiting != strategies) finishStrategy(sh, w, waiting, p);
}

void work(Shared& sh, Worker& w) {
    const std::uint64_t chunk = sh.in.chunkSize;
    std::uint64_t p = 0;
    try {
        for (;;) {
            if (sh.abort.load()) break;
            const std::uint64_t c = sh.nextChunk.fetch_add(1);
            if (c >= sh.chunks) break;
            if (sh.in.pathSink != nullptr) {  // its window slots must be written out first
                std::unique_lock<std::mutex> lock(sh.mutex);
                sh.cv.wait(lock, [&] { return c < sh.committed + sh.windowChunks || sh.abort; });
                if (sh.abort) break;
            }
            const std::uint64_t begin = sh.range.begin + c * chunk;
            const std::uint64_t end = std::min(sh.range.end, begin + chunk);
            for (p = begin; p < end && !sh.abort.load(std::memory_order_relaxed); ++p)
                runPath(sh, w, p);
            flushAllBins(sh, w);
            {
                std::lock_guard<std::mutex> lock(sh.mutex);
                sh.done += end - begin;
                if (!sh.chunkDone.empty()) sh.chunkDone[c % sh.windowChunks] = c + 1;
            }
            sh.cv.notify_all();
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(sh.mutex);
        if (p < sh.fatalPath) {
            sh.fatalPath = p;
            sh.fatal = std::current_exception();
        }
        sh.abort.store(true);
    }
    {
        std::lock_guard<std::mutex> lock(sh.mutex);
        ++sh.finished;
    }
    sh.cv.notify_all();
}

// Joins every started thread on scope exit, asking them to stop first if we leave early.
class ThreadGroup {
public:
    explicit ThreadGroup(Shared& sh) : sh_(sh) {}
    ~ThreadGroup() {
        if (!joined_) {
            {
                std::lock_guard<std::mutex> lock(sh_.mutex);  // workers may wait on the window
                sh_.abort.store(true);
            }
            sh_.cv.notify_all();
        }
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    ThreadGroup(const ThreadGroup&) = delete;
    ThreadGroup& operator=(const ThreadGroup&) = delete;
    void start(Worker& w) {
        threads_.emplace_back([this, &w] { work(sh_, w); });
    }
    void join() {
        for (auto& t : threads_) t.join();
        joined_ = true;
    }

private:
    Shared& sh_;
    std::vector<std::thread> threads_;
    bool joined_ = false;
};

void validateInput(const PathGenerator& gen, const SimulationInput& in) {
    for (const StrategySpec& s : in.strategies)
        ROTOR_REQUIRE(s.prototype != nullptr,
                      "Monte Carlo: strategy '" << s.name << "' was not built");
    if (in.paths == 0) throw InputError("Monte Carlo: paths must be at least 1");
    if (in.paths > std::numeric_limits<std::uint32_t>::max())
        throw InputError("Monte Carlo: at most 4294967295 paths, " + std::to_string(in.paths) +
                         " requested");
    if (in.chunkSize == 0) throw InputError("Monte Carlo: chunk size must be at least 1");
    if (gen.dates().size() < 2)
        throw InputError("Monte Carlo: the horizon has " + std::to_string(gen.dates().size()) +
                         " trading days; at least 2 are needed");
    if (!(in.backtest.initialCapital > 0.0))
        throw InputError("Monte Carlo: initial capital must be > 0");
    for (std::size_t i = 0; i < in.percentiles.size(); ++i) {
        const double q = in.percentiles[i];
        if (!(q >= 0.0 && q <= 100.0) || (i > 0 && !(q > in.percentiles[i - 1]))) {
            std::ostringstream os;
            os << "Monte Carlo: percentiles must ascend strictly within [0, 100]; found " << q;
            throw InputError(os.str());
        }
    }
    std::set<std::string> names;
    for (const StrategySpec& s : in.strategies) {
        if (s.name.empty()) throw InputError("Monte Carlo: a strategy has no name");
        if (!names.insert(s.name).second)
            throw InputError("Monte Carlo: duplicate strategy name '" + s.name + "'");
    }
    if (!in.benchmark.empty() && !names.contains(in.benchmark))
        throw InputError("Monte Carlo: benchmark '" + in.benchmark + "' is not a strategy");
    const auto T = static_cast<Index>(gen.dates().size());
    if (in.checkpointDay && (*in.checkpointDay < 0 || *in.checkpointDay >= T))
        throw InputError("Monte Carlo: checkpoint day " + std::to_string(*in.checkpointDay) +
                         " outside the horizon 0.." + std::to_string(T - 1));
}

DistributionSummary nanSummary(std::size_t q) {
    DistributionSummary s;
    s.mean = s.stdev = s.probLoss = s.probBeatBenchmark = s.var95 = s.cvar95 = kNaN;
    s.percentiles.assign(q, kNaN);
    return s;
}

// Writes chunk c's paths from the window to the path sink (in path order: c is the oldest chunk
// not written), counts the paths on which each strategy beat the benchmark, and resets the
// chunk's slots for the chunk that reuses them. The chunk's worker is done with it.
void writeChunk(Shared& sh, McPart& part, std::optional<std::size_t> benchmark, std::uint64_t c) {
    const McScenarioRun& run = sh.run;
    const std::uint64_t first = sh.range.begin + c * sh.in.chunkSize;
    const std::uint64_t last = std::min(sh.range.end, first + sh.in.chunkSize);
    const Index at = sh.slot(first);
    const auto n = static_cast<Index>(last - first);

    McScenarioRun block;
    block.regimeOfPath.assign(run.regimeOfPath.begin() + at, run.regimeOfPath.begin() + at + n);
    if (run.attribution.cols() > 0) block.attribution = run.attribution.middleRows(at, n);
    if (run.overlayReport.cols() > 0) block.overlayReport = run.overlayReport.middleRows(at, n);
    block.strategies.resize(run.strategies.size());
    const bool checkpoint = run.checkpointDay >= 0;
    for (std::size_t s = 0; s < run.strategies.size(); ++s) {
        const auto from = std::as_const(run.strategies[s].paths).columns(checkpoint);
        const auto to = block.strategies[s].paths.columns(checkpoint);
        for (std::size_t k = 0; k < from.size(); ++k) *to[k] = from[k]->segment(at, n);
    }
    if (run.pathsStored) {  // the chunk's slots are consecutive: its paths are in one window turn
        const auto days = static_cast<std::size_t>(sh.T);
        const std::size_t prices = days * run.assets.size();
        const auto k = static_cast<std::size_t>(at);
        const auto m = static_cast<std::size_t>(n);
        const auto price = run.storedPrices.begin() + static_cast<std::ptrdiff_t>(k * prices);
        block.storedPrices.assign(price, price + static_cast<std::ptrdiff_t>(m * prices));
        const auto rate = run.storedRates.begin() + static_cast<std::ptrdiff_t>(k * days);
        block.storedRates.assign(rate, rate + static_cast<std::ptrdiff_t>(m * days));
    }
    sh.in.pathSink->writePaths(first, block);
    tallyStreamedPaths(part, benchmark, block);

    McScenarioRun& window = sh.run;
    if (window.attribution.cols() > 0) window.attribution.middleRows(at, n).setConstant(kNaN);
    if (window.overlayReport.cols() > 0) window.overlayReport.middleRows(at, n).setConstant(kNaN);
    for (McStrategyRun& r : window.strategies) {
        for (Vector* v : r.paths.columns(checkpoint)) v->segment(at, n).setConstant(kNaN);
    }
}

}  // namespace

void tallyStreamedPaths(McPart& part, std::optional<std::size_t> benchmark,
                        const McScenarioRun& block) {
    const auto n = static_cast<Index>(block.regimeOfPath.size());
    if (benchmark) {
        const Vector& bench = block.strategies[*benchmark].paths.terminalWealth;
        for (std::size_t s = 0; s < block.strategies.size(); ++s)
            for (Index i = 0; i < n; ++i)
                if (block.strategies[s].paths.terminalWealth(i) > bench(i)) ++part.beats[s];
    }
    for (Index i = 0; i < n; ++i) {
        const auto r = static_cast<std::size_t>(block.regimeOfPath[static_cast<std::size_t>(i)]);
        ++part.regimePaths[r];
        if (block.attribution.cols() > 0)
            part.attributionSums.row(static_cast<Index>(r)) += block.attribution.row(i);
    }
}

unsigned effectiveThreads(std::uint64_t requested, std::uint64_t chunks) {
    const std::uint64_t hardware = std::max(1U, std::thread::hardware_concurrency());
    const std::uint64_t wanted = requested != 0 ? requested : hardware;
    return static_cast<unsigned>(
        std::clamp<std::uint64_t>(wanted, 1, std::min(chunks, kMaxThreadsPerCore * hardware)));
}

PathRange shareOfPaths(std::uint64_t paths, std::uint64_t part, std::uint64_t parts) {
    ROTOR_REQUIRE(parts >= 1 && part < parts, "part " << part << " of " << parts);
    const std::uint64_t base = paths / parts;
    const std::uint64_t extra = paths % parts;
    const std::uint64_t begin = part * base + std::min(part, extra);
    return {begin, begin + base + (part < extra ? 1 : 0)};
}

McPart simulatePart(const PathGenerator& gen, const SimulationInput& in, PathRange range) {
    validateInput(gen, in);
    if (range.begin > range.end || range.end > in.paths)
        throw InputError("Monte Carlo: path range " + range.text() + " outside the " +
                         std::to_string(in.paths) + " paths");
    const Universe& universe = gen.universe();
    const auto T = static_cast<Index>(gen.dates().size());
    const Index N = universe.size();
    const std::uint64_t P = range.size();
    const bool streaming = in.pathSink != nullptr;
    const std::uint64_t chunks = (P + in.chunkSize - 1) / in.chunkSize;
    const unsigned threads = effectiveThreads(in.threads, std::max<std::uint64_t>(1, chunks));
    // With a sink the per-path arrays hold a window of chunks, reused once written out.
    const std::uint64_t windowChunks = kWindowChunks * threads;
    const std::uint64_t held = streaming ? std::min(P, windowChunks * in.chunkSize) : P;
    const auto pathCount = static_cast<Index>(held);

    McPart part;
    part.range = range;
    McScenarioRun& run = part.run;
    run.name = in.name;
    run.description = in.description;
    run.assets = universe.assets;
    run.dates = gen.dates();
    run.paths = in.paths;
    run.seed = in.seed;
    run.percentiles = in.percentiles;
    run.regimeNames = gen.regimeNames();
    run.regimeOfPath.assign(static_cast<std::size_t>(held), 0);
    run.model = gen.describe();
    run.expectations = gen.expectations();
    run.warnings = gen.warnings();
    run.attributionNames = gen.attributionNames();
    if (!run.attributionNames.empty())
        run.attribution.setConstant(pathCount, static_cast<Index>(run.attributionNames.size()),
                                    kNaN);
    run.overlayReportNames = gen.overlayReportNames();
    if (!run.overlayReportNames.empty())
        run.overlayReport.setConstant(pathCount, static_cast<Index>(run.overlayReportNames.size()),
                                      kNaN);
    run.benchmark = in.benchmark;
    run.initialCapital = in.backtest.initialCapital;
    run.checkpointDay = in.checkpointDay ? *in.checkpointDay : -1;
    run.pathsStored = in.storePaths;
    if (in.storePaths) {
        // paths x days x assets, checked: the run's memory estimate bounds it before this. With
        // a sink only the window's paths are held, as the other per-path arrays.
        const auto cells = checkedMul(P, static_cast<std::uint64_t>(T) *
                                             static_cast<std::uint64_t>(N));
        ROTOR_REQUIRE(cells && *cells < (std::uint64_t{1} << 60),
                      "store: paths of " << P << " paths x " << T << " days x " << N
                                         << " assets overflows");
        const auto days = static_cast<std::size_t>(held) * static_cast<std::size_t>(T);
        run.storedPrices.assign(days * static_cast<std::size_t>(N), 0.f);
        run.storedRates.assign(days, 0.f);
    }
    ROTOR_REQUIRE(!run.regimeNames.empty(), "path generator names no regime");

    Shared sh(gen, in, run, T, range);
    sh.chunks = chunks;
    sh.windowChunks = windowChunks;
    sh.windowPaths = std::max<std::uint64_t>(held, 1);
    if (streaming) sh.chunkDone.assign(static_cast<std::size_t>(windowChunks), 0);
    run.strategies.resize(in.strategies.size());
    for (std::size_t s = 0; s < in.strategies.size(); ++s) {
        McStrategyRun& r = run.strategies[s];
        r.name = in.strategies[s].name;
        r.type = in.strategies[s].type;
        for (Vector* v : r.paths.columns(run.checkpointDay >= 0)) v->setConstant(pathCount, kNaN);
        sh.strategies.push_back(std::make_unique<StrategyState>(T));
    }
    std::optional<std::size_t> benchmark;
    for (std::size_t s = 0; s < in.strategies.size(); ++s)
        if (in.strategies[s].name == in.benchmark) benchmark = s;
    if (streaming) {
        in.pathSink->beginPaths(run);
        part.beats.assign(in.strategies.size(), 0);
        part.regimePaths.assign(run.regimeNames.size(), 0);
        part.attributionSums.setZero(static_cast<Index>(run.regimeNames.size()),
                                     run.attribution.cols());
    }

    // Each worker runs its own clones of the strategies (they keep per-path state).
    BacktestConfig cfg = in.backtest;
    cfg.recordTrades = false;
    cfg.recordPositions = false;
    std::vector<std::unique_ptr<Worker>> workers;
    for (unsigned k = 0; k < threads; ++k) {
        auto w = std::make_unique<Worker>(cfg);
        w->bins.assign(in.strategies.size() + 1,
                       std::vector<std::int32_t>(kBinBatch * static_cast<std::size_t>(T)));
        w->binned.assign(in.strategies.size() + 1, 0);
        w->results.resize(in.strategies.size());
        w->ran.assign(in.strategies.size(), 0);
        for (std::size_t s = 0; s < in.strategies.size(); ++s) {
            const StrategySpec& spec = in.strategies[s];
            std::unique_ptr<Strategy> strategy;
            if (sh.strategies[s]->firstFailure.load() == kNoFailure) {
                try {
                    strategy = spec.prototype->clone();
                } catch (const InputError&) {
                    throw;  // bad input is not a per-strategy failure
                } catch (const std::exception& e) {
                    // Recorded at the range's first path, so that combining parts reports the
                    // same lowest failing path as one run over all of them.
                    sh.strategies[s]->firstFailure.store(range.begin);
                    sh.strategies[s]->error = std::string("cannot build the strategy: ") + e.what();
                }
            }
            w->strategies.push_back(std::move(strategy));
        }
        workers.push_back(std::move(w));
    }

    {
        ThreadGroup group(sh);
        for (auto& w : workers) group.start(*w);
        std::uint64_t reported = 0;
        // The window's oldest chunk is done: it can be written out.
        const auto writable = [&] {
            return streaming && sh.committed < sh.chunks &&
                   sh.chunkDone[sh.committed % windowChunks] == sh.committed + 1;
        };
        for (;;) {
            std::uint64_t done = 0;
            bool all = false;
            std::uint64_t ready = 0;  // chunks from sh.committed on that can be written
            {
                std::unique_lock<std::mutex> lock(sh.mutex);
                sh.cv.wait(lock, [&] {
                    return sh.finished == threads || sh.done != reported || writable();
                });
                done = sh.done;
                all = sh.finished == threads;
                while (streaming && !sh.abort.load() && sh.committed + ready < sh.chunks &&
                       sh.chunkDone[(sh.committed + ready) % windowChunks] ==
                           sh.committed + ready + 1)
                    ++ready;
            }
            for (std::uint64_t k = 0; k < ready; ++k) {
                const std::uint64_t c = sh.committed;  // only this thread moves it
                writeChunk(sh, part, benchmark, c);
                {
                    std::lock_guard<std::mutex> lock(sh.mutex);
                    sh.committed = c + 1;
                }
                sh.cv.notify_all();
            }
            if (done != reported) {
                reported = done;
                if (in.progress && !sh.abort.load()) in.progress(done, P);
            }
            if (all) break;
        }
        group.join();
    }
    if (sh.fatal) std::rethrow_exception(sh.fatal);

    part.rate = std::move(sh.rateBands);
    for (auto& st : sh.strategies) {
        part.equity.push_back(std::move(st->bands));
        part.firstFailure.push_back(st->firstFailure.load());
        part.errors.push_back(std::move(st->error));
    }
    return part;
}

void cannotCombine(const std::string& what) {
    throw InputError("Monte Carlo: cannot combine path ranges: " + what);
}

namespace {

// Every part describes the same simulation: same strategies, days and per-path widths.
void checkShapes(const std::vector<McPart>& parts, const SimulationInput& in) {
    const McPart& a = parts.front();
    for (const McPart& b : parts) {
        const std::string who = "range " + b.range.text() + " ";
        const McScenarioRun& x = a.run;
        const McScenarioRun& y = b.run;
        if (y.name != x.name || y.dates != x.dates || y.assets != x.assets || y.paths != x.paths ||
            y.seed != x.seed || y.percentiles != x.percentiles || y.regimeNames != x.regimeNames ||
            y.checkpointDay != x.checkpointDay)
            cannotCombine(who + "is from another simulation (name, days, assets, paths or seed)");
        if (y.strategies.size() != x.strategies.size() || b.equity.size() != x.strategies.size() ||
            b.firstFailure.size() != x.strategies.size() || b.errors.size() != x.strategies.size())
            cannotCombine(who + "has another set of strategies");
        for (std::size_t s = 0; s < x.strategies.size(); ++s)
            if (y.strategies[s].name != x.strategies[s].name)
                cannotCombine(who + "has strategy '" + y.strategies[s].name + "' where '" +
                              x.strategies[s].name + "' was expected");
        const auto n = static_cast<Index>(b.range.size());
        if (y.regimeOfPath.size() != b.range.size() || y.attributionNames != x.attributionNames ||
            y.attribution.rows() != (x.attributionNames.empty() ? 0 : n) ||
            y.overlayReportNames != x.overlayReportNames ||
            y.overlayReport.rows() != (x.overlayReportNames.empty() ? 0 : n) ||
            y.storedRates.size() != (in.storePaths ? b.range.size() * x.dates.size() : 0) ||
            y.storedPrices.size() != y.storedRates.size() * x.assets.size())
            cannotCombine(who + "holds per-path values of another shape");
    }
}

// Widens `run`'s per-path arrays (those of the range `head`) to all paths, with those of the
// parts after the first (ascending ranges that tile [0, paths) with `head`).
void joinPaths(McScenarioRun& run, PathRange head, const std::vector<McPart>& parts) {
    const auto P = static_cast<Index>(run.paths);
    std::vector<int> regimes;
    regimes.reserve(static_cast<std::size_t>(P));
    Matrix attribution(run.attributionNames.empty() ? 0 : P, run.attribution.cols());
    Matrix overlay(run.overlayReportNames.empty() ? 0 : P, run.overlayReport.cols());
    std::vector<float> prices, rates;
    std::vector<PathMetrics> metrics(run.strategies.size());
    const bool checkpoint = run.checkpointDay >= 0;
    for (PathMetrics& m : metrics)
        for (Vector* v : m.columns(checkpoint)) v->resize(P);

    const auto add = [&](const McScenarioRun& r, PathRange range) {
        const auto at = static_cast<Index>(range.begin);
        regimes.insert(regimes.end(), r.regimeOfPath.begin(), r.regimeOfPath.end());
        if (attribution.rows() > 0 && r.attribution.rows() > 0)
            attribution.middleRows(at, r.attribution.rows()) = r.attribution;
        if (overlay.rows() > 0 && r.overlayReport.rows() > 0)
            overlay.middleRows(at, r.overlayReport.rows()) = r.overlayReport;
        prices.insert(prices.end(), r.storedPrices.begin(), r.storedPrices.end());
        rates.insert(rates.end(), r.storedRates.begin(), r.storedRates.end());
        for (std::size_t s = 0; s < metrics.size(); ++s) {
            const auto from = r.strategies[s].paths.columns(checkpoint);
            const auto to = metrics[s].columns(checkpoint);
            for (std::size_t c = 0; c < from.size(); ++c)
                if (from[c]->size() > 0) to[c]->segment(at, from[c]->size()) = *from[c];
        }
    };
    add(run, head);
    for (std::size_t k = 1; k < parts.size(); ++k) add(parts[k].run, parts[k].range);
    run.regimeOfPath = std::move(regimes);
    run.attribution = std::move(attribution);
    run.overlayReport = std::move(overlay);
    run.storedPrices = std::move(prices);
    run.storedRates = std::move(rates);
    for (std::size_t s = 0; s < metrics.size(); ++s)
        run.strategies[s].paths = std::move(metrics[s]);
}

}  // namespace

McScenarioRun combineParts(std::vector<McPart> parts, const SimulationInput& in) {
    if (parts.empty()) cannotCombine("no range given");
    std::sort(parts.begin(), parts.end(), [](const McPart& a, const McPart& b) {
        return a.range.begin != b.range.begin ? a.range.begin < b.range.begin
                                              : a.range.end < b.range.end;
    });
    std::uint64_t next = 0;
    for (const McPart& p : parts) {
        if (p.range.begin > p.range.end) cannotCombine("range " + p.range.text() + " is reversed");
        if (p.range.begin < next)
            cannotCombine("range " + p.range.text() + " overlaps the paths before " +
                          std::to_string(next));
        if (p.range.begin > next)
            cannotCombine("paths " + std::to_string(next) + ":" + std::to_string(p.range.begin) +
                          " are in no range");
        next = p.range.end;
    }
    if (next != in.paths)
        cannotCombine("paths " + std::to_string(next) + ":" + std::to_string(in.paths) +
                      " are in no range");
    checkShapes(parts, in);

    // Failures: the lowest failing path over all ranges, as one run over all paths reports.
    McPart& first = parts.front();
    const std::size_t strategies = first.run.strategies.size();
    std::vector<std::uint64_t> failure(strategies, kNoFailure);
    std::vector<std::string> error(strategies);
    for (const McPart& p : parts)
        for (std::size_t s = 0; s < strategies; ++s)
            if (p.firstFailure[s] < failure[s]) {
                failure[s] = p.firstFailure[s];
                error[s] = p.errors[s];
            }
    for (std::size_t k = 1; k < parts.size(); ++k) {
        first.rate.merge(parts[k].rate);
        for (std::size_t s = 0; s < strategies; ++s) first.equity[s].merge(parts[k].equity[s]);
    }
    McScenarioRun run = std::move(first.run);
    if (parts.size() > 1) joinPaths(run, first.range, parts);

    const std::size_t q = in.percentiles.size();
    run.rateBands = first.rate.bands(in.percentiles);
    const McStrategyRun* benchmark = nullptr;
    for (std::size_t s = 0; s < strategies; ++s) {
        McStrategyRun& r = run.strategies[s];
        if (failure[s] != kNoFailure) {
            r.ok = false;
            r.error = error[s];
            r.paths = PathMetrics{};
            r.terminal = nanSummary(q);
            continue;
        }
        r.equityBands = first.equity[s].bands(in.percentiles);
        if (r.name == in.benchmark) benchmark = &r;
    }
    // Benchmark semantics as in the historical runner: relative figures need a benchmark that
    // ran, and are NaN for the benchmark itself.
    for (McStrategyRun& r : run.strategies) {
        if (!r.ok) continue;
        const Vector* bench = benchmark != nullptr && &r != benchmark
                                  ? &benchmark->paths.terminalWealth
                                  : nullptr;
        r.terminal = summarizeWealth(r.paths.terminalWealth, bench, in.percentiles);
        r.pathSummary = summarizePathMetrics(r.paths);
    }
    return run;
}

// The summaries come from the columns read back in passes, a chunk at a time (ColumnSelection
// holds at most its budget of values, not the column).
McScenarioRun finishStreamed(McPart part, const SimulationInput& in) {
    McPathSink& sink = *in.pathSink;
    McScenarioRun run = std::move(part.run);
    run.pathsStreamed = true;
    run.attributionSums = std::move(part.attributionSums);
    run.pathsPerRegime = std::move(part.regimePaths);
    run.regimeOfPath = {};
    run.storedPrices = {};  // the window's
    run.storedRates = {};
    run.attribution.resize(0, run.attribution.cols());
    run.overlayReport.resize(0, run.overlayReport.cols());
    const std::size_t q = in.percentiles.size();
    run.rateBands = part.rate.bands(in.percentiles);
    std::optional<std::size_t> benchmark;
    for (std::size_t s = 0; s < run.strategies.size(); ++s) {
        McStrategyRun& r = run.strategies[s];
        r.paths = PathMetrics{};
        if (part.firstFailure[s] != kNoFailure) {
            r.ok = false;
            r.error = part.errors[s];
            r.terminal = nanSummary(q);
            continue;
        }
        r.equityBands = part.equity[s].bands(in.percentiles);
        if (r.name == in.benchmark) benchmark = s;
    }
    for (std::size_t s = 0; s < run.strategies.size(); ++s) {
        McStrategyRun& r = run.strategies[s];
        if (!r.ok) continue;
        const bool relative = benchmark && *benchmark != s;
        const auto column = [&sink, s](McPathSink::Column c) -> ColumnReader {
            return [&sink, s, c](const ColumnBlock& block) { sink.readPaths(s, c, block); };
        };
        r.terminal = summarizeWealthColumn(column(McPathSink::Column::TerminalWealth),
                                           relative ? &part.beats[s] : nullptr, in.percentiles);
        summarizeCagrColumn(column(McPathSink::Column::Cagr), r.pathSummary);
        ColumnSelection drawdown(column(McPathSink::Column::MaxDrawdown));
        r.pathSummary.medianMaxDrawdown = percentilesOfColumn(drawdown, {50.0})[0];
    }
    return run;
}

McScenarioRun simulate(const PathGenerator& gen, const SimulationInput& in) {
    if (in.pathSink != nullptr) return finishStreamed(simulatePart(gen, in, {0, in.paths}), in);
    std::vector<McPart> parts;
    parts.push_back(simulatePart(gen, in, PathRange{0, in.paths}));
    return combineParts(std::move(parts), in);
}

}  // namespace rotor
