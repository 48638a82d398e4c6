#pragma once
// This file shows:
//  - a Unix signal delivered as an ordinary loop callback: libevent's handler only writes a byte to
//    a socketpair, and the loop runs our callback later, where any code is safe (no async-signal rules);
//  - the clean way to stop a server: the SIGINT callback calls loopexit(), dispatch() returns,
//    and main's destructors free everything (StopOnSignals, for SIGINT and SIGTERM at once).

#include <functional>
#include <memory>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"

namespace netlab::libevent {

/// Watches one signal from construction until destruction (then the old disposition is restored).
/// Move-only. Only one event_base per process may watch signals.
class SignalEvent {
public:
    /// Runs on the loop thread, once per delivery (deliveries close together may merge); must not block.
    using Callback = std::function<void()>;

    /// Starts watching signal_number. Throws std::system_error if libevent cannot.
    SignalEvent(EventBase& base, int signal_number, Callback on_signal);
    /// Takes other's handle; a moved-from SignalEvent holds nothing: only destroy it or assign to it.
    SignalEvent(SignalEvent&&) noexcept = default;
    /// Stops watching this signal first, then takes other's.
    SignalEvent& operator=(SignalEvent&& other) noexcept;
    ~SignalEvent() = default;

private:
    struct State {
        event_base* base;
        Callback on_signal;
    };
    static void trampoline(evutil_socket_t signal_number, short what, void* ctx);

    std::unique_ptr<State> state_;  // the C side's ctx: stays put when the SignalEvent moves
    EventPtr event_;                // declared last, so it is freed first
};

/// The server contract's clean stop: from construction until destruction, SIGINT and SIGTERM end
/// base's loop (loopexit), so dispatch() returns and main's destructors free everything. Not movable.
class StopOnSignals {
public:
    /// Starts watching SIGINT and SIGTERM. Throws std::system_error if libevent cannot.
    explicit StopOnSignals(EventBase& base);

private:
    SignalEvent on_sigint_;
    SignalEvent on_sigterm_;
};

}  // namespace netlab::libevent
