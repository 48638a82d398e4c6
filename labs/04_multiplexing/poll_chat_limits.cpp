// This file shows:
//  - timers without a timer thread: poll() sleeps until the nearest join or frame deadline, and
//    the connections past theirs are closed after the turn's I/O;
//  - a frame's clock: it starts with the frame's first byte and stops when the frame is whole,
//    so a client that trickles one byte a second is caught, and a busy one never is;
//  - a full server that makes room from the connections that have proved nothing yet.

#include <algorithm>
#include <climits>
#include <span>
#include <string>

#include "04_multiplexing/poll_chat.hpp"

namespace netlab::multiplexing {
namespace {

std::string seconds_text(std::chrono::seconds duration) {
    return std::to_string(duration.count()) + " s";
}

}  // namespace

bool PollChatServer::make_room() {
    const auto open = std::count_if(clients_.begin(), clients_.end(),
                                    [](const Client& client) { return client.stream.is_open(); });
    if (static_cast<std::size_t>(open) <= limits_.max_clients) {
        return true;
    }
    // The oldest connection that has not joined; else the joined one whose frame started first.
    // The newcomer (last in clients_) is never its own victim: it is refused instead.
    Client* victim = nullptr;
    for (Client& client : std::span(clients_).first(clients_.size() - 1)) {
        if (!client.stream.is_open()) {
            continue;
        }
        if (client.name.empty()) {
            victim = &client;
            break;
        }
        if (client.frame_started && (victim == nullptr || *client.frame_started < *victim->frame_started)) {
            victim = &client;
        }
    }
    if (victim == nullptr) {
        return false;
    }
    refuse(*victim, victim->name.empty() ? "the server is full, and this connection has not joined yet"
                                         : "the server is full, and this connection is stuck in a frame");
    announce_departures();
    return true;
}

int PollChatServer::poll_timeout() const {
    std::optional<Clock::time_point> nearest = retry_accept_at_;
    const auto consider = [&nearest](Clock::time_point deadline) {
        nearest = nearest ? std::min(*nearest, deadline) : deadline;
    };
    for (const Client& client : clients_) {
        if (client.name.empty()) {
            consider(client.accepted_at + limits_.join_timeout);
        }
        if (client.frame_started) {
            consider(*client.frame_started + limits_.frame_timeout);
        }
    }
    if (!nearest) {
        return -1;  // no deadline anywhere: sleep until something happens
    }
    // Rounded up: waking a millisecond early would find nothing due, and poll again at once.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*nearest - Clock::now()).count();
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left, 0, INT_MAX));
}

void PollChatServer::note_partial_frame(Client& client) {
    if (!client.stream.is_open() || client.decoder.buffered() == 0) {
        client.frame_started.reset();
    } else if (!client.frame_started) {
        client.frame_started = Clock::now();  // on_message resets it when a frame completes
    }
}

void PollChatServer::close_stalled() {
    const auto now = Clock::now();
    for (Client& client : clients_) {
        if (!client.stream.is_open()) {
            continue;
        }
        if (client.name.empty() && now >= client.accepted_at + limits_.join_timeout) {
            refuse(client, "no join within " + seconds_text(limits_.join_timeout) + " of connecting");
        } else if (client.frame_started && now >= *client.frame_started + limits_.frame_timeout) {
            refuse(client,
                   "a frame was started and not finished within " + seconds_text(limits_.frame_timeout));
        }
        announce_departures();
    }
}

}  // namespace netlab::multiplexing
