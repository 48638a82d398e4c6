#pragma once
// This file shows:
//  - that send() may take fewer bytes than asked (a "short write"), so sending a message
//    is a loop, and that a peer that went away must be an error, not a SIGPIPE.

#include <cstddef>
#include <span>
#include <string_view>

namespace netlab::stream {

/// Sends every byte on a blocking socket or throws std::system_error("send") (EPIPE, ECONNRESET,
/// EAGAIN when SO_SNDTIMEO ran out, ...); loops over short writes and EINTR. Never raises SIGPIPE.
void send_all(int fd, std::span<const std::byte> bytes);

/// send_all for text.
inline void send_all(int fd, std::string_view text) {
    send_all(fd, std::as_bytes(std::span(text)));
}

}  // namespace netlab::stream
