#pragma once
// This file shows:
//  - the UDP header (传输层 transport layer), RFC 768: four 16-bit fields, nothing more;
//
//     0               2               4               6               8
//     +---------------+---------------+---------------+---------------+------------------+
//     | source port   | dest. port    | length        | checksum      | payload ...      |
//     +---------------+---------------+---------------+---------------+------------------+
//
//  - the checksum covers a pseudo-header (the IPv4 addresses, protocol, length) as well as the
//    datagram; over IPv4 a checksum of 0 means "none sent", so a computed 0 is sent as 0xffff.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "03_encapsulation/layers/ipv4.hpp"
#include "03_encapsulation/layers/parse_result.hpp"

namespace netlab::layers {

/// Bytes in a UDP header.
inline constexpr std::size_t kUdpHeaderSize = 8;

/// The fields of a UDP header. build_udp computes the ones it says.
struct UdpHeader {
    std::uint16_t source_port = 0;       ///< the sender's port
    std::uint16_t destination_port = 0;  ///< the receiver's port
    std::uint16_t length = 0;            ///< header and payload, in bytes; build computes it
    std::uint16_t checksum = 0;          ///< as on the wire, 0 = none sent; build computes it
};

/// Parses a whole UDP datagram (an IPv4 packet's payload): the length field must be at least 8
/// and equal to the bytes given. Does not judge the checksum: compare with udp_checksum.
Parsed<UdpHeader> parse_udp(std::span<const std::byte> datagram);

/// The checksum datagram should carry: RFC 1071 over the pseudo-header and the datagram with its
/// checksum field taken as zero; a result of 0 comes back as 0xffff. Throws std::invalid_argument
/// unless the datagram is 8 to 65535 bytes.
std::uint16_t udp_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                           std::span<const std::byte> datagram);

/// The 8-byte header followed by payload, with length and checksum computed for the two
/// addresses. Throws std::length_error when it would not fit in an IPv4 packet (65507 bytes).
std::vector<std::byte> build_udp(const UdpHeader& header, const Ipv4Address& source,
                                 const Ipv4Address& destination, std::span<const std::byte> payload);

}  // namespace netlab::layers
