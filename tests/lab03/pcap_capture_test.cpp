// Lab 03 Part A against real packets nobody here wrote by hand: the captures in tests/data/
// (tcpdump on loopback of lab 01 and lab 02 traffic, see tests/data/README.md), read with the
// lab's pcap reader and decoders, field by field against what tshark decoded from the same files
// (the committed .tsv). tshark itself is not needed to run these tests.

#include <cstdio>
#include <string>
#include <vector>

#include "03_encapsulation/layers/encapsulate.hpp"
#include "03_encapsulation/layers/link_layer.hpp"
#include "03_encapsulation/layers/pcap_file.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using namespace netlab::testing::layers_test;

/// Compares our value of one field with tshark's, naming the field on a mismatch.
class FieldChecker {
public:
    explicit FieldChecker(const TsharkRow& row) : row_(row) {}
    void expect(const std::string& field, const std::string& ours) {
        const auto it = row_.find(field);
        ASSERT_NE(it, row_.end()) << "the .tsv has no column " << field;
        EXPECT_EQ(it->second, ours) << field << ": tshark says " << it->second << ", we decoded " << ours;
        ++compared_;
    }
    void expect(const std::string& field, unsigned long long ours) { expect(field, std::to_string(ours)); }
    [[nodiscard]] const std::string& operator[](const std::string& field) const { return row_.at(field); }
    [[nodiscard]] int compared() const { return compared_; }

private:
    const TsharkRow& row_;
    int compared_ = 0;
};

std::string epoch_time(const PcapRecord& record) {
    char text[32];
    std::snprintf(text, sizeof text, "%u.%09u", record.seconds, record.nanoseconds);
    return text;
}

/// Reads name.pcap with the lab's code and compares every packet with name.tsv. With checksums,
/// also what tshark computed for the checksums. Returns the number of fields compared.
int compare_with_tshark(const std::string& name, bool checksums) {
    const auto rows = read_tsv(data_path(name + ".tsv"));
    PcapFile file(data_path(name + ".pcap"));
    int compared = 0;
    for (const TsharkRow& row : rows) {
        SCOPED_TRACE(name + ".pcap frame " + row.at("frame.number"));
        const auto record = file.next();
        EXPECT_TRUE(record) << "the file ended before the packets tshark saw";
        if (!record) {
            return compared;
        }
        FieldChecker field(row);
        field.expect("frame.time_epoch", epoch_time(*record));
        field.expect("frame.len", record->original_length);
        field.expect("frame.cap_len", record->data.size());

        const auto link = parse_link_layer(file.header().link_type, record->data);
        EXPECT_TRUE(link) << link.error;
        if (!link) {
            return compared;
        }
        if (link.header.ethernet) {
            field.expect("eth.dst", to_string(link.header.ethernet->destination));
            field.expect("eth.src", to_string(link.header.ethernet->source));
            field.expect("eth.type", hex_field(link.header.ethernet->ether_type));
        } else {
            field.expect("sll.pkttype", link.header.packet_type);
            field.expect("sll.etype", hex_field(link.header.protocol));
        }

        const Decapsulated layers =
            decapsulate_ipv4(link.payload, DecapsulateOptions{.accept_offloaded = true});
        EXPECT_TRUE(layers.ipv4) << layers.error;
        if (!layers.ipv4) {
            return compared;
        }
        const Ipv4Header& ip = *layers.ipv4;
        field.expect("ip.version", "4");
        field.expect("ip.hdr_len", ip.header_length);
        field.expect("ip.len", ip.total_length);
        field.expect("ip.id", hex_field(ip.identification));
        field.expect("ip.flags", hex_field(ip.flags_fragment >> 13, 2));
        field.expect("ip.frag_offset", (ip.flags_fragment & kIpv4FragmentOffsetMask) * 8u);
        field.expect("ip.ttl", ip.ttl);
        field.expect("ip.proto", ip.protocol);
        field.expect("ip.checksum", hex_field(ip.checksum));
        field.expect("ip.src", to_string(ip.source));
        field.expect("ip.dst", to_string(ip.destination));
        if (checksums) {
            field.expect("ip.checksum_calculated", hex_field(layers.ipv4_checksum.expected));
            EXPECT_EQ(field["ip.checksum.status"], "1") << "tshark verified the IPv4 header checksum as good";
            EXPECT_EQ(layers.ipv4_checksum.status, ChecksumStatus::good)
                << "the header checksum of every captured packet verifies";
        }

        if (ip.protocol == kProtocolTcp) {
            EXPECT_TRUE(layers) << layers.error;
            EXPECT_TRUE(layers.tcp);
            if (!layers.tcp) {
                return compared;
            }
            const TcpHeader& tcp = *layers.tcp;
            field.expect("tcp.srcport", tcp.source_port);
            field.expect("tcp.dstport", tcp.destination_port);
            field.expect("tcp.seq_raw", tcp.sequence);
            field.expect("tcp.ack_raw", tcp.acknowledgment);
            field.expect("tcp.hdr_len", tcp.header_length);
            field.expect("tcp.flags", hex_field(tcp.flags));
            field.expect("tcp.window_size_value", tcp.window);
            field.expect("tcp.checksum", hex_field(tcp.checksum));
            field.expect("tcp.urgent_pointer", tcp.urgent_pointer);
            field.expect("tcp.len", layers.payload.size());
            field.expect("tcp.payload", to_hex(layers.payload));
            if (checksums) {
                field.expect("tcp.checksum_calculated", hex_field(layers.transport_checksum.expected));
            }
        } else if (ip.protocol == kProtocolUdp) {
            EXPECT_TRUE(layers) << layers.error;
            EXPECT_TRUE(layers.udp);
            if (!layers.udp) {
                return compared;
            }
            const UdpHeader& udp = *layers.udp;
            field.expect("udp.srcport", udp.source_port);
            field.expect("udp.dstport", udp.destination_port);
            field.expect("udp.length", udp.length);
            field.expect("udp.checksum", hex_field(udp.checksum));
            field.expect("udp.payload", to_hex(layers.payload));
            if (checksums) {
                field.expect("udp.checksum_calculated", hex_field(layers.transport_checksum.expected));
            }
        } else {
            EXPECT_EQ(ip.protocol, kProtocolIcmp) << "the captures hold TCP, UDP and one ICMP error each";
            EXPECT_EQ(layers.problem, Problem::unsupported) << "ICMP is not decoded: " << layers.error;
        }
        compared += field.compared();
    }
    EXPECT_FALSE(file.next()) << name << ".pcap has more packets than tshark saw";
    return compared;
}

