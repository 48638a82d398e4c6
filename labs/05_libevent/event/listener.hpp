#pragma once
// This file shows:
//  - evconnlistener: libevent accepts for us (non-blocking, close-on-exec) and hands each new
//    socket to a callback; we wrap that socket in a UniqueFd at once, so it has an owner;
//  - binding HOST:PORT through netlab::resolve (IPv4 and IPv6), and reading the real port back
//    after binding port 0;
//  - pausing accepting (disable/enable), the libevent way to bound the number of connections.

#include <sys/socket.h>

#include <functional>
#include <memory>
#include <string>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/owners.hpp"
#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::libevent {

/// Binds and listens on the first address of where that works (LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE
/// | LEV_OPT_CLOSE_ON_EXEC, backlog SOMAXCONN); on_accept may be null (then the listener starts disabled).
/// Throws std::system_error("bind HOST:PORT") when no address can be bound.
ListenerPtr bind_listener(event_base* base, const HostPort& where, evconnlistener_cb on_accept, void* ctx);

/// A listening socket inside the loop. Move-only; loop thread only.
class Listener {
public:
    /// Runs on the loop thread for each accepted client, which it now owns; must not block.
    using AcceptCallback = std::function<void(UniqueFd client, const sockaddr* peer, socklen_t peer_length)>;
    /// Runs on the loop thread when accept() failed with a non-retriable error (e.g. EMFILE); must not block.
    using ErrorCallback = std::function<void(int error)>;

    /// Binds where and starts accepting. Without on_error, libevent logs accept errors as warnings.
    Listener(EventBase& base, const HostPort& where, AcceptCallback on_accept, ErrorCallback on_error = {});

    /// The listening socket, still owned by the listener.
    [[nodiscard]] int socket_fd() const noexcept { return ::evconnlistener_get_fd(listener_.get()); }
    /// Starts accepting again after disable().
    void enable();
    /// Stops accepting; new clients wait in the kernel's backlog (their connect() still succeeds).
    void disable();

private:
    struct State {
        event_base* base;
        AcceptCallback on_accept;
        ErrorCallback on_error;
    };
    static void accept_trampoline(evconnlistener* listener, evutil_socket_t fd, sockaddr* peer, int length,
                                  void* ctx);
    static void error_trampoline(evconnlistener* listener, void* ctx);

    std::unique_ptr<State> state_;  // the C side's ctx: stays put when the Listener moves
    ListenerPtr listener_;          // declared last, so it is freed first
};

}  // namespace netlab::libevent
