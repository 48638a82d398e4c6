#pragma once
// This file shows:
//  - the layer above frames: bytes in, whole MESSAGES and control events out, with the state a
//    connection keeps between reads (a half-received frame, a message still in fragments, the
//    UTF-8 state of a text message that splits a character across fragments);
//  - control frames between fragments (a ping in the middle of a long message is answered at
//    once, the message goes on collecting);
//  - bounded memory: a frame is buffered only after its header passed the size check, and a
//    fragmented message never grows past max_message (1009 instead);
//  - zero copies for the common case: an unfragmented frame is unmasked in place and handed out
//    as a view into the receive buffer.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "09_websocket/protocol/frame.hpp"
#include "09_websocket/protocol/utf8.hpp"

namespace netlab::websocket {

/// What MessageDecoder::next() produced.
enum class EventKind { need_more, text, binary, ping, pong, close, error };

/// One event. payload is a view valid until the next feed(), writable() or next().
struct Event {
    EventKind kind = EventKind::need_more;
    std::span<const std::byte> payload;  ///< the message, the ping/pong data, or the close reason
    std::uint16_t code = 0;  ///< close: the peer's code (1005 if it gave none); error: ours to send
    std::string error;       ///< error: what the peer did wrong, for humans
    /// True for a message, ping, pong or close: something to act on.
    explicit operator bool() const noexcept {
        return kind != EventKind::need_more && kind != EventKind::error;
    }
};

/// Turns one connection's incoming bytes into events. Not thread-safe; one per connection.
/// After a close or an error it produces nothing more (the connection is ending).
class MessageDecoder {
public:
    /// receiver decides the masking rule; max_message bounds a message (all its fragments together).
    MessageDecoder(Role receiver, std::size_t max_message);

    /// Room for at least min_room more bytes at the end of the buffer; commit(n) after filling n.
    /// Invalidates earlier payload views.
    std::span<std::byte> writable(std::size_t min_room = 16 * 1024);
    /// Marks n bytes of the last writable() as received. Throws std::out_of_range if n is larger.
    void commit(std::size_t n);
    /// Copies bytes in (the buffer grows as needed: call next() until need_more after each feed).
    void feed(std::span<const std::byte> bytes);
    /// The next event. error is sticky; after close, need_more forever.
    Event next();

    /// True once a protocol violation was found.
    [[nodiscard]] bool failed() const noexcept { return failed_; }
    /// True once the peer's Close frame was decoded.
    [[nodiscard]] bool close_received() const noexcept { return close_received_; }
    /// Bytes received and not yet decoded.
    [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_; }
    /// The largest message accepted.
    [[nodiscard]] std::size_t max_message() const noexcept { return max_message_; }

private:
    Event fail(std::uint16_t code, std::string error);
    Event on_control(const FrameHeader& header, std::span<std::byte> payload);
    Event on_data(const FrameHeader& header, std::span<std::byte> payload);

    Role receiver_;
    std::size_t max_message_;
    std::vector<std::byte> in_;  // [begin_, end_) received, not decoded; grows only with what arrived
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::size_t offered_ = 0;
    std::vector<std::byte> message_;  // the fragments of the message in progress
    Opcode message_opcode_ = Opcode::text;
    bool in_message_ = false;
    bool deliver_pending_ = false;  // message_ was handed out: clear it on the next call
    Utf8Validator utf8_;
    bool failed_ = false;
    bool close_received_ = false;
    Event failure_;
};

}  // namespace netlab::websocket
