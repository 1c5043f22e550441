// SPDX-License-Identifier: MIT
// SVG geometry: axes with "nice" ticks, legends, decimated polylines, bands, bars and boxes.
#include "engine/report/svg_chart.hpp"

#include "engine/core/date.hpp"
#include "engine/montecarlo/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace rotor::report {

const std::string& paletteColor(std::size_t i) {
    static const std::vector<std::string> palette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                     "#56B4E9", "#D55E00", "#F0E442", "#7f7f7f",
                                                     "#8c564b", "#17becf"};
    return palette[i % palette.size()];
}

std::string xmlEscape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {

constexpr int kLeft = 64, kRight = 16, kBottom = 28, kTitle = 20, kLegendRow = 16;
// Above this many points a series is reduced to per-bucket min and max (extremes survive).
constexpr std::size_t kMaxPoints = 600;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string tickLabel(double v, Unit unit, double step) {
    char buf[32];
    const int decimals = step >= 1 ? 0
                                   : std::min(4, static_cast<int>(std::ceil(-std::log10(step))));
    switch (unit) {
        case Unit::Loss:
        case Unit::Fraction: {
            const double pct = v * 100.0;
            const int d = step * 100.0 >= 1 ? 0 : std::min(3, decimals - 2 > 0 ? decimals - 2 : 1);
            std::snprintf(buf, sizeof buf, "%.*f%%", d, pct);
            break;
        }
        case Unit::Percent: std::snprintf(buf, sizeof buf, "%.*f%%", decimals, v); break;
        case Unit::WealthReturn:
        case Unit::Wealth: std::snprintf(buf, sizeof buf, "%.*fx", std::max(decimals, 1), v); break;
        case Unit::Currency:
            if (std::fabs(v) >= 1e6)
                std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
            else if (std::fabs(v) >= 1e3)
                std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
            else
                std::snprintf(buf, sizeof buf, "%.0f", v);
            break;
        case Unit::Ratio: std::snprintf(buf, sizeof buf, "%.*f", decimals, v); break;
    }
    return buf;
}

double niceStep(double range, int target) {
    if (!(range > 0)) return 1.0;
    const double raw = range / target;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

// Value range over finite values, padded; a flat series gets a unit-sized window.
std::pair<double, double> range(const std::vector<const std::vector<double>*>& all) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* v : all)
        for (double x : *v)
            if (std::isfinite(x)) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (!std::isfinite(lo)) return {0.0, 1.0};
    if (hi - lo < 1e-12) {
        const double pad = std::max(std::fabs(lo) * 0.05, 1e-3);
        return {lo - pad, hi + pad};
    }
    const double pad = (hi - lo) * 0.04;
    return {lo - pad, hi + pad};
}

// Positive value range, padded by 4% of its span in log terms; a flat series gets +-5%.
std::pair<double, double> logRange(const std::vector<const std::vector<double>*>& all) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* v : all)
        for (double x : *v)
            if (std::isfinite(x) && x > 0) {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (!std::isfinite(lo)) return {0.1, 10.0};
    if (hi / lo < 1.0 + 1e-12) return {lo / 1.05, hi * 1.05};
    const double pad = std::pow(hi / lo, 0.04);
    // Within the positive finite doubles, whatever the file holds.
    return {std::max(lo / pad, std::numeric_limits<double>::min()),
            std::min(hi * pad, std::numeric_limits<double>::max())};
}

// Log-axis ticks in [lo, hi]: 1-2-5 per decade, all nine digits when that gives fewer than
// three, only the powers of ten when it gives more than eight.
std::vector<double> logTicks(double lo, double hi) {
    // A damaged results file can hold values whose padded range leaves the doubles (0 or inf):
    // no ticks then, rather than an exponent no int holds.
    if (!(lo > 0.0) || !std::isfinite(hi) || !(hi >= lo)) return {};
    const auto ticks = [&](std::initializer_list<double> digits) {
        std::vector<double> out;
        for (int e = static_cast<int>(std::floor(std::log10(lo)));
             e <= static_cast<int>(std::ceil(std::log10(hi))); ++e)
            for (double d : digits) {
                const double v = d * std::pow(10.0, e);
                if (std::isfinite(v) && v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12))
                    out.push_back(v);
            }
        return out;
    };
    std::vector<double> t = ticks({1, 2, 5});
    if (t.size() < 3) t = ticks({1, 2, 3, 4, 5, 6, 7, 8, 9});
    if (t.size() > 8) t = ticks({1});
    return t;
}

}  // namespace

