// Fuzz target: the pcap file parser and the packet printer on arbitrary bytes (lab 03 Part A).
//
// The input is a whole file. It is parsed as pcap_decode would (header, then records until
// the bytes run out), and every record is printed into a string stream. Beyond "no crash",
// it checks the incremental contract on each record: fed only a prefix of the record, the
// parser says "need more" (and consumes nothing); fed the record, it consumes exactly it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <sstream>

#include "03_encapsulation/layers/packet_text.hpp"
#include "03_encapsulation/layers/pcap_reader.hpp"

namespace {

using namespace netlab::layers;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = std::as_bytes(std::span(data, size));
    const PcapHeaderResult header = parse_pcap_header(bytes);
    require(header.status != netlab::ParseStatus::complete || header.consumed == kPcapFileHeaderSize);
    require(header.status != netlab::ParseStatus::error || !header.error.empty());
    if (!header) {
        return 0;
    }
    // A small maximum now and then, so the snaplen check is exercised on small inputs too.
    const std::uint32_t max_snaplen = (header.header.snaplen & 1) != 0 ? 1500 : kPcapMaxSnaplen;
    std::ostringstream out;
    std::size_t at = header.consumed;
    for (std::uint64_t number = 1;; ++number) {
        const auto rest = bytes.subspan(at);
        const PcapRecordResult record = parse_pcap_record(header.header, rest, max_snaplen);
        if (record.status != netlab::ParseStatus::complete) {
            require(record.consumed == 0);
            require(record.status != netlab::ParseStatus::error || !record.error.empty());
            break;
        }
        require(record.consumed == kPcapRecordHeaderSize + record.record.data.size());
        require(record.consumed <= rest.size());
        require(record.record.data.size() <= max_snaplen);
        require(record.record.data.size() <= record.record.original_length);
        require(record.record.nanoseconds < 1'000'000'000);
        const std::size_t prefix = record.consumed / 2;
        const PcapRecordResult part = parse_pcap_record(header.header, rest.first(prefix), max_snaplen);
        require(part.status == netlab::ParseStatus::need_more && part.consumed == 0);
        print_packet(out, number, header.header.link_type, record.record);
        at += record.consumed;
    }
    return 0;
}
