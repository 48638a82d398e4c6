// This file shows:
//  - three small headers read with the same discipline as the protocol headers: length first;
//  - the one header whose byte order is not fixed: NULL's family is whatever the capturing
//    host wrote, so we read it little-endian and, if that gives a huge number, swap it
//    (the families are all below 65536, so the wrong order puts the value in the high half).

#include "03_encapsulation/layers/link_layer.hpp"

#include <algorithm>
#include <string>

#include "03_encapsulation/layers/byte_order.hpp"

namespace netlab::layers {
namespace {

// The failure for a packet shorter than its link type's header.
Parsed<LinkHeader> too_short(std::uint32_t link_type, std::size_t size, std::size_t header_size) {
    return failure<LinkHeader>(Problem::truncated, std::string(link_type_name(link_type)) + ": " +
                                                       std::to_string(size) + " bytes, shorter than the " +
                                                       std::to_string(header_size) + "-byte header");
}

// Copies the sender's link address (address_length bytes, at most the 8 kept) from packet[at].
void read_address(LinkHeader& header, std::span<const std::byte> packet, std::size_t at) {
    for (std::size_t i = 0; i < std::min<std::size_t>(header.address_length, header.address.size()); ++i) {
        header.address[i] = load_u8(packet, at + i);
    }
}

}  // namespace

const char* link_type_name(std::uint32_t link_type) noexcept {
    switch (link_type) {
        case kLinkTypeNull:
            return "NULL";
        case kLinkTypeEthernet:
            return "EN10MB";
        case kLinkTypeLoop:
            return "LOOP";
        case kLinkTypeLinuxSll:
            return "LINUX_SLL";
        case kLinkTypeLinuxSll2:
            return "LINUX_SLL2";
        default:
            return "unknown";
    }
}

Parsed<LinkHeader> parse_linux_sll(std::span<const std::byte> packet) {
    if (packet.size() < kLinuxSllHeaderSize) {
        return too_short(kLinkTypeLinuxSll, packet.size(), kLinuxSllHeaderSize);
    }
    Parsed<LinkHeader> result;
    LinkHeader& header = result.header;
    header.link_type = kLinkTypeLinuxSll;
    header.packet_type = load_u16(packet, 0);
    header.hardware_type = load_u16(packet, 2);
    header.address_length = static_cast<std::uint8_t>(std::min<std::uint16_t>(load_u16(packet, 4), 255));
    read_address(header, packet, 6);
    header.protocol = load_u16(packet, 14);
    result.payload = packet.subspan(kLinuxSllHeaderSize);
    return result;
}

Parsed<LinkHeader> parse_linux_sll2(std::span<const std::byte> packet) {
    // BEGIN SOLUTION parse_linux_sll2
    if (packet.size() < kLinuxSll2HeaderSize) {
        return too_short(kLinkTypeLinuxSll2, packet.size(), kLinuxSll2HeaderSize);
    }
    Parsed<LinkHeader> result;
    LinkHeader& header = result.header;
    header.link_type = kLinkTypeLinuxSll2;
    header.protocol = load_u16(packet, 0);
    header.interface_index = load_u32(packet, 4);
    header.hardware_type = load_u16(packet, 8);
    header.packet_type = load_u8(packet, 10);
    header.address_length = load_u8(packet, 11);
    read_address(header, packet, 12);
    result.payload = packet.subspan(kLinuxSll2HeaderSize);
    return result;
    // END SOLUTION
}

Parsed<LinkHeader> parse_link_layer(std::uint32_t link_type, std::span<const std::byte> packet) {
    // BEGIN SOLUTION parse_link_layer
    Parsed<LinkHeader> result;
    LinkHeader& header = result.header;
    header.link_type = link_type;
    switch (link_type) {
        case kLinkTypeEthernet: {
            const auto ethernet = parse_ethernet(packet);
            if (!ethernet) {
                return failure<LinkHeader>(ethernet.problem, ethernet.error);
            }
            header.ethernet = ethernet.header;
            header.protocol = ethernet.header.ether_type;
            result.payload = ethernet.payload;
            return result;
        }
        case kLinkTypeLinuxSll:
            return parse_linux_sll(packet);
        case kLinkTypeLinuxSll2:
            return parse_linux_sll2(packet);
        case kLinkTypeNull:
        case kLinkTypeLoop: {
            if (packet.size() < kNullHeaderSize) {
                return too_short(link_type, packet.size(), kNullHeaderSize);
            }
            std::uint32_t family =
                load_u32(packet, 0, link_type == kLinkTypeLoop ? ByteOrder::big : ByteOrder::little);
            if (link_type == kLinkTypeNull && family > 0xffff) {
                family = load_u32(packet, 0, ByteOrder::big);  // written by a big-endian host
            }
            header.family = family;
            if (family == 2) {
                header.protocol = kEtherTypeIpv4;
            } else if (family == 10 || family == 24 || family == 28 || family == 30) {
                header.protocol = kEtherTypeIpv6;  // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
            }
            result.payload = packet.subspan(kNullHeaderSize);
            return result;
        }
        default:
            return failure<LinkHeader>(Problem::unsupported,
                                       "link type " + std::to_string(link_type) +
                                           " is not EN10MB, LINUX_SLL, LINUX_SLL2, NULL or LOOP");
    }
    // END SOLUTION
}

}  // namespace netlab::layers
