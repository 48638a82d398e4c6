// This file shows:
//  - the room's four reactions, each a few lines, because framing, UTF-8, ping and the close
//    handshake all stay in the server: the application sees only whole, valid messages;
//  - a message longer than a chat line is refused politely (1009 is the server's, for frames;
//    here the room sets its own, smaller, policy and closes with 1008).

#include "09_websocket/server/chat_room.hpp"

#include "09_websocket/protocol/close_code.hpp"

namespace netlab::websocket {
namespace {

constexpr std::size_t kMaxLine = 4096;

}  // namespace

std::optional<HttpReply> ChatRoom::on_http(const HttpHead& request) {
    HttpReply reply;
    if (request.target == "/" || request.target == "/index.html") {
        reply.body = page_;
        return reply;
    }
    reply.status = 404;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = "no such page: " + request.target + "\n";
    return reply;
}

void ChatRoom::on_open(Session& session) {
    // BEGIN SOLUTION ChatRoom::on_open
    announce("* #" + std::to_string(session.id()) + " joined from " + session.peer());
    // END SOLUTION
}

void ChatRoom::on_message(Session& session, Opcode opcode, std::span<const std::byte> payload) {
    // BEGIN SOLUTION ChatRoom::on_message
    if (opcode != Opcode::text) {
        session.close(close_code::kUnsupportedData, "this room takes text only");
        return;
    }
    if (payload.size() > kMaxLine) {
        session.close(close_code::kPolicyViolation, "a chat line is at most 4096 bytes");
        return;
    }
    announce("[#" + std::to_string(session.id()) + "] " + std::string(as_text(payload)));
    // END SOLUTION
}

void ChatRoom::on_close(Session& session, std::uint16_t code) {
    announce("* #" + std::to_string(session.id()) + " left (" + std::to_string(code) + ")");
}

void ChatRoom::announce(const std::string& line) {
    if (server_ != nullptr) {
        server_->broadcast(Opcode::text, as_bytes(line));
    }
}

}  // namespace netlab::websocket
