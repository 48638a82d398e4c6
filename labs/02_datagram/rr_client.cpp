// This lab shows:
//  - the reliable request/response client: each MESSAGE (or stdin line) is one request
//    with its own sequence number, retransmitted until its reply comes or we give up;
//  - the three outcomes as values: answered (print it), no reply, refused; "no reply" says how
//    many invalid datagrams came instead, so garbage is not mistaken for silence;
//  - a MESSAGE over the payload limit is a usage error, found before anything is sent.

#include <iostream>
#include <string>

#include "02_datagram/reliable_client.hpp"
#include "02_datagram/udp_socket.hpp"
#include "02_datagram/wire_format.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;

int run(const CommandLine& cli) {
    const HostPort server = cli.endpoint("--connect");
    for (const auto& text : cli.args()) {
        if (text.size() > kMaxPayload) {
            throw UsageError("a MESSAGE of " + std::to_string(text.size()) +
                             " bytes is over the maximum of " + std::to_string(kMaxPayload));
        }
    }
    RetryPolicy policy;
    policy.timeout = std::chrono::milliseconds(cli.number("--timeout", 1, 60'000));
    policy.attempts = static_cast<int>(cli.number("--attempts", 1, 100));
    policy.deadline = std::chrono::milliseconds(cli.number("--deadline", 1, 3'600'000));
    ReliableClient client(connect_udp(server.host, server.port), policy);

    auto ask = [&](const std::string& text) {
        if (text.size() > kMaxPayload) {
            log::line("a line of " + std::to_string(text.size()) + " bytes is over the maximum of " +
                      std::to_string(kMaxPayload) + "; not sent");
            return false;
        }
        const std::uint64_t invalid_before = client.stats().bad_datagrams;
        const RequestResult result = client.request(std::as_bytes(std::span(text)));
        const std::uint64_t invalid = client.stats().bad_datagrams - invalid_before;
        switch (result.status) {
            case RequestStatus::answered:
                std::cout << std::string(reinterpret_cast<const char*>(result.reply.data()),
                                         result.reply.size())
                          << std::endl;
                return true;
            case RequestStatus::no_reply:
                log::line("timeout: no valid reply from " + format_host_port(server) + " after " +
                          std::to_string(result.attempts) + " attempt(s) in " +
                          std::to_string(result.elapsed.count()) + " ms (" + std::to_string(invalid) +
                          " invalid repl" + (invalid == 1 ? "y" : "ies") + " ignored)");
                return false;
            case RequestStatus::refused:
                log::line("no one is listening on " + format_host_port(server) + " (ECONNREFUSED)");
                return false;
        }
        return false;
    };
    if (!cli.args().empty()) {
        for (const auto& text : cli.args()) {
            if (!ask(text)) {
                return 1;
            }
        }
        return 0;
    }
    for (std::string line; std::getline(std::cin, line);) {
        if (!ask(line)) {
            return 1;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    log::set_program("rr_client");
    CommandLine cli("rr_client",
                    "Sends each MESSAGE (or stdin line) as a reliable request; prints each reply.");
    cli.option("--connect", "HOST:PORT", "the rr_server", "127.0.0.1:9012")
        .option("--timeout", "MS", "first wait for a reply; doubles after each resend", "200")
        .option("--attempts", "N", "sends of one request, at most", "5")
        .option("--deadline", "MS", "total time for one request", "5000")
        .positionals("MESSAGE", "text to send (at most 1200 bytes), one request each; none: read stdin lines",
                     0, 1000);
    return run_main(cli, argc, argv, run);
}
