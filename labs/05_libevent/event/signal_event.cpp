// This lab shows:
//  - evsignal_new with EV_PERSIST: one event that stays armed for every delivery of the signal;
//  - a signal handled through the loop, so the callback may call anything, loopexit() included.

#include "05_libevent/event/signal_event.hpp"

#include <csignal>
#include <string>

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"

namespace netlab::libevent {

SignalEvent::SignalEvent(EventBase& base, int signal_number, Callback on_signal)
    : state_(std::make_unique<State>(State{base.get(), std::move(on_signal)})) {
    // BEGIN SOLUTION SignalEvent
    event_.reset(evsignal_new(base.get(), signal_number, &SignalEvent::trampoline, state_.get()));
    if (!event_ || evsignal_add(event_.get(), nullptr) < 0) {
        throw_libevent_error("evsignal_new/evsignal_add for signal " + std::to_string(signal_number));
    }
    // END SOLUTION
}

SignalEvent& SignalEvent::operator=(SignalEvent&& other) noexcept {
    if (this == &other) {
        return *this;  // self-move keeps what we have
    }
    event_.reset();
    state_ = std::move(other.state_);
    event_ = std::move(other.event_);
    return *this;
}

void SignalEvent::trampoline(evutil_socket_t, short, void* ctx) {
    auto* state = static_cast<State*>(ctx);
    detail::run_guarded(state->base, [state] { state->on_signal(); });
}

StopOnSignals::StopOnSignals(EventBase& base)
    : on_sigint_(base, SIGINT, [&base] { base.loopexit(); }),
      on_sigterm_(base, SIGTERM, [&base] { base.loopexit(); }) {}

}  // namespace netlab::libevent
