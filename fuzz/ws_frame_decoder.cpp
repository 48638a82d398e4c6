// This file shows:
//  - fuzzing lab 09's MessageDecoder against itself: the same bytes fed in one piece and in
//    reads of any size must give the same events (kind, payload, code) and the same ending;
//  - checking the promises on every input: no message above max_message, control payloads of at
//    most 125 bytes, text that is valid UTF-8, close codes that may be sent, errors with a code
//    of 1002, 1007 or 1009, and the sticky end after close or error;
//  - the frame encoder as an oracle: every message decoded, re-encoded and decoded again, is equal.
//
// Input: byte 0 picks the role and the maximum message size, byte 1 the read size, the rest is the stream.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/protocol/message_decoder.hpp"
#include "09_websocket/protocol/utf8.hpp"

namespace {

namespace ws = netlab::websocket;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

struct Seen {
    ws::EventKind kind;
    std::string payload;
    std::uint16_t code;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> decode(ws::Role role, std::size_t max_message, std::span<const std::byte> stream,
                         std::size_t step) {
    ws::MessageDecoder decoder(role, max_message);
    std::vector<Seen> seen;
    for (std::size_t at = 0; at < stream.size(); at += step) {
        decoder.feed(stream.subspan(at, std::min(step, stream.size() - at)));
        for (;;) {
            const ws::Event event = decoder.next();
            if (event.kind == ws::EventKind::need_more) {
                break;
            }
            seen.push_back({event.kind, std::string(ws::as_text(event.payload)), event.code});
            if (event.kind == ws::EventKind::error) {
                require(decoder.next().kind == ws::EventKind::error);  // sticky
                return seen;
            }
            if (event.kind == ws::EventKind::close) {
                require(decoder.next().kind == ws::EventKind::need_more);
                return seen;
            }
        }
    }
    return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const ws::Role role = (data[0] & 1) != 0 ? ws::Role::client : ws::Role::server;
    const std::size_t max_message = 125 + static_cast<std::size_t>(data[0] >> 1) * 37;
    const std::size_t step = 1 + data[1];
    const std::span<const std::byte> stream(reinterpret_cast<const std::byte*>(data + 2), size - 2);

    const std::vector<Seen> whole = decode(role, max_message, stream, stream.size() + 1);
    require(decode(role, max_message, stream, step) == whole);
    for (const Seen& s : whole) {
        switch (s.kind) {
            case ws::EventKind::text:
                require(ws::is_valid_utf8(ws::as_bytes(s.payload)));
                [[fallthrough]];
            case ws::EventKind::binary: {
                require(s.payload.size() <= max_message);
                std::vector<std::byte> again;  // re-encode as the other role would send it, decode again
                const std::optional<ws::MaskKey> mask =
                    role == ws::Role::server
                        ? std::optional(ws::MaskKey{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}})
                        : std::nullopt;
                ws::append_frame(again, s.kind == ws::EventKind::text ? ws::Opcode::text : ws::Opcode::binary,
                                 true, ws::as_bytes(s.payload), mask);
                const std::vector<Seen> round = decode(role, max_message, again, again.size());
                require(round.size() == 1 && round[0] == s);
                break;
            }
            case ws::EventKind::ping:
            case ws::EventKind::pong:
                require(s.payload.size() <= ws::kMaxControlPayload);
                break;
            case ws::EventKind::close:
                require(s.code == ws::close_code::kNoStatus || ws::is_sendable_close_code(s.code));
                require(ws::is_valid_utf8(ws::as_bytes(s.payload)));
                break;
            case ws::EventKind::error:
                require(s.code == 1002 || s.code == 1007 || s.code == 1009);
                break;
            case ws::EventKind::need_more:
                require(false);
        }
    }
    return 0;
}
