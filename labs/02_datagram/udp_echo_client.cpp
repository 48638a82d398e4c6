// This lab shows:
//  - a connected UDP client: connect() fixes the server, so send() needs no address and
//    only the server's datagrams come back;
//  - one line = one datagram = one reply: the boundaries survive the trip;
//  - UDP gives no error for a lost datagram, only silence: we wait with a timeout,
//    resend a few times, and then say so (a value, not an exception);
//  - on a closed port the server's host answers with ICMP, and we get ECONNREFUSED.

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "02_datagram/datagram_io.hpp"
#include "02_datagram/udp_socket.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"

namespace {

using namespace netlab;
using namespace netlab::datagram;
using Clock = std::chrono::steady_clock;

/// Sends text and waits for its echo, resending up to retries times. False when no echo came.
bool echo_one(int fd, const std::string& text, std::chrono::milliseconds timeout, std::uint64_t retries) {
    const auto request = std::as_bytes(std::span(text));
    std::vector<std::byte> buffer(kMaxUdpPayload);
    for (std::uint64_t attempt = 0; attempt <= retries; ++attempt) {
        send_datagram(fd, request);
        const auto attempt_ends = Clock::now() + timeout;
        for (;;) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(attempt_ends - Clock::now());
            const auto reply = left.count() > 0 ? receive_datagram_within(fd, buffer, left) : std::nullopt;
            if (!reply) {
                break;  // this attempt timed out
            }
            const std::string echoed(reinterpret_cast<const char*>(buffer.data()),
                                     std::min(reply->size, buffer.size()));
            if (!reply->truncated && echoed == text) {
                std::cout << echoed << std::endl;
                return true;
            }
            log::line("ignored a stale reply (" + std::to_string(reply->size) + " bytes)");
        }
    }
    return false;
}

int run(const CommandLine& cli) {
    const HostPort server = cli.endpoint("--connect");
    const std::chrono::milliseconds timeout(cli.number("--timeout", 1, 3'600'000));
    const std::uint64_t retries = cli.number("--retries", 0, 100);
    const UniqueFd socket = connect_udp(server.host, server.port);

    auto echo = [&](const std::string& text) {
        try {
            if (echo_one(socket.get(), text, timeout, retries)) {
                return true;
            }
            log::line("timeout: no reply from " + format_host_port(server) + " after " +
                      std::to_string(retries + 1) + " attempt(s) of " + std::to_string(timeout.count()) +
                      " ms");
        } catch (const std::system_error& error) {
            if (error.code() != std::errc::connection_refused) {
                throw;
            }
            log::line("no one is listening on " + format_host_port(server) +
                      " (ECONNREFUSED: its host answered with ICMP port unreachable)");
        }
        return false;
    };
    if (!cli.args().empty()) {
        for (const auto& text : cli.args()) {
            if (!echo(text)) {
                return 1;
            }
        }
        return 0;
    }
    for (std::string line; std::getline(std::cin, line);) {
        if (!echo(line)) {
            return 1;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    log::set_program("udp_echo_client");
    CommandLine cli("udp_echo_client",
                    "Sends each MESSAGE (or each stdin line) as one datagram; prints each echo.");
    cli.option("--connect", "HOST:PORT", "the echo server", "127.0.0.1:9002")
        .option("--timeout", "MS", "how long to wait for each echo", "1000")
        .option("--retries", "N", "resends of a datagram whose echo did not come", "2")
        .positionals("MESSAGE", "text to send, one datagram each; none: read lines from stdin", 0, 1000);
    return run_main(cli, argc, argv, run);
}
