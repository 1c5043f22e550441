// SPDX-License-Identifier: MIT
// Chi-square variates as 2 * Gamma(dof / 2), Gamma by Marsaglia and Tsang (2000): the shared
// mixing variable of the multivariate Student-t factor shocks.
#pragma once

#include "engine/core/error.hpp"
#include "engine/core/rng.hpp"

#include <cmath>

namespace rotor {

class ChiSquareSampler {
public:
    // `dof` > 0. Shapes below 1 use Gamma(a) = Gamma(a + 1) * U^(1/a) (one extra uniform).
    explicit ChiSquareSampler(double dof) : dof_(dof) {
        ROTOR_REQUIRE(dof > 0.0 && std::isfinite(dof), "chi-square needs dof > 0, got " << dof);
        const double shape = 0.5 * dof;
        boost_ = shape < 1.0;
        const double a = boost_ ? shape + 1.0 : shape;
        d_ = a - 1.0 / 3.0;
        c_ = 1.0 / std::sqrt(9.0 * d_);
        invShape_ = 1.0 / shape;
    }

    double dof() const { return dof_; }

    // Draw order: per trial one normal (repeated while 1 + c x <= 0) then one uniform; with the
    // boost, one more uniform after acceptance.
    template <class Rng>
    double operator()(Rng& rng) const {
        const NormalZiggurat& normal = NormalZiggurat::instance();
        double g = 0.0;
        for (;;) {
            double x = 0.0;
            double v = 0.0;
            do {
                x = normal(rng);
                v = 1.0 + c_ * x;
            } while (v <= 0.0);
            v = v * v * v;
            const double u = rng.uniformOpen();
            const double x2 = x * x;
            // Squeeze first: it accepts about 98% of trials without a logarithm.
            if (u < 1.0 - 0.0331 * x2 * x2 ||
                std::log(u) < 0.5 * x2 + d_ * (1.0 - v + std::log(v))) {
                g = d_ * v;
                break;
            }
        }
        if (boost_) g *= std::pow(rng.uniformOpen(), invShape_);
        return 2.0 * g;
    }

private:
    double dof_;
    bool boost_ = false;
    double d_ = 0.0;
    double c_ = 0.0;
    double invShape_ = 1.0;
};

}  // namespace rotor
