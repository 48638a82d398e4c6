#pragma once
// This file shows:
//  - serialising a struct for the wire: every field written at a fixed place, with an explicit
//    length before each variable-size field, integers big-endian; never the struct's raw bytes
//    (padding, byte order and std::string's pointers mean nothing to the peer);
//  - a pure decoder that checks every length against the bytes that are really there and
//    against our limits, rejects unknown types and trailing bytes, and explains what was wrong.
//
// The chat protocol of lab 04's poll_chat_server and lab 06's Qt client. One message is the
// payload of one frame (frame_codec.hpp); frame it with max_frame = kMaxChatMessage.
//
//    0       1       2               2+N             4+N                       4+N+M
//    +-------+-------+---------------+-------+-------+-------------------------+
//    | type  |   N   |  name         |   M (u16,     |  text                   |
//    |  u8   |  u8   |  N bytes      |   big-endian) |  M bytes                |
//    +-------+-------+---------------+-------+-------+-------------------------+
//
//    type  1 join   client: "call me <name>"        server to everyone: <name> joined (the joiner's welcome)
//          2 say    client: <text>; name empty or   server to the others: <name> says <text>
//                   the sender's own (else refused)
//          3 leave  client: goodbye                 server to the others: <name> left
//          4 error  server to one client: <text> says what was refused (name empty)
//    N <= kMaxChatName (32), M <= kMaxChatText (4096); the message ends exactly after the text.
//    Name and text are UTF-8 by convention; the codec treats them as bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netlab::core {

/// The longest name, in bytes.
inline constexpr std::size_t kMaxChatName = 32;
/// The longest text, in bytes.
inline constexpr std::size_t kMaxChatText = 4096;
/// The fixed part of a message: type, N and M.
inline constexpr std::size_t kChatHeaderSize = 4;
/// The longest message, a chat frame's max_frame.
inline constexpr std::size_t kMaxChatMessage = kChatHeaderSize + kMaxChatName + kMaxChatText;

/// What a message asks or announces; the values are the wire's type byte.
enum class ChatType : std::uint8_t { join = 1, say = 2, leave = 3, error = 4 };

/// "join", "say", "leave", "error", or "unknown".
std::string_view name_of(ChatType type) noexcept;
/// True for the four types above; a byte off the wire may hold any other value.
bool is_known(ChatType type) noexcept;

/// One chat message, as the program sees it.
struct ChatMessage {
    ChatType type = ChatType::say;
    std::string name;  ///< who: at most kMaxChatName bytes
    std::string text;  ///< what: at most kMaxChatText bytes

    /// Field by field.
    bool operator==(const ChatMessage&) const = default;
};

/// What decode_chat returns: message is meaningful only when the result is true.
struct ChatDecodeResult {
    ChatMessage message;
    std::string error;  ///< empty on success; otherwise what was wrong, e.g. "name length 40 is over 32"

    /// True when the bytes were a valid message.
    explicit operator bool() const noexcept { return error.empty(); }
};

/// The message's bytes (a frame's payload). Throws std::length_error when name or text is over
/// its limit, std::invalid_argument for a type outside ChatType: the sender's bug, not the peer's.
std::vector<std::byte> encode_chat(const ChatMessage& message);

/// Parses one whole message (one frame's payload). Pure: never throws for bad input.
ChatDecodeResult decode_chat(std::span<const std::byte> bytes);

}  // namespace netlab::core
