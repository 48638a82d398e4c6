// Lab 03 Part A, the transport layer: UDP and TCP headers and their pseudo-header checksums.
// UDP is checked against the real datagrams of the committed capture, with the checksum that
// tshark computed for them; TCP against a checksum computed another way (layers_helpers).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "03_encapsulation/layers/ipv4.hpp"
#include "03_encapsulation/layers/tcp.hpp"
#include "03_encapsulation/layers/udp.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using namespace netlab::testing::layers_test;

constexpr Ipv4Address kSource{192, 0, 2, 1};
constexpr Ipv4Address kDestination{198, 51, 100, 77};

template <typename Header>
std::string describe(const Parsed<Header>& result) {
    return std::string(to_string(result.problem)) + ": " + result.error;
}

/// The bytes of a segment with its checksum field (at offset at) set to zero.
std::vector<std::byte> without_checksum(std::span<const std::byte> bytes, std::size_t at) {
    std::vector<std::byte> copy(bytes.begin(), bytes.end());
    copy[at] = copy[at + 1] = std::byte{0};
    return copy;
}

GRADED_TEST(Lab03Udp, BuildsTheDatagramsTsharkChecked, 2) {
    // Each UDP datagram of lab02_lo.pcap, rebuilt from its fields: the bytes must be the captured
    // ones, except the checksum, which must be the one tshark computed (the captured field is the
    // unfinished one of checksum offload, see ChecksumStatus::offloaded).
    const auto rows = read_tsv(data_path("lab02_lo.tsv"));
    const auto records = raw_records(read_file(data_path("lab02_lo.pcap")));
    ASSERT_EQ(rows.size(), records.size());
    int checked = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const TsharkRow& row = rows[i];
        if (row.at("ip.proto") != "17") {
            continue;
        }
        SCOPED_TRACE("lab02_lo.pcap frame " + row.at("frame.number") + ": UDP " + row.at("udp.srcport") +
                     " -> " + row.at("udp.dstport") + ", payload \"" +
                     text_of(from_hex(row.at("udp.payload"))) + "\"");
        const UdpHeader header{static_cast<std::uint16_t>(std::stoul(row.at("udp.srcport"))),
                               static_cast<std::uint16_t>(std::stoul(row.at("udp.dstport"))), 0, 0};
        const auto datagram =
            build_udp(header, {127, 0, 0, 1}, {127, 0, 0, 1}, from_hex(row.at("udp.payload")));
        // Ethernet (14) + IPv4 (20): the UDP datagram starts at byte 34 of the frame.
        auto expected = std::vector<std::byte>(records[i].data.begin() + 34, records[i].data.end());
        const auto checksum = from_hex(row.at("udp.checksum_calculated").substr(2));
        expected[6] = checksum[0];
        expected[7] = checksum[1];
        EXPECT_BYTES_EQ(text_of(expected), text_of(datagram))
            << "ports, length " << row.at("udp.length") << ", tshark's checksum "
            << row.at("udp.checksum_calculated");
        EXPECT_EQ(hex_field(udp_checksum({127, 0, 0, 1}, {127, 0, 0, 1}, datagram)),
                  row.at("udp.checksum_calculated"));
        ++checked;
    }
    EXPECT_EQ(checked, 7) << "lab02_lo.pcap holds 7 UDP datagrams";
}

