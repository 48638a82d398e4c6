// Lab 09, the message decoder and UTF-8 as pure functions: fragments reassembled at every read
// size, control frames between fragments, the history rules, the size limit across fragments,
// UTF-8 split anywhere, and the Close payload's rules - each violation with its close code.

#include <string>
#include <vector>

#include "09_websocket/protocol/close_code.hpp"
#include "09_websocket/protocol/message_decoder.hpp"
#include "09_websocket/protocol/utf8.hpp"
#include "graded.hpp"
#include "lab09_helpers.hpp"

namespace netlab::testing::lab09 {
namespace {

namespace ws = netlab::websocket;
using ws::EventKind;

/// What one event looked like, copied out of the decoder's buffer.
struct Seen {
    EventKind kind;
    std::string payload;
    int code;
};

/// Feeds stream in reads of `step` bytes, collecting every event until need_more after the last read.
std::vector<Seen> decode_all(const std::string& stream, std::size_t step, std::size_t max_message = 1 << 20) {
    ws::MessageDecoder decoder(ws::Role::server, max_message);
    std::vector<Seen> seen;
    for (std::size_t at = 0; at < stream.size(); at += step) {
        decoder.feed(ws::as_bytes(std::string_view(stream).substr(at, step)));
        for (;;) {
            const ws::Event event = decoder.next();
            if (event.kind == EventKind::need_more)
                break;
            seen.push_back({event.kind, std::string(ws::as_text(event.payload)), event.code});
            if (event.kind == EventKind::error || event.kind == EventKind::close)
                return seen;
        }
    }
    return seen;
}

/// The close code of the error the stream ends in, or -1.
int error_code(const std::string& stream, std::size_t max_message = 1 << 20) {
    const std::vector<Seen> seen = decode_all(stream, stream.size() + 1, max_message);
    return !seen.empty() && seen.back().kind == EventKind::error ? seen.back().code : -1;
}

GRADED_TEST(Lab09Decoder, NextWaitsForWholeFramesAndKeepsItsError, 2) {
    {
        SCOPED_TRACE("a frame is decoded only when all of it is there");
        ws::MessageDecoder decoder(ws::Role::server, 1000);
        EXPECT_EQ(decoder.next().kind, EventKind::need_more) << "nothing received";
        const std::string frame = client_frame(0x81, "hello");
        decoder.feed(ws::as_bytes(std::string_view(frame).substr(0, frame.size() - 1)));
        EXPECT_EQ(decoder.next().kind, EventKind::need_more) << "the last payload byte is missing";
        EXPECT_EQ(decoder.buffered(), frame.size() - 1) << "nothing is consumed while waiting";
        EXPECT_FALSE(decoder.failed());
    }
    {
        SCOPED_TRACE("a header error becomes the decoder's error, and stays");
        ws::MessageDecoder decoder(ws::Role::server, 1000);
        decoder.feed(ws::as_bytes(client_frame(0x81, "hi", false)));
        const ws::Event first = decoder.next();
        EXPECT_EQ(first.kind, EventKind::error);
        EXPECT_EQ(first.code, ws::close_code::kProtocolError);
        EXPECT_FALSE(first.error.empty());
        EXPECT_TRUE(decoder.failed());
        decoder.feed(ws::as_bytes(client_frame(0x81, "fine")));
        const ws::Event again = decoder.next();
        EXPECT_EQ(again.kind, EventKind::error) << "later bytes do not clear an error";
        EXPECT_EQ(again.code, first.code);
        EXPECT_EQ(again.error, first.error);
    }
    {
        SCOPED_TRACE("the length is checked against max_message before the payload arrives");
        ws::MessageDecoder decoder(ws::Role::server, 1000);
        decoder.feed(ws::as_bytes(client_frame(0x82, "", true, 1001).substr(0, 4)));
        const ws::Event big = decoder.next();
        EXPECT_EQ(big.kind, EventKind::error);
        EXPECT_EQ(big.code, ws::close_code::kMessageTooBig);
    }
    {
        SCOPED_TRACE("a client's decoder refuses a masked frame");
        ws::MessageDecoder decoder(ws::Role::client, 1000);
        decoder.feed(ws::as_bytes(client_frame(0x81, "hi", true)));
        EXPECT_EQ(decoder.next().code, ws::close_code::kProtocolError);
    }
}

GRADED_TEST(Lab09Decoder, ReassemblesFragmentsAtEveryReadSize, 2) {
    for (const std::size_t step : {1u, 2u, 3u, 5u, 7u, 13u, 64u, 125u, 126u, 1000u, 4096u, 1u << 20}) {
        SCOPED_TRACE("reads of " + std::to_string(step) + " bytes");
        const std::string stream = client_frame(0x02, "ab") + client_frame(0x00, "") +
                                   client_frame(0x80, "cd") + client_frame(0x81, std::string(300, 'z'));
        const std::vector<Seen> seen = decode_all(stream, step);
        ASSERT_EQ(seen.size(), 2u);
        EXPECT_EQ(seen[0].kind, EventKind::binary);
        EXPECT_EQ(seen[0].payload, "abcd");
        EXPECT_EQ(seen[1].payload, std::string(300, 'z'));
    }
    const std::string big = random_bytes(70000);
    const std::string stream = client_frame(0x01, "Hel") + client_frame(0x00, "lo, ") +
                               client_frame(0x80, "world") + client_frame(0x82, big) +
                               client_frame(0x81, "") + client_frame(0x89, "ping!") +
                               client_frame(0x88, std::string("\x03\xE8"
                                                              "bye",
                                                              5));
    for (const std::size_t step : {1u, 3u, 4096u, 1u << 20}) {
        SCOPED_TRACE("mixed stream, reads of " + std::to_string(step) + " bytes");
        const std::vector<Seen> seen = decode_all(stream, step);
        ASSERT_EQ(seen.size(), 5u);
        EXPECT_EQ(seen[0].kind, EventKind::text);
        EXPECT_EQ(seen[0].payload, "Hello, world");
        EXPECT_EQ(seen[1].kind, EventKind::binary);
        EXPECT_BYTES_EQ(big, seen[1].payload);
        EXPECT_EQ(seen[2].kind, EventKind::text);
        EXPECT_EQ(seen[2].payload, "");
        EXPECT_EQ(seen[3].kind, EventKind::ping);
        EXPECT_EQ(seen[3].payload, "ping!");
        EXPECT_EQ(seen[4].kind, EventKind::close);
        EXPECT_EQ(seen[4].code, 1000);
        EXPECT_EQ(seen[4].payload, "bye");
    }
}

GRADED_TEST(Lab09Decoder, ControlFramesBetweenFragmentsComeOutFirst, 2) {
    const std::string stream = client_frame(0x01, "one ") + client_frame(0x89, "p1") +
                               client_frame(0x00, "two ") + client_frame(0x8A, "unsolicited pong") +
                               client_frame(0x80, "three");
    for (const std::size_t step : {1u, 5u, 4096u}) {
        SCOPED_TRACE("reads of " + std::to_string(step));
        const std::vector<Seen> seen = decode_all(stream, step);
        ASSERT_EQ(seen.size(), 3u);
        EXPECT_EQ(seen[0].kind, EventKind::ping);
        EXPECT_EQ(seen[0].payload, "p1");
        EXPECT_EQ(seen[1].kind, EventKind::pong);
        EXPECT_EQ(seen[2].kind, EventKind::text);
        EXPECT_EQ(seen[2].payload, "one two three");
    }
}

GRADED_TEST(Lab09Decoder, FragmentationOutOfOrderIsAProtocolError, 2) {
    EXPECT_EQ(error_code(client_frame(0x80, "orphan")), 1002) << "continuation without a message";
    EXPECT_EQ(error_code(client_frame(0x01, "a") + client_frame(0x81, "b")), 1002)
        << "new message inside one";
    EXPECT_EQ(error_code(client_frame(0x81, "hi", false)), 1002) << "unmasked";
    const std::vector<Seen> after_error = decode_all(client_frame(0x83, "") + client_frame(0x81, "ok"), 1);
    ASSERT_FALSE(after_error.empty());
    EXPECT_EQ(after_error.back().kind, EventKind::error) << "an error is sticky: nothing is decoded after it";
}

GRADED_TEST(Lab09Decoder, MessageSizeLimitCountsEveryFragment, 2) {
    EXPECT_EQ(error_code(client_frame(0x82, std::string(1001, 'x')), 1000), 1009);
    EXPECT_EQ(
        error_code(client_frame(0x02, std::string(600, 'x')) + client_frame(0x80, std::string(401, 'y')),
                   1000),
        1009);
    const std::vector<Seen> fits = decode_all(
        client_frame(0x02, std::string(600, 'x')) + client_frame(0x80, std::string(400, 'y')), 97, 1000);
    ASSERT_EQ(fits.size(), 1u);
    EXPECT_EQ(fits[0].payload.size(), 1000u);
    // The header alone decides: 10 bytes claiming 1 MiB + 1 are refused before any payload arrives.
    EXPECT_EQ(error_code(client_frame(0x82, "", true, (1 << 20) + 1).substr(0, 10)), 1009);
}

GRADED_TEST(Lab09Decoder, InvalidUtf8IsRefusedWith1007EvenAcrossFragments, 2) {
    EXPECT_EQ(error_code(client_frame(0x81, "\xC0\xAF")), 1007) << "overlong '/'";
    EXPECT_EQ(error_code(client_frame(0x81, "caf\xC3")), 1007) << "ends inside a character";
    const std::string euro = "\xE2\x82\xAC";  // U+20AC split over three fragments: valid
    const std::vector<Seen> ok =
        decode_all(client_frame(0x01, euro.substr(0, 1)) + client_frame(0x00, euro.substr(1, 1)) +
                       client_frame(0x80, euro.substr(2)),
                   1);
    ASSERT_EQ(ok.size(), 1u);
    EXPECT_EQ(ok[0].payload, euro);
    // Fail fast: the bad byte is in the first fragment; the message never finishes.
    EXPECT_EQ(error_code(client_frame(0x01, "ok \xFF")), 1007);
    EXPECT_EQ(error_code(client_frame(0x82, "\xFF\xFE")), -1) << "binary is not UTF-8 checked";
}

GRADED_TEST(Lab09Decoder, ClosePayloadRules, 1) {
    const std::vector<Seen> empty = decode_all(client_frame(0x88, ""), 100);
    ASSERT_EQ(empty.size(), 1u);
    EXPECT_EQ(empty[0].code, 1005) << "no code in the frame reads as 1005";
    EXPECT_EQ(error_code(client_frame(0x88, "\x03")), 1002) << "a 1-byte close payload";
    EXPECT_EQ(error_code(client_frame(0x88, std::string("\x03\xED", 2))), 1002) << "1005 may not be sent";
    EXPECT_EQ(error_code(client_frame(0x88, std::string("\x03\xE7", 2))), 1002) << "999 is not a code";
    EXPECT_EQ(error_code(client_frame(0x88, std::string("\x03\xE8\xFF", 3))), 1007)
        << "the reason must be UTF-8";
    const std::vector<Seen> app = decode_all(client_frame(0x88, std::string("\x0F\xA1", 2)), 100);
    ASSERT_EQ(app.size(), 1u);
    EXPECT_EQ(app[0].code, 4001);
}

GRADED_TEST(Lab09Utf8, AcceptsValidAndRefusesInvalidSequences, 3) {
    const std::vector<std::string> valid = {"",
                                            "plain ASCII",
                                            "\xC2\x80",
                                            "h\xC3\xA9llo",
                                            "\xE4\xBD\xA0\xE5\xA5\xBD",
                                            "\xED\x9F\xBF",
                                            "\xEE\x80\x80",
                                            "\xF0\x90\x80\x80",
                                            "\xF4\x8F\xBF\xBF"};
    const std::vector<std::string> invalid = {"\x80",
                                              "\xBF",
                                              "\xC0\x80",
                                              "\xC1\xBF",
                                              "\xE0\x80\x80",
                                              "\xE0\x9F\xBF",
                                              "\xED\xA0\x80",
                                              "\xED\xBF\xBF",
                                              "\xF0\x80\x80\x80",
                                              "\xF4\x90\x80\x80",
                                              "\xF5\x80\x80\x80",
                                              "\xFF",
                                              "\xC3",
                                              "\xE2\x82",
                                              "a\xC3(b"};
    for (const std::string& text : valid) {
        EXPECT_TRUE(ws::is_valid_utf8(ws::as_bytes(text))) << describe_difference("", text);
        ws::Utf8Validator piecewise;  // byte by byte gives the same verdict
        for (const char c : text)
            EXPECT_TRUE(piecewise.feed(ws::as_bytes(std::string_view(&c, 1))));
        EXPECT_TRUE(piecewise.complete());
    }
    for (const std::string& text : invalid) {
        EXPECT_FALSE(ws::is_valid_utf8(ws::as_bytes(text))) << describe_difference("", text);
    }
    ws::Utf8Validator partial;
    EXPECT_TRUE(partial.feed(ws::as_bytes("\xF0\x9F")));
    EXPECT_TRUE(partial.valid());
    EXPECT_FALSE(partial.complete()) << "half of an emoji is not complete";
    EXPECT_TRUE(partial.feed(ws::as_bytes("\x98\x80")));
    EXPECT_TRUE(partial.complete());
}

}  // namespace
}  // namespace netlab::testing::lab09
