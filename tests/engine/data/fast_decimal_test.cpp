// SPDX-License-Identifier: MIT
// The fast decimal path against std::from_chars: the same bits on every value it accepts, and
// a refusal (nullptr) for every shape it leaves to from_chars.
#include "engine/data/fast_decimal.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <system_error>

namespace {
namespace fast_decimal_test {

using rotor::parseDecimalFast;

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

// from_chars over the whole text; the reference the fast path must reproduce.
double reference(const std::string& s) {
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    EXPECT_TRUE(ec == std::errc() && ptr == s.data() + s.size()) << s;
    return v;
}

// True when the fast path took `s` whole; then its bits must equal from_chars'.
bool fastMatches(const std::string& s) {
    double v = -1.0;
    const char* end = parseDecimalFast(s.data(), s.data() + s.size(), v);
    if (end == nullptr) return false;
    EXPECT_EQ(end, s.data() + s.size()) << s;
    EXPECT_EQ(bits(v), bits(reference(s))) << s;
    return true;
}

bool refused(const std::string& s) {
    double v = 0.0;
    return parseDecimalFast(s.data(), s.data() + s.size(), v) == nullptr;
}

TEST(FastDecimal, SimpleValuesAndSigns) {
    EXPECT_TRUE(fastMatches("0"));
    EXPECT_TRUE(fastMatches("1.13"));
    EXPECT_TRUE(fastMatches("24.11326027"));
    EXPECT_TRUE(fastMatches("-0.25"));
    EXPECT_TRUE(fastMatches("007.50"));
    EXPECT_TRUE(fastMatches("0.1"));  // not a binary fraction: rounding must match
}

TEST(FastDecimal, NegativeZeroKeepsItsSign) {
    const std::string s = "-0.000";
    double v = 1.0;
    ASSERT_NE(parseDecimalFast(s.data(), s.data() + s.size(), v), nullptr);
    EXPECT_TRUE(std::signbit(v));
    EXPECT_EQ(bits(v), bits(reference(s)));
}

TEST(FastDecimal, ExactRangeLimits) {
    // 2^53 = 9007199254740992 is the largest integer of digits taken; 2^53 + 1 is not exact.
    EXPECT_TRUE(fastMatches("9007199254740992"));
    EXPECT_TRUE(refused("9007199254740993"));
    EXPECT_TRUE(fastMatches("900719925474.0992"));
    EXPECT_TRUE(refused("900719925474.0993"));
    // More than 19 digits never reach the integer.
    EXPECT_TRUE(refused("0.00000000000000000001"));
    EXPECT_TRUE(refused("12345678901234567890"));
}

TEST(FastDecimal, LeavesOtherShapesToFromChars) {
    for (const char* s :
         {"", "-", ".5", "5.", "-.5", "+1", "1e5", "1.5E-3", "nan", "inf", "-inf", " 1", "1,5"}) {
        double v = 0.0;
        const std::string text = s;
        const char* end = parseDecimalFast(text.data(), text.data() + text.size(), v);
        // Either refused, or it stopped before the end (the caller then sees a bad cell).
        EXPECT_TRUE(end == nullptr || end != text.data() + text.size()) << text;
    }
    // It stops at the first character that cannot continue the number.
    const std::string hex = "0x10";
    double v = 1.0;
    EXPECT_EQ(parseDecimalFast(hex.data(), hex.data() + hex.size(), v), hex.data() + 1);
    EXPECT_EQ(v, 0.0);
}

// Random digit strings: up to 10 integer and 12 fraction digits, half of them negative.
TEST(FastDecimal, RandomDigitStringsMatchFromChars) {
    std::mt19937_64 rng(20260101);
    std::uniform_int_distribution<int> digit(0, 9), intLen(1, 10), fracLen(0, 12), coin(0, 1);
    int taken = 0;
    for (int n = 0; n < 200000; ++n) {
        std::string s = coin(rng) ? "-" : "";
        for (int k = intLen(rng); k > 0; --k) s.push_back(static_cast<char>('0' + digit(rng)));
        const int f = fracLen(rng);
        if (f > 0) s.push_back('.');
        for (int k = f; k > 0; --k) s.push_back(static_cast<char>('0' + digit(rng)));
        // 15 digits or fewer are always below 2^53, so the fast path must take them.
        const auto digits = s.size() - (s[0] == '-' ? 1 : 0) - (f > 0 ? 1 : 0);
        const bool took = fastMatches(s);
        if (digits <= 15) {
            EXPECT_TRUE(took) << s;
        } else if (!took) {
            EXPECT_TRUE(refused(s));
        }
        taken += took ? 1 : 0;
    }
    EXPECT_GT(taken, 150000);
}

// Doubles as data files print them: fixed notation with 0 to 12 decimals, and %.17g (which
// may use an exponent: then it must be refused, never misread).
TEST(FastDecimal, PrintedDoublesMatchFromChars) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> mant(-1.0, 1.0);
    std::uniform_int_distribution<int> scale(-6, 9), decimals(0, 12);
    char buf[512];
    int fixedTaken = 0;
    for (int n = 0; n < 100000; ++n) {
        const double x = mant(rng) * std::pow(10.0, scale(rng));
        std::snprintf(buf, sizeof buf, "%.*f", decimals(rng), x);
        const std::string fixed = buf;
        if (fastMatches(fixed)) {
            ++fixedTaken;
        } else {
            EXPECT_TRUE(refused(fixed)) << fixed;
        }
        std::snprintf(buf, sizeof buf, "%.17g", x);
        const std::string full = buf;
        if (!fastMatches(full)) {
            EXPECT_TRUE(refused(full)) << full;
        }
    }
    // Most fixed-notation values have at most 15 significant digits: the path is exercised.
    EXPECT_GT(fixedTaken, 50000);
}

}  // namespace fast_decimal_test
}  // namespace
