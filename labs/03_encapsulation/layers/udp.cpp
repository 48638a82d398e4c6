// This file shows:
//  - a length field checked both ways: not below the header, not above (or below) the bytes
//    that the layer underneath says the datagram has;
//  - the pseudo-header sum chained into the datagram's sum, the checksum field skipped.

#include "03_encapsulation/layers/udp.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "03_encapsulation/layers/byte_order.hpp"
#include "03_encapsulation/layers/checksum.hpp"

namespace netlab::layers {
namespace {

// Where each field starts.
constexpr std::size_t kSourcePortAt = 0;
constexpr std::size_t kDestinationPortAt = 2;
constexpr std::size_t kLengthAt = 4;
constexpr std::size_t kChecksumAt = 6;

}  // namespace

Parsed<UdpHeader> parse_udp(std::span<const std::byte> datagram) {
    // BEGIN SOLUTION parse_udp
    using std::to_string;
    if (datagram.size() < kUdpHeaderSize) {
        return failure<UdpHeader>(Problem::truncated, "UDP: " + to_string(datagram.size()) +
                                                          " bytes, shorter than the 8-byte header");
    }
    const std::uint16_t length = load_u16(datagram, kLengthAt);
    if (length < kUdpHeaderSize) {
        return failure<UdpHeader>(Problem::malformed, "UDP: length field " + to_string(length) +
                                                          " is shorter than the 8-byte header");
    }
    if (length > datagram.size()) {
        return failure<UdpHeader>(Problem::truncated, "UDP: length field " + to_string(length) +
                                                          " but only " + to_string(datagram.size()) +
                                                          " bytes are there");
    }
    if (length < datagram.size()) {
        return failure<UdpHeader>(Problem::malformed,
                                  "UDP: length field " + to_string(length) + " disagrees with the " +
                                      to_string(datagram.size()) + " bytes the IP layer carries");
    }
    Parsed<UdpHeader> result;
    result.header.source_port = load_u16(datagram, kSourcePortAt);
    result.header.destination_port = load_u16(datagram, kDestinationPortAt);
    result.header.length = length;
    result.header.checksum = load_u16(datagram, kChecksumAt);
    result.payload = datagram.subspan(kUdpHeaderSize);
    return result;
    // END SOLUTION
}

std::uint16_t udp_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                           std::span<const std::byte> datagram) {
    // BEGIN SOLUTION udp_checksum
    if (datagram.size() < kUdpHeaderSize || datagram.size() > 65535) {
        throw std::invalid_argument("udp_checksum: a UDP datagram is 8 to 65535 bytes, not " +
                                    std::to_string(datagram.size()));
    }
    std::uint16_t sum =
        pseudo_header_sum(source, destination, kProtocolUdp, static_cast<std::uint16_t>(datagram.size()));
    sum = ones_complement_sum(datagram.first(kChecksumAt), sum);
    sum = ones_complement_sum(datagram.subspan(kChecksumAt + 2), sum);
    const auto checksum = static_cast<std::uint16_t>(~sum);
    return checksum == 0 ? 0xffff : checksum;  // 0 on the wire would mean "no checksum"
    // END SOLUTION
}

std::vector<std::byte> build_udp(const UdpHeader& header, const Ipv4Address& source,
                                 const Ipv4Address& destination, std::span<const std::byte> payload) {
    // BEGIN SOLUTION build_udp
    constexpr std::size_t kMaxPayload = kIpv4MaxPacketSize - kIpv4MinHeaderSize - kUdpHeaderSize;
    if (payload.size() > kMaxPayload) {
        throw std::length_error("build_udp: a payload of " + std::to_string(payload.size()) +
                                " bytes does not fit in a UDP datagram over IPv4 (at most 65507)");
    }
    std::vector<std::byte> datagram(kUdpHeaderSize + payload.size());
    store_u16(datagram, kSourcePortAt, header.source_port);
    store_u16(datagram, kDestinationPortAt, header.destination_port);
    store_u16(datagram, kLengthAt, static_cast<std::uint16_t>(datagram.size()));
    std::ranges::copy(payload, datagram.begin() + kUdpHeaderSize);
    store_u16(datagram, kChecksumAt, udp_checksum(source, destination, datagram));
    return datagram;
    // END SOLUTION
}

}  // namespace netlab::layers
