#pragma once
// This file shows:
//  - a single-threaded, level-triggered epoll client driving N non-blocking connections;
//  - strict ping-pong (one message in flight per connection) and bulk streaming, both correct
//    under short reads and writes (EAGAIN turns EPOLLOUT on, only while bytes are pending);
//  - never hanging: every wait has a deadline, and a connection owed bytes that makes no
//    progress for the stall timeout is reported as a server that stopped answering.

#include "load_options.hpp"
#include "load_report.hpp"

namespace netlab::bench {

/// Connects options.connections sockets to options.target (WebSocket ones go to run_ws_load),
/// warms up, measures, then drains
/// every outstanding echo and closes. Throws std::runtime_error / std::system_error when the
/// server refuses, resets, stalls or echoes a wrong byte (the message names the connection).
LoadReport run_load(const LoadOptions& options);

}  // namespace netlab::bench
