// The HTTP test peer of labs 06, 07 and 09: a small HTTP/1.1 server over plain POSIX sockets (a
// thread per connection, at most --max-connections) whose routes misbehave on purpose (slow,
// streamed, huge, cut short), optionally over TLS. See routes.hpp for the routes.
// It logs one line per request on stderr ("netlab_http_peer: GET /path"), so a test can tell
// whether a request arrived at all.

#include <signal.h>

#include <optional>
#include <string>

#include "03_encapsulation/core/tcp_listener.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"
#include "peer_server.hpp"
#include "peer_stream.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("netlab_http_peer");
    netlab::CommandLine cli(
        "netlab_http_peer",
        "The HTTP/1.1 test peer: /hello.txt, POST /echo, /status/NNN, /delay/MS, /stream/N,\n"
        "/bytes/N, /redirect/N, /close-mid-body, /huge-header/N, /hex/HEX and /request (the\n"
        "request sent back). One line per request on stderr. SIGINT or SIGTERM ends every\n"
        "connection and exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:0")
        .option("--cert", "FILE", "speak HTTPS with this PEM certificate chain (needs --key)")
        .option("--key", "FILE", "the PEM private key of --cert")
        .option("--max-connections", "N", "connections served at once, 1-1000", "64");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        namespace hp = netlab::http_peer;
        const netlab::HostPort where = args.endpoint("--listen");
        hp::ServerOptions options;
        options.max_connections = static_cast<std::size_t>(args.number("--max-connections", 1, 1000));
        const auto cert = args.get("--cert");
        const auto key = args.get("--key");
        if (cert.has_value() != key.has_value()) {
            throw netlab::UsageError("--cert and --key go together");
        }
        const netlab::ShutdownSignal stop;  // first: the connection threads inherit the blocked signals
        ::signal(SIGPIPE, SIG_IGN);         // SSL_write to a client that left must not kill us
        std::optional<hp::TlsContext> tls;
        if (cert) {
            try {
                tls.emplace(*cert, *key);
            } catch (const std::runtime_error& error) {
                throw netlab::UsageError(std::string("--cert/--key: ") + error.what());
            }
        }
        netlab::core::TcpListener listener = netlab::core::TcpListener::bind(where.host, where.port);
        hp::PeerServer server(listener.get(), tls ? &*tls : nullptr, options);
        netlab::announce_listening(listener.get());
        server.run(stop.get());
        return 0;
    });
}
