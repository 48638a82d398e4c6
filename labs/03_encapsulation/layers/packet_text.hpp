#pragma once
// This file shows:
//  - a decoded packet printed layer by layer, one block per packet, the way `tshark -V` does
//    (in brief): the frame, the link layer, IPv4, TCP or UDP, each checksum's verdict, and a
//    hex + ASCII preview of the payload;
//  - honest checksum verdicts: "[BAD CHECKSUM: got 0x1234, expected 0xabcd]", and
//    "unverified (offloaded)" for the unfinished checksums of a capture taken on the sender.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>

#include "03_encapsulation/layers/parse_result.hpp"
#include "03_encapsulation/layers/pcap_reader.hpp"

namespace netlab::layers {

/// How many payload bytes the preview shows.
inline constexpr std::size_t kPreviewBytes = 64;

/// Writes the hex + ASCII dump of up to max_bytes of bytes, 16 per line, each line indented.
void print_hex_preview(std::ostream& out, std::span<const std::byte> bytes, std::size_t max_bytes,
                       const char* indent);

/// Writes one captured packet (frame number, time, every layer) of a capture with link_type.
/// Returns the decoder's verdict: Problem::none when every layer decoded and every checksum was
/// acceptable (an offloaded one counts as acceptable: a capture is taken on the sending host).
Problem print_packet(std::ostream& out, std::uint64_t number, std::uint32_t link_type,
                     const PcapRecord& record);

}  // namespace netlab::layers
