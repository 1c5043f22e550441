// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/select.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace rotor {

SelectAssets::SelectAssets(std::vector<Index> assets) : assets_(std::move(assets)) {}

void SelectAssets::select(RebalanceContext& ctx) const {
    ctx.selected.clear();
    for (Index a : assets_) ctx.selected.push_back(a);
}

double momentumScore(const MarketView& view, Index asset, long lookback, long skip) {
    const Index end = view.today() - skip;
    return view.price(end, asset) / view.price(end - lookback, asset) - 1.0;
}

double riskAdjustedScore(const MarketView& view, Index asset, long lookback, long skip) {
    const Index end = view.today() - skip;
    const double ret = view.price(end, asset) / view.price(end - lookback, asset) - 1.0;
    if (lookback < 2) return 0.0;  // no volatility from one return (the step needs >= 2)
    const auto daily = [&](Index d) {
        return view.price(d, asset) / view.price(d - 1, asset) - 1.0;
    };
    double sum = 0.0;
    for (Index d = end - lookback + 1; d <= end; ++d) sum += daily(d);
    const double n = static_cast<double>(lookback);
    const double mean = sum / n;
    double dev = 0.0;  // two passes: no cancellation for near-constant returns
    for (Index d = end - lookback + 1; d <= end; ++d) dev += (daily(d) - mean) * (daily(d) - mean);
    const double vol = std::sqrt(252.0 * dev / (n - 1.0));
    if (vol > 0.0) return ret / vol;
    if (ret == 0.0) return 0.0;
    return ret > 0.0 ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity();
}

const char* rankScoreName(RankScore score) {
    switch (score) {
        case RankScore::Return: return "return";
        case RankScore::RiskAdjusted: return "risk_adjusted";
    }
    return "?";
}

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double rankScore(const MarketView& view, Index asset, long lookback, long skip, RankScore kind) {
    return kind == RankScore::Return ? momentumScore(view, asset, lookback, skip)
                                     : riskAdjustedScore(view, asset, lookback, skip);
}

// Keeps the k slots that `better` ranks first, in that order. Each slot is scored once; a
// partial selection sort that rotates the winner to the front (instead of swapping) keeps the
// rest in selection order, so a strict comparison hands every tie to the earlier asset. Cash
// slots (left by an earlier filter) score `cashScore`, the worst value for `better`, so they rank
// last. The kept assets' scores go to ctx.scores times `orient` (+1: higher preferred).
template <class Better>
void keepBest(RebalanceContext& ctx, long lookback, long skip, long kMax, Index fallback,
              RankScore kind, double cashScore, double orient, Better better) {
    auto& sel = ctx.selected;
    const Index n = ctx.view->assets();
    if (ctx.scores.size() != n) ctx.scores.resize(n);
    ctx.scores.setConstant(std::numeric_limits<double>::quiet_NaN());
    if (!momentumFilled(*ctx.view, lookback, skip)) {
        sel.clear();
        sel.push_back(fallback);
        return;
    }
    auto& score = ctx.slotScores;
    if (score.size() < sel.size()) score.resize(sel.size());  // only outside AlgoStrategy
    for (std::size_t i = 0; i < sel.size(); ++i)
        score[i] = sel[i] == kCash ? cashScore : rankScore(*ctx.view, sel[i], lookback, skip, kind);
    const std::size_t k = std::min(sel.size(), static_cast<std::size_t>(kMax));
    for (std::size_t j = 0; j < k; ++j) {
        std::size_t best = j;
        for (std::size_t i = j + 1; i < sel.size(); ++i)
            if (better(score[i], score[best])) best = i;
        const auto at = [&](auto& v, std::size_t i) {
            return v.begin() + static_cast<std::ptrdiff_t>(i);
        };
        std::rotate(at(sel, j), at(sel, best), at(sel, best + 1));
        std::rotate(at(score, j), at(score, best), at(score, best + 1));
    }
    sel.resize(k);
    for (std::size_t j = 0; j < k; ++j)
        if (sel[j] != kCash) ctx.scores(sel[j]) = orient * score[j];
}

