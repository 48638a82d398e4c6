#pragma once
// This file shows:
//  - a progress bar drawn from the transfer-info callback: a pure function renders one line,
//    and ProgressBar redraws it (with \r) at most every 100 ms, so the callback, which libcurl
//    calls very often, stays cheap;
//  - a library that writes only where its caller says: the descriptor comes in (http_get's
//    main passes stderr), never a std::cerr of its own.

#include <chrono>
#include <cstdint>
#include <string>

namespace netlab::curl {

/// "[#####     ]  50%  1.0 MiB of 2.0 MiB", or "  1.0 MiB" when total is 0 (unknown). Pure.
std::string render_progress(std::uint64_t now, std::uint64_t total, std::size_t width);

/// Draws a progress line on the file descriptor it is given, throttled.
class ProgressBar {
public:
    /// fd is where the line goes (a program's main passes STDERR_FILENO); it is not owned.
    explicit ProgressBar(int fd) : fd_(fd) {}
    /// Redraws if 100 ms passed since the last draw, or when now reaches total. Never throws.
    void update(std::uint64_t now, std::uint64_t total) noexcept;
    /// Draws the last state and ends the line (once; later calls do nothing).
    void finish() noexcept;

private:
    int fd_;
    std::uint64_t now_ = 0;
    std::uint64_t total_ = 0;
    std::string shown_;  // the line on screen now
    bool drawn_ = false;
    bool finished_ = false;
    std::chrono::steady_clock::time_point last_{};

    void draw(const std::string& line, const char* end) noexcept;
};

}  // namespace netlab::curl
