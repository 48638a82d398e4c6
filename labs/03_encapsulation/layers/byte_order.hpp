#pragma once
// This file shows:
//  - reading and writing integers in a packet with memcpy plus the byte-order functions
//    (ntohs/ntohl and htons/htonl; le16toh/le32toh for little-endian files such as pcap),
//    never with a pointer cast: packet bytes have no alignment, and *(uint16_t*)p is
//    undefined behaviour on them (and a bitfield's layout is up to the compiler);
//  - a bounds check in every accessor, so a parser that forgot its own length check throws
//    std::out_of_range instead of reading past the buffer.

#include <cstddef>
#include <cstdint>
#include <span>

namespace netlab::layers {

/// The order of a multi-byte integer's bytes: big-endian is network byte order.
enum class ByteOrder : std::uint8_t { big, little };

/// The byte at bytes[at]. Throws std::out_of_range when at is past the end.
std::uint8_t load_u8(std::span<const std::byte> bytes, std::size_t at);
/// The 16-bit integer at bytes[at], network order unless told. Throws std::out_of_range past the end.
std::uint16_t load_u16(std::span<const std::byte> bytes, std::size_t at, ByteOrder order = ByteOrder::big);
/// The 32-bit integer at bytes[at], network order unless told. Throws std::out_of_range past the end.
std::uint32_t load_u32(std::span<const std::byte> bytes, std::size_t at, ByteOrder order = ByteOrder::big);

/// Writes value at bytes[at]. Throws std::out_of_range when it does not fit.
void store_u8(std::span<std::byte> bytes, std::size_t at, std::uint8_t value);
/// Writes value at bytes[at] in network byte order. Throws std::out_of_range when it does not fit.
void store_u16(std::span<std::byte> bytes, std::size_t at, std::uint16_t value);
/// Writes value at bytes[at] in network byte order. Throws std::out_of_range when it does not fit.
void store_u32(std::span<std::byte> bytes, std::size_t at, std::uint32_t value);

}  // namespace netlab::layers
