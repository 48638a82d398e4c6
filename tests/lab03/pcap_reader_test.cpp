// Lab 03 Part A, the pcap reader and the link layers: the file header in both byte orders and
// both time resolutions, the incremental record parser fed the real capture in pieces, the
// impossible lengths it must refuse before waiting for them, and the link-layer headers
// (Ethernet, Linux cooked v1/v2, BSD loopback) that a capture can start with.

#include <cstdint>
#include <string>
#include <vector>

#include "03_encapsulation/layers/link_layer.hpp"
#include "03_encapsulation/layers/pcap_reader.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using netlab::ParseStatus;
using namespace netlab::testing::layers_test;

/// A 24-byte file header: magic bytes as given, then version 2.4, snaplen 65535, link type 1 (LE or BE).
std::vector<std::byte> file_header(const char* magic_hex, bool big_endian, std::uint32_t link_type = 1) {
    auto bytes = from_hex(magic_hex);
    const std::string rest =
        big_endian ? "0002 0004 00000000 00000000 0000ffff" : "0200 0400 00000000 00000000 ffff0000";
    auto more = from_hex(rest);
    bytes.insert(bytes.end(), more.begin(), more.end());
    for (int i = 0; i < 4; ++i) {
        const int shift = big_endian ? 24 - 8 * i : 8 * i;
        bytes.push_back(static_cast<std::byte>((link_type >> shift) & 0xff));
    }
    return bytes;
}

/// A little-endian record header: seconds, fraction, captured and original lengths.
std::vector<std::byte> record_header(std::uint32_t seconds, std::uint32_t fraction, std::uint32_t captured,
                                     std::uint32_t original) {
    std::vector<std::byte> bytes;
    for (const std::uint32_t value : {seconds, fraction, captured, original}) {
        for (int i = 0; i < 4; ++i) {
            bytes.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
        }
    }
    return bytes;
}

PcapFileHeader little_endian_microseconds() {
    PcapFileHeader header;
    header.byte_order = ByteOrder::little;
    header.nanosecond = false;
    return header;
}

GRADED_TEST(Lab03Pcap, ParsesFileHeaderInEveryVariant, 1) {
    struct Case {
        const char* what;
        const char* magic;
        bool big_endian;
        bool nanosecond;
    };
    for (const Case& c : {Case{"little-endian, microseconds (x86 tcpdump)", "d4c3b2a1", false, false},
                          Case{"little-endian, nanoseconds", "4d3cb2a1", false, true},
                          Case{"big-endian, microseconds", "a1b2c3d4", true, false},
                          Case{"big-endian, nanoseconds", "a1b23c4d", true, true}}) {
        SCOPED_TRACE(c.what);
        const auto bytes = file_header(c.magic, c.big_endian, 276);
        const PcapHeaderResult result = parse_pcap_header(bytes);
        ASSERT_TRUE(result) << result.error;
        EXPECT_EQ(result.consumed, 24u);
        EXPECT_EQ(result.header.byte_order, c.big_endian ? ByteOrder::big : ByteOrder::little);
        EXPECT_EQ(result.header.nanosecond, c.nanosecond);
        EXPECT_EQ(result.header.version_major, 2);
        EXPECT_EQ(result.header.version_minor, 4);
        EXPECT_EQ(result.header.snaplen, 65535u);
        EXPECT_EQ(result.header.link_type, 276u);
        for (std::size_t size = 0; size < 24; ++size) {
            SCOPED_TRACE("only " + std::to_string(size) + " bytes of it");
            const std::vector<std::byte> cut(bytes.begin(),
                                             bytes.begin() + static_cast<std::ptrdiff_t>(size));
            EXPECT_EQ(parse_pcap_header(cut).status, ParseStatus::need_more);
        }
    }
    {
        SCOPED_TRACE(
            "the real captures: tcpdump on x86 writes little-endian; --time-stamp-precision=nano the ns "
            "magic");
        const auto lo = parse_pcap_header(read_file(data_path("lab01_lo.pcap")));
        ASSERT_TRUE(lo) << lo.error;
        EXPECT_EQ(lo.header.link_type, 1u) << "tcpdump -i lo: EN10MB";
        EXPECT_FALSE(lo.header.nanosecond);
        EXPECT_EQ(lo.header.snaplen, 262144u) << "tcpdump -s 0";
        const auto nano = parse_pcap_header(read_file(data_path("lab02_lo.pcap")));
        ASSERT_TRUE(nano) << nano.error;
        EXPECT_TRUE(nano.header.nanosecond);
        const auto any = parse_pcap_header(read_file(data_path("lab01_any.pcap")));
        ASSERT_TRUE(any) << any.error;
        EXPECT_EQ(any.header.link_type, 276u) << "tcpdump -i any: LINUX_SLL2";
    }
    for (const auto& [what, bytes] :
         {std::pair{"a pcapng file",
                    from_hex("0a0d0d0a 1c000000 4d3c2b1a 01000000 ffffffffffffffff 1c000000")},
          std::pair{"text", bytes_of("GET / HTTP/1.1\r\nHost: example\r\n\r\n")},
          std::pair{"version 1.0", from_hex("d4c3b2a1 0100 0000 00000000 00000000 ffff0000 01000000")}}) {
        SCOPED_TRACE(what);
        const PcapHeaderResult result = parse_pcap_header(bytes);
        EXPECT_EQ(result.status, ParseStatus::error) << "not a classic pcap file: an error, not need_more";
        EXPECT_FALSE(result.error.empty());
    }
}

