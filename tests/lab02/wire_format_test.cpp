// Lab 02, the wire format: encode_message and decode_message are pure functions, so these
// tests need no sockets. They check the exact bytes (network byte order), the round trip,
// and that every malformed input is rejected with the right error, without reading past it.

#include <cstring>
#include <string>
#include <vector>

#include "02_datagram/wire_format.hpp"
#include "bytes.hpp"
#include "graded.hpp"
#include "lab02_helpers.hpp"

namespace {

using namespace netlab::datagram;
using netlab::testing::bytes_of;
using netlab::testing::text_of;

std::vector<std::byte> raw(std::initializer_list<int> values) {
    std::vector<std::byte> bytes;
    for (const int value : values) {
        bytes.push_back(static_cast<std::byte>(value));
    }
    return bytes;
}

/// A valid header (request, sequence 7) announcing length bytes, followed by body.
std::vector<std::byte> header_then(int length, std::size_t body) {
    auto bytes = raw({0x4e, 0x4c, 1, 1, 0, 0, 0, 7, (length >> 8) & 0xff, length & 0xff});
    bytes.resize(bytes.size() + body, std::byte{'x'});
    return bytes;
}

std::string describe_result(const DecodeResult& result) {
    return describe(result.error);
}

}  // namespace

GRADED_TEST(Lab02Wire, EncodesTheHeaderInNetworkByteOrder, 4) {
    SCOPED_TRACE("encode a response, sequence 0x01020304, payload \"hi\"");
    const auto bytes = encode_message(Message{MessageType::response, 0x01020304, bytes_of("hi")});
    const auto expected = raw({'N', 'L', 1, 2, 0x01, 0x02, 0x03, 0x04, 0x00, 0x02, 'h', 'i'});
    EXPECT_BYTES_EQ(text_of(expected), text_of(bytes))
        << "layout: magic \"NL\", version 1, type (2 = response), sequence big-endian, length big-endian, "
           "payload";

    SCOPED_TRACE("an empty payload and the largest one: the header, then exactly the payload");
    const auto empty = encode_message(Message{MessageType::request, 0xfffffffe, {}});
    EXPECT_BYTES_EQ(text_of(raw({'N', 'L', 1, 1, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00})), text_of(empty));
    const auto largest =
        encode_message(Message{MessageType::request, 1, std::vector<std::byte>(kMaxPayload)});
    ASSERT_EQ(largest.size(), kHeaderSize + kMaxPayload);
    EXPECT_EQ(std::to_integer<unsigned>(largest[8]) * 256 + std::to_integer<unsigned>(largest[9]),
              kMaxPayload);

    SCOPED_TRACE("a payload over kMaxPayload is the caller's bug: encode_message throws std::length_error");
    EXPECT_THROW(encode_message(Message{MessageType::request, 1, std::vector<std::byte>(kMaxPayload + 1)}),
                 std::length_error);
}

GRADED_TEST(Lab02Wire, RoundTripsEveryPayloadSize, 6) {
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{100}, kMaxPayload}) {
        for (const auto type : {MessageType::request, MessageType::response}) {
            for (const std::uint32_t sequence : {0u, 1u, 0x80000000u, 0xffffffffu}) {
                SCOPED_TRACE("payload of " + std::to_string(size) + " bytes, type " +
                             std::to_string(static_cast<int>(type)) + ", sequence " +
                             std::to_string(sequence));
                const Message message{type, sequence,
                                      bytes_of(netlab::testing::random_bytes(size, sequence))};
                const auto bytes = encode_message(message);
                ASSERT_EQ(bytes.size(), kHeaderSize + size)
                    << "a message is the 10-byte header plus the payload";
                const DecodeResult decoded = decode_message(bytes);
                ASSERT_TRUE(decoded) << "decode_message rejected what encode_message wrote: "
                                     << describe_result(decoded);
                EXPECT_EQ(decoded.message.type, type);
                EXPECT_EQ(decoded.message.sequence, sequence);
                EXPECT_BYTES_EQ(text_of(message.payload), text_of(decoded.message.payload));
            }
        }
    }
}

