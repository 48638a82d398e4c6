#pragma once
// This file shows:
//  - a test-side server in a few lines with netlab::core: a listener on 127.0.0.1 port 0 whose
//    port is read back, one accepted connection handled on a thread of its own;
//  - a deadline on every blocking step: the accept waits at most `deadline`, and the accepted
//    stream's reads give up after it (SO_RCVTIMEO: read_some then says would_block);
//  - what the server thread threw comes home through join().

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <thread>

#include "03_encapsulation/core/tcp_listener.hpp"
#include "03_encapsulation/core/tcp_stream.hpp"

namespace netlab::consumer {

/// Sets SO_RCVTIMEO on a socket. Throws std::system_error("setsockopt SO_RCVTIMEO").
void set_receive_timeout(int fd, std::chrono::milliseconds timeout);

/// Serves exactly one connection on 127.0.0.1 (a free port). Not copyable or movable.
class OneShotServer {
public:
    /// Handles the accepted stream on the server's own thread.
    using Handler = std::function<void(core::TcpStream&)>;

    /// Binds, then starts the thread that accepts one client (waiting at most deadline) and runs
    /// handle on it. Throws std::system_error when the bind fails.
    OneShotServer(std::chrono::milliseconds deadline, Handler handle);
    ~OneShotServer();
    OneShotServer(const OneShotServer&) = delete;
    OneShotServer& operator=(const OneShotServer&) = delete;

    /// The port the listener got.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Waits for the server thread; rethrows what it threw (no client in time, say).
    void join();

private:
    void serve(std::chrono::milliseconds deadline, const Handler& handle);

    core::TcpListener listener_;
    std::uint16_t port_ = 0;
    std::exception_ptr error_;
    std::thread thread_;
};

}  // namespace netlab::consumer
