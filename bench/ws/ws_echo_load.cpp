// This file shows:
//  - echo_load's command line and JSON line for a WebSocket echo server, so tools/bench.py can
//    run lab 09's ws_echo_server beside lab 04's epoll echo with the same cells;
//  - ping-pong only: each message is a frame that must come back whole (--mode bulk is refused).
// Try it: ws_echo_load --connect 127.0.0.1:9009 --connections 100 --seconds 3

#include <iostream>

#include "common/cli.hpp"
#include "seconds_option.hpp"
#include "ws_load.hpp"

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "ws_echo_load",
        "Drives a WebSocket echo server with N connections in ping-pong: each sends one masked binary\n"
        "message of SIZE payload bytes, waits for the whole echo, verifies it and repeats. Reports\n"
        "msgs/s, payload MB/s, RTT p50/p99 and its own CPU, exactly as echo_load does. Only the\n"
        "--seconds after the --warmup count. A wrong byte, a reset, or a stall is an error (exit 1).");
    cli.option("--connect", "HOST:PORT", "the WebSocket echo server (required)")
        .option("--connections", "N", "connections, 1-100000", "1")
        .option("--size", "BYTES", "payload size, 1-1048576", "64")
        .option("--mode", "MODE", "pingpong (the only mode)", "pingpong")
        .option("--seconds", "S", "measured time, 0.1-3600", "5")
        .option("--warmup", "S", "time before measuring starts, 0-600", "0.5")
        .option("--timeout", "S", "give up on a connection that makes no progress for S, 0.1-600", "5")
        .flag("--json", "print one JSON line instead of the summary");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace nb = netlab::bench;
        nb::LoadOptions options;
        if (!args.get("--connect")) {
            throw netlab::UsageError("--connect is required");
        }
        options.target = args.endpoint("--connect");
        if (options.target.port == 0) {
            throw netlab::UsageError("--connect: port 0 is not a server's port");
        }
        options.connections = static_cast<std::size_t>(args.number("--connections", 1, 100000));
        options.size = static_cast<std::size_t>(args.number("--size", 1, 1 << 20));
        if (args.get("--mode").value_or("") != "pingpong") {
            throw netlab::UsageError("--mode: ws_echo_load measures pingpong only");
        }
        options.measure = nb::seconds_option(args, "--seconds", 0.1, 3600);
        options.warmup = nb::seconds_option(args, "--warmup", 0, 600);
        options.stall_timeout = nb::seconds_option(args, "--timeout", 0.1, 600);
        const nb::LoadReport report = nb::run_ws_load(options);
        if (args.has("--json")) {
            std::cout << nb::to_json(report) << std::endl;
        } else {
            std::cout << "ws_echo_load against " << netlab::format_host_port(options.target) << ": "
                      << nb::to_text(report) << std::flush;
        }
        return 0;
    });
}