GRADED_TEST(Lab03Pcap, ParsesRecordsIncrementally, 2) {
    const auto file = read_file(data_path("lab01_lo.pcap"));
    const auto expected = raw_records(file);
    const auto header = parse_pcap_header(file);
    ASSERT_TRUE(header) << header.error;
    std::size_t at = header.consumed;
    for (std::size_t index = 0; index < expected.size(); ++index) {
        const RawRecord& want = expected[index];
        const std::size_t size = 16 + want.captured;
        SCOPED_TRACE("record " + std::to_string(index + 1) + " at byte " + std::to_string(at) + " (" +
                     std::to_string(size) + " bytes)");
        for (std::size_t have = 0; have < size; ++have) {
            const std::vector<std::byte> part(file.begin() + static_cast<std::ptrdiff_t>(at),
                                              file.begin() + static_cast<std::ptrdiff_t>(at + have));
            const PcapRecordResult result = parse_pcap_record(header.header, part);
            ASSERT_EQ(result.status, ParseStatus::need_more)
                << "with " << have << " of its " << size << " bytes, a record needs more (" << result.error
                << ")";
            ASSERT_EQ(result.consumed, 0u);
        }
        const std::span<const std::byte> rest = std::span(file).subspan(at);
        const PcapRecordResult result = parse_pcap_record(header.header, rest);
        ASSERT_TRUE(result) << result.error;
        EXPECT_EQ(result.consumed, size) << "consumed = 16-byte record header + captured length";
        EXPECT_EQ(result.record.seconds, want.seconds);
        EXPECT_EQ(result.record.nanoseconds, want.fraction * 1000) << "microseconds come back as nanoseconds";
        EXPECT_EQ(result.record.original_length, want.original);
        EXPECT_BYTES_EQ(text_of(want.data), text_of(result.record.data));
        at += result.consumed;
    }
    EXPECT_EQ(at, file.size());
    EXPECT_EQ(parse_pcap_record(header.header, std::span(file).subspan(at)).status, ParseStatus::need_more)
        << "no bytes: need more (whether the file ended there is the caller's call)";

    SCOPED_TRACE("the big-endian copy of the nanosecond capture reads the same");
    const auto nano = read_file(data_path("lab02_lo.pcap"));
    const auto big = to_big_endian(nano);
    const auto big_header = parse_pcap_header(big);
    ASSERT_TRUE(big_header) << big_header.error;
    ASSERT_EQ(big_header.header.byte_order, ByteOrder::big);
    std::size_t big_at = big_header.consumed;
    for (const RawRecord& want : raw_records(nano)) {
        const PcapRecordResult result = parse_pcap_record(big_header.header, std::span(big).subspan(big_at));
        ASSERT_TRUE(result) << result.error;
        EXPECT_EQ(result.record.seconds, want.seconds);
        EXPECT_EQ(result.record.nanoseconds, want.fraction) << "a nanosecond file's fraction is kept as is";
        EXPECT_EQ(result.record.original_length, want.original);
        EXPECT_BYTES_EQ(text_of(want.data), text_of(result.record.data));
        big_at += result.consumed;
    }
    EXPECT_EQ(big_at, big.size());
}

