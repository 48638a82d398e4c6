// This lab shows:
//  - memcpy into and out of a byte buffer, never a cast like *(uint32_t*)p: the
//    bytes of a datagram have no alignment, and the cast is undefined behaviour;
//  - htonl/ntohl at the boundary, so the numbers on the wire mean the same on
//    every machine;
//  - checking in order: size, magic, version, type, length <= max, length == rest.

#include "02_datagram/wire_format.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace netlab::datagram {
namespace {

// Where each header field starts.
constexpr std::size_t kMagicAt = 0;
constexpr std::size_t kVersionAt = 2;
constexpr std::size_t kTypeAt = 3;
constexpr std::size_t kSequenceAt = 4;
constexpr std::size_t kLengthAt = 8;

}  // namespace

const char* describe(DecodeError error) noexcept {
    switch (error) {
        case DecodeError::none:
            return "valid message";
        case DecodeError::too_short:
            return "shorter than a header";
        case DecodeError::bad_magic:
            return "bad magic (not one of our messages)";
        case DecodeError::bad_version:
            return "unsupported version";
        case DecodeError::bad_type:
            return "unknown message type";
        case DecodeError::too_long:
            return "length field above the maximum payload";
        case DecodeError::length_mismatch:
            return "length field disagrees with the datagram size";
    }
    return "unknown decode error";
}

std::vector<std::byte> encode_message(const Message& message) {
    // BEGIN SOLUTION encode_message
    if (message.payload.size() > kMaxPayload) {
        throw std::length_error("encode_message: payload of " + std::to_string(message.payload.size()) +
                                " bytes is over the maximum of " + std::to_string(kMaxPayload));
    }
    std::vector<std::byte> bytes(kHeaderSize + message.payload.size());
    const std::uint16_t magic = htons(kMagic);
    const std::uint32_t sequence = htonl(message.sequence);
    const std::uint16_t length = htons(static_cast<std::uint16_t>(message.payload.size()));
    std::memcpy(bytes.data() + kMagicAt, &magic, sizeof magic);
    bytes[kVersionAt] = std::byte{kVersion};
    bytes[kTypeAt] = static_cast<std::byte>(message.type);
    std::memcpy(bytes.data() + kSequenceAt, &sequence, sizeof sequence);
    std::memcpy(bytes.data() + kLengthAt, &length, sizeof length);
    std::copy(message.payload.begin(), message.payload.end(), bytes.begin() + kHeaderSize);
    return bytes;
    // END SOLUTION
}

DecodeResult decode_message(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION decode_message
    DecodeResult result;
    if (bytes.size() < kHeaderSize) {
        result.error = DecodeError::too_short;
        return result;
    }
    std::uint16_t magic = 0;
    std::uint32_t sequence = 0;
    std::uint16_t length = 0;
    std::memcpy(&magic, bytes.data() + kMagicAt, sizeof magic);
    std::memcpy(&sequence, bytes.data() + kSequenceAt, sizeof sequence);
    std::memcpy(&length, bytes.data() + kLengthAt, sizeof length);
    const auto type = std::to_integer<std::uint8_t>(bytes[kTypeAt]);
    const std::size_t payload_size = ntohs(length);
    if (ntohs(magic) != kMagic) {
        result.error = DecodeError::bad_magic;
    } else if (std::to_integer<std::uint8_t>(bytes[kVersionAt]) != kVersion) {
        result.error = DecodeError::bad_version;
    } else if (type != static_cast<std::uint8_t>(MessageType::request) &&
               type != static_cast<std::uint8_t>(MessageType::response)) {
        result.error = DecodeError::bad_type;
    } else if (payload_size > kMaxPayload) {
        result.error = DecodeError::too_long;
    } else if (payload_size != bytes.size() - kHeaderSize) {
        result.error = DecodeError::length_mismatch;
    } else {
        result.message.type = static_cast<MessageType>(type);
        result.message.sequence = ntohl(sequence);
        const auto payload = bytes.subspan(kHeaderSize, payload_size);
        result.message.payload.assign(payload.begin(), payload.end());
    }
    return result;
    // END SOLUTION
}

}  // namespace netlab::datagram
