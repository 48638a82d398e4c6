#pragma once
// This file shows:
//  - one WebSocket connection as explicit states; each libevent callback looks at the state first:
//      handshake: collect the upgrade request (bounded in size, and in time by a deadline fixed
//                 at accept), answer 101 or an HTTP error;
//      open:      bytes -> MessageDecoder -> events; ping answered with pong; violations closed
//                 with their code; the peer's Close echoed;
//      closing:   we sent Close and wait (a close_timeout deadline) for the peer's;
//      draining:  our last bytes flush, then shutdown(SHUT_WR) (the server closes TCP first), and
//                 we read and discard until the client's FIN, so a reset never eats our Close frame;
//  - what the application sees of it: the Session interface, nothing else.
// Private to ws_server.cpp and ws_connection.cpp (WsServer owns every Connection).

#include <cstdint>
#include <span>
#include <string>

#include "05_libevent/event/buffer_event.hpp"
#include "05_libevent/event/timer_event.hpp"
#include "09_websocket/protocol/message_decoder.hpp"
#include "09_websocket/protocol/upgrade.hpp"
#include "09_websocket/server/ws_server.hpp"

namespace netlab::websocket {

/// One client of a WsServer. Owned by WsServer::connections_; loop thread only.
class WsServer::Connection final : public Session {
public:
    /// Where the connection stands (see the file comment); dead: dropped, waiting to be destroyed.
    enum class State { handshake, open, closing, draining, dead };

    /// Takes the client's bufferevent; the handshake starts with the first bytes.
    Connection(WsServer& server, libevent::BufferEvent bev, std::string peer, std::uint64_t id);

    [[nodiscard]] std::uint64_t id() const noexcept override { return id_; }
    [[nodiscard]] const std::string& peer() const noexcept override { return peer_; }
    [[nodiscard]] const std::string& path() const noexcept override { return path_; }
    [[nodiscard]] std::size_t queued() const noexcept override {
        return ::evbuffer_get_length(bev_.output());
    }
    bool send(Opcode opcode, std::span<const std::byte> payload) override;
    void close(std::uint16_t code, std::string_view reason) override;

    /// Loop thread: input arrived. May destroy this connection as its last act.
    void on_read();
    /// Loop thread: output drained to the low watermark.
    void on_write();
    /// Loop thread: EOF, error or timeout. May destroy this connection as its last act.
    void on_event(short events, int error);
    /// Arms the deadline: `after` from now the connection ends unless it opened first. Bytes from
    /// the peer never move it; re-arming replaces the earlier one.
    void start_deadline(std::chrono::milliseconds after);
    /// Loop thread: the deadline passed (handshake, closing or draining). Destroys this connection as
    /// its last act.
    void on_deadline();
    /// Tells the handler the connection ended, once, if it had opened. code: why.
    void notify_closed(std::uint16_t code);
    /// Stops all I/O at once (the server destroys it soon).
    void kill() noexcept;
    /// The current state.
    [[nodiscard]] State state() const noexcept { return state_; }
    /// The client's bufferevent (for WsServer to set callbacks and timeouts).
    libevent::BufferEvent& bev() noexcept { return bev_; }

private:
    void read_handshake();
    void upgrade(const HttpHead& head, const UpgradeCheck& check, std::size_t head_size);
    void read_frames();
    bool handle(const Event& event);
    void send_frame(Opcode opcode, std::span<const std::byte> payload);
    void write_out(std::span<const std::byte> header, std::span<const std::byte> payload);
    void finish();
    void shutdown_if_flushed();

    WsServer& server_;
    libevent::BufferEvent bev_;
    libevent::TimerEvent deadline_;  // handshake: from accept; closing and draining: from close_timeout
    std::string peer_;
    std::string path_;
    std::uint64_t id_;
    State state_ = State::handshake;
    std::string head_;  // the upgrade request so far, at most options.head.max_bytes
    MessageDecoder decoder_;
    bool opened_ = false;
    bool notified_ = false;
    bool reading_paused_ = false;
    bool ping_outstanding_ = false;  // an idle ping went out; a second silent timeout ends the connection
    bool shutdown_pending_ = false;  // draining: SHUT_WR once the output is empty
};

}  // namespace netlab::websocket