GRADED_TEST(Lab03Pcap, RejectsImpossibleRecordLengths, 1) {
    const PcapFileHeader micro = little_endian_microseconds();
    {
        SCOPED_TRACE("captured length 262145 > the maximum: an error as soon as the 16-byte header is there");
        const PcapRecordResult result = parse_pcap_record(micro, record_header(1, 0, 262145, 262145));
        EXPECT_EQ(result.status, ParseStatus::error)
            << "waiting for 256 KiB of a corrupt record would be wrong";
        EXPECT_FALSE(result.error.empty());
    }
    {
        SCOPED_TRACE("captured length 0xffffffff (garbage): an error, not need_more");
        EXPECT_EQ(parse_pcap_record(micro, record_header(1, 0, 0xffffffff, 0xffffffff)).status,
                  ParseStatus::error);
    }
    {
        SCOPED_TRACE("a smaller maximum is honoured: 1500 allowed, 1501 refused");
        auto record = record_header(1, 0, 1500, 1500);
        record.resize(record.size() + 1500);
        EXPECT_EQ(parse_pcap_record(micro, record, 1500).status, ParseStatus::complete);
        EXPECT_EQ(parse_pcap_record(micro, record_header(1, 0, 1501, 1501), 1500).status, ParseStatus::error);
    }
    {
        SCOPED_TRACE("captured 100 > original 60: inconsistent");
        EXPECT_EQ(parse_pcap_record(micro, record_header(1, 0, 100, 60)).status, ParseStatus::error);
    }
    {
        SCOPED_TRACE("1000000 microseconds is not a fraction of a second; 999999 is");
        auto record = record_header(1, 1000000, 0, 0);
        EXPECT_EQ(parse_pcap_record(micro, record).status, ParseStatus::error);
        record = record_header(1, 999999, 0, 0);
        const auto result = parse_pcap_record(micro, record);
        ASSERT_TRUE(result) << result.error;
        EXPECT_EQ(result.record.nanoseconds, 999999000u);
        EXPECT_EQ(result.consumed, 16u) << "an empty record is valid: 16 bytes";
    }
    {
        SCOPED_TRACE("in a nanosecond file 999999999 is fine and 1000000000 is not");
        PcapFileHeader nano = micro;
        nano.nanosecond = true;
        EXPECT_TRUE(parse_pcap_record(nano, record_header(1, 999999999, 0, 0)));
        EXPECT_EQ(parse_pcap_record(nano, record_header(1, 1000000000, 0, 0)).status, ParseStatus::error);
    }
}

GRADED_TEST(Lab03Pcap, ParsesCookedHeaders, 1) {
    const auto ip = from_hex("4500 0014 0000 4000 4000 0000 7f00 0001 7f00 0001");
    auto then_ip = [&ip](std::vector<std::byte> header) {
        header.insert(header.end(), ip.begin(), ip.end());
        return header;
    };
    {
        SCOPED_TRACE("LINUX_SLL: sent by us (4), ARPHRD_LOOPBACK (772), a 6-byte address, IPv4");
        const auto packet = then_ip(from_hex("0004 0304 0006 0200000000aa0000 0800"));
        const auto parsed = parse_linux_sll(packet);
        ASSERT_TRUE(parsed) << parsed.error;
        EXPECT_EQ(parsed.header.link_type, kLinkTypeLinuxSll);
        EXPECT_EQ(parsed.header.packet_type, 4);
        EXPECT_EQ(parsed.header.hardware_type, 772);
        EXPECT_EQ(parsed.header.address_length, 6);
        EXPECT_EQ(parsed.header.address[0], 0x02);
        EXPECT_EQ(parsed.header.address[5], 0xaa);
        EXPECT_EQ(parsed.header.address[6], 0x00) << "only address_length bytes are the address";
        EXPECT_EQ(hex_field(parsed.header.protocol), "0x0800") << "bytes 14-15, big-endian";
        EXPECT_BYTES_EQ(text_of(ip), text_of(parsed.payload)) << "the payload starts at byte 16";
        for (std::size_t size = 0; size < kLinuxSllHeaderSize; ++size) {
            SCOPED_TRACE("cut to " + std::to_string(size) + " bytes");
            const std::vector<std::byte> cut(packet.begin(),
                                             packet.begin() + static_cast<std::ptrdiff_t>(size));
            const auto result = parse_linux_sll(cut);
            EXPECT_FALSE(result);
            EXPECT_EQ(result.problem, Problem::truncated) << result.error;
            EXPECT_FALSE(result.error.empty()) << "a rejection says why";
        }
    }
    {
        SCOPED_TRACE("LINUX_SLL2: IPv6 first, interface 0x01020304, ARPHRD_ETHER (1), to us (0)");
        const auto packet = then_ip(from_hex("86dd 0000 01020304 0001 00 06 5254001234560000"));
        const auto parsed = parse_linux_sll2(packet);
        ASSERT_TRUE(parsed) << parsed.error;
        EXPECT_EQ(parsed.header.link_type, kLinkTypeLinuxSll2);
        EXPECT_EQ(hex_field(parsed.header.protocol), "0x86dd") << "bytes 0-1, big-endian";
        EXPECT_EQ(parsed.header.interface_index, 0x01020304u);
        EXPECT_EQ(parsed.header.hardware_type, 1);
        EXPECT_EQ(parsed.header.packet_type, 0);
        EXPECT_EQ(parsed.header.address_length, 6);
        EXPECT_EQ(parsed.header.address[0], 0x52);
        EXPECT_EQ(parsed.header.address[5], 0x56);
        EXPECT_BYTES_EQ(text_of(ip), text_of(parsed.payload)) << "the payload starts at byte 20";
        for (std::size_t size = 0; size < kLinuxSll2HeaderSize; ++size) {
            SCOPED_TRACE("cut to " + std::to_string(size) + " bytes");
            const std::vector<std::byte> cut(packet.begin(),
                                             packet.begin() + static_cast<std::ptrdiff_t>(size));
            const auto result = parse_linux_sll2(cut);
            EXPECT_FALSE(result);
            EXPECT_EQ(result.problem, Problem::truncated) << result.error;
            EXPECT_FALSE(result.error.empty()) << "a rejection says why";
        }
    }
}

