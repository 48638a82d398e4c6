// Lab 09, the frame header codec as pure functions: the three length forms, every prefix of a
// header is "need more", masking, and the rules a receiver enforces before it buffers a payload.

#include <string>
#include <vector>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/protocol/frame.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

namespace ws = netlab::websocket;
using ws::Role;

std::span<const std::byte> bytes_of(const std::string& text) {
    return ws::as_bytes(text);
}

ws::HeaderResult decode(const std::string& bytes, Role role = Role::server, std::uint64_t max = 1ull << 40) {
    return ws::decode_frame_header(bytes_of(bytes), role, max);
}

ws::HeaderResult first_two(std::uint8_t b0, std::uint8_t b1, Role role = Role::server) {
    return ws::decode_first_two_bytes(std::byte{b0}, std::byte{b1}, role);
}

GRADED_TEST(Lab09Frame, FirstTwoBytesDecideTheRules, 2) {
    const ws::HeaderResult text = first_two(0x81, 0x85);
    ASSERT_TRUE(text) << text.error;
    EXPECT_TRUE(text.header.fin);
    EXPECT_EQ(text.header.opcode, ws::Opcode::text);
    EXPECT_TRUE(text.header.masked);
    EXPECT_EQ(text.header.length, 5u);
    EXPECT_EQ(text.header.size, 2u);
    const ws::HeaderResult part = first_two(0x02, 0x7E, Role::client);
    ASSERT_TRUE(part) << part.error;
    EXPECT_FALSE(part.header.fin);
    EXPECT_EQ(part.header.opcode, ws::Opcode::binary);
    EXPECT_FALSE(part.header.masked);
    EXPECT_EQ(part.header.length, 126u) << "126 and 127 announce the longer forms; the caller reads them";
    EXPECT_EQ(first_two(0x80, 0xFF).header.length, 127u);
    EXPECT_TRUE(first_two(0x89, 0xFD)) << "a ping of 125 bytes is fine";
    EXPECT_TRUE(first_two(0x00, 0x80)) << "a continuation frame is fine here: history is the decoder's";

    struct Case {
        const char* what;
        std::uint8_t b0;
        std::uint8_t b1;
        Role role;
    };
    const std::vector<Case> cases = {
        {"RSV1 set", 0xC1, 0x80, Role::server},
        {"RSV2 set", 0xA1, 0x80, Role::server},
        {"reserved data opcode 7", 0x87, 0x80, Role::server},
        {"reserved control opcode 15", 0x8F, 0x80, Role::server},
        {"fragmented close", 0x08, 0x80, Role::server},
        {"pong announcing 126 bytes", 0x8A, 0xFE, Role::server},
        {"unmasked frame to a server", 0x81, 0x05, Role::server},
        {"masked frame to a client", 0x81, 0x85, Role::client},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const ws::HeaderResult r = first_two(c.b0, c.b1, c.role);
        EXPECT_EQ(r.status, ParseStatus::error);
        EXPECT_EQ(r.close_code, ws::close_code::kProtocolError);
        EXPECT_FALSE(r.error.empty());
    }
}

GRADED_TEST(Lab09Frame, DecodesSevenSixteenAndSixtyFourBitLengths, 3) {
    for (const std::uint64_t length : {0ull, 1ull, 125ull, 126ull, 65535ull, 65536ull, 1ull << 32}) {
        SCOPED_TRACE("length " + std::to_string(length));
        const std::string payload(length <= 65536 ? length : 0, 'x');
        std::string frame = client_frame(0x82, payload, true, length);
        const std::size_t header_size = length < 126 ? 6 : length <= 65535 ? 8 : 14;
        for (std::size_t n = 0; n < header_size; ++n) {
            ASSERT_EQ(decode(frame.substr(0, n)).status, ParseStatus::need_more) << "prefix of " << n;
        }
        const ws::HeaderResult r = decode(frame.substr(0, header_size));
        ASSERT_TRUE(r) << r.error;
        EXPECT_EQ(r.header.length, length);
        EXPECT_EQ(r.header.size, header_size);
        EXPECT_EQ(r.header.opcode, ws::Opcode::binary);
        EXPECT_TRUE(r.header.fin);
        EXPECT_TRUE(r.header.masked);
        EXPECT_EQ(r.header.mask[0], std::byte{0x12});
        EXPECT_EQ(r.header.mask[3], std::byte{0x78});
    }
}