std::vector<std::pair<std::size_t, std::string>> calendarTicks(
    const std::vector<std::string>& dates) {
    std::vector<std::pair<std::size_t, std::string>> out;
    const std::size_t n = dates.size();
    if (n == 0) return out;
    // Labels that are not ISO dates have no calendar: about six evenly spaced ones.
    if (!std::all_of(dates.begin(), dates.end(),
                     [](const std::string& d) { return Date::parseIso(d).has_value(); })) {
        const std::size_t ticks = std::min<std::size_t>(6, n);
        for (std::size_t k = 0; k < ticks; ++k) {
            const std::size_t i = ticks == 1 ? 0 : k * (n - 1) / (ticks - 1);
            out.push_back({i, dates[i]});
        }
        return out;
    }
    auto year = [&](std::size_t i) { return std::stoi(dates[i].substr(0, 4)); };
    auto month = [&](std::size_t i) { return std::stoi(dates[i].substr(5, 2)); };
    constexpr std::size_t kMaxTicks = 8;
    // Years: the first trading day of every k-th year (k = 1, 2, 5, 10, ...; years divisible
    // by k), once the data crosses at least three year boundaries.
    std::vector<std::size_t> yearStarts, monthStarts, weekStarts;
    for (std::size_t i = 1; i < n; ++i) {
        if (year(i) != year(i - 1)) yearStarts.push_back(i);
        if (month(i) != month(i - 1)) monthStarts.push_back(i);
        const auto a = Date::parseIso(dates[i - 1]), b = Date::parseIso(dates[i]);
        if (a && b && (b->weekday() < a->weekday() || *b - *a >= 7)) weekStarts.push_back(i);
    }
    if (yearStarts.size() >= 3) {
        for (int k : {1, 2, 5, 10, 20, 25, 50, 100}) {
            out.clear();
            for (std::size_t i : yearStarts)
                if (year(i) % k == 0) out.push_back({i, dates[i].substr(0, 4)});
            if (out.size() <= kMaxTicks) break;
        }
        return out;
    }
    // Months: the first trading day of every k-th month (k = 1, 2, 3, 6, 12), "YYYY-MM".
    if (monthStarts.size() >= 2) {
        for (int k : {1, 2, 3, 6, 12}) {
            out.clear();
            for (std::size_t i : monthStarts)
                if ((month(i) - 1) % k == 0) out.push_back({i, dates[i].substr(0, 7)});
            if (out.size() <= kMaxTicks) break;
        }
        return out;
    }
    // Weeks: the first trading day of each week (every k-th), as an ISO date.
    std::size_t k = 1;
    while (weekStarts.size() / k > kMaxTicks) ++k;
    for (std::size_t j = 0; j < weekStarts.size(); j += k)
        out.push_back({weekStarts[j], dates[weekStarts[j]]});
    return out;
}

