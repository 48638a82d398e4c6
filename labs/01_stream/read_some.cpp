// This lab shows:
//  - recv() returning 0 means end of stream (the peer's FIN), not an error, and is reported
//    as a value; a negative return is an error (ECONNRESET after the peer's RST, ...);
//  - a stream has no message boundaries: one recv may return any part of what was sent;
//  - why an empty buffer must not reach recv(): on a TCP socket Linux waits for data, then
//    returns 0 without reading any, which looks exactly like EOF.

#include "01_stream/read_some.hpp"

#include <sys/socket.h>

#include <cerrno>

#include "common/check.hpp"

namespace netlab::stream {

ReadResult read_some(int fd, std::span<std::byte> buffer) {
    // BEGIN SOLUTION read_some
    if (buffer.empty()) {
        return ReadResult{};
    }
    for (;;) {
        const ssize_t received = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (received > 0) {
            return ReadResult{static_cast<std::size_t>(received), false};
        }
        if (received == 0) {
            return ReadResult{0, true};
        }
        if (errno != EINTR) {
            throw_errno("recv");
        }
    }
    // END SOLUTION
}

}  // namespace netlab::stream