GRADED_TEST(Lab03Udp, RoundTripsAndSendsZeroAsFfff, 1) {
    for (const std::size_t size :
         {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{999}, std::size_t{65507}}) {
        SCOPED_TRACE("a UDP payload of " + std::to_string(size) + " bytes");
        const auto payload = bytes_of(netlab::testing::random_bytes(size, 5));
        const auto datagram = build_udp({5353, 53, 0, 0}, kSource, kDestination, payload);
        ASSERT_EQ(datagram.size(), size + 8);
        const auto parsed = parse_udp(datagram);
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(parsed.header.source_port, 5353);
        EXPECT_EQ(parsed.header.destination_port, 53);
        EXPECT_EQ(parsed.header.length, size + 8);
        const auto pseudo = pseudo_header(kSource, kDestination, kProtocolUdp, datagram.size());
        EXPECT_EQ(hex_field(parsed.header.checksum),
                  hex_field(reference_checksum({pseudo, without_checksum(datagram, 6)})))
            << "the checksum covers the pseudo-header (addresses, protocol 17, length) and the datagram";
        EXPECT_BYTES_EQ(text_of(payload), text_of(parsed.payload));
    }
    EXPECT_THROW((void)build_udp({1, 2, 0, 0}, kSource, kDestination, std::vector<std::byte>(65508)),
                 std::length_error);

    SCOPED_TRACE("a datagram whose checksum computes to 0 carries 0xffff: 0 would mean 'no checksum'");
    // Pick the 2-byte payload that makes the one's-complement sum 0xffff, i.e. the checksum 0.
    auto payload = from_hex("0000");
    const auto pseudo = pseudo_header(kSource, kDestination, kProtocolUdp, 10);
    const auto zero_payload = build_udp({1000, 2000, 0, 0}, kSource, kDestination, payload);
    const std::uint16_t fill = reference_checksum({pseudo, without_checksum(zero_payload, 6)});
    payload = {static_cast<std::byte>(fill >> 8), static_cast<std::byte>(fill & 0xff)};
    const auto datagram = build_udp({1000, 2000, 0, 0}, kSource, kDestination, payload);
    ASSERT_EQ(hex_field(reference_checksum({pseudo, without_checksum(datagram, 6)})), "0x0000")
        << "test setup: this payload must make the computed checksum 0";
    EXPECT_EQ(to_hex(std::span(datagram).subspan(6, 2)), "ffff");
    EXPECT_EQ(hex_field(udp_checksum(kSource, kDestination, datagram)), "0xffff");
}

GRADED_TEST(Lab03Udp, RejectsShortAndInconsistentLengths, 1) {
    const auto datagram = build_udp({7, 9, 0, 0}, kSource, kDestination, bytes_of("twelve bytes"));
    for (std::size_t size = 0; size < kUdpHeaderSize; ++size) {
        SCOPED_TRACE("only " + std::to_string(size) + " bytes");
        const std::vector<std::byte> cut(datagram.begin(),
                                         datagram.begin() + static_cast<std::ptrdiff_t>(size));
        const auto result = parse_udp(cut);
        EXPECT_FALSE(result);
        EXPECT_EQ(result.problem, Problem::truncated) << describe(result);
    }
    struct Case {
        int length;
        Problem expected;
    };
    for (const Case c :
         {Case{0, Problem::malformed}, Case{7, Problem::malformed}, Case{19, Problem::malformed},
          Case{21, Problem::truncated}, Case{0xffff, Problem::truncated}}) {
        SCOPED_TRACE("20 bytes whose length field says " + std::to_string(c.length));
        auto bad = datagram;
        bad[4] = static_cast<std::byte>(c.length >> 8);
        bad[5] = static_cast<std::byte>(c.length & 0xff);
        const auto result = parse_udp(bad);
        EXPECT_FALSE(result) << "the length field must be 8 or more, and equal to the bytes IP carries";
        EXPECT_EQ(result.problem, c.expected) << describe(result);
        EXPECT_FALSE(result.error.empty());
    }
    EXPECT_THROW((void)udp_checksum(kSource, kDestination, std::span(datagram).first(7)),
                 std::invalid_argument);
}

