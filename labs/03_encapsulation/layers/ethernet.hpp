#pragma once
// This file shows:
//  - the Ethernet II header (链路层 link layer): 14 bytes, no checksum we can see (the FCS is
//    stripped before a capture sees the frame) and no length field;
//
//     0                   6                  12      14
//     +-------------------+-------------------+-------+------------------------------+
//     | destination MAC   | source MAC        | type  | payload (IPv4 if 0x0800) ... |
//     +-------------------+-------------------+-------+------------------------------+
//
//  - the EtherType names the next layer: the demultiplexing key of layering.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/layers/parse_result.hpp"

namespace netlab::layers {

/// A 48-bit MAC address, in wire order.
using MacAddress = std::array<std::uint8_t, 6>;

/// Bytes in an Ethernet II header.
inline constexpr std::size_t kEthernetHeaderSize = 14;
/// EtherType of IPv4.
inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
/// EtherType of ARP.
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
/// EtherType of IPv6.
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;

/// The fields of an Ethernet II header.
struct EthernetHeader {
    MacAddress destination{};  ///< who the frame is for
    MacAddress source{};       ///< who sent it
    std::uint16_t ether_type =
        kEtherTypeIpv4;  ///< what the payload is (values below 0x0600 are 802.3 lengths)
};

/// "aa:bb:cc:dd:ee:ff", lower case.
std::string to_string(const MacAddress& address);

/// A short name for an EtherType: "IPv4", "ARP", "IPv6" or "unknown".
const char* ether_type_name(std::uint16_t ether_type) noexcept;

/// Parses the header at the start of frame; the payload is the rest of the frame (Ethernet
/// padding included: the next layer's length says where the data ends). Rejects only a frame
/// shorter than the header: what the EtherType means is the caller's business.
Parsed<EthernetHeader> parse_ethernet(std::span<const std::byte> frame);

/// The header's 14 bytes (network byte order) followed by payload.
std::vector<std::byte> build_ethernet(const EthernetHeader& header, std::span<const std::byte> payload);

}  // namespace netlab::layers
