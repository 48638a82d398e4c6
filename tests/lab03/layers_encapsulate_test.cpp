// Lab 03 Part A, the whole stack: encapsulate wraps a message down to an Ethernet frame, and
// decapsulate unwraps it back, layer by layer, rejecting truncated frames, bad checksums and
// what it does not decode; a checksum's verdict is judged on its own first, from plain numbers.
// The UDP frame is compared with a real one from the committed capture.

#include <cstdint>
#include <string>
#include <vector>

#include "03_encapsulation/layers/encapsulate.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using namespace netlab::testing::layers_test;

const EthernetHeader kEthernet{{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef}, 0};

Ipv4Header sample_ipv4() {
    Ipv4Header ip;
    ip.identification = 0x4242;
    ip.ttl = 17;
    ip.source = {10, 0, 0, 1};
    ip.destination = {10, 0, 0, 2};
    return ip;
}

TcpHeader sample_tcp() {
    TcpHeader tcp;
    tcp.source_port = 40000;
    tcp.destination_port = 9001;
    tcp.sequence = 1000;
    tcp.acknowledgment = 2000;
    tcp.flags = kTcpPsh | kTcpAck;
    tcp.window = 512;
    return tcp;
}

std::string describe(const Decapsulated& result) {
    return std::string(to_string(result.problem)) + ": " + result.error;
}

/// Recomputes the IPv4 header checksum of frame (Ethernet + 20-byte IPv4 header) after an edit.
void fix_ipv4_checksum(std::vector<std::byte>& frame) {
    frame[24] = frame[25] = std::byte{0};
    const std::uint16_t checksum = reference_checksum(std::span(frame).subspan(14, 20));
    frame[24] = static_cast<std::byte>(checksum >> 8);
    frame[25] = static_cast<std::byte>(checksum & 0xff);
}

GRADED_TEST(Lab03Encapsulate, UdpFrameMatchesTheCapture, 2) {
    // lab02_lo.pcap frame 1 is udp_echo_client's "hello", as the kernel sent it. Built again from
    // its fields, it must come out byte for byte the same, apart from the UDP checksum, which the
    // kernel left unfinished (offload) and which must be what tshark computed.
    const TsharkRow row = read_tsv(data_path("lab02_lo.tsv")).at(0);
    const auto captured = raw_records(read_file(data_path("lab02_lo.pcap"))).at(0).data;
    SCOPED_TRACE("lab02_lo.pcap frame 1: " + row.at("udp.srcport") + " -> " + row.at("udp.dstport") +
                 " \"hello\"");
    Ipv4Header ip;
    ip.identification = static_cast<std::uint16_t>(std::stoul(row.at("ip.id"), nullptr, 16));
    ip.flags_fragment = kIpv4DontFragment;
    ip.ttl = 64;
    ip.protocol = 99;  // encapsulate sets it from the transport header
    ip.source = {127, 0, 0, 1};
    ip.destination = {127, 0, 0, 1};
    const UdpHeader udp{static_cast<std::uint16_t>(std::stoul(row.at("udp.srcport"))),
                        static_cast<std::uint16_t>(std::stoul(row.at("udp.dstport"))), 0, 0};
    EthernetHeader ethernet;       // lo's all-zero MAC addresses
    ethernet.ether_type = 0x1234;  // encapsulate sets IPv4
    const auto frame = encapsulate(bytes_of("hello"), ethernet, ip, udp);
    auto expected = captured;
    const auto checksum = from_hex(row.at("udp.checksum_calculated").substr(2));
    expected[40] = checksum[0];
    expected[41] = checksum[1];
    EXPECT_BYTES_EQ(text_of(expected), text_of(frame))
        << "Ethernet (14) | IPv4 (20, checksum " << row.at("ip.checksum") << ") | UDP (8, checksum "
        << row.at("udp.checksum_calculated") << ") | \"hello\"";
}

