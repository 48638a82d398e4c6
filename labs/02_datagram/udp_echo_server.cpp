// This lab shows:
//  - a UDP server is one socket and one loop: receive a datagram, send it back to
//    its sender. No accept, no per-client state: every datagram carries its sender;
//  - a datagram that did not fit the buffer is reported and dropped, never echoed cut;
//  - one bad peer (an ICMP error, a datagram too big) costs one log line, not the server;
//  - SIGINT/SIGTERM arrive through the same poll() as the datagrams, for a clean exit 0.

#include <string>
#include <system_error>
#include <vector>

#include "02_datagram/datagram_io.hpp"
#include "02_datagram/udp_socket.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;

int serve(const CommandLine& cli) {
    const ShutdownSignal shutdown;  // first: no signal may interrupt us from here on
    const HostPort listen = cli.endpoint("--listen");
    const auto max_datagram = static_cast<std::size_t>(cli.number("--max-datagram", 1, kMaxUdpPayload));
    const UniqueFd socket = bind_udp(listen.host, listen.port);
    announce_listening(socket.get());

    std::vector<std::byte> buffer(max_datagram);
    while (shutdown.wait_readable(socket.get())) {
        try {
            // Timeout 0: poll said readable; if the datagram vanished (bad checksum), just wait again.
            const auto datagram = receive_datagram_within(socket.get(), buffer, std::chrono::milliseconds(0));
            if (!datagram) {
                continue;
            }
            if (datagram->truncated) {
                log::line("dropped a truncated datagram from " + to_string(datagram->sender) + ": " +
                          std::to_string(datagram->size) + " bytes, buffer holds " +
                          std::to_string(buffer.size()));
                continue;
            }
            send_datagram_to(socket.get(), std::span(buffer.data(), datagram->size), datagram->sender);
        } catch (const std::system_error& error) {
            if (!is_peer_error(error.code())) {
                throw;
            }
            log::line(std::string("ignored a peer error: ") + error.what());
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    log::set_program("udp_echo_server");
    CommandLine cli("udp_echo_server", "Returns every UDP datagram, whole, to its sender.");
    cli.option("--listen", "HOST:PORT", "address to receive on; port 0 picks a free port", "127.0.0.1:9002")
        .option("--max-datagram", "N", "largest datagram echoed; bigger ones are reported and dropped",
                std::to_string(kMaxUdpPayload));
    return run_main(cli, argc, argv, serve);
}
