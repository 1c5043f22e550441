// SPDX-License-Identifier: MIT
#include "engine/run/history_codec.hpp"

#include "engine/core/byte_codec.hpp"

#include <cstring>
#include <type_traits>

namespace rotor {

namespace {

constexpr char kMagic[8] = {'r', 'o', 't', 'o', 'r', 'H', 'C', '1'};

static_assert(std::is_trivially_copyable_v<Date> && std::is_trivially_copyable_v<Trade> &&
              std::is_trivially_copyable_v<Metrics>);

void putVector(ByteWriter& w, const Vector& v) {
    w.array(v.data(), static_cast<std::size_t>(v.size()));
}

Vector getVector(ByteReader& r, const char* what) {
    const std::vector<double> values = r.vector<double>(what);
    Vector v(static_cast<Index>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) v[static_cast<Index>(i)] = values[i];
    return v;
}

void putTexts(ByteWriter& w, const std::vector<std::string>& texts) {
    w.put<std::uint64_t>(texts.size());
    for (const std::string& t : texts) w.text(t);
}

std::vector<std::string> getTexts(ByteReader& r, const char* what) {
    const auto n = r.get<std::uint64_t>();
    // Each text takes at least its 8-byte length: a count beyond that is damage.
    if (n > r.left() / sizeof(std::uint64_t)) r.bad(std::string(what) + " runs past the end");
    std::vector<std::string> texts;
    for (std::uint64_t i = 0; i < n; ++i) texts.push_back(r.text(what));
    return texts;
}

void putStrategy(ByteWriter& w, const StrategyRun& s) {
    w.text(s.name);
    w.text(s.type);
    w.put<std::uint8_t>(s.ok ? 1 : 0);
    w.text(s.error);
    putVector(w, s.equity);
    putVector(w, s.returns);
    w.put<std::int64_t>(s.weights.rows());
    w.put<std::int64_t>(s.weights.cols());
    w.array(s.weights.data(), static_cast<std::size_t>(s.weights.size()));
    w.array(s.trades.data(), s.trades.size());
    w.put(s.metrics);
}

StrategyRun getStrategy(ByteReader& r) {
    StrategyRun s;
    s.name = r.text("strategy name");
    s.type = r.text("strategy type");
    s.ok = r.get<std::uint8_t>() != 0;
    s.error = r.text("strategy error");
    s.equity = getVector(r, "equity");
    s.returns = getVector(r, "returns");
    const auto rows = r.get<std::int64_t>();
    const auto cols = r.get<std::int64_t>();
    if (rows < 0 || cols < 0 ||
        (cols > 0 && static_cast<std::uint64_t>(rows) >
                         r.left() / sizeof(double) / static_cast<std::uint64_t>(cols)))
        r.bad("weights of " + std::to_string(rows) + " x " + std::to_string(cols));
    s.weights.resize(rows, cols);
    r.array(s.weights.data(), static_cast<std::size_t>(rows * cols), "weights");
    s.trades = r.vector<Trade>("trades");
    s.metrics = r.get<Metrics>();
    return s;
}

}  // namespace

std::vector<char> encodeHistoryCell(const HistoryCell& cell) {
    ByteWriter w;
    w.raw(kMagic, sizeof kMagic);
    putTexts(w, cell.digests);
    const ScenarioRun& s = cell.run;
    w.text(s.name);
    w.text(s.description);
    w.text(s.mode);
    putTexts(w, s.assets);
    w.array(s.dates.data(), s.dates.size());
    putVector(w, s.cashRate);
    w.text(s.benchmark);
    w.put(s.initialCapital);
    w.put<std::uint64_t>(s.sweep.size());
    for (const SweepValue& v : s.sweep) putTexts(w, {v.key, v.label, v.value});
    w.put<std::uint64_t>(s.strategies.size());
    for (const StrategyRun& r : s.strategies) putStrategy(w, r);
    std::vector<std::uint64_t> order(cell.order.begin(), cell.order.end());
    w.array(order.data(), order.size());
    return std::move(w.out);
}

HistoryCell decodeHistoryCell(const std::vector<char>& bytes) {
    ByteReader r(bytes, "history cell bytes");
    char magic[sizeof kMagic];
    r.raw(magic, sizeof magic);
    if (std::memcmp(magic, kMagic, sizeof magic) != 0) r.bad("not a historical cell");
    HistoryCell cell;
    cell.digests = getTexts(r, "checksums");
    ScenarioRun& s = cell.run;
    s.name = r.text("name");
    s.description = r.text("description");
    s.mode = r.text("mode");
    s.assets = getTexts(r, "assets");
    s.dates = r.vector<Date>("dates");
    s.cashRate = getVector(r, "cash rate");
    s.benchmark = r.text("benchmark");
    s.initialCapital = r.get<double>();
    const auto sweeps = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < sweeps; ++i) {
        const std::vector<std::string> v = getTexts(r, "sweep value");
        if (v.size() != 3) r.bad("sweep value of " + std::to_string(v.size()) + " texts");
        s.sweep.push_back({v[0], v[1], v[2]});
    }
    const auto strategies = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < strategies && !r.done(); ++i)
        s.strategies.push_back(getStrategy(r));
    if (s.strategies.size() != strategies) r.bad("the strategies end early");
    for (std::uint64_t k : r.vector<std::uint64_t>("order")) {
        if (k >= strategies) r.bad("strategy " + std::to_string(k) + " out of range");
        cell.order.push_back(static_cast<std::size_t>(k));
    }
    if (!r.done()) r.bad("trailing bytes after the order of the strategies");
    return cell;
}

}  // namespace rotor
