#pragma once
// This file shows:
//  - the IPv4 header (网络层 network layer), RFC 791: 20 bytes plus up to 40 of options;
//
//     0       1       2               4               6               8       9      10
//     +---+---+-------+---------------+---------------+---------------+-------+-------+
//     |ver|IHL|  TOS  | total length  | identification|flags+frag off.|  TTL  | proto |
//     +---+---+-------+---------------+---------------+---------------+-------+-------+
//    10               12                              16                              20
//     +---------------+-------------------------------+-------------------------------+
//     |  checksum     |  source address               |  destination address          |
//     +---------------+-------------------------------+-------------------------------+
//     (options: IHL x 4 - 20 bytes, then the payload up to total length)
//
//  - two lengths to check against the buffer: the header's (IHL, in 4-byte words) and the
//    packet's (total length, in bytes); bytes past total length are link-layer padding;
//  - the pseudo-header: the UDP and TCP checksums also cover the IPv4 addresses.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/layers/parse_result.hpp"

namespace netlab::layers {

/// An IPv4 address, in wire order: {127, 0, 0, 1}.
using Ipv4Address = std::array<std::uint8_t, 4>;

/// Bytes in an IPv4 header without options (IHL 5).
inline constexpr std::size_t kIpv4MinHeaderSize = 20;
/// Bytes in the largest IPv4 header (IHL 15).
inline constexpr std::size_t kIpv4MaxHeaderSize = 60;
/// The largest IPv4 packet: total length is a 16-bit field.
inline constexpr std::size_t kIpv4MaxPacketSize = 65535;
/// IP protocol number of ICMP.
inline constexpr std::uint8_t kProtocolIcmp = 1;
/// IP protocol number of TCP.
inline constexpr std::uint8_t kProtocolTcp = 6;
/// IP protocol number of UDP.
inline constexpr std::uint8_t kProtocolUdp = 17;
/// Flag bit "don't fragment" in Ipv4Header::flags_fragment.
inline constexpr std::uint16_t kIpv4DontFragment = 0x4000;
/// Flag bit "more fragments" in Ipv4Header::flags_fragment.
inline constexpr std::uint16_t kIpv4MoreFragments = 0x2000;
/// The fragment offset's bits (in 8-byte units) in Ipv4Header::flags_fragment.
inline constexpr std::uint16_t kIpv4FragmentOffsetMask = 0x1fff;

/// The fields of an IPv4 header (version 4 is implied). build_ipv4 computes the ones it says.
struct Ipv4Header {
    std::uint8_t header_length = 20;   ///< IHL x 4: 20 to 60 bytes (options skipped); build writes 20
    std::uint8_t tos = 0;              ///< type of service: DSCP (6 bits) and ECN (2 bits)
    std::uint16_t total_length = 0;    ///< header and payload, in bytes; build computes it
    std::uint16_t identification = 0;  ///< groups the fragments of one datagram
    std::uint16_t flags_fragment = kIpv4DontFragment;  ///< flags (3 high bits) and fragment offset
    std::uint8_t ttl = 64;                             ///< hops left
    std::uint8_t protocol = 0;                         ///< what the payload is: kProtocolTcp, kProtocolUdp...
    std::uint16_t checksum = 0;  ///< the header checksum as on the wire; build computes it
    Ipv4Address source{};        ///< sender
    Ipv4Address destination{};   ///< receiver
};

/// "127.0.0.1".
std::string to_string(const Ipv4Address& address);

/// A short name for an IP protocol number: "TCP", "UDP", "ICMP" or "unknown".
const char* protocol_name(std::uint8_t protocol) noexcept;

/// Parses the IPv4 packet at the start of bytes: version 4, IHL at least 5, the header and the
/// total length within bytes (bytes after total length, e.g. Ethernet padding, are not payload).
/// Does not judge the checksum: compare header.checksum with ipv4_header_checksum.
Parsed<Ipv4Header> parse_ipv4(std::span<const std::byte> bytes);

/// The checksum that header (its IHL x 4 bytes, options included) should carry: RFC 1071 over the
/// header with its checksum field taken as zero. Throws std::invalid_argument unless it is 20-60 bytes.
std::uint16_t ipv4_header_checksum(std::span<const std::byte> header);

/// A 20-byte header (no options) followed by payload, with total length and checksum computed.
/// Throws std::length_error when the packet would be over 65535 bytes.
std::vector<std::byte> build_ipv4(const Ipv4Header& header, std::span<const std::byte> payload);

/// The one's-complement sum of the pseudo-header that the UDP and TCP checksums cover (RFC 768,
/// RFC 793): source, destination, a zero byte, protocol and the transport length (header + data).
std::uint16_t pseudo_header_sum(const Ipv4Address& source, const Ipv4Address& destination,
                                std::uint8_t protocol, std::uint16_t length);

}  // namespace netlab::layers
