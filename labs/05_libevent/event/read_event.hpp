#pragma once
// This file shows:
//  - a plain I/O event: "tell me when this descriptor is readable", with no buffer in between.
//    The program reads the socket itself, with one recv() of the size it chooses: no
//    ioctl(FIONREAD) first and no 4096-byte cap, the two costs a bufferevent's reading adds;
//  - EV_PERSIST with a timeout: the event stays armed after each callback, and the timeout
//    restarts whenever it fires, so it measures time since the last readiness: an idle timeout.

#include <chrono>
#include <functional>
#include <memory>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"

namespace netlab::libevent {

/// A persistent read event on one descriptor it does not own. Move-only; loop thread only.
class ReadEvent {
public:
    /// Runs on the loop thread: timed_out is false when fd is readable (data, EOF or an error to
    /// collect), true when it stayed quiet for the timeout. Must not block. May destroy this event.
    using Callback = std::function<void(bool timed_out)>;

    /// Creates the event for fd, not yet armed. Throws std::system_error if libevent cannot.
    ReadEvent(EventBase& base, int fd, Callback on_ready);
    /// Takes other's handle; a moved-from ReadEvent holds nothing: only destroy it or assign to it.
    ReadEvent(ReadEvent&&) noexcept = default;
    /// Frees this event first (its callback never runs again), then takes other's.
    ReadEvent& operator=(ReadEvent&& other) noexcept;
    ~ReadEvent() = default;

    /// Arms it; idle > 0 also reports a quiet spell of that length (0: never). Re-arming resets it.
    void start(std::chrono::milliseconds idle);
    /// Disarms it: no callback until start() again.
    void stop() noexcept;

private:
    struct State {
        event_base* base;
        Callback on_ready;
    };
    static void trampoline(evutil_socket_t fd, short what, void* ctx);

    std::unique_ptr<State> state_;  // the C side's ctx: stays put when the ReadEvent moves
    EventPtr event_;                // declared last, so it is freed first: no callback after state_ dies
};

}  // namespace netlab::libevent
