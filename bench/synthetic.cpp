// SPDX-License-Identifier: MIT
#include "bench/synthetic.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace rotor::bench {

Universe syntheticUniverse(Index assets) {
    Universe u;
    for (Index i = 0; i < assets; ++i) {
        std::string name = std::to_string(i);
        if (name.size() < 2) name.insert(0, "0");
        u.assets.push_back("A" + name);
    }
    return u;
}

Path syntheticPath(Index assets, Index days, unsigned long long seed) {
    Path p;
    Date d = Date::fromYmd(2000, 1, 3);
    while (static_cast<Index>(p.dates.size()) < days) {
        if (d.weekday() != 0 && d.weekday() != 6) p.dates.push_back(d);
        d = d + 1;
    }
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 1.0);
    const double dt = 1.0 / 252.0, mu = 0.07, sigma = 0.20;
    p.prices.resize(days, assets);
    for (Index j = 0; j < assets; ++j) p.prices(0, j) = 100.0;
    for (Index t = 1; t < days; ++t)
        for (Index j = 0; j < assets; ++j)
            p.prices(t, j) = p.prices(t - 1, j) * std::exp((mu - 0.5 * sigma * sigma) * dt +
                                                           sigma * std::sqrt(dt) * z(rng));
    p.cashRate = Vector::Constant(days, 2.0);
    return p;
}

void writeWideCsv(const Path& path, const Universe& universe, const std::string& file) {
    std::ofstream out(file);
    out << "date";
    for (const auto& a : universe.assets) out << ',' << a;
    out << '\n';
    char buf[32];
    for (Index t = 0; t < path.days(); ++t) {
        out << path.dates[static_cast<std::size_t>(t)].iso();
        for (Index j = 0; j < path.assets(); ++j) {
            std::snprintf(buf, sizeof buf, ",%.6f", path.prices(t, j));
            out << buf;
        }
        out << '\n';
    }
}

}  // namespace rotor::bench
