#pragma once
// This file shows:
//  - the peer's routes, one small function each, all written against ReplyChannel;
//  - misbehaviour on purpose, where the tests of labs 06 and 07 need it: a slow answer, a body
//    in chunks over seconds, a huge body made as it is sent, a body cut short, a header too large
//    for libcurl, the request itself sent back so a test sees exactly what a client sent.
//
//   GET  /hello.txt        "hello from netlab_http_peer\n", text/plain
//   POST /echo             the request body back, with the request's Content-Type
//   GET  /status/NNN       "status NNN\n" with that status (200-599)
//   GET  /delay/MS         "delayed MS ms\n" after MS milliseconds (0-60000)
//   GET  /stream/N         N chunks (1-10000) of "{"chunk": I, "of": N}\n", chunked, one per
//                          ?interval_ms= (0-1000, default 10)
//   GET  /bytes/N          N bytes (0-1 GiB) of 16-byte records "%015llu\n" of their own offset
//   GET  /redirect/N       302 to /redirect/N-1; 200 "redirect chain ended\n" at /redirect/0 (N <= 100)
//   GET  /close-mid-body   announces 1000 bytes, sends 100, then closes the connection
//   GET  /huge-header/N    an X-Padding header of N bytes (up to 1 MiB), then the body "hi"
//   GET  /hex/HEX          the bytes HEX spells (up to 1024), application/octet-stream
//   ANY  /request[/...]    the request exactly as it arrived, head and body, as message/http;
//                          each ?NAME=VALUE of its query becomes a reply header field
// HEAD works wherever GET does. Anything else: 404, or 405 for a method a route does not take.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "reply.hpp"
#include "request_head.hpp"

namespace netlab::http_peer {

/// One request as the connection read it; the views live until the route returns.
struct Request {
    const RequestHead& head;
    std::string_view raw;   ///< head and body exactly as they arrived
    std::string_view body;  ///< the Content-Length bytes after the head
};

/// Whether the connection may carry another request after a reply.
enum class AfterReply { keep_open, close };

/// Answers request on channel (on the connection's thread; it may take as long as the route says).
AfterReply answer(const Request& request, ReplyChannel& channel);

/// Byte offset onwards of the /bytes pattern, written into out.
void fill_counting_pattern(std::uint64_t offset, char* out, std::size_t size);

}  // namespace netlab::http_peer
