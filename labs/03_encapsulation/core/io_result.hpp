#pragma once
// This file shows:
//  - the three outcomes of one read or write on a socket as a value, not an exception: bytes
//    moved, the end of the stream (the peer's FIN), or "would block" (a non-blocking socket
//    has nothing to give or no room to take, so come back when poll/epoll says it is ready);
//  - an explicit operator bool that is true on success, as everywhere in netlab.

#include <cstddef>

namespace netlab::core {

/// What one read_some / write_some / send did.
enum class IoStatus {
    data,         ///< size bytes were moved (0 only when the buffer was empty)
    eof,          ///< reads only: the peer finished sending; no more bytes will come
    would_block,  ///< non-blocking only: nothing could be moved now; wait for readiness
};

/// One I/O call's outcome. Errors are not here: they throw std::system_error named after the call.
struct IoResult {
    IoStatus status = IoStatus::data;
    std::size_t size = 0;  ///< bytes moved when status is data; otherwise 0

    /// True when bytes were moved (status data).
    explicit operator bool() const noexcept { return status == IoStatus::data; }
    /// True at the end of the stream.
    [[nodiscard]] bool eof() const noexcept { return status == IoStatus::eof; }
    /// True when a non-blocking socket was not ready.
    [[nodiscard]] bool would_block() const noexcept { return status == IoStatus::would_block; }
};

}  // namespace netlab::core
