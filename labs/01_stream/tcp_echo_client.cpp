// This lab shows:
//  - a TCP client's life: resolve and connect, send, half-close, read the reply to EOF;
//  - exit status 0 only when every byte went out and the whole reply came back;
//  - --timeout: a server that stops reading, or never sends its FIN, ends the client with an error
//    instead of a hang.
// Try it: echo hello | tcp_echo_client --connect 127.0.0.1:9001

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "01_stream/connect_tcp.hpp"
#include "01_stream/echo_client.hpp"
#include "common/check.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"
#include "common/unique_fd.hpp"

namespace {

/// Opens path with flags, or returns an empty UniqueFd when there is no path (use stdin/stdout).
netlab::UniqueFd open_optional(const std::optional<std::string>& path, int flags) {
    if (!path) {
        return netlab::UniqueFd();
    }
    const int fd = ::open(path->c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) {
        netlab::throw_errno(("open " + *path).c_str());
    }
    return netlab::UniqueFd(fd);
}

}  // namespace

int main(int argc, char** argv) {
    netlab::log::set_program("tcp_echo_client");
    netlab::CommandLine cli(
        "tcp_echo_client",
        "Sends standard input (or --file) to a TCP echo server, half-closes, and writes\n"
        "everything that comes back to standard output (or --output) until the server closes.\n"
        "Exits 1 if the server moves no byte for --timeout seconds while it owes us some.");
    cli.option("--connect", "HOST:PORT", "the echo server", "127.0.0.1:9001")
        .option("--file", "F", "send this file instead of standard input")
        .option("--output", "F", "write the echo to this file instead of standard output")
        .option("--timeout", "SECONDS", "longest wait for the server to read or reply, 0 = none", "10");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort server = args.endpoint("--connect");
        const auto timeout = std::chrono::seconds(static_cast<long>(args.number("--timeout", 0, 86400)));
        const netlab::UniqueFd input = open_optional(args.get("--file"), O_RDONLY);
        const netlab::UniqueFd output = open_optional(args.get("--output"), O_WRONLY | O_CREAT | O_TRUNC);
        const netlab::UniqueFd socket = netlab::stream::connect_tcp(server.host, server.port);
        netlab::stream::echo_stream(socket.get(), input ? input.get() : STDIN_FILENO,
                                    output ? output.get() : STDOUT_FILENO, timeout);
        return 0;
    });
}
