#pragma once
// This file shows:
//  - the head of an HTTP/1.1 message (start line + header lines + an empty line) parsed by a
//    pure, incremental function: call it again with more bytes until it says complete;
//  - bounded header sizes: a head larger than max_bytes, or with more than max_headers lines, is
//    rejected as soon as that is certain (431), so a peer cannot make us buffer forever;
//  - strictness where it protects us: lines end in CRLF, header names are tokens, no obsolete
//    line folding, no spaces before the colon (RFC 9112 5.1).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/parse_status.hpp"

namespace netlab::websocket {

/// One "Name: value" line; the value without surrounding spaces.
struct HttpField {
    std::string name;
    std::string value;
};

/// A parsed head. Requests fill method/target/version, responses version/status/reason.
struct HttpHead {
    std::string method;
    std::string target;
    std::string version;
    int status = 0;
    std::string reason;
    std::vector<HttpField> fields;

    /// The value of the first field named name (case-insensitive), or nullopt.
    [[nodiscard]] std::optional<std::string_view> field(std::string_view name) const;
    /// How many field lines are named name (case-insensitive): a field that must not repeat has one.
    [[nodiscard]] std::size_t count(std::string_view name) const;
    /// True if some field named name holds token in its comma-separated list (case-insensitive).
    [[nodiscard]] bool has_token(std::string_view name, std::string_view token) const;
};

/// The parser's bounds.
struct HeadLimits {
    std::size_t max_bytes = 8192;  ///< the whole head, empty line included
    std::size_t max_fields = 64;   ///< header lines
};

/// The head and how many bytes it took, or need_more, or an HTTP status to answer with (400, 431, 505).
struct HeadResult {
    ParseStatus status = ParseStatus::need_more;
    HttpHead head;
    std::size_t consumed = 0;  ///< complete: bytes of the head; what follows belongs to the next protocol
    int http_status = 0;       ///< error: the status to reply with
    std::string error;         ///< error: what was wrong, for humans
    /// True when the head is complete.
    explicit operator bool() const noexcept { return status == ParseStatus::complete; }
};

/// Where the head at the start of bytes ends: complete with consumed = its size up to and including
/// CRLF CRLF (nothing else filled in), need_more, or an error (400 for a bare LF, 431 when max_bytes
/// arrived without the end). Pure; looks at the first limits.max_bytes bytes only.
HeadResult find_head_end(std::string_view bytes, const HeadLimits& limits = {});

/// Parses a request head ("GET /chat HTTP/1.1\r\n..."). Pure; feed it everything received so far.
HeadResult parse_request_head(std::string_view bytes, const HeadLimits& limits = {});
/// Parses a response head ("HTTP/1.1 101 Switching Protocols\r\n..."). Pure.
HeadResult parse_response_head(std::string_view bytes, const HeadLimits& limits = {});

/// ASCII case-insensitive equality (HTTP field names and tokens).
bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept;

}  // namespace netlab::websocket