namespace {

// Plot area geometry plus the SVG being written.
class Canvas {
public:
    Canvas(const ChartFrame& f, std::size_t legendItems, const std::vector<std::string>& labels)
        : f_(f) {
        // Lay legend entries out left to right, wrapping at the plot width.
        double x = kLeft, row = 0;
        for (std::size_t i = 0; i < legendItems; ++i) {
            const double w = 24 + 7.0 * static_cast<double>(labels[i].size()) + 14;  // 11px text
            if (x + w > f.width - kRight && x > kLeft) {
                x = kLeft;
                ++row;
            }
            legendPos_.push_back({x, kTitle + 4 + row * kLegendRow});
            x += w;
        }
        top_ = kTitle + 8 + (legendItems ? (row + 1) * kLegendRow : 0);
        os_ << "<svg class=\"chart " << xmlEscape(f.kind)
            << "\" xmlns=\"http://www.w3.org/2000/svg\""
            << " viewBox=\"0 0 " << f.width << ' ' << f.height << "\" width=\"" << f.width
            << "\" height=\"" << f.height << "\" role=\"img\"><title>" << xmlEscape(f.title)
            << "</title><text class=\"ct\" x=\"" << kLeft << "\" y=\"14\">" << xmlEscape(f.title)
            << "</text>";
    }

    double left() const { return kLeft; }
    double right() const { return f_.width - kRight; }
    double top() const { return top_; }
    double bottom() const { return f_.height - kBottom; }
    std::ostringstream& out() { return os_; }

    // A box swatch is drawn at `opacity`, the look of the area it names.
    void legend(std::size_t i, const std::string& label, const std::string& color, bool dashed,
                bool box, double opacity = 0.6) {
        const auto [x, y] = legendPos_[i];
        if (box)
            os_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y + 3)
                << "\" width=\"18\" height=\"8\""
                << " fill=\"" << color << "\" fill-opacity=\"" << opacity << "\" stroke=\"" << color
                << "\" stroke-opacity=\"0.5\" stroke-width=\"0.5\"/>";
        else
            os_ << "<line x1=\"" << num(x) << "\" y1=\"" << num(y + 7) << "\" x2=\"" << num(x + 18)
                << "\" y2=\"" << num(y + 7) << "\" stroke=\"" << color << "\" stroke-width=\"2\""
                << (dashed ? " stroke-dasharray=\"5 3\"" : "") << "/>";
        os_ << "<text class=\"lg\" x=\"" << num(x + 24) << "\" y=\"" << num(y + 11) << "\">"
            << xmlEscape(label) << "</text>";
    }

    // Horizontal grid lines and labels for [lo, hi] mapped onto the plot's height (lo > 0 on a
    // log axis).
    void yAxis(double lo, double hi) {
        lo_ = lo;
        hi_ = hi;
        if (f_.logY) {
            for (double v : logTicks(lo, hi))
                yTick(v, tickLabel(v, f_.yUnit, std::pow(10.0, std::floor(std::log10(v)))));
            return;
        }
        const double step = niceStep(hi - lo, 5);
        for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
            yTick(v, tickLabel(std::fabs(v) < step * 1e-9 ? 0.0 : v, f_.yUnit, step));
    }

    // Date ticks on calendar boundaries (calendarTicks), with a grid line each.
    void xDates(std::size_t n) {
        n_ = n;
        os_ << "<line class=\"axis\" x1=\"" << kLeft << "\" y1=\"" << num(bottom()) << "\" x2=\""
            << num(right()) << "\" y2=\"" << num(bottom()) << "\"/>";
        if (n == 0 || f_.dates.empty()) return;
        std::vector<std::string> dates(f_.dates.begin(),
                                       f_.dates.begin() + static_cast<std::ptrdiff_t>(
                                                              std::min(n, f_.dates.size())));
        for (const auto& [i, label] : calendarTicks(dates)) {
            const double x = xOf(static_cast<double>(i));
            // Labels near an edge are anchored inwards so that they stay inside the chart.
            const double half = 3.3 * static_cast<double>(label.size());
            const char* anchor = x - half < 0 ? "start" : x + half > f_.width ? "end" : "middle";
            os_ << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << num(top()) << "\" x2=\""
                << num(x) << "\" y2=\"" << num(bottom()) << "\"/><text class=\"tk xt\" x=\""
                << num(x) << "\" y=\"" << num(bottom() + 16) << "\" text-anchor=\"" << anchor
                << "\">" << xmlEscape(label) << "</text>";
        }
    }

