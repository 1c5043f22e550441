// SPDX-License-Identifier: MIT
// What the analog and the bootstrap share: a path is a sequence of window days, one per
// simulated day; the prices compound those days' log returns (after any overlays) and the rate
// is either the scenario's rate path or the window's rate changes on top of the start level.
#pragma once

#include "engine/config/yaml_writer.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/history/history_window.hpp"
#include "engine/scenario/return_path_generator.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rotor {

class HistoryGenerator : public ReturnPathGenerator {
public:
    HistoryGenerator(HistoryWindow window, const GeneratorContext& ctx, ReturnOverlays overlays);

    std::vector<std::string> regimeNames() const override;
    std::string describe() const override;

    const HistoryWindow& window() const { return window_; }

protected:
    // `rate: path` draws the scenario's rate path; `rate: replay` draws nothing (drawReturns
    // writes the replayed rates).
    int drawRate(Xoshiro256& rng, Vector& rate) const override;
    // The window days (nextDay, in day order).
    void drawReturns(Xoshiro256& rng, int regime, Vector& rate, Matrix& logReturns,
                     GeneratorScratch& scratch) const override;
    // The window day (row of window().logReturns) that simulated day t >= 1 replays; `prev` is
    // the previous day's choice (unused for t = 1).
    virtual Index nextDay(Xoshiro256& rng, Index t, Index prev) const = 0;
    // The generator's own keys, written after the window's in describe().
    virtual void emitOwn(YamlWriter& out) const = 0;

private:
    HistoryWindow window_;
};

// The analog's and the bootstrap's `model:` block: the window and, for the bootstrap, the mean
// block length. The model table (engine/spec) lists the two parsers.
class HistoryModelConfig final : public ModelSpec {
public:
    HistoryWindowSpec window;
    double meanBlock = 0.0;  // bootstrap only

    std::string type() const override { return window.type; }
    std::unique_ptr<PathGenerator> build(const GeneratorContext& ctx, DataStore& data,
                                         ReturnOverlays overlays) const override;
    void emit(YamlWriter& out) const override;
};

}  // namespace rotor
