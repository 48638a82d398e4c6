// This file shows:
//  - the course's load generator: one thread, one epoll set, N connections against an echo
//    server, each in strict ping-pong (or bulk streaming), every echoed byte verified;
//  - what it reports: messages/s, MB/s, RTT p50/p99 from a fixed histogram, and its OWN CPU
//    time, so a run can show that the generator was not the bottleneck;
//  - one JSON line (--json) for tools/bench.py, which runs it pinned beside every echo server;
//  - --protocol websocket: the same ping-pong through lab 09's ws_echo_server, each message one
//    masked frame (ws_load.cpp), so both kinds of echo are measured by one program.
// Try it: echo_load --connect 127.0.0.1:9005 --connections 100 --seconds 3

#include <cstdio>
#include <iostream>

#include "common/cli.hpp"
#include "load_generator.hpp"
#include "seconds_option.hpp"

int main(int argc, char** argv) {
    netlab::CommandLine cli(
        "echo_load",
        "Drives an echo server with N connections and reports msgs/s, MB/s, RTT p50/p99 and its own CPU.\n"
        "pingpong: each connection sends SIZE bytes, waits for all of them to come back, verifies\n"
        "them and repeats. bulk: each connection writes SIZE-byte chunks as fast as the server takes\n"
        "them while reading the echo (one-way bytes/s). Only the --seconds after the --warmup count.\n"
        "A wrong echoed byte, a reset, or a connection stalled for --timeout is an error (exit 1).");
    cli.option("--connect", "HOST:PORT", "the echo server (required)")
        .option("--connections", "N", "connections, 1-100000", "1")
        .option("--size", "BYTES", "message (pingpong) or write (bulk) size, 1-1048576", "64")
        .option("--mode", "MODE", "pingpong or bulk", "pingpong")
        .option("--protocol", "P", "tcp, or websocket (pingpong only: a masked frame per message)", "tcp")
        .option("--seconds", "S", "measured time, 0.1-3600", "5")
        .option("--warmup", "S", "time before measuring starts, 0-600", "0.5")
        .option("--timeout", "S", "give up on a connection that makes no progress for S, 0.1-600", "5")
        .flag("--json", "print one JSON line instead of the summary");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace nb = netlab::bench;
        nb::LoadOptions options;
        options.target = args.endpoint("--connect");
        if (options.target.port == 0) {
            throw netlab::UsageError("--connect: port 0 is not a server's port");
        }
        options.connections = static_cast<std::size_t>(args.number("--connections", 1, 100000));
        options.size = static_cast<std::size_t>(args.number("--size", 1, 1 << 20));
        const std::string mode = args.get("--mode").value_or("");
        if (mode != "pingpong" && mode != "bulk") {
            throw netlab::UsageError("--mode: '" + mode + "' is neither pingpong nor bulk");
        }
        options.mode = mode == "bulk" ? nb::Mode::bulk : nb::Mode::pingpong;
        const std::string protocol = args.get("--protocol").value_or("");
        if (protocol != "tcp" && protocol != "websocket") {
            throw netlab::UsageError("--protocol: '" + protocol + "' is neither tcp nor websocket");
        }
        options.protocol = protocol == "websocket" ? nb::Protocol::websocket : nb::Protocol::tcp;
        if (options.protocol == nb::Protocol::websocket && options.mode == nb::Mode::bulk) {
            throw netlab::UsageError("--protocol websocket measures pingpong only");
        }
        options.measure = nb::seconds_option(args, "--seconds", 0.1, 3600);
        options.warmup = nb::seconds_option(args, "--warmup", 0, 600);
        options.stall_timeout = nb::seconds_option(args, "--timeout", 0.1, 600);

        const nb::LoadReport report = nb::run_load(options);
        if (args.has("--json")) {
            std::cout << nb::to_json(report) << std::endl;
        } else {
            std::cout << "echo_load against " << netlab::format_host_port(options.target) << ": "
                      << nb::to_text(report) << std::flush;
        }
        return 0;
    });
}
