#pragma once
// This file shows:
//  - the client side of RFC 6455: a random key, the upgrade request, the 101 checked against the
//    key, then frames that are ALWAYS masked with a fresh key (a client that does not mask is
//    closed by every server: masking stops cache-poisoning attacks on proxies, RFC 6455 10.3);
//  - one thread, poll() over stdin and the socket: the terminal and the server are both read at
//    any time, so messages pushed by the server appear while you type (full duplex, 全双工);
//  - writes that never block: frames wait in an output buffer sent when poll says POLLOUT, and
//    stdin is not read while that buffer is large (backpressure toward the terminal);
//  - the server's text is escaped before it reaches the terminal (netlab::printable): an ESC
//    sequence or an embedded newline from a peer is shown, never obeyed.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "03_encapsulation/core/tcp_stream.hpp"
#include "09_websocket/protocol/accept_key.hpp"
#include "09_websocket/protocol/message_decoder.hpp"
#include "common/endpoint.hpp"

namespace netlab::websocket {

/// What ws_client was asked to do.
struct ClientOptions {
    HostPort server;
    std::string path = "/";
    std::size_t fragment = 0;  ///< send messages in frames of at most this many bytes; 0 = one frame
    std::size_t max_message = 64 << 20;        ///< the largest message accepted from the server
    std::chrono::milliseconds timeout{10000};  ///< for the handshake and for the close handshake
    std::uint16_t close_code = 1000;           ///< the code sent when stdin ends
};

/// Receives each diagnostic of a run (why it failed, how the close ended) as one line of text without
/// a newline, peer text already escaped; called on the thread that runs the client.
using Diagnostics = std::function<void(std::string_view text)>;

/// A connected, upgraded WebSocket client. Move-only; one thread.
class WsClient {
public:
    /// Connects, sends the upgrade request and checks the 101 (within options.timeout). Throws
    /// std::system_error on a socket error, std::runtime_error naming what the server got wrong.
    /// diagnostics receives what run() reports besides the server's messages (empty: netlab::log::line).
    static WsClient connect(const ClientOptions& options, Diagnostics diagnostics);

    /// Lines from input_fd become messages (see ws_client --help for the /commands); what the server
    /// sends is printed to out, escaped. Returns 0 after a completed close handshake, 1 otherwise,
    /// and 1 when the server's Close reports a failure (reports_failure) that is not our own code;
    /// why it returned 1 goes to the diagnostics given to connect().
    int run(int input_fd, std::ostream& out);

    /// Queues one message, split into frames of options.fragment bytes, each masked.
    void send_message(Opcode opcode, std::span<const std::byte> payload);
    /// Queues a control frame (ping, pong or close), masked.
    void send_control(Opcode opcode, std::span<const std::byte> payload);

private:
    WsClient(core::TcpStream stream, const ClientOptions& options, Diagnostics diagnostics);
    void on_line(std::string_view line);
    /// Reads what stdin has, sends each complete line (on_line); at EOF sends the rest and our Close.
    void read_input(int input_fd);
    void start_close(std::uint16_t code, std::string_view reason);
    bool read_socket(std::ostream& out);
    void decode(std::ostream& out);
    void handle(const Event& event, std::ostream& out);
    void flush();

    core::TcpStream stream_;
    ClientOptions options_;
    Diagnostics diagnostics_;
    MessageDecoder decoder_;
    MaskSource masks_;
    std::vector<std::byte> out_;  // frames not yet taken by the kernel, from out_sent_
    std::size_t out_sent_ = 0;
    std::string line_;  // stdin bytes after the last newline
    bool input_open_ = true;
    bool close_sent_ = false;
    std::uint16_t sent_code_ = 0;  // the code of our Close, once close_sent_
    bool close_received_ = false;
    bool failed_ = false;
    bool server_gone_ = false;
};

}  // namespace netlab::websocket
