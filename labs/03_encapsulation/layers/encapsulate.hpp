#pragma once
// This file shows:
//  - encapsulation (数据封装) both ways: a message wrapped layer by layer down to an Ethernet
//    frame (application -> TCP/UDP -> IPv4 -> Ethernet), and a frame unwrapped back up;
//  - a decoder that reports every layer it could read, each checksum's verdict, and the first
//    problem, so a tool can show a bad packet instead of only refusing it;
//  - checksum offload: why a capture taken on the sending host shows TCP/UDP checksums that
//    look wrong but are not (see ChecksumStatus::offloaded).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "03_encapsulation/layers/ethernet.hpp"
#include "03_encapsulation/layers/ipv4.hpp"
#include "03_encapsulation/layers/parse_result.hpp"
#include "03_encapsulation/layers/tcp.hpp"
#include "03_encapsulation/layers/udp.hpp"

namespace netlab::layers {

/// The transport header a message is wrapped in: UDP or TCP.
using TransportHeader = std::variant<UdpHeader, TcpHeader>;

/// Wraps payload down to an Ethernet frame. The caller gives the addresses, ports and the other
/// fields; encapsulate computes every length and checksum, sets the IPv4 protocol from transport
/// and the EtherType to IPv4. Throws std::length_error when payload does not fit in one packet.
std::vector<std::byte> encapsulate(std::span<const std::byte> payload, const EthernetHeader& ethernet,
                                   const Ipv4Header& ipv4, const TransportHeader& transport);

/// What a decoder found when it checked a checksum.
enum class ChecksumStatus : std::uint8_t {
    not_checked,  ///< decoding stopped before this checksum (or the layer is absent)
    good,         ///< the field matches the bytes
    bad,          ///< the field does not match: the packet was damaged (or built wrong)
    absent,       ///< a UDP checksum of 0: the sender computed none (allowed over IPv4)
    offloaded,    ///< the field holds only the pseudo-header sum: the sending kernel left the rest to
                  ///< the NIC (checksum offload), which loopback never does, so a capture on that
                  ///< host sees it unfinished. Wrong on a wire; expected in a capture of lo.
};

/// The status's name: "good", "BAD", "absent", "unverified (offloaded)", "not checked".
const char* to_string(ChecksumStatus status) noexcept;

/// One checksum's verdict, with both numbers for the error message.
struct ChecksumCheck {
    ChecksumStatus status = ChecksumStatus::not_checked;  ///< the verdict
    std::uint16_t got = 0;                                ///< the field in the packet
    std::uint16_t expected = 0;                           ///< what the bytes say it should be
};

/// The verdict on a checksum field got where the bytes say expected: good when they are equal, or
/// when got is 0xffff where 0x0000 was expected (both are zero in one's complement); else bad.
ChecksumCheck judge_checksum(std::uint16_t got, std::uint16_t expected);

/// A TCP or UDP checksum's verdict, the first that applies: absent when zero_means_none (UDP) and
/// got is 0; good as judge_checksum; offloaded when got equals unfinished (the pseudo-header sum
/// that a sender offloading its checksums leaves in the field); else bad.
ChecksumCheck judge_transport_checksum(std::uint16_t got, std::uint16_t expected, std::uint16_t unfinished,
                                       bool zero_means_none);

/// How strict decapsulate is.
struct DecapsulateOptions {
    /// Treat an offloaded TCP/UDP checksum as acceptable: set it for captures taken on the
    /// sending host (every capture of lo). Off by default: on a wire it is simply wrong.
    bool accept_offloaded = false;
};

/// Every layer decapsulate read, each checksum's verdict, the payload, and the first problem.
struct Decapsulated {
    std::optional<EthernetHeader> ethernet;  ///< absent when decoding started at IPv4
    std::optional<Ipv4Header> ipv4;          ///< present once the IPv4 header parsed
    std::optional<UdpHeader> udp;            ///< present once a UDP header parsed
    std::optional<TcpHeader> tcp;            ///< present once a TCP header parsed
    ChecksumCheck ipv4_checksum;             ///< the IPv4 header checksum
    ChecksumCheck transport_checksum;        ///< the UDP or TCP checksum
    std::vector<std::byte> payload;          ///< the application's bytes (a copy), once every header parsed
    Problem problem = Problem::none;         ///< the first problem found, or none
    std::string error;                       ///< for humans: which layer, which field, which numbers

    /// True when the frame decoded with every checksum acceptable.
    explicit operator bool() const noexcept { return problem == Problem::none; }
};

/// Unwraps an Ethernet frame: Ethernet II, IPv4 (no fragments), then UDP or TCP. Rejects short
/// or inconsistent lengths, other EtherTypes and protocols, and checksums that are bad (or
/// offloaded, unless options allow it). A checksum problem is reported after every header
/// parsed, so the result still holds all the layers. Pure: no I/O, never throws for bad input.
Decapsulated decapsulate(std::span<const std::byte> frame, DecapsulateOptions options = {});

/// The same, from the IPv4 header on: for link layers other than Ethernet (see link_layer.hpp).
Decapsulated decapsulate_ipv4(std::span<const std::byte> packet, DecapsulateOptions options = {});

}  // namespace netlab::layers
