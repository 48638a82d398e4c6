// Fuzz target: decapsulate and the link-layer parsers on arbitrary bytes (lab 03 Part A).
//
// Beyond "no crash, no sanitizer report" (a missed length check would read past the buffer,
// and byte_order's bounds checks turn it into an uncaught std::out_of_range), it checks:
//  - a result is true exactly when it has no problem, and every problem comes with a sentence;
//  - a frame that decodes with correct checksums and no options is rebuilt byte for byte by
//    encapsulate from the decoded fields (what decapsulate reads, encapsulate writes).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "03_encapsulation/layers/encapsulate.hpp"
#include "03_encapsulation/layers/link_layer.hpp"

namespace {

using namespace netlab::layers;

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

void check_invariants(const Decapsulated& result, std::size_t input_size) {
    require(static_cast<bool>(result) == (result.problem == Problem::none));
    require(result.problem == Problem::none ? result.error.empty() : !result.error.empty());
    require(result.payload.size() <= input_size);
    require(!(result.udp && result.tcp));
    if (result) {
        require(result.ipv4 && (result.udp || result.tcp));
        require(result.ipv4_checksum.status == ChecksumStatus::good);
    }
}

void check_round_trip(std::span<const std::byte> frame, const Decapsulated& result) {
    if (!result || !result.ethernet || result.ipv4->header_length != kIpv4MinHeaderSize ||
        result.transport_checksum.status != ChecksumStatus::good) {
        return;
    }
    if (result.tcp && result.tcp->header_length != kTcpMinHeaderSize) {
        return;
    }
    const TransportHeader transport =
        result.udp ? TransportHeader{*result.udp} : TransportHeader{*result.tcp};
    const auto rebuilt = encapsulate(result.payload, *result.ethernet, *result.ipv4, transport);
    const auto original = frame.first(kEthernetHeaderSize + result.ipv4->total_length);
    require(rebuilt.size() == original.size());
    for (std::size_t i = 0; i < rebuilt.size(); ++i) {
        // A checksum field of 0xffff is as good as 0x0000 (one's-complement zero); a rebuild writes 0.
        const bool ipv4_zero = (i == 24 || i == 25) && result.ipv4->checksum == 0xffff;
        const bool tcp_zero = (i == 50 || i == 51) && result.tcp && result.tcp->checksum == 0xffff;
        require(rebuilt[i] == original[i] || ipv4_zero || tcp_zero);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = std::as_bytes(std::span(data, size));
    for (const bool accept_offloaded : {false, true}) {
        const Decapsulated result =
            decapsulate(bytes, DecapsulateOptions{.accept_offloaded = accept_offloaded});
        check_invariants(result, size);
        check_round_trip(bytes, result);
    }
    for (const std::uint32_t link_type :
         {kLinkTypeNull, kLinkTypeEthernet, kLinkTypeLoop, kLinkTypeLinuxSll, kLinkTypeLinuxSll2}) {
        const auto link = parse_link_layer(link_type, bytes);
        require(static_cast<bool>(link) == link.error.empty());
        if (link) {
            require(link.payload.size() <= size);
            check_invariants(decapsulate_ipv4(link.payload), size);
        }
    }
    return 0;
}
