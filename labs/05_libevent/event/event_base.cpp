// This lab shows:
//  - creating the loop and running it; the loop is the only place any callback of this lab runs;
//  - how an exception from a callback gets back to main: run_guarded stored it and broke the loop,
//    dispatch() rethrows it here, on the thread that called dispatch().

#include "05_libevent/event/event_base.hpp"

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"

namespace netlab::libevent {

timeval to_timeval(std::chrono::milliseconds duration) noexcept {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(seconds.count());
    tv.tv_usec = static_cast<suseconds_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(duration - seconds).count());
    return tv;
}

EventBase::EventBase(Timers timers) {
    // BEGIN SOLUTION EventBase
    const EventConfigPtr config(::event_config_new());
    if (!config) {
        throw_libevent_error("event_config_new");
    }
    if (timers == Timers::precise &&
        ::event_config_set_flag(config.get(), EVENT_BASE_FLAG_PRECISE_TIMER) < 0) {
        throw_libevent_error("event_config_set_flag");
    }
    base_.reset(::event_base_new_with_config(config.get()));
    if (!base_) {
        throw_libevent_error("event_base_new_with_config");
    }
    // END SOLUTION
}

std::string EventBase::method() const {
    return ::event_base_get_method(base_.get());
}

void EventBase::dispatch() {
    // BEGIN SOLUTION dispatch
    detail::take_failure();  // a failure left over from an earlier loop on this thread is not ours
    const int rc = ::event_base_dispatch(base_.get());
    if (const std::exception_ptr failure = detail::take_failure()) {
        std::rethrow_exception(failure);
    }
    if (rc < 0) {
        throw_libevent_error("event_base_dispatch");
    }
    // END SOLUTION
}

void EventBase::loopexit(std::chrono::milliseconds after) {
    // BEGIN SOLUTION loopexit
    const timeval tv = to_timeval(after);
    if (::event_base_loopexit(base_.get(), &tv) < 0) {
        throw_libevent_error("event_base_loopexit");
    }
    // END SOLUTION
}

void EventBase::loopbreak() {
    if (::event_base_loopbreak(base_.get()) < 0) {
        throw_libevent_error("event_base_loopbreak");
    }
}

}  // namespace netlab::libevent
