// SPDX-License-Identifier: MIT
#include "engine/scenario/history/history_generator.hpp"

#include "engine/core/error.hpp"
#include "engine/scenario/history/analog_generator.hpp"
#include "engine/scenario/history/bootstrap_generator.hpp"

#include <algorithm>
#include <cmath>

namespace rotor {

HistoryGenerator::HistoryGenerator(HistoryWindow window, const GeneratorContext& ctx,
                                   ReturnOverlays overlays)
    : ReturnPathGenerator(ctx, std::move(overlays), Compounding::DayByDay),
      window_(std::move(window)) {
    ROTOR_REQUIRE(window_.logReturns.cols() == universe().size(), "window columns != assets");
    ROTOR_REQUIRE(window_.returns() >= 1, "the window has no daily return");
}

int HistoryGenerator::drawRate(Xoshiro256& rng, Vector& rate) const {
    if (window_.rate == HistoryRate::Replay) return 0;
    return ReturnPathGenerator::drawRate(rng, rate);
}

void HistoryGenerator::drawReturns(Xoshiro256& rng, int /*regime*/, Vector& rate,
                                   Matrix& logReturns, GeneratorScratch&) const {
    const Index T = static_cast<Index>(dates().size());
    // Replay: the start level plus the cumulative change of the replayed days, floored at 0
    // (a function of the cumulative change, so a window replayed from its own start level
    // reproduces its rates exactly; a cut past zero waits there until the changes undo it).
    const bool replay = window_.rate == HistoryRate::Replay;
    const double start = context().rate->base(0)[0];
    double cumulative = 0.0;
    if (replay) rate[0] = start;

    Index day = 0;
    for (Index t = 1; t < T; ++t) {
        day = nextDay(rng, t, day);
        logReturns.row(t) = window_.logReturns.row(day);
        if (replay) {
            cumulative += window_.rateChanges[day];
            rate[t] = std::max(0.0, start + cumulative);
        }
    }
}

std::vector<std::string> HistoryGenerator::regimeNames() const {
    if (window_.rate == HistoryRate::Replay) return {"replay"};
    return ReturnPathGenerator::regimeNames();
}

std::string HistoryGenerator::describe() const {
    YamlWriter out;
    out << yaml::BeginMap;
    out << yaml::Key << "type" << yaml::Value << window_.type;
    emitHistoryWindow(out, window_);
    emitOwn(out);
    if (!overlays().empty())
        out << yaml::Key << "overlays" << yaml::Value << yaml::Flow << overlayNames();
    out << yaml::EndMap;
    return out.str();
}

std::unique_ptr<PathGenerator> HistoryModelConfig::build(const GeneratorContext& ctx,
                                                         DataStore& data,
                                                         ReturnOverlays overlays) const {
    if (window.type == "analog") return buildAnalogGenerator(*this, ctx, data, std::move(overlays));
    return buildBootstrapGenerator(*this, ctx, data, std::move(overlays));
}

void HistoryModelConfig::emit(YamlWriter& out) const {
    out << yaml::BeginMap;
    emitHistoryWindowSpec(out, window);
    if (window.type == "bootstrap") out << yaml::Key << "mean_block" << yaml::Value << meanBlock;
    out << yaml::EndMap;
}

}  // namespace rotor
