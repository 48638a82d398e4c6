#pragma once
// This file shows:
//  - application framing (分帧): TCP delivers a byte stream with no message boundaries, so each
//    message travels as a 4-byte big-endian length followed by exactly that many bytes;
//  - a pure decoder: bytes in, one of three outcomes out (a frame and the bytes it used, "need
//    more", or an error); no sockets, no allocation, and the payload is a view, not a copy;
//  - the peer's length is checked against our maximum as soon as its 4 bytes are here, before
//    anything is allocated or waited for.
//
// One frame:
//
//    0                   4
//    +-------------------+------------------------------------+
//    | length: u32, big- |  payload: exactly `length` bytes    |
//    | endian (network)  |  (0 is a valid, empty payload)      |
//    +-------------------+------------------------------------+
//
// Frames follow each other back to back; a reader may get any piece of any number of them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/parse_status.hpp"

namespace netlab::core {

/// Bytes in the length prefix.
inline constexpr std::size_t kLengthPrefixSize = 4;
/// The largest payload the prefix can express.
inline constexpr std::size_t kLargestEncodableFrame = UINT32_MAX;
/// The largest payload a decoder accepts unless told otherwise: 1 MiB.
inline constexpr std::size_t kDefaultMaxFrame = 1024 * 1024;

/// What decode_frame (or FrameDecoder::pop) found at the start of the bytes.
struct FrameResult {
    /// complete: a whole frame; need_more: the start of one (or nothing); error: the prefix
    /// announces a payload above the maximum, so the stream is unusable.
    ParseStatus status = ParseStatus::need_more;
    std::span<const std::byte> payload;  ///< complete: the payload, a view into the decoded bytes
    std::size_t consumed = 0;            ///< complete: prefix + payload bytes to skip; otherwise 0
    std::size_t length = 0;              ///< the length the prefix announced, once its 4 bytes are here

    /// True when a whole frame was decoded.
    explicit operator bool() const noexcept { return status == ParseStatus::complete; }
};

/// Decodes the frame at the start of bytes. Pure: no allocation, no copy (the payload points into
/// bytes). error as soon as the prefix announces more than max_frame bytes, however few follow.
FrameResult decode_frame(std::span<const std::byte> bytes, std::size_t max_frame = kDefaultMaxFrame);

/// The length prefix of a payload_size-byte frame, e.g. to send with writev() beside the payload
/// without copying it. Throws std::length_error when payload_size > max_frame (the sender's bug).
std::array<std::byte, kLengthPrefixSize> encode_frame_prefix(std::size_t payload_size,
                                                             std::size_t max_frame = kDefaultMaxFrame);

/// Appends one frame (prefix, then payload) to out. Throws std::length_error like encode_frame_prefix.
void append_frame(std::vector<std::byte>& out, std::span<const std::byte> payload,
                  std::size_t max_frame = kDefaultMaxFrame);

/// One frame in a new buffer. Throws std::length_error like encode_frame_prefix.
std::vector<std::byte> encode_frame(std::span<const std::byte> payload,
                                    std::size_t max_frame = kDefaultMaxFrame);

}  // namespace netlab::core
