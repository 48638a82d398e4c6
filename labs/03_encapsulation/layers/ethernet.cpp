// This file shows:
//  - a header parser in three steps: check the length, then read each field at its offset
//    (memcpy + ntohs, through byte_order.hpp), then hand the rest on as the payload;
//  - the builder as the parser's mirror: the same offsets, written in the same order.

#include "03_encapsulation/layers/ethernet.hpp"

#include <algorithm>
#include <cstdio>

#include "03_encapsulation/layers/byte_order.hpp"

namespace netlab::layers {
namespace {

// Where each field starts.
constexpr std::size_t kDestinationAt = 0;
constexpr std::size_t kSourceAt = 6;
constexpr std::size_t kEtherTypeAt = 12;

}  // namespace

std::string to_string(const MacAddress& address) {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", address[0], address[1], address[2],
                  address[3], address[4], address[5]);
    return text;
}

const char* ether_type_name(std::uint16_t ether_type) noexcept {
    switch (ether_type) {
        case kEtherTypeIpv4:
            return "IPv4";
        case kEtherTypeArp:
            return "ARP";
        case kEtherTypeIpv6:
            return "IPv6";
        default:
            return "unknown";
    }
}

Parsed<EthernetHeader> parse_ethernet(std::span<const std::byte> frame) {
    // BEGIN SOLUTION parse_ethernet
    if (frame.size() < kEthernetHeaderSize) {
        return failure<EthernetHeader>(Problem::truncated, "Ethernet: " + std::to_string(frame.size()) +
                                                               " bytes, shorter than the 14-byte header");
    }
    Parsed<EthernetHeader> result;
    for (std::size_t i = 0; i < result.header.destination.size(); ++i) {
        result.header.destination[i] = load_u8(frame, kDestinationAt + i);
        result.header.source[i] = load_u8(frame, kSourceAt + i);
    }
    result.header.ether_type = load_u16(frame, kEtherTypeAt);
    result.payload = frame.subspan(kEthernetHeaderSize);
    return result;
    // END SOLUTION
}

std::vector<std::byte> build_ethernet(const EthernetHeader& header, std::span<const std::byte> payload) {
    std::vector<std::byte> frame(kEthernetHeaderSize + payload.size());
    for (std::size_t i = 0; i < header.destination.size(); ++i) {
        store_u8(frame, kDestinationAt + i, header.destination[i]);
        store_u8(frame, kSourceAt + i, header.source[i]);
    }
    store_u16(frame, kEtherTypeAt, header.ether_type);
    std::ranges::copy(payload, frame.begin() + kEthernetHeaderSize);
    return frame;
}

}  // namespace netlab::layers
