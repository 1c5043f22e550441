// SPDX-License-Identifier: MIT
// Progress of a long run on stderr: a line redrawn in place on a terminal, plain lines for logs
// and CI (docs/cli.md, "Progress").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace rotor {

// `--progress`: auto shows a live line on a terminal and, off a terminal, plain lines only once
// a cell has run 5 s (short runs stay silent in logs); always shows plain lines off a terminal
// from the start; never shows nothing.
enum class ProgressMode { Never, Auto, Always };
// "auto", "always", "never"; nullopt for anything else.
std::optional<ProgressMode> parseProgressMode(const std::string& name);

class ProgressMeter {
public:
    // Seconds on a monotonic clock (tests pass their own).
    using Clock = std::function<double()>;
    ProgressMeter(std::ostream& err, ProgressMode mode, bool terminal, Clock clock = {});

    // A new cell of `total` units ("paths", "strategies") named `tag`.
    void start(const std::string& tag, const char* unit, std::uint64_t total);
    // `done` units of the current cell are finished (non-decreasing; done == total ends it).
    void update(std::uint64_t done);

    // Plain lines: at least this long apart unless a new tenth is reached, and (auto) none
    // before a cell has run this long.
    static constexpr double kLineSeconds = 5.0;
    // A live line is redrawn at most this often.
    static constexpr double kRedrawSeconds = 0.1;

private:
    std::string status(std::uint64_t done, double elapsed) const;
    void live(std::uint64_t done, double now);
    void line(std::uint64_t done, double now);

    std::ostream& err_;
    ProgressMode mode_;
    bool terminal_;
    Clock clock_;
    std::string tag_;
    const char* unit_ = "";
    std::uint64_t total_ = 0;
    double started_ = 0.0;
    double lastShown_ = -1.0;  // when the last line was drawn or printed (-1: none this cell)
    std::uint64_t lastTenth_ = 0;
    std::size_t width_ = 0;  // of the live line drawn last, to blank what a shorter one leaves
};

// "8s", "3m05s", "1h02m".
std::string formatSeconds(double seconds);

}  // namespace rotor