GRADED_TEST(Lab09Frame, EncodesTheSmallestFormAndRoundTrips, 2) {
    for (const std::size_t length : {0u, 1u, 125u, 126u, 65535u, 65536u, 70000u}) {
        for (const bool masked : {false, true}) {
            SCOPED_TRACE("length " + std::to_string(length) + (masked ? " masked" : " unmasked"));
            const std::string payload = random_bytes(length);
            std::vector<std::byte> out;
            const std::optional<ws::MaskKey> key =
                masked ? std::optional(ws::MaskKey{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}})
                       : std::nullopt;
            ws::append_frame(out, ws::Opcode::text, false, bytes_of(payload), key);
            const std::size_t expected_header = (length < 126      ? 2u
                                                 : length <= 65535 ? 4u
                                                                   : 10u) +
                                                (masked ? 4u : 0u);
            ASSERT_EQ(out.size(), expected_header + length);
            const ws::HeaderResult r =
                ws::decode_frame_header(out, masked ? Role::server : Role::client, 1u << 20);
            ASSERT_TRUE(r) << r.error;
            EXPECT_FALSE(r.header.fin);
            EXPECT_EQ(r.header.opcode, ws::Opcode::text);
            EXPECT_EQ(r.header.size, expected_header);
            std::span<std::byte> body = std::span(out).subspan(r.header.size);
            if (masked) {
                EXPECT_TRUE(length < 8 || ws::as_text(body) != payload) << "the payload was not masked";
                ws::apply_mask(body, r.header.mask);
            }
            EXPECT_BYTES_EQ(payload, std::string(ws::as_text(body)));
        }
    }
    // Masking in pieces: offset keeps the key's phase.
    std::string text = "abcdefghijklmnopqrstu";
    std::vector<std::byte> whole(ws::as_bytes(text).begin(), ws::as_bytes(text).end());
    std::vector<std::byte> split = whole;
    const ws::MaskKey key{std::byte{9}, std::byte{8}, std::byte{7}, std::byte{6}};
    ws::apply_mask(whole, key);
    ws::apply_mask(std::span(split).first(5), key, 0);
    ws::apply_mask(std::span(split).subspan(5), key, 5);
    EXPECT_EQ(whole, split);
}

GRADED_TEST(Lab09Frame, MaskingRulesDependOnTheRole, 2) {
    const ws::HeaderResult unmasked_to_server = decode(client_frame(0x81, "hi", false), Role::server);
    EXPECT_EQ(unmasked_to_server.status, ParseStatus::error);
    EXPECT_EQ(unmasked_to_server.close_code, ws::close_code::kProtocolError);
    const ws::HeaderResult masked_to_client = decode(client_frame(0x81, "hi", true), Role::client);
    EXPECT_EQ(masked_to_client.status, ParseStatus::error);
    EXPECT_EQ(masked_to_client.close_code, ws::close_code::kProtocolError);
    EXPECT_TRUE(decode(client_frame(0x81, "hi", false), Role::client));
    EXPECT_TRUE(decode(client_frame(0x81, "hi", true), Role::server));
}

GRADED_TEST(Lab09Frame, RejectsReservedBitsOpcodesAndBadControlFrames, 2) {
    struct Case {
        const char* what;
        std::string frame;
    };
    const std::vector<Case> cases = {
        {"RSV1 set", client_frame(0xC1, "x")},
        {"RSV3 set", client_frame(0x91, "x")},
        {"reserved data opcode 3", client_frame(0x83, "x")},
        {"reserved control opcode 11", client_frame(0x8B, "")},
        {"fragmented ping", client_frame(0x09, "x")},
        {"ping of 126 bytes", client_frame(0x89, std::string(126, 'p'))},
        {"close with a 16-bit length",
         client_frame(0x88, std::string(2, '\0'), true, 2).replace(1, 1, "\xFE\x00\x02", 3)},
        {"64-bit length with the top bit", std::string("\x82\xFF\x80\0\0\0\0\0\0\0", 10)},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const ws::HeaderResult r = decode(c.frame);
        EXPECT_EQ(r.status, ParseStatus::error);
        EXPECT_EQ(r.close_code, ws::close_code::kProtocolError);
        EXPECT_FALSE(r.error.empty());
    }
    EXPECT_TRUE(decode(client_frame(0x89, std::string(125, 'p')))) << "125 bytes is the largest legal ping";
}

GRADED_TEST(Lab09Frame, RefusesALengthOverTheMaximumBeforeThePayload, 2) {
    const ws::HeaderResult r =
        decode(client_frame(0x82, "", true, 60'001).substr(0, 4), Role::server, 60'000);
    EXPECT_EQ(r.status, ParseStatus::error) << "the 16/64-bit length alone must decide";
    EXPECT_EQ(r.close_code, ws::close_code::kMessageTooBig);
    EXPECT_TRUE(decode(client_frame(0x82, "", true, 60'000).substr(0, 8), Role::server, 60'000));
    const ws::HeaderResult big =
        decode(client_frame(0x82, "", true, 1'000'001).substr(0, 10), Role::server, 1'000'000);
    EXPECT_EQ(big.close_code, ws::close_code::kMessageTooBig) << "64-bit form: decided after 10 bytes";
    EXPECT_EQ(
        decode(std::string("\x82\xFF\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 10), Role::server, 1 << 20).close_code,
        ws::close_code::kMessageTooBig);
}

}  // namespace
}  // namespace netlab::testing::lab09
