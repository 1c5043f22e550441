// SPDX-License-Identifier: MIT
#include "engine/run/progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace rotor {

std::optional<ProgressMode> parseProgressMode(const std::string& name) {
    if (name == "auto") return ProgressMode::Auto;
    if (name == "always") return ProgressMode::Always;
    if (name == "never") return ProgressMode::Never;
    return std::nullopt;
}

std::string formatSeconds(double seconds) {
    const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%llds", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
    return buf;
}

ProgressMeter::ProgressMeter(std::ostream& err, ProgressMode mode, bool terminal, Clock clock)
    : err_(err), mode_(mode), terminal_(terminal), clock_(std::move(clock)) {
    if (!clock_)
        clock_ = [] {
            return std::chrono::duration<double>(
                       std::chrono::steady_clock::now().time_since_epoch())
                .count();
        };
}

void ProgressMeter::start(const std::string& tag, const char* unit, std::uint64_t total) {
    tag_ = tag;
    unit_ = unit;
    total_ = total;
    started_ = clock_();
    lastShown_ = -1.0;
    lastTenth_ = 0;
    width_ = 0;
}

void ProgressMeter::update(std::uint64_t done) {
    if (mode_ == ProgressMode::Never || total_ == 0 || done == 0) return;
    const double now = clock_();
    if (terminal_)
        live(done, now);
    else
        line(done, now);
}

// "4000/10000 paths (40%, 1250 paths/s, ETA 5s)", or "(100%, 8s)" at the end.
std::string ProgressMeter::status(std::uint64_t done, double elapsed) const {
    const double fraction = static_cast<double>(done) / static_cast<double>(total_);
    std::string s = tag_ + ": " + std::to_string(done) + "/" + std::to_string(total_) + " " +
                    unit_ + " (" + std::to_string(static_cast<int>(fraction * 100.0)) + "%, ";
    if (done >= total_) return s + formatSeconds(elapsed) + ")";
    if (elapsed <= 0.0) return s + "ETA -)";
    const double rate = static_cast<double>(done) / elapsed;
    char buf[32];
    std::snprintf(buf, sizeof buf, rate >= 10.0 ? "%.0f" : "%.1f", rate);
    return s + buf + " " + unit_ + "/s, ETA " +
           formatSeconds(static_cast<double>(total_ - done) / rate) + ")";
}

void ProgressMeter::live(std::uint64_t done, double now) {
    const bool last = done >= total_;
    if (!last && lastShown_ >= 0.0 && now - lastShown_ < kRedrawSeconds) return;
    const std::string text = status(done, now - started_);
    err_ << '\r' << text;
    if (text.size() < width_) err_ << std::string(width_ - text.size(), ' ');
    err_ << (last ? "\n" : "") << std::flush;
    width_ = text.size();
    lastShown_ = now;
}

void ProgressMeter::line(std::uint64_t done, double now) {
    const bool last = done >= total_;
    const double elapsed = now - started_;
    if (mode_ == ProgressMode::Auto && lastShown_ < 0.0 && elapsed < kLineSeconds) {
        // Short runs stay silent; the tenths passed meanwhile are not printed late.
        lastTenth_ = done * 10 / total_;
        return;
    }
    const std::uint64_t tenth = done * 10 / total_;
    const bool due = last || tenth > lastTenth_ ||
                     (lastShown_ < 0.0 ? elapsed >= kLineSeconds
                                       : now - lastShown_ >= kLineSeconds);
    if (!due) return;
    err_ << status(done, elapsed) << '\n' << std::flush;
    lastTenth_ = tenth;
    lastShown_ = now;
}

}  // namespace rotor
