#pragma once
// The lab's WsServer run inside the test process, on a loop thread of its own, with a Handler the
// test writes: it grades the server's rows one at a time, before any whole server program can work
// (ws_echo_server needs every row up to EchoHandler). Unlike lab09_helpers, this harness IS the
// lab's code: the loop stops at the first exception a callback throws (the TODO of a row not
// written yet), and error() then names it for the failure message.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "09_websocket/server/session.hpp"
#include "09_websocket/server/ws_server.hpp"
#include "background_task.hpp"

namespace netlab::testing::lab09 {

/// A WsServer on 127.0.0.1:0 whose loop runs on its own thread. The handler runs on that thread
/// only: the test reads what it recorded through atomics, or after the LocalServer is gone.
class LocalServer {
public:
    /// Starts the loop; throws std::runtime_error (with the loop's error) if it is not listening
    /// within 10 s. send_buffer > 0: the SO_SNDBUF of every accepted socket (set on the listener,
    /// which they inherit), so that a reply larger than that is partly queued in the server; the
    /// loopback's default lets the kernel take megabytes at once.
    explicit LocalServer(websocket::Handler& handler, websocket::ServerOptions options = {},
                         int send_buffer = 0);
    /// Stops the loop if it still runs, and joins its thread.
    ~LocalServer();
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    /// The port it listens on.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// True once the loop saw exactly n connections at three of its checks in a row (each a loop
    /// turn apart), within timeout; false at once if the loop stopped.
    bool holds(std::size_t n, std::chrono::milliseconds timeout);
    /// What stopped the loop, e.g. "TODO lab09: read_frames is not written yet"; "" while it runs.
    /// For failure messages: it first gives a loop that may be stopping up to `settle` to finish
    /// (a client can see its socket close before the loop thread has recorded why).
    std::string error(std::chrono::milliseconds settle = std::chrono::milliseconds(500));

private:
    struct Shared;
    std::shared_ptr<Shared> shared_;
    std::uint16_t port_ = 0;
    std::unique_ptr<BackgroundTask> loop_;
};

}  // namespace netlab::testing::lab09
