// This file shows:
//  - RFC 1071's loop: add 16-bit words into a wider accumulator, then fold the carries back
//    into the low 16 bits ("end-around carry"), which is what makes the sum one's-complement;
//  - why building each word from two bytes (high << 8 | low) needs no ntohs: it reads the
//    bytes in network order by construction, on any host;
//  - the odd last byte: it is the HIGH half of a word whose low half is zero.

#include "03_encapsulation/layers/checksum.hpp"

namespace netlab::layers {

std::uint16_t ones_complement_sum(std::span<const std::byte> bytes, std::uint16_t sum) {
    // BEGIN SOLUTION ones_complement_sum
    // A 64-bit total cannot overflow: that would take 2^48 words, far more than any buffer.
    std::uint64_t total = sum;
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        total +=
            (std::to_integer<std::uint64_t>(bytes[i]) << 8) | std::to_integer<std::uint64_t>(bytes[i + 1]);
    }
    if (i < bytes.size()) {
        total += std::to_integer<std::uint64_t>(bytes[i]) << 8;
    }
    while ((total >> 16) != 0) {
        total = (total & 0xffff) + (total >> 16);
    }
    return static_cast<std::uint16_t>(total);
    // END SOLUTION
}

std::uint16_t internet_checksum(std::span<const std::byte> bytes) {
    return static_cast<std::uint16_t>(~ones_complement_sum(bytes));
}

}  // namespace netlab::layers
