// SPDX-License-Identifier: MIT
#include "engine/strategy/market_view.hpp"

#include "engine/core/error.hpp"

#include <algorithm>
#include <array>
#include <memory>

namespace rotor {

double MarketView::cashGrowth(Index from, Index to) const {
    check(from);
    check(to);
    // Day by day in order, from the paths' accrual caches where they have them (Path::accrual:
    // the same factors); day 0 accrues from the history's last day, which neither caches.
    double g = 1.0;
    Index d = from + 1;
    if (history_ != nullptr && history_->accrual.size() == history_->days())
        for (; d <= std::min<Index>(to, -1); ++d) g *= history_->accrual(d - first_);
    for (; d <= std::min<Index>(to, 0); ++d)
        g *= cashAccrual(cashRate(d - 1), date(d) - date(d - 1));
    if (path_->accrual.size() == path_->days())
        for (; d <= to; ++d) g *= path_->accrual(d);
    for (; d <= to; ++d) g *= cashAccrual(cashRate(d - 1), date(d) - date(d - 1));
    return g;
}

double MarketView::priceSum(Index from, Index to, Index asset) const {
    check(from);
    check(to);
    double sum = 0.0;
    Index d = from;
    for (; d <= std::min<Index>(to, -1); ++d) sum += history_->prices(d - first_, asset);
    for (; d <= to; ++d) sum += path_->prices(d, asset);
    return sum;
}

namespace {

// Adds n strided terms into eight chains, term k into chain k % 8: the trend test's 200-day
// sums are bound by the chains' add latency, not by the loads.
void addEightWays(const double* p, Index stride, Index n, double (&s)[8]) {
    Index k = 0;
    for (; k + 8 <= n; k += 8) {
        s[0] += p[k * stride];
        s[1] += p[(k + 1) * stride];
        s[2] += p[(k + 2) * stride];
        s[3] += p[(k + 3) * stride];
        s[4] += p[(k + 4) * stride];
        s[5] += p[(k + 5) * stride];
        s[6] += p[(k + 6) * stride];
        s[7] += p[(k + 7) * stride];
    }
    for (; k < n; ++k) s[k & 7] += p[k * stride];
}

// Multiplies n factors into eight chains, factor j into chain (k + j) % 8, and advances k by n:
// the chains see the factors in the order a single loop over (k & 7) would give them.
void mulEightWays(const double* a, Index n, Index& k, double (&g)[8]) {
    Index j = 0;
    for (; j < n && (k & 7) != 0; ++j, ++k) g[k & 7] *= a[j];
    for (; j + 8 <= n; j += 8, k += 8) {
        g[0] *= a[j];
        g[1] *= a[j + 1];
        g[2] *= a[j + 2];
        g[3] *= a[j + 3];
        g[4] *= a[j + 4];
        g[5] *= a[j + 5];
        g[6] *= a[j + 6];
        g[7] *= a[j + 7];
    }
    for (; j < n; ++j, ++k) g[k & 7] *= a[j];
}

// The history's part of a fast sum or product: the chains after its days from..last (or
// from + 1..last for cash), kept per thread. A forward scenario's paths share one history and
// decide on the same calendar days, so each window's history part is the same on every path;
// only the path's days are added per call, to the same chains in the same order.
struct HistoryChains {
    Index from = 0;
    Index last = 0;
    Index asset = kNoChains;  // kCashChains for the cash product
    double c[8] = {};
    static constexpr Index kNoChains = -2;
    static constexpr Index kCashChains = -1;
};

struct HistoryChainCache {
    // The history the chains were taken from: owner-equivalence with a weak reference cannot
    // match a later history at a reused address (its control block stays allocated).
    std::weak_ptr<const Path> owner;
    const Path* history = nullptr;
    std::array<HistoryChains, 256> slots;
    std::size_t used = 0;

    // The slot holding (from, last, asset), or the empty slot the caller fills with it. Open
    // addressing (a direct-mapped table would recompute colliding windows on every path); all
    // slots are emptied when the history changes or three quarters are used.
    HistoryChains& slot(const std::shared_ptr<const Path>& h, Index from, Index last, Index asset) {
        if (history != h.get() || owner.owner_before(h) || h.owner_before(owner) ||
            used >= slots.size() / 4 * 3) {
            owner = h;
            history = h.get();
            for (HistoryChains& s : slots) s.asset = HistoryChains::kNoChains;
            used = 0;
        }
        const auto key = static_cast<std::size_t>(from * 8 + (last - from) * 5 + asset);
        std::size_t i = (key * 0x9E3779B97F4A7C15ULL) >> 56;
        for (;; i = (i + 1) & (slots.size() - 1)) {
            HistoryChains& s = slots[i];
            if (s.asset == HistoryChains::kNoChains) {
                ++used;
                return s;
            }
            if (s.from == from && s.last == last && s.asset == asset) return s;
        }
    }
};

thread_local HistoryChainCache historyChains;

}  // namespace

double MarketView::cashGrowthFast(Index from, Index to) const {
    check(from);
    check(to);
    const bool cached = path_->accrual.size() == path_->days() &&
                        (from >= 0 || history_->accrual.size() == history_->days());
    if (!cached || from >= to) return cashGrowth(from, to);
    double g[8] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    Index k = 0;  // day from + 1 + k goes to chain k % 8
    // The history's days (d <= -1), day 0's factor from the join, then the path's days, each
    // range read straight from its cache.
    Index d = from + 1;
    if (d <= -1) {
        const Index last = std::min<Index>(to, -1);
        HistoryChains& h = historyChains.slot(path_->history, from, last,
                                              HistoryChains::kCashChains);
        if (h.asset != HistoryChains::kCashChains || h.from != from || h.last != last) {
            mulEightWays(history_->accrual.data() + (d - first_), last - d + 1, k, g);
            h = HistoryChains{from,
                              last,
                              HistoryChains::kCashChains,
                              {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]}};
        } else {
            std::copy(h.c, h.c + 8, g);
        }
        k = last - d + 1;
        d = last + 1;
    }
    if (d == 0 && d <= to) {
        g[k & 7] *= cashAccrual(cashRate(-1), date(0) - date(-1));
        ++k;
        ++d;
    }
    if (d <= to) mulEightWays(path_->accrual.data() + d, to - d + 1, k, g);
    return ((g[0] * g[1]) * (g[2] * g[3])) * ((g[4] * g[5]) * (g[6] * g[7]));
}

double MarketView::priceSumFast(Index from, Index to, Index asset) const {
    check(from);
    check(to);
    double s[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    const Index split = std::min<Index>(to + 1, 0);  // first path day of the range (or to + 1)
    // Row-major prices: consecutive days of one asset are a row apart.
    if (from < split) {
        HistoryChains& h = historyChains.slot(path_->history, from, split - 1, asset);
        if (h.asset != asset || h.from != from || h.last != split - 1) {
            addEightWays(history_->prices.data() + (from - first_) * history_->prices.cols() +
                             asset,
                         history_->prices.cols(), split - from, s);
            h = HistoryChains{
                from, split - 1, asset, {s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]}};
        } else {
            std::copy(h.c, h.c + 8, s);
        }
    }
    const Index start = std::max<Index>(from, 0);
    if (start <= to)
        addEightWays(path_->prices.data() + start * path_->prices.cols() + asset,
                     path_->prices.cols(), to - start + 1, s);
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

void MarketView::lookAhead(Index day) const {
    ROTOR_REQUIRE(false, "look-ahead: strategy asked for day "
                             << day << " on day " << today_ << " (only " << first_ << ".." << today_
                             << " are visible)");
}

}  // namespace rotor
