// SPDX-License-Identifier: MIT
// SVG charts: escaping and that decimating a long series keeps its extremes.
#include "engine/report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <sstream>

namespace rotor {
namespace {
namespace svg_chart_test {

using namespace rotor::report;

TEST(SvgChart, EscapesText) {
    EXPECT_EQ(xmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    const std::string svg = lineChart({"equity", "<x>", {}, Unit::Ratio}, {},
                                      {{"s&p", {1, 2}, "#000", false, 1.0}});
    EXPECT_EQ(svg.find("<x>"), std::string::npos);
    EXPECT_NE(svg.find("&lt;x&gt;"), std::string::npos);
    EXPECT_NE(svg.find("s&amp;p"), std::string::npos);
}

TEST(SvgChart, DecimatedLineKeepsTheDeepestPoint) {
    // 5000 days at 1.0 with one day at 0.0: the single lowest point must still be drawn, at the
    // bottom of the plot area. The y range is [0, 1] padded by 4 % each side.
    std::vector<double> y(5000, 1.0);
    y[3777] = 0.0;
    const std::string svg = lineChart({"drawdown", "t", {}, Unit::Ratio, 920, 300}, {},
                                      {{"s", y, "#000", false, 1.0}});
    const std::smatch m = [&] {
        std::smatch x;
        std::regex_search(svg, x, std::regex("points=\"([^\"]*)\""));
        return x;
    }();
    ASSERT_FALSE(m.empty());
    std::istringstream pts(m[1].str());
    std::string p;
    int count = 0;
    double maxY = 0, xAtMax = 0;
    while (pts >> p) {
        ++count;
        const double px = std::stod(p.substr(0, p.find(','))),
                     py = std::stod(p.substr(p.find(',') + 1));
        if (py > maxY) maxY = py, xAtMax = px;
    }
    EXPECT_LT(count, 700);  // decimated from 5000
    // Plot spans x 64..904 (920 - 16); day 3777 of 0..4999 sits at 64 + 3777/4999 * 840.
    EXPECT_NEAR(xAtMax, 64 + 3777.0 / 4999.0 * 840.0, 0.06);
    // Bottom of the plot is 300 - 28 = 272; 0 is 4 % of the 1.08 span above it.
    const double top = 20 + 8 + 16;  // title + gap + one legend row
    EXPECT_NEAR(maxY, 272 - 0.04 / 1.08 * (272 - top), 0.06);
}

TEST(SvgChart, ChartsCarryTheirKindAsClass) {
    EXPECT_EQ(histogramChart({"histogram", "h", {}, Unit::Wealth}, {0.9, 1.0, 1.1}, 10, {})
                  .rfind("<svg class=\"chart histogram\"", 0),
              0u);
    EXPECT_EQ(boxPlotChart({"drawdown", "b", {}, Unit::Fraction}, {{"a", .1, .2, .3, .4, .5}})
                  .rfind("<svg class=\"chart drawdown\"", 0),
              0u);
    EXPECT_EQ(stackedAreaChart({"weights", "w", {"d0", "d1"}, Unit::Fraction},
                               {{"A", {0.5, 0.6}, "#111", false, 1}})
                  .rfind("<svg class=\"chart weights\"", 0),
              0u);
}

// (label, y) of every y-axis tick label of an SVG chart.
std::vector<std::pair<std::string, double>> yTicks(const std::string& svg) {
    std::vector<std::pair<std::string, double>> out;
    const std::regex tick(
        "<text class=\"tk\" x=\"[0-9.]+\" y=\"([0-9.]+)\" text-anchor=\"end\">([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator();
         ++it)
        out.push_back({(*it)[2].str(), std::stod((*it)[1].str()) - 4});  // labels sit 4 below
    return out;
}

// The y coordinates of the first polyline's points.
std::vector<double> polylineYs(const std::string& svg) {
    std::smatch m;
    std::regex_search(svg, m, std::regex("points=\"([^\"]*)\""));
    std::vector<double> ys;
    std::istringstream pts(m[1].str());
    std::string p;
    while (pts >> p) ys.push_back(std::stod(p.substr(p.find(',') + 1)));
    return ys;
}

TEST(SvgChart, LogAxisPutsEqualRatiosAtEqualHeights) {
    ChartFrame f{"equity", "t", {}, Unit::Wealth, 920, 300};
    f.logY = true;
    const std::string svg = lineChart(f, {}, {{"w", {1.0, 10.0, 100.0}, "#000", false, 1.0}});
    // Range [1, 100] padded by 100^0.04 at both ends; 1-2-5 ticks in it.
    const auto ticks = yTicks(svg);
    std::vector<std::string> labels;
    for (const auto& t : ticks) labels.push_back(t.first);
    EXPECT_EQ(labels, (std::vector<std::string>{"1.0x", "2.0x", "5.0x", "10.0x", "20.0x", "50.0x",
                                                "100.0x"}));
    // Plot from y = 44 (title, gap, one legend row) to 272. The axis spans the 2 decades plus
    // 0.04 of them at each end, 2.16 decades in all; 1 sits 0.08 decades above the bottom.
    // Coordinates are printed to 0.1.
    const double top = 44, bottom = 272, decade = (bottom - top) / 2.16;
    ASSERT_EQ(ticks.size(), 7u);
    const auto at = [&](double v) { return bottom - (0.08 + std::log10(v)) * decade; };
    const double values[] = {1, 2, 5, 10, 20, 50, 100};
    for (std::size_t k = 0; k < 7; ++k) EXPECT_NEAR(ticks[k].second, at(values[k]), 0.051) << k;
    // The line's points sit on the ticks of their values.
    const auto ys = polylineYs(svg);
    ASSERT_EQ(ys.size(), 3u);
    EXPECT_NEAR(ys[0], at(1), 0.051);
    EXPECT_NEAR(ys[1], at(10), 0.051);
    EXPECT_NEAR(ys[2], at(100), 0.051);
}

TEST(SvgChart, LogAxisDropsNonPositiveValuesAndRefinesNarrowRanges) {
    ChartFrame f{"equity", "t", {}, Unit::Wealth, 920, 300};
    f.logY = true;
    EXPECT_EQ(
        polylineYs(lineChart(f, {}, {{"w", {1.0, 0.0, -2.0, 4.0}, "#000", false, 1.0}})).size(),
        2u);
    // [1.2, 3.9], padded to [1.145, 4.088], holds only the 2 of 1-2-5: every digit is used.
    std::vector<std::string> labels;
    for (const auto& t : yTicks(lineChart(f, {}, {{"w", {1.2, 3.9}, "#000", false, 1.0}})))
        labels.push_back(t.first);
    EXPECT_EQ(labels, (std::vector<std::string>{"2.0x", "3.0x", "4.0x"}));
}

}  // namespace svg_chart_test
}  // namespace
}  // namespace rotor