// The top / bottom momentum steps' arguments, as their YAML parsers bound them.
void checkRanking(long lookback, long skip, long k, RankScore score) {
    ROTOR_REQUIRE(lookback >= 1 && skip >= 0 && k >= 1,
                  "momentum needs lookback >= 1, skip >= 0, k >= 1; got " << lookback << ", "
                                                                          << skip << ", " << k);
    ROTOR_REQUIRE(score != RankScore::RiskAdjusted || lookback >= 2,
                  "a risk-adjusted score needs lookback >= 2, got " << lookback);
}

}  // namespace

SelectTopMomentum::SelectTopMomentum(long lookback, long skip, long k, Index fallback,
                                     RankScore score)
    : lookback_(lookback), skip_(skip), k_(k), fallback_(fallback), score_(score) {
    checkRanking(lookback, skip, k, score);
}

void SelectTopMomentum::select(RebalanceContext& ctx) const {
    keepBest(ctx, lookback_, skip_, k_, fallback_, score_, -kInfinity, 1.0,
             [](double s, double best) { return s > best; });
}

SelectBottomMomentum::SelectBottomMomentum(long lookback, long skip, long k, Index fallback,
                                           RankScore score)
    : lookback_(lookback), skip_(skip), k_(k), fallback_(fallback), score_(score) {
    checkRanking(lookback, skip, k, score);
}

void SelectBottomMomentum::select(RebalanceContext& ctx) const {
    keepBest(ctx, lookback_, skip_, k_, fallback_, score_, kInfinity, -1.0,
             [](double s, double best) { return s < best; });
}

FilterAbsoluteMomentum::FilterAbsoluteMomentum(long lookback, long skip, Index fallback)
    : lookback_(lookback), skip_(skip), fallback_(fallback) {
    ROTOR_REQUIRE(lookback >= 1 && skip >= 0,
                  "absolute momentum needs lookback >= 1, skip >= 0; got " << lookback << ", "
                                                                           << skip);
}

void FilterAbsoluteMomentum::select(RebalanceContext& ctx) const {
    const Index t = ctx.today();
    const bool filled = momentumFilled(*ctx.view, lookback_, skip_);
    // Cash's growth from the fast product first (cashGrowthFast): a score whose 1 + score is
    // further than kTieMargin (relative) from it, well above the 2 n 2^-53 the two products may
    // differ by (n <= 1000 days) and the roundings of 1 + score and growth - 1, is on the same
    // side of the day-order product's return; only a near tie computes that.
    constexpr double kTieMargin = 1e-12;
    const Index from = t - skip_ - lookback_;
    double fast = 0.0;
    std::optional<double> cashReturn;
    if (filled) {
        if (lookback_ <= 1000)
            fast = ctx.view->cashGrowthFast(from, t - skip_);
        else
            cashReturn = ctx.view->cashGrowth(from, t - skip_) - 1.0;
    }
    for (Index& slot : ctx.selected) {
        if (slot == kCash) continue;
        if (!filled) {
            slot = fallback_;
            continue;
        }
        const double score = momentumScore(*ctx.view, slot, lookback_, skip_);
        const double gap = (score + 1.0) - fast;
        const double margin = kTieMargin * (fast + 1.0);
        bool below = false;
        if (!cashReturn && gap < -margin) {
            below = true;
        } else if (!cashReturn && gap > margin) {
            below = false;
        } else {
            if (!cashReturn) cashReturn = ctx.view->cashGrowth(from, t - skip_) - 1.0;
            below = score < *cashReturn;
        }
        if (below) slot = fallback_;
    }
}

namespace {

// price(to) > (priceSum(from, to) / n), the trend test, without the day-order chain of n
// additions unless the test is close. priceSumFast is within 2 (n - 1) 2^-53 of priceSum
// (relative; both are within (n - 1) 2^-53 of the exact sum of positive prices), and with the
// roundings of n * price, of the margin's product and of the mean's division, a price more than
// kTieMargin away from the fast mean (n <= kMaxWindow) is on the same side of the exact-order one.
bool aboveMean(const MarketView& view, Index from, Index to, Index asset) {
    constexpr double kTieMargin = 1e-12;
    constexpr Index kMaxWindow = 1000;  // 2 n 2^-53 < 2.3e-13
    const double price = view.price(to, asset);
    const Index n = to - from + 1;
    const auto nd = static_cast<double>(n);
    if (n <= kMaxWindow) {
        const double fast = view.priceSumFast(from, to, asset);
        if (price * nd > fast * (1.0 + kTieMargin)) return true;
        if (price * nd < fast * (1.0 - kTieMargin)) return false;
    }
    return price > view.priceSum(from, to, asset) / nd;
}

}  // namespace

