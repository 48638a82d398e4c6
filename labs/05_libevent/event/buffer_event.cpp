// This lab shows:
//  - bufferevent_socket_new with BEV_OPT_CLOSE_ON_FREE: the UniqueFd hands its socket over, and
//    from then on the bufferevent closes it;
//  - three trampolines, one per kind of callback, each guarded; the event trampoline reads errno
//    first, before any other call can overwrite it.

#include "05_libevent/event/buffer_event.hpp"

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"

namespace netlab::libevent {

BufferEvent::BufferEvent(EventBase& base, UniqueFd socket)
    : state_(std::make_unique<State>(State{base.get(), {}, {}, {}})) {
    // BEGIN SOLUTION BufferEvent
    if (::evutil_make_socket_nonblocking(socket.get()) < 0) {
        throw_libevent_error("evutil_make_socket_nonblocking");
    }
    bev_.reset(::bufferevent_socket_new(base.get(), socket.get(), BEV_OPT_CLOSE_ON_FREE));
    if (!bev_) {
        throw_libevent_error("bufferevent_socket_new");  // the socket is still ours: UniqueFd closes it
    }
    [[maybe_unused]] const int handed_over = socket.release();  // the bufferevent closes it from now on
    ::bufferevent_setcb(bev_.get(), &BufferEvent::read_trampoline, &BufferEvent::write_trampoline,
                        &BufferEvent::event_trampoline, state_.get());
    // END SOLUTION
}

BufferEvent& BufferEvent::operator=(BufferEvent&& other) noexcept {
    if (this == &other) {
        return *this;  // self-move keeps what we have
    }
    bev_.reset();  // first: our old callbacks can no longer run once their state is replaced
    state_ = std::move(other.state_);
    bev_ = std::move(other.bev_);
    return *this;
}

void BufferEvent::set_callbacks(DataCallback on_read, DataCallback on_write, EventCallback on_event) {
    state_->on_read = std::move(on_read);
    state_->on_write = std::move(on_write);
    state_->on_event = std::move(on_event);
}

void BufferEvent::enable(short what) {
    if (::bufferevent_enable(bev_.get(), what) < 0) {
        throw_libevent_error("bufferevent_enable");
    }
}

void BufferEvent::disable(short what) {
    if (::bufferevent_disable(bev_.get(), what) < 0) {
        throw_libevent_error("bufferevent_disable");
    }
}

bool BufferEvent::enabled(short what) const noexcept {
    return (::bufferevent_get_enabled(bev_.get()) & what) == what;
}

void BufferEvent::set_timeouts(std::chrono::milliseconds read, std::chrono::milliseconds write) {
    const timeval read_tv = to_timeval(read);
    const timeval write_tv = to_timeval(write);
    if (::bufferevent_set_timeouts(bev_.get(), read.count() > 0 ? &read_tv : nullptr,
                                   write.count() > 0 ? &write_tv : nullptr) < 0) {
        throw_libevent_error("bufferevent_set_timeouts");
    }
}

void BufferEvent::set_write_low_watermark(std::size_t low) {
    ::bufferevent_setwatermark(bev_.get(), EV_WRITE, low, 0);
}

void BufferEvent::set_max_single_write(std::size_t bytes) {
    if (::bufferevent_set_max_single_write(bev_.get(), bytes) < 0) {
        throw_libevent_error("bufferevent_set_max_single_write");
    }
}

void BufferEvent::read_trampoline(bufferevent*, void* ctx) {
    auto* state = static_cast<State*>(ctx);
    if (state->on_read) {
        detail::run_guarded(state->base, [state] { state->on_read(); });
    }
}

void BufferEvent::write_trampoline(bufferevent*, void* ctx) {
    auto* state = static_cast<State*>(ctx);
    if (state->on_write) {
        detail::run_guarded(state->base, [state] { state->on_write(); });
    }
}

void BufferEvent::event_trampoline(bufferevent*, short events, void* ctx) {
    const int error = EVUTIL_SOCKET_ERROR();  // first: any later call may overwrite errno
    auto* state = static_cast<State*>(ctx);
    if (state->on_event) {
        detail::run_guarded(state->base, [state, events, error] { state->on_event(events, error); });
    }
}

}  // namespace netlab::libevent
