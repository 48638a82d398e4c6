// This lab shows:
//  - the reliable request/response server: the socket loop of udp_echo_server, with
//    ReliableServer deciding what to send back;
//  - its handler upper-cases the request and numbers its reply "#N": N counts handler
//    runs, so a request that ran twice would show as a gap in the numbers;
//  - datagrams that are not requests are dropped silently (try udp_echo_client on it).

#include <cctype>
#include <string>
#include <system_error>
#include <vector>

#include "02_datagram/datagram_io.hpp"
#include "02_datagram/reliable_server.hpp"
#include "02_datagram/udp_socket.hpp"
#include "02_datagram/wire_format.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;

/// "#N " and the request upper-cased, cut to kMaxPayload bytes.
std::vector<std::byte> shout(std::span<const std::byte> request, std::uint64_t number) {
    const std::string prefix = "#" + std::to_string(number) + " ";
    std::vector<std::byte> reply(reinterpret_cast<const std::byte*>(prefix.data()),
                                 reinterpret_cast<const std::byte*>(prefix.data() + prefix.size()));
    for (const std::byte byte : request) {
        const auto c = static_cast<unsigned char>(byte);
        reply.push_back(static_cast<std::byte>(std::toupper(c)));
    }
    reply.resize(std::min(reply.size(), kMaxPayload));
    return reply;
}

int serve(const CommandLine& cli) {
    const ShutdownSignal shutdown;  // first: no signal may interrupt us from here on
    const HostPort listen = cli.endpoint("--listen");
    const UniqueFd socket = bind_udp(listen.host, listen.port);
    std::uint64_t runs = 0;
    ReliableServer server([&runs](std::span<const std::byte> request) { return shout(request, ++runs); });
    announce_listening(socket.get());

    std::vector<std::byte> buffer(kMaxMessage);
    while (shutdown.wait_readable(socket.get())) {
        try {
            const auto datagram = receive_datagram_within(socket.get(), buffer, std::chrono::milliseconds(0));
            if (!datagram || datagram->truncated) {
                continue;  // nothing after all, or too big to be a request
            }
            const auto reply = server.handle(std::span(buffer.data(), datagram->size), datagram->sender);
            if (reply) {
                send_datagram_to(socket.get(), *reply, datagram->sender);
            }
        } catch (const std::system_error& error) {
            if (!is_peer_error(error.code())) {
                throw;
            }
            log::line(std::string("ignored a peer error: ") + error.what());
        }
    }
    const ServerStats& stats = server.stats();
    log::line("ran " + std::to_string(stats.executed) + " request(s), answered " +
              std::to_string(stats.duplicates) + " duplicate(s) from the cache, dropped " +
              std::to_string(stats.dropped) + " datagram(s)");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    log::set_program("rr_server");
    CommandLine cli(
        "rr_server",
        "Answers reliable requests (lab 02 wire format) exactly once: \"#N \" + the request upper-cased.");
    cli.option("--listen", "HOST:PORT", "address to receive on; port 0 picks a free port", "127.0.0.1:9012");
    return run_main(cli, argc, argv, serve);
}
