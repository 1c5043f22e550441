// SPDX-License-Identifier: MIT
// The generic stack: stages run only on due days, in order, and clones are independent.
#include "engine/strategy/algos/algo_strategy.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/algos/select.hpp"
#include "engine/strategy/algos/weigh.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

namespace rotor {
namespace {
namespace algo_strategy_test {

// Records the days it is asked on and selects asset `day % N`, so each decision is traceable.
class DaySelect final : public SelectAlgo {
public:
    explicit DaySelect(std::vector<Index>* log) : log_(log) {}
    void select(RebalanceContext& ctx) const override {
        log_->push_back(ctx.today());
        ctx.selected.clear();
        ctx.selected.push_back(ctx.today() % ctx.view->assets());
    }

private:
    std::vector<Index>* log_;
};

// Adds the last slot once more, to check that steps run in order.
class RepeatLast final : public SelectAlgo {
public:
    void select(RebalanceContext& ctx) const override {
        ctx.selected.push_back(ctx.selected.back());
    }
};

// Jan 29 .. Feb 2 2024 and Feb 5 .. Feb 9 (ten weekdays): the month ends on day 2 (Wed Jan 31).
Path twoWeeks() {
    const auto dates = test::weekdays(Date::fromYmd(2024, 1, 29), 10);
    Path p;
    p.dates = dates;
    p.prices = PriceMatrix::Constant(10, 3, 100.0);
    p.cashRate = Vector::Zero(10);
    return p;
}

TEST(AlgoStrategy, RunsTheStagesOnlyOnDueDays) {
    std::vector<Index> log;
    AlgoStack stack;
    stack.schedule = Schedule::periodic(Period::Weekly);
    stack.select = {std::make_shared<DaySelect>(&log), std::make_shared<RepeatLast>()};
    stack.weigh = std::make_shared<EqualWeight>();
    AlgoStrategy s("s", 3, std::move(stack));
    const auto decisions = test::runDecisions(s, twoWeeks());
    // Weekly: day 0 plus Fri Feb 2 (day 4); Fri Feb 9 is the last day of the path.
    EXPECT_EQ(test::tradedDays(decisions), (std::vector<Index>{0, 4}));
    EXPECT_EQ(log, (std::vector<Index>{0, 4}));
    // Day 4 selects asset 4 % 3 = 1, twice (two slots of 1/2 each): weight 1.
    test::expectWeights(decisions[4].target, {0.0, 1.0, 0.0}, "day 4");
    test::expectWeights(decisions[0].target, {1.0, 0.0, 0.0}, "day 0");
}

TEST(AlgoStrategy, ClonesAndRestartsAreIndependent) {
    std::vector<Index> log;
    AlgoStack stack;
    stack.schedule = Schedule::periodic(Period::Monthly);
    stack.select = {std::make_shared<DaySelect>(&log)};
    stack.weigh = std::make_shared<EqualWeight>();
    AlgoStrategy s("s", 3, std::move(stack));
    const Path p = twoWeeks();
    auto clone = s.clone();
    EXPECT_EQ(clone->name(), "s");
    const auto a = test::runDecisions(s, p);
    const auto b = test::runDecisions(*clone, p);
    const auto c = test::runDecisions(s, p);  // started again on the same path
    // Monthly: day 0 and Wed Jan 31 (day 2).
    EXPECT_EQ(test::tradedDays(a), (std::vector<Index>{0, 2}));
    EXPECT_EQ(test::tradedDays(b), test::tradedDays(a));
    EXPECT_EQ(test::tradedDays(c), test::tradedDays(a));
    test::expectWeights(b[2].target, {0.0, 0.0, 1.0}, "clone day 2");
}

TEST(AlgoStrategy, DriftBandUsesTheLastTarget) {
    // Two assets, 50/50 with a 5% band. Asset 0 goes 100 -> 110 -> 125 -> 130, asset 1 stays
    // at 100; the portfolio starts with 1.0, so it holds .005 and .005 units.
    //   day 1: .55 / 1.05 = .5238 (drift .024)  day 2: .625 / 1.125 = .5556 (drift .056): due.
    //   After day 2: .5625 in each -> .0045 and .005625 units.
    //   day 3: .585 / (.585 + .5625) = .5098 (drift .0098): not due.
    AlgoStack stack;
    stack.schedule = Schedule::never().orBand(0.05);
    stack.select = {std::make_shared<SelectAssets>(std::vector<Index>{0, 1})};
    stack.weigh = std::make_shared<EqualWeight>();
    AlgoStrategy s("band", 2, std::move(stack));
    const Path p = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 4),
                                  {{100, 100}, {110, 100}, {125, 100}, {130, 100}}, {0, 0, 0, 0});
    EXPECT_EQ(test::tradedDays(test::runDecisions(s, p)), (std::vector<Index>{0, 2}));
}

TEST(AlgoStrategy, RejectsMalformedStacksAndPaths) {
    AlgoStack noWeigh;
    EXPECT_THROW(AlgoStrategy("x", 2, noWeigh), Error);
    AlgoStack nullSelect;
    nullSelect.weigh = std::make_shared<EqualWeight>();
    nullSelect.select = {nullptr};
    EXPECT_THROW(AlgoStrategy("x", 2, nullSelect), Error);
    AlgoStack ok;
    ok.weigh = std::make_shared<EqualWeight>();
    EXPECT_THROW(AlgoStrategy("x", 0, ok), Error);
    // Built for 2 assets, run on a 3-asset path.
    AlgoStrategy s("x", 2, ok);
    EXPECT_THROW(test::runDecisions(s, twoWeeks()), Error);
}

}  // namespace algo_strategy_test
}  // namespace
}  // namespace rotor