GRADED_TEST(Lab02Wire, DecodeRejectsShortInput, 4) {
    const auto whole = encode_message(Message{MessageType::request, 42, bytes_of("payload")});
    for (std::size_t size = 0; size < kHeaderSize; ++size) {
        SCOPED_TRACE("only the first " + std::to_string(size) + " bytes of a header");
        // A copy of exactly size bytes, so reading past the end shows up under ASan.
        const std::vector<std::byte> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(size));
        const DecodeResult decoded = decode_message(cut);
        EXPECT_FALSE(decoded) << "a datagram shorter than a header must be rejected";
        EXPECT_EQ(decoded.error, DecodeError::too_short) << "got: " << describe_result(decoded);
    }
    SCOPED_TRACE("a whole header whose payload is cut short");
    const std::vector<std::byte> cut(whole.begin(), whole.end() - 1);
    const DecodeResult decoded = decode_message(cut);
    EXPECT_FALSE(decoded);
    EXPECT_EQ(decoded.error, DecodeError::length_mismatch) << "got: " << describe_result(decoded);
}

GRADED_TEST(Lab02Wire, DecodeRejectsBadMagicVersionAndType, 3) {
    const auto good = encode_message(Message{MessageType::request, 9, bytes_of("ok")});
    struct Case {
        const char* what;
        std::size_t offset;
        int value;
        DecodeError expected;
    };
    for (const Case& c :
         {Case{"magic 'XL'", 0, 'X', DecodeError::bad_magic},
          Case{"magic 'NX'", 1, 'X', DecodeError::bad_magic},
          Case{"version 2", 2, 2, DecodeError::bad_version},
          Case{"version 0", 2, 0, DecodeError::bad_version}, Case{"type 0", 3, 0, DecodeError::bad_type},
          Case{"type 3", 3, 3, DecodeError::bad_type}, Case{"type 0xff", 3, 0xff, DecodeError::bad_type}}) {
        SCOPED_TRACE(std::string("a valid message with ") + c.what);
        auto bad = good;
        bad[c.offset] = static_cast<std::byte>(c.value);
        const DecodeResult decoded = decode_message(bad);
        EXPECT_FALSE(decoded) << "must be rejected";
        EXPECT_EQ(decoded.error, c.expected) << "got: " << describe_result(decoded);
    }
    SCOPED_TRACE("an HTTP request is not one of our messages");
    const DecodeResult decoded = decode_message(bytes_of("GET / HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(decoded.error, DecodeError::bad_magic) << "got: " << describe_result(decoded);
}

GRADED_TEST(Lab02Wire, DecodeRejectsOversizedAndMismatchedLengths, 4) {
    struct Case {
        const char* what;
        int length;
        std::size_t body;
        DecodeError expected;
    };
    const int max = static_cast<int>(kMaxPayload);
    for (const Case& c : {Case{"length 0xffff, no payload", 0xffff, 0, DecodeError::too_long},
                          Case{"length kMaxPayload+1 with that many bytes", max + 1,
                               static_cast<std::size_t>(max + 1), DecodeError::too_long},
                          Case{"length 5, 4 bytes follow", 5, 4, DecodeError::length_mismatch},
                          Case{"length 5, 6 bytes follow", 5, 6, DecodeError::length_mismatch},
                          Case{"length 0, 1 byte follows", 0, 1, DecodeError::length_mismatch}}) {
        SCOPED_TRACE(c.what);
        const DecodeResult decoded = decode_message(header_then(c.length, c.body));
        EXPECT_FALSE(decoded) << "must be rejected";
        EXPECT_EQ(decoded.error, c.expected) << "got: " << describe_result(decoded);
    }
    SCOPED_TRACE("the boundary: length kMaxPayload with that many bytes is valid");
    const DecodeResult decoded = decode_message(header_then(max, kMaxPayload));
    EXPECT_TRUE(decoded) << "got: " << describe_result(decoded);
    EXPECT_EQ(decoded.message.payload.size(), kMaxPayload);
    EXPECT_EQ(decoded.message.sequence, 7u);
}
