// SPDX-License-Identifier: MIT
#include "engine/core/rng.hpp"

#include "engine/core/error.hpp"

namespace rotor {

NormalZiggurat::NormalZiggurat() {
    // Each of the 256 regions (255 rectangles plus the base strip with the tail) has area v.
    const double r = kR;
    const double fr = std::exp(-0.5 * r * r);
    const double v = r * fr + std::sqrt(M_PI / 2.0) * std::erfc(r / std::sqrt(2.0));
    x_[0] = v / fr;  // width of the base strip's rectangle of equal area (tail folded in)
    x_[1] = r;
    for (int i = 1; i < 255; ++i) {
        const auto k = static_cast<std::size_t>(i);
        x_[k + 1] = std::sqrt(-2.0 * std::log(v / x_[k] + std::exp(-0.5 * x_[k] * x_[k])));
    }
    x_[256] = 0.0;
    for (std::size_t i = 0; i < 257; ++i) f_[i] = std::exp(-0.5 * x_[i] * x_[i]);
    ROTOR_REQUIRE(x_[255] > 0.0 && x_[255] < x_[254], "ziggurat tables did not close");
}

const NormalZiggurat& NormalZiggurat::instance() {
    static const NormalZiggurat z;
    return z;
}

}  // namespace rotor
