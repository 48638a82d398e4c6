#pragma once
// This file shows:
//  - a WebSocket server on lab 05's libevent wrapper: a listener, one bufferevent per client,
//    and per client a small state machine: handshake -> open -> closing -> draining -> gone;
//  - the rules a real server keeps: the opening handshake bounded in size and in time (a fixed
//    deadline from accept, which no trickle of bytes extends: slowloris), every
//    violation answered with its close code, the close handshake with a deadline, backpressure
//    (a client whose replies pile up is not read until they drain), a connection limit, and out
//    of file descriptors (EMFILE) a pause in accepting instead of a busy loop;
//  - the server closes TCP first (RFC 6455 7.1.1) and then drains what the client still sends
//    until its FIN, so our Close frame is never destroyed by a reset.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/listener.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "09_websocket/protocol/http_head.hpp"
#include "09_websocket/server/session.hpp"
#include "common/endpoint.hpp"

namespace netlab::websocket {

/// The server's limits.
struct ServerOptions {
    std::size_t max_connections = 1000;    ///< beyond this many, accepting pauses
    std::size_t max_message = 1 << 20;     ///< a bigger message is refused with 1009
    std::size_t high_watermark = 1 << 20;  ///< queued output at which reading a client pauses
    std::size_t max_queued = 4 << 20;      ///< queued output at which a client is dropped (too slow)
    std::chrono::milliseconds handshake_timeout{
        10000};  ///< the upgrade request is complete this long after accept, or the connection ends
    std::chrono::milliseconds idle_timeout{
        60000};  ///< no byte for this long: a ping; no answer by the next: closed
    std::chrono::milliseconds close_timeout{
        5000};  ///< the close handshake may take this long, the drain as long again; traffic extends neither
    HeadLimits head;  ///< bounds of the upgrade request
};

/// A WebSocket server on one event loop. Not movable (callbacks hold `this`); loop thread only.
class WsServer {
public:
    /// Binds where (port 0: any) and serves handler's logic once the loop runs. Throws on failure.
    WsServer(libevent::EventBase& base, const HostPort& where, ServerOptions options, Handler& handler);
    /// Closes every connection at once (no close handshake) and the listener.
    ~WsServer();
    WsServer(const WsServer&) = delete;
    WsServer& operator=(const WsServer&) = delete;

    /// The listening socket, still owned by the server.
    [[nodiscard]] int listener_fd() const noexcept { return listener_.socket_fd(); }
    /// Connections currently open (any state).
    [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.size(); }
    /// Sends a message to every open session; a session whose queue passed max_queued is dropped.
    void broadcast(Opcode opcode, std::span<const std::byte> payload);

private:
    class Connection;

    void on_accept(UniqueFd client, const sockaddr* peer, socklen_t peer_length);
    void on_accept_error(int error);
    void destroy(Connection& connection);
    void destroy_later(Connection& connection);
    void reap();
    void update_accepting();

    libevent::EventBase& base_;
    ServerOptions options_;
    Handler& handler_;
    libevent::Listener listener_;
    bool accepting_ = true;
    bool out_of_resources_ = false;  // accept() ran out of descriptors or memory: paused until resume_
    std::uint64_t next_id_ = 1;
    libevent::TimerEvent reaper_;      // runs reap() on the next loop turn
    libevent::TimerEvent resume_;      // ends an out_of_resources_ pause, unless a connection ends first
    std::vector<Connection*> doomed_;  // dropped inside broadcast(): destroyed by reap(), never mid-iteration
    bool shutting_down_ = false;
    std::unordered_map<const Connection*, std::unique_ptr<Connection>> connections_;
};

}  // namespace netlab::websocket
