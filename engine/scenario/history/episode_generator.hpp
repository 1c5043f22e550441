// SPDX-License-Identifier: MIT
// Easing-cycle analogs: paths drawn only from selected episodes of history. The pool holds the
// first cuts the policy-episode rule finds in the funds rate (each aligned on its first cut and
// tagged soft landing or recession by NBER dates) and named multi-year windows (e.g. the
// 2000-2007 rotation). A path replays one episode from its start, or block-bootstraps days from
// the episodes its rate regime may draw. docs/scenarios.md, "Easing-cycle analogs".
#pragma once

#include "engine/config/config_node.hpp"
#include "engine/data/data_store.hpp"
#include "engine/scenario/generator_context.hpp"
#include "engine/scenario/history/history_window.hpp"
#include "engine/scenario/model_spec.hpp"
#include "engine/scenario/path_generator.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rotor {

// A named multi-year analog: the window's days [start, end].
struct EpisodeWindowSpec {
    std::string name;
    Date start;
    Date end;
    ConfigLocation where;
};

// `first_cuts:` -- which easing cycles since `since` join the pool, and the files they are found
// in (no data after the scenario's cut-off is read).
struct FirstCutsSpec {
    Date since;
    std::vector<std::string> classes;  // "soft_landing", "recession" (both by default)
    std::string policyFile, policyColumn;
    std::string recessionFile, recessionColumn;
    ConfigLocation where;
};

enum class EpisodeDraw { Replay, Bootstrap };

class EpisodeModelConfig final : public ModelSpec {
public:
    HistoryWindowSpec window;  // the aligned history the episodes are cut from
    std::optional<FirstCutsSpec> firstCuts;
    std::vector<EpisodeWindowSpec> windows;
    EpisodeDraw draw = EpisodeDraw::Replay;
    double meanBlock = 0.0;  // bootstrap only
    // rate regime -> the episodes it draws: a class ("soft_landing", "recession"), a window's
    // name, or "all"; regimes not listed draw from every episode.
    std::map<std::string, std::string> regimes;
    ConfigLocation episodesWhere, regimesWhere;

    std::string type() const override { return "episodes"; }
    std::unique_ptr<PathGenerator> build(const GeneratorContext& ctx, DataStore& data,
                                         ReturnOverlays overlays) const override;
    void emit(YamlWriter& out) const override;
};

// One episode of the pool, as rows of the loaded window's daily returns.
struct Episode {
    std::string name;    // "first_cut_2007-08-10" or the window's name
    std::string label;   // "soft_landing", "recession" or the window's name
    Date anchor;         // the detected first cut, or the window's start
    Index firstRow = 0;  // row of HistoryWindow::logReturns replayed on simulated day 1
    Index rows = 0;      // rows the episode holds
};

// `model` has `type: episodes`. ConfigError located at the offending key.
std::shared_ptr<const ModelSpec> parseEpisodeModel(const ConfigNode& model,
                                                   const ModelParseContext& ctx);

// Cuts the pool out of a loaded window: a first cut is anchored on the close of the last window
// day before the weekday that precedes the detected date (the rule detects a cut one weekday
// after the decision, so the decision day's return is replayed) and holds `horizonRows` rows (or
// fewer at the window's end); a named window holds its rows in [start, end].
std::vector<Episode> cutEpisodes(const std::vector<Date>& windowDays,
                                 const std::vector<std::pair<Date, std::string>>& firstCuts,
                                 const std::vector<EpisodeWindowSpec>& windows, Index horizonRows);

}  // namespace rotor
