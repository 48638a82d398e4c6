#pragma once
// This file shows:
//  - a binary header with a fixed layout, written byte by byte in network byte order
//    (big-endian) with memcpy + htons/htonl, and read back with memcpy + ntohs/ntohl;
//  - a pure decoder: bytes in, a message or a named error out, no sockets, no exceptions
//    for bad input (a peer's garbage is an expected outcome);
//  - every length a peer sends is checked against a maximum before it is used.
//
// One datagram = one message:
//
//    0       2       3       4               8       10
//    +-------+-------+-------+---------------+-------+----------------------+
//    | magic |version| type  |   sequence    |length |  payload (length B)  |
//    | "NL"  |   1   | 1 / 2 |  u32, big-end.|  u16  |  at most kMaxPayload |
//    +-------+-------+-------+---------------+-------+----------------------+

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace netlab::datagram {

inline constexpr std::uint16_t kMagic = 0x4e4c;  // "NL"
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 10;
/// Small enough that a message fits an IPv6 minimum MTU (1280) and is never fragmented.
inline constexpr std::size_t kMaxPayload = 1200;
/// The largest valid message, header included.
inline constexpr std::size_t kMaxMessage = kHeaderSize + kMaxPayload;

/// What a message is: a client's request or the server's response to it.
enum class MessageType : std::uint8_t { request = 1, response = 2 };

/// One message. A response carries the sequence number of the request it answers.
struct Message {
    MessageType type = MessageType::request;
    std::uint32_t sequence = 0;
    std::vector<std::byte> payload;
};

/// Why decode_message rejected its input.
enum class DecodeError {
    none,             ///< not an error: the message is valid
    too_short,        ///< fewer bytes than a header
    bad_magic,        ///< not one of our messages
    bad_version,      ///< a version this code does not speak
    bad_type,         ///< neither request nor response
    too_long,         ///< the length field is above kMaxPayload
    length_mismatch,  ///< the length field disagrees with the bytes that follow the header
};

/// A short English description of the error, e.g. "shorter than a header".
const char* describe(DecodeError error) noexcept;

/// What decode_message returns: message is meaningful only when the result is true.
struct DecodeResult {
    Message message;
    DecodeError error = DecodeError::none;
    /// True when the input was a valid message.
    explicit operator bool() const noexcept { return error == DecodeError::none; }
};

/// The bytes of message: header then payload. Throws std::length_error when the payload is
/// longer than kMaxPayload (the caller's bug, not the peer's).
std::vector<std::byte> encode_message(const Message& message);

/// Parses one whole datagram. Pure: never throws for bad input, never reads past bytes.
DecodeResult decode_message(std::span<const std::byte> bytes);

}  // namespace netlab::datagram
