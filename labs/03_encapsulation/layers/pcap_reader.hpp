#pragma once
// This file shows:
//  - the classic pcap file format (what tcpdump -w writes): a 24-byte file header, then one
//    16-byte record header per packet followed by the captured bytes;
//
//     file header:   magic(4) | major(2) | minor(2) | reserved(4) | reserved(4) | snaplen(4) | link type(4)
//     record header: seconds(4) | microseconds or nanoseconds(4) | captured length(4) | original length(4)
//
//  - a file format in the WRITER's byte order, not network order: the magic number tells which
//    (a1 b2 c3 d4 read back as d4 c3 b2 a1 means "swap"), and whether times are in µs or ns;
//  - an incremental, pure parser (bytes in; record + bytes consumed, need more, or error), so
//    the same code reads a file, a pipe, or bytes arriving in any pieces;
//  - a peer-supplied length checked against a maximum BEFORE waiting for that many bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "03_encapsulation/layers/byte_order.hpp"
#include "common/parse_status.hpp"

namespace netlab::layers {

/// Bytes in a pcap file header.
inline constexpr std::size_t kPcapFileHeaderSize = 24;
/// Bytes in a pcap record header.
inline constexpr std::size_t kPcapRecordHeaderSize = 16;
/// The largest captured length accepted by default: libpcap's own maximum snapshot length.
inline constexpr std::uint32_t kPcapMaxSnaplen = 262144;

/// The fields of a pcap file header.
struct PcapFileHeader {
    ByteOrder byte_order = ByteOrder::little;  ///< the writer's byte order, from the magic number
    bool nanosecond = false;          ///< timestamps in ns (magic a1b23c4d) rather than µs (a1b2c3d4)
    std::uint16_t version_major = 2;  ///< always 2
    std::uint16_t version_minor = 4;  ///< 4 in every current writer
    std::uint32_t snaplen = 0;        ///< the capture's snapshot length (tcpdump -s 0: 262144)
    std::uint32_t link_type = 0;      ///< LINKTYPE_* of every packet (link_layer.hpp), FCS bits removed
};

/// What parse_pcap_header returns.
struct PcapHeaderResult {
    ParseStatus status = ParseStatus::error;  ///< complete (consumed says how many bytes), need_more or error
    PcapFileHeader header;                    ///< meaningful when complete
    std::size_t consumed = 0;                 ///< kPcapFileHeaderSize when complete, else 0
    std::string error;                        ///< why, when status is error

    /// True when the header parsed.
    explicit operator bool() const noexcept { return status == ParseStatus::complete; }
};

/// One captured packet.
struct PcapRecord {
    std::uint32_t seconds = 0;          ///< timestamp: seconds since 1970-01-01 UTC
    std::uint32_t nanoseconds = 0;      ///< and the fraction, in ns whatever the file's resolution
    std::uint32_t original_length = 0;  ///< the packet's length on the wire
    std::vector<std::byte> data;        ///< the captured bytes (the first data.size() of them)
};

/// What parse_pcap_record returns.
struct PcapRecordResult {
    ParseStatus status = ParseStatus::error;  ///< complete (consumed says how many bytes), need_more or error
    PcapRecord record;                        ///< meaningful when complete
    std::size_t consumed = 0;                 ///< 16 + captured length when complete, else 0
    std::string error;                        ///< why, when status is error

    /// True when a record parsed.
    explicit operator bool() const noexcept { return status == ParseStatus::complete; }
};

/// Parses the file header at the start of bytes. need_more below 24 bytes; error for a magic
/// number that is not classic pcap (pcapng is named as such) or a major version other than 2.
PcapHeaderResult parse_pcap_header(std::span<const std::byte> bytes);

/// Parses the record at the start of bytes (what follows the file header or the previous
/// record), in file's byte order and time resolution. need_more while the record is incomplete;
/// error when its lengths are impossible: a captured length above max_snaplen (checked as soon
/// as the record header is there, before waiting for the data) or above the original length,
/// or a fraction of a second that is a second or more.
PcapRecordResult parse_pcap_record(const PcapFileHeader& file, std::span<const std::byte> bytes,
                                   std::uint32_t max_snaplen = kPcapMaxSnaplen);

}  // namespace netlab::layers
