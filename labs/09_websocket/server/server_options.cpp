// This file shows:
//  - every limit a WebSocket server needs, as a strictly checked option: how many clients, the
//    largest message (its bound also sizes the output queue a client may pin), how long a client
//    may take to upgrade (a fixed deadline from accept), and when to ping.

#include "09_websocket/server/server_options.hpp"

#include <algorithm>

namespace netlab::websocket {

void declare_server_options(CommandLine& cli, const std::string& default_listen) {
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", default_listen)
        .option("--max-connections", "N", "clients served at once, 1-100000", "1000")
        .option("--max-message", "BYTES", "largest message accepted (bigger: close 1009), 125-1073741824",
                "1048576")
        .option("--handshake-timeout", "MS",
                "the upgrade request must be complete this long after accept, 1-600000", "10000")
        .option("--idle-timeout", "MS", "silence before a ping, and again before closing; 0 = never",
                "60000");
}

ServerOptions read_server_options(const CommandLine& args) {
    ServerOptions options;
    options.max_connections = static_cast<std::size_t>(args.number("--max-connections", 1, 100000));
    options.max_message = static_cast<std::size_t>(args.number("--max-message", 125, 1U << 30));
    options.handshake_timeout = std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(args.number("--handshake-timeout", 1, 600000)));
    options.idle_timeout = std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(args.number("--idle-timeout", 0, 86400000)));
    options.high_watermark = std::max<std::size_t>(options.max_message, 1 << 20);
    options.max_queued = 4 * options.high_watermark;
    return options;
}

}  // namespace netlab::websocket
