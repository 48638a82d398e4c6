// This file shows:
//  - writing a record field by field into a byte buffer (memcpy + htons for the u16);
//  - reading it back with a cursor that never passes the end: each length is checked
//    against the bytes left before the bytes are touched, and against its limit;
//  - errors as values with a reason, so a server can log the reason and drop the peer.

#include "03_encapsulation/framing/chat_message.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace netlab::core {

static_assert(kMaxChatName <= UINT8_MAX, "the name length is one byte on the wire");
static_assert(kMaxChatText <= UINT16_MAX, "the text length is two bytes on the wire");

std::string_view name_of(ChatType type) noexcept {
    switch (type) {
        case ChatType::join:
            return "join";
        case ChatType::say:
            return "say";
        case ChatType::leave:
            return "leave";
        case ChatType::error:
            return "error";
    }
    return "unknown";
}

bool is_known(ChatType type) noexcept {
    return name_of(type) != "unknown";
}

std::vector<std::byte> encode_chat(const ChatMessage& message) {
    // BEGIN SOLUTION encode_chat
    if (!is_known(message.type)) {
        throw std::invalid_argument("encode_chat: unknown message type " +
                                    std::to_string(static_cast<unsigned>(message.type)));
    }
    if (message.name.size() > kMaxChatName) {
        throw std::length_error("encode_chat: a name of " + std::to_string(message.name.size()) +
                                " bytes is over the limit of " + std::to_string(kMaxChatName));
    }
    if (message.text.size() > kMaxChatText) {
        throw std::length_error("encode_chat: a text of " + std::to_string(message.text.size()) +
                                " bytes is over the limit of " + std::to_string(kMaxChatText));
    }
    std::vector<std::byte> bytes(kChatHeaderSize + message.name.size() + message.text.size());
    std::byte* at = bytes.data();
    *at++ = static_cast<std::byte>(message.type);
    *at++ = static_cast<std::byte>(message.name.size());
    std::memcpy(at, message.name.data(), message.name.size());
    at += message.name.size();
    const std::uint16_t text_size = htons(static_cast<std::uint16_t>(message.text.size()));
    std::memcpy(at, &text_size, sizeof text_size);
    at += sizeof text_size;
    std::memcpy(at, message.text.data(), message.text.size());
    return bytes;
    // END SOLUTION
}

ChatDecodeResult decode_chat(std::span<const std::byte> bytes) {
    // BEGIN SOLUTION decode_chat
    ChatDecodeResult result;
    const auto fail = [&result](std::string why) {
        result.error = std::move(why);
        return std::move(result);
    };
    // rest is what has not been read yet; every read below first checks that it is long enough.
    std::span<const std::byte> rest = bytes;
    if (rest.size() < 2) {
        return fail("truncated: " + std::to_string(rest.size()) +
                    " bytes, too short for type and name length");
    }
    const auto type = std::to_integer<std::uint8_t>(rest[0]);
    const std::size_t name_size = std::to_integer<std::uint8_t>(rest[1]);
    rest = rest.subspan(2);
    result.message.type = static_cast<ChatType>(type);
    if (!is_known(result.message.type)) {
        return fail("unknown message type " + std::to_string(type));
    }
    if (name_size > kMaxChatName) {
        return fail("name length " + std::to_string(name_size) + " is over " + std::to_string(kMaxChatName));
    }
    if (rest.size() < name_size + 2) {
        return fail("truncated: name length " + std::to_string(name_size) + " and text length need " +
                    std::to_string(name_size + 2) + " bytes, " + std::to_string(rest.size()) + " left");
    }
    result.message.name.assign(reinterpret_cast<const char*>(rest.data()), name_size);
    rest = rest.subspan(name_size);
    std::uint16_t text_field = 0;
    std::memcpy(&text_field, rest.data(), sizeof text_field);
    const std::size_t text_size = ntohs(text_field);
    rest = rest.subspan(sizeof text_field);
    if (text_size > kMaxChatText) {
        return fail("text length " + std::to_string(text_size) + " is over " + std::to_string(kMaxChatText));
    }
    if (rest.size() < text_size) {
        return fail("truncated: text length " + std::to_string(text_size) + ", " +
                    std::to_string(rest.size()) + " bytes left");
    }
    if (rest.size() > text_size) {
        return fail(std::to_string(rest.size() - text_size) + " trailing bytes after the text");
    }
    result.message.text.assign(reinterpret_cast<const char*>(rest.data()), text_size);
    return result;
    // END SOLUTION
}

}  // namespace netlab::core
