#pragma once
// This file shows:
//  - a chat room over WebSocket: the server pushes every message to every browser the moment it
//    arrives (full duplex: nobody polls), which is what HTTP's request/response cannot do;
//  - serving the page itself over plain HTTP on the same port: a GET without Upgrade gets the
//    HTML, a GET with Upgrade becomes the chat connection;
//  - one rule for binary: this room is text only, so a binary message is closed with 1003.

#include <string>

#include "09_websocket/server/session.hpp"
#include "09_websocket/server/ws_server.hpp"

namespace netlab::websocket {

/// Broadcasts each text message to every client as "[#ID] text"; serves the page at / and /index.html.
class ChatRoom final : public Handler {
public:
    /// page is the HTML served at "/". Call attach() before the loop runs.
    explicit ChatRoom(std::string page) : page_(std::move(page)) {}
    /// The server whose sessions receive broadcasts (set once, before the loop runs).
    void attach(WsServer& server) noexcept { server_ = &server; }

    /// The page for "/" and "/index.html", 404 otherwise.
    std::optional<HttpReply> on_http(const HttpHead& request) override;
    /// Announces the newcomer to everyone (it included).
    void on_open(Session& session) override;
    /// Broadcasts a text message; closes a binary sender with 1003.
    void on_message(Session& session, Opcode opcode, std::span<const std::byte> payload) override;
    /// Announces the departure to the others.
    void on_close(Session& session, std::uint16_t code) override;

private:
    void announce(const std::string& line);

    std::string page_;
    WsServer* server_ = nullptr;
};

}  // namespace netlab::websocket
