// SPDX-License-Identifier: MIT
// What the analog and the bootstrap share: a path is a sequence of window days, one per
// simulated day; the prices compound those days' log returns (after any overlays) and the rate
// is either the scenario's rate path or the window's rate changes on top of the start level.
#pragma once

#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/history/history_window.hpp"
#include "engine/scenario/path_generator.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

using ReturnOverlays = std::vector<std::shared_ptr<const ReturnOverlay>>;

class HistoryGenerator : public PathGenerator {
public:
    HistoryGenerator(HistoryWindow window, const GeneratorContext& ctx, ReturnOverlays overlays);

    const Universe& universe() const override { return universe_; }
    const std::vector<Date>& dates() const override { return dates_; }
    // Draw order on Xoshiro256(seed, p): the rate path (regime, then noise) when the rate is
    // `path`; then the window days (nextDay, in day order); then the overlays.
    PathInfo generate(std::uint64_t p, Path& out, GeneratorScratch& scratch) const override;
    std::vector<std::string> regimeNames() const override;
    std::string describe() const override;

    const HistoryWindow& window() const { return window_; }

protected:
    // The window day (row of window().logReturns) that simulated day t >= 1 replays; `prev` is
    // the previous day's choice (unused for t = 1).
    virtual Index nextDay(Xoshiro256& rng, Index t, Index prev) const = 0;
    // The generator's own keys, written after the window's in describe().
    virtual void emitOwn(YamlWriter& out) const = 0;

private:
    HistoryWindow window_;
    Universe universe_;
    std::vector<Date> dates_;
    Vector startPrices_;
    std::uint64_t seed_;
    std::shared_ptr<const RatePathModel> rate_;
    ReturnOverlays overlays_;
};

}  // namespace rotor
