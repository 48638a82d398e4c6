#pragma once
// This file shows:
//  - the TCP header (传输层 transport layer), RFC 9293: 20 bytes plus up to 40 of options;
//
//     0               2               4                               8
//     +---------------+---------------+-------------------------------+
//     | source port   | dest. port    | sequence number               |
//     +---------------+---------------+-------------------------------+
//     8                               12      13      14              16
//     +-------------------------------+---+---+-------+---------------+
//     | acknowledgment number         |off|rsv| flags | window        |
//     +-------------------------------+---+---+-------+---------------+
//    16               18              20
//     +---------------+---------------+-------------------------------+
//     | checksum      | urgent pointer| options (offset x 4 - 20) ... |
//     +---------------+---------------+-------------------------------+
//
//  - the data offset (in 4-byte words) is the header's length: options are skipped by it;
//  - a TCP segment has no length field: its length is what IPv4's total length leaves.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/layers/ipv4.hpp"
#include "03_encapsulation/layers/parse_result.hpp"

namespace netlab::layers {

/// Bytes in a TCP header without options (data offset 5).
inline constexpr std::size_t kTcpMinHeaderSize = 20;
/// Bytes in the largest TCP header (data offset 15).
inline constexpr std::size_t kTcpMaxHeaderSize = 60;

/// TCP flag bits, as in TcpHeader::flags (the 12 bits after the data offset).
inline constexpr std::uint16_t kTcpFin = 0x001;  ///< no more data from the sender
inline constexpr std::uint16_t kTcpSyn = 0x002;  ///< synchronise sequence numbers (opens)
inline constexpr std::uint16_t kTcpRst = 0x004;  ///< reset the connection
inline constexpr std::uint16_t kTcpPsh = 0x008;  ///< push the data to the application
inline constexpr std::uint16_t kTcpAck = 0x010;  ///< the acknowledgment number is valid
inline constexpr std::uint16_t kTcpUrg = 0x020;  ///< the urgent pointer is valid
inline constexpr std::uint16_t kTcpEce = 0x040;  ///< ECN echo
inline constexpr std::uint16_t kTcpCwr = 0x080;  ///< congestion window reduced
inline constexpr std::uint16_t kTcpAe = 0x100;   ///< accurate ECN (formerly NS); 0xe00 are reserved

/// The fields of a TCP header. build_tcp computes the ones it says.
struct TcpHeader {
    std::uint16_t source_port = 0;       ///< the sender's port
    std::uint16_t destination_port = 0;  ///< the receiver's port
    std::uint32_t sequence = 0;          ///< the number of the first data byte (or of the SYN/FIN)
    std::uint32_t acknowledgment = 0;    ///< the next byte expected from the peer (with kTcpAck)
    std::uint8_t header_length = 20;   ///< data offset x 4: 20 to 60 bytes (options skipped); build writes 20
    std::uint16_t flags = 0;           ///< kTcpFin | kTcpSyn ..., the reserved bits included (12 bits)
    std::uint16_t window = 0;          ///< receive window, before any window scaling
    std::uint16_t checksum = 0;        ///< as on the wire; build computes it
    std::uint16_t urgent_pointer = 0;  ///< offset of the end of urgent data (with kTcpUrg)
};

/// The names of the flags that are set, low bit first as tshark lists them: "SYN, ACK"; "" when none.
std::string describe_tcp_flags(std::uint16_t flags);

/// Parses a TCP segment (an IPv4 packet's whole payload): data offset at least 5 and the header
/// within segment; the payload is the rest. Does not judge the checksum: compare with tcp_checksum.
Parsed<TcpHeader> parse_tcp(std::span<const std::byte> segment);

/// The checksum segment should carry: RFC 1071 over the pseudo-header and the segment with its
/// checksum field taken as zero. Throws std::invalid_argument unless it is 20 to 65535 bytes.
std::uint16_t tcp_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                           std::span<const std::byte> segment);

/// A 20-byte header (no options) followed by payload, with the checksum computed for the two
/// addresses. Throws std::length_error when it would not fit in an IPv4 packet (65495 bytes of
/// payload), std::invalid_argument when flags has bits above the 12 of the field.
std::vector<std::byte> build_tcp(const TcpHeader& header, const Ipv4Address& source,
                                 const Ipv4Address& destination, std::span<const std::byte> payload);

}  // namespace netlab::layers
