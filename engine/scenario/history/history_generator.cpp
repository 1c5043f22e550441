// SPDX-License-Identifier: MIT
#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/history/history_generator.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>

namespace rotor {

HistoryGenerator::HistoryGenerator(HistoryWindow window, const GeneratorContext& ctx,
                                   ReturnOverlays overlays)
    : window_(std::move(window)),
      universe_(ctx.universe),
      dates_(ctx.dates),
      startPrices_(ctx.startPrices),
      seed_(ctx.seed),
      rate_(ctx.rate),
      overlays_(std::move(overlays)) {
    ROTOR_REQUIRE(!dates_.empty(), "a scenario needs at least its start day");
    ROTOR_REQUIRE(startPrices_.size() == universe_.size(),
                  startPrices_.size() << " start prices for " << universe_.size() << " assets");
    ROTOR_REQUIRE(window_.logReturns.cols() == universe_.size(), "window columns != assets");
    ROTOR_REQUIRE(window_.returns() >= 1, "the window has no daily return");
    ROTOR_REQUIRE(rate_ != nullptr, "a forward scenario needs a rate path model");
    ROTOR_REQUIRE(rate_->days() == static_cast<Index>(dates_.size()),
                  "rate path has " << rate_->days() << " days, the scenario " << dates_.size());
    for (const auto& o : overlays_) ROTOR_REQUIRE(o != nullptr, "null return overlay");
}

PathInfo HistoryGenerator::generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const {
    const Index T = static_cast<Index>(dates_.size());
    const Index N = universe_.size();
    Xoshiro256 rng(seed_, p);
    PathInfo info;

    out.dates = dates_;  // same size every path: copies in place
    out.prices.resize(T, N);
    out.cashRate.resize(T);
    Matrix& logReturns = scratch.a;
    logReturns.resize(T, N);
    logReturns.row(0).setZero();

    const bool replay = window_.rate == HistoryRate::Replay;
    if (!replay) rate_->generate(rng, out.cashRate, &info.regime);
    // Replay: the start level plus the cumulative change of the replayed days, floored at 0
    // (a function of the cumulative change, so a window replayed from its own start level
    // reproduces its rates exactly; a cut past zero waits there until the changes undo it).
    const double start = rate_->base(0)[0];
    double cumulative = 0.0;
    if (replay) out.cashRate[0] = start;

    Index day = 0;
    for (Index t = 1; t < T; ++t) {
        day = nextDay(rng, t, day);
        logReturns.row(t) = window_.logReturns.row(day);
        if (replay) {
            cumulative += window_.rateChanges[day];
            out.cashRate[t] = std::max(0.0, start + cumulative);
        }
    }
    for (const auto& o : overlays_) o->apply(out.cashRate, logReturns, rng);

    // Day by day rather than exp(cumulative sum): each day's price ratio is then exp of that
    // day's log return alone, so a replayed return is exact to rounding.
    for (Index j = 0; j < N; ++j) {
        double price = startPrices_[j];
        out.prices(0, j) = price;
        for (Index t = 1; t < T; ++t) {
            price *= std::exp(logReturns(t, j));
            out.prices(t, j) = price;
        }
    }
    return info;
}

std::vector<std::string> HistoryGenerator::regimeNames() const {
    if (window_.rate == HistoryRate::Replay) return {"replay"};
    std::vector<std::string> names;
    for (int r = 0; r < rate_->regimes(); ++r) names.push_back(rate_->regimeName(r));
    return names;
}

std::string HistoryGenerator::describe() const {
    YamlWriter out;
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << window_.type;
    emitHistoryWindow(out, window_);
    emitOwn(out);
    if (!overlays_.empty()) {
        out << yaml::Key << "overlays" << yaml::Value << yaml::Flow << yaml::BeginSeq;
        for (const auto& o : overlays_) out << o->name();
        out << yaml::EndSeq;
    }
    out << yaml::EndMap;
    return out.str();
}

}  // namespace rotor
