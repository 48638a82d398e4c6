// This file shows:
//  - reading a big-endian integer from bytes with memcpy + ntohl: the bytes may sit at any
//    address, and a cast like *(uint32_t*)p is undefined behaviour on unaligned data;
//  - the order of checks that keeps a decoder safe: enough bytes for the prefix? length within
//    the maximum? enough bytes for the payload? Only then is anything handed out;
//  - zero-copy decoding: the frame is a span into the caller's bytes (no per-byte work).

#include "03_encapsulation/framing/frame_codec.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace netlab::core {

FrameResult decode_frame(std::span<const std::byte> bytes, std::size_t max_frame) {
    // BEGIN SOLUTION decode_frame
    FrameResult result;
    if (bytes.size() < kLengthPrefixSize) {
        return result;  // need_more: not even the prefix yet
    }
    std::uint32_t prefix = 0;
    std::memcpy(&prefix, bytes.data(), sizeof prefix);
    result.length = ntohl(prefix);
    if (result.length > max_frame) {
        result.status = ParseStatus::error;
        return result;
    }
    if (bytes.size() - kLengthPrefixSize < result.length) {
        return result;  // need_more: the payload is still on its way
    }
    result.status = ParseStatus::complete;
    result.payload = bytes.subspan(kLengthPrefixSize, result.length);
    result.consumed = kLengthPrefixSize + result.length;
    return result;
    // END SOLUTION
}

std::array<std::byte, kLengthPrefixSize> encode_frame_prefix(std::size_t payload_size,
                                                             std::size_t max_frame) {
    // BEGIN SOLUTION encode_frame_prefix
    if (payload_size > std::min(max_frame, kLargestEncodableFrame)) {
        throw std::length_error("encode_frame: a payload of " + std::to_string(payload_size) +
                                " bytes is over the maximum frame of " +
                                std::to_string(std::min(max_frame, kLargestEncodableFrame)) + " bytes");
    }
    const std::uint32_t prefix = htonl(static_cast<std::uint32_t>(payload_size));
    std::array<std::byte, kLengthPrefixSize> bytes{};
    std::memcpy(bytes.data(), &prefix, sizeof prefix);
    return bytes;
    // END SOLUTION
}

void append_frame(std::vector<std::byte>& out, std::span<const std::byte> payload, std::size_t max_frame) {
    // BEGIN SOLUTION append_frame
    const auto prefix = encode_frame_prefix(payload.size(), max_frame);
    // No out.reserve(out.size() + n): an exact reserve reallocates on every call, which makes many
    // small appends quadratic. insert() grows the capacity geometrically.
    out.insert(out.end(), prefix.begin(), prefix.end());
    out.insert(out.end(), payload.begin(), payload.end());
    // END SOLUTION
}

std::vector<std::byte> encode_frame(std::span<const std::byte> payload, std::size_t max_frame) {
    std::vector<std::byte> frame;
    append_frame(frame, payload, max_frame);
    return frame;
}

}  // namespace netlab::core
