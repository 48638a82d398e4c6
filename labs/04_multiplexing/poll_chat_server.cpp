// This lab shows:
//  - a multi-client chat in one thread with poll(): lab 03's frames and chat messages, a join
//    with a name, every say broadcast to everyone else with the sender's name set by the server;
//  - a slow client that cannot stall the others: it has its own bounded queue, and is dropped
//    (with a log line) when that queue would pass --max-queue;
//  - a stalled one cannot hold a slot: --join-timeout and --frame-timeout close it, and when
//    --max-clients are connected a newcomer evicts a connection that has not joined;
//  - the course's command-line contract, with SIGINT/SIGTERM as one more pollfd (signalfd).
// Try it: poll_chat_server, then in two terminals chat_client --name ann / chat_client --name bob

#include "03_encapsulation/core/tcp_listener.hpp"
#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_codec.hpp"
#include "04_multiplexing/poll_chat.hpp"
#include "common/cli.hpp"
#include "common/listening.hpp"
#include "common/log.hpp"
#include "common/shutdown_signal.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("poll_chat_server");
    netlab::CommandLine cli(
        "poll_chat_server",
        "A chat server in one thread with poll(). Clients send length-prefixed chat messages\n"
        "(lab 03): a join with a name first, then says, which go to every other client. A\n"
        "client that breaks the protocol gets an error message and is disconnected; one whose\n"
        "unsent messages would pass --max-queue bytes is dropped, and so is one that has not\n"
        "joined within --join-timeout or leaves a frame unfinished for --frame-timeout. When\n"
        "--max-clients are connected, a newcomer evicts the oldest connection that has not\n"
        "joined (else a joined one stuck in a frame), or is refused when there is none.\n"
        "SIGINT or SIGTERM exits 0.");
    cli.option("--listen", "HOST:PORT", "address to listen on; port 0 picks a free port", "127.0.0.1:9004")
        .option("--max-clients", "N", "connections at once, 1-100000 (keep it under ulimit -n)", "1000")
        .option("--join-timeout", "SECONDS", "from connecting to joining, 1-3600", "10")
        .option("--frame-timeout", "SECONDS", "from a frame's first byte to its last, 1-3600", "10")
        .option("--max-queue", "BYTES", "unsent bytes per client before it is dropped, 4136-1073741824",
                "262144");
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        const netlab::HostPort where = args.endpoint("--listen");
        netlab::multiplexing::ChatLimits limits;
        limits.max_clients = static_cast<std::size_t>(args.number("--max-clients", 1, 100000));
        limits.join_timeout = std::chrono::seconds(static_cast<long>(args.number("--join-timeout", 1, 3600)));
        limits.frame_timeout =
            std::chrono::seconds(static_cast<long>(args.number("--frame-timeout", 1, 3600)));
        // At least one largest framed message must fit, or nobody could ever receive one.
        const std::uint64_t largest_frame = netlab::core::kLengthPrefixSize + netlab::core::kMaxChatMessage;
        limits.max_queue = static_cast<std::size_t>(args.number("--max-queue", largest_frame, 1U << 30));
        const netlab::ShutdownSignal shutdown;  // first: SIGINT/SIGTERM become a readable descriptor
        netlab::multiplexing::PollChatServer server(netlab::core::TcpListener::bind(where.host, where.port),
                                                    limits);
        netlab::announce_listening(server.listener_fd());
        server.run(shutdown);
        return 0;
    });
}
