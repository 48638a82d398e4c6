#pragma once
// This file shows:
//  - the writing half of HTTP/1.1 as small pieces: a status line and fields, a whole body with
//    Content-Length, a body in chunks (Transfer-Encoding: chunked) ended by the zero-length chunk;
//  - the two cases where a reply has a head but no body: HEAD, and the statuses 1xx, 204 and 304;
//  - routes written against ReplyChannel, not a socket, so plain TCP and TLS share them.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netlab::http_peer {

/// Header fields in the order they are sent.
using Fields = std::vector<std::pair<std::string, std::string>>;

/// Where a reply goes: the connection implements it. Called on the connection's thread only.
class ReplyChannel {
public:
    /// Writes every byte; false once the client is gone, and the reply should stop.
    virtual bool send(std::string_view bytes) = 0;
    /// Waits for duration without reading; false when the client hung up (or the peer is stopping) first.
    virtual bool pause(std::chrono::milliseconds duration) = 0;

protected:
    ~ReplyChannel() = default;
};

/// How the request shapes its reply.
struct ReplyMode {
    bool head_only = false;  ///< a HEAD request: fields as for GET, no body
    bool close = false;      ///< the connection closes after this reply: say "Connection: close"
};

/// The reason phrase of status ("Not Found"); "Unknown" for a code without one.
[[nodiscard]] std::string_view reason_phrase(int status);
/// True for the statuses that never carry a body: 1xx, 204 and 304.
[[nodiscard]] bool is_bodiless(int status);
/// "HTTP/1.1 STATUS REASON\r\n", each field, "Connection: close" when mode.close, then "\r\n".
[[nodiscard]] std::string format_head(int status, const Fields& fields, ReplyMode mode);

/// A whole reply with Content-Type and Content-Length (none for a bodiless status); false once the
/// client is gone.
bool send_whole(ReplyChannel& channel, ReplyMode mode, int status, std::string_view content_type,
                std::string_view body, const Fields& extra = {});
/// send_whole with "text/plain; charset=utf-8".
bool send_text(ReplyChannel& channel, ReplyMode mode, int status, std::string_view text,
               const Fields& extra = {});
/// One chunk of a chunked body ("SIZE-IN-HEX\r\nDATA\r\n"); an empty data ends the body.
bool send_chunk(ReplyChannel& channel, std::string_view data);

}  // namespace netlab::http_peer