GRADED_TEST(Lab03Encapsulate, JudgesChecksumsInOrder, 1) {
    auto status = [](const ChecksumCheck& check) { return std::string(to_string(check.status)); };
    {
        SCOPED_TRACE("judge_checksum: equal is good, 0xffff where 0x0000 was expected is good too");
        EXPECT_EQ(status(judge_checksum(0xb861, 0xb861)), "good");
        EXPECT_EQ(status(judge_checksum(0xffff, 0x0000)), "good") << "both are one's-complement zero";
        EXPECT_EQ(status(judge_checksum(0x0000, 0xffff)), "BAD") << "a sender never computes 0x0000";
        const ChecksumCheck bad = judge_checksum(0xb862, 0xb861);
        EXPECT_EQ(status(bad), "BAD");
        EXPECT_EQ(hex_field(bad.got), "0xb862") << "got: the field, kept for the message";
        EXPECT_EQ(hex_field(bad.expected), "0xb861") << "expected: what the bytes say";
    }
    {
        SCOPED_TRACE("judge_transport_checksum: absent, then good, then offloaded, then bad");
        EXPECT_EQ(status(judge_transport_checksum(0x0000, 0x1234, 0x5678, true)), "absent")
            << "UDP's 0 means no checksum";
        EXPECT_EQ(status(judge_transport_checksum(0x0000, 0x1234, 0x5678, false)), "BAD")
            << "TCP has no \"no checksum\"";
        EXPECT_EQ(status(judge_transport_checksum(0x0000, 0x1234, 0x0000, true)), "absent")
            << "absent is decided before offloaded";
        EXPECT_EQ(status(judge_transport_checksum(0x1234, 0x1234, 0x1234, false)), "good")
            << "good is decided before offloaded";
        EXPECT_EQ(status(judge_transport_checksum(0xffff, 0x0000, 0x5678, false)), "good")
            << "the 0xffff rule holds here too";
        const ChecksumCheck offloaded = judge_transport_checksum(0x5678, 0x1234, 0x5678, false);
        EXPECT_EQ(status(offloaded), "unverified (offloaded)") << "the field is the pseudo-header sum";
        EXPECT_EQ(hex_field(offloaded.got), "0x5678");
        EXPECT_EQ(hex_field(offloaded.expected), "0x1234");
        EXPECT_EQ(status(judge_transport_checksum(0x9abc, 0x1234, 0x5678, true)), "BAD");
    }
}

GRADED_TEST(Lab03Encapsulate, RoundTripsUdpAndTcp, 2) {
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{1460}, std::size_t{65495}}) {
        const auto payload = bytes_of(netlab::testing::random_bytes(size, 3));
        {
            SCOPED_TRACE("TCP with a payload of " + std::to_string(size) + " bytes");
            const auto frame = encapsulate(payload, kEthernet, sample_ipv4(), sample_tcp());
            ASSERT_EQ(frame.size(), 14 + 20 + 20 + size);
            const Decapsulated result = decapsulate(frame);
            ASSERT_TRUE(result) << describe(result);
            ASSERT_TRUE(result.ethernet && result.ipv4 && result.tcp) << "every layer is reported";
            EXPECT_FALSE(result.udp);
            EXPECT_EQ(to_string(result.ethernet->source), "52:54:00:ab:cd:ef");
            EXPECT_EQ(to_string(result.ethernet->destination), "52:54:00:12:34:56");
            EXPECT_EQ(hex_field(result.ethernet->ether_type), "0x0800");
            EXPECT_EQ(result.ipv4->protocol, kProtocolTcp);
            EXPECT_EQ(result.ipv4->total_length, 40 + size);
            EXPECT_EQ(result.ipv4->ttl, 17);
            EXPECT_EQ(result.ipv4->identification, 0x4242);
            EXPECT_EQ(to_string(result.ipv4->source), "10.0.0.1");
            EXPECT_EQ(result.tcp->source_port, 40000);
            EXPECT_EQ(result.tcp->destination_port, 9001);
            EXPECT_EQ(result.tcp->sequence, 1000u);
            EXPECT_EQ(result.tcp->acknowledgment, 2000u);
            EXPECT_EQ(result.tcp->flags, kTcpPsh | kTcpAck);
            EXPECT_EQ(result.tcp->window, 512);
            EXPECT_EQ(result.ipv4_checksum.status, ChecksumStatus::good);
            EXPECT_EQ(result.transport_checksum.status, ChecksumStatus::good);
            EXPECT_BYTES_EQ(text_of(payload), text_of(result.payload));
        }
        if (size <= 65507) {
            SCOPED_TRACE("UDP with a payload of " + std::to_string(size) + " bytes");
            const auto frame = encapsulate(payload, kEthernet, sample_ipv4(), UdpHeader{5000, 6000, 0, 0});
            ASSERT_EQ(frame.size(), 14 + 20 + 8 + size);
            const Decapsulated result = decapsulate(frame);
            ASSERT_TRUE(result) << describe(result);
            ASSERT_TRUE(result.ethernet && result.ipv4 && result.udp);
            EXPECT_FALSE(result.tcp);
            EXPECT_EQ(result.ipv4->protocol, kProtocolUdp);
            EXPECT_EQ(result.udp->source_port, 5000);
            EXPECT_EQ(result.udp->destination_port, 6000);
            EXPECT_EQ(result.udp->length, 8 + size);
            EXPECT_EQ(result.transport_checksum.status, ChecksumStatus::good);
            EXPECT_BYTES_EQ(text_of(payload), text_of(result.payload));
        }
    }
    SCOPED_TRACE("a payload too big for one IPv4 packet: std::length_error");
    EXPECT_THROW((void)encapsulate(std::vector<std::byte>(65496), kEthernet, sample_ipv4(), sample_tcp()),
                 std::length_error);
}

