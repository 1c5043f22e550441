// SPDX-License-Identifier: MIT
#include "tests/strategies/strategy_test_support.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/registry.hpp"
#include "strategies/register_builtin.hpp"

#include <gtest/gtest.h>

namespace rotor::test {

std::vector<Date> weekdays(Date first, int count) {
    std::vector<Date> out;
    for (Date d = first; static_cast<int>(out.size()) < count; d = d + 1)
        if (d.weekday() != 0 && d.weekday() != 6) out.push_back(d);
    return out;
}

Path makePath(const std::vector<Date>& dates,
              std::initializer_list<std::initializer_list<double>> rows,
              const std::vector<double>& rates) {
    Path p;
    p.dates = dates;
    const auto T = static_cast<Index>(rows.size());
    const auto N = static_cast<Index>(rows.begin()->size());
    p.prices.resize(T, N);
    Index t = 0;
    for (const auto& row : rows) {
        Index i = 0;
        for (double v : row) p.prices(t, i++) = v;
        ++t;
    }
    p.cashRate.resize(T);
    for (Index k = 0; k < T; ++k) p.cashRate(k) = rates[static_cast<std::size_t>(k)];
    EXPECT_EQ(p.days(), T);
    return p;
}

namespace {
// A small LCG: the same numbers on every platform, unlike the <random> distributions.
class Lcg {
public:
    explicit Lcg(unsigned seed) : state_(seed) {}
    double next() {  // [0, 1)
        state_ = state_ * 1664525u + 1013904223u;
        return static_cast<double>(state_ >> 8) / 16777216.0;
    }

private:
    unsigned state_;
};
}  // namespace

Path randomPath(int days, int assets, unsigned seed) {
    Lcg rng(seed);
    Path p;
    p.dates = weekdays(Date::fromYmd(2023, 12, 20), days);
    p.prices.resize(days, assets);
    p.cashRate.resize(days);
    double rate = 3.0;
    for (Index t = 0; t < days; ++t) {
        for (Index i = 0; i < assets; ++i)
            p.prices(t, i) = t == 0 ? 100.0 : p.prices(t - 1, i) * (0.97 + 0.06 * rng.next());
        rate += 0.5 * rng.next() - 0.25;
        p.cashRate(t) = rate;
    }
    return p;
}

std::vector<Decision> runDecisions(Strategy& strategy, const Path& path) {
    const Index T = path.days();
    const Index N = path.assets();
    std::vector<Decision> out(static_cast<std::size_t>(T));
    Vector qty = Vector::Zero(N);
    double cash = 1.0;
    Vector current(N);
    Vector target(N);
    strategy.start(path.dates);
    for (Index t = 0; t < T; ++t) {
        double equity = cash;
        for (Index i = 0; i < N; ++i) equity += qty(i) * path.prices(t, i);
        for (Index i = 0; i < N; ++i) current(i) = qty(i) * path.prices(t, i) / equity;
        target.setZero();
        auto& d = out[static_cast<std::size_t>(t)];
        d.traded = strategy.rebalance(path, t, current, target);
        if (!d.traded) continue;
        d.target = target;
        cash = equity;
        for (Index i = 0; i < N; ++i) {
            qty(i) = target(i) * equity / path.prices(t, i);
            cash -= target(i) * equity;
        }
    }
    return out;
}

std::vector<Index> tradedDays(const std::vector<Decision>& decisions) {
    std::vector<Index> out;
    for (std::size_t t = 0; t < decisions.size(); ++t)
        if (decisions[t].traded) out.push_back(static_cast<Index>(t));
    return out;
}

int distinctTargets(const std::vector<Decision>& decisions) {
    std::vector<Vector> seen;
    for (const auto& d : decisions) {
        if (!d.traded) continue;
        bool found = false;
        for (const auto& v : seen) found = found || v == d.target;
        if (!found) seen.push_back(d.target);
    }
    return static_cast<int>(seen.size());
}

Path perturbAfter(const Path& path, Index t) {
    Path p = path;
    // Prices jump by factors in [0.5, 2), rates move by up to +-3 points.
    Lcg rng(12345u + static_cast<unsigned>(t));
    for (Index d = t + 1; d < p.days(); ++d) {
        for (Index i = 0; i < p.assets(); ++i) p.prices(d, i) *= 0.5 + 1.5 * rng.next();
        p.cashRate(d) += 6.0 * rng.next() - 3.0;
    }
    return p;
}

void expectNoLookAhead(const std::function<std::unique_ptr<Strategy>()>& make, const Path& path) {
    auto base = make();
    const auto reference = runDecisions(*base, path);
    for (Index t = 0; t + 1 < path.days(); ++t) {
        const Path other = perturbAfter(path, t);
        ASSERT_TRUE(other.prices.row(t + 1) != path.prices.row(t + 1));  // the change bites
        auto s = make();
        const auto got = runDecisions(*s, other);
        for (Index d = 0; d <= t; ++d) {
            const auto k = static_cast<std::size_t>(d);
            ASSERT_EQ(got[k].traded, reference[k].traded) << "day " << d << " cut " << t;
            if (got[k].traded) {
                ASSERT_TRUE(got[k].target == reference[k].target) << "day " << d << " cut " << t;
            }
        }
    }
}

std::unique_ptr<Strategy> strategyFromYaml(const std::string& text, const Universe& universe) {
    const ConfigNode spec = loadYamlString(text, "test.yaml");
    return strategies::builtinRegistry().create(spec.getString("name"), spec, universe);
}

std::string yamlError(const std::string& text, const Universe& universe) {
    try {
        strategyFromYaml(text, universe);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

void expectWeights(const Vector& target, std::initializer_list<double> expected,
                   const std::string& where) {
    ASSERT_EQ(target.size(), static_cast<Index>(expected.size())) << where;
    Index i = 0;
    for (double e : expected) {
        EXPECT_NEAR(target(i), e, 1e-12) << where << ", asset " << i;
        ++i;
    }
}

}  // namespace rotor::test
