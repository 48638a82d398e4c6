#pragma once
// Waiting without fixed sleeps: poll a condition until it holds or a deadline passes.

#include <chrono>
#include <functional>
#include <thread>

namespace netlab::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// How often wait_until polls its condition.
inline constexpr auto kPollInterval = 1ms;

/// Calls condition every millisecond or so until it returns true (-> true) or timeout passes (-> false).
inline bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (condition()) {
            return true;
        }
        if (Clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(kPollInterval);  // poll interval; the deadline bounds the wait
    }
}

/// Milliseconds left until deadline, at least 0, as poll()'s timeout argument.
inline int millis_left(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace netlab::testing
