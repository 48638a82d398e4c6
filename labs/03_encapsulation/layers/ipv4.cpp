// This file shows:
//  - the order of the checks, each before the bytes it guards are read: enough bytes for a
//    minimal header; version; IHL >= 5; IHL x 4 within the buffer; total length >= IHL x 4;
//    total length within the buffer;
//  - options skipped by IHL, never parsed blindly;
//  - the header checksum computed with the field as zero, in two pieces around it.

#include "03_encapsulation/layers/ipv4.hpp"

#include <algorithm>
#include <stdexcept>

#include "03_encapsulation/layers/byte_order.hpp"
#include "03_encapsulation/layers/checksum.hpp"

namespace netlab::layers {
namespace {

// Where each field starts.
constexpr std::size_t kVersionIhlAt = 0;
constexpr std::size_t kTosAt = 1;
constexpr std::size_t kTotalLengthAt = 2;
constexpr std::size_t kIdentificationAt = 4;
constexpr std::size_t kFlagsFragmentAt = 6;
constexpr std::size_t kTtlAt = 8;
constexpr std::size_t kProtocolAt = 9;
constexpr std::size_t kChecksumAt = 10;
constexpr std::size_t kSourceAt = 12;
constexpr std::size_t kDestinationAt = 16;

// Every field of a header whose lengths parse_ipv4 has checked, in host order: load_u8 and
// load_u16 at each field's offset, as parse_ethernet reads its fields.
Ipv4Header read_ipv4_fields(std::span<const std::byte> bytes) {
    Ipv4Header header;
    header.header_length = static_cast<std::uint8_t>((load_u8(bytes, kVersionIhlAt) & 0x0fu) * 4u);
    header.tos = load_u8(bytes, kTosAt);
    header.total_length = load_u16(bytes, kTotalLengthAt);
    header.identification = load_u16(bytes, kIdentificationAt);
    header.flags_fragment = load_u16(bytes, kFlagsFragmentAt);
    header.ttl = load_u8(bytes, kTtlAt);
    header.protocol = load_u8(bytes, kProtocolAt);
    header.checksum = load_u16(bytes, kChecksumAt);
    for (std::size_t i = 0; i < header.source.size(); ++i) {
        header.source[i] = load_u8(bytes, kSourceAt + i);
        header.destination[i] = load_u8(bytes, kDestinationAt + i);
    }
    return header;
}

}  // namespace

std::string to_string(const Ipv4Address& address) {
    return std::to_string(address[0]) + "." + std::to_string(address[1]) + "." + std::to_string(address[2]) +
           "." + std::to_string(address[3]);
}

const char* protocol_name(std::uint8_t protocol) noexcept {
    switch (protocol) {
        case kProtocolIcmp:
            return "ICMP";
        case kProtocolTcp:
            return "TCP";
        case kProtocolUdp:
            return "UDP";
        default:
            return "unknown";
    }
}

Parsed<Ipv4Header> parse_ipv4(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION parse_ipv4
    using std::to_string;
    if (bytes.size() < kIpv4MinHeaderSize) {
        return failure<Ipv4Header>(Problem::truncated, "IPv4: " + to_string(bytes.size()) +
                                                           " bytes, shorter than the 20-byte minimal header");
    }
    const std::uint8_t version_ihl = load_u8(bytes, kVersionIhlAt);
    const unsigned version = version_ihl >> 4;
    const std::size_t header_length = (version_ihl & 0x0fu) * 4u;
    if (version != 4) {
        return failure<Ipv4Header>(Problem::malformed,
                                   "IPv4: version field is " + to_string(version) + ", not 4");
    }
    if (header_length < kIpv4MinHeaderSize) {
        return failure<Ipv4Header>(Problem::malformed, "IPv4: IHL " + to_string(header_length / 4) +
                                                           " is below the minimum of 5 (20 bytes)");
    }
    if (header_length > bytes.size()) {
        return failure<Ipv4Header>(Problem::truncated, "IPv4: the header is " + to_string(header_length) +
                                                           " bytes (IHL " + to_string(header_length / 4) +
                                                           ") but only " + to_string(bytes.size()) +
                                                           " are there");
    }
    const std::uint16_t total_length = load_u16(bytes, kTotalLengthAt);
    if (total_length < header_length) {
        return failure<Ipv4Header>(Problem::malformed, "IPv4: total length " + to_string(total_length) +
                                                           " is shorter than its own " +
                                                           to_string(header_length) + "-byte header");
    }
    if (total_length > bytes.size()) {
        return failure<Ipv4Header>(Problem::truncated, "IPv4: total length " + to_string(total_length) +
                                                           " but only " + to_string(bytes.size()) +
                                                           " bytes are there");
    }
    Parsed<Ipv4Header> result;
    result.header = read_ipv4_fields(bytes);
    result.payload = bytes.subspan(header_length, total_length - header_length);
    return result;
    // END SOLUTION
}

std::uint16_t ipv4_header_checksum(std::span<const std::byte> header) {
    if (header.size() < kIpv4MinHeaderSize || header.size() > kIpv4MaxHeaderSize) {
        throw std::invalid_argument("ipv4_header_checksum: a header is 20 to 60 bytes, not " +
                                    std::to_string(header.size()));
    }
    // The sum of everything but the checksum field: the bytes before it, then the bytes after it.
    const std::uint16_t sum =
        ones_complement_sum(header.subspan(kChecksumAt + 2), ones_complement_sum(header.first(kChecksumAt)));
    return static_cast<std::uint16_t>(~sum);
}

std::vector<std::byte> build_ipv4(const Ipv4Header& header, std::span<const std::byte> payload) {
    // BEGIN SOLUTION build_ipv4
    if (payload.size() > kIpv4MaxPacketSize - kIpv4MinHeaderSize) {
        throw std::length_error("build_ipv4: a payload of " + std::to_string(payload.size()) +
                                " bytes does not fit in an IPv4 packet (at most 65515)");
    }
    std::vector<std::byte> packet(kIpv4MinHeaderSize + payload.size());
    store_u8(packet, kVersionIhlAt, 0x45);  // version 4, IHL 5: no options
    store_u8(packet, kTosAt, header.tos);
    store_u16(packet, kTotalLengthAt, static_cast<std::uint16_t>(packet.size()));
    store_u16(packet, kIdentificationAt, header.identification);
    store_u16(packet, kFlagsFragmentAt, header.flags_fragment);
    store_u8(packet, kTtlAt, header.ttl);
    store_u8(packet, kProtocolAt, header.protocol);
    for (std::size_t i = 0; i < header.source.size(); ++i) {
        store_u8(packet, kSourceAt + i, header.source[i]);
        store_u8(packet, kDestinationAt + i, header.destination[i]);
    }
    store_u16(packet, kChecksumAt, ipv4_header_checksum(std::span(packet).first(kIpv4MinHeaderSize)));
    std::ranges::copy(payload, packet.begin() + kIpv4MinHeaderSize);
    return packet;
    // END SOLUTION
}

std::uint16_t pseudo_header_sum(const Ipv4Address& source, const Ipv4Address& destination,
                                std::uint8_t protocol, std::uint16_t length) {
    // BEGIN SOLUTION pseudo_header_sum
    //  source (4) | destination (4) | zero (1) | protocol (1) | TCP/UDP length (2)
    std::array<std::byte, 12> pseudo{};
    for (std::size_t i = 0; i < source.size(); ++i) {
        store_u8(pseudo, i, source[i]);
        store_u8(pseudo, 4 + i, destination[i]);
    }
    store_u8(pseudo, 9, protocol);
    store_u16(pseudo, 10, length);
    return ones_complement_sum(pseudo);
    // END SOLUTION
}

}  // namespace netlab::layers
