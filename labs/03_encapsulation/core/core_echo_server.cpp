// This lab shows:
//  - lab 01's tcp_echo_server again, on the core types: the same contract (--listen, the
//    "listening on" line, half-close, SIGINT/SIGTERM exit 0) and the same echo loop, in
//    TcpListener / TcpStream calls instead of raw socket calls;
//  - one poll() for "a client is waiting", "a client's thread finished" and "please stop";
//    ClientThreads (client_threads.hpp) owns the connections and their threads.

#include <poll.h>

#include <array>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "03_encapsulation/core/client_threads.hpp"
#include "03_encapsulation/core/tcp_listener.hpp"
#include "common/accept_error.hpp"
#include "common/check.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

namespace {

/// Lab 01's echo_connection on a TcpStream: every byte back, then FIN after the client's FIN.
void echo(netlab::core::TcpStream& stream) {
    std::array<std::byte, 16 * 1024> buffer;
    while (const netlab::core::IoResult got = stream.read_some(buffer)) {
        stream.write_all(std::span(buffer).first(got.size));
    }
    stream.shutdown_write();
}

}  // namespace

int main(int argc, char** argv) {
    netlab::log::set_program("core_echo_server");
    netlab::CommandLine cli("core_echo_server",
                            "Echoes every byte back to each TCP client, one thread per client (at most N at\n"
                            "once; more wait in the listen backlog). Lab 01's tcp_echo_server on the lab 03\n"
                            "core types. SIGINT or SIGTERM closes every connection and exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9003")
        .option("--max-clients", "N", "clients served at once, 1-10000", "64");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--listen");
        const auto max_clients = static_cast<std::size_t>(args.number("--max-clients", 1, 10000));
        // First, before any thread exists: every thread started later inherits the blocked signals.
        const netlab::ShutdownSignal shutdown;
        auto listener = netlab::core::TcpListener::bind(where.host, where.port);
        listener.set_nonblocking();  // a client that leaves between poll() and accept() cannot block us
        netlab::announce_listening(listener.get());
        netlab::core::ClientThreads clients(echo);
        bool out_of_descriptors = false;
        bool said_so = false;  // log running out of descriptors once per episode, not every 100 ms
        for (;;) {
            clients.reap();
            // At the limit, or out of descriptors, new clients wait in the backlog; in the second
            // case we retry after 100 ms or as soon as a client's thread finishes.
            const bool room = clients.size() < max_clients && !out_of_descriptors;
            pollfd entries[3] = {{room ? listener.get() : -1, POLLIN, 0},
                                 {clients.finished_fd(), POLLIN, 0},
                                 {shutdown.get(), POLLIN, 0}};
            const int ready = ::poll(entries, 3, out_of_descriptors ? 100 : -1);
            out_of_descriptors = false;
            if (ready < 0 && errno != EINTR) {
                netlab::throw_errno("poll");
            }
            if (entries[2].revents != 0) {
                return 0;  // ~ClientThreads ends every connection and joins its thread
            }
            try {
                while (clients.size() < max_clients) {
                    auto client = listener.accept();  // blocking streams; nullopt once nobody is waiting
                    if (!client) {
                        break;
                    }
                    clients.start(std::move(*client));
                    said_so = false;
                }
            } catch (const std::system_error& e) {
                if (e.code().category() != std::system_category() ||
                    netlab::classify_accept_error(e.code().value()) !=
                        netlab::AcceptError::out_of_resources) {
                    throw;
                }
                if (!std::exchange(said_so, true)) {
                    netlab::log::line(std::string(e.what()) + "; pausing accept until a client leaves");
                }
                out_of_descriptors = true;
            }
        }
    });
}
