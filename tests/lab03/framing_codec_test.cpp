// Lab 03 Part B, the pure frame codec: encode_frame's exact bytes, and decode_frame on every
// prefix of its input, with payload lengths 0, 1, max and max+1. No sockets, no allocation.

#include <arpa/inet.h>

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "03_encapsulation/framing/frame_codec.hpp"
#include "bytes.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

constexpr std::size_t kMax = 3000;

/// A 4-byte big-endian length prefix announcing length bytes (which need not follow).
std::string prefix_of(std::size_t length) {
    const std::uint32_t big_endian = htonl(static_cast<std::uint32_t>(length));
    return std::string(reinterpret_cast<const char*>(&big_endian), sizeof big_endian);
}

/// One frame, built by the test itself (so decoder tests do not depend on the encoder).
std::string frame_of(const std::string& payload) {
    return prefix_of(payload.size()) + payload;
}

/// One frame from the learner's encoder.
std::string encoded(const std::string& payload) {
    return text_of(core::encode_frame(bytes_of(payload), kMax));
}

const char* status_name(ParseStatus status) {
    switch (status) {
        case ParseStatus::complete:
            return "frame";
        case ParseStatus::need_more:
            return "need_more";
        case ParseStatus::error:
            return "error";
    }
    return "?";
}

GRADED_TEST(Lab03Framing, EncoderWritesBigEndianLengthThenPayload, 2) {
    {
        SCOPED_TRACE("encode_frame(\"hi\") is 00 00 00 02 'h' 'i'");
        EXPECT_BYTES_EQ(std::string("\0\0\0\2hi", 6), encoded("hi"));
    }
    {
        SCOPED_TRACE("an empty payload is a frame of just its prefix, 00 00 00 00");
        EXPECT_BYTES_EQ(std::string(4, '\0'), encoded(""));
    }
    {
        SCOPED_TRACE("encode_frame_prefix(0x01020304) is 01 02 03 04: most significant byte first");
        const auto prefix = core::encode_frame_prefix(0x01020304, core::kLargestEncodableFrame);
        EXPECT_BYTES_EQ(std::string("\1\2\3\4", 4), text_of(prefix));
    }
    {
        SCOPED_TRACE("append_frame keeps what was already in the buffer");
        std::vector<std::byte> out = byte_vector("xy");
        core::append_frame(out, bytes_of("abc"), kMax);
        core::append_frame(out, bytes_of(""), kMax);
        EXPECT_BYTES_EQ(std::string("xy\0\0\0\3abc\0\0\0\0", 13), text_of(out));
    }
    {
        SCOPED_TRACE(
            "20000 appends of 1-byte frames to one buffer reallocate it a few dozen times, not once each");
        std::vector<std::byte> out;
        const std::byte* storage = out.data();
        int reallocations = 0;
        for (int i = 0; i < 20000; ++i) {
            core::append_frame(out, bytes_of("x"), kMax);
            reallocations += out.data() != storage ? 1 : 0;
            storage = out.data();
        }
        EXPECT_EQ(out.size(), 20000u * 5);
        EXPECT_LE(reallocations, 64) << "growing by exactly what each frame needs copies the whole buffer "
                                        "every time: n appends cost O(n^2)";
    }
    {
        SCOPED_TRACE("a payload of exactly max bytes is encoded; max + 1 throws std::length_error");
        const std::string largest(kMax, 'm');
        EXPECT_EQ(encoded(largest).size(), kMax + 4);
        EXPECT_THROW(core::encode_frame(bytes_of(largest + "!"), kMax), std::length_error);
        EXPECT_THROW((void)core::encode_frame_prefix(kMax + 1, kMax), std::length_error);
        EXPECT_THROW(
            (void)core::encode_frame_prefix(std::size_t{1} << 32, std::numeric_limits<std::size_t>::max()),
            std::length_error)
            << "2^32 bytes do not fit a 32-bit length, whatever the maximum";
    }
}

