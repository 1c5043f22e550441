// SPDX-License-Identifier: MIT
// Random numbers for Monte Carlo: xoshiro256++ streams keyed by (seed, path index), so every
// path's draws are the same whatever the thread count or chunking; a 256-layer ziggurat for
// standard normals. Choices and their tests are explained in docs/random-numbers.md.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace rotor {

// SplitMix64 step (Steele, Lea, Flood 2014): used to expand keys into generator state.
inline std::uint64_t splitMix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// xoshiro256++ 1.0 (Blackman and Vigna 2019): 256-bit state, period 2^256 - 1, passes BigCrush.
class Xoshiro256 {
public:
    using result_type = std::uint64_t;

    // The stream for one (seed, stream) pair: both are mixed through SplitMix64, so nearby
    // seeds and path indices give unrelated states.
    Xoshiro256(std::uint64_t seed, std::uint64_t stream) {
        std::uint64_t k = seed;
        std::uint64_t mixed = splitMix64(k) ^
                              (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
        for (auto& w : s_) w = splitMix64(mixed);
    }

    // A generator in an explicit state (reference-vector tests).
    static Xoshiro256 fromState(const std::array<std::uint64_t, 4>& state) {
        Xoshiro256 g(0, 0);
        g.s_ = state;
        return g;
    }

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    result_type operator()() {
        const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
    // Uniform on (0, 1): never 0, for logarithms.
    double uniformOpen() { return (static_cast<double>((*this)() >> 12) + 0.5) * 0x1.0p-52; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

// Standard normal sampler: Marsaglia and Tsang's ziggurat (2000) with 256 layers, using
// separate random bits for layer, sign and abscissa; exact (tail by Marsaglia's method).
class NormalZiggurat {
public:
    NormalZiggurat();
    template <class Rng>
    double operator()(Rng& rng) const {
        for (;;) {
            const std::uint64_t bits = rng();
            const unsigned layer = static_cast<unsigned>(bits & 0xFF);
            const double sign = (bits & 0x100) ? -1.0 : 1.0;
            const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
            const double x = u * x_[layer];
            if (x < x_[layer + 1]) return sign * x;  // inside the layer's inner rectangle
            if (layer == 0) return sign * tail(rng);
            const double y = f_[layer] + rng.uniform() * (f_[layer + 1] - f_[layer]);
            if (y < std::exp(-0.5 * x * x)) return sign * x;
        }
    }
    static const NormalZiggurat& instance();  // tables are immutable; one shared copy

private:
    template <class Rng>
    double tail(Rng& rng) const {
        for (;;) {
            const double a = -std::log(rng.uniformOpen()) / kR;
            const double b = -std::log(rng.uniformOpen());
            if (2.0 * b > a * a) return kR + a;
        }
    }
    static constexpr double kR = 3.6541528853610088;  // start of the tail for 256 layers
    std::array<double, 257> x_{};                     // layer right edges, decreasing; x_[256] = 0
    std::array<double, 257> f_{};                     // exp(-x^2/2) at those edges
};

}  // namespace rotor
