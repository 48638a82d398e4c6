// Lab 03 Part A, the link and network layers: the Ethernet II header, and the IPv4 header with
// its checksum, options and two lengths. Truncated copies are made at their exact size, so a
// read past the end shows up under ASan; every rejection must name a problem.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "03_encapsulation/layers/ethernet.hpp"
#include "03_encapsulation/layers/ipv4.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using namespace netlab::testing::layers_test;

// Wikipedia's "IPv4 header checksum" example: 192.168.0.1 -> 192.168.0.199, UDP, checksum b861.
constexpr const char* kKnownHeader = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

/// An IPv4 packet with IHL 6 (4 option bytes), a correct checksum and payload "abcdef".
std::vector<std::byte> packet_with_options() {
    auto packet = from_hex("4600 001e 1234 0000 4006 0000 0a00 0001 0a00 0002 0102 0304");
    const auto payload = bytes_of("abcdef");
    packet.insert(packet.end(), payload.begin(), payload.end());
    const std::uint16_t checksum = reference_checksum(std::span(packet).first(24));
    packet[10] = static_cast<std::byte>(checksum >> 8);
    packet[11] = static_cast<std::byte>(checksum & 0xff);
    return packet;
}

template <typename Header>
std::string describe(const Parsed<Header>& result) {
    return std::string(to_string(result.problem)) + ": " + result.error;
}

GRADED_TEST(Lab03Ipv4, EthernetHeaderRoundTrip, 1) {
    const EthernetHeader header{
        {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01}, {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, 0x0800};
    const auto payload = bytes_of("payload");
    const auto frame = build_ethernet(header, payload);
    SCOPED_TRACE("build_ethernet: destination, source, EtherType (big-endian), then the payload");
    EXPECT_EQ(to_hex(frame), "02005e100001aabbccddeeff0800" + to_hex(payload));
    const auto parsed = parse_ethernet(frame);
    ASSERT_TRUE(parsed) << describe(parsed);
    EXPECT_EQ(to_string(parsed.header.destination), "02:00:5e:10:00:01");
    EXPECT_EQ(to_string(parsed.header.source), "aa:bb:cc:dd:ee:ff");
    EXPECT_EQ(hex_field(parsed.header.ether_type), "0x0800");
    EXPECT_BYTES_EQ(text_of(payload), text_of(parsed.payload));
    for (std::size_t size = 0; size < kEthernetHeaderSize; ++size) {
        SCOPED_TRACE("a frame of only " + std::to_string(size) + " bytes");
        const std::vector<std::byte> cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(size));
        const auto result = parse_ethernet(cut);
        EXPECT_FALSE(result) << "shorter than the 14-byte header: must be rejected";
        EXPECT_EQ(result.problem, Problem::truncated) << describe(result);
        EXPECT_FALSE(result.error.empty()) << "a rejection says why";
    }
    SCOPED_TRACE("exactly the header: valid, with an empty payload");
    const std::vector<std::byte> bare(frame.begin(), frame.begin() + kEthernetHeaderSize);
    const auto result = parse_ethernet(bare);
    ASSERT_TRUE(result) << describe(result);
    EXPECT_TRUE(result.payload.empty());
}

GRADED_TEST(Lab03Ipv4, BuildsAKnownHeader, 1) {
    Ipv4Header header;
    header.tos = 0;
    header.identification = 0;
    header.flags_fragment = kIpv4DontFragment;
    header.ttl = 0x40;
    header.protocol = kProtocolUdp;
    header.source = {192, 168, 0, 1};
    header.destination = {192, 168, 0, 199};
    const std::vector<std::byte> payload(0x73 - 20, std::byte{'x'});
    SCOPED_TRACE("build_ipv4 of Wikipedia's example: total length 0x73 and checksum 0xb861 are computed");
    const auto packet = build_ipv4(header, payload);
    ASSERT_EQ(packet.size(), 0x73u);
    EXPECT_BYTES_EQ(text_of(from_hex(kKnownHeader)), text_of(std::span(packet).first(20)));
    SCOPED_TRACE("ipv4_header_checksum ignores what the checksum field holds");
    auto header_bytes = from_hex(kKnownHeader);
    EXPECT_EQ(hex_field(ipv4_header_checksum(header_bytes)), "0xb861");
    header_bytes[10] = header_bytes[11] = std::byte{0x5a};
    EXPECT_EQ(hex_field(ipv4_header_checksum(header_bytes)), "0xb861");
    SCOPED_TRACE("a payload that cannot fit: std::length_error");
    EXPECT_THROW((void)build_ipv4(header, std::vector<std::byte>(65516)), std::length_error);
    EXPECT_EQ(build_ipv4(header, std::vector<std::byte>(65515)).size(), 65535u);
}

