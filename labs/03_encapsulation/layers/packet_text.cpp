// This file shows:
//  - the link layer parsed by type, then decapsulate_ipv4 for everything above it, so one
//    decoder serves Ethernet, Linux cooked and BSD loopback captures alike;
//  - printing what decapsulate found even when it reports a problem: the layers it read, the
//    checksum verdicts, then the problem in words.

#include "03_encapsulation/layers/packet_text.hpp"

#include <time.h>

#include <cstdio>
#include <string>

#include "03_encapsulation/layers/encapsulate.hpp"
#include "03_encapsulation/layers/link_layer.hpp"

namespace netlab::layers {
namespace {

constexpr const char* kIndent = "        ";

std::string hex(std::uint32_t value, int digits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*x", digits, value);
    return text;
}

/// "2026-11-25 18:17:13.342229000 UTC" for a pcap timestamp.
std::string utc_time(std::uint32_t seconds, std::uint32_t nanoseconds) {
    const time_t when = seconds;
    tm parts{};
    gmtime_r(&when, &parts);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &parts);
    char text[64];
    std::snprintf(text, sizeof text, "%s.%09u UTC", date, nanoseconds);
    return text;
}

const char* packet_type_name(std::uint16_t packet_type) {
    switch (packet_type) {
        case 0:
            return "to us";
        case 1:
            return "broadcast";
        case 2:
            return "multicast";
        case 3:
            return "to another host";
        case 4:
            return "sent by us";
        default:
            return "unknown";
    }
}

std::string link_address(const LinkHeader& link) {
    std::string text;
    for (std::size_t i = 0; i < link.address_length && i < link.address.size(); ++i) {
        text += (i == 0 ? "" : ":") + hex(link.address[i], 2).substr(2);
    }
    return text.empty() ? "(none)" : text;
}

void print_link(std::ostream& out, const LinkHeader& link) {
    const std::string protocol = hex(link.protocol, 4) + " (" + ether_type_name(link.protocol) + ")";
    switch (link.link_type) {
        case kLinkTypeEthernet:
            out << "  Ethernet II: " << to_string(link.ethernet->source) << " -> "
                << to_string(link.ethernet->destination) << ", type " << protocol << "\n";
            break;
        case kLinkTypeLinuxSll:
        case kLinkTypeLinuxSll2:
            out << "  Linux cooked " << (link.link_type == kLinkTypeLinuxSll2 ? "v2" : "v1") << ": protocol "
                << protocol;
            if (link.link_type == kLinkTypeLinuxSll2) {
                out << ", interface " << link.interface_index;
            }
            out << ", ARPHRD " << link.hardware_type << (link.hardware_type == 772 ? " (loopback)" : "")
                << ", packet type " << link.packet_type << " (" << packet_type_name(link.packet_type)
                << "), address " << link_address(link) << "\n";
            break;
        default:
            out << "  " << link_type_name(link.link_type) << " loopback: address family " << link.family
                << ", " << protocol << "\n";
            break;
    }
}

std::string verdict(const ChecksumCheck& check) {
    switch (check.status) {
        case ChecksumStatus::good:
            return "[good]";
        case ChecksumStatus::bad:
            return "[BAD CHECKSUM: got " + hex(check.got, 4) + ", expected " + hex(check.expected, 4) + "]";
        case ChecksumStatus::absent:
            return "[absent: the sender computed none]";
        case ChecksumStatus::offloaded:
            return "[unverified (offloaded): only the pseudo-header sum; complete it would be " +
                   hex(check.expected, 4) + "]";
        case ChecksumStatus::not_checked:
            break;
    }
    return "[not checked]";
}

void print_ipv4(std::ostream& out, const Ipv4Header& ip, const ChecksumCheck& check) {
    std::string flags;
    if ((ip.flags_fragment & kIpv4DontFragment) != 0) {
        flags = "DF";
    }
    if ((ip.flags_fragment & kIpv4MoreFragments) != 0) {
        flags += flags.empty() ? "MF" : ", MF";
    }
    out << "  IPv4: " << to_string(ip.source) << " -> " << to_string(ip.destination) << "\n"
        << kIndent << "header " << +ip.header_length << " bytes, total length " << ip.total_length << ", id "
        << hex(ip.identification, 4) << ", flags " << hex(ip.flags_fragment >> 13, 1)
        << (flags.empty() ? "" : " (" + flags + ")") << ", fragment offset "
        << (ip.flags_fragment & kIpv4FragmentOffsetMask) * 8 << ", ttl " << +ip.ttl << ", protocol "
        << +ip.protocol << " (" << protocol_name(ip.protocol) << ")\n"
        << kIndent << "header checksum " << hex(ip.checksum, 4) << " " << verdict(check) << "\n";
}

void print_transport(std::ostream& out, const Decapsulated& layers) {
    if (layers.udp) {
        const UdpHeader& udp = *layers.udp;
        out << "  UDP: port " << udp.source_port << " -> " << udp.destination_port << ", length "
            << udp.length << "\n"
            << kIndent << "checksum " << hex(udp.checksum, 4) << " " << verdict(layers.transport_checksum)
            << "\n";
    } else if (layers.tcp) {
        const TcpHeader& tcp = *layers.tcp;
        const std::string names = describe_tcp_flags(tcp.flags);
        out << "  TCP: port " << tcp.source_port << " -> " << tcp.destination_port << "\n"
            << kIndent << "seq " << tcp.sequence << ", ack " << tcp.acknowledgment << ", header "
            << +tcp.header_length << " bytes, flags " << hex(tcp.flags, 3)
            << (names.empty() ? "" : " (" + names + ")") << ", window " << tcp.window << "\n"
            << kIndent << "checksum " << hex(tcp.checksum, 4) << " " << verdict(layers.transport_checksum)
            << "\n";
    }
}

}  // namespace

