#pragma once
// This file shows:
//  - echo_load's ping-pong for WebSocket: each of N connections opens with the RFC 6455
//    handshake, then sends one masked binary message (a 64 B payload costs a 6-byte header: 2
//    bytes + the 4-byte masking key) and waits for the whole unmasked echo before the next;
//  - the same report as echo_load (messages/s, payload MB/s, RTT p50/p99, its own CPU), so the
//    figures line up with the raw TCP echo servers'.

#include "load_options.hpp"
#include "load_report.hpp"

namespace netlab::bench {

/// Connects and upgrades options.connections WebSockets, warms up, measures, drains, closes.
/// Throws std::runtime_error / std::system_error when the server refuses, resets, stalls, or
/// echoes a wrong byte (the message names the connection).
LoadReport run_ws_load(const LoadOptions& options);

}  // namespace netlab::bench
