#pragma once
// This file shows:
//  - the event loop (event_base) as a move-only C++ owner;
//  - loopexit versus loopbreak: loopexit is an event the loop runs, so it works even when called
//    before dispatch(); loopbreak only sets a flag that dispatch() clears when it starts, so a
//    loopbreak before dispatch() is lost;
//  - one thread: a base is not thread-safe. Another thread may only signal it (loopexit, event_active)
//    after evthread_use_pthreads() ran BEFORE the base was created; this lab never needs that.

#include <chrono>
#include <string>

#include "05_libevent/event/owners.hpp"

namespace netlab::libevent {

/// Timer precision. coarse: libevent's Linux default, CLOCK_MONOTONIC_COARSE, so a timer may fire a
/// few ms (one kernel tick) early by a precise clock; free. precise: EVENT_BASE_FLAG_PRECISE_TIMER,
/// exact to the microsecond, at the price of one timerfd_settime() call per loop turn.
enum class Timers { coarse, precise };

/// Owns an event_base. Move-only. Use it, and everything created on it, from one thread only.
class EventBase {
public:
    /// How exactly timers fire (see Timers). Throws std::system_error when libevent cannot make a base.
    explicit EventBase(Timers timers = Timers::coarse);

    /// The raw base, still owned by this object (for libevent calls the wrapper does not cover).
    [[nodiscard]] event_base* get() const noexcept { return base_.get(); }
    /// The kernel interface libevent picked: "epoll" on Linux.
    [[nodiscard]] std::string method() const;

    /// Runs the loop on the calling thread until no event is left, loopexit() or loopbreak().
    /// Rethrows the first exception a callback threw (that also stopped the loop).
    void dispatch();
    /// Stops the loop after `after` (0: after the callbacks already active); works before dispatch().
    void loopexit(std::chrono::milliseconds after = std::chrono::milliseconds(0));
    /// Stops the loop after the current callback. Only meaningful from a callback of this base.
    void loopbreak();

private:
    EventBasePtr base_;
};

/// A struct timeval for a libevent timeout.
timeval to_timeval(std::chrono::milliseconds duration) noexcept;

}  // namespace netlab::libevent