GRADED_TEST(Lab03Pcap, ParsesEveryLinkLayer, 1) {
    const auto ip =
        from_hex("4500 0014 0000 4000 4000 0000 7f00 0001 7f00 0001");  // what follows each header
    auto then_ip = [&ip](std::vector<std::byte> header) {
        header.insert(header.end(), ip.begin(), ip.end());
        return header;
    };
    struct Case {
        const char* what;
        std::uint32_t link_type;
        std::vector<std::byte> packet;
        std::size_t header_size;
        std::uint16_t protocol;
    };
    const std::vector<Case> cases = {
        {"EN10MB", kLinkTypeEthernet, then_ip(from_hex("000000000000 0200000000aa 0800")), 14, 0x0800},
        {"LINUX_SLL, sent by us, loopback", kLinkTypeLinuxSll,
         then_ip(from_hex("0004 0304 0006 000000000000 0000 0800")), 16, 0x0800},
        {"LINUX_SLL2, interface 1, to us", kLinkTypeLinuxSll2,
         then_ip(from_hex("0800 0000 00000001 0304 00 06 000000000000 0000")), 20, 0x0800},
        {"NULL written little-endian (AF_INET = 2)", kLinkTypeNull, then_ip(from_hex("02000000")), 4, 0x0800},
        {"NULL written big-endian (AF_INET = 2)", kLinkTypeNull, then_ip(from_hex("00000002")), 4, 0x0800},
        {"NULL, macOS AF_INET6 = 30", kLinkTypeNull, then_ip(from_hex("1e000000")), 4, 0x86dd},
        {"LOOP, network order (AF_INET = 2)", kLinkTypeLoop, then_ip(from_hex("00000002")), 4, 0x0800},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const auto parsed = parse_link_layer(c.link_type, c.packet);
        ASSERT_TRUE(parsed) << parsed.error;
        EXPECT_EQ(hex_field(parsed.header.protocol), hex_field(c.protocol))
            << "the next layer, as an EtherType";
        EXPECT_EQ(parsed.payload.size(), ip.size())
            << "the payload starts right after the " << c.header_size << "-byte header";
        EXPECT_BYTES_EQ(text_of(ip), text_of(parsed.payload));
        for (std::size_t size = 0; size < c.header_size; ++size) {
            SCOPED_TRACE("cut to " + std::to_string(size) + " bytes");
            const std::vector<std::byte> cut(c.packet.begin(),
                                             c.packet.begin() + static_cast<std::ptrdiff_t>(size));
            const auto result = parse_link_layer(c.link_type, cut);
            EXPECT_FALSE(result);
            EXPECT_EQ(result.problem, Problem::truncated) << result.error;
        }
    }
    {
        SCOPED_TRACE("the SLL fields");
        const auto sll = parse_link_layer(kLinkTypeLinuxSll, cases[1].packet);
        ASSERT_TRUE(sll) << sll.error;
        EXPECT_EQ(sll.header.packet_type, 4);
        EXPECT_EQ(sll.header.hardware_type, 772);
        EXPECT_EQ(sll.header.address_length, 6);
        const auto sll2 = parse_link_layer(kLinkTypeLinuxSll2, cases[2].packet);
        ASSERT_TRUE(sll2) << sll2.error;
        EXPECT_EQ(sll2.header.interface_index, 1u);
        EXPECT_EQ(sll2.header.hardware_type, 772);
        EXPECT_EQ(sll2.header.packet_type, 0);
        EXPECT_EQ(sll2.header.address_length, 6);
        const auto en = parse_link_layer(kLinkTypeEthernet, cases[0].packet);
        ASSERT_TRUE(en && en.header.ethernet) << en.error;
        EXPECT_EQ(to_string(en.header.ethernet->source), "02:00:00:00:00:aa");
    }
    SCOPED_TRACE("link type 105 (802.11) is not decoded here");
    const auto result = parse_link_layer(105, cases[0].packet);
    EXPECT_FALSE(result);
    EXPECT_EQ(result.problem, Problem::unsupported) << result.error;
}

}  // namespace
