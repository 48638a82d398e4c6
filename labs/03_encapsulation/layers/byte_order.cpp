// This file shows:
//  - the one safe way to get an integer out of unaligned bytes: memcpy into a local, then
//    convert from the wire's order to the host's: ntohs/ntohl for network order (big-endian),
//    le16toh/le32toh for little-endian; htons/htonl on the way out;
//  - the bounds check written as "at > size || size - at < n", which cannot overflow
//    (at + n could wrap around for a huge at).

#include "03_encapsulation/layers/byte_order.hpp"

#include <arpa/inet.h>
#include <endian.h>

#include <cstring>
#include <stdexcept>
#include <string>

namespace netlab::layers {
namespace {

/// Throws std::out_of_range unless n bytes starting at at lie inside a buffer of size bytes.
void require(std::size_t size, std::size_t at, std::size_t n, const char* what) {
    if (at > size || size - at < n) {
        throw std::out_of_range(std::string(what) + ": " + std::to_string(n) + " byte(s) at offset " +
                                std::to_string(at) + " do not fit in a buffer of " + std::to_string(size) +
                                " (a missing length check in the caller)");
    }
}

}  // namespace

std::uint8_t load_u8(std::span<const std::byte> bytes, std::size_t at) {
    require(bytes.size(), at, 1, "load_u8");
    return std::to_integer<std::uint8_t>(bytes[at]);
}

std::uint16_t load_u16(std::span<const std::byte> bytes, std::size_t at, ByteOrder order) {
    require(bytes.size(), at, 2, "load_u16");
    std::uint16_t value = 0;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return order == ByteOrder::big ? ntohs(value) : le16toh(value);
}

std::uint32_t load_u32(std::span<const std::byte> bytes, std::size_t at, ByteOrder order) {
    // BEGIN SOLUTION load_u32
    require(bytes.size(), at, 4, "load_u32");
    std::uint32_t value = 0;
    std::memcpy(&value, bytes.data() + at, sizeof value);
    return order == ByteOrder::big ? ntohl(value) : le32toh(value);
    // END SOLUTION
}

void store_u8(std::span<std::byte> bytes, std::size_t at, std::uint8_t value) {
    require(bytes.size(), at, 1, "store_u8");
    bytes[at] = std::byte{value};
}

void store_u16(std::span<std::byte> bytes, std::size_t at, std::uint16_t value) {
    require(bytes.size(), at, 2, "store_u16");
    const std::uint16_t wire = htons(value);
    std::memcpy(bytes.data() + at, &wire, sizeof wire);
}

void store_u32(std::span<std::byte> bytes, std::size_t at, std::uint32_t value) {
    require(bytes.size(), at, 4, "store_u32");
    const std::uint32_t wire = htonl(value);
    std::memcpy(bytes.data() + at, &wire, sizeof wire);
}

}  // namespace netlab::layers
