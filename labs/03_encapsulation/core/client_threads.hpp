#pragma once
// This file shows:
//  - thread-per-connection with the core types: each thread gets a TcpStream& to serve, while
//    the object owning the streams lives on the accepting thread and closes each stream only
//    after joining its thread, so a stop (shutdown_both) never meets a closed, reused descriptor;
//  - a finished thread wakes the accept loop through an eventfd, which poll() waits on together
//    with the listener and the shutdown signal.
// Used by core_echo_server; it is program code, not part of netlab_core.

#include <atomic>
#include <cstddef>
#include <functional>
#include <list>
#include <thread>

#include "03_encapsulation/core/tcp_listener.hpp"
#include "common/unique_fd.hpp"

namespace netlab::core {

/// The connections being served, a thread each. Every member runs on the one thread that owns it.
class ClientThreads {
public:
    /// serve runs on each connection's own thread; what it throws is logged (netlab::log) as
    /// "<peer>: <what>" (unless we are stopping). Throws std::system_error("eventfd").
    explicit ClientThreads(std::function<void(TcpStream&)> serve);
    /// Stops every connection (shutdown_both wakes its thread) and joins every thread.
    ~ClientThreads();
    ClientThreads(const ClientThreads&) = delete;
    ClientThreads& operator=(const ClientThreads&) = delete;

    /// Readable when a thread has finished: poll it, then call reap().
    [[nodiscard]] int finished_fd() const noexcept { return finished_.get(); }
    /// Connections being served (finished ones count until reap()).
    [[nodiscard]] std::size_t size() const noexcept { return clients_.size(); }

    /// Joins the finished threads and closes their streams.
    void reap();
    /// Serves accepted on a new thread. If no thread can be started, logs it and closes the connection.
    void start(Accepted accepted);

private:
    struct Client {
        TcpStream stream;  // closed here, only after the worker has been joined
        std::thread worker;
        std::atomic<bool> done{false};
    };

    std::function<void(TcpStream&)> serve_;
    UniqueFd finished_;  // eventfd: each finishing thread adds 1
    std::atomic<bool> stopping_{false};
    std::list<Client> clients_;  // a list: each thread keeps a reference to its Client
};

}  // namespace netlab::core
