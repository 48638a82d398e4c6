#pragma once
// This file shows:
//  - a thread per connection, with a bound: at most max_clients are served at once; at the
//    limit the server stops accepting, so further clients wait in the kernel's listen backlog;
//  - one wait for "a client arrived", "a connection ended" or "please stop" (signalfd);
//  - a clean stop: shutdown(SHUT_RDWR) wakes every connection thread, then each is joined.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include "common/shutdown_signal.hpp"
#include "common/unique_fd.hpp"

namespace netlab::stream {

/// The TCP echo server: accepts on a listening socket and runs echo_connection per client.
class EchoServer {
public:
    /// Takes ownership of a listening socket; serves at most max_clients (>= 1) at once.
    EchoServer(UniqueFd listener, std::size_t max_clients);
    /// Stops and joins any connection still running.
    ~EchoServer();
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    /// The listening socket, still owned by the server (e.g. for announce_listening).
    [[nodiscard]] int listener_fd() const noexcept { return listener_.get(); }

    /// Serves clients until shutdown is requested, then ends every connection and joins its thread.
    /// A failing connection is logged (netlab::log) and never stops the server. Call once, from one thread.
    void run(const ShutdownSignal& shutdown);

private:
    struct Connection {
        UniqueFd socket;  // closed by its own thread when done (under mutex_)
        bool finished = false;
        std::thread worker;  // touched only by the thread that calls run()
    };

    bool accept_one(const ShutdownSignal& shutdown);
    void start(UniqueFd socket, const std::string& peer);
    void serve(Connection& connection, int fd, const std::string& peer);
    void reap_finished();
    bool pause_accepting(const ShutdownSignal& shutdown, std::chrono::milliseconds timeout);
    void stop_all() noexcept;

    UniqueFd listener_;
    std::size_t max_clients_;
    UniqueFd finished_;  // eventfd: each connection thread adds 1 as it ends, waking the accept loop
    std::mutex mutex_;   // guards each Connection's socket and finished
    std::list<Connection> connections_;  // the list itself changes only on run()'s thread
    std::atomic<bool> stopping_{false};  // set once, by stop_all()
    bool out_of_descriptors_ = false;    // run()'s thread only: logs EMFILE once per episode
};

}  // namespace netlab::stream
