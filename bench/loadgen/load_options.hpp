#pragma once
// This file shows:
//  - everything one load-generator run needs to know, as plain values (parsed in main).

#include <chrono>
#include <cstddef>

#include "common/endpoint.hpp"

namespace netlab::bench {

/// pingpong: each connection sends one message and waits for all of its echo before the next.
/// bulk: each connection writes size-byte chunks as fast as the server takes them, reading the echo.
enum class Mode { pingpong, bulk };

/// tcp: raw bytes echoed back. websocket: each message is one masked binary frame after an
/// RFC 6455 handshake, and the echo is the server's unmasked frame (pingpong only).
enum class Protocol { tcp, websocket };

/// What to run against which server, for how long.
struct LoadOptions {
    HostPort target;
    std::size_t connections = 1;
    std::size_t size = 64;
    Mode mode = Mode::pingpong;
    Protocol protocol = Protocol::tcp;
    std::chrono::nanoseconds warmup = std::chrono::milliseconds(500);
    std::chrono::nanoseconds measure = std::chrono::seconds(5);
    /// A connection owed bytes that makes no progress for this long is a hard error.
    std::chrono::nanoseconds stall_timeout = std::chrono::seconds(5);
};

}  // namespace netlab::bench
