// This file shows:
//  - a 4-bit field and a 12-bit field sharing two bytes, taken apart with shifts and masks on
//    the host-order value (never with a bitfield struct, whose layout is the compiler's);
//  - the data offset checked twice: at least 5 words, and no longer than the segment.

#include "03_encapsulation/layers/tcp.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "03_encapsulation/layers/byte_order.hpp"
#include "03_encapsulation/layers/checksum.hpp"

namespace netlab::layers {
namespace {

// Where each field starts.
constexpr std::size_t kSourcePortAt = 0;
constexpr std::size_t kDestinationPortAt = 2;
constexpr std::size_t kSequenceAt = 4;
constexpr std::size_t kAcknowledgmentAt = 8;
constexpr std::size_t kOffsetFlagsAt = 12;  // data offset (4 bits), then the 12 flag bits
constexpr std::size_t kWindowAt = 14;
constexpr std::size_t kChecksumAt = 16;
constexpr std::size_t kUrgentPointerAt = 18;

}  // namespace

std::string describe_tcp_flags(std::uint16_t flags) {
    static constexpr std::pair<std::uint16_t, const char*> kNames[] = {
        {kTcpFin, "FIN"}, {kTcpSyn, "SYN"}, {kTcpRst, "RST"}, {kTcpPsh, "PSH"}, {kTcpAck, "ACK"},
        {kTcpUrg, "URG"}, {kTcpEce, "ECE"}, {kTcpCwr, "CWR"}, {kTcpAe, "AE"}};
    std::string text;
    for (const auto& [bit, name] : kNames) {
        if ((flags & bit) != 0) {
            text += (text.empty() ? "" : ", ") + std::string(name);
        }
    }
    return text;
}

Parsed<TcpHeader> parse_tcp(std::span<const std::byte> segment) {
    // BEGIN SOLUTION parse_tcp
    using std::to_string;
    if (segment.size() < kTcpMinHeaderSize) {
        return failure<TcpHeader>(Problem::truncated, "TCP: " + to_string(segment.size()) +
                                                          " bytes, shorter than the 20-byte minimal header");
    }
    const std::uint16_t offset_flags = load_u16(segment, kOffsetFlagsAt);
    const std::size_t header_length = (offset_flags >> 12) * 4u;
    if (header_length < kTcpMinHeaderSize) {
        return failure<TcpHeader>(Problem::malformed, "TCP: data offset " + to_string(header_length / 4) +
                                                          " is below the minimum of 5 (20 bytes)");
    }
    if (header_length > segment.size()) {
        return failure<TcpHeader>(Problem::truncated, "TCP: data offset " + to_string(header_length / 4) +
                                                          " (" + to_string(header_length) +
                                                          " bytes) but the segment has only " +
                                                          to_string(segment.size()));
    }
    Parsed<TcpHeader> result;
    TcpHeader& header = result.header;
    header.source_port = load_u16(segment, kSourcePortAt);
    header.destination_port = load_u16(segment, kDestinationPortAt);
    header.sequence = load_u32(segment, kSequenceAt);
    header.acknowledgment = load_u32(segment, kAcknowledgmentAt);
    header.header_length = static_cast<std::uint8_t>(header_length);
    header.flags = static_cast<std::uint16_t>(offset_flags & 0x0fff);
    header.window = load_u16(segment, kWindowAt);
    header.checksum = load_u16(segment, kChecksumAt);
    header.urgent_pointer = load_u16(segment, kUrgentPointerAt);
    result.payload = segment.subspan(header_length);
    return result;
    // END SOLUTION
}

std::uint16_t tcp_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                           std::span<const std::byte> segment) {
    if (segment.size() < kTcpMinHeaderSize || segment.size() > 65535) {
        throw std::invalid_argument("tcp_checksum: a TCP segment is 20 to 65535 bytes, not " +
                                    std::to_string(segment.size()));
    }
    std::uint16_t sum =
        pseudo_header_sum(source, destination, kProtocolTcp, static_cast<std::uint16_t>(segment.size()));
    sum = ones_complement_sum(segment.first(kChecksumAt), sum);
    sum = ones_complement_sum(segment.subspan(kChecksumAt + 2), sum);
    return static_cast<std::uint16_t>(~sum);
}

std::vector<std::byte> build_tcp(const TcpHeader& header, const Ipv4Address& source,
                                 const Ipv4Address& destination, std::span<const std::byte> payload) {
    constexpr std::size_t kMaxPayload = kIpv4MaxPacketSize - kIpv4MinHeaderSize - kTcpMinHeaderSize;
    if (payload.size() > kMaxPayload) {
        throw std::length_error("build_tcp: a payload of " + std::to_string(payload.size()) +
                                " bytes does not fit in a TCP segment over IPv4 (at most 65495)");
    }
    if (header.flags > 0x0fff) {
        throw std::invalid_argument("build_tcp: flags " + std::to_string(header.flags) +
                                    " do not fit in 12 bits");
    }
    std::vector<std::byte> segment(kTcpMinHeaderSize + payload.size());
    store_u16(segment, kSourcePortAt, header.source_port);
    store_u16(segment, kDestinationPortAt, header.destination_port);
    store_u32(segment, kSequenceAt, header.sequence);
    store_u32(segment, kAcknowledgmentAt, header.acknowledgment);
    store_u16(segment, kOffsetFlagsAt,
              static_cast<std::uint16_t>((5u << 12) | header.flags));  // offset 5: no options
    store_u16(segment, kWindowAt, header.window);
    store_u16(segment, kUrgentPointerAt, header.urgent_pointer);
    std::ranges::copy(payload, segment.begin() + kTcpMinHeaderSize);
    store_u16(segment, kChecksumAt, tcp_checksum(source, destination, segment));
    return segment;
}

}  // namespace netlab::layers
