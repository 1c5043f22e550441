// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/select.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <limits>

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

SelectTopMomentum::SelectTopMomentum(long lookback, long skip, long k, Index fallback)
    : lookback_(lookback), skip_(skip), k_(k), fallback_(fallback) {
    ROTOR_REQUIRE(lookback >= 1 && skip >= 0 && k >= 1,
                  "momentum needs lookback >= 1, skip >= 0, k >= 1; got " << lookback << ", "
                                                                          << skip << ", " << k);
}

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Keeps the k slots that `better` ranks first, in that order. Partial selection sort: rotating
// the winner to the front (instead of swapping) keeps the rest in selection order, so a strict
// comparison hands every tie to the earlier asset. Cash slots (left by an earlier filter) score
// `cashScore`, the worst value for `better`, so they rank last.
template <class Better>
void keepBestMomentum(RebalanceContext& ctx, long lookback, long skip, long kMax, Index fallback,
                      double cashScore, Better better) {
    auto& sel = ctx.selected;
    if (!momentumFilled(*ctx.view, lookback, skip)) {
        sel.clear();
        sel.push_back(fallback);
        return;
    }
    const std::size_t k = std::min(sel.size(), static_cast<std::size_t>(kMax));
    for (std::size_t j = 0; j < k; ++j) {
        std::size_t best = j;
        const auto score = [&](Index slot) {
            return slot == kCash ? cashScore : momentumScore(*ctx.view, slot, lookback, skip);
        };
        double bestScore = score(sel[j]);
        for (std::size_t i = j + 1; i < sel.size(); ++i) {
            const double s = score(sel[i]);
            if (better(s, bestScore)) {
                best = i;
                bestScore = s;
            }
        }
        const auto first = sel.begin() + static_cast<std::ptrdiff_t>(j);
        std::rotate(first, sel.begin() + static_cast<std::ptrdiff_t>(best),
                    sel.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    }
    sel.resize(k);
}

}  // namespace

void SelectTopMomentum::select(RebalanceContext& ctx) const {
    keepBestMomentum(ctx, lookback_, skip_, k_, fallback_, -kInfinity,
                     [](double s, double best) { return s > best; });
}

SelectBottomMomentum::SelectBottomMomentum(long lookback, long skip, long k, Index fallback)
    : lookback_(lookback), skip_(skip), k_(k), fallback_(fallback) {
    ROTOR_REQUIRE(lookback >= 1 && skip >= 0 && k >= 1,
                  "momentum needs lookback >= 1, skip >= 0, k >= 1; got " << lookback << ", "
                                                                          << skip << ", " << k);
}

void SelectBottomMomentum::select(RebalanceContext& ctx) const {
    keepBestMomentum(ctx, lookback_, skip_, k_, fallback_, kInfinity,
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
    double cashReturn = 0.0;
    if (filled) cashReturn = ctx.view->cashGrowth(t - skip_ - lookback_, t - skip_) - 1.0;
    for (Index& slot : ctx.selected) {
        if (slot == kCash) continue;
        if (!filled || momentumScore(*ctx.view, slot, lookback_, skip_) < cashReturn)
            slot = fallback_;
    }
}

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
        double sum = 0.0;
        for (Index d = t - window_ + 1; d <= t; ++d) sum += ctx.view->price(d, slot);
        const double sma = sum / static_cast<double>(window_);
        if (!(ctx.view->price(t, slot) > sma)) slot = fallback_;
    }
}

}  // namespace rotor