GRADED_TEST(Lab03Tcp, BuildsAndRoundTrips, 2) {
    TcpHeader header;
    header.source_port = 0xc001;
    header.destination_port = 9001;
    header.sequence = 0x01020304;
    header.acknowledgment = 0xfffffffe;
    header.flags = kTcpPsh | kTcpAck;
    header.window = 0x8000;
    header.urgent_pointer = 0x0102;
    const auto payload = bytes_of("hello from lab 01\n");
    const auto segment = build_tcp(header, kSource, kDestination, payload);
    {
        SCOPED_TRACE("build_tcp: ports, seq, ack, data offset 5 + flags, window, checksum, urgent, payload");
        ASSERT_EQ(segment.size(), 20 + payload.size());
        EXPECT_EQ(to_hex(std::span(segment).first(16)),
                  "c0012329"
                  "01020304"
                  "fffffffe"
                  "5018"
                  "8000");
        EXPECT_EQ(to_hex(std::span(segment).subspan(18, 2)), "0102");
        const auto pseudo = pseudo_header(kSource, kDestination, kProtocolTcp, segment.size());
        EXPECT_EQ(to_hex(std::span(segment).subspan(16, 2)),
                  hex_field(reference_checksum({pseudo, without_checksum(segment, 16)})).substr(2))
            << "the checksum covers the pseudo-header (addresses, protocol 6, TCP length) and the segment";
        EXPECT_EQ(tcp_checksum(kSource, kDestination, segment),
                  reference_checksum({pseudo, without_checksum(segment, 16)}));
    }
    {
        SCOPED_TRACE("parse_tcp(build_tcp(...)) gives every field back");
        const auto parsed = parse_tcp(segment);
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(parsed.header.source_port, 0xc001);
        EXPECT_EQ(parsed.header.destination_port, 9001);
        EXPECT_EQ(parsed.header.sequence, 0x01020304u);
        EXPECT_EQ(parsed.header.acknowledgment, 0xfffffffeu);
        EXPECT_EQ(parsed.header.header_length, 20);
        EXPECT_EQ(hex_field(parsed.header.flags, 3), "0x018");
        EXPECT_EQ(parsed.header.window, 0x8000);
        EXPECT_EQ(parsed.header.urgent_pointer, 0x0102);
        EXPECT_EQ(parsed.header.checksum, tcp_checksum(kSource, kDestination, segment));
        EXPECT_BYTES_EQ(text_of(payload), text_of(parsed.payload));
    }
    for (const std::uint16_t flags :
         std::vector<std::uint16_t>{0x000, 0x001, 0x002, 0x012, 0x0c2, 0x100, 0xfff}) {
        SCOPED_TRACE("flags " + hex_field(flags, 3) + " survive the round trip, apart from the data offset");
        header.flags = flags;
        const auto parsed = parse_tcp(build_tcp(header, kSource, kDestination, {}));
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(hex_field(parsed.header.flags, 3), hex_field(flags, 3));
        EXPECT_EQ(parsed.header.header_length, 20);
    }
    {
        SCOPED_TRACE("options: data offset 8 means 12 option bytes to skip before the payload");
        auto with_options = from_hex(
            "c001 2329 0000 0001 0000 0000 8002 ffff 0000 0000"
            "0204 ffd7 0101 0402 0103 030a"
            "6869");
        const auto parsed = parse_tcp(with_options);
        ASSERT_TRUE(parsed) << describe(parsed);
        EXPECT_EQ(parsed.header.header_length, 32);
        EXPECT_EQ(hex_field(parsed.header.flags, 3), "0x002");
        EXPECT_EQ(text_of(parsed.payload), "hi");
    }
    SCOPED_TRACE("what cannot be built: std::length_error, std::invalid_argument");
    header.flags = 0x1000;
    EXPECT_THROW((void)build_tcp(header, kSource, kDestination, {}), std::invalid_argument);
    header.flags = 0;
    EXPECT_THROW((void)build_tcp(header, kSource, kDestination, std::vector<std::byte>(65496)),
                 std::length_error);
}

GRADED_TEST(Lab03Tcp, RejectsBadDataOffsetAndShortSegments, 1) {
    TcpHeader header;
    header.flags = kTcpSyn;
    const auto segment = build_tcp(header, kSource, kDestination, bytes_of("0123456789"));  // 30 bytes
    for (std::size_t size = 0; size < kTcpMinHeaderSize; ++size) {
        SCOPED_TRACE("only " + std::to_string(size) + " bytes");
        const std::vector<std::byte> cut(segment.begin(),
                                         segment.begin() + static_cast<std::ptrdiff_t>(size));
        const auto result = parse_tcp(cut);
        EXPECT_FALSE(result);
        EXPECT_EQ(result.problem, Problem::truncated) << describe(result);
    }
    for (int offset = 0; offset < 16; ++offset) {
        SCOPED_TRACE("a 30-byte segment with data offset " + std::to_string(offset) + " (" +
                     std::to_string(offset * 4) + " bytes)");
        auto bad = segment;
        bad[12] = static_cast<std::byte>((offset << 4) | (std::to_integer<int>(bad[12]) & 0x0f));
        const auto result = parse_tcp(bad);
        if (offset == 5 || offset == 6 || offset == 7) {
            EXPECT_TRUE(result) << "a header of 20 to 30 bytes fits in 30 bytes: " << describe(result);
        } else {
            EXPECT_FALSE(result);
            EXPECT_EQ(result.problem, offset < 5 ? Problem::malformed : Problem::truncated)
                << describe(result);
            EXPECT_FALSE(result.error.empty());
        }
    }
    EXPECT_THROW((void)tcp_checksum(kSource, kDestination, std::span(segment).first(19)),
                 std::invalid_argument);
}

}  // namespace