    // A vertical dashed line at day index i with a label at its top.
    void xMarker(std::size_t i, const std::string& label) {
        const double x = xOf(static_cast<double>(i));
        const bool flip = x > left() + 0.75 * (right() - left());
        os_ << "<line class=\"marker\" x1=\"" << num(x) << "\" y1=\"" << num(top()) << "\" x2=\""
            << num(x) << "\" y2=\"" << num(bottom())
            << "\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
            << "<text class=\"tk\" x=\"" << num(flip ? x - 4 : x + 4) << "\" y=\""
            << num(top() + 10) << "\" text-anchor=\"" << (flip ? "end" : "start") << "\">"
            << xmlEscape(label) << "</text>";
    }

    double xOf(double i) const {
        return n_ <= 1 ? left() : left() + i / static_cast<double>(n_ - 1) * (right() - left());
    }
    double yOf(double v) const {
        // On a log axis a value below the range (only v <= 0 can be) sits on the bottom edge.
        const double t = f_.logY ? std::log(std::max(v, lo_) / lo_) / std::log(hi_ / lo_)
                                 : (v - lo_) / (hi_ - lo_);
        return bottom() - t * (bottom() - top());
    }
    // Whether `v` can be placed on the y axis (a log axis has no place for v <= 0).
    bool drawable(double v) const { return std::isfinite(v) && (!f_.logY || v > 0); }

    void yTick(double v, const std::string& label) {
        const double y = yOf(v);
        os_ << "<line class=\"grid\" x1=\"" << kLeft << "\" y1=\"" << num(y) << "\" x2=\""
            << num(right()) << "\" y2=\"" << num(y) << "\"/><text class=\"tk\" x=\"" << kLeft - 4
            << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">" << label << "</text>";
    }

    std::string finish() {
        os_ << "</svg>";
        return os_.str();
    }

private:
    const ChartFrame& f_;
    std::vector<std::pair<double, double>> legendPos_;
    double top_ = 0;
    double lo_ = 0, hi_ = 1;
    std::size_t n_ = 0;
    std::ostringstream os_;
};

// Day indices to draw: all when short, else per bucket the first, min and max (time order).
std::vector<std::size_t> decimate(const std::vector<double>& y, std::size_t maxPoints) {
    std::vector<std::size_t> idx;
    maxPoints = std::max<std::size_t>(maxPoints, 3);
    if (y.size() <= maxPoints) {
        for (std::size_t i = 0; i < y.size(); ++i) idx.push_back(i);
        return idx;
    }
    const std::size_t buckets = maxPoints / 3;
    const std::size_t size = (y.size() + buckets - 1) / buckets;
    for (std::size_t b = 0; b * size < y.size(); ++b) {
        const std::size_t from = b * size, to = std::min(y.size(), from + size);
        std::size_t mn = from, mx = from;
        for (std::size_t i = from; i < to; ++i) {
            if (y[i] < y[mn]) mn = i;
            if (y[i] > y[mx]) mx = i;
        }
        std::vector<std::size_t> pick = {from, mn, mx};
        std::sort(pick.begin(), pick.end());
        pick.erase(std::unique(pick.begin(), pick.end()), pick.end());
        idx.insert(idx.end(), pick.begin(), pick.end());
    }
    if (idx.back() != y.size() - 1) idx.push_back(y.size() - 1);
    return idx;
}

// Evenly strided day indices (bands and stacks must share x positions across series).
std::vector<std::size_t> stride(std::size_t n) {
    std::vector<std::size_t> idx;
    const std::size_t step = n <= kMaxPoints ? 1 : (n + kMaxPoints - 1) / kMaxPoints;
    for (std::size_t i = 0; i < n; i += step) idx.push_back(i);
    if (n && idx.back() != n - 1) idx.push_back(n - 1);
    return idx;
}

std::size_t longest(const std::vector<LineSeries>& lines, const std::vector<BandSeries>& bands) {
    std::size_t n = 0;
    for (const auto& l : lines) n = std::max(n, l.y.size());
    for (const auto& b : bands) n = std::max(n, b.lo.size());
    return n;
}

}  // namespace

