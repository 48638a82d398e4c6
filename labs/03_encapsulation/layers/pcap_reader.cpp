// This file shows:
//  - one read of the magic number in each byte order, to learn the file's order;
//  - every later field read in that order (load_u32(..., order)), never "the host's" order;
//  - the three outcomes of an incremental parser, each decided before touching the bytes it
//    needs: too few bytes for the header -> need more; impossible lengths -> error; too few
//    bytes for the data -> need more; otherwise the record and how much of the input it used.

#include "03_encapsulation/layers/pcap_reader.hpp"

#include <cstdio>

namespace netlab::layers {
namespace {

constexpr std::uint32_t kMagicMicroseconds = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNanoseconds = 0xa1b23c4d;
constexpr std::uint32_t kMagicPcapng = 0x0a0d0d0a;  // the same in both byte orders

}  // namespace

PcapHeaderResult parse_pcap_header(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION parse_pcap_header
    PcapHeaderResult result;
    if (bytes.size() < kPcapFileHeaderSize) {
        result.status = ParseStatus::need_more;
        return result;
    }
    PcapFileHeader& header = result.header;
    const std::uint32_t magic = load_u32(bytes, 0, ByteOrder::big);
    const std::uint32_t swapped = load_u32(bytes, 0, ByteOrder::little);
    if (magic == kMagicMicroseconds || magic == kMagicNanoseconds) {
        header.byte_order = ByteOrder::big;
        header.nanosecond = magic == kMagicNanoseconds;
    } else if (swapped == kMagicMicroseconds || swapped == kMagicNanoseconds) {
        header.byte_order = ByteOrder::little;
        header.nanosecond = swapped == kMagicNanoseconds;
    } else {
        char text[16];
        std::snprintf(text, sizeof text, "0x%08x", magic);
        result.error = magic == kMagicPcapng
                           ? "a pcapng file, not classic pcap (convert it: editcap -F pcap IN OUT)"
                           : std::string("not a pcap file (magic number ") + text + ")";
        return result;
    }
    header.version_major = load_u16(bytes, 4, header.byte_order);
    header.version_minor = load_u16(bytes, 6, header.byte_order);
    header.snaplen = load_u32(bytes, 16, header.byte_order);
    // The link type is the low 16 bits; some writers put FCS information in the high bits.
    header.link_type = load_u32(bytes, 20, header.byte_order) & 0xffff;
    if (header.version_major != 2) {
        result.error = "pcap version " + std::to_string(header.version_major) + "." +
                       std::to_string(header.version_minor) + " is not 2.x";
        return result;
    }
    result.status = ParseStatus::complete;
    result.consumed = kPcapFileHeaderSize;
    return result;
    // END SOLUTION
}

PcapRecordResult parse_pcap_record(const PcapFileHeader& file, std::span<const std::byte> bytes,
                                   std::uint32_t max_snaplen) {
    // BEGIN SOLUTION parse_pcap_record
    using std::to_string;
    PcapRecordResult result;
    if (bytes.size() < kPcapRecordHeaderSize) {
        result.status = ParseStatus::need_more;
        return result;
    }
    const std::uint32_t seconds = load_u32(bytes, 0, file.byte_order);
    const std::uint32_t fraction = load_u32(bytes, 4, file.byte_order);
    const std::uint32_t captured = load_u32(bytes, 8, file.byte_order);
    const std::uint32_t original = load_u32(bytes, 12, file.byte_order);
    const std::uint32_t per_second = file.nanosecond ? 1'000'000'000 : 1'000'000;
    // Not checked against file.snaplen: like libpcap we accept a record above it (some writers get
    // snaplen wrong) as long as it is under the maximum we are willing to hold in memory.
    if (captured > max_snaplen) {
        result.error =
            "captured length " + to_string(captured) + " is above the maximum of " + to_string(max_snaplen);
        return result;
    }
    if (captured > original) {
        result.error = "captured length " + to_string(captured) + " is above the packet's original length " +
                       to_string(original);
        return result;
    }
    if (fraction >= per_second) {
        result.error = "timestamp fraction " + to_string(fraction) + (file.nanosecond ? " ns" : " us") +
                       " is a second or more";
        return result;
    }
    if (bytes.size() - kPcapRecordHeaderSize < captured) {
        result.status = ParseStatus::need_more;
        return result;
    }
    result.status = ParseStatus::complete;
    result.record.seconds = seconds;
    result.record.nanoseconds = file.nanosecond ? fraction : fraction * 1000;
    result.record.original_length = original;
    const auto data = bytes.subspan(kPcapRecordHeaderSize, captured);
    result.record.data.assign(data.begin(), data.end());
    result.consumed = kPcapRecordHeaderSize + captured;
    return result;
    // END SOLUTION
}

}  // namespace netlab::layers
