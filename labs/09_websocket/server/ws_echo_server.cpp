// This lab shows:
//  - a WebSocket echo server: the RFC 6455 handshake, then every text and binary message back to
//    its sender, on one libevent loop (lab 05's wrapper) with pure parsers underneath;
//  - the course's server contract: "listening on HOST:PORT", SIGINT/SIGTERM exit 0 through the loop.
// Try it: ws_echo_server --listen 127.0.0.1:9009, then echo hello | ws_client --connect 127.0.0.1:9009

#include <signal.h>

#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/signal_event.hpp"
#include "09_websocket/server/echo_handler.hpp"
#include "09_websocket/server/server_options.hpp"
#include "09_websocket/server/ws_server.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("ws_echo_server");
    netlab::CommandLine cli(
        "ws_echo_server",
        "A WebSocket (RFC 6455) echo server: each text or binary message comes back to its sender.\n"
        "Protocol violations are closed with the RFC's code (1002, 1007, 1009); a plain HTTP request\n"
        "gets 426 Upgrade Required. SIGINT or SIGTERM closes every connection and exits 0.");
    netlab::websocket::declare_server_options(cli, "127.0.0.1:9009");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace le = netlab::libevent;
        const netlab::HostPort where = args.endpoint("--listen");
        const netlab::websocket::ServerOptions options = netlab::websocket::read_server_options(args);
        ::signal(SIGPIPE, SIG_IGN);

        le::EventBase base;
        netlab::websocket::EchoHandler handler;
        netlab::websocket::WsServer server(base, where, options, handler);
        const le::StopOnSignals stop_on_signals(base);
        netlab::announce_listening(server.listener_fd());
        base.dispatch();
        return 0;
    });
}