std::string lineChart(const ChartFrame& frame, const std::vector<BandSeries>& bands,
                      const std::vector<LineSeries>& lines) {
    std::vector<std::string> labels;
    std::vector<const std::vector<double>*> all;
    for (const auto& b : bands) {
        if (!b.label.empty()) labels.push_back(b.label);
        all.push_back(&b.lo);
        all.push_back(&b.hi);
    }
    const std::size_t bandLabels = labels.size();
    for (const auto& l : lines) {
        labels.push_back(l.label);
        all.push_back(&l.y);
    }
    Canvas c(frame, labels.size(), labels);
    const auto [lo, hi] = frame.logY ? logRange(all) : range(all);
    c.yAxis(lo, hi);
    const std::size_t n = std::max(longest(lines, bands), frame.dates.size());
    c.xDates(n);
    for (const auto& [i, label] : frame.markers)
        if (i < n) c.xMarker(i, label);
    std::size_t legend = 0;
    double shown = 0.0;
    for (const auto& b : bands) {
        const std::size_t m = std::min(b.lo.size(), b.hi.size());
        const auto idx = stride(m);
        std::string d;
        for (std::size_t k = 0; k < idx.size(); ++k)
            d += (k ? "L" : "M") + num(c.xOf(static_cast<double>(idx[k]))) + "," +
                 num(c.yOf(b.hi[idx[k]]));
        for (std::size_t k = idx.size(); k-- > 0;)
            d += "L" + num(c.xOf(static_cast<double>(idx[k]))) + "," + num(c.yOf(b.lo[idx[k]]));
        if (!idx.empty())
            c.out() << "<path d=\"" << d << "Z\" fill=\"" << b.color << "\" fill-opacity=\""
                    << b.opacity << "\" stroke=\"none\"/>";
        // Nested bands overlap: the swatch shows this band as drawn, over those outside it.
        shown = 1.0 - (1.0 - shown) * (1.0 - b.opacity);
        if (!b.label.empty()) c.legend(legend++, b.label, b.color, false, true, shown);
    }
    legend = bandLabels;
    for (const auto& l : lines) {
        std::string pts;
        for (std::size_t i : decimate(l.y, frame.maxPoints)) {
            if (!c.drawable(l.y[i])) continue;
            pts += num(c.xOf(static_cast<double>(i))) + "," + num(c.yOf(l.y[i])) + " ";
        }
        c.out() << "<polyline fill=\"none\" stroke=\"" << l.color << "\" stroke-width=\""
                << l.strokeWidth << "\"" << (l.dashed ? " stroke-dasharray=\"6 3\"" : "")
                << " points=\"" << pts << "\"/>";
        c.legend(legend++, l.label, l.color, l.dashed, false);
    }
    return c.finish();
}

std::string stackedAreaChart(const ChartFrame& frame, const std::vector<LineSeries>& layers) {
    std::vector<std::string> labels;
    for (const auto& l : layers) labels.push_back(l.label);
    Canvas c(frame, labels.size(), labels);
    std::size_t n = 0;
    for (const auto& l : layers) n = std::max(n, l.y.size());
    std::vector<double> base(n, 0.0);
    double top = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        double s = 0;
        for (const auto& l : layers)
            if (i < l.y.size() && std::isfinite(l.y[i])) s += std::max(l.y[i], 0.0);
        top = std::max(top, s);
    }
    c.yAxis(0.0, top);
    c.xDates(n);
    const auto idx = stride(n);
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const auto& l = layers[k];
        std::vector<double> next(base);
        for (std::size_t i = 0; i < n; ++i)
            if (i < l.y.size() && std::isfinite(l.y[i])) next[i] += std::max(l.y[i], 0.0);
        std::string d;
        for (std::size_t j = 0; j < idx.size(); ++j)
            d += (j ? "L" : "M") + num(c.xOf(static_cast<double>(idx[j]))) + "," +
                 num(c.yOf(next[idx[j]]));
        for (std::size_t j = idx.size(); j-- > 0;)
            d += "L" + num(c.xOf(static_cast<double>(idx[j]))) + "," + num(c.yOf(base[idx[j]]));
        if (!idx.empty())
            c.out() << "<path d=\"" << d << "Z\" fill=\"" << l.color
                    << "\" fill-opacity=\"0.75\" stroke=\"none\"/>";
        c.legend(k, l.label, l.color, false, true);
        base = std::move(next);
    }
    return c.finish();
}

