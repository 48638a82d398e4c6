#pragma once
// This file shows:
//  - the Internet checksum (RFC 1071) that IPv4, UDP and TCP share: the one's-complement sum
//    of the bytes taken as 16-bit big-endian words, complemented;
//  - why a receiver can check it without knowing where the field is: a header that carries
//    its correct checksum sums to 0xffff ("minus zero"), so its checksum comes out as 0.

#include <cstddef>
#include <cstdint>
#include <span>

namespace netlab::layers {

/// The folded (not complemented) 16-bit one's-complement sum of bytes as big-endian words, an odd
/// last byte padded with a zero byte, added to sum. To sum several pieces, pass each result on as
/// sum; every piece but the last must then have an even length.
std::uint16_t ones_complement_sum(std::span<const std::byte> bytes, std::uint16_t sum = 0);

/// The Internet checksum of bytes (RFC 1071): the complement of ones_complement_sum(bytes).
std::uint16_t internet_checksum(std::span<const std::byte> bytes);

}  // namespace netlab::layers
