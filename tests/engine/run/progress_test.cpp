// SPDX-License-Identifier: MIT
// Progress lines on a fake clock: what a terminal and a log see, and when.
#include "engine/run/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace rotor {
namespace {
namespace progress_test {

struct FakeClock {
    double now = 100.0;
    ProgressMeter::Clock fn() {
        return [this] { return now; };
    }
};

TEST(Progress, ModesAndDurations) {
    EXPECT_EQ(parseProgressMode("auto"), ProgressMode::Auto);
    EXPECT_EQ(parseProgressMode("always"), ProgressMode::Always);
    EXPECT_EQ(parseProgressMode("never"), ProgressMode::Never);
    EXPECT_FALSE(parseProgressMode("sometimes").has_value());
    EXPECT_EQ(formatSeconds(7.6), "8s");
    EXPECT_EQ(formatSeconds(185), "3m05s");
    EXPECT_EQ(formatSeconds(3720), "1h02m");
}

TEST(Progress, LiveLineShowsRateAndEtaAndRedrawsAtMostEveryTenthOfASecond) {
    std::ostringstream err;
    FakeClock clock;
    ProgressMeter m(err, ProgressMode::Auto, /*terminal=*/true, clock.fn());
    m.start("[1/1] x", "paths", 10000);
    clock.now += 4.0;
    m.update(4000);  // 1000 paths/s; 6000 left -> 6 s
    EXPECT_EQ(err.str(), "\r[1/1] x: 4000/10000 paths (40%, 1000 paths/s, ETA 6s)");
    clock.now += 0.05;
    m.update(4100);     // too soon: not redrawn
    clock.now += 3.95;  // 8 s in
    m.update(10000);
    // The shorter final line blanks what the longer one left (53 - 37 = 16 spaces), then ends.
    EXPECT_EQ(err.str(),
              "\r[1/1] x: 4000/10000 paths (40%, 1000 paths/s, ETA 6s)"
              "\r[1/1] x: 10000/10000 paths (100%, 8s)" +
                  std::string(16, ' ') + "\n");
}

TEST(Progress, AutoOffATerminalIsSilentForShortRuns) {
    std::ostringstream err;
    FakeClock clock;
    ProgressMeter m(err, ProgressMode::Auto, /*terminal=*/false, clock.fn());
    m.start("x", "paths", 100);
    for (int k = 1; k <= 100; ++k) {
        clock.now += 0.04;  // 4 s in all
        m.update(static_cast<std::uint64_t>(k));
    }
    EXPECT_EQ(err.str(), "");
}

TEST(Progress, AutoOffATerminalPrintsPlainLinesOnceARunIsLong) {
    std::ostringstream err;
    FakeClock clock;
    ProgressMeter m(err, ProgressMode::Auto, /*terminal=*/false, clock.fn());
    m.start("x", "paths", 1000);
    clock.now += 2.0;
    m.update(100);  // 2 s: silent, the first tenth is not printed late
    clock.now += 3.0;
    m.update(250);  // 5 s: the first line (50 paths/s)
    clock.now += 1.0;
    m.update(260);  // same tenth, 1 s later: nothing
    clock.now += 1.0;
    m.update(300);  // a new tenth: a line (7 s, 300 done -> 42.857/s, 700 left -> 16.33 s)
    clock.now += 13.0;
    m.update(1000);  // the end: 20 s
    EXPECT_EQ(err.str(),
              "x: 250/1000 paths (25%, 50 paths/s, ETA 15s)\n"
              "x: 300/1000 paths (30%, 43 paths/s, ETA 16s)\n"
              "x: 1000/1000 paths (100%, 20s)\n");
}

TEST(Progress, AlwaysPrintsEachTenthAndEveryFiveSeconds) {
    std::ostringstream err;
    FakeClock clock;
    ProgressMeter m(err, ProgressMode::Always, /*terminal=*/false, clock.fn());
    m.start("h", "strategies", 4);
    clock.now += 1.0;
    m.update(1);  // 25%: a new tenth (2)
    clock.now += 1.0;
    m.update(2);
    clock.now += 1.0;
    m.update(4);
    EXPECT_EQ(err.str(),
              "h: 1/4 strategies (25%, 1.0 strategies/s, ETA 3s)\n"
              "h: 2/4 strategies (50%, 1.0 strategies/s, ETA 2s)\n"
              "h: 4/4 strategies (100%, 3s)\n");
    // Within one tenth, a line every 5 s.
    std::ostringstream slow;
    ProgressMeter s(slow, ProgressMode::Always, false, clock.fn());
    s.start("s", "paths", 1000);
    clock.now += 2.0;
    s.update(10);  // 1%, 2 s: nothing due
    clock.now += 3.0;
    s.update(20);  // 5 s: due (10 s to go per path... 4 paths/s, 980 left -> 245 s)
    EXPECT_EQ(slow.str(), "s: 20/1000 paths (2%, 4.0 paths/s, ETA 4m05s)\n");
}

TEST(Progress, NeverPrintsNothing) {
    std::ostringstream err;
    FakeClock clock;
    ProgressMeter m(err, ProgressMode::Never, true, clock.fn());
    m.start("x", "paths", 10);
    clock.now += 10.0;
    m.update(10);
    EXPECT_EQ(err.str(), "");
}

}  // namespace progress_test
}  // namespace
}  // namespace rotor
