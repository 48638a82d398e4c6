#pragma once
// This file shows:
//  - that a capture's first header depends on where it was taken: pcap names it with a link
//    type. On Linux, `tcpdump -i lo` gives Ethernet (EN10MB, with zero MACs); `-i any` gives
//    Linux "cooked" headers (LINUX_SLL2, or LINUX_SLL with -y), since "any" has no one link
//    layer; BSD and macOS loopback give NULL, a 4-byte address family;
//
//     LINUX_SLL  (16 bytes): packet type(2) | ARPHRD type(2) | addr len(2) | addr(8) | protocol(2)
//     LINUX_SLL2 (20 bytes): protocol(2) | reserved(2) | ifindex(4) | ARPHRD type(2) |
//                            packet type(1) | addr len(1) | addr(8)
//     NULL / LOOP (4 bytes): address family (NULL: the capturing host's byte order; LOOP: network)
//
//  - each one ends by naming the next protocol, which we map to an EtherType.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "03_encapsulation/layers/ethernet.hpp"
#include "03_encapsulation/layers/parse_result.hpp"

namespace netlab::layers {

/// pcap link type: BSD loopback, address family in the capturing host's byte order.
inline constexpr std::uint32_t kLinkTypeNull = 0;
/// pcap link type: Ethernet II (EN10MB), what tcpdump -i lo gives on Linux.
inline constexpr std::uint32_t kLinkTypeEthernet = 1;
/// pcap link type: OpenBSD loopback, address family in network byte order.
inline constexpr std::uint32_t kLinkTypeLoop = 108;
/// pcap link type: Linux cooked capture v1 (tcpdump -i any -y LINUX_SLL).
inline constexpr std::uint32_t kLinkTypeLinuxSll = 113;
/// pcap link type: Linux cooked capture v2 (tcpdump -i any, libpcap 1.10 and later).
inline constexpr std::uint32_t kLinkTypeLinuxSll2 = 276;

/// Bytes in a LINUX_SLL header.
inline constexpr std::size_t kLinuxSllHeaderSize = 16;
/// Bytes in a LINUX_SLL2 header.
inline constexpr std::size_t kLinuxSll2HeaderSize = 20;
/// Bytes in a NULL or LOOP header.
inline constexpr std::size_t kNullHeaderSize = 4;

/// The link-layer header of a captured packet, whichever of the supported types it was.
struct LinkHeader {
    std::uint32_t link_type = kLinkTypeEthernet;  ///< which header this was
    std::uint16_t protocol = 0;                   ///< the next layer as an EtherType (0x0800 = IPv4)
    std::optional<EthernetHeader> ethernet;       ///< EN10MB: the Ethernet header
    std::uint16_t packet_type =
        0;  ///< SLL/SLL2: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us
    std::uint16_t hardware_type = 0;    ///< SLL/SLL2: ARPHRD_* of the interface (1 Ethernet, 772 loopback)
    std::uint32_t interface_index = 0;  ///< SLL2: the interface's index (ip link shows it)
    std::uint8_t address_length = 0;    ///< SLL/SLL2: bytes of the sender's link address (at most 8 are kept)
    std::array<std::uint8_t, 8> address{};  ///< SLL/SLL2: the sender's link address
    std::uint32_t family = 0;               ///< NULL/LOOP: the address family (2 = AF_INET)
};

/// The link type's name as pcap spells it: "EN10MB", "LINUX_SLL", "LINUX_SLL2", "NULL", "LOOP".
const char* link_type_name(std::uint32_t link_type) noexcept;

/// Parses a LINUX_SLL header (16 bytes, drawn above); the payload is the rest. Shorter: truncated.
Parsed<LinkHeader> parse_linux_sll(std::span<const std::byte> packet);

/// Parses a LINUX_SLL2 header (20 bytes, drawn above); the payload is the rest. Shorter: truncated.
Parsed<LinkHeader> parse_linux_sll2(std::span<const std::byte> packet);

/// Parses the link-layer header of a captured packet of link_type; the payload is the rest.
/// protocol maps NULL/LOOP families to EtherTypes (AF_INET -> 0x0800; the AF_INET6 values of
/// Linux, the BSDs and macOS -> 0x86dd; anything else -> 0). Unknown link types are unsupported.
Parsed<LinkHeader> parse_link_layer(std::uint32_t link_type, std::span<const std::byte> packet);

}  // namespace netlab::layers
