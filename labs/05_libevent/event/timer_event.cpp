// This lab shows:
//  - evtimer_new/event_add with a timeval: a timer is an event without a descriptor;
//  - a C trampoline that turns (fd, what, void* ctx) back into the C++ callback, guarded so that an
//    exception stops the loop instead of unwinding through libevent.

#include "05_libevent/event/timer_event.hpp"

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"

namespace netlab::libevent {

TimerEvent::TimerEvent(EventBase& base, Callback on_timeout)
    : state_(std::make_unique<State>(State{base.get(), std::move(on_timeout)})) {
    // BEGIN SOLUTION TimerEvent
    event_.reset(evtimer_new(base.get(), &TimerEvent::trampoline, state_.get()));
    if (!event_) {
        throw_libevent_error("evtimer_new");
    }
    // END SOLUTION
}

TimerEvent& TimerEvent::operator=(TimerEvent&& other) noexcept {
    if (this == &other) {
        return *this;  // self-move keeps what we have
    }
    event_.reset();  // first: our old callback can no longer run once its state is replaced
    state_ = std::move(other.state_);
    event_ = std::move(other.event_);
    return *this;
}

void TimerEvent::start(std::chrono::milliseconds after) {
    // BEGIN SOLUTION start
    const timeval tv = to_timeval(after);
    if (evtimer_add(event_.get(), &tv) < 0) {
        throw_libevent_error("evtimer_add");
    }
    // END SOLUTION
}

void TimerEvent::stop() noexcept {
    if (event_) {
        evtimer_del(event_.get());
    }
}

bool TimerEvent::pending() const noexcept {
    return event_ && evtimer_pending(event_.get(), nullptr) != 0;
}

void TimerEvent::trampoline(evutil_socket_t, short, void* ctx) {
    auto* state = static_cast<State*>(ctx);
    detail::run_guarded(state->base, [state] { state->on_timeout(); });
}

}  // namespace netlab::libevent
