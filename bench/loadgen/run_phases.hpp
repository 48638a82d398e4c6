#pragma once
// This file shows:
//  - the clock of one load run, shared by every load generator: warm-up (not counted), the
//    measured window, then drain (no new work; wait for every echo owed), plus a stall check
//    every 100 ms, and how long the event loop may sleep before the next of those moments.

#include <chrono>

#include "load_options.hpp"
#include "load_report.hpp"

namespace netlab::bench {

using Clock = std::chrono::steady_clock;

/// warmup: running, not counted; measure: counted; drain: no new work, finishing what is owed.
enum class Phase { warmup, measure, drain };

/// Where a run stands in time. One per run; not thread-safe.
class RunPhases {
public:
    /// The warm-up starts at start; the windows come from options.
    RunPhases(Clock::time_point start, const LoadOptions& options);

    /// Moves on when a boundary has passed: entering measure starts the CPU clock, entering drain
    /// stores the window's seconds and CPU into report. Returns true when the phase changed.
    bool advance(Clock::time_point now, LoadReport& report);
    /// The current phase.
    [[nodiscard]] Phase phase() const noexcept { return phase_; }
    /// True once per stall-check interval (and re-armed by the call).
    bool stall_check_due(Clock::time_point now);
    /// Milliseconds until the next boundary or stall check (at least 0), for epoll_wait.
    [[nodiscard]] int wait_ms(Clock::time_point now) const;

private:
    Clock::time_point measure_from_;
    Clock::time_point measure_until_;
    Clock::time_point next_stall_check_;
    Clock::time_point measured_from_;
    CpuTimes cpu_from_;
    Phase phase_ = Phase::warmup;
};

}  // namespace netlab::bench