GRADED_TEST(Lab03Encapsulate, RejectsTruncatedFramesAtEveryLength, 1) {
    const auto payload = bytes_of("a message");
    for (const TransportHeader& transport :
         {TransportHeader{UdpHeader{1, 2, 0, 0}}, TransportHeader{sample_tcp()}}) {
        const auto frame = encapsulate(payload, kEthernet, sample_ipv4(), transport);
        for (std::size_t size = 0; size < frame.size(); ++size) {
            SCOPED_TRACE(std::string(std::holds_alternative<UdpHeader>(transport) ? "UDP" : "TCP") +
                         " frame cut to " + std::to_string(size) + " of " + std::to_string(frame.size()) +
                         " bytes");
            const std::vector<std::byte> cut(frame.begin(),
                                             frame.begin() + static_cast<std::ptrdiff_t>(size));
            const Decapsulated result = decapsulate(cut);
            EXPECT_FALSE(result) << "a cut frame must be rejected";
            EXPECT_EQ(result.problem, Problem::truncated) << describe(result);
            EXPECT_FALSE(result.error.empty());
            EXPECT_TRUE(result.payload.empty()) << "no payload from a frame that did not decode";
        }
    }
}

GRADED_TEST(Lab03Encapsulate, RejectsBadChecksums, 1) {
    const auto udp_frame =
        encapsulate(bytes_of("udp payload"), kEthernet, sample_ipv4(), UdpHeader{1, 2, 0, 0});
    const auto tcp_frame = encapsulate(bytes_of("tcp payload"), kEthernet, sample_ipv4(), sample_tcp());
    struct Case {
        const char* what;
        const std::vector<std::byte>* frame;
        std::size_t offset;
        const char* layer;
    };
    for (const Case& c :
         {Case{"the IPv4 checksum field", &udp_frame, 24, "IPv4"},
          Case{"the IPv4 TTL (header checksum no longer matches)", &tcp_frame, 22, "IPv4"},
          Case{"the IPv4 source address", &tcp_frame, 27, "IPv4"},
          Case{"a UDP payload byte", &udp_frame, 45, "UDP"},
          Case{"the UDP checksum field", &udp_frame, 41, "UDP"},
          Case{"a TCP payload byte", &tcp_frame, 60, "TCP"}, Case{"the TCP window", &tcp_frame, 49, "TCP"}}) {
        SCOPED_TRACE(std::string("one bit flipped in ") + c.what);
        auto bad = *c.frame;
        bad[c.offset] ^= std::byte{0x04};
        const Decapsulated result = decapsulate(bad);
        EXPECT_FALSE(result) << "must be rejected";
        EXPECT_EQ(result.problem, Problem::bad_checksum) << describe(result);
        EXPECT_NE(result.error.find(c.layer), std::string::npos)
            << "the error names the layer: " << result.error;
        EXPECT_TRUE(result.ipv4 && (result.udp || result.tcp)) << "the layers are still reported";
        const ChecksumCheck& check =
            std::string(c.layer) == "IPv4" ? result.ipv4_checksum : result.transport_checksum;
        EXPECT_EQ(check.status, ChecksumStatus::bad);
        EXPECT_NE(check.got, check.expected);
    }
    SCOPED_TRACE("a UDP checksum of 0 means none was sent: accepted, reported as absent");
    auto unchecked = udp_frame;
    unchecked[40] = unchecked[41] = std::byte{0};
    const Decapsulated result = decapsulate(unchecked);
    EXPECT_TRUE(result) << describe(result);
    EXPECT_EQ(result.transport_checksum.status, ChecksumStatus::absent);
}

