// This lab shows:
//  - evconnlistener_new_bind tried on each address getaddrinfo returns, with the errno of the
//    failing call kept for the error message (read it before any other call can change it);
//  - the accept trampoline: the new descriptor gets its owner (UniqueFd) before any C++ code runs.

#include "05_libevent/event/listener.hpp"

#include <cerrno>
#include <system_error>

#include "05_libevent/event/callback_guard.hpp"
#include "05_libevent/event/libevent_error.hpp"
#include "common/addrinfo.hpp"

namespace netlab::libevent {

ListenerPtr bind_listener(event_base* base, const HostPort& where, evconnlistener_cb on_accept, void* ctx) {
    // BEGIN SOLUTION bind_listener
    constexpr unsigned kFlags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC;
    const AddrInfoList addresses = resolve(where.host, where.port, SOCK_STREAM, Passive::yes);
    int error = EADDRNOTAVAIL;
    for (const addrinfo* ai = addresses.get(); ai != nullptr; ai = ai->ai_next) {
        ListenerPtr listener(::evconnlistener_new_bind(base, on_accept, ctx, kFlags, SOMAXCONN, ai->ai_addr,
                                                       static_cast<int>(ai->ai_addrlen)));
        if (listener) {
            return listener;
        }
        error = errno;
    }
    throw std::system_error(error, std::system_category(), "bind " + format_host_port(where));
    // END SOLUTION
}

Listener::Listener(EventBase& base, const HostPort& where, AcceptCallback on_accept, ErrorCallback on_error)
    : state_(std::make_unique<State>(State{base.get(), std::move(on_accept), std::move(on_error)})) {
    listener_ = bind_listener(base.get(), where, &Listener::accept_trampoline, state_.get());
    if (state_->on_error) {
        ::evconnlistener_set_error_cb(listener_.get(), &Listener::error_trampoline);
    }
}

void Listener::enable() {
    if (::evconnlistener_enable(listener_.get()) < 0) {
        throw_libevent_error("evconnlistener_enable");
    }
}

void Listener::disable() {
    if (::evconnlistener_disable(listener_.get()) < 0) {
        throw_libevent_error("evconnlistener_disable");
    }
}

void Listener::accept_trampoline(evconnlistener*, evutil_socket_t fd, sockaddr* peer, int length, void* ctx) {
    UniqueFd client(fd);  // owned from the first instruction: closed even if the callback throws
    auto* state = static_cast<State*>(ctx);
    detail::run_guarded(state->base,
                        [&] { state->on_accept(std::move(client), peer, static_cast<socklen_t>(length)); });
}

void Listener::error_trampoline(evconnlistener*, void* ctx) {
    const int error = EVUTIL_SOCKET_ERROR();  // first: any later call may overwrite errno
    auto* state = static_cast<State*>(ctx);
    detail::run_guarded(state->base, [&] { state->on_error(error); });
}

}  // namespace netlab::libevent
