// SPDX-License-Identifier: MIT
#include "engine/scenario/regime/policy_episodes.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <sstream>

namespace rotor {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The name messages give a series: its file, else its column name.
std::string sourceOf(const TimeSeries& s, const char* fallback) {
    if (!s.file.empty()) return s.file;
    return s.name.empty() ? fallback : s.name;
}

void checkRule(const EpisodeRule& r) {
    auto need = [](bool ok, const char* what) {
        if (!ok) throw InputError(std::string("episode rule: ") + what);
    };
    need(r.before >= 1 && r.after >= 1 && r.later >= 1,
         "the before/after/later windows must hold at least one row each");
    need(r.threshold > 0.0 && r.persist > 0.0 && std::isfinite(r.threshold + r.persist),
         "threshold and persist must be positive");
    need(r.reversalDays >= 0 && r.splitGapDays >= 0 && r.newCycleGapDays >= 0,
         "day gaps must not be negative");
    need(r.minOppositeChange >= 0.0 && std::isfinite(r.minOppositeChange),
         "minOppositeChange must not be negative");
    need(r.recessionHorizonMonths >= 0, "recessionHorizonMonths must not be negative");
    need(r.tolerance >= 0.0 && r.tolerance < 0.01, "tolerance must lie in [0, 0.01)");
}

// Median of v[from, to) (to > from); an even count averages the two middle values.
double median(const std::vector<double>& v, std::size_t from, std::size_t to) {
    std::vector<double> w(v.begin() + static_cast<std::ptrdiff_t>(from),
                          v.begin() + static_cast<std::ptrdiff_t>(to));
    std::sort(w.begin(), w.end());
    const std::size_t n = w.size();
    return n % 2 == 1 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2.0;
}

// The weekday after d (Friday -> Monday).
Date nextWeekday(Date d) {
    const int wd = d.weekday();
    return d + (wd == 5 ? 3 : wd == 6 ? 2 : 1);
}

bool isWeekday(Date d) {
    const int wd = d.weekday();
    return wd >= 1 && wd <= 5;
}

// The weekday rows of a daily rate series, every weekday present.
struct WeekdayRows {
    std::vector<Date> dates;
    std::vector<double> values;
};

WeekdayRows weekdayRows(const TimeSeries& dff, const EpisodeRule& rule) {
    const std::string src = sourceOf(dff, "rate series");
    WeekdayRows rows;
    for (std::size_t i = 0; i < dff.size(); ++i) {
        if (i > 0 && !(dff.dates[i - 1] < dff.dates[i]))
            throw DataError(src, 0,
                            "dates must ascend strictly (" + dff.dates[i].iso() + " follows " +
                                dff.dates[i - 1].iso() + ")");
        if (!isWeekday(dff.dates[i])) continue;
        if (!std::isfinite(dff.values[i]))
            throw DataError(src, 0, "the rate on " + dff.dates[i].iso() + " is not finite");
        if (!rows.dates.empty() && dff.dates[i] != nextWeekday(rows.dates.back()))
            throw DataError(src, 0,
                            "no row for the weekday(s) between " + rows.dates.back().iso() +
                                " and " + dff.dates[i].iso() +
                                "; the policy rule counts weekday rows, so every weekday needs "
                                "one (holidays carry the last rate, as FRED publishes DFF)");
        rows.dates.push_back(dff.dates[i]);
        rows.values.push_back(dff.values[i]);
    }
    const std::size_t need = static_cast<std::size_t>(rule.before) +
                             static_cast<std::size_t>(rule.after) +
                             static_cast<std::size_t>(rule.later);
    if (rows.dates.size() < need) {
        std::ostringstream os;
        os << rows.dates.size() << " weekday rows";
        if (!rows.dates.empty())
            os << " (" << rows.dates.front().iso() << " to " << rows.dates.back().iso() << ")";
        os << "; the policy rule's windows need at least " << need << " (" << rule.before
           << " before a day, " << rule.after << " + " << rule.later << " from it on)";
        throw DataError(src, 0, os.str());
    }
    return rows;
}

// Candidate sign of every row: -1 cut, +1 hike, 0 neither (also where a window is incomplete).
// `before[i]` receives the level before row i (NaN for the first rows).
std::vector<int> candidates(const std::vector<double>& v, const EpisodeRule& r,
                            std::vector<double>& before) {
    const std::size_t n = v.size();
    const auto nb = static_cast<std::size_t>(r.before);
    const auto na = static_cast<std::size_t>(r.after);
    const auto nl = static_cast<std::size_t>(r.later);
    before.assign(n, kNaN);
    std::vector<int> sign(n, 0);
    for (std::size_t i = nb; i < n; ++i) {
        before[i] = median(v, i - nb, i);
        if (i + na + nl > n) continue;  // the later window runs past the data
        const double b = before[i];
        const double d1 = median(v, i, i + na) - b;
        const double d2 = median(v, i + na, i + na + nl) - b;
        // Written as the reference implementation writes them, so equal inputs compare equally.
        if (d1 <= -r.threshold + r.tolerance && d2 <= -r.persist + r.tolerance)
            sign[i] = -1;
        else if (d1 >= r.threshold - r.tolerance && d2 >= r.persist - r.tolerance)
            sign[i] = 1;
    }
    return sign;
}

// Drops both moves of every opposite pair at most reversalDays apart. A left-to-right pass over
// a stack removes, each time, the leftmost such pair of the current list (the kept prefix never
// holds one), so it equals rescanning from the start after every removal.
std::vector<PolicyMove> dropReversals(const std::vector<PolicyMove>& moves, int days) {
    std::vector<PolicyMove> kept;
    for (const PolicyMove& m : moves) {
        if (!kept.empty() && kept.back().sign != m.sign && m.date - kept.back().date <= days) {
            kept.pop_back();
            continue;
        }
        kept.push_back(m);
    }
    return kept;
}

// Months counted from year 0, so month arithmetic is integer arithmetic.
int monthIndex(Date d) { return d.year() * 12 + d.month() - 1; }
Date monthStart(int index) { return Date::fromYmd(index / 12, index % 12 + 1, 1); }

// USREC as 0/1 flags by month index, checked: first-of-month dates, no month missing.
struct RecessionMonths {
    std::string file;
    int first = 0;
    std::vector<int> flag;  // flag[m - first]