void print_hex_preview(std::ostream& out, std::span<const std::byte> bytes, std::size_t max_bytes,
                       const char* indent) {
    const std::size_t shown = bytes.size() < max_bytes ? bytes.size() : max_bytes;
    for (std::size_t line = 0; line < shown; line += 16) {
        char text[24];
        std::snprintf(text, sizeof text, "%04zx ", line);
        std::string hex_part = text;
        std::string ascii;
        for (std::size_t i = line; i < line + 16; ++i) {
            if (i < shown) {
                const auto value = std::to_integer<unsigned>(bytes[i]);
                std::snprintf(text, sizeof text, " %02x", value);
                hex_part += text;
                ascii += value >= 0x20 && value < 0x7f ? static_cast<char>(value) : '.';
            } else {
                hex_part += "   ";
            }
        }
        out << indent << hex_part << "  " << ascii << "\n";
    }
    if (shown < bytes.size()) {
        out << indent << "... " << bytes.size() - shown << " more byte(s)\n";
    }
}

Problem print_packet(std::ostream& out, std::uint64_t number, std::uint32_t link_type,
                     const PcapRecord& record) {
    out << "Frame " << number << ": " << record.original_length << " bytes on wire, " << record.data.size()
        << " captured, " << utc_time(record.seconds, record.nanoseconds) << "\n";
    const auto link = parse_link_layer(link_type, record.data);
    if (!link) {
        out << "  (not decoded: " << link.error << ")\n";
        return link.problem;
    }
    print_link(out, link.header);
    if (link.header.protocol != kEtherTypeIpv4) {
        out << "  (not decoded further: " << hex(link.header.protocol, 4) << " ("
            << ether_type_name(link.header.protocol) << ") is not IPv4)\n";
        return Problem::unsupported;
    }
    const Decapsulated layers = decapsulate_ipv4(link.payload, DecapsulateOptions{.accept_offloaded = true});
    if (layers.ipv4) {
        print_ipv4(out, *layers.ipv4, layers.ipv4_checksum);
    }
    print_transport(out, layers);
    if (layers.udp || layers.tcp) {
        out << "  Payload: " << layers.payload.size() << " byte(s)\n";
        print_hex_preview(out, layers.payload, kPreviewBytes, kIndent);
    }
    if (!layers && layers.problem != Problem::bad_checksum) {
        out << "  (not decoded further: " << layers.error << ")\n";
    }
    return layers.problem;
}

}  // namespace netlab::layers