GRADED_TEST(Lab03Pcap, LoopbackTcpCaptureMatchesTshark, 1) {
    // tcpdump -i lo of two lab 01 echo connections: handshake, data, echo, FINs (20 packets).
    const int compared = compare_with_tshark("lab01_lo", false);
    EXPECT_GE(compared, 20 * 27) << "every field of every packet";
}

GRADED_TEST(Lab03Pcap, LoopbackUdpCaptureMatchesTshark, 1) {
    // tcpdump -i lo --time-stamp-precision=nano of lab 02 echoes and one ICMP port unreachable.
    const int compared = compare_with_tshark("lab02_lo", false);
    EXPECT_GE(compared, 7 * 22 + 17);
}

GRADED_TEST(Lab03Pcap, CookedCapturesMatchTshark, 1) {
    // tcpdump -i any: Linux cooked headers (LINUX_SLL2 by default, LINUX_SLL with -y).
    EXPECT_GE(compare_with_tshark("lab01_any", false), 20 * 26);
    EXPECT_GE(compare_with_tshark("lab02_any_sll", false), 7 * 21 + 16);
}

GRADED_TEST(Lab03Pcap, CapturedChecksumsAgreeWithTshark, 1) {
    // The IPv4 header checksums of the captures verify (tshark says so too), and for TCP/UDP we
    // compute the same checksum tshark does, while the field holds the pseudo-header sum only:
    // the kernel left it for a NIC that loopback does not have (checksum offload).
    for (const std::string name : {"lab01_lo", "lab02_lo", "lab01_any", "lab02_any_sll"}) {
        SCOPED_TRACE(name);
        EXPECT_GT(compare_with_tshark(name, true), 0);
        PcapFile file(data_path(name + ".pcap"));
        int offloaded = 0;
        while (const auto record = file.next()) {
            const auto link = parse_link_layer(file.header().link_type, record->data);
            ASSERT_TRUE(link) << link.error;
            const Decapsulated strict = decapsulate_ipv4(link.payload);
            ASSERT_TRUE(strict.ipv4) << strict.error;
            if (strict.ipv4->protocol == kProtocolIcmp) {
                continue;
            }
            EXPECT_EQ(strict.problem, Problem::bad_checksum) << "without accept_offloaded: " << strict.error;
            EXPECT_EQ(strict.transport_checksum.status, ChecksumStatus::offloaded);
            const auto pseudo =
                pseudo_header(strict.ipv4->source, strict.ipv4->destination, strict.ipv4->protocol,
                              strict.ipv4->total_length - strict.ipv4->header_length);
            EXPECT_EQ(hex_field(strict.transport_checksum.got),
                      hex_field(static_cast<std::uint16_t>(~reference_checksum(pseudo))))
                << "the field is the (uncomplemented) pseudo-header sum";
            ++offloaded;
        }
        EXPECT_GT(offloaded, 0);
    }
}

}  // namespace
