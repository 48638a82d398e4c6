#pragma once
// This file shows:
//  - an HTTP/1.1 request head parsed as a pure function: bytes in, one of complete / need more /
//    error out, never a socket; the connection feeds it what it has read so far;
//  - every peer-supplied size checked against a limit before anything trusts it: the head's
//    length, the header count and Content-Length.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/parse_status.hpp"

namespace netlab::http_peer {

/// What a request may claim before the peer refuses it.
struct HeadLimits {
    std::size_t max_head = 16 * 1024;   ///< request line and headers, blank line included (else 431)
    std::size_t max_headers = 100;      ///< header fields (else 431)
    std::uint64_t max_body = 1u << 20;  ///< Content-Length (else 413)
};

/// A parsed request head. Views point into nothing: every field is a copy.
struct RequestHead {
    std::string method;   ///< "GET", "POST"... as sent (case-sensitive, RFC 9110)
    std::string target;   ///< "/path?query" as sent
    std::string version;  ///< "HTTP/1.1" or "HTTP/1.0"
    std::vector<std::pair<std::string, std::string>> headers;  ///< in order, values trimmed
    std::uint64_t content_length = 0;                          ///< the body's size (0 without Content-Length)
    bool keep_alive = true;         ///< false for "Connection: close" or HTTP/1.0 without keep-alive
    bool expects_continue = false;  ///< "Expect: 100-continue": the client waits for a 100 first

    /// The first value of header name, compared without case; nullopt when absent.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
    /// The target up to '?'.
    [[nodiscard]] std::string_view path() const;
    /// The value of key in the target's query ("a=1&b=2"); nullopt when absent. Not percent-decoded.
    [[nodiscard]] std::optional<std::string_view> query(std::string_view key) const;
};

/// The outcome of parse_request_head.
struct HeadParse {
    ParseStatus status = ParseStatus::need_more;
    RequestHead head;      ///< complete only
    std::size_t size = 0;  ///< complete only: bytes of the head, blank line included
    int error_status = 0;  ///< error only: 400, 413, 431, 501 or 505
    std::string error;     ///< error only: why, for the reply's body
};

/// Parses the request head at the start of bytes (what a connection has read so far).
[[nodiscard]] HeadParse parse_request_head(std::string_view bytes, const HeadLimits& limits = {});

/// text as a decimal number in [min, max]; nullopt for anything else (sign, spaces, overflow).
[[nodiscard]] std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min,
                                                         std::uint64_t max);

}  // namespace netlab::http_peer