std::string histogramChart(const ChartFrame& frame, const std::vector<double>& values, int bins,
                           const std::vector<std::pair<double, std::string>>& markers) {
    std::vector<double> sorted;
    for (double v : values)
        if (std::isfinite(v)) sorted.push_back(v);
    std::sort(sorted.begin(), sorted.end());
    // The y axis is the share of paths per bin (percent); frame.yUnit labels the x axis.
    ChartFrame shares = frame;
    shares.yUnit = Unit::Percent;
    Canvas c(shares, 0, {});
    const std::size_t nb = static_cast<std::size_t>(std::max(bins, 1));
    double lo = percentileOfSorted(sorted, 1), hi = percentileOfSorted(sorted, 99);
    if (sorted.empty()) lo = 0, hi = 1;
    if (!(hi - lo > 1e-12)) {
        lo -= 0.5;
        hi += 0.5;
    }
    std::vector<double> count(nb, 0.0);
    for (double v : sorted) {
        const double pos = (v - lo) / (hi - lo) * static_cast<double>(nb);
        const auto b = static_cast<std::size_t>(std::clamp(pos, 0.0, static_cast<double>(nb - 1)));
        count[b] += 1;
    }
    const double maxCount = std::max(1.0, *std::max_element(count.begin(), count.end()));
    const double total = std::max<double>(1.0, static_cast<double>(sorted.size()));
    c.yAxis(0.0, maxCount / total * 100.0 * 1.05);
    const double x0 = c.left(), x1 = c.right();
    auto xOf = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
    const double w = (x1 - x0) / static_cast<double>(nb);
    for (std::size_t b = 0; b < nb; ++b) {
        const double y = c.yOf(count[b] / total * 100.0);
        c.out() << "<rect class=\"bar\" x=\"" << num(x0 + static_cast<double>(b) * w) << "\" y=\""
                << num(y) << "\" width=\"" << num(std::max(w - 1, 0.5)) << "\" height=\""
                << num(c.bottom() - y) << "\" fill=\"" << paletteColor(0) << "\"/>";
    }
    c.out() << "<line class=\"axis\" x1=\"" << num(x0) << "\" y1=\"" << num(c.bottom())
            << "\" x2=\"" << num(x1) << "\" y2=\"" << num(c.bottom()) << "\"/>";
    const double step = niceStep(hi - lo, 6);
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        c.out() << "<text class=\"tk\" x=\"" << num(xOf(v)) << "\" y=\"" << num(c.bottom() + 16)
                << "\" text-anchor=\"middle\">" << tickLabel(v, frame.yUnit, step) << "</text>";
    // Marker labels that would collide (closer than their text is wide) go on separate rows;
    // a label near the right edge is written to the left of its line.
    std::vector<std::pair<double, double>> placed;  // x span of labels on each row, by row
    for (const auto& [v, label] : markers) {
        if (!(v >= lo && v <= hi)) continue;
        const double x = xOf(v);
        const double textW = 6.5 * static_cast<double>(label.size()) + 6;
        const bool flip = x + textW > x1;
        const double from = flip ? x - textW : x, to = flip ? x : x + textW;
        std::size_t row = 0;
        while (row < placed.size() && !(to < placed[row].first || from > placed[row].second)) ++row;
        if (row == placed.size())
            placed.push_back({from, to});
        else
            placed[row] = {std::min(placed[row].first, from), std::max(placed[row].second, to)};
        c.out() << "<line x1=\"" << num(x) << "\" y1=\"" << num(c.top()) << "\" x2=\"" << num(x)
                << "\" y2=\"" << num(c.bottom()) << "\" stroke=\"#D55E00\""
                << " stroke-dasharray=\"4 3\"/><text class=\"tk mk\" x=\""
                << num(flip ? x - 3 : x + 3) << "\" y=\""
                << num(c.top() + 10 + 13 * static_cast<double>(row)) << "\" text-anchor=\""
                << (flip ? "end" : "start") << "\">" << xmlEscape(label) << "</text>";
    }
    return c.finish();
}

