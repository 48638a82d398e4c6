#pragma once
// This file shows:
//  - one thread serving many clients with poll(): a pollfd per socket, rebuilt each turn, and a
//    look at every entry afterwards; simple, and fine for hundreds of clients, but O(clients) per
//    wake-up (epoll_echo.hpp says why epoll scales further);
//  - level-triggered readiness: one read per wake-up is enough, because poll() reports a socket
//    again for as long as bytes wait, so a chatty client cannot starve the others;
//  - a broadcast that never waits for anyone: each client has its own bounded queue, POLLOUT is
//    asked for only while that queue holds bytes, and a client that lets it overflow is dropped;
//  - a protocol with rules (see below): a client that breaks one gets an error message and is
//    disconnected, and nobody else notices more than its "leave";
//  - deadlines against slowloris: a join within --join-timeout of the accept, each frame whole
//    within --frame-timeout of its first byte; poll()'s timeout is the nearest deadline.
//
// The chat protocol (messages from chat_message.hpp, one per frame, max_frame kMaxChatMessage):
//  - A client's first message is join with its name: 1 to 32 bytes that pass
//    netlab::name_problem() (printable UTF-8), not taken by another client. The server answers
//    with that join to the joiner itself (its "welcome") and sends it to every other client who
//    has joined.
//  - say: the server sends it to every OTHER joined client, never back to the sender, with the
//    name field set to the sender's joined name. A say's own name field must be empty or that name.
//  - leave (or EOF, or a reset): the client is gone; the others get a leave with its name.
//  - Anything else (a frame over the maximum, a message decode_chat rejects, a say before the
//    join, a second join, a name taken, a spoofed name, an error message from a client): the
//    server sends an error message with the reason, closes the connection, and logs it.
//  - Every client sees every other client's messages in the order the server received them.
//  - A say's text is relayed as sent; every log line goes through netlab::printable().
//  - Time limits: no join within join_timeout of the accept, or a frame started and not
//    complete within frame_timeout: an error message, and the connection is closed.
//  - Full (max_clients connected): a newcomer evicts the oldest connection that has not joined,
//    else the joined one whose unfinished frame started first; when every connection has joined
//    and none is in a frame, the newcomer gets an error message and is closed.

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/core/address.hpp"
#include "03_encapsulation/core/tcp_listener.hpp"
#include "03_encapsulation/core/tcp_stream.hpp"
#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"
#include "04_multiplexing/output_buffer.hpp"
#include "common/shutdown_signal.hpp"

namespace netlab::multiplexing {

/// The limits of a PollChatServer.
struct ChatLimits {
    std::size_t max_clients = 1000;          ///< connected at once; see "Full" above
    std::size_t max_queue = 256 * 1024;      ///< unsent bytes per client; one more message and it is dropped
    std::chrono::seconds join_timeout{10};   ///< from the accept to an accepted join
    std::chrono::seconds frame_timeout{10};  ///< from a frame's first byte to its last
};

/// A single-threaded chat server on poll(). Logs joins, leaves and every disconnect (netlab::log).
class PollChatServer {
public:
    /// Takes a bound, listening socket (made non-blocking here).
    PollChatServer(core::TcpListener listener, ChatLimits limits);

    /// The listening socket, still owned by the server (e.g. for announce_listening).
    [[nodiscard]] int listener_fd() const noexcept { return listener_.get(); }

    /// Serves until shutdown is requested, then returns; the destructor closes every connection.
    /// Throws only when the server itself breaks (poll, the listener). Call once.
    void run(const ShutdownSignal& shutdown);

private:
    friend struct ChatServerProbe;  // the lab's tests drive one client's send_to and on_writable directly

    using Clock = std::chrono::steady_clock;

    /// One connected client.
    struct Client {
        core::TcpStream stream;  // closed (empty) once disconnected; removed at the end of the turn
        core::Address peer;
        core::FrameDecoder decoder{core::kMaxChatMessage};
        OutputBuffer out;  // frames the kernel has not taken yet
        std::string name;  // empty until the join was accepted
        Clock::time_point accepted_at;
        std::optional<Clock::time_point> frame_started;  // set while the decoder holds part of a frame
    };

    void accept_clients();
    [[nodiscard]] bool make_room();
    [[nodiscard]] int poll_timeout() const;
    void note_partial_frame(Client& client);
    void close_stalled();
    void on_readable(Client& client);
    void on_message(Client& client, std::span<const std::byte> payload);
    void on_join(Client& client, const core::ChatMessage& join);
    void on_writable(Client& client);
    void broadcast(const core::ChatMessage& message, const Client* except);
    void send_to(Client& client, std::span<const std::byte> frame);
    void refuse(Client& client, const std::string& reason);
    void disconnect(Client& client, const std::string& why);
    void announce_departures();
    [[nodiscard]] std::string who(const Client& client) const;

    core::TcpListener listener_;
    ChatLimits limits_;
    std::vector<Client> clients_;        // in the order they connected
    std::vector<std::string> departed_;  // joined clients that left this turn: the others get a leave
    std::vector<std::byte> frame_;       // one encoded message, reused for every broadcast
    std::optional<Clock::time_point> retry_accept_at_;  // out of descriptors: accept again after this
    bool out_of_descriptors_ = false;  // accept failed with EMFILE & co. and has not succeeded since
};

}  // namespace netlab::multiplexing
