// This lab shows:
//  - event_new(base, fd, EV_READ | EV_PERSIST, ...): one registration, many callbacks;
//  - event_add with a timeval for an idle timeout, and with nullptr for none.

#include "05_libevent/event/read_event.hpp"

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"

namespace netlab::libevent {

ReadEvent::ReadEvent(EventBase& base, int fd, Callback on_ready)
    : state_(std::make_unique<State>(State{base.get(), std::move(on_ready)})) {
    event_.reset(::event_new(base.get(), fd, EV_READ | EV_PERSIST, &ReadEvent::trampoline, state_.get()));
    if (!event_) {
        throw_libevent_error("event_new");
    }
}

ReadEvent& ReadEvent::operator=(ReadEvent&& other) noexcept {
    if (this == &other) {
        return *this;  // self-move keeps what we have
    }
    event_.reset();  // first: our old callback can no longer run once its state is replaced
    state_ = std::move(other.state_);
    event_ = std::move(other.event_);
    return *this;
}

void ReadEvent::start(std::chrono::milliseconds idle) {
    const timeval tv = to_timeval(idle);
    if (::event_add(event_.get(), idle.count() > 0 ? &tv : nullptr) < 0) {
        throw_libevent_error("event_add");
    }
}

void ReadEvent::stop() noexcept {
    if (event_) {
        ::event_del(event_.get());
    }
}

void ReadEvent::trampoline(evutil_socket_t, short what, void* ctx) {
    auto* state = static_cast<State*>(ctx);
    const bool timed_out = (what & EV_TIMEOUT) != 0;
    detail::run_guarded(state->base, [state, timed_out] { state->on_ready(timed_out); });
}

}  // namespace netlab::libevent