FilterTrend::FilterTrend(long window, Index fallback) : window_(window), fallback_(fallback) {
    ROTOR_REQUIRE(window >= 2, "trend filter needs a window >= 2, got " << window);
}

void FilterTrend::select(RebalanceContext& ctx) const {
    const Index t = ctx.today();
    const bool filled = t - window_ + 1 >= ctx.view->firstDay();
    for (Index& slot : ctx.selected) {
        if (slot == kCash) continue;
        if (!filled) {
            slot = fallback_;
            continue;
        }
        if (!aboveMean(*ctx.view, t - window_ + 1, t, slot)) slot = fallback_;
    }
}

SelectRateRegime::SelectRateRegime(std::vector<Index> easing, std::vector<Index> other,
                                   long lookback, double thresholdBp, Index fallback)
    : easing_(std::move(easing)),
      other_(std::move(other)),
      lookback_(lookback),
      thresholdPercent_(thresholdBp / 100.0),
      fallback_(fallback) {
    ROTOR_REQUIRE(lookback >= 1, "rate regime needs lookback >= 1, got " << lookback);
}

void SelectRateRegime::select(RebalanceContext& ctx) const {
    const Index t = ctx.today();
    auto& sel = ctx.selected;
    sel.clear();
    if (t - lookback_ < ctx.view->firstDay()) {
        sel.push_back(fallback_);
        return;
    }
    const MarketView& v = *ctx.view;
    const bool easing = v.cashRate(t) < v.cashRate(t - lookback_) - thresholdPercent_;
    if (!easing && other_.empty()) {
        sel.push_back(fallback_);
        return;
    }
    for (Index a : easing ? easing_ : other_) sel.push_back(a);
}

SelectRateRegimeBand::SelectRateRegimeBand(std::vector<Index> easing, std::vector<Index> other,
                                           long lookback, double enterBp, double exitBp,
                                           Index fallback, std::size_t memoryAt)
    : easing_(std::move(easing)),
      other_(std::move(other)),
      lookback_(lookback),
      enterPercent_(enterBp / 100.0),
      exitPercent_(exitBp / 100.0),
      fallback_(fallback),
      memoryAt_(memoryAt) {
    ROTOR_REQUIRE(lookback >= 1 && enterBp > 0.0 && exitBp >= 0.0 && exitBp <= enterBp,
                  "rate regime needs lookback >= 1 and enter_bp >= exit_bp >= 0, enter_bp > 0; got "
                      << lookback << ", " << enterBp << ", " << exitBp);
}

bool SelectRateRegimeBand::easing(RebalanceContext& ctx) const {
    const MarketView& v = *ctx.view;
    const Index t = v.today();
    ROTOR_REQUIRE(memoryAt_ + 2 <= ctx.memory.size(),
                  "rate regime memory at " << memoryAt_ << " outside " << ctx.memory.size());
    double& lastDay = ctx.memory[memoryAt_];
    double& state = ctx.memory[memoryAt_ + 1];
    Index from = v.firstDay() + lookback_;
    bool on = false;
    if (!std::isnan(lastDay)) {
        from = static_cast<Index>(lastDay) + 1;
        on = state > 0.5;
    }
    // Rates are in percent; 1e-9 absorbs the rounding of differences such as 5.0 - 4.9.
    constexpr double kTolerance = 1e-9;
    for (Index d = from; d <= t; ++d) {
        const double fall = v.cashRate(d - lookback_) - v.cashRate(d);
        if (!on && fall >= enterPercent_ - kTolerance)
            on = true;
        else if (on && fall < exitPercent_ - kTolerance)
            on = false;
    }
    lastDay = static_cast<double>(t);
    state = on ? 1.0 : 0.0;
    return on;
}

void SelectRateRegimeBand::select(RebalanceContext& ctx) const {
    auto& sel = ctx.selected;
    sel.clear();
    if (ctx.today() - lookback_ < ctx.view->firstDay()) {
        sel.push_back(fallback_);
        return;
    }
    const bool on = easing(ctx);
    if (!on && other_.empty()) {
        sel.push_back(fallback_);
        return;
    }
    for (Index a : on ? easing_ : other_) sel.push_back(a);
}

}  // namespace rotor
