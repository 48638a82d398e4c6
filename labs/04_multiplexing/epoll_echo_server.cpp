// This lab shows:
//  - one thread, one epoll instance, any number of echo clients: the reactor of epoll_echo.hpp
//    behind the course's command-line contract (--listen, the "listening on" line, SIGINT/SIGTERM
//    through a signalfd in the same epoll set, exit 0);
//  - the two limits every event-driven server needs, as options: how many connections, and how
//    much unsent data one connection may pin in memory.
// Try it: epoll_echo_server --listen 127.0.0.1:9005, then echo hi | tcp_echo_client --connect 127.0.0.1:9005

#include "03_encapsulation/core/tcp_listener.hpp"
#include "04_multiplexing/epoll_echo.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("epoll_echo_server");
    netlab::CommandLine cli(
        "epoll_echo_server",
        "Echoes every byte back to each TCP client from one thread with edge-triggered epoll.\n"
        "A client's unsent echo is capped at --max-buffer bytes: at the cap the server stops\n"
        "reading that client until the echo drains (backpressure). Beyond --max-connections,\n"
        "new clients wait in the listen backlog. SIGINT or SIGTERM closes everything, exit 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9005")
        .option("--max-connections", "N", "connections served at once, 1-1000000", "10000")
        .option("--max-buffer", "BYTES", "unsent echo per connection, 1024-1073741824", "262144");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--listen");
        netlab::multiplexing::EchoLimits limits;
        limits.max_connections = static_cast<std::size_t>(args.number("--max-connections", 1, 1000000));
        limits.max_buffer = static_cast<std::size_t>(args.number("--max-buffer", 1024, 1U << 30));
        const netlab::ShutdownSignal shutdown;  // first: SIGINT/SIGTERM become a readable descriptor
        netlab::multiplexing::EpollEchoServer server(netlab::core::TcpListener::bind(where.host, where.port),
                                                     limits);
        netlab::announce_listening(server.listener_fd());
        server.run(shutdown);
        return 0;
    });
}