GRADED_TEST(Lab03Encapsulate, RejectsUnknownEtherTypeProtocolAndFragments, 1) {
    const auto frame = encapsulate(bytes_of("x"), kEthernet, sample_ipv4(), UdpHeader{1, 2, 0, 0});
    for (const std::uint16_t ether_type : std::vector<std::uint16_t>{0x86dd, 0x0806, 0x8100, 0x0000}) {
        SCOPED_TRACE("EtherType " + hex_field(ether_type));
        auto other = frame;
        other[12] = static_cast<std::byte>(ether_type >> 8);
        other[13] = static_cast<std::byte>(ether_type & 0xff);
        const Decapsulated result = decapsulate(other);
        EXPECT_FALSE(result);
        EXPECT_EQ(result.problem, Problem::unsupported) << describe(result);
        EXPECT_TRUE(result.ethernet) << "the Ethernet header is still reported";
        EXPECT_FALSE(result.ipv4);
    }
    for (const int protocol : {1, 2, 41, 132, 255}) {
        SCOPED_TRACE("IPv4 protocol " + std::to_string(protocol) + " (checksum corrected)");
        auto other = frame;
        other[23] = static_cast<std::byte>(protocol);
        fix_ipv4_checksum(other);
        const Decapsulated result = decapsulate(other);
        EXPECT_FALSE(result);
        EXPECT_EQ(result.problem, Problem::unsupported) << describe(result);
        EXPECT_TRUE(result.ipv4);
    }
    for (const auto& [what, flags] :
         {std::pair{"more fragments", 0x2000}, std::pair{"fragment offset 8", 0x0001},
          std::pair{"last fragment at offset 1480", 0x00b9}}) {
        SCOPED_TRACE(std::string("a fragment: ") + what + " (checksum corrected)");
        auto fragment = frame;
        fragment[20] = static_cast<std::byte>(flags >> 8);
        fragment[21] = static_cast<std::byte>(flags & 0xff);
        fix_ipv4_checksum(fragment);
        const Decapsulated result = decapsulate(fragment);
        EXPECT_FALSE(result) << "only the whole datagram has a transport header and checksum to judge";
        EXPECT_EQ(result.problem, Problem::unsupported) << describe(result);
    }
}

GRADED_TEST(Lab03Encapsulate, OffloadedChecksumsNeedTheOption, 1) {
    // A real frame captured on lo: the kernel left the TCP checksum to the (absent) NIC.
    const auto frame = raw_records(read_file(data_path("lab01_lo.pcap"))).at(3).data;
    SCOPED_TRACE("lab01_lo.pcap frame 4 (the client's data)");
    const Decapsulated strict = decapsulate(frame);
    EXPECT_FALSE(strict) << "by default an unfinished checksum is as wrong as any other";
    EXPECT_EQ(strict.problem, Problem::bad_checksum) << describe(strict);
    EXPECT_EQ(strict.transport_checksum.status, ChecksumStatus::offloaded)
        << "the field equals the pseudo-header sum: that is checksum offload, and it says so";
    EXPECT_EQ(strict.ipv4_checksum.status, ChecksumStatus::good);
    const Decapsulated lenient = decapsulate(frame, DecapsulateOptions{.accept_offloaded = true});
    EXPECT_TRUE(lenient) << describe(lenient);
    EXPECT_EQ(lenient.transport_checksum.status, ChecksumStatus::offloaded);
    EXPECT_EQ(text_of(lenient.payload), "hello from lab 01\nsecond line\n");
    SCOPED_TRACE("the same frame with the checksum one off: bad, not offloaded");
    auto bad = frame;
    bad[51] ^= std::byte{1};
    const Decapsulated damaged = decapsulate(bad, DecapsulateOptions{.accept_offloaded = true});
    EXPECT_EQ(damaged.problem, Problem::bad_checksum) << describe(damaged);
    EXPECT_EQ(damaged.transport_checksum.status, ChecksumStatus::bad);
}

}  // namespace
