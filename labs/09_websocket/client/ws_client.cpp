// This lab shows:
//  - a WebSocket client for the terminal: lines typed (or piped) become text messages, and what
//    the server pushes is printed the moment it arrives, while you type (full duplex);
//  - a few commands for experiments: /ping, /close CODE REASON, /binary, and --fragment to split
//    every message into continuation frames.
// Try it: ws_echo_server --listen 127.0.0.1:9009 & printf 'hello\n/ping hi\n' | ws_client --connect
// 127.0.0.1:9009

#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "09_websocket/client/ws_client_session.hpp"
#include "09_websocket/protocol/close_code.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("ws_client");
    netlab::CommandLine cli(
        "ws_client",
        "Connects to a WebSocket server, sends each line of stdin as a text message and prints every\n"
        "message the server sends, as it arrives. Commands: '/ping TEXT' sends a ping (the pong prints\n"
        "as '[pong] TEXT'); '/close CODE REASON' starts the close handshake; '/binary TEXT' sends TEXT\n"
        "as a binary message; '//x' sends '/x'. Binary messages print as '[binary N bytes]', the\n"
        "server's Close as '[close CODE REASON]'. Text from the server prints escaped, one line per\n"
        "message: controls as \\n, \\e, \\xNN, a backslash as \\\\. At the end of stdin it closes\n"
        "with --close-code. Exit 0 after a completed close handshake, 1 on any failure, including a\n"
        "server's Close with 1002, 1003 or 1007-1011 (we broke a rule, or the server failed) unless\n"
        "it only echoed the code we sent.");
    cli.option("--connect", "HOST:PORT", "the server (required)")
        .option("--path", "PATH", "the resource to ask for, starting with /", "/")
        .option("--fragment", "BYTES", "send each message in frames of at most BYTES; 0 = one frame", "0")
        .option("--max-message", "BYTES", "largest message accepted from the server, 125-1073741824",
                "67108864")
        .option("--close-code", "CODE",
                "close code sent at the end of stdin: 1000-1003, 1007-1011 or 3000-4999", "1000")
        .option("--timeout", "MS", "limit for the handshake and for the close handshake, 1-600000", "10000");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace ws = netlab::websocket;
        if (!args.get("--connect")) {
            throw netlab::UsageError("--connect is required");
        }
        ws::ClientOptions options;
        options.server = args.endpoint("--connect");
        if (options.server.port == 0) {
            throw netlab::UsageError("--connect: port 0 is not a server's port");
        }
        options.path = args.get("--path").value_or("/");
        if (options.path.empty() || options.path.front() != '/' ||
            options.path.find_first_of(" \r\n") != std::string::npos) {
            throw netlab::UsageError("--path: '" + options.path + "' must start with / and hold no spaces");
        }
        options.fragment = static_cast<std::size_t>(args.number("--fragment", 0, 1U << 30));
        options.max_message = static_cast<std::size_t>(args.number("--max-message", 125, 1U << 30));
        options.close_code = static_cast<std::uint16_t>(args.number("--close-code", 1000, 4999));
        if (!ws::is_sendable_close_code(options.close_code)) {
            throw netlab::UsageError(
                "--close-code: " + std::to_string(options.close_code) +
                " is never sent in a Close frame; use 1000-1003, 1007-1011 or 3000-4999");
        }
        options.timeout = std::chrono::milliseconds(static_cast<long>(args.number("--timeout", 1, 600000)));
        ::signal(SIGPIPE, SIG_IGN);

        ws::WsClient client = ws::WsClient::connect(options, netlab::log::line);
        return client.run(STDIN_FILENO, std::cout);
    });
}
