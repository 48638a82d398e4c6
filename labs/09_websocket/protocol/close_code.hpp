#pragma once
// This file shows:
//  - the close status codes of RFC 6455 section 7.4 as named constants: what each endpoint
//    sends to say WHY a connection ends (a protocol error is 1002, bad UTF-8 is 1007...);
//  - which codes may travel in a Close frame at all: 1005, 1006 and 1015 are only ever reported
//    locally ("no code", "vanished", "TLS failed"), never sent, so receiving one is an error.

#include <cstdint>

namespace netlab::websocket {

/// Close status codes (RFC 6455 7.4.1); 3000-3999 are registered by libraries, 4000-4999 private.
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000;           ///< done: the purpose is fulfilled
inline constexpr std::uint16_t kGoingAway = 1001;        ///< server shutting down, page left
inline constexpr std::uint16_t kProtocolError = 1002;    ///< the peer broke the framing rules
inline constexpr std::uint16_t kUnsupportedData = 1003;  ///< e.g. binary to a text-only endpoint
inline constexpr std::uint16_t kNoStatus = 1005;         ///< local only: the Close frame had no code
inline constexpr std::uint16_t kAbnormal = 1006;         ///< local only: TCP ended without a Close frame
inline constexpr std::uint16_t kInvalidPayload = 1007;   ///< a text message was not valid UTF-8
inline constexpr std::uint16_t kPolicyViolation = 1008;  ///< generic "you broke our rules" (too slow...)
inline constexpr std::uint16_t kMessageTooBig = 1009;    ///< over the maximum message size
inline constexpr std::uint16_t kMandatoryExtension =
    1010;                                              ///< a client needed an extension the server refused
inline constexpr std::uint16_t kInternalError = 1011;  ///< the server hit an unexpected condition
}  // namespace close_code

/// True if code may appear in a received Close frame: 1000-1003, 1007-1011, 3000-4999.
constexpr bool is_sendable_close_code(std::uint16_t code) noexcept {
    if (code >= 3000 && code <= 4999) {
        return true;
    }
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

/// True for the codes that say an endpoint broke a rule or failed: 1002, 1003 and 1007-1011. The
/// others end a connection without blame: 1000, 1001, "no code" (1005) and an application's 3000-4999.
constexpr bool reports_failure(std::uint16_t code) noexcept {
    return code == close_code::kProtocolError || code == close_code::kUnsupportedData ||
           (code >= close_code::kInvalidPayload && code <= close_code::kInternalError);
}

}  // namespace netlab::websocket