    int last() const { return first + static_cast<int>(flag.size()) - 1; }
    int at(int m) const { return flag[static_cast<std::size_t>(m - first)]; }
};

RecessionMonths recessionMonths(const TimeSeries& usrec) {
    RecessionMonths r;
    r.file = sourceOf(usrec, "recession series");
    if (usrec.empty()) throw DataError(r.file, 0, "no rows");
    r.first = monthIndex(usrec.firstDate());
    for (std::size_t i = 0; i < usrec.size(); ++i) {
        const Date d = usrec.dates[i];
        if (d.day() != 1)
            throw DataError(r.file, 0,
                            "monthly rows are dated on the first of the month, found " + d.iso());
        if (monthIndex(d) != r.first + static_cast<int>(i))
            throw DataError(r.file, 0,
                            "months must follow each other: " + d.iso() + " comes after " +
                                usrec.dates[i - 1].iso());
        const double v = usrec.values[i];
        if (v != 0.0 && v != 1.0) {
            std::ostringstream os;
            os << "the recession indicator is 0 or 1, found " << v << " on " << d.iso();
            throw DataError(r.file, 0, os.str());
        }
        r.flag.push_back(v == 1.0 ? 1 : 0);
    }
    return r;
}

void tagRecession(PolicyEpisode& e, const RecessionMonths& rec, const EpisodeRule& rule) {
    const int m0 = monthIndex(e.start);
    const int m1 = monthIndex(e.end);
    if (m0 < rec.first || m1 > rec.last())
        throw DataError(rec.file, 0,
                        "covers " + monthStart(rec.first).iso() + " to " +
                            monthStart(rec.last()).iso() + ", but the policy episode " +
                            e.start.iso() + " to " + e.end.iso() + " needs the months " +
                            monthStart(m0).iso() + " to " + monthStart(m1).iso());
    // A recession start is a 0 -> 1 month; m - 1 >= m0 lies inside the checked coverage.
    const int horizon = m0 + rule.recessionHorizonMonths;
    for (int m = m0 + 1; m <= std::min(horizon, rec.last()); ++m)
        if (rec.at(m) == 1 && rec.at(m - 1) == 0) {
            e.recessionWithin12m = true;
            e.recessionStart = monthStart(m);
            break;
        }
    e.inRecessionAtStart = rec.at(m0) == 1;
    for (int m = m0; m <= m1 && !e.recessionOverlaps; ++m) e.recessionOverlaps = rec.at(m) == 1;
    e.tagProvisional = horizon > rec.last();
}

// Steps C and D: group moves into episodes and mark cycle starts.
std::vector<PolicyEpisode> groupEpisodes(const std::vector<PolicyMove>& moves,
                                         const EpisodeRule& rule) {
    std::vector<PolicyEpisode> out;
    for (const PolicyMove& m : moves) {
        const bool split = out.empty() || out.back().direction != m.sign ||
                           m.date - out.back().moves.back().date > rule.splitGapDays;
        if (split) {
            PolicyEpisode e;
            e.direction = m.sign;
            e.start = m.date;
            out.push_back(e);
        }
        out.back().moves.push_back(m);
        out.back().end = m.runEnd;  // a move's date never lies after its run's end
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        PolicyEpisode& e = out[i];
        e.cumChange = e.moves.back().levelAfter - e.moves.front().levelBefore;
        if (i == 0) {
            e.cycleStart = true;
            continue;
        }
        const PolicyEpisode& prev = out[i - 1];
        const bool afterLargeOpposite = prev.direction != e.direction &&
                                        std::abs(prev.cumChange) >=
                                            rule.minOppositeChange - rule.tolerance;
        bool afterLongPause = true;  // no earlier episode of this direction: a new cycle
        for (std::size_t j = i; j-- > 0;)
            if (out[j].direction == e.direction) {
                afterLongPause = e.start - out[j].end >= rule.newCycleGapDays;
                break;
            }
        e.cycleStart = afterLargeOpposite || afterLongPause;
    }
    return out;
}

}  // namespace

