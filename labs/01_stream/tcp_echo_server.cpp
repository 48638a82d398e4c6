// This lab shows:
//  - a TCP server's life: listen, accept many clients (a thread each, up to a limit),
//    and stop cleanly on SIGINT/SIGTERM with exit status 0;
//  - the command-line contract every lab server keeps: --listen HOST:PORT, port 0 for any,
//    and a first line "listening on HOST:PORT" that scripts can read.

#include <sys/socket.h>

#include "01_stream/echo_server.hpp"
#include "01_stream/listen_tcp.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("tcp_echo_server");
    netlab::CommandLine cli(
        "tcp_echo_server",
        "Echoes every byte back to each TCP client, one thread per client. At most N clients\n"
        "are served at once; beyond that the server stops accepting and new clients wait in\n"
        "the listen backlog (their connect succeeds; the echo starts when a slot frees).\n"
        "SIGINT or SIGTERM closes every connection and exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9001")
        .option("--max-clients", "N", "clients served at once, 1-10000", "64");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--listen");
        const auto max_clients = args.number("--max-clients", 1, 10000);
        // First, before any thread exists: every thread started later inherits the blocked signals.
        const netlab::ShutdownSignal shutdown;
        netlab::stream::EchoServer server(netlab::stream::listen_tcp(where.host, where.port, SOMAXCONN),
                                          static_cast<std::size_t>(max_clients));
        netlab::announce_listening(server.listener_fd());
        server.run(shutdown);
        return 0;
    });
}
