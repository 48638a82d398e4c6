// Lab 03 Part B, the chat messages. The encoder alone: the exact wire layout of the header's
// diagram and what it refuses to send. Then the decoder: round trips of every type, and every way
// a peer's bytes can be wrong (truncated at every length, oversized fields, unknown types,
// trailing bytes). Then a conversation over frames.

#include <arpa/inet.h>

#include <cstdint>
#include <stdexcept>

#include "03_encapsulation/framing/chat_message.hpp"
#include "03_encapsulation/framing/frame_decoder.hpp"
#include "bytes.hpp"
#include "core_helpers.hpp"
#include "graded.hpp"

namespace netlab::testing {
namespace {

using core::ChatMessage;
using core::ChatType;

std::string encoded(const ChatMessage& message) {
    return text_of(core::encode_chat(message));
}

std::string describe(const ChatMessage& message) {
    return std::string(core::name_of(message.type)) + " name(" + std::to_string(message.name.size()) +
           " B) text(" + std::to_string(message.text.size()) + " B)";
}

/// Messages of every type, with empty, UTF-8, binary and largest fields.
std::vector<ChatMessage> samples() {
    return {
        {ChatType::join, "alice", ""},
        {ChatType::say, "alice", "hello, world"},
        {ChatType::say, "", "a client's say may leave the name empty"},
        {ChatType::say, "张三", "你好，世界 (UTF-8 is just bytes)"},
        {ChatType::say, std::string("nul\0byte", 8), std::string("\0\xff\x01\n", 4)},
        {ChatType::leave, "bob", ""},
        {ChatType::error, "", "name already taken"},
        {ChatType::say, std::string(core::kMaxChatName, 'n'), std::string(core::kMaxChatText, 't')},
        {ChatType::join, "", ""},
    };
}

GRADED_TEST(Lab03Chat, WireLayoutIsTheDocumentedOne, 2) {
    {
        SCOPED_TRACE("say from bob \"hi\": 02 | 03 'bob' | 00 02 'hi'");
        EXPECT_BYTES_EQ(std::string("\x02\x03"
                                    "bob"
                                    "\x00\x02"
                                    "hi",
                                    9),
                        encoded({ChatType::say, "bob", "hi"}));
    }
    {
        SCOPED_TRACE("the text length is big-endian: 258 bytes of text is 01 02");
        const std::string bytes = encoded({ChatType::error, "", std::string(258, 'e')});
        EXPECT_BYTES_EQ(std::string("\x04\x00\x01\x02", 4), bytes.substr(0, 4));
    }
    {
        SCOPED_TRACE("type bytes: join 1, say 2, leave 3, error 4");
        EXPECT_EQ(encoded({ChatType::join, "", ""})[0], 1);
        EXPECT_EQ(encoded({ChatType::say, "", ""})[0], 2);
        EXPECT_EQ(encoded({ChatType::leave, "", ""})[0], 3);
        EXPECT_EQ(encoded({ChatType::error, "", ""})[0], 4);
    }
}

GRADED_TEST(Lab03Chat, EncoderRefusesWhatItCannotSend, 1) {
    {
        SCOPED_TRACE("a field over its limit is the sender's bug: std::length_error");
        EXPECT_THROW(core::encode_chat({ChatType::say, std::string(core::kMaxChatName + 1, 'n'), "hi"}),
                     std::length_error);
        EXPECT_THROW(core::encode_chat({ChatType::say, "bob", std::string(core::kMaxChatText + 1, 't')}),
                     std::length_error);
        EXPECT_THROW(core::encode_chat({ChatType::say, std::string(300, 'n'), ""}), std::length_error)
            << "300 would wrap around in the one-byte length";
    }
    {
        SCOPED_TRACE("a type outside the enum: std::invalid_argument");
        EXPECT_THROW(core::encode_chat({static_cast<ChatType>(9), "bob", "hi"}), std::invalid_argument);
        EXPECT_THROW(core::encode_chat({static_cast<ChatType>(0), "", ""}), std::invalid_argument);
    }
    SCOPED_TRACE("fields exactly at their limits are fine");
    EXPECT_EQ(core::encode_chat(
                  {ChatType::say, std::string(core::kMaxChatName, 'n'), std::string(core::kMaxChatText, 't')})
                  .size(),
              core::kChatHeaderSize + core::kMaxChatName + core::kMaxChatText);
}

GRADED_TEST(Lab03Chat, RoundTripsEveryType, 2) {
    {
        SCOPED_TRACE("hand-made bytes 01 | 05 'alice' | 00 00 decode as join from alice");
        const core::ChatDecodeResult decoded =
            core::decode_chat(bytes_of(std::string("\x01\x05"
                                                   "alice"
                                                   "\x00\x00",
                                                   9)));
        ASSERT_TRUE(decoded) << decoded.error;
        EXPECT_EQ(decoded.message, (ChatMessage{ChatType::join, "alice", ""}));
    }
    for (const ChatMessage& message : samples()) {
        SCOPED_TRACE(describe(message));
        const std::vector<std::byte> bytes = core::encode_chat(message);
        EXPECT_EQ(bytes.size(), core::kChatHeaderSize + message.name.size() + message.text.size());
        const core::ChatDecodeResult decoded = core::decode_chat(bytes);
        ASSERT_TRUE(decoded) << "decode_chat said: " << decoded.error;
        EXPECT_EQ(decoded.message.type, message.type);
        EXPECT_BYTES_EQ(message.name, decoded.message.name);
        EXPECT_BYTES_EQ(message.text, decoded.message.text);
    }
}

GRADED_TEST(Lab03Chat, RejectsTruncationAtEveryLength, 2) {
    for (const ChatMessage& message : samples()) {
        const std::string bytes = encoded(message);
        for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
            SCOPED_TRACE(describe(message) + ": only the first " + std::to_string(cut) + " of " +
                         std::to_string(bytes.size()) + " bytes");
            const core::ChatDecodeResult decoded = core::decode_chat(bytes_of(bytes).first(cut));
            ASSERT_FALSE(decoded) << "a truncated message was accepted";
            ASSERT_FALSE(decoded.error.empty()) << "the error must say what was wrong";
        }
    }
}

GRADED_TEST(Lab03Chat, RejectsOversizedFields, 2) {
    {
        SCOPED_TRACE("decode: a name length of 33 (over 32), with 33 bytes of name present");
        const std::string bytes =
            std::string("\x02\x21", 2) + std::string(33, 'n') + std::string("\x00\x00", 2);
        const core::ChatDecodeResult decoded = core::decode_chat(bytes_of(bytes));
        EXPECT_FALSE(decoded);
        EXPECT_FALSE(decoded.error.empty());
    }
    {
        SCOPED_TRACE("decode: a name length of 255 with only 2 bytes after it");
        EXPECT_FALSE(core::decode_chat(bytes_of(std::string("\x02\xff\x00\x00", 4))));
    }
    {
        SCOPED_TRACE("decode: a text length of 4097 (over 4096), with 4097 bytes of text present");
        const std::string bytes = std::string(
                                      "\x02\x01"
                                      "a"
                                      "\x10\x01",
                                      5) +
                                  std::string(4097, 't');
        const core::ChatDecodeResult decoded = core::decode_chat(bytes_of(bytes));
        EXPECT_FALSE(decoded);
        EXPECT_FALSE(decoded.error.empty());
    }
    {
        SCOPED_TRACE("decode: a text length of 65535 with 3 bytes of text");
        EXPECT_FALSE(
            core::decode_chat(bytes_of(std::string("\x02\x00\xff\xff"
                                                   "abc",
                                                   7))));
    }
}

GRADED_TEST(Lab03Chat, RejectsUnknownTypes, 1) {
    for (const int type : {0, 5, 6, 0x7f, 0x80, 0xff}) {
        SCOPED_TRACE("type byte " + std::to_string(type));
        const std::string bytes = std::string(1, static_cast<char>(type)) + std::string(
                                                                                "\x03"
                                                                                "bob"
                                                                                "\x00\x02"
                                                                                "hi",
                                                                                8);
        const core::ChatDecodeResult decoded = core::decode_chat(bytes_of(bytes));
        EXPECT_FALSE(decoded);
        EXPECT_FALSE(decoded.error.empty());
    }
}

GRADED_TEST(Lab03Chat, RejectsTrailingBytes, 1) {
    const std::string valid = encoded({ChatType::say, "bob", "hi"});
    for (const std::string& extra : {std::string(1, '\0'), std::string("x"), std::string(100, 'z')}) {
        SCOPED_TRACE(std::to_string(extra.size()) + " byte(s) after a valid message");
        const core::ChatDecodeResult decoded = core::decode_chat(bytes_of(valid + extra));
        EXPECT_FALSE(decoded);
        EXPECT_FALSE(decoded.error.empty());
    }
}

GRADED_TEST(Lab03Chat, AConversationOverFramesInReadsOfEverySize, 1) {
    const std::vector<ChatMessage> conversation = samples();
    std::string stream;
    for (const ChatMessage& message : conversation) {
        const std::string payload = encoded(message);
        const std::uint32_t prefix = htonl(static_cast<std::uint32_t>(payload.size()));
        stream += std::string(reinterpret_cast<const char*>(&prefix), sizeof prefix) + payload;
    }
    for (std::size_t read_size = 1; read_size <= 4096; ++read_size) {
        SCOPED_TRACE(std::to_string(conversation.size()) + " chat frames (" + std::to_string(stream.size()) +
                     " bytes) in reads of " + std::to_string(read_size));
        core::FrameDecoder decoder(core::kMaxChatMessage);
        std::vector<ChatMessage> received;
        for (std::size_t at = 0; at < stream.size(); at += read_size) {
            auto piece = bytes_of(stream).subspan(at, std::min(read_size, stream.size() - at));
            while (!piece.empty()) {
                const std::size_t taken = decoder.feed(piece);
                piece = piece.subspan(taken);
                while (const core::FrameResult frame = decoder.pop()) {
                    core::ChatDecodeResult decoded = core::decode_chat(frame.payload);
                    ASSERT_TRUE(decoded) << "message " << received.size() << ": " << decoded.error;
                    received.push_back(std::move(decoded.message));
                }
                ASSERT_FALSE(decoder.failed());
                ASSERT_TRUE(taken > 0 || piece.empty()) << "the decoder took nothing and had nothing to pop";
            }
        }
        ASSERT_EQ(received.size(), conversation.size());
        for (std::size_t i = 0; i < conversation.size(); ++i) {
            ASSERT_EQ(received[i], conversation[i]) << "message " << i << ": " << describe(conversation[i]);
        }
    }
}

}  // namespace
}  // namespace netlab::testing