const char* episodeClassName(EpisodeClass c) {
    switch (c) {
        case EpisodeClass::SoftLanding: return "soft_landing";
        case EpisodeClass::Recession: return "recession";
        case EpisodeClass::Hold: return "hold";
        case EpisodeClass::Tightening: return "tightening";
    }
    return "?";
}

std::optional<EpisodeClass> parseEpisodeClass(const std::string& name) {
    for (EpisodeClass c : {EpisodeClass::SoftLanding, EpisodeClass::Recession, EpisodeClass::Hold,
                           EpisodeClass::Tightening})
        if (name == episodeClassName(c)) return c;
    return std::nullopt;
}

std::vector<PolicyMove> detectPolicyMoves(const TimeSeries& dff, const EpisodeRule& rule) {
    checkRule(rule);
    const WeekdayRows rows = weekdayRows(dff, rule);
    const std::vector<double>& v = rows.values;
    const std::size_t n = v.size();
    std::vector<double> before;
    const std::vector<int> cand = candidates(v, rule, before);
    const auto na = static_cast<std::size_t>(rule.after);

    std::vector<PolicyMove> moves;
    for (std::size_t i = 0; i < n;) {
        const int s = cand[i];
        if (s == 0) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && cand[j + 1] == s) ++j;
        // Date the move where the rate is beyond the threshold two days running, so a one-day
        // dip inside the run (a settlement day) does not date it; the run's start otherwise.
        const double b = before[i];
        std::size_t k = i;
        for (std::size_t kk = i; kk <= j; ++kk)
            if (kk + 1 < n && s * (v[kk] - b) >= rule.threshold - rule.tolerance &&
                s * (v[kk + 1] - b) >= rule.threshold - rule.tolerance) {
                k = kk;
                break;
            }
        PolicyMove m;
        m.date = rows.dates[k];
        m.sign = s;
        m.levelBefore = b;
        // j + after + later <= n for a candidate j, so the after window is complete.
        m.levelAfter = median(v, j + 1, j + 1 + na);
        m.runEnd = rows.dates[j];
        moves.push_back(m);
        i = j + 1;
    }
    return dropReversals(moves, rule.reversalDays);
}

EpisodeHistory policyEpisodes(const TimeSeries& dff, const TimeSeries& usrec,
                              const EpisodeRule& rule) {
    EpisodeHistory h;
    h.episodes = groupEpisodes(detectPolicyMoves(dff, rule), rule);
    h.dataStart = dff.firstDate();  // detectPolicyMoves refused an empty series
    h.dataEnd = dff.lastDate();
    h.file = sourceOf(dff, "rate series");
    const RecessionMonths rec = recessionMonths(usrec);
    for (PolicyEpisode& e : h.episodes) tagRecession(e, rec, rule);
    return h;
}

EpisodeClass episodeClass(const PolicyEpisode& e) {
    if (e.direction > 0) return EpisodeClass::Tightening;
    return e.recession() ? EpisodeClass::Recession : EpisodeClass::SoftLanding;
}

std::vector<EpisodeClass> classifyDays(const EpisodeHistory& history,
                                       const std::vector<Date>& days) {
    const auto& eps = history.episodes;
    std::vector<EpisodeClass> out;
    out.reserve(days.size());
    for (Date d : days) {
        if (d < history.dataStart || d > history.dataEnd)
            throw InputError("cannot classify " + d.iso() + ": the rate series " + history.file +
                             " runs from " + history.dataStart.iso() + " to " +
                             history.dataEnd.iso());
        // The last episode starting on or before d; spans are disjoint and ascending.
        auto it = std::upper_bound(eps.begin(), eps.end(), d,
                                   [](Date day, const PolicyEpisode& e) { return day < e.start; });
        if (it != eps.begin() && d <= std::prev(it)->end)
            out.push_back(episodeClass(*std::prev(it)));
        else
            out.push_back(EpisodeClass::Hold);
    }
    return out;
}

std::vector<PolicyEpisode> firstCuts(const EpisodeHistory& history, Date since) {
    std::vector<PolicyEpisode> out;
    for (const PolicyEpisode& e : history.episodes)
        if (e.direction < 0 && e.cycleStart && e.start >= since) out.push_back(e);
    return out;
}

}  // namespace rotor