std::string boxPlotChart(const ChartFrame& frame, const std::vector<BoxRow>& rows) {
    ChartFrame f = frame;
    f.height = std::max(frame.height, 60 + 26 * static_cast<int>(rows.size()));
    Canvas c(f, 0, {});
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& r : rows)
        for (double v : {r.p05, r.p95})
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-12) hi = lo + 1e-3;
    const double pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
    const double x0 = c.left() + 80, x1 = c.right();
    auto xOf = [&](double v) { return x0 + (v - lo) / (hi - lo) * (x1 - x0); };
    const double step = niceStep(hi - lo, 6);
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        c.out() << "<line class=\"grid\" x1=\"" << num(xOf(v)) << "\" y1=\"" << num(c.top())
                << "\" x2=\"" << num(xOf(v)) << "\" y2=\"" << num(c.bottom()) << "\"/><text "
                << "class=\"tk\" x=\"" << num(xOf(v)) << "\" y=\"" << num(c.bottom() + 16)
                << "\" text-anchor=\"middle\">" << tickLabel(v, f.yUnit, step) << "</text>";
    const double rowH = (c.bottom() - c.top()) /
                        static_cast<double>(std::max<std::size_t>(rows.size(), 1));
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const BoxRow& r = rows[k];
        const double y = c.top() + rowH * (static_cast<double>(k) + 0.5);
        const std::string& color = paletteColor(k);
        c.out() << "<text class=\"tk\" x=\"" << num(x0 - 6) << "\" y=\"" << num(y + 4)
                << "\" text-anchor=\"end\">" << xmlEscape(r.label) << "</text>";
        if (!std::isfinite(r.p50)) continue;
        c.out() << "<line x1=\"" << num(xOf(r.p05)) << "\" y1=\"" << num(y) << "\" x2=\""
                << num(xOf(r.p95)) << "\" y2=\"" << num(y) << "\" stroke=\"" << color << "\"/>"
                << "<rect x=\"" << num(xOf(r.p25)) << "\" y=\"" << num(y - 7) << "\" width=\""
                << num(std::max(xOf(r.p75) - xOf(r.p25), 1.0)) << "\" height=\"14\" fill=\""
                << color << "\" fill-opacity=\"0.5\" stroke=\"" << color << "\"/>"
                << "<line x1=\"" << num(xOf(r.p50)) << "\" y1=\"" << num(y - 7) << "\" x2=\""
                << num(xOf(r.p50)) << "\" y2=\"" << num(y + 7) << "\" stroke=\"#000\""
                << " stroke-width=\"2\"/>";
    }
    return c.finish();
}

