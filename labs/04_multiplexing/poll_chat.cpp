// This lab shows:
//  - the poll() loop: build the pollfd array from the clients (POLLOUT only where bytes are
//    queued), wait, then visit each entry that has revents; disconnected clients are removed only
//    at the end of the turn, so an index never points at the wrong client;
//  - reading with lab 03's FrameDecoder straight into its buffer, popping every whole frame;
//  - a broadcast that is encoded once and offered to each client: straight to its socket when
//    its queue is empty, queued otherwise, and a client whose queue would pass max_queue dropped
//    (its failure is its own: an error while sending to B never disconnects the sender A);
//  - departures announced after the handler that caused them, so one drop can cause another
//    (a leave that overflows a second slow client) without recursion.
// The limits against stalled connections (deadlines, eviction) are in poll_chat_limits.cpp.

#include "04_multiplexing/poll_chat.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

#include "03_encapsulation/framing/frame_codec.hpp"
#include "common/accept_error.hpp"
#include "common/check.hpp"
#include "common/log.hpp"
#include "common/peer_text.hpp"

namespace netlab::multiplexing {
namespace {

/// Out of descriptors, try accept() again this often (or as soon as a client leaves).
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

}  // namespace

PollChatServer::PollChatServer(core::TcpListener listener, ChatLimits limits)
    : listener_(std::move(listener)), limits_(limits) {
    limits_.max_clients = std::max<std::size_t>(limits_.max_clients, 1);
    listener_.set_nonblocking();  // a client that leaves between poll() and accept() cannot block us
}

void PollChatServer::run(const ShutdownSignal& shutdown) {
    std::vector<pollfd> entries;
    for (;;) {
        if (retry_accept_at_ && Clock::now() >= *retry_accept_at_) {
            retry_accept_at_.reset();
        }
        const bool accepting = !retry_accept_at_;  // when full, accept_clients makes room or refuses
        entries.clear();
        entries.push_back({shutdown.get(), POLLIN, 0});
        entries.push_back({accepting ? listener_.get() : -1, POLLIN, 0});  // poll() skips a negative fd
        for (const Client& client : clients_) {
            const short events = client.out.empty() ? POLLIN : POLLIN | POLLOUT;
            entries.push_back({client.stream.get(), events, 0});
        }
        if (::poll(entries.data(), entries.size(), poll_timeout()) < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("poll");
        }
        if (entries[0].revents != 0) {
            return;
        }
        if (entries[1].revents != 0) {
            accept_clients();  // new clients go to the end of clients_, after the polled ones
        }
        for (std::size_t i = 0; i + 2 < entries.size(); ++i) {
            const short revents = entries[i + 2].revents;
            Client& client = clients_[i];
            if (revents == 0 || !client.stream.is_open()) {
                continue;  // nothing happened, or it was disconnected earlier in this turn
            }
            try {
                if ((revents & POLLOUT) != 0) {
                    on_writable(client);
                }
                if ((revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0 && client.stream.is_open()) {
                    on_readable(client);  // an error or hang-up shows up as EOF or a failed recv
                    note_partial_frame(client);
                }
            } catch (const std::system_error& error) {  // this client's recv/send failed
                disconnect(client, error.what());
            }
            announce_departures();
        }
        close_stalled();
        if (std::erase_if(clients_, [](const Client& client) { return !client.stream.is_open(); }) > 0) {
            retry_accept_at_.reset();  // descriptors were freed: if accept() ran out of them, try again now
        }
    }
}

void PollChatServer::accept_clients() {
    for (;;) {
        std::optional<core::Accepted> accepted;
        try {
            accepted = listener_.accept(core::StreamMode::nonblocking);
        } catch (const std::system_error& error) {
            if (error.code().category() != std::system_category() ||
                classify_accept_error(error.code().value()) != AcceptError::out_of_resources) {
                throw;  // the listener itself is broken
            }
            if (!out_of_descriptors_) {
                log::line(std::string(error.what()) +
                          "; accepting again when a client leaves (or in 100 ms)");
            }
            out_of_descriptors_ = true;
            retry_accept_at_ = Clock::now() + kAcceptRetry;  // meanwhile the listener is left out of poll()
            return;
        }
        if (!accepted) {
            return;  // nobody else is waiting
        }
        out_of_descriptors_ = false;
        try {
            accepted->stream.set_no_delay();  // chat lines are small: send each at once
        } catch (const std::system_error& error) {
            log::line(accepted->peer.to_string() + ": dropped at once: " + error.what());
            continue;
        }
        Client& client = clients_.emplace_back();
        client.stream = std::move(accepted->stream);
        client.peer = accepted->peer;
        client.accepted_at = Clock::now();
        if (!make_room()) {  // full, and every other connection has joined: the newcomer goes
            refuse(client, "the server is full: " + std::to_string(limits_.max_clients) + " clients");
        }
    }
}

void PollChatServer::on_readable(Client& client) {
    // BEGIN SOLUTION PollChatServer::on_readable
    const std::span<std::byte> room = client.decoder.writable();  // empty only once the stream broke
    const core::IoResult got = room.empty() ? core::IoResult{} : client.stream.read_some(room);
    if (got.eof()) {
        disconnect(client, "end of stream");  // a client that just goes away has left, too
        return;
    }
    // One read per wake-up: level-triggered poll() reports the socket again if more is waiting.
    client.decoder.commit(got.size);  // 0 when it would block (a spurious wake-up)
    while (client.stream.is_open()) {
        const core::FrameResult frame = client.decoder.pop();
        if (frame.status == ParseStatus::need_more) {
            return;
        }
        if (frame.status == ParseStatus::error) {
            refuse(client, "a frame of " + std::to_string(frame.length) + " bytes is over the maximum of " +
                               std::to_string(core::kMaxChatMessage));
            return;
        }
        on_message(client, frame.payload);  // a view into the decoder: used before the next read
    }
    // END SOLUTION
}

void PollChatServer::on_message(Client& client, std::span<const std::byte> payload) {
    client.frame_started.reset();  // this frame is whole: the next one's clock starts with its first byte
    // BEGIN SOLUTION PollChatServer::on_message
    const core::ChatDecodeResult decoded = core::decode_chat(payload);
    if (!decoded) {
        refuse(client, "bad message: " + decoded.error);
        return;
    }
    const core::ChatMessage& message = decoded.message;
    if (client.name.empty()) {  // not joined yet: only a join is allowed
        if (message.type != core::ChatType::join) {
            refuse(client,
                   "the first message must be a join, not a " + std::string(core::name_of(message.type)));
            return;
        }
        on_join(client, message);
        return;
    }
    switch (message.type) {
        case core::ChatType::say:
            if (!message.name.empty() && message.name != client.name) {
                refuse(client, "you joined as '" + client.name + "'; a say cannot claim to be '" +
                                   message.name + "'");
                return;
            }
            // To everyone else, with the sender's name set by the server.
            broadcast({core::ChatType::say, client.name, message.text}, &client);
            return;
        case core::ChatType::leave:
            disconnect(client, "left");
            return;
        case core::ChatType::join:
            refuse(client, "already joined as '" + client.name + "'");
            return;
        case core::ChatType::error:
            refuse(client, "clients do not send error messages");
            return;
    }
    // END SOLUTION
}

void PollChatServer::on_join(Client& client, const core::ChatMessage& join) {
    // BEGIN SOLUTION PollChatServer::on_join
    if (const auto problem = name_problem(join.name)) {  // (decode_chat checked the 32 bytes)
        refuse(client, "a name is 1 to 32 bytes of printable UTF-8: " + *problem);
        return;
    }
    const bool taken = std::any_of(clients_.begin(), clients_.end(), [&](const Client& other) {
        return other.stream.is_open() && other.name == join.name;
    });
    if (taken) {
        refuse(client, "the name '" + join.name + "' is taken");
        return;
    }
    client.name = join.name;
    log::line(printable(who(client) + ": joined"));
    // To everyone joined, the joiner included: its welcome, and the others' news.
    broadcast({core::ChatType::join, client.name, ""}, nullptr);
    // END SOLUTION
}

void PollChatServer::on_writable(Client& client) {
    // BEGIN SOLUTION PollChatServer::on_writable
    while (!client.out.empty()) {
        const std::size_t waiting = client.out.size();
        const core::IoResult sent = client.stream.write_some(client.out.pending());
        client.out.consume(sent.size);  // 0 when it would block
        if (sent.size < waiting) {
            return;  // the send buffer is full: POLLOUT stays asked for while bytes are queued
        }
    }
    // END SOLUTION
}

void PollChatServer::broadcast(const core::ChatMessage& message, const Client* except) {
    // BEGIN SOLUTION PollChatServer::broadcast
    frame_.clear();
    core::append_frame(frame_, core::encode_chat(message), core::kMaxChatMessage);  // encoded once
    for (Client& client : clients_) {
        if (&client != except && client.stream.is_open() && !client.name.empty()) {
            send_to(client, frame_);
        }
    }
    // END SOLUTION
}

void PollChatServer::send_to(Client& client, std::span<const std::byte> frame) {
    // BEGIN SOLUTION PollChatServer::send_to
    if (client.out.empty()) {  // nothing queued: straight to the kernel, no copy
        try {
            frame = frame.subspan(client.stream.write_some(frame).size);  // size 0 when it would block
        } catch (const std::system_error& error) {
            disconnect(client, error.what());  // the receiver's failure, not the sender's
            return;
        }
        if (frame.empty()) {
            return;
        }
    }
    if (client.out.size() + frame.size() > limits_.max_queue) {
        disconnect(client, "dropped: " + std::to_string(client.out.size()) + " bytes queued, and " +
                               std::to_string(frame.size()) + " more would pass --max-queue " +
                               std::to_string(limits_.max_queue) + " (a client that does not read)");
        return;
    }
    client.out.append(frame);  // after what is queued: everyone gets messages in the server's order
    // END SOLUTION
}

void PollChatServer::refuse(Client& client, const std::string& reason) {
    try {
        const core::ChatMessage error{core::ChatType::error, "", reason.substr(0, core::kMaxChatText)};
        client.out.append(core::encode_frame(core::encode_chat(error), core::kMaxChatMessage));
        on_writable(client);  // one try, never a wait: what does not fit now goes with the connection
        // Closing with unread bytes sends a reset, which can destroy the error on its way: read and
        // drop what has already arrived (a bounded amount), so the close is a FIN after the error.
        std::array<std::byte, 4096> scratch;
        for (int pieces = 0; pieces < 16; ++pieces) {
            if (client.stream.read_some(scratch).size == 0) {
                break;  // nothing more waiting, or the end of the stream
            }
        }
    } catch (const std::system_error&) {
        // The connection failed already; it is closed below either way.
    }
    disconnect(client, "refused: " + reason);
}

void PollChatServer::disconnect(Client& client, const std::string& why) {
    log::line(printable(who(client) + ": " + why));  // a reason may quote the peer
    client.stream.close();                           // removed from clients_ at the end of the turn
    client.out.clear();
    if (!client.name.empty()) {
        departed_.push_back(std::exchange(client.name, {}));
    }
}

void PollChatServer::announce_departures() {
    // A leave may overflow another slow client, whose name broadcast() then adds to departed_:
    // walk it by index (a push_back invalidates iterators) and copy each name out.
    for (std::size_t i = 0; i < departed_.size(); ++i) {
        const std::string name = departed_[i];
        broadcast({core::ChatType::leave, name, ""}, nullptr);
    }
    departed_.clear();
}

std::string PollChatServer::who(const Client& client) const {
    const std::string peer = client.peer.to_string();
    return client.name.empty() ? peer : client.name + " (" + peer + ")";
}

}  // namespace netlab::multiplexing
