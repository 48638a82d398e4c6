// This file shows:
//  - encapsulate as three calls, innermost first: each layer's builder wraps the bytes of the
//    layer above. (Each wrap copies the payload once more; a kernel instead reserves headroom
//    for every header and writes them in front of the data, copying it once. Clarity wins here.)
//  - decapsulate as the same ladder climbed up: parse a header, let its "next protocol" field
//    choose the next parser, hand it exactly the bytes the header says it carries;
//  - judging a checksum in the right order: UDP's "0 = none", then correct, then offloaded.

#include "03_encapsulation/layers/encapsulate.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include "03_encapsulation/layers/checksum.hpp"

namespace netlab::layers {

namespace {

std::string hex(std::uint16_t value) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%04x", value);
    return text;
}

// The result so far with its first problem: how each step of decapsulate_ipv4 that stops ends.
Decapsulated stopped(Decapsulated& result, Problem problem, std::string error) {
    result.problem = problem;
    result.error = std::move(error);
    return std::move(result);  // every call is a return: result is not used again
}

// Step 6 of decapsulate_ipv4, once every header parsed: the first checksum problem becomes the
// result's problem, naming its layer: IPv4's, then a bad transport one, then an offloaded one
// (unless options accept it). Reporting it only now keeps every layer in the result.
void report_checksum_problem(Decapsulated& result, DecapsulateOptions options) {
    const std::string transport = result.udp ? "UDP" : "TCP";
    const ChecksumCheck& ip = result.ipv4_checksum;
    const ChecksumCheck& check = result.transport_checksum;
    if (ip.status == ChecksumStatus::bad) {
        result.error =
            "IPv4: header checksum " + hex(ip.got) + " is wrong (expected " + hex(ip.expected) + ")";
    } else if (check.status == ChecksumStatus::bad) {
        result.error =
            transport + ": checksum " + hex(check.got) + " is wrong (expected " + hex(check.expected) + ")";
    } else if (check.status == ChecksumStatus::offloaded && !options.accept_offloaded) {
        result.error = transport + ": checksum " + hex(check.got) +
                       " is the unfinished one of checksum offload (expected " + hex(check.expected) + ")";
    } else {
        return;
    }
    result.problem = Problem::bad_checksum;
}

}  // namespace

const char* to_string(ChecksumStatus status) noexcept {
    switch (status) {
        case ChecksumStatus::not_checked:
            return "not checked";
        case ChecksumStatus::good:
            return "good";
        case ChecksumStatus::bad:
            return "BAD";
        case ChecksumStatus::absent:
            return "absent";
        case ChecksumStatus::offloaded:
            return "unverified (offloaded)";
    }
    return "unknown";
}

ChecksumCheck judge_checksum(std::uint16_t got, std::uint16_t expected) {
    // 0x0000 and 0xffff are both one's-complement zero: a field of either passes a receiver's check.
    const bool good = got == expected || (expected == 0 && got == 0xffff);
    return {good ? ChecksumStatus::good : ChecksumStatus::bad, got, expected};
}

ChecksumCheck judge_transport_checksum(std::uint16_t got, std::uint16_t expected, std::uint16_t unfinished,
                                       bool zero_means_none) {
    // BEGIN SOLUTION judge_transport_checksum
    ChecksumCheck check = judge_checksum(got, expected);
    if (zero_means_none && got == 0) {
        check.status = ChecksumStatus::absent;
    } else if (check.status == ChecksumStatus::bad && got == unfinished) {
        check.status = ChecksumStatus::offloaded;
    }
    return check;
    // END SOLUTION
}

std::vector<std::byte> encapsulate(std::span<const std::byte> payload, const EthernetHeader& ethernet,
                                   const Ipv4Header& ipv4, const TransportHeader& transport) {
    // BEGIN SOLUTION encapsulate
    Ipv4Header ip = ipv4;
    std::vector<std::byte> segment;
    if (const auto* udp = std::get_if<UdpHeader>(&transport)) {
        ip.protocol = kProtocolUdp;
        segment = build_udp(*udp, ip.source, ip.destination, payload);
    } else {
        ip.protocol = kProtocolTcp;
        segment = build_tcp(std::get<TcpHeader>(transport), ip.source, ip.destination, payload);
    }
    EthernetHeader link = ethernet;
    link.ether_type = kEtherTypeIpv4;
    return build_ethernet(link, build_ipv4(ip, segment));
    // END SOLUTION
}

Decapsulated decapsulate(std::span<const std::byte> frame, DecapsulateOptions options) {
    Decapsulated result;
    const auto ethernet = parse_ethernet(frame);
    if (!ethernet) {
        result.problem = ethernet.problem;
        result.error = ethernet.error;
        return result;
    }
    if (ethernet.header.ether_type != kEtherTypeIpv4) {
        result.ethernet = ethernet.header;
        result.problem = Problem::unsupported;
        result.error = "Ethernet: EtherType " + hex(ethernet.header.ether_type) + " (" +
                       ether_type_name(ethernet.header.ether_type) + ") is not IPv4 (0x0800)";
        return result;
    }
    result = decapsulate_ipv4(ethernet.payload, options);
    result.ethernet = ethernet.header;
    return result;
}

Decapsulated decapsulate_ipv4(std::span<const std::byte> packet, DecapsulateOptions options) {
    // BEGIN SOLUTION decapsulate_ipv4
    using std::to_string;
    Decapsulated result;
    const auto ip = parse_ipv4(packet);
    if (!ip) {
        return stopped(result, ip.problem, ip.error);
    }
    result.ipv4 = ip.header;
    result.ipv4_checksum =
        judge_checksum(ip.header.checksum, ipv4_header_checksum(packet.first(ip.header.header_length)));
    const unsigned fragment_offset = ip.header.flags_fragment & kIpv4FragmentOffsetMask;
    if ((ip.header.flags_fragment & kIpv4MoreFragments) != 0 || fragment_offset != 0) {
        return stopped(result, Problem::unsupported,
                       "IPv4: a fragment (offset " + to_string(fragment_offset * 8) +
                           " bytes); fragments are not reassembled here");
    }
    const std::uint16_t unfinished =
        pseudo_header_sum(ip.header.source, ip.header.destination, ip.header.protocol,
                          static_cast<std::uint16_t>(ip.payload.size()));
    std::span<const std::byte> payload;
    if (ip.header.protocol == kProtocolUdp) {
        const auto udp = parse_udp(ip.payload);
        if (!udp) {
            return stopped(result, udp.problem, udp.error);
        }
        result.udp = udp.header;
        const std::uint16_t expected = udp_checksum(ip.header.source, ip.header.destination, ip.payload);
        result.transport_checksum = judge_transport_checksum(udp.header.checksum, expected, unfinished, true);
        payload = udp.payload;
    } else if (ip.header.protocol == kProtocolTcp) {
        const auto tcp = parse_tcp(ip.payload);
        if (!tcp) {
            return stopped(result, tcp.problem, tcp.error);
        }
        result.tcp = tcp.header;
        const std::uint16_t expected = tcp_checksum(ip.header.source, ip.header.destination, ip.payload);
        result.transport_checksum =
            judge_transport_checksum(tcp.header.checksum, expected, unfinished, false);
        payload = tcp.payload;
    } else {
        return stopped(result, Problem::unsupported,
                       "IPv4: protocol " + to_string(ip.header.protocol) + " (" +
                           protocol_name(ip.header.protocol) + ") is neither TCP (6) nor UDP (17)");
    }
    result.payload.assign(payload.begin(), payload.end());
    report_checksum_problem(result, options);
    return result;
    // END SOLUTION
}

}  // namespace netlab::layers
