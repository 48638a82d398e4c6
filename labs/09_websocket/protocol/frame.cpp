// This file shows:
//  - decoding a header in the order the bytes arrive, so every rule that can fail early does:
//    the first two bytes already decide reserved bits, opcode, fragmented or long control
//    frames, and the masking rule; the length decides "too big" before any payload is read;
//  - big-endian lengths read with memcpy + be16toh/be64toh, never through a cast pointer;
//  - masking 8 bytes at a time: XOR with the key repeated twice, in a 64-bit word.

#include "09_websocket/protocol/frame.hpp"

#include <endian.h>

#include <cstring>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/protocol/utf8.hpp"

namespace netlab::websocket {
namespace {

HeaderResult failure(std::uint16_t code, std::string error) {
    HeaderResult result;
    result.status = ParseStatus::error;
    result.close_code = code;
    result.error = std::move(error);
    return result;
}

bool is_known(std::uint8_t opcode) noexcept {
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

}  // namespace

HeaderResult decode_first_two_bytes(std::byte byte0, std::byte byte1, Role receiver) {
    // BEGIN SOLUTION decode_first_two_bytes
    using namespace close_code;
    const auto b0 = static_cast<std::uint8_t>(byte0);
    const auto b1 = static_cast<std::uint8_t>(byte1);
    const std::uint8_t op = b0 & 0x0F;
    if ((b0 & 0x70) != 0) {
        return failure(kProtocolError, "reserved bits RSV1-3 set without a negotiated extension");
    }
    if (!is_known(op)) {
        return failure(kProtocolError, "reserved opcode " + std::to_string(op));
    }
    HeaderResult result;
    FrameHeader& h = result.header;
    h.fin = (b0 & 0x80) != 0;
    h.opcode = static_cast<Opcode>(op);
    h.masked = (b1 & 0x80) != 0;
    h.length = b1 & 0x7F;
    h.size = 2;
    if (is_control(h.opcode) && !h.fin) {
        return failure(kProtocolError, "fragmented control frame (opcode " + std::to_string(op) + ")");
    }
    if (is_control(h.opcode) && h.length > kMaxControlPayload) {
        return failure(kProtocolError, "control frame longer than 125 bytes");
    }
    if (receiver == Role::server && !h.masked) {
        return failure(kProtocolError, "unmasked frame from a client");
    }
    if (receiver == Role::client && h.masked) {
        return failure(kProtocolError, "masked frame from a server");
    }
    result.status = ParseStatus::complete;
    return result;
    // END SOLUTION
}

HeaderResult decode_frame_header(std::span<const std::byte> bytes, Role receiver, std::uint64_t max_payload) {
    // BEGIN SOLUTION decode_frame_header
    if (bytes.size() < 2) {
        return {};
    }
    HeaderResult result = decode_first_two_bytes(bytes[0], bytes[1], receiver);
    if (result.status == ParseStatus::error) {
        return result;
    }
    result.status = ParseStatus::need_more;
    FrameHeader& h = result.header;
    std::size_t at = 2;
    if (h.length == 126) {
        if (bytes.size() < at + 2) {
            return result;
        }
        std::uint16_t be = 0;
        std::memcpy(&be, bytes.data() + at, 2);
        h.length = be16toh(be);
        at += 2;
    } else if (h.length == 127) {
        if (bytes.size() < at + 8) {
            return result;
        }
        std::uint64_t be = 0;
        std::memcpy(&be, bytes.data() + at, 8);
        h.length = be64toh(be);
        at += 8;
        if ((h.length >> 63) != 0) {
            return failure(close_code::kProtocolError, "64-bit length with the most significant bit set");
        }
    }
    if (h.length > max_payload) {
        return failure(
            close_code::kMessageTooBig,
            "frame of " + std::to_string(h.length) + " bytes, the maximum is " + std::to_string(max_payload));
    }
    if (h.masked) {
        if (bytes.size() < at + 4) {
            return result;
        }
        std::memcpy(h.mask.data(), bytes.data() + at, 4);
        at += 4;
    }
    h.size = at;
    result.status = ParseStatus::complete;
    return result;
    // END SOLUTION
}

std::size_t encode_frame_header(std::span<std::byte, kMaxHeaderSize> out, Opcode opcode, bool fin,
                                std::uint64_t length, const std::optional<MaskKey>& mask) {
    // BEGIN SOLUTION encode_frame_header
    out[0] = static_cast<std::byte>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(opcode));
    const std::uint8_t mask_bit = mask ? 0x80 : 0x00;
    std::size_t at = 2;
    if (length < 126) {
        out[1] = static_cast<std::byte>(mask_bit | static_cast<std::uint8_t>(length));
    } else if (length <= 0xFFFF) {
        out[1] = static_cast<std::byte>(mask_bit | 126);
        const std::uint16_t be = htobe16(static_cast<std::uint16_t>(length));
        std::memcpy(out.data() + at, &be, 2);
        at += 2;
    } else {
        out[1] = static_cast<std::byte>(mask_bit | 127);
        const std::uint64_t be = htobe64(length);
        std::memcpy(out.data() + at, &be, 8);
        at += 8;
    }
    if (mask) {
        std::memcpy(out.data() + at, mask->data(), 4);
        at += 4;
    }
    return at;
    // END SOLUTION
}

void apply_mask(std::span<std::byte> bytes, const MaskKey& key, std::size_t offset) noexcept {
    // BEGIN SOLUTION apply_mask
    std::array<std::byte, 8> rotated{};
    for (std::size_t i = 0; i < rotated.size(); ++i) {
        rotated[i] = key[(offset + i) % 4];
    }
    std::uint64_t word_key = 0;
    std::memcpy(&word_key, rotated.data(), 8);
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {  // 8 bytes per step; memcpy keeps unaligned data legal
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, 8);
        word ^= word_key;
        std::memcpy(bytes.data() + i, &word, 8);
    }
    for (; i < bytes.size(); ++i) {
        bytes[i] ^= rotated[i % 8];
    }
    // END SOLUTION
}

void append_frame(std::vector<std::byte>& out, Opcode opcode, bool fin, std::span<const std::byte> payload,
                  const std::optional<MaskKey>& mask) {
    std::array<std::byte, kMaxHeaderSize> header{};
    const std::size_t header_size = encode_frame_header(header, opcode, fin, payload.size(), mask);
    const std::size_t start = out.size();
    out.insert(out.end(), header.begin(), header.begin() + static_cast<std::ptrdiff_t>(header_size));
    out.insert(out.end(), payload.begin(), payload.end());
    if (mask) {
        apply_mask(std::span(out).subspan(start + header_size), *mask);
    }
}

std::vector<std::byte> close_payload(std::uint16_t code, std::string_view reason) {
    std::vector<std::byte> payload;
    if (code == close_code::kNoStatus) {
        return payload;
    }
    payload.push_back(static_cast<std::byte>(code >> 8));
    payload.push_back(static_cast<std::byte>(code & 0xFF));
    std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
    while (keep > 0 && !is_valid_utf8(as_bytes(reason.substr(0, keep)))) {
        --keep;  // never cut a character in half: the reason must stay valid UTF-8
    }
    const auto kept = as_bytes(reason.substr(0, keep));
    payload.insert(payload.end(), kept.begin(), kept.end());
    return payload;
}

}  // namespace netlab::websocket
