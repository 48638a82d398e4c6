#pragma once
// This file shows:
//  - a thread per connection, bounded: at the limit the server stops accepting and clients wait
//    in the listen backlog until a connection ends;
//  - a clean stop: shut every connection's socket down (which wakes a thread blocked in recv,
//    send or poll), then join every thread; the sockets close only after their threads are done.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <thread>

#include "common/unique_fd.hpp"
#include "peer_stream.hpp"

namespace netlab::http_peer {

/// The server's limits.
struct ServerOptions {
    std::size_t max_connections = 64;       ///< connections served at once (a thread each)
    std::chrono::seconds idle_timeout{30};  ///< a read or write stalled this long ends its connection
};

/// Serves HTTP on a listening socket. Not movable; run() on one thread.
class PeerServer {
public:
    /// Serves listener (made non-blocking here, still owned by the caller), through TLS when tls is
    /// not null (it must outlive the server). Throws std::system_error("eventfd").
    PeerServer(int listener, const TlsContext* tls, ServerOptions options);
    /// Ends every connection still open and joins its thread.
    ~PeerServer();
    PeerServer(const PeerServer&) = delete;
    PeerServer& operator=(const PeerServer&) = delete;

    /// Accepts and serves until stop becomes readable (ShutdownSignal's descriptor), then ends every
    /// connection. Throws std::system_error("accept") when the listener itself breaks.
    void run(int stop);

private:
    struct Slot {
        UniqueFd socket;
        std::atomic<bool> done{false};
        std::thread thread;
    };
    /// Starts a thread for socket.
    void start(UniqueFd socket);
    /// The body of a connection's thread: serves it, then marks the slot done.
    void serve(Slot& slot);
    /// Joins and removes the slots whose connection has ended.
    void reap();
    /// Shuts every socket down and joins every thread.
    void stop_all() noexcept;

    int listener_;
    const TlsContext* tls_;
    ServerOptions options_;
    UniqueFd ended_;  // an eventfd: each connection thread adds 1 as it finishes
    std::list<Slot> slots_;
};

}  // namespace netlab::http_peer
