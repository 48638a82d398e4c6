#pragma once
// This file shows:
//  - the opening handshake's rules as two pure checks, one per side (RFC 6455 4.1, 4.2):
//      server: GET, HTTP/1.1, Host, Upgrade: websocket, Connection: Upgrade,
//              Sec-WebSocket-Version: 13, and a Sec-WebSocket-Key that is 16 bytes in base64;
//              Host, the key and the version each on exactly one line;
//      client: 101, Upgrade: websocket, Connection: Upgrade, and the right Sec-WebSocket-Accept,
//              on exactly one line;
//  - a refusal is a proper HTTP answer, not a dropped connection: 405 with Allow for another
//    method, 426 with Sec-WebSocket-Version: 13 for a version we do not speak, 400 otherwise.

#include <string>
#include <string_view>

#include "09_websocket/protocol/http_head.hpp"

namespace netlab::websocket {

/// The accepted request's facts, or the HTTP error to answer with.
struct UpgradeCheck {
    std::string path;          ///< the request target, e.g. "/chat"
    std::string key;           ///< Sec-WebSocket-Key
    int http_status = 0;       ///< 0 when accepted; else 400, 405 or 426
    std::string error;         ///< why not, for humans (and the error page)
    std::string extra_fields;  ///< fields the error reply must carry ("Allow: GET\r\n"...)
    bool is_websocket = true;  ///< false when the request did not ask to upgrade at all
    /// True when the request may be upgraded.
    explicit operator bool() const noexcept { return http_status == 0; }
};

/// Checks a request head against RFC 6455 4.2.1. Pure.
UpgradeCheck check_upgrade_request(const HttpHead& head);
/// The 101 Switching Protocols reply for an accepted key.
std::string upgrade_response(std::string_view key);
/// A complete HTTP/1.1 error reply with a short text body; the connection closes after it.
std::string error_response(int status, std::string_view message, std::string_view extra_fields = {});
/// The reason phrase of the statuses this lab sends ("Bad Request"...).
std::string_view reason_phrase(int status) noexcept;

/// The client's upgrade request for host_field (the Host value) and path, with key.
std::string upgrade_request(std::string_view host_field, std::string_view path, std::string_view key);
/// "" if a response head accepts our key; else what is wrong. Pure.
std::string check_upgrade_response(const HttpHead& head, std::string_view key);

}  // namespace netlab::websocket
