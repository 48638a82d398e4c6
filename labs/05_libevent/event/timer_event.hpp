#pragma once
// This file shows:
//  - a one-shot timer owned by a C++ object, its callback a std::function;
//  - the trampoline pattern: libevent calls a plain C function with a void* ctx, and the ctx
//    points at a heap block that a C++ move does not relocate, so moves stay cheap and noexcept.

#include <chrono>
#include <functional>
#include <memory>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"

namespace netlab::libevent {

/// A timer on one base. Move-only. Every member is for the loop thread only.
class TimerEvent {
public:
    /// Runs on the loop thread when the timer expires; must not block. It may restart or destroy the timer.
    using Callback = std::function<void()>;

    /// Creates the timer, not yet armed. Throws std::system_error if libevent cannot.
    TimerEvent(EventBase& base, Callback on_timeout);
    /// Takes other's handle; a moved-from TimerEvent holds nothing: only destroy it or assign to it.
    TimerEvent(TimerEvent&&) noexcept = default;
    /// Frees this timer first (it never fires again), then takes other's.
    TimerEvent& operator=(TimerEvent&& other) noexcept;
    ~TimerEvent() = default;

    /// Arms the timer to fire once, `after` from now; re-arming replaces the earlier deadline.
    void start(std::chrono::milliseconds after);
    /// Disarms the timer; it will not fire until start() again.
    void stop() noexcept;
    /// True while armed.
    [[nodiscard]] bool pending() const noexcept;

private:
    struct State {
        event_base* base;
        Callback on_timeout;
    };
    static void trampoline(evutil_socket_t fd, short what, void* ctx);

    std::unique_ptr<State> state_;  // the C side's ctx: stays put when the TimerEvent moves
    EventPtr event_;                // declared last, so it is freed first: no callback after state_ dies
};

}  // namespace netlab::libevent
