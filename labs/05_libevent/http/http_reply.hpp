#pragma once
// This file shows:
//  - answering an evhttp request correctly for every method and status: HEAD gets the headers
//    (with the Content-Length a GET would have) but no body, and 204/304 never carry one;
//  - strict parsing of numbers that come from a URL: digits only, with a range, else 400.

#include <cstdint>
#include <optional>
#include <string_view>

#include <event2/http.h>

namespace netlab::libevent {

/// Sends a complete reply with body (which may be null, and is drained). Sets Content-Type when the
/// reply has a body; for HEAD sets the Content-Length of the body and sends none. Loop thread.
void send_reply(evhttp_request* req, int code, std::string_view content_type, evbuffer* body);

/// send_reply with a text/plain body.
void send_text(evhttp_request* req, int code, std::string_view text);

/// Adds a header to the reply (a value with CR or LF is refused by evhttp).
void add_header(evhttp_request* req, const char* name, std::string_view value);

/// The decimal number text, if it is 1-10 digits (no sign, no spaces) within [min, max].
std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t min, std::uint64_t max);

}  // namespace netlab::libevent
