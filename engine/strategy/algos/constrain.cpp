// SPDX-License-Identifier: MIT
#include "engine/strategy/algos/constrain.hpp"

#include "engine/core/error.hpp"

#include <cmath>

namespace rotor {

void RequireLongOnly::constrain(RebalanceContext& ctx) const {
    double sum = 0.0;
    for (Index i = 0; i < ctx.weights.size(); ++i) {
        const double w = ctx.weights(i);
        ROTOR_REQUIRE(std::isfinite(w) && w >= 0.0,
                      "weight of asset " << i << " is " << w << " on day " << ctx.today());
        sum += w;
    }
    ROTOR_REQUIRE(sum <= maxGross_ + 1e-9, "weights sum to " << sum << " on day " << ctx.today()
                                                             << ", above the limit " << maxGross_);
}

}  // namespace rotor
