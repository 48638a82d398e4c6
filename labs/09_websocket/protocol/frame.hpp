#pragma once
// This file shows:
//  - the WebSocket frame header (RFC 6455 5.2) decoded by a pure function, byte by byte:
//      byte 0: FIN, RSV1-3, opcode;  byte 1: MASK, 7-bit length (126: 16 bits follow, 127: 64 bits)
//      then the extended length (network byte order), then the 4-byte masking key if MASK is set;
//  - every rule a receiver enforces BEFORE it buffers a payload: reserved bits and opcodes,
//    control frames short (<= 125) and unfragmented, masking required from a client and
//    forbidden from a server, and a length checked against a maximum before anything grows;
//  - encoding the header with the smallest length form, and masking as a plain XOR.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/parse_status.hpp"

namespace netlab::websocket {

/// The frame types. Others (3-7 data, 11-15 control) are reserved and a protocol error.
enum class Opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

/// Close, ping and pong: short, never fragmented, and allowed between the fragments of a message.
constexpr bool is_control(Opcode opcode) noexcept {
    return (static_cast<std::uint8_t>(opcode) & 0x8) != 0;
}

/// Who decodes: a server receives client frames (which must be masked); a client receives server
/// frames (which must not be).
enum class Role { server, client };

/// The four bytes a client XORs over a payload.
using MaskKey = std::array<std::byte, 4>;

/// The largest header: 2 bytes, 8 bytes of length, 4 bytes of key.
inline constexpr std::size_t kMaxHeaderSize = 14;
/// The largest payload of a control frame.
inline constexpr std::size_t kMaxControlPayload = 125;

/// One decoded frame header.
struct FrameHeader {
    bool fin = true;
    Opcode opcode = Opcode::text;
    bool masked = false;
    MaskKey mask{};
    std::uint64_t length = 0;  ///< payload bytes that follow the header
    std::size_t size = 0;      ///< header bytes (2 to 14)
};

/// The header (complete), or need_more, or the close code a violation earns (1002, or 1009 for a length
/// over the maximum).
struct HeaderResult {
    ParseStatus status = ParseStatus::need_more;
    FrameHeader header;
    std::uint16_t close_code = 0;  ///< error only
    std::string error;             ///< error only: what was wrong, for humans
    /// True when a whole header was decoded.
    explicit operator bool() const noexcept { return status == ParseStatus::complete; }
};

/// The rules the first two bytes of a header decide (RSV bits, opcode, a control frame's FIN and
/// 7-bit length, the mask bit expected by receiver): complete with fin, opcode, masked, the 7-bit
/// length (126 and 127 announce a longer form) and size 2, or the 1002 error. Pure.
HeaderResult decode_first_two_bytes(std::byte byte0, std::byte byte1, Role receiver);

/// Decodes the header at the start of bytes, as received by receiver. Never reads past bytes;
/// rejects a payload over max_payload as soon as the length is known. Pure.
HeaderResult decode_frame_header(std::span<const std::byte> bytes, Role receiver, std::uint64_t max_payload);

/// Writes the header for a payload of length bytes into out (smallest length form); returns its size.
std::size_t encode_frame_header(std::span<std::byte, kMaxHeaderSize> out, Opcode opcode, bool fin,
                                std::uint64_t length, const std::optional<MaskKey>& mask);

/// XORs bytes with key, as if bytes started at payload offset `offset` (masking is its own inverse).
void apply_mask(std::span<std::byte> bytes, const MaskKey& key, std::size_t offset = 0) noexcept;

/// Appends one whole frame (header, then the payload, masked when mask is given) to out.
void append_frame(std::vector<std::byte>& out, Opcode opcode, bool fin, std::span<const std::byte> payload,
                  const std::optional<MaskKey>& mask = std::nullopt);

/// A Close frame's payload: the code in network byte order, then the reason (cut to fit 125 bytes
/// at a character boundary). code 1005 ("no code") gives an empty payload.
std::vector<std::byte> close_payload(std::uint16_t code, std::string_view reason);

/// A string's bytes as a byte span (no copy).
inline std::span<const std::byte> as_bytes(std::string_view text) noexcept {
    return std::as_bytes(std::span(text.data(), text.size()));
}
/// A byte span as a string view (no copy).
inline std::string_view as_text(std::span<const std::byte> bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace netlab::websocket