GRADED_TEST(Lab03Ipv4, RoundTripsAndSkipsOptions, 1) {
    {
        SCOPED_TRACE("parse_ipv4(build_ipv4(h, p)) gives back every field and the payload");
        Ipv4Header header;
        header.tos = 0xb8;
        header.identification = 0xbeef;
        header.flags_fragment = 0;
        header.ttl = 1;
        header.protocol = kProtocolTcp;
        header.source = {10, 1, 2, 3};
        header.destination = {172, 16, 254, 1};
        const auto payload = bytes_of(netlab::testing::random_bytes(333));
        const auto packet = build_ipv4(header, payload);
        const auto parsed = parse_ipv4(packet);
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(parsed.header.header_length, 20);
        EXPECT_EQ(parsed.header.tos, 0xb8);
        EXPECT_EQ(parsed.header.total_length, 353);
        EXPECT_EQ(parsed.header.identification, 0xbeef);
        EXPECT_EQ(parsed.header.flags_fragment, 0);
        EXPECT_EQ(parsed.header.ttl, 1);
        EXPECT_EQ(parsed.header.protocol, kProtocolTcp);
        EXPECT_EQ(to_string(parsed.header.source), "10.1.2.3");
        EXPECT_EQ(to_string(parsed.header.destination), "172.16.254.1");
        std::vector<std::byte> zeroed(packet.begin(), packet.begin() + 20);
        zeroed[10] = zeroed[11] = std::byte{0};
        EXPECT_EQ(hex_field(parsed.header.checksum), hex_field(reference_checksum(zeroed)))
            << "the checksum build_ipv4 wrote, as parse_ipv4 read it";
        EXPECT_BYTES_EQ(text_of(payload), text_of(parsed.payload));
    }
    {
        SCOPED_TRACE(
            "IHL 6: the 4 option bytes are skipped, and Ethernet padding after total length ignored");
        auto packet = packet_with_options();
        packet.resize(packet.size() + 10, std::byte{0});
        const auto parsed = parse_ipv4(packet);
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(parsed.header.header_length, 24);
        EXPECT_EQ(parsed.header.total_length, 30);
        EXPECT_EQ(text_of(parsed.payload), "abcdef") << "payload = bytes [IHL x 4, total length)";
        EXPECT_EQ(ipv4_header_checksum(std::span(packet).first(24)), parsed.header.checksum)
            << "the header checksum covers the options too";
    }
}

GRADED_TEST(Lab03Ipv4, RejectsTruncatedAtEveryLength, 1) {
    const auto packet = packet_with_options();
    for (std::size_t size = 0; size < packet.size(); ++size) {
        SCOPED_TRACE("the first " + std::to_string(size) + " of the packet's " +
                     std::to_string(packet.size()) + " bytes (IHL 6, total length 30)");
        const std::vector<std::byte> cut(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(size));
        const auto result = parse_ipv4(cut);
        EXPECT_FALSE(result) << "a packet shorter than its header or total length must be rejected";
        EXPECT_EQ(result.problem, Problem::truncated) << describe(result);
        EXPECT_FALSE(result.error.empty());
    }
}

GRADED_TEST(Lab03Ipv4, RejectsBadVersionIhlAndTotalLength, 1) {
    const auto good = packet_with_options();
    struct Case {
        std::string what;
        std::size_t offset;
        std::uint8_t value;
        Problem expected;
    };
    std::vector<Case> cases = {
        {"version 6", 0, 0x66, Problem::malformed},
        {"version 0", 0, 0x06, Problem::malformed},
        {"version 15", 0, 0xf6, Problem::malformed},
        {"IHL 15 (60 bytes > 30 there)", 0, 0x4f, Problem::truncated},
        {"total length 23 < IHL x 4 = 24", 3, 23, Problem::malformed},
        {"total length 0", 3, 0, Problem::malformed},
        {"total length 31 > 30 bytes there", 3, 31, Problem::truncated},
        {"total length 0x011e > 30 bytes there", 2, 0x01, Problem::truncated},
    };
    for (std::uint8_t ihl = 0; ihl < 5; ++ihl) {
        cases.push_back(
            {"IHL " + std::to_string(ihl), 0, static_cast<std::uint8_t>(0x40 | ihl), Problem::malformed});
    }
    for (const Case& c : cases) {
        SCOPED_TRACE("a valid packet with " + c.what);
        auto bad = good;
        bad[c.offset] = std::byte{c.value};
        const auto result = parse_ipv4(bad);
        EXPECT_FALSE(result) << "must be rejected";
        EXPECT_EQ(result.problem, c.expected) << describe(result);
        EXPECT_FALSE(result.error.empty());
    }
    SCOPED_TRACE("ipv4_header_checksum of something that is not a header: std::invalid_argument");
    EXPECT_THROW((void)ipv4_header_checksum(std::span(good).first(19)), std::invalid_argument);
}

}  // namespace
