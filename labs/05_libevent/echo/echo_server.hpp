#pragma once
// This file shows:
//  - the shape of the course's first libevent sample (listener -> accept callback -> bufferevent
//    -> echo read callback + event callback), with what a real server adds: a connection limit,
//    idle timeouts, backpressure through watermarks, and half-close;
//  - ownership in a callback world: the server owns every Connection; a Connection is destroyed
//    (its bufferevent freed) only through EchoServer::close(), as the last thing one of its own
//    callbacks does;
//  - two ways in: by default libevent reads into the bufferevent's input and calls on_read (the
//    notes' shape); with direct_read a ReadEvent calls on_readable and we recv() ourselves, while
//    the bufferevent still does all the writing. The second costs a quarter fewer system calls.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/listener.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "common/endpoint.hpp"
#include "common/unique_fd.hpp"

namespace netlab::libevent {

/// The echo server's limits.
struct EchoOptions {
    std::size_t max_connections = 1000;             ///< beyond this many, accepting pauses
    std::chrono::milliseconds idle_timeout{60000};  ///< no progress for this long closes a client; 0: never
    std::size_t high_watermark = 256 * 1024;        ///< queued echo bytes at which reading a client pauses
    bool direct_read = false;  ///< read with recv() from a ReadEvent, not through the bufferevent's input
};

/// An echo server on one event loop. Not movable (callbacks hold `this`); loop thread only.
class EchoServer {
public:
    /// One client, owned by connections_; defined in echo_connection.hpp (the server's private
    /// half, which the in-process tests also include to drive one client over a socketpair).
    class Connection;

    /// Binds where (port 0: any) and starts accepting once the loop runs. Throws on failure.
    EchoServer(EventBase& base, const HostPort& where, EchoOptions options);
    /// Closes every connection (pending echo is dropped) and the listener.
    ~EchoServer();
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    /// The listening socket, still owned by the server (e.g. for announce_listening).
    [[nodiscard]] int listener_fd() const noexcept { return listener_.socket_fd(); }
    /// Connections currently open.
    [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.size(); }

private:
    void on_accept(UniqueFd client, const sockaddr* peer, socklen_t peer_length);
    void on_accept_error(int error);
    void close(Connection& connection);
    void update_accepting();

    EventBase& base_;
    EchoOptions options_;
    Listener listener_;
    TimerEvent retry_accept_;  // armed while accepting pauses after EMFILE and friends
    bool accepting_ = true;
    std::vector<std::byte> read_buffer_;  // direct_read: one buffer for all, as callbacks run one at a time
    std::unordered_map<const Connection*, std::unique_ptr<Connection>> connections_;
};

}  // namespace netlab::libevent
