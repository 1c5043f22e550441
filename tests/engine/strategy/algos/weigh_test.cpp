// SPDX-License-Identifier: MIT
// Weigh and constrain steps on hand-written slots.
#include "engine/strategy/algos/weigh.hpp"

#include "engine/core/error.hpp"
#include "engine/strategy/algos/constrain.hpp"
#include "tests/strategies/strategy_test_support.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace rotor {
namespace {
namespace weigh_test {

struct Fixture {
    Path path = test::makePath(test::weekdays(Date::fromYmd(2024, 1, 8), 1), {{1, 1, 1}}, {0});
    MarketView view{path, 0};
    RebalanceContext ctx;
    Fixture() {
        ctx.view = &view;
        ctx.weights = Vector::Constant(3, 9.0);  // garbage the steps must overwrite
    }
};

TEST(EqualWeight, OneShareOfEquityPerSlot) {
    Fixture f;
    // Four slots: a1 twice (2/4), a0 once (1/4), cash once (1/4 left in cash).
    f.ctx.selected = {1, kCash, 1, 0};
    EqualWeight().weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.25, 0.5, 0.0}, "four slots");
    f.ctx.selected = {2};
    EqualWeight().weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.0, 0.0, 1.0}, "one slot");
    f.ctx.selected.clear();
    EqualWeight().weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.0, 0.0, 0.0}, "no slots: all cash");
}

TEST(FixedWeights, OnlySelectedAssetsGetTheirWeight) {
    Fixture f;
    Vector w(3);
    w << 0.2, 0.3, 0.5;
    f.ctx.selected = {0, 2};
    FixedWeights(w).weigh(f.ctx);
    test::expectWeights(f.ctx.weights, {0.2, 0.0, 0.5}, "a1 not selected");
    Vector wrong = Vector::Zero(2);
    EXPECT_THROW(FixedWeights(wrong).weigh(f.ctx), Error);
}

TEST(RequireLongOnly, ChecksSignFinitenessAndGross) {
    Fixture f;
    const RequireLongOnly limit(1.0);
    f.ctx.weights << 0.5, 0.5, 1e-10;  // 1 + 1e-10: within the 1e-9 tolerance
    EXPECT_NO_THROW(limit.constrain(f.ctx));
    f.ctx.weights << 0.5, 0.5, 0.01;
    EXPECT_THROW(limit.constrain(f.ctx), Error);
    EXPECT_NO_THROW(RequireLongOnly(3.0).constrain(f.ctx));  // leverage allowed up to 3
    f.ctx.weights << 0.5, -0.1, 0.0;
    EXPECT_THROW(limit.constrain(f.ctx), Error);
    f.ctx.weights << 0.5, std::numeric_limits<double>::quiet_NaN(), 0.0;
    EXPECT_THROW(limit.constrain(f.ctx), Error);
}

}  // namespace weigh_test
}  // namespace
}  // namespace rotor
