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
    // BEGIN SOLUTION decapsulate
    Decapsulated result;
    const auto ethernet = parse_ethernet(frame);
    if (!ethernet) {
        result.problem = ethernet.problem;
        result.error = ethernet.error;
        return result;
    }
    if (ethernet.header.ether_type != kEtherTypeIpv4) {
        char text[8];
        std::snprintf(text, sizeof text, "0x%04x", ethernet.header.ether_type);
        result.ethernet = ethernet.header;
        result.problem = Problem::unsupported;
        result.error = std::string("Ethernet: EtherType ") + text + " (" +
                       ether_type_name(ethernet.header.ether_type) + ") is not IPv4 (0x0800)";
        return result;
    }
    result = decapsulate_ipv4(ethernet.payload, options);
    result.ethernet = ethernet.header;
    return result;
    // END SOLUTION
}

Decapsulated decapsulate_ipv4(std::span<const std::byte> packet, DecapsulateOptions options) {
    // BEGIN SOLUTION decapsulate_ipv4
    using std::to_string;
    Decapsulated result;
    auto fail = [&result](Problem problem, std::string error) {
        result.problem = problem;
        result.error = std::move(error);
        return std::move(result);  // every call is a return: result is not used again
    };
    auto hex = [](std::uint16_t value) {
        char text[8];
        std::snprintf(text, sizeof text, "0x%04x", value);
        return std::string(text);
    };

    const auto ip = parse_ipv4(packet);
    if (!ip) {
        return fail(ip.problem, ip.error);
    }
    result.ipv4 = ip.header;
    // 0x0000 and 0xffff are both one's-complement zero: a field of either passes a receiver's check.
    auto matches = [](std::uint16_t got, std::uint16_t expected) {
        return got == expected || (expected == 0 && got == 0xffff);
    };
    const std::uint16_t ip_expected = ipv4_header_checksum(packet.first(ip.header.header_length));
    result.ipv4_checksum = {
        matches(ip.header.checksum, ip_expected) ? ChecksumStatus::good : ChecksumStatus::bad,
        ip.header.checksum, ip_expected};
    const unsigned fragment_offset = ip.header.flags_fragment & kIpv4FragmentOffsetMask;
    if ((ip.header.flags_fragment & kIpv4MoreFragments) != 0 || fragment_offset != 0) {
        return fail(Problem::unsupported, "IPv4: a fragment (offset " + to_string(fragment_offset * 8) +
                                              " bytes); fragments are not reassembled here");
    }

    // The transport checksum's verdict. A sending host that offloads checksums writes only the
    // pseudo-header sum into the field (Linux: CHECKSUM_PARTIAL) and lets the NIC finish it;
    // loopback has no NIC to finish it, and captures see the field unfinished.
    const std::uint16_t partial =
        pseudo_header_sum(ip.header.source, ip.header.destination, ip.header.protocol,
                          static_cast<std::uint16_t>(ip.payload.size()));
    auto judge = [&](std::uint16_t got, std::uint16_t expected, bool zero_means_none) {
        ChecksumCheck check{ChecksumStatus::bad, got, expected};
        if (zero_means_none && got == 0) {
            check.status = ChecksumStatus::absent;
        } else if (matches(got, expected)) {
            check.status = ChecksumStatus::good;
        } else if (got == partial) {
            check.status = ChecksumStatus::offloaded;
        }
        return check;
    };

    std::span<const std::byte> payload;
    if (ip.header.protocol == kProtocolUdp) {
        const auto udp = parse_udp(ip.payload);
        if (!udp) {
            return fail(udp.problem, udp.error);
        }
        result.udp = udp.header;
        result.transport_checksum = judge(
            udp.header.checksum, udp_checksum(ip.header.source, ip.header.destination, ip.payload), true);
        payload = udp.payload;
    } else if (ip.header.protocol == kProtocolTcp) {
        const auto tcp = parse_tcp(ip.payload);
        if (!tcp) {
            return fail(tcp.problem, tcp.error);
        }
        result.tcp = tcp.header;
        result.transport_checksum = judge(
            tcp.header.checksum, tcp_checksum(ip.header.source, ip.header.destination, ip.payload), false);
        payload = tcp.payload;
    } else {
        return fail(Problem::unsupported, "IPv4: protocol " + to_string(ip.header.protocol) + " (" +
                                              protocol_name(ip.header.protocol) +
                                              ") is neither TCP (6) nor UDP (17)");
    }
    result.payload.assign(payload.begin(), payload.end());

    const char* transport = result.udp ? "UDP" : "TCP";
    const ChecksumCheck& ip_check = result.ipv4_checksum;
    const ChecksumCheck& check = result.transport_checksum;
    if (ip_check.status == ChecksumStatus::bad) {
        return fail(Problem::bad_checksum, "IPv4: header checksum " + hex(ip_check.got) +
                                               " is wrong (expected " + hex(ip_check.expected) + ")");
    }
    if (check.status == ChecksumStatus::bad) {
        return fail(Problem::bad_checksum, std::string(transport) + ": checksum " + hex(check.got) +
                                               " is wrong (expected " + hex(check.expected) + ")");
    }
    if (check.status == ChecksumStatus::offloaded && !options.accept_offloaded) {
        return fail(Problem::bad_checksum, std::string(transport) + ": checksum " + hex(check.got) +
                                               " is the unfinished one of checksum offload (expected " +
                                               hex(check.expected) + ")");
    }
    return result;
    // END SOLUTION
}

}  // namespace netlab::layers
