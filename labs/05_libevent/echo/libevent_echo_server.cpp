// This lab shows:
//  - the course's first libevent sample grown into a server: one loop, a listener, a bufferevent
//    per client, with a connection limit, idle timeouts, backpressure and half-close;
//  - a clean stop through the loop: SIGINT/SIGTERM arrive as loop callbacks that call loopexit(),
//    dispatch() returns, and the destructors free every connection, the listener and the base;
//  - SIGPIPE ignored: libevent writes with writev(), which raises SIGPIPE on a reset connection.

#include <signal.h>

#include <cstdio>

#include "05_libevent/echo/echo_server.hpp"
#include "05_libevent/event/debug_log.hpp"
#include "05_libevent/event/event_base.hpp"
#include "05_libevent/event/signal_event.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("libevent_echo_server");
    netlab::CommandLine cli(
        "libevent_echo_server",
        "Echoes every byte back to each TCP client, all on one libevent loop. Beyond N clients it\n"
        "stops accepting (new clients wait in the listen backlog). A client whose echo backs up past\n"
        "the high watermark is not read until it drains; one that makes no progress for the idle\n"
        "timeout is closed. SIGINT or SIGTERM closes every connection and exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9876")
        .option("--max-connections", "N", "clients served at once, 1-100000", "1000")
        .option("--idle-timeout", "MS", "close a client after MS without progress; 0 = never", "60000")
        .option("--high-watermark", "BYTES", "queued echo bytes that pause reading a client, 1024-1073741824",
                "262144")
        .flag("--direct-read",
              "read each client with recv() from a plain event, not through the "
              "bufferevent (no FIONREAD, no 4 KiB cap; see the note)")
        .flag("--debug", "libevent debug mode and its trace lines on stderr");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace le = netlab::libevent;
        const netlab::HostPort where = args.endpoint("--listen");
        le::EchoOptions options;
        options.max_connections = args.number("--max-connections", 1, 100000);
        options.idle_timeout = std::chrono::milliseconds(
            static_cast<std::chrono::milliseconds::rep>(args.number("--idle-timeout", 0, 86400000)));
        options.high_watermark = args.number("--high-watermark", 1024, 1U << 30);
        options.direct_read = args.has("--direct-read");
        const bool debug = args.has("--debug") || le::debug_by_default();
        if (debug) {
            le::enable_debug_mode();  // before any event_base exists
        }
        le::route_libevent_log(debug);
        ::signal(SIGPIPE, SIG_IGN);

        le::EventBase base;
        le::EchoServer server(base, where, options);
        const auto stop = [&base] { base.loopexit(); };
        const le::SignalEvent on_sigint(base, SIGINT, stop);
        const le::SignalEvent on_sigterm(base, SIGTERM, stop);
        netlab::announce_listening(server.listener_fd());
        base.dispatch();
        return 0;
    });
}