GRADED_TEST(Lab03Framing, DecodeFrameOnEveryPrefixOfItsInput, 3) {
    for (const std::size_t length : {std::size_t{0}, std::size_t{1}, kMax}) {
        const std::string payload = random_bytes(length, static_cast<std::uint32_t>(length));
        const std::string frame = frame_of(payload);
        const auto bytes = bytes_of(frame);
        for (std::size_t cut = 0; cut < frame.size(); ++cut) {
            SCOPED_TRACE("payload of " + std::to_string(length) + " bytes, only the first " +
                         std::to_string(cut) + " bytes of its frame");
            const core::FrameResult result = core::decode_frame(bytes.first(cut), kMax);
            ASSERT_EQ(result.status, ParseStatus::need_more) << "got " << status_name(result.status);
            EXPECT_FALSE(result);
            EXPECT_EQ(result.consumed, 0u);
            if (cut >= 4) {
                ASSERT_EQ(result.length, length) << "the announced length is known once the prefix is here";
            }
        }
        SCOPED_TRACE("payload of " + std::to_string(length) + " bytes, the whole frame");
        const core::FrameResult result = core::decode_frame(bytes, kMax);
        ASSERT_EQ(result.status, ParseStatus::complete) << "got " << status_name(result.status);
        EXPECT_TRUE(result);
        EXPECT_EQ(result.consumed, length + 4);
        EXPECT_EQ(result.length, length);
        EXPECT_EQ(result.payload.data(), bytes.data() + 4)
            << "the payload must be a view into the input, not a copy";
        EXPECT_BYTES_EQ(payload, text_of(result.payload));
    }
    {
        SCOPED_TRACE(
            "max + 1: error as soon as the 4 prefix bytes are here, without waiting for the payload");
        const std::string too_long = prefix_of(kMax + 1) + "only a few bytes follow";
        const auto bytes = bytes_of(too_long);
        for (std::size_t cut = 0; cut < 4; ++cut) {
            EXPECT_EQ(core::decode_frame(bytes.first(cut), kMax).status, ParseStatus::need_more)
                << cut << " bytes";
        }
        for (std::size_t cut = 4; cut <= too_long.size(); ++cut) {
            const core::FrameResult result = core::decode_frame(bytes.first(cut), kMax);
            ASSERT_EQ(result.status, ParseStatus::error)
                << cut << " bytes: got " << status_name(result.status);
            EXPECT_EQ(result.length, kMax + 1);
            EXPECT_EQ(result.consumed, 0u);
            EXPECT_TRUE(result.payload.empty());
        }
    }
    {
        SCOPED_TRACE(
            "the largest prefix, ff ff ff ff: error under the default maximum, need_more with no limit");
        const std::string huge = prefix_of(0xffffffff) + "x";
        EXPECT_EQ(core::decode_frame(bytes_of(huge)).status, ParseStatus::error);
        const auto unlimited = core::decode_frame(bytes_of(huge), std::numeric_limits<std::size_t>::max());
        EXPECT_EQ(unlimited.status, ParseStatus::need_more) << "4 + length must not overflow";
        EXPECT_EQ(unlimited.length, 0xffffffffu);
    }
    {
        SCOPED_TRACE("max 0 allows only empty frames");
        EXPECT_EQ(core::decode_frame(bytes_of(prefix_of(0)), 0).status, ParseStatus::complete);
        EXPECT_EQ(core::decode_frame(bytes_of(prefix_of(1) + "a"), 0).status, ParseStatus::error);
    }
}

GRADED_TEST(Lab03Framing, DecodeSeveralFramesFromOneBuffer, 1) {
    const std::vector<std::string> payloads = {"", "a", std::string(kMax, 'z'), "hello", ""};
    std::string stream;
    for (const auto& payload : payloads) {
        stream += frame_of(payload);
    }
    stream += prefix_of(10) + "part";  // the start of one more frame
    std::span<const std::byte> rest = bytes_of(stream);
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        SCOPED_TRACE("frame " + std::to_string(i) + " of " + std::to_string(payloads.size()));
        const core::FrameResult result = core::decode_frame(rest, kMax);
        ASSERT_TRUE(result) << "got " << status_name(result.status);
        EXPECT_BYTES_EQ(payloads[i], text_of(result.payload));
        rest = rest.subspan(result.consumed);
    }
    SCOPED_TRACE("then the start of a frame: need_more");
    EXPECT_EQ(core::decode_frame(rest, kMax).status, ParseStatus::need_more);
    EXPECT_EQ(rest.size(), 8u);
}

}  // namespace
}  // namespace netlab::testing
