// SPDX-License-Identifier: MIT
// Fed policy episodes read off the daily effective funds rate and tagged with NBER recession
// months: the ex-post day classes (soft landing, recession, hold, tightening) that regime
// calibration pools history by. The rule is stated in docs/regimes.md.
#pragma once

#include "engine/core/date.hpp"
#include "engine/data/time_series.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rotor {

// What a day of history was, seen ex post: inside an easing episode (soft-landing or recession
// cuts), inside a tightening episode, or neither (hold).
enum class EpisodeClass { SoftLanding, Recession, Hold, Tightening };

// "soft_landing", "recession", "hold", "tightening".
const char* episodeClassName(EpisodeClass c);
// The inverse of episodeClassName; nullopt for any other text.
std::optional<EpisodeClass> parseEpisodeClass(const std::string& name);

// The rule's parameters (docs/regimes.md, "Policy episodes"). Windows count weekday rows of the
// rate series; gaps count calendar days; levels and changes are percentage points.
struct EpisodeRule {
    int before = 20;            // rows whose median is the level before a day
    int after = 10;             // rows from the day on whose median must have moved
    int later = 20;             // rows after those whose median must still have moved (persistence)
    double threshold = 0.20;    // least |after-window median - level before| of a candidate day
    double persist = 0.15;      // least |later-window median - level before| of a candidate day
    int reversalDays = 30;      // opposite moves this close are both dropped (transient spikes)
    int splitGapDays = 183;     // same-direction moves further apart start a new episode
    int newCycleGapDays = 365;  // a same-direction pause this long makes a new cycle
    double minOppositeChange = 0.50;  // an opposite episode this large makes a new cycle
    int recessionHorizonMonths = 12;  // a recession starting this soon tags an episode
    // Allowed slack in every comparison of rates: DFF has two decimals and 2.40 - 2.20 is
    // 0.19999999999999973 in binary, which must count as a 0.20 move (the 2018-12-19 hike).
    double tolerance = 1e-9;
};

// One policy move: a maximal run of consecutive candidate days of one sign.
struct PolicyMove {
    Date date;                 // first run day beyond the threshold 2 days running, else run start
    int sign = 0;              // -1 cut, +1 hike
    double levelBefore = 0.0;  // median of the `before` rows before the run's first day
    double levelAfter = 0.0;   // median of the `after` rows after the run's last day
    Date runEnd;               // the run's last day
};

struct PolicyEpisode {
    int direction = 0;  // -1 easing, +1 tightening
    Date start;         // the first move's date
    Date end;           // the last move's run end
    std::vector<PolicyMove> moves;
    double cumChange = 0.0;   // last move's level after - first move's level before (pp)
    bool cycleStart = false;  // first cut/hike of a cycle; false: a resumption after a pause
    // NBER tags, anchored at the detected start (computed for both directions; only easing
    // episodes are split by them).
    bool recessionWithin12m = false;     // a USREC 0->1 month in (month(start), +horizon]
    std::optional<Date> recessionStart;  // that month's first day
    bool inRecessionAtStart = false;     // USREC of month(start) is 1
    bool recessionOverlaps = false;      // a USREC 1 in any month from month(start) to month(end)
    // USREC ends before month(start) + horizon: a recession dated later could still tag it.
    bool tagProvisional = false;

    bool recession() const { return recessionWithin12m || inRecessionAtStart || recessionOverlaps; }
};

// The episodes of one rate series and the span of rows they were read from.
struct EpisodeHistory {
    std::vector<PolicyEpisode> episodes;  // ascending, spans disjoint
    Date dataStart;                       // first row of the rate series
    Date dataEnd;                         // last row
    std::string file;                     // the rate series' file, for messages
};

// Moves read off a daily effective funds rate (FRED DFF: one row per calendar day, or per
// weekday): rows dated Saturday or Sunday are ignored, every weekday from the first to the last
// must have a row (holidays carry the last rate, as FRED publishes), and the reversal filter has
// been applied. A DataError for a missing weekday or too few rows for the windows; an InputError
// for parameters out of range.
std::vector<PolicyMove> detectPolicyMoves(const TimeSeries& dff, const EpisodeRule& rule = {});

// Moves grouped into episodes with cycle starts and recession tags. `usrec` is FRED's monthly
// NBER indicator (first-of-month dates, consecutive months, values 0 or 1) and must cover every
// month from each episode's start to its end; the horizon after a start may run past its end
// (then the episode is tagProvisional). DataError otherwise.
EpisodeHistory policyEpisodes(const TimeSeries& dff, const TimeSeries& usrec,
                              const EpisodeRule& rule = {});

// Tightening for a tightening episode; Recession or SoftLanding for an easing one.
EpisodeClass episodeClass(const PolicyEpisode& e);

// One class per day (any order): the class of the episode whose span [start, end] holds the
// day, Hold outside every span. Ex post: a span's end and tags use later data. Days before the
// rate series' first row or after its last are an InputError naming the day and the rows' span.
std::vector<EpisodeClass> classifyDays(const EpisodeHistory& history,
                                       const std::vector<Date>& days);

// Easing episodes that start a cycle (first cuts) on or after `since`, in date order.
std::vector<PolicyEpisode> firstCuts(const EpisodeHistory& history, Date since);

}  // namespace rotor
