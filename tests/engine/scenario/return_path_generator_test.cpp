// SPDX-License-Identifier: MIT
// Compounding log returns into prices: the exp the prices are computed with (glibc's core,
// without its errno wrapper) gives std::exp's bits for every argument, and a path's prices are
// the start price times exp of the summed returns (or the day-by-day product), written out
// here with std::exp.
#include "engine/scenario/return_path_generator.hpp"

#include "engine/calendar/nyse_calendar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace rotor {
namespace {
namespace return_path_generator_test {

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::uint64_t next(std::uint64_t& s) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s;
}

double uniform(std::uint64_t& s) { return static_cast<double>(next(s) >> 11) * 0x1.0p-53; }

// Returns from a fixed LCG: the model under test is the compounding, not a return model.
class LcgReturns final : public ReturnPathGenerator {
public:
    LcgReturns(const GeneratorContext& ctx, Compounding compounding, double scale)
        : ReturnPathGenerator(ctx, {}, compounding), scale_(scale) {}
    std::string describe() const override { return "lcg"; }

protected:
    void drawReturns(Xoshiro256& rng, int /*regime*/, Vector& /*rate*/, Matrix& logReturns,
                     GeneratorScratch& /*scratch*/) const override {
        std::uint64_t s = rng();
        for (Index i = 0; i < logReturns.cols(); ++i)
            for (Index day = 1; day < logReturns.rows(); ++day)
                logReturns(day, i) = (uniform(s) - 0.5) * scale_;
    }

private:
    double scale_;
};

GeneratorContext context(int days) {
    GeneratorContext ctx;
    ctx.universe.assets = {"A", "B", "C"};
    ctx.dates = nyseTradingDaysFrom(Date::fromYmd(2026, 1, 2), static_cast<std::size_t>(days));
    ctx.startPrices = Vector(3);
    ctx.startPrices << 100.0, 0.37, 2500.0;
    ctx.seed = 11;
    RatePathSpec rp;
    rp.start = 3.0;
    rp.regimes.push_back({"flat", 1.0, {}, std::nullopt, {}});
    ctx.rate = std::make_shared<const RatePathModel>(rp, ctx.dates);
    ctx.dataCutoff = ctx.dates.front();
    return ctx;
}

// Arguments around every branch of exp: signed zeros, subnormal results and arguments, the
// overflow and underflow thresholds ulp by ulp, the infinities and NaN; then 2,000,000 values
// across the whole finite range and where prices live (|x| < 5), and 1,000,000 bit patterns.
TEST(ReturnPathGenerator, PriceExpIsStdExpBitForBit) {
    const ExpFunction e = priceExp();
    ASSERT_NE(e, nullptr);
    std::vector<double> edges = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.0,
                                 0x1p-1074,
                                 -0x1p-1074,
                                 0x1p-54,
                                 -0x1p-54,
                                 std::numeric_limits<double>::min(),
                                 std::numeric_limits<double>::max(),
                                 std::numeric_limits<double>::lowest(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::quiet_NaN()};
    for (const double edge : {709.782712893384, -708.3964185322641, -745.1332191019411,
                              -744.4400719213812, 1024.0 * std::log(2.0), -1022.0 * std::log(2.0),
                              -1074.0 * std::log(2.0), 0.5 * std::log(2.0)}) {
        double x = edge;
        for (int k = 0; k < 4; ++k) x = std::nextafter(x, -INFINITY);
        for (int k = 0; k < 9; ++k, x = std::nextafter(x, INFINITY)) edges.push_back(x);
    }
    for (const double x : edges) {
        const double want = std::exp(x);
        const double got = e(x);
        if (std::isnan(want)) {
            EXPECT_TRUE(std::isnan(got)) << x;
        } else {
            EXPECT_TRUE(sameBits(got, want)) << x << ": " << got << " against " << want;
        }
    }
    std::uint64_t s = 3;
    long differ = 0;
    for (int k = 0; k < 1000000; ++k) {
        const double wide = (uniform(s) - 0.5) * 1500.0;
        const double near = (uniform(s) - 0.5) * 10.0;
        double bits = 0.0;
        const std::uint64_t b = next(s);
        std::memcpy(&bits, &b, sizeof bits);
        for (const double x : {wide, near, bits}) {
            const double want = std::exp(x);
            const double got = e(x);
            if (!sameBits(got, want) && !(std::isnan(want) && std::isnan(got))) ++differ;
        }
    }
    EXPECT_EQ(differ, 0);
}

// P_t = P_0 exp(r_1 + ... + r_t) (cumulative) and P_t = P_{t-1} exp(r_t) (day by day), summed
// and multiplied here in day order with std::exp, against the generator's prices bit for bit;
// also with returns of up to +-200 a day, whose sums run into exp's overflow and underflow.
TEST(ReturnPathGenerator, PricesAreTheStartPriceTimesExpOfTheSummedReturns) {
    const GeneratorContext ctx = context(260);
    for (const auto compounding : {ReturnPathGenerator::Compounding::CumulativeSum,
                                   ReturnPathGenerator::Compounding::DayByDay})
        for (const double scale : {0.06, 400.0}) {
            const LcgReturns gen(ctx, compounding, scale);
            Path path;
            GeneratorScratch scratch;
            bool infinite = false, zero = false;
            for (std::uint64_t p = 0; p < 20; ++p) {
                gen.generate(p, path, scratch);
                const Matrix& r = scratch.a;
                ASSERT_EQ(path.prices.rows(), 260);
                for (Index i = 0; i < 3; ++i) {
                    const double p0 = ctx.startPrices[i];
                    ASSERT_TRUE(sameBits(path.prices(0, i), p0));
                    double cum = 0.0, price = p0;
                    for (Index day = 1; day < 260; ++day) {
                        cum += r(day, i);
                        price *= std::exp(r(day, i));
                        const double want = compounding ==
                                                    ReturnPathGenerator::Compounding::CumulativeSum
                                                ? p0 * std::exp(cum)
                                                : price;
                        ASSERT_TRUE(sameBits(path.prices(day, i), want))
                            << p << " " << i << " " << day << ": " << path.prices(day, i);
                    }
                }
                infinite = infinite || path.prices.array().isInf().any();
                zero = zero || (path.prices.array() == 0.0).any();
            }
            // The wide returns do reach both ends of exp's range.
            EXPECT_EQ(infinite, scale > 1.0);
            EXPECT_EQ(zero, scale > 1.0);
        }
}

}  // namespace return_path_generator_test
}  // namespace
}  // namespace rotor
