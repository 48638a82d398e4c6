// Lab 03 Part A, the foundations: integers read and written in network byte order with bounds
// checks, and the Internet checksum (RFC 1071) checked against the RFC's own example and against
// a checksum computed another way (the sum modulo 0xffff), at every length, odd ones included.

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "03_encapsulation/layers/byte_order.hpp"
#include "03_encapsulation/layers/checksum.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "layers_helpers.hpp"

namespace {

using namespace netlab::layers;
using namespace netlab::testing::layers_test;

GRADED_TEST(Lab03ByteOrder, LoadsAndStoresInNetworkOrder, 1) {
    const auto bytes = from_hex("12 34 56 78 9a");
    {
        SCOPED_TRACE("load_u8/u16/u32 read big-endian (network order) by default, at any (unaligned) offset");
        EXPECT_EQ(load_u8(bytes, 4), 0x9a);
        EXPECT_EQ(load_u16(bytes, 0), 0x1234);
        EXPECT_EQ(load_u16(bytes, 1), 0x3456) << "offset 1 is unaligned: memcpy, never a pointer cast";
        EXPECT_EQ(load_u32(bytes, 1), 0x3456789au);
    }
    {
        SCOPED_TRACE("ByteOrder::little reads the bytes the other way round (pcap files from x86)");
        EXPECT_EQ(load_u16(bytes, 0, ByteOrder::little), 0x3412);
        EXPECT_EQ(load_u32(bytes, 0, ByteOrder::little), 0x78563412u);
    }
    {
        SCOPED_TRACE("store_u16/u32 write big-endian");
        std::vector<std::byte> out(7);
        store_u8(out, 0, 0xab);
        store_u16(out, 1, 0x1234);
        store_u32(out, 3, 0xdeadbeef);
        EXPECT_EQ(to_hex(out), "ab1234deadbeef");
    }
    {
        SCOPED_TRACE("past the end: std::out_of_range, never a read or write outside the buffer");
        const std::vector<std::byte> exact(bytes.begin(), bytes.end());
        EXPECT_THROW((void)load_u8(exact, 5), std::out_of_range);
        EXPECT_THROW((void)load_u16(exact, 4), std::out_of_range);
        EXPECT_THROW((void)load_u32(exact, 2), std::out_of_range);
        EXPECT_THROW((void)load_u32(exact, std::numeric_limits<std::size_t>::max() - 1), std::out_of_range)
            << "offset + 4 wraps around: the check must not overflow";
        std::vector<std::byte> out(3);
        EXPECT_THROW(store_u16(out, 2, 1), std::out_of_range);
        EXPECT_THROW(store_u32(out, 0, 1), std::out_of_range);
        EXPECT_THROW(store_u8(out, 3, 1), std::out_of_range);
        EXPECT_EQ(to_hex(out), "000000") << "a store that does not fit must write nothing";
    }
}

GRADED_TEST(Lab03Checksum, Rfc1071Example, 2) {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to 0x2ddf0, which folds to 0xddf2.
    const auto bytes = from_hex("00 01 f2 03 f4 f5 f6 f7");
    SCOPED_TRACE("RFC 1071's example bytes 00 01 f2 03 f4 f5 f6 f7");
    EXPECT_EQ(hex_field(ones_complement_sum(bytes)), "0xddf2") << "the folded one's-complement sum";
    EXPECT_EQ(hex_field(internet_checksum(bytes)), "0x220d") << "the checksum is the sum's complement";
    SCOPED_TRACE("the same sum in two pieces: the first sum passed on as the start of the second");
    const std::span<const std::byte> all(bytes);
    EXPECT_EQ(hex_field(ones_complement_sum(all.subspan(4), ones_complement_sum(all.first(4)))), "0xddf2");
    SCOPED_TRACE("the RFC's point: byte order does not matter, swapped words give the swapped sum");
    EXPECT_EQ(hex_field(ones_complement_sum(from_hex("01 00 03 f2 f5 f4 f7 f6"))), "0xf2dd");
}

GRADED_TEST(Lab03Checksum, OddLengthsAndCarries, 1) {
    {
        SCOPED_TRACE("an odd last byte is the HIGH byte of a word padded with zero");
        EXPECT_EQ(hex_field(ones_complement_sum(from_hex("01"))), "0x0100");
        EXPECT_EQ(hex_field(ones_complement_sum(from_hex("12 34 56"))), "0x6834");
        EXPECT_EQ(hex_field(internet_checksum(from_hex("12 34 56"))),
                  hex_field(internet_checksum(from_hex("12 34 56 00"))));
    }
    {
        SCOPED_TRACE("carries fold back in (end-around carry)");
        EXPECT_EQ(hex_field(ones_complement_sum(from_hex("80 00 80 00"))), "0x0001");
        EXPECT_EQ(hex_field(ones_complement_sum(from_hex("ff ff ff ff ff ff"))), "0xffff");
        EXPECT_EQ(hex_field(ones_complement_sum(from_hex("ff ff 00 01"))), "0x0001");
        EXPECT_EQ(hex_field(ones_complement_sum(std::vector<std::byte>(65536, std::byte{0xff}))), "0xffff")
            << "a 64 KiB buffer of 0xff: many carries, and the accumulator must not overflow";
        EXPECT_EQ(hex_field(internet_checksum({})), "0xffff")
            << "nothing sums to 0; its complement is 0xffff";
    }
    for (std::size_t size = 0; size <= 300; ++size) {
        SCOPED_TRACE("random bytes of length " + std::to_string(size) + " against the sum modulo 0xffff");
        const auto bytes =
            bytes_of(netlab::testing::random_bytes(size, static_cast<std::uint32_t>(size) + 7));
        ASSERT_EQ(hex_field(internet_checksum(bytes)), hex_field(reference_checksum(bytes)));
    }
}

GRADED_TEST(Lab03Checksum, DataWithItsChecksumSumsToZero, 1) {
    {
        SCOPED_TRACE("a header whose checksum field is right checksums to 0 (how a receiver verifies)");
        // The IPv4 header from Wikipedia's "IPv4 header checksum" article: checksum b861.
        const auto header = from_hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        EXPECT_EQ(hex_field(internet_checksum(header)), "0x0000");
        EXPECT_EQ(hex_field(ones_complement_sum(header)), "0xffff")
            << "it sums to 0xffff, one's-complement -0";
        auto zeroed = header;
        zeroed[10] = zeroed[11] = std::byte{0};
        EXPECT_EQ(hex_field(internet_checksum(zeroed)), "0xb861")
            << "with the field zero, the sum gives the field";
    }
    for (std::size_t size = 2; size <= 64; size += 2) {
        SCOPED_TRACE("random even-length data of " + std::to_string(size) +
                     " bytes with its checksum appended");
        auto bytes = bytes_of(netlab::testing::random_bytes(size, static_cast<std::uint32_t>(size)));
        const std::uint16_t checksum = internet_checksum(bytes);
        bytes.push_back(static_cast<std::byte>(checksum >> 8));
        bytes.push_back(static_cast<std::byte>(checksum & 0xff));
        ASSERT_EQ(hex_field(internet_checksum(bytes)), "0x0000");
    }
}

}  // namespace
