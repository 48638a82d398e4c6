#include "run_phases.hpp"

#include <algorithm>

namespace netlab::bench {
namespace {

/// How often connections are checked for stalls.
constexpr auto kStallCheckEvery = std::chrono::milliseconds(100);

}  // namespace

RunPhases::RunPhases(Clock::time_point start, const LoadOptions& options)
    : measure_from_(start + std::chrono::duration_cast<Clock::duration>(options.warmup)),
      measure_until_(measure_from_ + std::chrono::duration_cast<Clock::duration>(options.measure)),
      next_stall_check_(start + kStallCheckEvery) {}

bool RunPhases::advance(Clock::time_point now, LoadReport& report) {
    if (phase_ == Phase::warmup && now >= measure_from_) {
        phase_ = Phase::measure;
        measured_from_ = now;
        cpu_from_ = process_cpu_times();
        return true;
    }
    if (phase_ == Phase::measure && now >= measure_until_) {
        set_cpu(report, cpu_from_, process_cpu_times());
        report.seconds = std::chrono::duration<double>(now - measured_from_).count();
        phase_ = Phase::drain;
        return true;
    }
    return false;
}

bool RunPhases::stall_check_due(Clock::time_point now) {
    if (now < next_stall_check_) {
        return false;
    }
    next_stall_check_ = now + kStallCheckEvery;
    return true;
}

int RunPhases::wait_ms(Clock::time_point now) const {
    const auto boundary = phase_ == Phase::warmup    ? measure_from_
                          : phase_ == Phase::measure ? measure_until_
                                                     : next_stall_check_;
    const auto wake = std::min(boundary, next_stall_check_);
    return static_cast<int>(
        std::max<long long>(0, std::chrono::ceil<std::chrono::milliseconds>(wake - now).count()));
}

}  // namespace netlab::bench
