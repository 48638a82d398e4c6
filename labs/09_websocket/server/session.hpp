#pragma once
// This file shows:
//  - what an application sees of one WebSocket connection: send a message, close with a code;
//    never the socket, the frames or the buffers (those belong to the server);
//  - the handler interface a server program implements (echo, chat), called on the loop thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "09_websocket/protocol/frame.hpp"
#include "09_websocket/protocol/http_head.hpp"

namespace netlab::websocket {

/// One open WebSocket connection, owned by the server. Loop thread only; never store it past on_close.
class Session {
public:
    virtual ~Session() = default;
    /// A number unique within the server's life.
    [[nodiscard]] virtual std::uint64_t id() const noexcept = 0;
    /// The client's address, "127.0.0.1:40000".
    [[nodiscard]] virtual const std::string& peer() const noexcept = 0;
    /// The path the client asked for in its upgrade request.
    [[nodiscard]] virtual const std::string& path() const noexcept = 0;
    /// Queues one message (text must be valid UTF-8). False, and nothing sent, once closing.
    virtual bool send(Opcode opcode, std::span<const std::byte> payload) = 0;
    /// Starts the close handshake with code and reason; the peer's Close reply ends the connection.
    virtual void close(std::uint16_t code, std::string_view reason) = 0;
    /// Bytes queued for this peer and not yet taken by the kernel.
    [[nodiscard]] virtual std::size_t queued() const noexcept = 0;
};

/// A plain HTTP reply for a request that did not ask to upgrade (e.g. the chat page).
struct HttpReply {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
};

/// What a server program does with its connections. Every call runs on the loop thread and must not block.
class Handler {
public:
    virtual ~Handler() = default;
    /// A GET that is not an upgrade: a reply, or nullopt for 426 Upgrade Required.
    virtual std::optional<HttpReply> on_http(const HttpHead& /*request*/) { return std::nullopt; }
    /// The handshake completed.
    virtual void on_open(Session& /*session*/) {}
    /// A whole message arrived (reassembled from its fragments); payload is valid during the call.
    virtual void on_message(Session& session, Opcode opcode, std::span<const std::byte> payload) = 0;
    /// The connection is ending (code: the peer's, ours on a violation, 1006 if it vanished). Last call for
    /// it.
    virtual void on_close(Session& /*session*/, std::uint16_t /*code*/) {}
};

}  // namespace netlab::websocket