std::string barChart(const ChartFrame& frame, const std::vector<std::string>& categories,
                     const std::vector<BarSeries>& series, const std::vector<BarRange>& ranges,
                     const std::vector<BarLevel>& levels) {
    std::vector<std::string> labels;
    for (const auto& b : series) labels.push_back(b.label);
    for (const auto& r : ranges) labels.push_back(r.label);
    for (const auto& l : levels) labels.push_back(l.label);
    Canvas c(frame, labels.size(), labels);
    std::vector<double> all = {0.0};
    for (const auto& b : series)
        for (double v : b.values)
            if (std::isfinite(v)) all.push_back(v);
    for (const auto& r : ranges)
        for (const auto* side : {&r.lo, &r.hi})
            for (double v : *side)
                if (std::isfinite(v)) all.push_back(v);
    for (const auto& l : levels)
        if (std::isfinite(l.value)) all.push_back(l.value);
    const auto [lo, hi] = range({&all});
    c.yAxis(lo, hi);
    const double x0 = c.left(), x1 = c.right();
    const double groupW = (x1 - x0) /
                          static_cast<double>(std::max<std::size_t>(categories.size(), 1));
    const double barW = groupW * 0.8 / static_cast<double>(std::max<std::size_t>(series.size(), 1));
    const double zero = c.yOf(0.0);
    // Ranges first, so that the bars are drawn over them.
    for (const auto& r : ranges)
        for (std::size_t k = 0; k < categories.size() && k < r.lo.size() && k < r.hi.size(); ++k) {
            if (!std::isfinite(r.lo[k]) || !std::isfinite(r.hi[k])) continue;
            const double top = c.yOf(std::max(r.lo[k], r.hi[k]));
            const double bottom = c.yOf(std::min(r.lo[k], r.hi[k]));
            c.out() << "<rect class=\"range\" x=\"" << num(x0 + groupW * static_cast<double>(k))
                    << "\" y=\"" << num(top) << "\" width=\"" << num(groupW) << "\" height=\""
                    << num(std::max(bottom - top, 0.5)) << "\" fill=\"" << r.color
                    << "\" fill-opacity=\"" << r.opacity << "\"><title>"
                    << xmlEscape(r.label + " " + categories[k]) << "</title></rect>";
        }
    // Category labels: every k-th so that they do not overlap (about 7 px per character).
    std::size_t longestLabel = 1;
    for (const auto& cat : categories) longestLabel = std::max(longestLabel, cat.size());
    const auto every = static_cast<std::size_t>(
        std::max(1.0, std::ceil((7.0 * static_cast<double>(longestLabel) + 6) / groupW)));
    for (std::size_t k = 0; k < categories.size(); ++k) {
        const double gx = x0 + groupW * static_cast<double>(k);
        for (std::size_t s = 0; s < series.size(); ++s) {
            const double v = k < series[s].values.size() ? series[s].values[k] : NAN;
            if (!std::isfinite(v)) continue;
            const double y = c.yOf(v);
            c.out() << "<rect class=\"bar\" x=\""
                    << num(gx + groupW * 0.1 + barW * static_cast<double>(s)) << "\" y=\""
                    << num(std::min(y, zero)) << "\" width=\"" << num(std::max(barW - 1, 0.5))
                    << "\" height=\"" << num(std::max(std::fabs(zero - y), 0.5)) << "\" fill=\""
                    << series[s].color << "\"><title>"
                    << xmlEscape(series[s].label + " " + categories[k]) << "</title></rect>";
        }
        if (k % every == 0)
            c.out() << "<text class=\"tk xt\" x=\"" << num(gx + groupW / 2) << "\" y=\""
                    << num(c.bottom() + 16) << "\" text-anchor=\"middle\">"
                    << xmlEscape(categories[k]) << "</text>";
    }
    c.out() << "<line class=\"axis\" x1=\"" << num(x0) << "\" y1=\"" << num(zero) << "\" x2=\""
            << num(x1) << "\" y2=\"" << num(zero) << "\"/>";
    for (const auto& l : levels) {
        if (!std::isfinite(l.value)) continue;
        const double y = c.yOf(l.value);
        c.out() << "<line class=\"level\" x1=\"" << num(x0) << "\" y1=\"" << num(y) << "\" x2=\""
                << num(x1) << "\" y2=\"" << num(y) << "\" stroke=\"" << l.color
                << "\" stroke-width=\"1.5\"" << (l.dashed ? " stroke-dasharray=\"5 3\"" : "")
                << "><title>" << xmlEscape(l.label) << "</title></line>";
    }
    std::size_t item = 0;
    for (const auto& s : series) c.legend(item++, s.label, s.color, false, true, 1.0);
    for (const auto& r : ranges) c.legend(item++, r.label, r.color, false, true, r.opacity);
    for (const auto& l : levels) c.legend(item++, l.label, l.color, l.dashed, false);
    return c.finish();
}

}  // namespace rotor::report
